# The front door. `make help` lists the targets; `make check` is exactly what CI runs (.ci/run).
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-builtin-rules --warn-undefined-variables

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# pytest workers (pytest-xdist) for `make test`, and for `make conformance` (JOBS=auto: one per core). `make test`
# runs 4 even on 2 cores: much of it waits (on simulated jobs, on the suites the planted defects run in subprocesses),
# so one worker per core left a core idle; measured on 2 cores, 13 min with 2 workers, under 9 with 4.
TEST_JOBS ?= 4
JOBS ?= 1
# `make conformance`: which API (empty: all), a live server's base URL (empty: the embedded simulators), whether a live
# run may change state (ALLOW_WRITES=1), whether a live server's contradicting an assumed fact fails the run
# (STRICT_ASSUMPTIONS=1; by default it is reported), how many generated cases per operation. `make mock`: which API,
# on which port.
API ?=
BASE_URL ?=
ALLOW_WRITES ?=
STRICT_ASSUMPTIONS ?=
MAX_EXAMPLES ?= 25
PORT ?=
REPORTS := reports
# `make diff`: the git revision the working copy's documents are compared with (empty: the merge base with origin/main
# when there is one, else HEAD); `make release`: the revision holding the previous release's document (empty: found in
# git by its fingerprint). Both take API= to name one API.
BASE ?=

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
check-generated: $(STAMP)  ## fail if generated_client/ is not what the documents generate, or a version lags its document
	$(BIN)/python -m generator --check

.PHONY: diff
diff: $(STAMP)  ## what each document's change since BASE breaks, on the wire and in code (API=...; exit 1 if anything)
	$(BIN)/python -m generator diff --base "$(BASE)" $(API)

.PHONY: release
release: $(STAMP)  ## bump a changed document's package by semver, write its changelog section, regenerate (API=...)
	$(BIN)/python -m generator release $(if $(BASE),--base $(BASE)) $(API)

.PHONY: dist
dist: $(STAMP)  ## build each generated package (API=...: one) as a wheel of its own in dist/
	$(BIN)/python -m generator dist $(API)

.PHONY: lint
lint: $(STAMP)  ## ruff on the hand-written code (generated_client/ is formatted by the generator)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

.PHONY: typecheck
typecheck: $(STAMP)  ## mypy --strict on generated_client/, generator/, mock_server/ and bench/
	$(BIN)/mypy

.PHONY: test
test: $(STAMP)  ## run every test but the conformance suite; pytest's "no tests ran" counts as a failure
	@status=0; $(BIN)/python -m pytest -n $(TEST_JOBS) -q --ignore=contract_tests/server || status=$$?; \
	if [ $$status -eq 5 ]; then echo "make test: pytest collected no tests" >&2; exit 1; fi; exit $$status

.PHONY: conformance
conformance: $(STAMP)  ## the conformance suite: embedded simulators (default), or BASE_URL=... API=... [ALLOW_WRITES=1] live
	@status=0; $(BIN)/python -m pytest contract_tests/server -q -p no:cacheprovider \
		--junitxml=$(REPORTS)/conformance.xml --report-dir=$(REPORTS) --max-examples=$(MAX_EXAMPLES) \
		$(if $(API),--api=$(API)) $(if $(BASE_URL),--base-url=$(BASE_URL)) \
		$(if $(ALLOW_WRITES),--allow-writes) $(if $(STRICT_ASSUMPTIONS),--strict-assumptions) \
		$(if $(filter-out 1,$(JOBS)),-n $(JOBS)) || status=$$?; \
	if [ $$status -eq 5 ]; then echo "make conformance: pytest collected no tests" >&2; exit 1; fi; exit $$status

.PHONY: mock
mock: $(STAMP)  ## serve one simulator in the foreground (API=slurper; PORT: its own, 8787 / 3939 / 8789); Ctrl-C stops it
	$(BIN)/python -m mock_server $(or $(API),slurper) $(if $(PORT),--port $(PORT))

.PHONY: check
check: check-generated lint typecheck test conformance  ## everything CI runs, in the order it runs it

# `make bench-servers` and `make fuzz`: the simulators under load, against Prism, and under schemathesis' negative mode.
PRISM_STAMP := bench/prism/node_modules/.installed-stamp
BENCH_SECONDS ?= 60
FUZZ_EXAMPLES ?= 500

# Prism (only `make bench-servers` needs it), exactly as bench/prism/package-lock.json pins it.
$(PRISM_STAMP): bench/prism/package-lock.json
	npm ci --prefix bench/prism --no-audit --no-fund --loglevel=error
	@touch $(PRISM_STAMP)

.PHONY: wrk
wrk:  ## make sure wrk (Debian's package) is installed; bench-servers measures throughput with it
	@command -v wrk >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq wrk; \
		else echo "make bench-servers needs wrk: sudo apt-get install wrk" >&2; exit 1; fi; }

.PHONY: bench-servers
bench-servers: $(STAMP) $(PRISM_STAMP) wrk  ## simulators: 32-client lifecycle load (BENCH_SECONDS=60 each) and wrk vs Prism
	$(BIN)/python -m bench.servers --duration $(BENCH_SECONDS)

.PHONY: bench
bench: $(STAMP) $(PRISM_STAMP) wrk  ## the clients against raw httpx in-process, regeneration, conformance, the simulators' load and Prism
	$(BIN)/python -m bench

.PHONY: fuzz
fuzz: $(STAMP)  ## schemathesis negative mode, FUZZ_EXAMPLES=500 per operation, against every simulator: no 5xx
	$(BIN)/python -m bench.fuzz --max-examples $(FUZZ_EXAMPLES)
