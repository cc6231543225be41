# Biliktilik: `make run` for the demo, `make test` for the whole suite (SQLite, then PostgreSQL).
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
# Always `python3 -m uv`: a bare `uv` may be a pyenv shim for another Python version.
UV := $(PYTHON) -m uv
RUN := $(UV) run --no-python-downloads --frozen
MANAGE := $(RUN) python manage.py
# Debian packages the project needs: fast font subsetting for PDFs, Chromium for the
# browser tests, PostgreSQL 15 for the second test pass, gettext for translations.
DEBIAN_PACKAGES := libharfbuzz-subset0 chromium chromium-driver postgresql-15 gettext poppler-utils zbar-tools

.PHONY: help setup system-packages python-env messages run serve-prod test lint pytest pytest-sqlite pytest-postgres bench clean
.PHONY: backup restore loadtest

help:
	@echo "make run    install everything, create a demo database and serve http://127.0.0.1:8000"
	@echo "make serve-prod  the production stack here: PostgreSQL, gunicorn, db_worker (PORT=8000)"
	@echo "make test   lint + the whole test suite on SQLite, then on a throwaway PostgreSQL 15"
	@echo "make bench  benchmarks (see docs/performance.md)"

system-packages:
	@missing=""; for p in $(DEBIAN_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if command -v apt-get >/dev/null && [ "$$(id -u)" = "0" ]; then \
	    echo "Installing Debian packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	  else \
	    echo "Missing system packages:$$missing (see README: System packages)"; \
	  fi; \
	fi

python-env:
	@$(PYTHON) -m uv --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet uv
	@$(UV) sync --no-python-downloads --frozen --quiet

messages: python-env
	@$(MANAGE) compilemessages --ignore=.venv --verbosity 0

setup: system-packages python-env messages

run: setup
	$(MANAGE) migrate --noinput
	$(MANAGE) seed_demo
	@echo "Serving on http://127.0.0.1:8000 — the demo logins are listed above."
	$(MANAGE) runserver 127.0.0.1:8000

# Production settings on this machine: a throwaway PostgreSQL (or DATABASE_URL), migrate,
# collectstatic, seed_demo, gunicorn on 127.0.0.1:$(PORT) and db_worker; Ctrl-C stops it all.
serve-prod: setup
	scripts/serve-prod.sh

lint: python-env
	$(RUN) ruff check .
	$(RUN) ruff format --check .
	$(RUN) lint-imports
	DATABASE_URL=sqlite:///:memory: $(MANAGE) makemigrations --check --dry-run

pytest-sqlite:
	DATABASE_URL=sqlite:///:memory: $(RUN) pytest -q $(PYTEST_ARGS)

pytest-postgres:
	scripts/with-postgres.sh $(RUN) pytest -q $(PYTEST_ARGS)

test: setup lint pytest-sqlite pytest-postgres

bench: setup
	scripts/with-postgres.sh $(RUN) python benchmarks/run_all.py

# The bounded locust load test alone (also the last step of `make bench`).
loadtest: setup
	scripts/with-postgres.sh $(RUN) python benchmarks/load_test.py

# Backups (docs/deployment.md, "Backups"): DATABASE_URL (PostgreSQL), MEDIA_ROOT, BACKUP_DIR.
backup:
	scripts/backup.sh

restore:
	@test -n "$(BACKUP)" || { echo "make restore BACKUP=backups/<timestamp>"; exit 2; }
	scripts/restore.sh "$(BACKUP)"

clean:
	rm -rf .venv db.sqlite3 staticfiles media
