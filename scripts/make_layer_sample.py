#!/usr/bin/env python3
"""The shipped layer-wise sample, data/mnist_cnn_layers.h5 (docs/layers.md): four images of each
digit from the shipped sample (the first in file order), re-extracted from the MNIST CNN with
`extract_activations.py --layers relu1,relu2,relu3` (maps and Grad-CAM weights of the predicted
logit), their image ids those of data/mnist_cnn.h5.

    .venv/bin/python scripts/make_layer_sample.py [--out data/mnist_cnn_layers.h5] [--force]
"""
import argparse
import os
import subprocess
import sys
import tempfile

import h5py
import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SAMPLE = os.path.join(ROOT, "data", "mnist_cnn.h5")
CLASSES = "zero,one,two,three,four,five,six,seven,eight,nine"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default=os.path.join(ROOT, "data", "mnist_cnn_layers.h5"))
    parser.add_argument("--per-digit", type=int, default=4)
    parser.add_argument("--force", action="store_true")
    args = parser.parse_args()
    with h5py.File(SAMPLE, "r") as f:
        labels, thumbnails, ids = f["labels"][:], f["thumbnails"][:], f["image_ids"][:]
    rows = np.sort(np.concatenate([np.flatnonzero(labels == d)[: args.per_digit] for d in range(10)]))
    with tempfile.TemporaryDirectory() as folder:
        images, names = os.path.join(folder, "images.npy"), os.path.join(folder, "labels.npy")
        np.save(images, thumbnails[rows])
        np.save(names, labels[rows])
        command = [sys.executable, os.path.join(ROOT, "scripts", "extract_activations.py"),
                   "--model", os.path.join(ROOT, "scripts", "models", "mnist_cnn.py") + ":build", "--model-arg", SAMPLE,
                   "--layer", "relu3", "--layers", "relu1,relu2,relu3", "--array", images, "--scale", "255",
                   "--labels", names, "--classes", CLASSES, "--feature-maps", "all", "--threads", "1", "--out", args.out]
        subprocess.run(command + (["--force"] if args.force else []), check=True)
    with h5py.File(args.out, "r+") as f:
        del f["image_ids"]
        f.create_dataset("image_ids", data=ids[rows])
        f.create_dataset("source_rows", data=rows)
        f.attrs["source"] = f"data/mnist_cnn.h5 rows {', '.join(map(str, rows))}"
        f.attrs["created_by"] = "scripts/make_layer_sample.py"
    print(f"wrote {args.out}: {len(rows)} images, layers relu1, relu2, relu3")


if __name__ == "__main__":
    main()
