# yusuan — `make run` and `make test` do all the set-up on a fresh Debian machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# the shared material: ../shared beside the checkout, or YUSUAN_SHARED / YUSUAN_CORPUS (README)
SHARED ?= $(or $(YUSUAN_SHARED),../shared)
CORPUS ?= $(or $(YUSUAN_CORPUS),$(SHARED)/corpus)
DB ?= yusuan.duckdb
HOST ?= 127.0.0.1
PORT ?= 8000

ACCEL := $(VENV)/.accel-stamp
ACCEL_SOURCES := $(wildcard src/yusuan/parse/*.py src/yusuan/model/*.py) scripts/build_accel.py

.PHONY: install run test bench lint typecheck docs clean

install: $(STAMP) $(ACCEL)

$(STAMP): pyproject.toml constraints.txt scripts/system-packages.sh
	@bash scripts/system-packages.sh
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install -q --upgrade pip >/dev/null
	$(BIN)/python -m pip install -q -c constraints.txt -e '.[all]'
	@touch $(STAMP)

# the parser's hot modules compiled with mypyc (an accelerator: the sources are used when
# this fails or when a source is newer; see docs/parsing.md "Speed")
$(ACCEL): $(STAMP) $(ACCEL_SOURCES)
	@$(BIN)/python scripts/build_accel.py
	@touch $(ACCEL)

run: install
	$(BIN)/yusuan ingest $(SHARED)/samples $(CORPUS) --db $(DB)
	$(BIN)/yusuan serve --db $(DB) --host $(HOST) --port $(PORT)

test: install
	$(BIN)/python -m pytest -q

bench: install
	$(BIN)/python benchmarks/run.py

lint: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy

docs: install
	$(BIN)/python -m yusuan.docsgen

clean:
	-$(BIN)/python scripts/build_accel.py --clean
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
