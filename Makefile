PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test test-postgres lint bench browser-deps web-deps messages clean

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# Browser tests need Debian's Chromium and axe-core; both are optional for `make run`.
browser-deps:
	@bash scripts/browser-deps.sh

# Static publishing is tested against Debian's nginx and measured with Debian's wrk;
# both are optional for `make run`, which serves every page from Django.
web-deps:
	@bash scripts/web-deps.sh

run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	@echo "Starting the background worker (search index updates) and the server..."
	$(BIN)/python manage.py task_worker --no-startup-delay -v0 & worker=$$!; \
		trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
		$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install browser-deps web-deps
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-postgres: install browser-deps web-deps
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports

bench: install web-deps
	$(BIN)/python -m tests.benchmarks.run $(BENCH_ARGS)

messages:  # after editing locale/zh_Hans/LC_MESSAGES/django.po (needs GNU gettext's msgfmt)
	for domain in django djangojs; do \
		msgfmt --check-format -o locale/zh_Hans/LC_MESSAGES/$$domain.mo locale/zh_Hans/LC_MESSAGES/$$domain.po || exit 1; \
	done

clean:
	rm -rf $(VENV) var db.sqlite3 node_modules
