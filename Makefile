# Two commands: `make run` serves the app with demo data on SQLite; `make test` runs the suite.
VENV    := .venv
PYTHON  := $(VENV)/bin/python
FLASK   := $(VENV)/bin/flask --app engage
INSTALLED := $(VENV)/.installed-$(shell cat requirements.txt requirements-test.txt | cksum | cut -d' ' -f1)
NODE_INSTALLED := node_modules/.installed-$(shell cksum < package-lock.json | cut -d' ' -f1)

.PHONY: run test install lint bench clean

run: install
	$(FLASK) db upgrade
	$(FLASK) demo load --if-empty
	$(FLASK) run --host 127.0.0.1 --port 5000

test: install $(NODE_INSTALLED)
	@echo "== tests on SQLite =="
	env -u TEST_DATABASE_URL $(PYTHON) -m pytest
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		echo "== tests on $$TEST_DATABASE_URL (browser tests ran above) =="; \
		$(PYTHON) -m pytest -m "not e2e"; \
	else \
		echo "NOTICE: TEST_DATABASE_URL is not set, so the suite ran on SQLite only."; \
	fi

install: $(INSTALLED)

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

bench: install
	$(PYTHON) bench/submit.py
	$(PYTHON) bench/submit_cost.py
	$(PYTHON) bench/results.py
	$(PYTHON) bench/social_import.py
	$(PYTHON) bench/dashboard.py

clean:
	rm -rf $(VENV) node_modules .pytest_cache
