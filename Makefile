# HocSo: two commands do everything.
#   make run   set up, migrate, seed the demo and serve http://127.0.0.1:8000
#   make test  set up, then run the whole suite
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PYTEST_ARGS ?=
HOST ?= 127.0.0.1:8000

.PHONY: run test setup python-deps node-deps migrate seed lint fmt messages bench clean

setup: python-deps node-deps

python-deps: $(VENV)/.installed
node-deps: node_modules/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "HocSo needs Python 3.11 or newer")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

migrate: setup
	$(BIN)/python manage.py migrate --noinput

seed: migrate
	$(BIN)/python manage.py seed_demo

run: seed
	@set -e; \
	if [ -n "$$CELERY_BROKER_URL" ]; then \
	  echo "Starting a Celery worker (with beat) on $$CELERY_BROKER_URL"; \
	  $(BIN)/celery -A lms worker --beat --loglevel=info --concurrency=2 & \
	  worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	fi; \
	$(BIN)/python manage.py runserver $(HOST)

test: setup
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: python-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

fmt: python-deps
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Each app keeps its own catalogue in <app>/locale/vi/LC_MESSAGES/django.po; a parent app's catalogue
# leaves out its nested sub-apps (those listed below it), which have their own.
APPS := lms lms/accounts courses courses/h5p assessments assessments/quizzes assessments/xapi assessments/placement reports
messages: python-deps
	for app in $(APPS); do \
	  skip=""; for other in $(APPS); do case $$other in $$app/*) skip="$$skip --ignore=$${other#$$app/}/*";; esac; done; \
	  mkdir -p $$app/locale && (cd $$app && PYTHONPATH=$(CURDIR) DJANGO_SETTINGS_MODULE=lms.settings.dev \
	    $(CURDIR)/$(BIN)/django-admin makemessages -l vi --no-obsolete $$skip) && \
	  (cd $$app && $(CURDIR)/$(BIN)/django-admin compilemessages -l vi); \
	done

clean:
	rm -rf $(VENV) node_modules .pytest_cache .ruff_cache .test-media
