# Convene: `make run` starts the product with both networks loaded; `make test` runs the whole suite.
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/convene

PG_SERVER ?= postgres://postgres@127.0.0.1:5432

.PHONY: help install run serve bench test test-sqlite test-postgres lint fmt check browser gettext haproxy clean messages catalogues

help:  ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-14s %s\n", $$1, $$2}'

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q --disable-pip-version-check uv==0.13.9
	$(VENV)/bin/uv pip install -q --python $(PY) -r requirements.txt -r requirements-dev.txt
	mkdir -p var
	touch $@

install: $(VENV)/.installed catalogues  ## Create the virtual environment with the pinned dependencies

# The compiled catalogues (.mo) are built here from the .po files in locale/, never committed:
# Convene's strings (django.po) and, where Django lacks some, the admin's JavaScript ones (djangojs.po).
MO := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/django.po locale/*/LC_MESSAGES/djangojs.po))
$(MO): %.mo: %.po $(VENV)/.installed
	$(PY) -m convene.core.catalogues compile $<

catalogues: $(MO)

messages: install gettext  ## Extract new strings into every language's catalogue (then translate them all)
	$(PY) manage.py messages
	$(PY) -m convene.core.catalogues prefill
	$(PY) -m convene.core.catalogues javascript

# This machine's own secret key, made once and kept in var/ (unless DJANGO_SECRET_KEY is set).
LOCAL_KEY = DJANGO_SECRET_KEY="$${DJANGO_SECRET_KEY:-$$(cat var/secret_key)}"

run: install  ## Set up SQLite, load both networks and demo people, start web server and worker
	mkdir -p var
	test -s var/secret_key || (umask 077 && $(PY) -c "import secrets; print(secrets.token_urlsafe(50))" > var/secret_key)
	$(LOCAL_KEY) $(PY) manage.py migrate --noinput -v0
	$(LOCAL_KEY) $(PY) manage.py collectstatic --noinput -v0
	$(LOCAL_KEY) $(PY) manage.py setup_demo
	$(LOCAL_KEY) HOST=$(HOST) PORT=$(PORT) PY=$(PY) ./scripts/serve

browser:  ## Install Debian's Chromium for the browser tests (root, once per machine)
	./scripts/ensure-chromium

test: install browser gettext haproxy  ## Run the whole suite on SQLite, then on PostgreSQL
	$(MAKE) test-sqlite test-postgres

haproxy:  ## Install Debian's haproxy for the multi-server test (root, once per machine)
	./scripts/ensure-haproxy

gettext:  ## Install GNU gettext for the catalogue check and `make messages` (root, once per machine)
	./scripts/ensure-gettext

test-sqlite: install
	$(PY) -m pytest -n 2 -q

test-postgres: install
	DATABASE_URL=$(PG_URL) $(PY) -m pytest -n 2 -q

bench: install  ## Benchmark at the scale of every network, on SQLite and PostgreSQL (JSON in var/bench/)
	$(PY) -m bench --db sqlite $(BENCH_ARGS)
	$(PY) -m bench --db postgres --pg-url $(PG_SERVER) $(BENCH_ARGS)

lint: install  ## ruff, migrations check
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	$(PY) manage.py makemigrations --check --dry-run -v0

fmt: install  ## Format and fix what ruff can
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:  ## Remove the database, collected static files and outbox (keeps the venv)
	rm -rf var
