# `make test` is the project's one test command (README, .ci/run): it installs what the tests need, then runs them.
PYTHON ?= python3

.PHONY: test system-deps

system-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-core >/dev/null; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-core >/dev/null; fi; }

test: system-deps
	$(PYTHON) -m pip install -q -e '.[test]'
	$(PYTHON) -m pytest
