#!/usr/bin/env bash
# The quality benchmark in one command: makes the benchmark data (planted concepts; real MNIST
# digits and crops grouped by digit), trains every case with the defaults, the paper's fixed-weight
# recipe, PCA and NMF over three seeds (experiments/quality/sweep-*.yaml), and writes the report
# (experiments/results/quality/: summary.md, runs.csv, tradeoff.svg) with a ridge ceiling.
# About 15 minutes on 2 cores. Finished runs are kept: run it again to resume; --fresh starts over.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ "${1:-}" == "--fresh" ]]; then rm -rf runs/quality; fi
bash scripts/setup.sh
bash scripts/python_env.sh
swift build -c release --product xnn >&2
mkdir -p runs/quality-data
[[ -f runs/quality-data/planted.h5 ]] || .venv/bin/python scripts/make_planted_data.py --out runs/quality-data/planted.h5
[[ -f runs/quality-data/crops.h5 ]] || .venv/bin/python scripts/make_crops_data.py --out runs/quality-data/crops.h5
for case in planted crops mnist; do
    .build/release/xnn sweep "experiments/quality/sweep-$case.yaml"
done
.venv/bin/python scripts/quality_report.py
