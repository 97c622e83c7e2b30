"""Validate fact-check records and build a bilingual (French/English) MkDocs site from them.

The pipeline, one module per stage: ``model`` (the records) → ``load`` (strict YAML with positions)
→ ``validate`` (schema and per-record rules) → ``resolve`` (cross-record rules, the ``Dataset``)
→ ``render`` (pages) → ``write`` (files, atomic swap); ``plugin`` and ``site`` drive MkDocs and
``cli`` is the command line. Every stage reports mistakes as ``Problem`` values.
"""

from .problems import Problem
from .resolve import CheckResult, Dataset, check_root

__all__ = ["CheckResult", "Dataset", "Problem", "check_root"]
