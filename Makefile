# Two commands: `make run` sets everything up and serves; `make test` sets up and runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app screening

.PHONY: run serve test bench browser-deps lint format clean messages-extract messages-update messages-compile

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.deps: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -e .
	touch $@

$(VENV)/.dev-deps: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@ $(VENV)/.deps

# The worker (email, alert escalation) runs beside the web app and stops with it.
run: $(VENV)/.deps messages-compile
	$(FLASK) db upgrade
	$(FLASK) ensure-demo-admin
	@echo
	@echo "  Screening questionnaire: http://127.0.0.1:5000"
	@echo "  Clinician sign-in:       http://127.0.0.1:5000/clinician/sign-in"
	@echo "  Demo queue:              $(FLASK) seed-demo   (in another terminal)"
	@echo "  Email: the worker below prints each one here and keeps it in instance/mail/"
	@echo
	$(FLASK) worker --workers 1 & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(FLASK) run --host 127.0.0.1 --port 5000

# Production: migrations, then gunicorn (settings in gunicorn.conf.py; see README "Production").
# SCREENING_ENV defaults to production here, as in gunicorn.conf.py.
serve: export SCREENING_ENV ?= production
serve: $(VENV)/.deps messages-compile
	$(FLASK) db upgrade
	$(BIN)/gunicorn -c gunicorn.conf.py run:app

test: $(VENV)/.dev-deps browser-deps messages-compile
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/bandit --quiet --recursive screening --severity-level medium
	$(BIN)/python -m pytest -n auto

# Translations (Flask-Babel): the .po files are committed, the .mo files are built here.
# After changing patient-facing words: make messages-update, translate in the .po, commit.
TRANSLATIONS := screening/translations
POT := $(TRANSLATIONS)/messages.pot
PO_FILES := $(wildcard $(TRANSLATIONS)/*/LC_MESSAGES/messages.po)
MO_FILES := $(PO_FILES:.po=.mo)

messages-extract: $(VENV)/.deps
	$(BIN)/pybabel -q extract -F babel.cfg -k N_ --ignore-dirs='.* node_modules' --no-location --sort-output \
	  --omit-header -o $(POT) .

messages-update: messages-extract
	$(BIN)/pybabel -q update -i $(POT) -d $(TRANSLATIONS) --no-wrap --ignore-obsolete \
	  --no-fuzzy-matching

messages-compile: $(MO_FILES)

$(TRANSLATIONS)/%/LC_MESSAGES/messages.mo: $(TRANSLATIONS)/%/LC_MESSAGES/messages.po | $(VENV)/.deps
	$(BIN)/pybabel compile --statistics -i $< -o $@

# Speed and memory, measured and printed (never asserted by tests); see bench/README.md.
bench: $(VENV)/.dev-deps
	$(BIN)/python -m bench

# Browser tests (tests/browser): Debian's Chromium and a Java runtime (for the Nu Html Checker),
# installed when they are missing and we are root or may sudo; axe-core, vnu-jar and lforms from
# the npm registry, pinned by package-lock.json. Playwright never downloads a browser. Without
# them the browser tests are skipped; REQUIRE_BROWSER=1 fails.
BROWSER_TESTS := tests/browser
AXE := $(BROWSER_TESTS)/node_modules/axe-core/axe.min.js
SUDO = $(if $(filter 0,$(shell id -u)),,$(if $(shell sudo -n true 2>/dev/null && echo yes),sudo,none))
APT_GET = DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get

browser-deps: $(AXE)
	@command -v chromium >/dev/null 2>&1 || [ ! -x /usr/bin/apt-get ] || [ "$(SUDO)" = none ] \
	  || { $(APT_GET) update -qq && $(APT_GET) install -y -qq chromium libpangoft2-1.0-0; } \
	  || [ -z "$$REQUIRE_BROWSER" ]
	@command -v chromium >/dev/null 2>&1 || echo "Chromium is missing: the browser tests will be skipped"
	@command -v java >/dev/null 2>&1 || [ ! -x /usr/bin/apt-get ] || [ "$(SUDO)" = none ] \
	  || { $(APT_GET) update -qq && $(APT_GET) install -y -qq default-jre-headless; } \
	  || [ -z "$$REQUIRE_BROWSER" ]

$(AXE): $(BROWSER_TESTS)/package.json $(BROWSER_TESTS)/package-lock.json
	@command -v npm >/dev/null 2>&1 || [ ! -x /usr/bin/apt-get ] || [ "$(SUDO)" = none ] \
	  || { $(APT_GET) update -qq && $(APT_GET) install -y -qq nodejs npm; } \
	  || [ -z "$$REQUIRE_BROWSER" ]
	@if command -v npm >/dev/null 2>&1; then \
	  (cd $(BROWSER_TESTS) && npm ci --no-audit --no-fund --loglevel=error) || [ -z "$$REQUIRE_BROWSER" ]; \
	else echo "npm is missing: the browser tests will be skipped"; [ -z "$$REQUIRE_BROWSER" ]; fi
	@[ ! -f $@ ] || touch $@

lint: $(VENV)/.dev-deps
	$(BIN)/ruff check .

format: $(VENV)/.dev-deps
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) instance .pytest_cache .ruff_cache
