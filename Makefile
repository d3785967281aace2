# HocSo: two commands do everything.
#   make run   set up, migrate, seed the demo and serve http://127.0.0.1:8000
#   make test  set up, then run the whole suite
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PYTEST_ARGS ?=
HOST ?= 127.0.0.1:8000
# seed_demo prints, and the demo links to, the address runserver serves.
export HOST

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

# Without CELERY_BROKER_URL, the worker and beat run on an embedded broker (kombu's filesystem transport
# under var/celery), so periodic jobs run with no services; they stop with the web server.
run: seed
	@set -e; \
	if [ -n "$$CELERY_BROKER_URL" ]; then \
	  echo "Starting a Celery worker (with beat) on $$CELERY_BROKER_URL"; \
	  extra="--concurrency=2"; \
	else \
	  export CELERY_BROKER_URL=filesystem://; \
	  mkdir -p var/celery/queue var/celery/control var/celery/results; \
	  echo "Starting a Celery worker (with beat) on the embedded broker (var/celery)"; \
	  extra="--concurrency=1 --without-mingle --without-gossip"; \
	fi; \
	mkdir -p var; \
	$(BIN)/celery -A lms worker --beat --schedule=var/celerybeat-schedule --loglevel=info $$extra & \
	worker=$$!; trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
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
APPS := lms lms/accounts courses courses/h5p courses/scorm assessments assessments/quizzes assessments/sources assessments/xapi assessments/placement reports
messages: python-deps
	for app in $(APPS); do \
	  skip=""; for other in $(APPS); do case $$other in $$app/*) skip="$$skip --ignore=$${other#$$app/}/*";; esac; done; \
	  mkdir -p $$app/locale && (cd $$app && PYTHONPATH=$(CURDIR) DJANGO_SETTINGS_MODULE=lms.settings.dev \
	    $(CURDIR)/$(BIN)/django-admin makemessages -l vi --no-obsolete $$skip) && \
	  (cd $$app && $(CURDIR)/$(BIN)/django-admin compilemessages -l vi); \
	done
	# locale/ (LOCALE_PATHS): our Vietnamese for Wagtail's admin, kept by hand, compiled here.
	cd locale && PYTHONPATH=$(CURDIR) DJANGO_SETTINGS_MODULE=lms.settings.dev \
	  $(CURDIR)/$(BIN)/django-admin compilemessages -l vi

clean:
	rm -rf $(VENV) node_modules .pytest_cache .ruff_cache .test-media .test-private .test-files
