# minloop course: set-up, JupyterLab, tests, benchmarks.
# GNU make >= 4. Every recipe runs in bash with -eu -o pipefail: any failing command fails the target.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DELETE_ON_ERROR:
.DEFAULT_GOAL := help
MAKEFLAGS += --no-builtin-rules

# One venv per interpreter. `make test` builds .venv from python3; `make test
# PYTHON=/path/to/python3.12` builds and uses .venv-3.12 (named by the version PYTHON reports),
# so trying another Python never replaces the default environment.
ifeq ($(origin PYTHON),undefined)
PYTHON := python3
VENV   ?= .venv
else
PYTHON_VERSION := $(shell $(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)
VENV   ?= .venv-$(or $(PYTHON_VERSION),unknown)
endif
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.stamp
PIP    := $(PY) -m pip --disable-pip-version-check --no-input

# JupyterLab refuses to run as root unless told; add the flag only when we are root.
LAB_ARGS ?=
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root)
START_NB := notebooks/00_start_here.ipynb

# nbval compares every stored output (sanitized as tests/nbval_sanitize.cfg says). The plugin
# in tests/conftest.py does so strictly on Python 3.11, the reference; on other Pythons it
# runs every cell but does not compare the cells that show CPython's own asyncio source.
NBVAL_FLAGS := --nbval --sanitize-with tests/nbval_sanitize.cfg -p tests.conftest

# BROWSER_TESTS=0 leaves out the tests that drive chromium (marked `browser` by tests/conftest.py):
# .ci/run runs them once, on the reference Python.
BROWSER_TESTS ?= 1
# CHECK_TESTS=0 leaves out the tests that feed each exercise's check its wrong answers (marked
# `exercise_checks`): .ci/run runs them on the reference Python only (they test the notebooks'
# checks, which run the same on every Python) and keeps the other Pythons' runs short.
CHECK_TESTS ?= 1
SKIP_BROWSER := $(filter 0,$(BROWSER_TESTS))
SKIP_CHECKS := $(filter 0,$(CHECK_TESTS))
PYTEST_MARKS := $(if $(SKIP_BROWSER),$(if $(SKIP_CHECKS),-m "not browser and not exercise_checks",-m "not browser"),$(if $(SKIP_CHECKS),-m "not exercise_checks"))

.PHONY: help setup venv deps lab test unit browser notebooks nb execute bench fuzz images student html clean

help:
	@echo "make lab      set up $(VENV), then open JupyterLab on $(START_NB) (extra flags: LAB_ARGS=...)"
	@echo "make test     set up $(VENV), then run the unit tests and validate every notebook with nbval"
	@echo "              PYTHON=/path/to/python3.X: use that Python, in .venv-3.X; BROWSER_TESTS=0: no chromium;"
	@echo "              CHECK_TESTS=0: without the tests that feed the exercise checks wrong answers"
	@echo "make browser  only the tests that drive chromium (make test runs them too, unless BROWSER_TESTS=0)"
	@echo "make nb NB=notebooks/03_the_loop.ipynb   validate one notebook"
	@echo "make bench    run the benchmarks (minloop vs asyncio vs uvloop)"
	@echo "make fuzz     differential fuzzing: random programs on asyncio and minloop (EXAMPLES=500 SEED= CLOCK=virtual|real|both)"
	@echo "make execute  re-run every notebook in a fresh kernel and store its outputs (after changing minloop/)"
	@echo "make images   regenerate the diagrams in images/"
	@echo "make html     write the static HTML edition to html/ (opens from the file system, no kernel)"
	@echo "make student  write the student edition (solutions removed)"
	@echo "make clean    remove .venv, every .venv-3.X and caches"

# ---------------------------------------------------------------- set-up
# $(PY) is the file that says "a venv exists"; $(STAMP) says "it matches requirements.txt
# and pyproject.toml". Editing either file makes the stamp stale and re-runs pip.
$(PY):
	@command -v $(PYTHON) >/dev/null || { echo "make: PYTHON=$(PYTHON): no such command" >&2; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "minloop needs Python >= 3.11, $(PYTHON) is " + sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); exit 1; }
	@printf '*\n' > $(VENV)/.gitignore   # git ignores the venv, whatever its name

