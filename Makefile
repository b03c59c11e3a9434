# QAF. Two commands set everything up on a fresh Debian machine and are quick the second time:
#   make run    serve the app on http://127.0.0.1:$(PORT) (8000), with demo data on the first run
#   make test   run the whole test suite against PostgreSQL and Redis
# The work is done by scripts/; each step is skipped when its inputs have not changed (.setup-stamps/).

SHELL := /bin/bash
.DEFAULT_GOAL := help

# Extra pytest arguments for `make test`, e.g. make test PYTEST_ARGS="qaf/tests/test_health.py -x"
PYTEST_ARGS ?=

.PHONY: help setup run test bench lint assets clean

help: ## List the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{ printf "  make %-8s %s\n", $$1, $$2 }'

setup: ## Install whatever is missing: system packages, .venv, node_modules, built assets
	@bash scripts/setup.sh

run: ## Set up, migrate, load the demo data once, serve on http://127.0.0.1:$PORT (default 8000)
	@bash scripts/run.sh

test: ## Set up, start PostgreSQL and Redis if they are down, run the whole test suite
	@bash scripts/test.sh $(PYTEST_ARGS)

bench: ## Performance figures against PostgreSQL (database qaf_bench)
	@bash scripts/bench.sh

lint: ## ruff check, and .env.example lists every setting
	@bash scripts/lint.sh

assets: ## Rebuild the front-end assets now (make run and make test do it when the sources change)
	@rm -f .setup-stamps/assets && bash scripts/setup.sh

clean: ## Remove built assets and set-up stamps (keeps .venv, node_modules and var/, the embedded database)
	rm -rf build .setup-stamps
