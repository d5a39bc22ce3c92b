# The few commands people type. `make site` and `make test` work on a fresh machine:
# they install the Debian packages and the pinned Python packages they need first.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PINS := $(shell cat pyproject.toml | cksum | cut -d' ' -f1)
# What building needs; the test tools come on top, with `make test`.
STAMP := $(VENV)/.installed-site-$(PINS)
TEST_STAMP := $(VENV)/.installed-test-$(PINS)
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# Fonts for every script the briefings use, Pango for WeasyPrint (PDF export), and
# Graphviz (`dot`) for the relationship graphs drawn at build time.
SITE_DEBS := fonts-dejavu-core fonts-noto-core fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 graphviz
# The tests also drive a real browser, serve with nginx, read PDFs as images and run the
# Nu HTML Checker (Java).
TEST_DEBS := $(SITE_DEBS) chromium nginx poppler-utils openjdk-17-jre-headless

.PHONY: site test serve validate lint golden schema fuzz bench clean system-site system-test

# `make site ENGINE=properdocs` (or zensical) builds with another site engine, an optional
# extra installed on first use (docs/engines.md); the default is mkdocs.
ENGINE ?= mkdocs
ENGINE_INSTALL = $(if $(filter-out mkdocs,$(ENGINE)),$(PY) -c 'import $(ENGINE)' 2>/dev/null || $(PY) -m pip install --quiet -e '.[$(ENGINE)]')

# `make site PUBLIC=1` builds for the open web: only final, public briefings.
site: system-site $(STAMP)
	$(ENGINE_INSTALL)
	$(PY) build_brief.py build --engine $(ENGINE) $(if $(PUBLIC),--public)

# The browser tests' own checkers from npm (axe-core, vnu-jar, Lighthouse), pinned in tests/js/package-lock.json.
JS_STAMP := tests/js/node_modules/.installed

# Both cores: the browser and engine tests wait on other processes much of the time.
test: system-test $(TEST_STAMP) $(JS_STAMP)
	$(PY) -m pytest -n 2 --durations=15

serve: system-site $(STAMP)
	$(ENGINE_INSTALL)
	$(PY) build_brief.py serve --engine $(ENGINE)

validate: $(STAMP)
	$(PY) build_brief.py validate

lint: $(TEST_STAMP)
	$(PY) -m ruff check briefsite tests build_brief.py
	$(PY) -m mypy

# Regenerate the golden files of rendered Markdown on purpose; review the diff like code.
golden: $(TEST_STAMP)
	$(PY) -m pytest tests/test_render.py tests/test_maps.py -k "golden or reviewed" --update-golden

# Long property-based run: thousands of random damages to the example data (the default
# `make test` runs a small fixed set). Each must validate or give our own messages. Then long
# random sequences of edits, versions and builds, each build compared with one from scratch.
fuzz: $(TEST_STAMP)
	HYPOTHESIS_PROFILE=long $(PY) -m pytest tests/test_fuzz.py tests/test_rebuild_sequence.py

# Regenerate the JSON Schemas in schema/ from the typed records (a test fails when they are stale).
schema: $(STAMP)
	$(PY) build_brief.py schema

# How the build scales: 10 to 5,000 synthetic briefings, every target met or not (about an
# hour on two cores; docs/performance.md). Options go in BENCH_ARGS, e.g. BENCH_ARGS="--sizes 100,1000".
bench: system-test $(TEST_STAMP)
	$(PY) -m bench.run $(BENCH_ARGS)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	rm -f $(VENV)/.installed-*
	touch $@

$(TEST_STAMP): $(STAMP)
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

$(JS_STAMP): tests/js/package-lock.json
	cd tests/js && npm ci --no-audit --no-fund --loglevel=error
	touch $@

system-site:
	@$(MAKE) --no-print-directory apt PACKAGES="$(SITE_DEBS)"

system-test:
	@$(MAKE) --no-print-directory apt PACKAGES="$(TEST_DEBS)"

apt:
	@missing=$$(for p in $(PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:" $$missing; \
		$(SUDO) apt-get update -q && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q --no-install-recommends $$missing; \
	fi

clean:
	rm -rf build site
