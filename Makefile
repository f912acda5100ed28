# One-command entry points. Each creates .venv from requirements.lock if missing.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
UV      := $(BIN)/uv
HOME_DIR ?= ./data
# Data Docs' stylesheets, scripts and fonts: npm packages pinned by package-lock.json.
ASSETS  := pipelines/audit/datadocs_assets

.PHONY: venv demo airflow test lint lock bench clean

$(BIN)/konektivitas: requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==0.13.8
	$(UV) pip install --python $(BIN)/python --quiet -r requirements.lock
	$(UV) pip install --python $(BIN)/python --quiet --no-deps -e .
	touch $(BIN)/konektivitas

$(ASSETS)/node_modules/.package-lock.json: $(ASSETS)/package.json $(ASSETS)/package-lock.json
	cd $(ASSETS) && npm ci --silent
	touch $@

venv: $(BIN)/konektivitas $(ASSETS)/node_modules/.package-lock.json

demo: venv
	$(BIN)/konektivitas demo --home $(HOME_DIR)

# Airflow's UI on the demo home (after `make demo`): URL and login printed, Ctrl-C stops it.
airflow: venv
	$(BIN)/konektivitas airflow --home $(HOME_DIR)

test: venv
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q -n auto --maxprocesses=4 --durations=12

lint: venv
	$(BIN)/ruff check .

lock: venv
	$(UV) pip compile requirements.in --python-version 3.11 --no-header -o requirements.lock

bench: venv
	$(BIN)/konektivitas bench towers --rows 1000000

clean:
	rm -rf $(VENV) $(HOME_DIR) $(ASSETS)/node_modules
