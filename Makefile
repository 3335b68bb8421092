# The README's two commands: `make run` and `make test`. Each sets up .venv on a fresh machine.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench bench-questions bench-webhook clean

$(STAMP): pyproject.toml constraints.txt
	@$(PY) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "duban needs Python 3.11 or newer ($(PY) is older)" >&2; exit 1; }
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/duban serve $(ARGS)

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/pytest

bench: $(STAMP)
	$(BIN)/python bench/bench_plan.py

bench-questions: $(STAMP)
	$(BIN)/python bench/questions.py

bench-webhook: $(STAMP)   # needs wrk (apt-get install wrk)
	$(BIN)/python bench/webhook.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
