# One-command entry points. Each creates .venv from requirements.lock if missing.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
UV      := $(BIN)/uv
HOME_DIR ?= ./data

.PHONY: venv demo test lint lock bench clean

$(BIN)/konektivitas: requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==0.13.8
	$(UV) pip install --python $(BIN)/python --quiet -r requirements.lock
	$(UV) pip install --python $(BIN)/python --quiet --no-deps -e .
	touch $(BIN)/konektivitas

venv: $(BIN)/konektivitas

demo: venv
	$(BIN)/konektivitas demo --home $(HOME_DIR)

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
	rm -rf $(VENV) $(HOME_DIR)
