# Two commands: `make run` serves the product on http://127.0.0.1:8000, `make test` runs
# the whole suite. Both set up what they need first (virtualenv, pinned dependencies,
# front-end assets from npm, database).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
MESSAGES := src/keyprojects/locale/en/LC_MESSAGES/django.mo

.PHONY: run test setup lint format migrate demo clean chromium bench guides

setup: $(VENV)/.installed node_modules/.installed $(MESSAGES)

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The English interface: the committed catalogue compiled to the git-ignored .mo (msgfmt comes
# from Debian's gettext, installed when missing). docs/i18n.md says how to add strings.
$(MESSAGES): $(MESSAGES:.mo=.po) $(VENV)/.installed
	@command -v msgfmt >/dev/null || { apt-get update -q && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q gettext; }
	$(MANAGE) compilemessages --locale=en --ignore=.venv --ignore=node_modules
	touch $@

migrate: setup
	$(MANAGE) migrate --noinput
	$(MANAGE) load_reference

demo: migrate
	$(MANAGE) load_demo

# The task worker (summary tables and other background work) runs beside gunicorn and
# stops with it.
# The processes share their request counts for /metrics through files in var/metrics.
run: demo
	@echo "Serving on http://$(HOST):$(PORT)/  (Ctrl-C stops)"
	rm -rf var/metrics && mkdir -p var/metrics
	export PROMETHEUS_MULTIPROC_DIR=$(CURDIR)/var/metrics; \
	$(MANAGE) worker --queue-name '*' & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(VENV)/bin/gunicorn keyprojects.wsgi --pythonpath src --bind $(HOST):$(PORT) \
		--workers 2 --threads 4 --access-logfile -

# Browser journeys need Debian's Chromium, and pdftoppm (poppler-utils) to keep a picture
# of the generated PDFs; the virus-scanning tests start their own ClamAV daemon
# (clamav-daemon, tests/clamd.py). Installed when missing (the machines run as root).
chromium:
	@command -v chromium >/dev/null && command -v pdftoppm >/dev/null \
		&& test -x /usr/sbin/clamd || { \
		apt-get update -q && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium poppler-utils \
			clamav-daemon; }

test: setup chromium
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/pytest -n 2 -m "not e2e" $(PYTEST_ARGS)
	$(VENV)/bin/pytest -m e2e $(PYTEST_ARGS)

lint:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format:
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf var staticfiles test-artifacts

# Benchmarks print figures (docs/benchmarks.md keeps a run); they never fail on timing.
bench: setup
	@for script in bench/bench_*.py; do echo "== $$script"; $(PY) $$script || exit 1; done

# The user guides' screenshots (docs/screenshots/) are taken by the browser journeys; this
# runs them and copies the pictures the guides show.
guides: setup chromium
	KEYPROJECTS_UPDATE_GUIDES=1 $(VENV)/bin/pytest -m e2e $(PYTEST_ARGS)
