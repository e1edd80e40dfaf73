# claimrisk: `make` sets up .venv, trains, evaluates, writes the card and tags the seed articles.
# Every target installs what it needs first and can be re-run safely.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
CONFIG ?= configs/default.yaml
MODEL  ?= models/claimrisk
ARGS   ?=

.PHONY: all setup train eval card onnx tag-seeds bench precision-runs seed-runs test test-fast clean

all: train eval onnx card tag-seeds

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

train: $(STAMP)
	$(PY) train/train.py --config $(CONFIG) $(ARGS)

eval: $(STAMP)
	$(PY) train/eval.py --model $(MODEL) --reports reports

card: $(STAMP)
	$(PY) -m claimrisk.card --report reports/eval.json --out model_card.md --model $(MODEL) --hub-dir hub/claimrisk --readme README.md

onnx: $(STAMP)
	$(PY) -m claimrisk.export --model $(MODEL) --int8

tag-seeds: $(STAMP)
	$(VENV)/bin/claimrisk tag data/seeds/*.txt --model $(MODEL) -o reports/seeds.jsonl --summary-to-stderr
	$(VENV)/bin/claimrisk tag data/seeds/*.txt --model $(MODEL) --format html -o reports/seeds.html --quiet
	$(PY) -m claimrisk.blocks README.md tag-example reports/seeds.jsonl --head 4
	if command -v chromium >/dev/null; then chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync --user-data-dir=$$(mktemp -d) \
		--window-size=900,1400 --screenshot=$(CURDIR)/docs/report.png file://$(CURDIR)/reports/seeds.html 2>/dev/null; fi

bench: $(STAMP)
	$(PY) -m claimrisk.bench --model $(MODEL) --out reports/bench.json --readme README.md \
		--training-runs fp32=models/precision-fp32 bf16=models/precision-bf16
	$(MAKE) card

# The evidence for the default precision: the default config trained in fp32 and with bf16 autocast.
precision-runs: $(STAMP)
	$(PY) train/train.py --config $(CONFIG) bf16=false output_dir=models/precision-fp32
	$(PY) train/train.py --config $(CONFIG) bf16=true output_dir=models/precision-bf16

# How far the scores move with the training seed alone: the default config retrained with other seeds,
# each scored like the published model, and the spread written to reports/seed_runs.json for the card.
SEEDS ?= 43 44
seed-runs: $(STAMP)
	for s in $(SEEDS); do \
		$(PY) train/train.py --config $(CONFIG) seed=$$s output_dir=models/seed-$$s || exit 1; \
		$(PY) train/eval.py --model models/seed-$$s --reports models/seed-$$s-reports || exit 1; \
	done
	$(PY) -m claimrisk.seedruns --out reports/seed_runs.json reports/eval.json $(SEEDS:%=models/seed-%-reports/eval.json)
	$(MAKE) card

test: $(STAMP)
	$(PY) -m pytest -q

test-fast: $(STAMP)
	$(PY) -m pytest -q -m "not smoke"

clean:
	rm -rf models/smoke models/smoke-checkpoints hub .pytest_cache
