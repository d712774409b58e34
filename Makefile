# Three commands do all the set-up: `make lab` opens the notebooks, `make present`
# serves them for a class, `make test` runs every test. Each creates or updates
# the local virtual environment .venv first.
PYTHON   ?= python3
VENV     := .venv
BIN      := $(VENV)/bin
STAMP    := $(VENV)/.installed
# Colab ships ipywidgets 7.7.1 (with ipykernel 6.17.1): `make test-widgets7` runs the
# notebooks again in a second environment that differs from .venv only in those pins.
WIDGETS7 := 7.7.1
KERNEL7  := 6.17.1
W7       := .venv-widgets7
W7BIN    := $(W7)/bin
W7STAMP  := $(W7)/.installed
# The ends of every version range pyproject.toml declares, each in an environment of its own:
# `make test-oldest` (Python 3.10, requirements-oldest.txt) and `make test-newest` (Python 3.13, the newest
# releases, requirements-newest.txt). Each interpreter is found on PATH or among pyenv's; set
# PYTHON_OLDEST / PYTHON_NEWEST to use another.
find_python = $(firstword $(wildcard /usr/bin/python$(1) /usr/local/bin/python$(1) $(HOME)/.pyenv/versions/$(1).*/bin/python$(1)))
PYTHON_OLDEST ?= $(call find_python,3.10)
PYTHON_NEWEST ?= $(call find_python,3.13)
# Everything but the browser tests (the servers and Chromium are tested in .venv).
ENDS_TESTS := --nbval-current-env -m "not browser" xentlib tests notebooks

# The kernel websocket without Nagle's algorithm: figures reach the browser ~35 ms sooner
# on half the slider steps (xentlib/serving.py).
CONNECTION := xentlib.serving.NoDelayKernelConnection
# Jupyter refuses to start as root ("Running as root is not recommended") unless told, and in a container or a
# cloud VM the learner often is root. The server listens on 127.0.0.1 only and keeps its token, so allowing root
# exposes nothing beyond this machine; as any other user the flag is left out.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)

.PHONY: lab present test test-fast test-widgets7 test-oldest test-newest links bench bench-browser notebooks clean

$(STAMP): requirements.txt requirements-test.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else "Python >= 3.10 is needed; found " + sys.version.split()[0])'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-test.txt
	touch $@

## Open the notebooks in JupyterLab on 127.0.0.1 (token authentication on).
lab: $(STAMP)
	$(BIN)/jupyter lab --notebook-dir=notebooks --ServerApp.ip=127.0.0.1 $(ALLOW_ROOT) \
	    --ServerApp.kernel_websocket_connection_class=$(CONNECTION)

## Classroom mode: Voilà on 127.0.0.1:8866 serves the notebooks with the code hidden
## (text, sliders and figures), its landing page listing them, in our template
## share/jupyter/voila/templates/classroom. Token authentication stays on: open the
## address it prints, which carries the token. A page's kernel is shut down once the page
## has been closed and the kernel idle for 10 minutes.
present: $(STAMP)
	JUPYTER_PATH=$(CURDIR)/share/jupyter $(BIN)/voila notebooks --port=8866 --token \
	    --Voila.ip=127.0.0.1 --strip_sources=True --template=classroom \
	    --VoilaConfiguration.extension_denylist=jupyterlab-jupytext \
	    --Voila.kernel_websocket_connection_class=$(CONNECTION) \
	    --MappingKernelManager.cull_interval=60 --MappingKernelManager.cull_idle_timeout=600

## Run every test: unit tests, doctests, notebook pairs, nbval, launch links, the
## browser tests in Chromium; then the notebooks again under ipywidgets 7.7, and everything
## but the browser tests at the oldest and at the newest versions the package declares.
test: $(STAMP)
	$(BIN)/python -m pytest
	$(MAKE) test-widgets7
	$(MAKE) test-oldest
	$(MAKE) test-newest

## The library's unit, property and doctests only (no lesson, notebook or browser test): well under a minute.
test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -m "not lesson and not notebook and not browser" xentlib tests

