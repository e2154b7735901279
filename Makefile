# tintuc: `make demo` and `make test` set up everything they need on a fresh machine.
PY ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DB ?= archive.db
DEMO_PORT ?= 8765
SHARED ?= ../shared

.PHONY: demo test test-fast test-e2e lint eval suites serve bench clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)  ## crawl the bundled sample portal into ./archive.db
	$(BIN)/tintuc demo --db $(DB) --port $(DEMO_PORT)

# the browser test drives Debian's chromium + chromedriver (nothing downloads a browser)
CHROMIUM := /usr/bin/chromium
$(CHROMIUM):
	@echo "installing Debian's chromium and chromium-driver for the browser test"
	$(if $(filter 0,$(shell id -u)),,sudo) apt-get update -qq
	$(if $(filter 0,$(shell id -u)),,sudo) apt-get install -y -qq chromium chromium-driver >/dev/null

# the distributed tests start Debian's redis-server on a free port (tests/conftest.py: redis_url)
REDIS := /usr/bin/redis-server
$(REDIS):
	@echo "installing Debian's redis-server for the distributed tests"
	$(if $(filter 0,$(shell id -u)),,sudo) apt-get update -qq
	$(if $(filter 0,$(shell id -u)),,sudo) apt-get install -y -qq redis-server >/dev/null

lint: $(STAMP)  ## ruff, and the walls between the parts (import-linter contracts in pyproject.toml)
	$(BIN)/ruff check .
	$(BIN)/lint-imports

# Two tiers, split by the `e2e` marker: real crawls, kills, servers in subprocesses, the browser.
# Tests of the real pages in $(SHARED) skip without it (TINTUC_REQUIRE_FIXTURES=1 makes them fail).
test: lint $(CHROMIUM) $(REDIS)  ## lint and run the whole offline test suite (both tiers)
	$(BIN)/python -m pytest -q

test-fast: lint  ## lint and run the unit tier only: about a minute
	$(BIN)/python -m pytest -q -m "not e2e" --hypothesis-profile=fast

test-e2e: $(STAMP) $(CHROMIUM) $(REDIS)  ## the end-to-end tier only
	$(BIN)/python -m pytest -q -m e2e

# Page folders (<key>.html[.gz] + <key>.json) and benchmark folders (ground-truth.json + html/):
# every benchmark in $(SHARED)/benchmarks is scored; override either to try another set.
# the shared fixtures first (their totals are the floor's "pages.*"), then every page folder in
# $(SHARED)/pages/ (pages.<folder>.*); each only where it exists
EVAL_DIRS ?= $(wildcard $(SHARED)/fixtures/vn) $(wildcard tests/pages/vn) $(wildcard $(SHARED)/pages/*/)
# Public suites that a package on the package index ships (bench/public_suites.py: pinned by
# version and sha256, with provenance), made in $(SUITES), which git ignores, before they are
# scored; EVAL_SUITES= scores without them.
SUITES ?= .cache/suites
EVAL_SUITES ?= newspaper4k
EVAL_BENCHMARKS ?= $(patsubst %/ground-truth.json,%,$(wildcard $(SHARED)/benchmarks/*/ground-truth.json)) \
	$(addprefix $(SUITES)/,$(EVAL_SUITES))

suites: $(STAMP)  ## the public evaluation suites, from the package index, into $(SUITES)
	$(if $(strip $(EVAL_SUITES)),$(BIN)/python bench/public_suites.py --out $(SUITES) $(EVAL_SUITES),@true)

eval: $(STAMP) suites  ## score extraction per page, tintuc next to plain trafilatura (docs/benchmarks.md)
	$(if $(strip $(EVAL_DIRS) $(EVAL_BENCHMARKS)),$(BIN)/python -m pipelines.extractor.evaluate \
		$(EVAL_DIRS) $(addprefix --benchmark ,$(EVAL_BENCHMARKS)) --floor eval-floor.json,\
		@echo "make eval: no page folder or benchmark in $(SHARED): nothing to score")

bench: $(STAMP)  ## benchmarks: figures printed, nothing asserted; run on an idle machine
	$(BIN)/python bench/crawl_bench.py --pages 2000
	$(BIN)/python bench/crawl_bench.py --source real --shared $(SHARED) --pages 3000 \
		--pager numbered next --only-pool --baseline-pages 300
	$(BIN)/python bench/search_bench.py --articles 200000

serve: $(STAMP)
	$(BIN)/tintuc serve --db $(DB)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache *.egg-info
