# `make test` is the project's one test command (README, .ci/run): it installs what the tests need, checks lint,
# then runs the whole suite. See CONTRIBUTING.md for the other targets.
PYTHON ?= python3

.PHONY: test test-fast lint fmt install system-deps

system-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-core >/dev/null; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-core >/dev/null; fi; }

install:
	$(PYTHON) -m pip install -q -e '.[test]'

# ruff (lint + format check) and mypy, configured in pyproject.toml
lint:
	$(PYTHON) -m ruff check .
	$(PYTHON) -m ruff format --check .
	$(PYTHON) -m mypy

# rewrite the tree the way `make lint` wants it: import order, then formatting
fmt:
	$(PYTHON) -m ruff check --fix --select I .
	$(PYTHON) -m ruff format .

# everything that needs no browser, PostgreSQL or Redis
test-fast:
	$(PYTHON) -m pytest -m "not browser and not postgres and not redis"

test: system-deps install lint
	$(PYTHON) -m pytest
