# minloop course: set-up, JupyterLab, tests, benchmarks.
# GNU make >= 4. Every recipe runs in bash with -eu -o pipefail: any failing command fails the target.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DELETE_ON_ERROR:
.DEFAULT_GOAL := help
MAKEFLAGS += --no-builtin-rules

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.stamp
PIP    := $(PY) -m pip --disable-pip-version-check --no-input

# JupyterLab refuses to run as root unless told; add the flag only when we are root.
LAB_ARGS ?=
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root)
START_NB := notebooks/00_start_here.ipynb

# nbval: use the sanitize file only once somebody has written it.
ifneq ($(wildcard tests/nbval_sanitize.cfg),)
NBVAL_FLAGS := --nbval --sanitize-with tests/nbval_sanitize.cfg
else
NBVAL_FLAGS := --nbval
endif

.PHONY: help setup venv lab test unit notebooks nb execute bench images student html clean

help:
	@echo "make lab      set up .venv, then open JupyterLab on $(START_NB) (extra flags: LAB_ARGS=...)"
	@echo "make test     set up .venv, then run the unit tests and validate every notebook with nbval"
	@echo "make nb NB=notebooks/03_the_loop.ipynb   validate one notebook"
	@echo "make bench    run the benchmarks (minloop vs asyncio vs uvloop)"
	@echo "make execute  re-run every notebook in a fresh kernel and store its outputs (after changing minloop/)"
	@echo "make images   regenerate the diagrams in images/"
	@echo "make html     write the static HTML edition to html/ (opens from the file system, no kernel)"
	@echo "make student  write the student edition (solutions removed)"
	@echo "make clean    remove .venv and caches"

# ---------------------------------------------------------------- set-up
# $(PY) is the file that says "a venv exists"; $(STAMP) says "it matches requirements.txt
# and pyproject.toml". Editing either file makes the stamp stale and re-runs pip.
$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "minloop needs Python >= 3.11, $(PYTHON) is " + sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); exit 1; }

$(STAMP): requirements.txt pyproject.toml | $(PY)
	$(PIP) install -r requirements.txt
	$(PIP) install -e .
	touch $@

setup venv: $(STAMP)

# ---------------------------------------------------------------- use
# root_dir is the repo (not notebooks/), so notebooks can reach ../images and the file browser
# shows minloop/; the start notebook is opened on top when it exists.
lab: $(STAMP)
	@if [[ -f $(START_NB) ]]; then open=$(START_NB); \
	else open=; echo "note: $(START_NB) is not written yet; opening JupyterLab on the repository"; fi; \
	set -x; exec $(VENV)/bin/jupyter lab $$open --ServerApp.root_dir="$(CURDIR)" $(ROOT_FLAG) $(LAB_ARGS)

test: unit notebooks

# Browser tests (tests/test_browser_*.py) need Debian's chromium; without it they are skipped,
# and we say so here as well as in pytest's summary. .ci/run installs it.
CHROMIUM := /usr/bin/chromium

# Unit tests. pytest exits 5 when it collects nothing: that is accepted only when there is
# truly no test file under tests/ yet; any other status (or 5 with test files present) fails.
unit: $(STAMP)
	@if [[ ! -x $(CHROMIUM) ]]; then echo "make: $(CHROMIUM) not found: the browser tests will be SKIPPED (apt-get install chromium to run them)"; fi
	@rc=0; $(PY) -m pytest || rc=$$?; \
	if [[ $$rc -eq 5 ]]; then \
	  n=0; if [[ -d tests ]]; then n=$$(find tests -type f \( -name 'test_*.py' -o -name '*_test.py' \) | wc -l); fi; \
	  if [[ $$n -eq 0 ]]; then echo "make: no test files under tests/ yet: nothing to run (pytest exit 5 accepted)"; exit 0; fi; \
	  echo "make: pytest collected no tests although tests/ has $$n test file(s)" >&2; \
	fi; \
	exit $$rc

# Every notebook, in a fresh kernel of the venv's python. No notebooks yet = nothing to do.
notebooks: $(STAMP)
	@if ! compgen -G 'notebooks/*.ipynb' >/dev/null; then \
	  echo "make: no notebooks/*.ipynb yet: nbval step skipped"; exit 0; fi; \
	set -x; $(PY) -m pytest $(NBVAL_FLAGS) notebooks/

nb: $(STAMP)
	@if [[ -z "$(NB)" ]]; then echo "usage: make nb NB=notebooks/03_the_loop.ipynb" >&2; exit 2; fi
	@if [[ ! -f "$(NB)" ]]; then echo "make nb: no such notebook: $(NB)" >&2; exit 2; fi
	$(PY) -m pytest $(NBVAL_FLAGS) "$(NB)"

# Notebooks show minloop's own source and traces: after changing minloop/, re-run them all,
# then read `git diff notebooks/` before committing (the diff is what the learner will see change).
execute: $(STAMP)
	for nb in notebooks/*.ipynb; do \
	  $(VENV)/bin/jupyter nbconvert --to notebook --execute --inplace \
	    --ExecutePreprocessor.timeout=60 --ExecutePreprocessor.record_timing=False "$$nb"; \
	done
	$(PY) tools/clean_outputs.py notebooks/*.ipynb

bench: $(STAMP)
	@if [[ ! -f benchmarks/run.py ]]; then echo "make bench: benchmarks/run.py does not exist yet" >&2; exit 1; fi
	$(PY) benchmarks/run.py

images: $(STAMP)
	@if [[ -f images/make_images.py ]]; then set -x; $(PY) images/make_images.py; \
	else echo "make images: images/make_images.py is not written yet; nothing generated"; fi

html: $(STAMP)
	$(PY) tools/make_html.py --out html

student: $(STAMP)
	@if [[ ! -f tools/make_student.py ]]; then \
	  echo "make student: not built yet (tools/make_student.py does not exist); no student edition written" >&2; exit 1; fi
	$(PY) tools/make_student.py

clean:
	rm -rf $(VENV) .pytest_cache build dist
	find . -path ./.git -prune -o \( -name __pycache__ -o -name .ipynb_checkpoints -o -name '*.egg-info' -o -name .pytest_cache \) -type d -prune -exec rm -rf {} +
