#!/usr/bin/env python3
"""The committed comparison of concept heatmaps (docs/heatmaps.md): from a file written by
scripts/concept_heatmaps.py, the mean deletion and insertion areas of every heatmap method
(I-GOS, iGOS++, grad-cam, spatial, random, centre) per concept and over all concepts, as markdown.

    .venv/bin/python scripts/concept_heatmaps.py --run runs/quickstart --images-per-concept 6 \\
        --sag-images 0 --out /tmp/heatmaps-6.h5
    .venv/bin/python scripts/heatmap_table.py --heatmaps /tmp/heatmaps-6.h5 \\
        --out experiments/results/heatmaps/quickstart-concepts.md
"""
import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from concept_heatmaps import FORMAT  # noqa: E402
from extract_activations import fail  # noqa: E402


def areas(f, j, method):
    images = f[f"concepts/{j}/images"]
    return (np.mean([images[s][method].attrs["deletion_area"] for s in images]),
            np.mean([images[s][method].attrs["insertion_area"] for s in images]), len(images))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--heatmaps", required=True, help="a file written by scripts/concept_heatmaps.py")
    p.add_argument("--out", required=True)
    args = p.parse_args()
    import h5py
    with h5py.File(args.heatmaps, "r") as f:
        if f.attrs.get("format") != FORMAT:
            fail(f"{args.heatmaps}: expected format {FORMAT} (scripts/concept_heatmaps.py), found {f.attrs.get('format')}")
        methods = [m.decode() if isinstance(m, bytes) else m for m in f["methods"][:]]
        concepts = int(f.attrs["concepts"])
        table = {(j, m): areas(f, j, m) for j in range(concepts) for m in methods}
        run, layer = f.attrs["run"], f.attrs["layer"]
    lines = ["| concept | method | deletion area (lower is better) | insertion area (higher is better) |", "|---|---|---|---|"]
    for j in range(concepts):
        lines += [f"| {j} | {m} | {table[j, m][0]:.4f} | {table[j, m][1]:.4f} |" for m in methods]
    lines += ["", "Over all concepts (mean of the concepts' means):", "",
              "| method | deletion area | insertion area | concepts where it deletes best |", "|---|---|---|---|"]
    for m in methods:
        best = sum(min(methods, key=lambda n: table[j, n][0]) == m for j in range(concepts))
        lines.append(f"| {m} | {np.mean([table[j, m][0] for j in range(concepts)]):.4f} | "
                     f"{np.mean([table[j, m][1] for j in range(concepts)]):.4f} | {best} of {concepts} |")
    images = table[0, methods[0]][2]
    header = (f"# Concept heatmaps scored by deletion and insertion\n\nRun `{os.path.relpath(run)}`, layer `{layer}`; for each "
              f"concept its {images} most active held-out images; areas in units of the concept's activation x_j, means over "
              f"those images (scripts/concept_heatmaps.py, then scripts/heatmap_table.py; methods: docs/heatmaps.md).\n\n")
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w") as handle:
        handle.write(header + "\n".join(lines) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
