# The two commands of the README: `make demo` and `make test`. Everything else is a step they take.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
BIND ?= 127.0.0.1:$(PORT)
VENDOR := bangfu/static/vendor

.PHONY: demo test setup assets lint serve clean

demo: setup
	$(BIN)/bangfu migrate --no-input -v0
	$(BIN)/bangfu load-demo --scale $${BANGFU_DEMO_SCALE:-seed} $${BANGFU_DEMO_PASSWORD:+--password "$$BANGFU_DEMO_PASSWORD"}
	@echo "Serving on http://127.0.0.1:$(PORT)/ with a background worker (Ctrl-C stops both)"
	$(BIN)/bangfu db_worker --no-startup-delay --interval 1 & $(BIN)/bangfu runserver 127.0.0.1:$(PORT) --noreload

# The production server on one machine (docs/setup.md): the production settings, with BANGFU_SECRET_KEY and the rest
# from the environment; the database brought up to date, the static files built, gunicorn and one task worker.
serve: export BANGFU_ENV = production
serve: setup
	$(BIN)/bangfu migrate --no-input -v0
	$(BIN)/bangfu collectstatic --no-input -v0
	@echo "Serving with the production settings on http://$(BIND)/ with a task worker (Ctrl-C stops both)"
	$(BIN)/bangfu db_worker --no-startup-delay & trap 'kill $$!' EXIT; \
	$(BIN)/gunicorn --config python:bangfu.gunicorn_conf --bind $(BIND)

test: setup
	$(BIN)/ruff check .
	$(BIN)/pytest $(PYTEST_ARGS)

setup: $(VENV)/.installed assets

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# Front-end assets come from the npm registry (package-lock.json) and are copied into static files; none is committed.
# Tabler's files name their source maps (sourceMappingURL): the maps come along, or the production collectstatic, which
# rewrites every reference to a hashed name, stops on the missing file.
assets: $(VENDOR)/.installed

$(VENDOR)/.installed: package-lock.json Makefile
	npm ci --no-audit --no-fund --loglevel=error
	mkdir -p $(VENDOR)/tabler $(VENDOR)/htmx $(VENDOR)/echarts
	cp node_modules/@tabler/core/dist/css/tabler.min.css node_modules/@tabler/core/dist/css/tabler.min.css.map \
	   $(VENDOR)/tabler/
	cp node_modules/@tabler/core/dist/js/tabler.min.js node_modules/@tabler/core/dist/js/tabler.min.js.map \
	   $(VENDOR)/tabler/
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/htmx/
	cp node_modules/echarts/dist/echarts.min.js $(VENDOR)/echarts/
	touch $@

lint: setup
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) node_modules $(VENDOR) var