$(W7STAMP): requirements.txt requirements-test.txt pyproject.toml Makefile
	test -x $(W7BIN)/python || $(PYTHON) -m venv $(W7)
	$(W7BIN)/python -m pip install --quiet --upgrade pip
	sed -e 's/^ipywidgets==.*/ipywidgets==$(WIDGETS7)/' -e '/^-e /d' -e '/^voila==/d' requirements.txt > $(W7)/requirements.txt
	grep -v -e '^-r ' -e '^playwright==' requirements-test.txt >> $(W7)/requirements.txt
	echo 'ipykernel==$(KERNEL7)' >> $(W7)/requirements.txt
	$(W7BIN)/python -m pip install --quiet -r $(W7)/requirements.txt -e .
	touch $@

## Every notebook (nbval, in this environment's own kernel) and the widget tests under ipywidgets 7.7.
test-widgets7: $(W7STAMP)
	$(W7BIN)/python -c 'import ipywidgets, sys; v = ipywidgets.__version__; sys.exit(0 if v == "$(WIDGETS7)" else "ipywidgets " + v)'
	$(W7BIN)/python -m pytest --nbval-current-env notebooks tests/drawing tests/lessons/test_all_figures.py

.venv-oldest/.installed: requirements-oldest.txt pyproject.toml
	@test -n "$(PYTHON_OLDEST)" || { echo "make test-oldest needs Python 3.10: set PYTHON_OLDEST=/path/to/python3.10"; exit 1; }
	test -x .venv-oldest/bin/python || $(PYTHON_OLDEST) -m venv .venv-oldest
	.venv-oldest/bin/python -m pip install --quiet --upgrade pip
	.venv-oldest/bin/python -m pip install --quiet -r requirements-oldest.txt -e .
	touch $@

## Every test but the browser tests, at the oldest versions pyproject.toml allows (Python 3.10, numpy 1.26.4, ...).
test-oldest: .venv-oldest/.installed
	.venv-oldest/bin/python -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 10) else "Python " + sys.version)'
	.venv-oldest/bin/python -c 'import sys, importlib.metadata as md; \
	    pins = [line.strip().split("==") for line in open("requirements-oldest.txt") if "==" in line and line[0] != "#"]; \
	    bad = [f"{n} {md.version(n)} (pinned {v})" for n, v in pins if md.version(n) != v]; \
	    sys.exit("not the oldest versions: " + ", ".join(bad) if bad else 0)'
	.venv-oldest/bin/python -m pytest $(ENDS_TESTS)

## Every test but the browser tests, at the newest release of everything, on Python 3.13 (re-resolved on each run).
test-newest:
	@test -n "$(PYTHON_NEWEST)" || { echo "make test-newest needs Python 3.13: set PYTHON_NEWEST=/path/to/python3.13"; exit 1; }
	test -x .venv-newest/bin/python || $(PYTHON_NEWEST) -m venv .venv-newest
	.venv-newest/bin/python -m pip install --quiet --upgrade pip
	.venv-newest/bin/python -m pip install --quiet --upgrade --upgrade-strategy eager -r requirements-newest.txt -e .
	.venv-newest/bin/python -m pip list --format=freeze | grep -i -E '^(numpy|matplotlib|ipywidgets|ipykernel)=='
	.venv-newest/bin/python -m pytest $(ENDS_TESTS)

## Rewrite the README's notebook table and notebooks/00_index after adding a notebook.
links: $(STAMP)
	$(BIN)/python tools/launch_links.py

## Benchmarks (figures, not pass/fail).
bench: $(STAMP)
	$(BIN)/python benchmarks/bench_cross_entropy.py

## Key press to painted figure in Chromium, Panel against an interact-style re-plot.
bench-browser: $(STAMP)
	$(BIN)/python benchmarks/bench_browser.py

## Re-execute every notebook from its .py source and store outputs in the .ipynb.
notebooks: $(STAMP)
	$(BIN)/python tools/sync_notebooks.py notebooks/[0-9]*.py

clean:
	rm -rf $(VENV) $(W7) .venv-oldest .venv-newest .pytest_cache .hypothesis
