# Scrutiny: `make run` serves the seed demo, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup run test lint static migrate demo serve bench faults clean

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

static/dist/.built: node_modules/.installed scripts/build_static.sh $(wildcard static/src/*)
	bash scripts/build_static.sh
	touch $@

setup: $(VENV)/.installed static/dist/.built

migrate: setup
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo

run: demo
	@echo "Serving the demo at http://$(HOST):$(PORT)/ (Ctrl+C stops it)"
	$(PY) manage.py runserver $(HOST):$(PORT)

test: setup
	$(PY) -m pytest -n 2

# The production settings under gunicorn, for a local trial: whitenoise serves the compressed,
# fingerprinted static files with long cache headers. Any variable may be overridden.
serve: setup
	DJANGO_SETTINGS_MODULE=scrutiny.settings.prod \
	SECRET_KEY="$${SECRET_KEY:-local-trial-$$(hostname)-not-for-real-use-0123456789abcdef}" \
	ALLOWED_HOSTS="$${ALLOWED_HOSTS:-127.0.0.1,localhost}" \
	CSRF_TRUSTED_ORIGINS="$${CSRF_TRUSTED_ORIGINS:-http://127.0.0.1:$(PORT),http://localhost:$(PORT)}" \
	DATABASE_URL="$${DATABASE_URL:-sqlite:///$(CURDIR)/db.sqlite3}" \
	SECURE_SSL_REDIRECT="$${SECURE_SSL_REDIRECT:-false}" \
	SECURE_HSTS_SECONDS="$${SECURE_HSTS_SECONDS:-0}" \
	REDIS_URL="$${REDIS_URL:-redis://127.0.0.1:6379/0}" \
	TRUSTED_PROXY_COUNT="$${TRUSTED_PROXY_COUNT:-0}" \
	INSECURE_LOCAL_TRIAL=true \
	sh -c '$(PY) manage.py collectstatic --noinput -v0 && $(PY) manage.py migrate --noinput -v0 && \
	exec $(VENV)/bin/gunicorn scrutiny.wsgi:application --bind 127.0.0.1:$(PORT) --workers 2 \
	--access-logfile - --forwarded-allow-ips 127.0.0.1'

# Large generated data set; figures go to bench/results.md. Uses wrk if installed (Debian's
# `wrk`), else a bounded Python client; only ever against 127.0.0.1.
bench: setup
	$(PY) -m bench.run

# Stops and restarts this machine's PostgreSQL under load, and kills an import midway; figures
# go to bench/faults.md, and any failed check makes it exit non-zero. Needs root (pg_ctlcluster).
faults: setup
	$(PY) -m bench.faults

lint: setup
	$(VENV)/bin/ruff check .

clean:
	rm -rf $(VENV) node_modules static/dist staticfiles db.sqlite3 test.sqlite3
