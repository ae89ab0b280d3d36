# The two commands a newcomer runs: `make site` and `make test`. Both set up what they need.
VENV   := .venv
# Windows (Git for Windows' make): a venv keeps its programs in Scripts\ and Python is `python`.
ifeq ($(OS),Windows_NT)
BIN    := $(VENV)/Scripts
PYTHON ?= python
else
BIN    := $(VENV)/bin
PYTHON ?= python3
endif
STAMP  := $(VENV)/.installed
SITE   ?= site
# Dates MkDocs writes (the sitemap's) come from the last commit, so a rebuild is byte-identical.
export SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null)
# Material for MkDocs prints an end-of-life notice on every build unless this is set (it says so).
export NO_MKDOCS_2_WARNING ?= 1

.PHONY: install site test lint serve browser clean bench properdocs properdocs-install

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

# Browser tests drive Chromium: Debian's is installed when none is found and apt-get is there.
# Elsewhere (macOS, Windows) they find Chrome or Playwright's Chromium, or are skipped, saying how.
browser:
	@command -v chromium >/dev/null || command -v chromium-browser >/dev/null || \
		{ command -v apt-get >/dev/null && sh .ci/install-chromium; } || \
		echo "No Chromium installed: the browser tests will be skipped (python -m playwright install chromium adds one)"

test: $(STAMP) browser lint
	$(BIN)/pytest

# The scale benchmark (docs/performance.md): `make bench`, or `make bench N="1000 5000"`. Slow: the
# default sizes take about a quarter of an hour on two cores. BENCH_ARGS="--json out.json" adds options.
N ?= 1000 5000 10000
bench: $(STAMP) browser
	$(BIN)/python -m benchmarks.build --articles $(N) $(BENCH_ARGS)

# The site built with ProperDocs (a fork of MkDocs 1.x) and no MkDocs at all, in a venv of its own.
# Material and this package both require mkdocs, so they are installed without their dependencies
# and the dependencies they need are listed here (versions from constraints.txt). ProperDocs runs
# mkdocs.yml and plugins written for MkDocs: its command makes `mkdocs.*` imports load `properdocs.*`.
PD_VENV := .venv-properdocs
PD_STAMP := $(PD_VENV)/.installed
PD_SITE ?= site-properdocs
PD_DEPS := properdocs click ghp-import python-dateutil tzdata jinja2 markupsafe markdown packaging \
	pathspec platformdirs pyyaml pyyaml-env-tag watchdog mkdocs-material babel backrefs colorama \
	mkdocs-material-extensions paginate pygments pymdown-extensions requests certifi \
	charset-normalizer idna urllib3 nh3 'pagefind[extended]' pagefind-bin-extended rapidfuzz orjson

$(PD_STAMP): pyproject.toml constraints.txt Makefile
	test -x $(PD_VENV)/bin/python || $(PYTHON) -m venv $(PD_VENV)
	$(PD_VENV)/bin/python -m pip install --quiet --disable-pip-version-check --no-deps -c constraints.txt $(PD_DEPS)
	$(PD_VENV)/bin/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	$(PD_VENV)/bin/python -c 'import importlib.util as u, sys; sys.exit("mkdocs is installed" if u.find_spec("mkdocs") else 0)'
	# Nothing missing but mkdocs itself: a dependency added to either package must be listed above.
	! $(PD_VENV)/bin/python -m pip check --disable-pip-version-check | grep -v 'requires mkdocs, which is not installed'
	touch $@

properdocs-install: $(PD_STAMP)

properdocs: $(PD_STAMP)
	rm -rf $(PD_SITE)
	$(PD_VENV)/bin/properdocs build --strict --config-file mkdocs.yml --site-dir $(PD_SITE)

clean:
	rm -rf $(SITE) $(SITE).new $(SITE).old $(PD_SITE) .pytest_cache .mypy_cache .ruff_cache
