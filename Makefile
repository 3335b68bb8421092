# The README's two commands: `make run` and `make test`. Each sets up .venv on a fresh machine.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
# `make run` installs only what runs; `make test` adds the dev extra (pytest, ruff, playwright).
RUNTIME := $(VENV)/.installed-runtime
DEV := $(VENV)/.installed-dev

.PHONY: run test lint bench bench-questions bench-webhook clean

$(VENV)/bin/python:
	@$(PY) -c 'import sys; sys.exit(sys.version_info < (3, 10))' || \
		{ echo "duban needs Python 3.10 or newer ($(PY) is older)" >&2; exit 1; }
	$(PY) -m venv $(VENV)

$(RUNTIME): pyproject.toml constraints.txt | $(VENV)/bin/python
	$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt -e .
	touch $(RUNTIME)

$(DEV): $(RUNTIME)
	$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	touch $(DEV)

run: $(RUNTIME)
	$(BIN)/duban serve $(ARGS)

test: $(DEV)
	$(BIN)/ruff check .
	$(BIN)/pytest

bench: $(DEV)
	$(BIN)/python bench/bench_plan.py

bench-questions: $(DEV)
	$(BIN)/python bench/questions.py

bench-webhook: $(DEV)   # needs wrk (apt-get install wrk)
	$(BIN)/python bench/webhook.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
