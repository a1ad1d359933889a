# The front door. `make help` lists the targets; `make check` is exactly what CI runs (.ci/run).
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-builtin-rules --warn-undefined-variables

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# pytest workers for `make test` (pytest-xdist): a number, or auto for one per core.
JOBS ?= auto
# Which API `make mock` serves, and on which port.
API ?= slurper
PORT ?= 8787

.PHONY: help
help:  ## list the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  \033[36m%-16s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade "pip==26.3"
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --group dev
	@touch $(STAMP)

.PHONY: install
install: $(STAMP)  ## create .venv and install every dependency group (idempotent; needs only python3)

.PHONY: generate
generate: $(STAMP)  ## validate each document in openapi/ and regenerate generated_client/
	$(BIN)/python -m generator

.PHONY: check-generated
check-generated: $(STAMP)  ## fail with a diff if generated_client/ is not what the documents generate
	$(BIN)/python -m generator --check

.PHONY: lint
lint: $(STAMP)  ## ruff on the hand-written code (generated_client/ is formatted by the generator)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

.PHONY: typecheck
typecheck: $(STAMP)  ## mypy --strict on generated_client/
	$(BIN)/mypy

.PHONY: test
test: $(STAMP)  ## run every test (spec, generator, clients); pytest's "no tests ran" counts as a failure
	@status=0; $(BIN)/python -m pytest -n $(JOBS) -q || status=$$?; \
	if [ $$status -eq 5 ]; then echo "make test: pytest collected no tests" >&2; exit 1; fi; exit $$status

.PHONY: check
check: check-generated lint typecheck test  ## everything CI runs, in the order it runs it
