#!/usr/bin/env bash
# One command for a new user: install what is missing, build xnn (release), and train the
# quickstart explanation space on the shipped sample data, then the layer-wise clusters of its CNN.
# Extra arguments go to `xnn train`. Ends by building the run's review site (runs/quickstart/review)
# and saying where to open it.
# Running it again replaces runs/quickstart (--force replaces only folders xnn wrote).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
echo "quickstart: building xnn (release)…" >&2
swift build -c release --product xnn >&2
.build/release/xnn inspect data/mnist_cnn.h5 | head -n 14
.build/release/xnn train experiments/quickstart.yaml --force "$@"
# Every concept's heatmaps tested by deletion and insertion (I-GOS, iGOS++, grad-cam, spatial,
# baselines; a structured attention graph of each concept's top image): PyTorch on the CPU, about
# 40 s here (docs/heatmaps.md). The review site shows them on the concept pages.
if bash scripts/python_env.sh --torch; then
    .venv/bin/python scripts/concept_heatmaps.py --run runs/quickstart --force
else
    echo "quickstart: PyTorch could not be installed, so the concept pages will say how to add the tested heatmaps later (docs/heatmaps.md)" >&2
fi
# Layer-wise clusters of the shipped CNN's three layers (docs/layers.md): about a second.
mkdir -p runs/quickstart-layers
.build/release/xnn layers data/mnist_cnn_layers.h5 --out runs/quickstart-layers/clusters.h5 \
    --site runs/quickstart-layers/site --force
echo "quickstart: building the review site…" >&2
.build/release/xnn visualize runs/quickstart --out runs/quickstart/review --force
echo "quickstart: open runs/quickstart/review/index.html in a browser (docs/visualization.md says how to read it)."
