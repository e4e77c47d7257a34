# CNN Lab. Two commands on a fresh Debian machine with Python 3.11:
#   make run    set everything up and start the app on http://localhost:8501
#   make test   set everything up (incl. Debian chromium for browser tests), lint, type-check, run all tests
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup run test system-deps lint benchmarks

$(STAMP): requirements.txt requirements-nodeps.txt requirements-dev.txt pyproject.toml
	PYTHON=$(PYTHON) bash scripts/install_system_deps.sh
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt -r requirements-dev.txt
	$(BIN)/pip install --quiet --no-deps -r requirements-nodeps.txt
	$(BIN)/pip install --quiet --no-deps --editable .
	touch $(STAMP)

setup: $(STAMP)

run: setup
	$(BIN)/python serve.py $(ARGS)

system-deps:
	PYTHON=$(PYTHON) bash scripts/install_system_deps.sh --browser

test: lint system-deps
	TF_CPP_MIN_LOG_LEVEL=2 $(BIN)/python -m pytest -q

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

benchmarks: setup
	for script in benchmarks/bench_*.py; do $(BIN)/python -m benchmarks.$$(basename $$script .py) || exit 1; done
