"""Validate fact-check records and build a bilingual (French/English) MkDocs site from them.

The pipeline, one module per stage: ``model`` (the records) → ``load`` (strict YAML with positions)
→ ``validate`` (schema and per-record rules) → ``resolve`` (cross-record rules, the ``Dataset``)
→ ``render`` (pages) → ``write`` (files, atomic swap); ``plugin`` and ``site`` drive MkDocs and
``cli`` is the command line. Every stage reports mistakes as ``Problem`` values.
"""

from build_tools.content.dataset import CheckResult, Dataset
from build_tools.content.resolve import check_root
from build_tools.problems import Problem

__all__ = ["CheckResult", "Dataset", "Problem", "check_root"]
