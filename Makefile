# Two commands do everything on a fresh Debian/Ubuntu machine:
#   make run    set up, then open the window on the bundled declaration
#   make test   set up, then run the tests headless
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: run test setup benchmark screenshot install-desktop wheel-check clean

$(STAMP): pyproject.toml scripts/system-deps.sh
	bash scripts/system-deps.sh
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	$(BIN)/python -m compileall -q mapviewer  # bytecode, as an installed wheel has: ~40 ms less at each start
	touch $(STAMP)

setup: $(STAMP)

run: $(STAMP)
	$(BIN)/mapviewer $(ARGS)

test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest $(PYTEST_ARGS)

benchmark: $(STAMP)
	$(BIN)/python benchmarks/run.py

screenshot: $(STAMP)
	$(BIN)/python scripts/screenshot.py resources/screenshot.png

install-desktop: $(STAMP)
	bash scripts/install-desktop.sh

wheel-check: $(STAMP)
	bash scripts/check-wheel.sh

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
