# Two commands on a fresh clone:
#   make run    set up .venv, build or update the index, then serve on http://127.0.0.1:8000
#   make test   set up .venv, build the index if missing, run every test and the evaluation gates
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

export HF_HUB_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false

.PHONY: install index run test clean

# torch is pinned and installed first: 2.13.0 is the local CPU wheel; any
# other resolution would pull the CUDA build (several GB).
$(STAMP): pyproject.toml Makefile
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# Builds the index if it is missing; re-embeds nothing when the corpus is
# unchanged.  Exit code 3 means "built, but some files were skipped".
index: install
	$(BIN)/verbatim ingest || [ $$? -eq 3 ]

run: index
	$(BIN)/verbatim serve

# Every test, then the evaluation's quality gates on the gold set (verbatim 100%, unsafe 0,
# recall@5 at or above its floor); reports land in data/eval/.
test: index
	$(BIN)/python -m pytest
	$(BIN)/verbatim eval --gate

clean:
	rm -rf $(VENV) data .pytest_cache *.egg-info
