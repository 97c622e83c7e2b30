# The two commands a newcomer needs: `make site` and `make test`. Both set up .venv first.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# Material prints an end-of-life banner about MkDocs 2 on every build; it is known and pinned around.
export NO_MKDOCS_2_WARNING := 1

.PHONY: setup site test lint actionlint zizmor typecheck unit serve check schema links links-offline watch coverage bench mutation clean

setup: $(STAMP)

# The npm checkers (package.json) run on the Node.js that requirements.txt installs in the venv; no
# install script runs, so no browser is ever downloaded (the tests use Debian's chromium).
$(STAMP): requirements.txt pyproject.toml package.json package-lock.json
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $(STAMP)

site: setup
	$(PY) -m build_tools build

# CHECK_ARGS lets CI add --format github --base origin/main --summary "$$GITHUB_STEP_SUMMARY".
check: setup
	$(PY) -m build_tools check $(CHECK_ARGS)

coverage: setup
	$(PY) -m build_tools coverage --fail-under 100

links-offline: setup
	$(PY) -m build_tools links --offline $(LINKS_ARGS)

links: setup
	$(PY) -m build_tools links $(LINKS_ARGS)

# Reads every cited page again and updates data/ledger.yml; WATCH_ARGS lets the weekly workflow add
# --format github --summary "$$GITHUB_STEP_SUMMARY".
watch: setup
	$(PY) -m build_tools watch $(WATCH_ARGS)

# Writes BENCHMARKS.md; the largest root up to 4,000 claims is also built with BENCH_BASE (the site layer before its
# rebuild) in the same run, and every size with Debian's hugo (apt-get install hugo) as the yardstick. BENCH_ARGS adds options (see
# python -m build_tools.tools.bench --help): BENCH_ARGS=--large adds 25,000 claims (not for CI: an hour or more on
# 2 cores); to try it out without touching BENCHMARKS.md: .venv/bin/python -m build_tools.tools.bench --sizes 50,100 --runs 1
BENCH_BASE ?= f53f2d3
bench: setup
	$(PY) -m build_tools.tools.bench --compare-with $(BENCH_BASE) -o BENCHMARKS.md $(BENCH_ARGS)

schema: setup
	$(PY) -m build_tools schema

# Rebuilds only what an edit changed; `mkdocs serve` still rebuilds the whole site on every change.
serve: setup
	$(PY) -m build_tools serve

lint: setup
	$(PY) -m ruff check build_tools tests
	$(PY) -m ruff format --check build_tools tests

# The workflows, with the pinned shellcheck on their scripts (pyflakes off: no step runs Python inline),
# and the CI script itself.
actionlint: setup
	$(VENV)/bin/actionlint -no-color -shellcheck $(VENV)/bin/shellcheck -pyflakes= .github/workflows/*.yml
	$(VENV)/bin/shellcheck .ci/run

# The workflows' security (actions pinned by commit, no persisted credentials, no template injection);
# offline, so it needs no GitHub token; any finding at low severity or above fails.
zizmor: setup
	$(VENV)/bin/zizmor --offline --min-severity low --no-progress .github/workflows/

typecheck: setup
	$(PY) -m mypy

unit: setup
	$(PY) -m pytest

test: lint actionlint zizmor typecheck unit

# Mutation testing (MUTATION.md): slow, so not part of `make test`. Every mutant of MUTANTS is tried again;
# one module alone: make mutation MUTANTS='build_tools.site.opendata.*'; a random sample of one (after a first run):
# make mutation MUTANTS="$(python3 tests/mutation_sample.py build_tools.site.pages 80)". `mutmut browse` shows the survivors.
MUTANTS ?= build_tools.content.* build_tools.site.pages.* build_tools.site.adapter.* build_tools.site.static.* \
	build_tools.site.share.* build_tools.site.opendata.* build_tools.site.export.* build_tools.site.build.* \
	build_tools.site.search.*
MUTATION_JOBS ?= 2
mutation: setup
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(VENV)/bin/mutmut run --max-children $(MUTATION_JOBS) $(MUTANTS)
	$(PY) tests/mutation_report.py

clean:
	rm -rf site .venv node_modules .pytest_cache .mypy_cache .ruff_cache mutants .artifacts
