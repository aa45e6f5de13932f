# Two commands: `make run` sets everything up and serves; `make test` sets up and runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app screening

.PHONY: run test lint format clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.deps: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -e .
	touch $@

$(VENV)/.dev-deps: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@ $(VENV)/.deps

run: $(VENV)/.deps
	$(FLASK) db upgrade
	$(FLASK) ensure-demo-admin
	@echo
	@echo "  Screening questionnaire: http://127.0.0.1:5000"
	@echo "  Clinician sign-in:       http://127.0.0.1:5000/clinician/sign-in"
	@echo "  Demo queue:              $(FLASK) seed-demo   (in another terminal)"
	@echo
	$(FLASK) run --host 127.0.0.1 --port 5000

test: $(VENV)/.dev-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest

lint: $(VENV)/.dev-deps
	$(BIN)/ruff check .

format: $(VENV)/.dev-deps
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) instance .pytest_cache .ruff_cache
