#!/usr/bin/env python3
"""Re-extracts data/mnist_cnn.h5 from its sources with scripts/extract_activations.py — the
sample CNN rebuilt in PyTorch from `source_model/` (scripts/models/mnist_cnn.py) on the sample's
own images (`thumbnails` / 255, exactly the pixels it was made from) — and compares activations,
logits and feature maps. Prints the largest differences; exit status 1 when any exceeds --tolerance.
Needs torch and h5py.

    python3 scripts/check_extraction_reproduces_sample.py
"""
import argparse
import os
import subprocess
import sys
import tempfile

import numpy as np


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sample", default="data/mnist_cnn.h5")
    p.add_argument("--tolerance", type=float, default=1e-4)
    args = p.parse_args()
    import h5py
    here = os.path.dirname(os.path.abspath(__file__))
    with h5py.File(args.sample, "r") as f:
        reference = {name: np.asarray(f[name]) for name in ("activations", "logits", "feature_maps", "feature_map_rows", "labels")}
    with tempfile.TemporaryDirectory() as folder:
        ids = os.path.join(folder, "ids.txt")
        name = os.path.basename(args.sample)
        with open(ids, "w") as f:
            f.writelines(f"{name}-{row:06d}\n" for row in reference["feature_map_rows"])
        out = os.path.join(folder, "extracted.h5")
        subprocess.run([sys.executable, os.path.join(here, "extract_activations.py"),
                        "--model", os.path.join(here, "models", "mnist_cnn.py") + ":build", "--model-arg", args.sample,
                        "--layer", "relu3", "--array", f"{args.sample}:thumbnails", "--scale", "255",
                        "--labels", f"{args.sample}:labels", "--feature-maps", ids, "--batch-size", "250", "--threads", "1",
                        "--out", out], check=True)
        with h5py.File(out, "r") as f:
            extracted = {name: np.asarray(f[name]) for name in ("activations", "logits", "feature_maps", "feature_map_rows", "labels")}
    worst = 0.0
    for key in ("activations", "logits", "feature_maps"):
        difference = float(np.abs(extracted[key] - reference[key]).max())
        scale = float(np.abs(reference[key]).max())
        print(f"{key:13s} {str(reference[key].shape):18s} max |extracted - sample| = {difference:.2e} (values up to {scale:.3g})")
        worst = max(worst, difference)
    same_rows = np.array_equal(extracted["feature_map_rows"], reference["feature_map_rows"])
    same_labels = np.array_equal(extracted["labels"], reference["labels"])
    print(f"feature_map_rows identical: {same_rows}; labels identical: {same_labels}")
    ok = worst <= args.tolerance and same_rows and same_labels
    print("reproduced" if ok else f"NOT reproduced (tolerance {args.tolerance})")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
