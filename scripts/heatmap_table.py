#!/usr/bin/env python3
"""The committed comparison of concept heatmaps (docs/heatmaps.md): for every concept of a run,
the images where it is most active, scored by deletion and insertion with grad-cam, spatial,
I-GOS, iGOS++ and the random and centre baselines (scripts/explain_heatmaps.py); writes a
markdown table of mean areas per concept and method.

    .venv/bin/python scripts/heatmap_table.py --run runs/quickstart --images-per-concept 6 \\
        --out experiments/results/heatmaps/quickstart-concepts.md
"""
import argparse
import os
import subprocess
import sys
import tempfile

import h5py
import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--run", default=os.path.join(ROOT, "runs", "quickstart"))
    p.add_argument("--data", default=os.path.join(ROOT, "data", "mnist_cnn.h5"))
    p.add_argument("--model", default=os.path.join(ROOT, "scripts", "models", "mnist_cnn.py") + ":build")
    p.add_argument("--layer", default="relu3")
    p.add_argument("--images-per-concept", type=int, default=6)
    p.add_argument("--out", required=True)
    args = p.parse_args()
    with h5py.File(os.path.join(args.run, "concepts.h5"), "r") as f:
        concepts, split = f["concepts"][:], f["split"][:]
    test = np.flatnonzero(split == 2)
    lines = ["| concept | method | deletion area (lower is better) | insertion area (higher is better) |", "|---|---|---|---|"]
    with tempfile.TemporaryDirectory() as folder:
        for j in range(concepts.shape[1]):
            rows = test[np.argsort(-concepts[test, j], kind="stable")[: args.images_per_concept]]
            out = os.path.join(folder, f"concept-{j}.h5")
            subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "explain_heatmaps.py"), "--model", args.model,
                            "--model-arg", args.data, "--array", args.data + ":thumbnails", "--scale", "255",
                            "--images", ",".join(map(str, rows)), "--target", f"concept:{j}", "--run", args.run,
                            "--layer", args.layer, "--sag-grid", "0", "--out", out], check=True)
            with h5py.File(out, "r") as f:
                groups = [f["images"][k] for k in f["images"]]
                for method in f.attrs["methods"]:
                    deletion = np.mean([g[method].attrs["deletion_area"] for g in groups])
                    insertion = np.mean([g[method].attrs["insertion_area"] for g in groups])
                    lines.append(f"| {j} | {method} | {deletion:.4f} | {insertion:.4f} |")
    header = (f"# Concept heatmaps scored by deletion and insertion\n\nRun `{os.path.relpath(args.run, ROOT)}`, layer `{args.layer}`; "
              f"for each concept its {args.images_per_concept} most active held-out images; areas in units of the concept's "
              f"activation x_j, means over those images (scripts/heatmap_table.py; methods: docs/heatmaps.md).\n\n")
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w") as handle:
        handle.write(header + "\n".join(lines) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
