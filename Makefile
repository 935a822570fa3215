# 惠企政策兑现“一门式”服务 — `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP_PY := $(VENV)/.installed
STAMP_NODE := node_modules/.installed
STAMP_SYS := $(VENV)/.system-packages
STAMP_PG := $(VENV)/.postgres

.DEFAULT_GOAL := help
.PHONY: help run test test-postgres lint bench diagrams engine deploy bootstrap migrate workers webui clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP_PY): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

$(STAMP_SYS): tools/ensure-system-packages | $(STAMP_PY)
	tools/ensure-system-packages
	touch $@

$(STAMP_PG): tools/ensure-postgres | $(STAMP_PY)
	tools/ensure-postgres
	touch $@

$(STAMP_NODE): package.json package-lock.json
	PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
	touch $@

run: $(STAMP_PY) $(STAMP_SYS) ## Start engine, deployment, identity, demo data, workers and web UI (Ctrl-C stops)
	$(PY) -m devstack

test: $(STAMP_PY) $(STAMP_SYS) $(STAMP_NODE) $(STAMP_PG) ## Install what is needed, lint, run every test on the embedded databases, then on PostgreSQL
	$(VENV)/bin/ruff check .
	$(PY) -m pytest -m "not postgres"
	$(MAKE) --no-print-directory test-postgres

test-postgres: $(STAMP_PY) $(STAMP_SYS) $(STAMP_NODE) $(STAMP_PG) ## The suite with the engine and the application database on a throwaway PostgreSQL under var/
	HUIQI_TEST_DATABASE=postgresql $(PY) -m pytest

lint: $(STAMP_PY) $(STAMP_NODE) ## ruff and bpmnlint
	$(VENV)/bin/ruff check .
	npx --no-install bpmnlint bpmn/*.bpmn

diagrams: $(STAMP_NODE) ## Render every bpmn/*.bpmn to docs/diagrams/*.png (Debian's chromium + fonts-noto-cjk)
	@test -x /usr/bin/chromium || { echo "需要 Debian 的 chromium：apt-get install chromium fonts-noto-cjk"; exit 1; }
	PUPPETEER_EXECUTABLE_PATH=$(CURDIR)/tools/chromium-headless npx --no-install bpmn-to-image \
	  $(foreach f,$(wildcard bpmn/*.bpmn),$(f):docs/diagrams/$(basename $(notdir $(f))).png)

# The benchmarks' list (P3 joins it) is bench/__main__.py's BENCHMARKS; one alone: $(PY) -m bench.webui_load.
bench: $(STAMP_PY) $(STAMP_SYS) $(STAMP_PG) ## Run the quick benchmarks, minutes (make bench FULL=1: full sizes); docs/performance.md
	FULL=$(FULL) $(PY) -m bench

engine: $(STAMP_PY) ## Build the engine jar (engine/target/huiqi-engine.jar) if it is missing or stale
	$(PY) -c 'from devstack.engine import build_engine; build_engine(quiet=False)'

migrate: $(STAMP_PY) ## Migrate the application database (DATABASE_URL)
	$(PY) -m domain migrate

deploy: $(STAMP_PY) ## Deploy bpmn/ and forms/ to the engine at CAMUNDA_URL
	$(PY) -m domain deploy

bootstrap: $(STAMP_PY) ## Create groups, authorizations and Tasklist filters (add demo users: make bootstrap ARGS=--demo-users)
	$(PY) -m domain bootstrap $(ARGS)

workers: $(STAMP_PY) ## Run the external-task workers against CAMUNDA_URL
	$(PY) -m workers

webui: $(STAMP_PY) ## Run the web UI development server
	$(PY) -m webui

clean: ## Remove build outputs (keeps var/, the local data)
	rm -rf engine/target $(VENV) node_modules .pytest_cache .ruff_cache
