# Two commands do everything on a fresh clone: `make play` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip --disable-pip-version-check -q
# The exact versions the suite was last run against; pyproject.toml keeps the
# ranges users install with. `make lock` refreshes it, `make test-latest` tries
# the newest releases in a venv of its own so drift shows before it bites.
LOCK   := requirements.lock

.PHONY: play serve test test-latest test-yaml-compat lock lint bench fuzz validate playtest clean chromium

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Stamps make reinstalls happen only when the project's requirements change.
$(VENV)/.installed: pyproject.toml $(LOCK) | $(BIN)/python
	$(PIP) install -c $(LOCK) -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml $(LOCK) $(VENV)/.installed
	$(PIP) install -c $(LOCK) -e '.[test]'
	@touch $@

$(VENV)/.installed-web: pyproject.toml $(LOCK) $(VENV)/.installed
	$(PIP) install -c $(LOCK) -e '.[web]'
	@touch $@

# The browser test's Chromium is Debian's package (Playwright's own browser download
# is not used): installed here when it is missing and we are root, as in CI. Where it
# cannot be installed, tests/web/test_browser.py skips and prints why.
chromium:
	@if ! command -v chromium >/dev/null 2>&1 && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "make: installing Debian's chromium for the browser test"; \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } \
	    || echo "make: could not install chromium; the browser test will be skipped"; \
	fi

play: $(VENV)/.installed
	$(BIN)/metallic-rouge play $(ARGS)

# The game in a browser, at the address it prints (the web extra).
serve: $(VENV)/.installed-web
	$(BIN)/metallic-rouge serve $(ARGS)

test: $(VENV)/.installed-test chromium
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check game tests benchmarks

validate: $(VENV)/.installed
	$(BIN)/metallic-rouge validate scenes

playtest: $(VENV)/.installed
	$(BIN)/metallic-rouge playtest scenes --runs 2000 --seed 1

bench: $(VENV)/.installed-test chromium
	$(BIN)/python -m benchmarks

fuzz: $(VENV)/.installed-test
	FUZZ_FULL=1 $(BIN)/python -m pytest tests -m fuzz -p no:randomly $(PYTEST_ARGS)

# Newest releases within pyproject.toml's ranges, in .venv-latest (never the lock).
test-latest:
	rm -rf .venv-latest
	$(PYTHON) -m venv .venv-latest
	.venv-latest/bin/python -m pip --disable-pip-version-check -q install --upgrade -e '.[test]'
	.venv-latest/bin/python -m pip --disable-pip-version-check freeze --exclude-editable
	.venv-latest/bin/python -m pytest $(PYTEST_ARGS)

# The loader's nesting refusal must not depend on which libyaml is installed:
# PyYAML 6.0.4's libyaml has its own nesting limit, 6.0.3's has none.
test-yaml-compat:
	rm -rf .venv-yaml603
	$(PYTHON) -m venv .venv-yaml603
	grep -iv '^pyyaml==' $(LOCK) > .venv-yaml603/lock.txt
	.venv-yaml603/bin/python -m pip --disable-pip-version-check -q install -c .venv-yaml603/lock.txt -e '.[test]' pyyaml==6.0.3
	.venv-yaml603/bin/python -m pytest tests/fuzz/test_fuzz_yaml_limits.py -p no:randomly $(PYTEST_ARGS)

# Re-resolve every dependency (and the test extra) to its newest release and
# write the exact versions to $(LOCK). Run `make test` after it, then commit.
lock:
	rm -rf .venv-lock
	$(PYTHON) -m venv .venv-lock
	.venv-lock/bin/python -m pip --disable-pip-version-check -q install --upgrade -e '.[test]'
	{ echo "# The exact versions 'make test' installs (pip install -c $(LOCK) -e '.[test]')."; \
	  echo "# Made by 'make lock' from pyproject.toml's ranges; do not edit by hand."; \
	  .venv-lock/bin/python -m pip --disable-pip-version-check freeze --exclude-editable \
	    | grep -v '^#' | LC_ALL=C sort -f; } > $(LOCK)
	rm -rf .venv-lock

clean:
	rm -rf $(VENV) .venv-latest .venv-lock .venv-yaml603 build dist .pytest_cache .hypothesis
