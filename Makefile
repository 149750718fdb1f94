# chiso: two commands do all set-up on a fresh machine.
#   make pipeline   build (release) and run the default pipeline: output/lao-cai/
#   make test       every test: Rust unit, integration and end-to-end tests, then Python readers
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

CARGO ?= cargo
PYTHON ?= python3
VENV := .venv
VENV_PY := $(VENV)/bin/python
PY_READERS := pyarrow polars pandas duckdb
TEST_OUT := target/test-output

.PHONY: help pipeline build test test-rust test-python check venv quality bench clippy fmt clean browser

help:
	@echo "make pipeline   build chiso (release) and run pipelines/lao-cai -> output/lao-cai/"
	@echo "make test       run every test (Rust, end to end, Python readers)"
	@echo "make check      validate every pipeline under pipelines/ without reading sources"
	@echo "make quality    score extraction against the golden files -> docs/quality.md"
	@echo "make clippy     lint the workspace"

build:
	$(CARGO) build --release --locked -p chiso-cli

pipeline: build
	./target/release/chiso run pipelines/lao-cai/pipeline.toml

check: build
	./target/release/chiso check pipelines/*/pipeline.toml

# A local virtual environment with the Python readers analysts use; made once, reused.
$(VENV)/.installed:
	$(PYTHON) -m venv $(VENV)
	$(VENV_PY) -m pip install --quiet --disable-pip-version-check $(PY_READERS)
	touch $@

venv: $(VENV)/.installed

test: test-rust test-python

# Headless Chromium for the report's browser tests (crates/report/tests/it/in_browser.rs).
browser:
	command -v chromium >/dev/null || (apt-get update && apt-get install -y chromium)

test-rust: browser
	CHISO_REQUIRE_BROWSER=1 $(CARGO) test --workspace --locked

# Runs the pipeline with the binary `cargo test` built and opens every file from Python.
test-python: venv test-rust
	rm -rf $(TEST_OUT)/lao-cai
	./target/debug/chiso -q run pipelines/lao-cai/pipeline.toml --out $(TEST_OUT)/lao-cai
	$(VENV_PY) tests/python/check_outputs.py $(TEST_OUT)/lao-cai

clippy:
	$(CARGO) clippy --workspace --all-targets -- -D warnings

fmt:
	$(CARGO) fmt --all

clean:
	$(CARGO) clean
	rm -rf $(VENV) output/*/

# Precision, recall and F1 of indicators.parquet against the golden files -> docs/quality.md
quality: build venv
	./target/release/chiso -q run pipelines/lao-cai/pipeline.toml --out output/lao-cai || [ $$? -le 1 ]
	./target/release/chiso -q run pipelines/dev-corpus/pipeline.toml --out output/dev-corpus || [ $$? -le 1 ]
	$(VENV_PY) tests/quality/score.py --output output/lao-cai --output output/dev-corpus \
	  --golden nhandan-2023-lao-cai=tests/golden/lao-cai-expected.json \
	  --golden tests/golden/dev-corpus/expected --report docs/quality.md --details
