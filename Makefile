# Two commands do all the set-up on a fresh machine (see README):
#   make serve   build the site and serve it at http://127.0.0.1:8000
#   make test    run every test (installs Debian's chromium first if it is missing)

VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve dev build test lint bench clean system-deps release node-check

# Python dependencies, exact versions from requirements.lock.
$(VENV)/.installed: pyproject.toml requirements.lock
	python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[test]'
	touch $@

# Node 18 or newer (Debian 12's and Ubuntu 24.04's apt installs 18): said in one line, before npm says more.
node-check:
	@command -v node >/dev/null && command -v npm >/dev/null \
	  || { echo "Node.js 18 or newer and npm are needed: apt-get install nodejs npm" >&2; exit 1; }
	@node -e 'process.exit(+process.versions.node.split(".")[0] < 18 ? 1 : 0)' \
	  || { echo "Node.js $$(node --version) is too old: the build needs 18 or newer" >&2; exit 1; }

# The pinned Pyodide runtime (npm checks the integrity hash in package-lock.json).
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

deps: $(VENV)/.installed node-check node_modules/.installed

build: deps
	$(BIN)/mkdocs build --strict

# The built site, served as a well-configured school server does (precompressed .br/.gz siblings).
serve: build
	$(BIN)/python -m generator.ship.serve site --port $(PORT)

# For authors: rebuilds and reloads the page on every save.
dev: deps
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:$(PORT)

# Tests need Debian's chromium (Playwright's own browser download does not work offline),
# LibreOffice + poppler to turn the Word files into PDF and read them back, and nginx and Apache to
# serve the release as a school would.
SYSTEM_PACKAGES := chromium libreoffice-writer-nogui poppler-utils fonts-dejavu-core nginx apache2
system-deps:
	@if ! [ -x /usr/bin/chromium ] || ! command -v soffice >/dev/null || ! command -v pdftotext >/dev/null \
	  || ! [ -x /usr/sbin/nginx ] || ! [ -x /usr/sbin/apache2 ]; then \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	  $$SUDO apt-get install -y -qq --no-install-recommends $(SYSTEM_PACKAGES) >/dev/null; fi

# Python: ruff. Browser code: TypeScript's checker over the JavaScript as it ships (JSDoc types, no bundler,
# no output), with the worker's messages declared once in site_src/js/engine/messages.js.
lint: deps
	$(BIN)/ruff check generator tests bench
	$(BIN)/ruff format --check generator tests bench
	node_modules/.bin/tsc -p tsconfig.json

# Browser tests mostly wait on Chromium, Pyodide and throttled links (a full run uses about a third of two cores
# with four), so six run side by side.
TEST_WORKERS ?= 6
test: deps system-deps lint
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist worksteal

# The zip a school's IT person hosts (dist/), with hosting notes and its SHA-256.
release: deps
	$(BIN)/python -m generator release

bench: build
	$(BIN)/python -m bench.engine_ready site
	$(BIN)/python -m bench.network site
	$(BIN)/python -m bench.lighthouse site
	$(BIN)/python -m bench.aggregate_cli
	$(BIN)/python -m bench.school site
	$(BIN)/python -m bench.pack site
	$(BIN)/python -m bench.release_size

clean:
	rm -rf site dist .pytest_cache
