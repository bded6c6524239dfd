# Fleksi: `make demo` and `make test` work on a fresh machine with only Python 3.11+.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
PORT   ?= 8000
STAMP  := $(VENV)/.installed

.PHONY: demo test check install serve bench lint fmt rules-doc e2e clean audit

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Fleksi butuh Python 3.11 atau lebih baru")'
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(PY) pyproject.toml
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

install: $(STAMP)

demo: install
	$(VENV)/bin/fleksi demo --port $(PORT)

serve: install
	$(VENV)/bin/fleksi serve --port $(PORT)

check: install
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/mypy src
	$(VENV)/bin/lint-imports
	$(PY) manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=fleksi.config.settings_production SECRET_KEY=check-deploy-$$(date +%s)-a-long-random-secret-key-for-the-check-only \
	  ALLOWED_HOSTS=fleksi.example.go.id $(PY) manage.py check --deploy --fail-level WARNING
	$(VENV)/bin/fleksi rules-doc --check

test: install check
	$(PY) -m pytest $(PYTEST_ARGS)

# pip-audit over the pinned dependencies (docs/decisions/158); FLEKSI_AUDIT_REQUIRED=1 makes
# "could not reach the vulnerability data" a failure instead of a warning.
audit: install
	$(PY) .ci/audit_deps.py

e2e: install
	$(PY) -m pytest tests/e2e $(PYTEST_ARGS)

bench: install
	@for b in bench/bench_*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

rules-doc: install
	$(VENV)/bin/fleksi rules-doc

fmt: install
	$(VENV)/bin/ruff check --fix src tests bench
	$(VENV)/bin/ruff format src tests bench

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache
