# Two commands do everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
# The PostgreSQL run of the suite; pytest-django creates and drops test_xmess.
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/xmess
# The PostgreSQL run also caches in Redis (the tests empty this Redis database).
REDIS_TEST_URL ?= redis://127.0.0.1:6379/3
# Settings for the production-settings checks (never used to serve anything).
DEPLOY_ENV := DEBUG=false SECRET_KEY=check-deploy-$$(date +%s%N)-0123456789abcdefghijklmnopqrstuvwxyz \
              ALLOWED_HOSTS=xarxaess.example

.PHONY: install messages run test check lint pytest pytest-postgres system-packages benchmark \
        benchmark-api loadtest clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 12))' || { \
	  echo "Python 3.12 or newer is needed ($(PYTHON) is older; pyenv reads .python-version)."; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed

# gettext compiles the translations; Debian's chromium runs the browser tests; npm fetches
# axe-core for the accessibility test; wrk loads the server in `make loadtest`.
system-packages:
	@missing=""; \
	for pair in msgfmt:gettext chromium:chromium npm:npm wrk:wrk; do \
	  command -v $${pair%%:*} >/dev/null || missing="$$missing $${pair#*:}"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  (apt-get update -qq && apt-get install -y -qq $$missing) >/dev/null \
	  || echo "Could not install$$missing: install them with your package manager."; \
	fi

# Test-only JavaScript (axe-core), pinned by package-lock.json, into the git-ignored node_modules/.
node_modules/.installed: package.json package-lock.json | system-packages
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

messages: install system-packages
	# Compiling needs no secrets; DEBUG only lets settings load without a SECRET_KEY.
	DEBUG=true $(BIN)/python manage.py compilemessages --ignore=.venv --verbosity=0

run: messages
	DEBUG=true $(BIN)/python manage.py migrate --noinput
	DEBUG=true $(BIN)/python manage.py seed
	DEBUG=true $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

check: messages
	$(DEPLOY_ENV) $(BIN)/python manage.py check --deploy --fail-level WARNING
	$(DEPLOY_ENV) $(BIN)/python manage.py makemigrations --check --dry-run

pytest: messages node_modules/.installed
	$(BIN)/pytest

# On CI the PostgreSQL run, with Redis as the cache, is mandatory; elsewhere it runs when
# both servers answer.
pytest-postgres: messages node_modules/.installed
	@if ! $(BIN)/python -c "import psycopg, sys; psycopg.connect('$(PG_TEST_URL)'.rsplit('/', 1)[0] + '/postgres', connect_timeout=3).close()" 2>/dev/null; then \
	  if [ "$$CI" = "true" ]; then echo "PostgreSQL is required on CI ($(PG_TEST_URL))."; exit 1; fi; \
	  echo "No PostgreSQL at $(PG_TEST_URL): skipped the PostgreSQL run."; \
	elif ! $(BIN)/python -c "import redis; redis.Redis.from_url('$(REDIS_TEST_URL)', socket_connect_timeout=3).ping()" 2>/dev/null; then \
	  if [ "$$CI" = "true" ]; then echo "Redis is required on CI ($(REDIS_TEST_URL))."; exit 1; fi; \
	  echo "No Redis at $(REDIS_TEST_URL): skipped the PostgreSQL and Redis run."; \
	else DATABASE_URL=$(PG_TEST_URL) REDIS_URL=$(REDIS_TEST_URL) REDIS_TEST_URL=$(REDIS_TEST_URL) $(BIN)/pytest; fi

test: lint check pytest pytest-postgres

# Prints timings, query counts and memory per page (DATABASE_URL=… for PostgreSQL).
benchmark: messages
	DEBUG=false SECRET_KEY=benchmark-only SECURE_SSL_REDIRECT=false STATIC_MANIFEST=false \
	  WHITENOISE_USE_FINDERS=true ALLOWED_HOSTS=testserver $(BIN)/python -m tests.benchmark
	DEBUG=false SECRET_KEY=benchmark-only SECURE_SSL_REDIRECT=false STATIC_MANIFEST=false \
	  WHITENOISE_USE_FINDERS=true ALLOWED_HOSTS=testserver $(BIN)/python -m tests.benchmark_maps

# The API and the downloads with 100,000 organisations (DATABASE_URL=… for PostgreSQL).
benchmark-api: messages
	DEBUG=false SECRET_KEY=benchmark-only SECURE_SSL_REDIRECT=false STATIC_MANIFEST=false \
	  WHITENOISE_USE_FINDERS=true ALLOWED_HOSTS=testserver $(BIN)/python -m tests.benchmark_api

# The production server (gunicorn, PostgreSQL, Redis) under load at SCALE organisations of
# sample data (made once, kept): per page, one client and then 64 connections with wrk.
SCALE ?= 100000
LOADTEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/xmess_bench
LOADTEST_REDIS_URL ?= redis://127.0.0.1:6379/4
# More options for tests/loadtest.py, e.g. LOADTEST_ARGS="--one-client" or "--only search".
LOADTEST_ARGS ?=
loadtest: messages system-packages
	DATABASE_URL=$(LOADTEST_DATABASE_URL) REDIS_URL=$(LOADTEST_REDIS_URL) \
	  $(BIN)/python -m tests.loadtest --scale $(SCALE) $(LOADTEST_ARGS)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache node_modules
	find . -name '*.mo' -not -path './$(VENV)/*' -delete
