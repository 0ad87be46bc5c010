#!/usr/bin/env python3
"""Faithfulness-tested heatmaps of every concept of a run (docs/heatmaps.md, "A run's concepts"):
for each concept j, the held-out images where it is most active are explained with the target
`concept:j` by I-GOS, iGOS++, the review site's grad-cam and spatial maps and the random and
centre baselines, each scored by deletion and insertion, and the most active image also by a
structured attention graph. One HDF5 file, RUN/heatmaps.h5 by default, which `xnn visualize`
draws on the concept pages and `xnn evaluate` summarises.

    .venv/bin/python scripts/concept_heatmaps.py --run runs/quickstart [--images-per-concept 3]
"""
import argparse
import os
import sys
import tempfile
import time
from types import SimpleNamespace

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from explain_heatmaps import add_method_arguments, explain  # noqa: E402
from extract_activations import fail, refuse_existing, renamed_into_place  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FORMAT = "xnn-concept-heatmaps"


def most_active_rows(run, count):
    """Per concept, the `count` held-out rows (split 2; all rows when none is held out) where it is largest."""
    import h5py
    path = os.path.join(run, "concepts.h5")
    if not os.path.exists(path):
        fail(f"{path}: not found (expected the run's concepts.h5, written by xnn train)")
    with h5py.File(path, "r") as f:
        concepts, split = f["concepts"][:], f["split"][:]
    candidates = np.flatnonzero(split == 2)
    candidates = candidates if len(candidates) else np.arange(len(concepts))
    return [candidates[np.argsort(-concepts[candidates, j], kind="stable")[:count]] for j in range(concepts.shape[1])]


def explain_concept(args, j, rows, sag_rows, out):
    """explain_heatmaps.explain for concept j on `rows`; SAG only where asked (it costs most)."""
    settings = dict(model=args.model, model_arg=[args.data], weights=None, array=args.data + ":thumbnails", scale=255.0,
                    target=f"concept:{j}", run=args.run, layer=args.layer, mask_size=0, iterations=args.iterations,
                    steps=args.steps, seed=args.seed, device="cpu")
    parts = []
    for chosen, grid, suffix in ((sag_rows, args.sag_grid, ".sag"), ([r for r in rows if r not in set(sag_rows)], 0, ".rest")):
        if chosen:
            explain(SimpleNamespace(**settings, images=",".join(map(str, chosen)), sag_grid=grid, out=out + suffix))
            parts.append(out + suffix)
    return parts


def merge(parts_by_concept, rows_by_concept, out, args):
    """One file: concepts/<j>/images/<slot>/… in the order of activation (docs/heatmaps.md)."""
    import h5py
    with renamed_into_place(out) as temporary, h5py.File(temporary, "w") as merged:
        for j, parts in enumerate(parts_by_concept):
            sources = [h5py.File(p, "r") for p in parts]
            by_row = {int(g.attrs["row"]): g for s in sources for g in s["images"].values()}
            for slot, row in enumerate(rows_by_concept[j]):
                merged.copy(by_row[int(row)], f"concepts/{j}/images/{slot}")
            if j == 0:
                merged["fractions"] = sources[0]["fractions"][:]
                merged["methods"] = np.array(list(sources[0].attrs["methods"]), dtype=h5py.string_dtype())
            for s in sources:
                s.close()
        merged.attrs.update({"format": FORMAT, "run": os.path.abspath(args.run), "layer": args.layer, "model": args.model,
                             "concepts": len(parts_by_concept), "sag_grid": args.sag_grid, "iterations": args.iterations,
                             "created_by": "scripts/concept_heatmaps.py"})


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--run", required=True, help="a run directory (xnn train)")
    p.add_argument("--data", default=os.path.join(ROOT, "data", "mnist_cnn.h5"), help="the HDF5 file with the images (thumbnails) and the CNN")
    p.add_argument("--model", default=os.path.join(ROOT, "scripts", "models", "mnist_cnn.py") + ":build")
    p.add_argument("--layer", default="relu3", help="the CNN layer the run's activations come from [relu3]")
    p.add_argument("--images-per-concept", type=int, default=3)
    p.add_argument("--sag-images", type=int, default=1, help="of those, how many (most active first) also get a SAG [1]")
    add_method_arguments(p)
    p.add_argument("--out", help="default: RUN/heatmaps.h5")
    p.add_argument("--force", action="store_true", help="replace an existing --out")
    args = p.parse_args()
    out = args.out or os.path.join(args.run, "heatmaps.h5")
    refuse_existing(out, args.force)
    if args.images_per_concept < 1 or not 0 <= args.sag_images <= args.images_per_concept:
        fail("--images-per-concept must be ≥ 1 and --sag-images between 0 and it")
    started = time.time()
    rows_by_concept = most_active_rows(args.run, args.images_per_concept)
    with tempfile.TemporaryDirectory() as folder:
        parts = []
        for j, rows in enumerate(rows_by_concept):
            print(f"heatmaps: concept {j + 1}/{len(rows_by_concept)}", file=sys.stderr)
            parts.append(explain_concept(args, j, list(map(int, rows)), list(map(int, rows[: args.sag_images])),
                                         os.path.join(folder, f"concept-{j}.h5")))
        merge(parts, rows_by_concept, out, args)
    images = sum(len(r) for r in rows_by_concept)
    print(f"wrote {out}: {len(rows_by_concept)} concepts, {images} images, {time.time() - started:.1f} s")


if __name__ == "__main__":
    main()
