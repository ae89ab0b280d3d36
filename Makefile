# The two commands a newcomer runs: `make site` and `make test`. Both set up what they need.
VENV   := .venv
BIN    := $(VENV)/bin
PYTHON ?= python3
STAMP  := $(VENV)/.installed
SITE   ?= site
# Dates MkDocs writes (the sitemap's) come from the last commit, so a rebuild is byte-identical.
export SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null)

.PHONY: install site test lint serve browser clean bench

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[test]'
	touch $@

install: $(STAMP)

# Build into a scratch folder and swap it in only when the build succeeds, so a failed build
# leaves the previous site in place.
site: $(STAMP)
	$(BIN)/archive validate
	rm -rf $(SITE).new
	$(BIN)/mkdocs build --strict --site-dir $(SITE).new
	rm -rf $(SITE).old
	if [ -d $(SITE) ]; then mv $(SITE) $(SITE).old; fi
	mv $(SITE).new $(SITE)
	rm -rf $(SITE).old

# --dirty: a rebuild writes only the pages whose content changed (the archive plugin says which).
serve: $(STAMP)
	$(BIN)/mkdocs serve --dirty --dev-addr 127.0.0.1:8000

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# Browser tests drive Debian's Chromium; install it when it is missing.
browser:
	@command -v chromium >/dev/null || sh .ci/install-chromium

test: $(STAMP) browser lint
	$(BIN)/pytest

# The scale benchmark (docs/performance.md): `make bench`, or `make bench N="1000 5000"`. Slow: the
# default sizes take about a quarter of an hour on two cores. BENCH_ARGS="--json out.json" adds options.
N ?= 1000 5000 10000
bench: $(STAMP) browser
	$(BIN)/python -m benchmarks.build --articles $(N) $(BENCH_ARGS)

clean:
	rm -rf $(SITE) $(SITE).new $(SITE).old .pytest_cache .mypy_cache .ruff_cache
