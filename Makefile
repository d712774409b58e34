# Two commands do all the set-up: `make lab` opens the notebooks, `make test`
# runs every test. Both create or update the local virtual environment .venv.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: lab test bench notebooks clean

$(STAMP): requirements.txt requirements-test.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else "Python >= 3.10 is needed; found " + sys.version.split()[0])'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-test.txt
	touch $@

## Open the notebooks in JupyterLab on 127.0.0.1 (token authentication on).
lab: $(STAMP)
	$(BIN)/jupyter lab --ServerApp.ip=127.0.0.1 --notebook-dir=notebooks

## Run every test: unit tests, doctests, notebook pairs and nbval.
test: $(STAMP)
	$(BIN)/python -m pytest

## Benchmarks (figures, not pass/fail).
bench: $(STAMP)
	$(BIN)/python benchmarks/bench_cross_entropy.py

## Re-execute every notebook from its .py source and store outputs in the .ipynb.
notebooks: $(STAMP)
	$(BIN)/python tools/sync_notebooks.py notebooks/[0-9]*.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
