# The front door. `make demo` and `make test` do all set-up on a fresh Debian
# machine with Python 3.11; everything installs into .venv.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) server/manage.py
STAMP := $(VENV)/.installed

.PHONY: setup demo test lint format forms bench lock up clean

$(STAMP): pyproject.toml constraints.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check --upgrade pip
	$(PY) -m pip install -q --disable-pip-version-check -c constraints.txt -e '.[dev]'
	@touch $(STAMP)

setup: $(STAMP)

demo: setup
	$(MANAGE) migrate --noinput
	$(MANAGE) publish_form forms/
	$(MANAGE) load_demo
	$(PY) server/run_demo.py

# Two pytest-xdist workers (the machines have two cores); TEST_WORKERS=0 runs in one process.
TEST_WORKERS ?= 2

test: setup
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadgroup --durations=15 $(PYTEST_ARGS)

lint: setup
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .

format: setup
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

forms: setup
	$(PY) -m forms.build

bench: setup
	$(PY) benchmarks/run.py

# Re-pin the whole dependency tree after changing pyproject.toml.
lock: setup
	$(PY) -m pip freeze --exclude-editable --disable-pip-version-check > constraints.txt

up:
	docker compose up -d --build

clean:
	rm -rf $(VENV) var forms/build test-artifacts
