# Two commands: `make run` serves the app with demo data on SQLite; `make test` runs the suite.
VENV    := .venv
PYTHON  := $(VENV)/bin/python
FLASK   := $(VENV)/bin/flask --app engage
INSTALLED := $(VENV)/.installed-$(shell cat requirements.txt requirements-test.txt | cksum | cut -d' ' -f1)
NODE_INSTALLED := node_modules/.installed-$(shell cksum < package-lock.json | cut -d' ' -f1)

# `make worker` runs background jobs from JOB_QUEUE_URL (Redis), with RQ's cron scheduler for the
# hourly and nightly work; without Redis, jobs run in-process and cron calls `flask --app engage jobs ...`.
.PHONY: run worker test install system-libs lint audit bench clean translations catalogues

run: install system-libs
	$(FLASK) db upgrade
	$(FLASK) demo load --if-empty
	$(FLASK) run --host 127.0.0.1 --port 5000

worker: install
	$(PYTHON) -m engage.jobs.worker

test: install system-libs $(NODE_INSTALLED)
	@echo "== tests on SQLite =="
	env -u TEST_DATABASE_URL $(PYTHON) -m pytest
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		echo "== tests on $$TEST_DATABASE_URL (browser tests ran above) =="; \
		$(PYTHON) -m pytest -m "not e2e"; \
	else \
		echo "NOTICE: TEST_DATABASE_URL is not set, so the suite ran on SQLite only and the fault and two-instance tests were skipped."; \
	fi

install: $(INSTALLED) translations

# The public pages' languages: each gettext catalogue (.po, kept in git) compiled to the .mo
# Flask-Babel reads (not kept), again whenever the catalogue changes.
CATALOGUES := $(wildcard engage/translations/*/LC_MESSAGES/messages.po)
translations: $(CATALOGUES:.po=.mo)

engage/translations/%/LC_MESSAGES/messages.mo: engage/translations/%/LC_MESSAGES/messages.po | $(INSTALLED)
	$(VENV)/bin/pybabel compile -i $< -o $@

# After marking new text with _(): bring every catalogue up to date with the templates and code
# (new messages arrive untranslated, and tests/test_languages_catalogues.py fails until they
# are translated).
catalogues: install
	$(VENV)/bin/pybabel extract -F babel.cfg -k lazy_gettext -k translatable --no-location \
		--omit-header --sort-by-file -o engage/translations/messages.pot .
	$(VENV)/bin/pybabel update -i engage/translations/messages.pot -d engage/translations \
		--no-location --ignore-obsolete --width 100

# WeasyPrint (the board report's PDF) lays text out with Pango, a system library.
SYSTEM_LIBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation
system-libs:
	@if ! ldconfig -p | grep -q libpangoft2-1.0.so.0; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			echo "== installing $(SYSTEM_LIBS) for PDF reports =="; \
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_LIBS) >/dev/null \
			|| (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_LIBS) >/dev/null); \
		else \
			echo "NOTICE: install $(SYSTEM_LIBS) (Debian names) for PDF board reports."; \
		fi; \
	fi

$(PYTHON):
	python3 -m venv $(VENV)

$(INSTALLED): requirements.txt requirements-test.txt | $(PYTHON)
	$(PYTHON) -m pip install --quiet --upgrade pip
	$(PYTHON) -m pip install --quiet -r requirements.txt -r requirements-test.txt
	rm -f $(VENV)/.installed-*
	touch $@

$(NODE_INSTALLED): package.json package-lock.json
	npm ci --silent --no-audit --no-fund
	touch $@

lint: install
	$(VENV)/bin/ruff check engage tests bench
	$(VENV)/bin/ruff format --check engage tests bench
	$(VENV)/bin/mypy

# bandit (new findings only; the baselined ones are justified in audit/README.md) and pip-audit
# on the pinned requirements, which says NOT CHECKED and fails where it cannot reach its data.
audit: install
	@echo "== bandit on engage/ =="
	$(VENV)/bin/bandit -q -r engage -b audit/bandit-baseline.json
	@echo "== pip-audit on the pinned requirements =="
	$(PYTHON) audit/pip_audit_check.py

bench: install
	$(PYTHON) bench/submit.py
	$(PYTHON) bench/submit_cost.py
	$(PYTHON) bench/results.py
	$(PYTHON) bench/social_import.py
	$(PYTHON) bench/themes.py
	$(PYTHON) bench/dashboard.py
	$(PYTHON) bench/coding.py
	$(PYTHON) bench/coding.py --postgresql

clean:
	rm -rf $(VENV) node_modules .pytest_cache
