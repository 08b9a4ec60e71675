# Two commands do everything on a fresh clone: `make play` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip --disable-pip-version-check -q

.PHONY: play test lint bench fuzz validate playtest clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Stamps make reinstalls happen only when the project's requirements change.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(PIP) install -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(PIP) install -e '.[test]'
	@touch $@

play: $(VENV)/.installed
	$(BIN)/metallic-rouge play $(ARGS)

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check game tests benchmarks

validate: $(VENV)/.installed
	$(BIN)/metallic-rouge validate scenes

playtest: $(VENV)/.installed
	$(BIN)/metallic-rouge playtest scenes --runs 2000 --seed 1

bench: $(VENV)/.installed-test
	$(BIN)/python -m benchmarks

fuzz: $(VENV)/.installed-test
	FUZZ_FULL=1 $(BIN)/python -m pytest tests -m fuzz -p no:randomly $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) build dist .pytest_cache .hypothesis