$(STAMP): requirements.txt pyproject.toml | $(PY)
	$(PIP) install -r requirements.txt
	$(PIP) install -e .
	touch $@

setup venv: $(STAMP)

# Only the libraries (no minloop, no stamp): .ci/run installs them for several Pythons at once,
# then `make test` adds minloop itself, one Python after the other.
deps: | $(PY)
	$(PIP) install -q -r requirements.txt

# ---------------------------------------------------------------- use
# root_dir is the repo (not notebooks/), so notebooks can reach ../images and the file browser
# shows minloop/; the start notebook is opened on top.
lab: $(STAMP)
	exec $(VENV)/bin/jupyter lab $(START_NB) --ServerApp.root_dir="$(CURDIR)" $(ROOT_FLAG) $(LAB_ARGS)

test: unit notebooks

# Browser tests (tests/test_browser_*.py, and the HTML edition's player) need Debian's chromium;
# without it they are skipped, and we say so here as well as in pytest's summary. .ci/run
# installs it.
CHROMIUM := /usr/bin/chromium

# Unit tests (everything under tests/), in the venv's Python.
unit: $(STAMP)
	@if [[ "$(BROWSER_TESTS)" == 0 ]]; then echo "make: BROWSER_TESTS=0: the browser tests are left out"; \
	elif [[ ! -x $(CHROMIUM) ]]; then echo "make: $(CHROMIUM) not found: the browser tests will be SKIPPED (apt-get install chromium to run them)"; fi
	@if [[ "$(CHECK_TESTS)" == 0 ]]; then echo "make: CHECK_TESTS=0: the tests of the exercise checks are left out"; fi
	$(PY) -m pytest $(PYTEST_MARKS)

# Only the browser tests: .ci/run runs them beside another Python's suite (make test = make test
# BROWSER_TESTS=0 + make browser).
browser: $(STAMP)
	@if [[ ! -x $(CHROMIUM) ]]; then echo "make: $(CHROMIUM) not found: the browser tests will be SKIPPED (apt-get install chromium to run them)"; fi
	$(PY) -m pytest -m browser

# Every notebook, in a fresh kernel of the venv's Python.
notebooks: $(STAMP)
	$(PY) -m pytest $(NBVAL_FLAGS) notebooks/

nb: $(STAMP)
	@if [[ -z "$(NB)" ]]; then echo "usage: make nb NB=notebooks/03_the_loop.ipynb" >&2; exit 2; fi
	@if [[ ! -f "$(NB)" ]]; then echo "make nb: no such notebook: $(NB)" >&2; exit 2; fi
	$(PY) -m pytest $(NBVAL_FLAGS) "$(NB)"

# Notebooks show minloop's own source and traces: after changing minloop/, re-run them all,
# then read `git diff notebooks/` before committing (the diff is what the learner will see change).
# Stored outputs are made on the reference Python (3.11) only: nbval compares them strictly there.
execute: $(STAMP)
	@$(PY) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "make execute: stored outputs are made on Python 3.11, the reference; $(PY) is " + sys.version.split()[0])'
	for nb in notebooks/*.ipynb; do \
	  $(VENV)/bin/jupyter nbconvert --to notebook --execute --inplace \
	    --ExecutePreprocessor.timeout=60 --ExecutePreprocessor.record_timing=False "$$nb"; \
	done
	$(PY) tools/clean_outputs.py notebooks/*.ipynb

bench: $(STAMP)
	$(PY) benchmarks/run.py

# make test runs 100 fixed examples (tests/test_fuzz.py); this runs as many as you like, and
# shrinks a divergence to a minimal program.
fuzz: $(STAMP)
	$(PY) -m tests.fuzz.run --examples $(or $(EXAMPLES),500) $(if $(SEED),--seed $(SEED)) $(if $(CLOCK),--clock $(CLOCK))

images: $(STAMP)
	$(PY) images/make_images.py

html: $(STAMP)
	$(PY) tools/make_html.py --out html

student: $(STAMP)
	$(PY) tools/make_student.py

clean:
	rm -rf .venv $(wildcard .venv-*) .pytest_cache build dist
	find . -path ./.git -prune -o \( -name __pycache__ -o -name .ipynb_checkpoints -o -name '*.egg-info' -o -name .pytest_cache \) -type d -prune -exec rm -rf {} +
