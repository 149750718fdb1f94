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
PY_NOTEBOOK := nbclient nbformat ipykernel matplotlib
VENV_STAMP := $(VENV)/.installed-v2
TEST_OUT := target/test-output

.PHONY: help pipeline build test test-rust test-python check venv quality bench fuzz clippy fmt clean browser

help:
	@echo "make pipeline   build chiso (release) and run pipelines/lao-cai -> output/lao-cai/"
	@echo "make test       run every test (Rust, end to end, Python readers)"
	@echo "make check      validate every pipeline under pipelines/ without reading sources"
	@echo "make quality    score extraction against the golden files -> docs/quality.md"
	@echo "make bench      throughput benchmarks (criterion, 100 MB/1 GB corpora, Python baseline)"
	@echo "make fuzz       run each cargo-fuzz target for FUZZ_SECONDS (default 60)"
	@echo "make clippy     lint the workspace"

build:
	$(CARGO) build --release --locked -p chiso-cli

pipeline: build
	./target/release/chiso run pipelines/lao-cai/pipeline.toml

check: build
	./target/release/chiso check pipelines/*/pipeline.toml

# A local virtual environment with the Python readers analysts use; made once, reused.
$(VENV_STAMP):
	$(PYTHON) -m venv $(VENV)
	$(VENV_PY) -m pip install --quiet --disable-pip-version-check $(PY_READERS) $(PY_NOTEBOOK)
	touch $@

venv: $(VENV_STAMP)

test: test-rust test-python

# Headless Chromium for the report's browser tests (crates/report/tests/it/in_browser.rs).
browser:
	command -v chromium >/dev/null || (apt-get update && apt-get install -y chromium)

test-rust: browser
	CHISO_REQUIRE_BROWSER=1 $(CARGO) test --workspace --locked

# Runs two pipelines into their own dirs and one shared dataset with the binary `cargo test`
# built, opens everything from Python, then executes the notebook headless against it.
test-python: venv test-rust
	rm -rf $(TEST_OUT)/lao-cai $(TEST_OUT)/dev-corpus $(TEST_OUT)/dataset
	./target/debug/chiso -q run pipelines/lao-cai/pipeline.toml --out $(TEST_OUT)/lao-cai --dataset $(TEST_OUT)/dataset
	./target/debug/chiso -q run pipelines/dev-corpus/pipeline.toml --out $(TEST_OUT)/dev-corpus --dataset $(TEST_OUT)/dataset || [ $$? -le 1 ]
	$(VENV_PY) tests/python/check_outputs.py $(TEST_OUT)/lao-cai $(TEST_OUT)/dev-corpus --dataset $(TEST_OUT)/dataset
	CHISO_OUTPUT=$(TEST_OUT)/lao-cai CHISO_DATASET=$(TEST_OUT)/dataset \
	  $(VENV_PY) tests/python/run_notebook.py notebooks/explore.ipynb --out $(TEST_OUT)/explore.ipynb

# Criterion benches of the transform stages and of each stage of a corpus run (read, transform,
# rows, write, validate), then whole runs on generated corpora (100 MB, 1 GB; 1 and 2 threads)
# with /usr/bin/time -v, and the Python baseline; then with rules, and on the denser corpus of
# paragraphs holding numbers only, and on the news corpus as a directory tree of one file per
# document, and as long documents (1 600 articles to a file). Results: docs/performance.md.
bench: build venv
	$(CARGO) bench -p chiso-transform --bench scan --bench stages
	$(CARGO) bench -p chiso-cli --bench stages
	PYTHON=$(VENV_PY) bench/run.sh
	RULES=1 THREADS=2 RUNS=1 BASELINE=0 bench/run.sh
	MIX=numbers THREADS=2 RUNS=1 BASELINE=0 bench/run.sh
	LAYOUT=files SIZES=100MB THREADS=2 RUNS=3 BASELINE=0 bench/run.sh
	LAYOUT=reports SIZES=100MB THREADS=2 RUNS=3 BASELINE=0 bench/run.sh

FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= numbers segment linker decode html tables pipeline corpus
# Each cargo-fuzz target for FUZZ_SECONDS, one at a time (docs/robustness.md).
# The rules-file target builds polars: make fuzz FUZZ_TARGETS=rules FUZZ_FEATURES=validate
fuzz:
	@command -v cargo-fuzz >/dev/null || $(CARGO) install cargo-fuzz --locked
	cd fuzz && for t in $(FUZZ_TARGETS); do \
	  RUSTC_BOOTSTRAP=1 $(CARGO) fuzz run $(if $(FUZZ_FEATURES),--features $(FUZZ_FEATURES)) $$t corpus/$$t -- \
	    -max_total_time=$(FUZZ_SECONDS) -max_len=4096 -rss_limit_mb=2048 -timeout=10 || exit 1; \
	done

clippy:
	$(CARGO) clippy --workspace --all-targets -- -D warnings

fmt:
	$(CARGO) fmt --all

clean:
	$(CARGO) clean
	rm -rf $(VENV) output/*/

# Precision, recall and F1 of indicators.parquet against the golden files -> docs/quality.md
quality: build
	./target/release/chiso -q run pipelines/lao-cai/pipeline.toml --out output/lao-cai
	./target/release/chiso -q run pipelines/dev-corpus/pipeline.toml --out output/dev-corpus
	./target/release/chiso score output/lao-cai output/dev-corpus \
	  --golden nhandan-2023-lao-cai=tests/golden/lao-cai-expected.json \
	  --golden tests/golden/dev-corpus/expected --report docs/quality.md --details
