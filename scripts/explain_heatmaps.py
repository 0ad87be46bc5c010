#!/usr/bin/env python3
"""I-GOS and iGOS++ heatmaps of a CNN's images, scored by deletion and insertion beside random and
centre baselines, and structured attention graphs (docs/heatmaps.md), written to one HDF5 file.

    .venv/bin/python scripts/explain_heatmaps.py --model scripts/models/mnist_cnn.py:build \\
        --model-arg data/mnist_cnn.h5 --array data/mnist_cnn.h5:thumbnails --scale 255 \\
        --images 0-9 --target logit:3 --out heatmaps.h5

Targets: `logit:c` (the class logit), `prob:c` (its softmax probability), `predicted` (each image's
argmax probability), `concept:j` (concept j of a trained explanation space: --run RUN --layer NAME,
the layer the run's activations were extracted from; the site's grad-cam and spatial maps are then
scored too). Every image is explained on its own (CPU or --device cuda).
"""
import argparse
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from extract_activations import fail, load_model, read_array, refuse_existing, renamed_into_place  # noqa: E402

BASE_METHODS = ("igos", "igos++", "random", "centre")
CONCEPT_METHODS = ("grad-cam", "spatial")


def parse_images(spec, count):
    """`a-b` (inclusive), `a,b,c` or `all` → sorted row indices."""
    if spec == "all":
        return list(range(count))
    rows = set()
    for part in spec.split(","):
        low, _, high = part.partition("-")
        try:
            rows.update(range(int(low), int(high or low) + 1))
        except ValueError:
            fail(f"--images expects all, a-b or a,b,c; got '{spec}'")
    bad = [r for r in rows if not 0 <= r < count]
    if bad:
        fail(f"--images: rows {sorted(bad)[:5]} outside 0…{count - 1}")
    return sorted(rows)


def target_function(model, spec, args):
    """(score(x, label) → (B,), label for a row's logits, concept scorer or None) for `logit:c`,
    `prob:c`, `predicted` or `concept:j`."""
    import torch
    kind, _, value = spec.partition(":")
    if kind not in ("logit", "prob", "predicted", "concept") or (kind != "predicted" and not value.isdigit()):
        fail(f"--target expects logit:C, prob:C, predicted or concept:J; got '{spec}'")
    if kind == "concept":
        if not args.run or not args.layer:
            fail("--target concept:J needs --run RUN (a run directory) and --layer NAME (the layer it was trained on)")
        from extract_activations import find_layer
        from heatmaps.concepts import ConceptScorer
        scorer = ConceptScorer(model, find_layer(model, args.layer), args.run)
        if int(value) >= scorer.encoder.predictor.in_features:
            fail(f"--target concept:{value}: the run has {scorer.encoder.predictor.in_features} concepts")
        return (lambda x, label: scorer.concepts(x)[:, label]), (lambda logits: int(value)), scorer

    def score(x, label):
        out = model(x)
        return out[:, label] if kind == "logit" else torch.softmax(out, 1)[:, label]
    return score, (lambda logits: int(np.argmax(logits))) if kind == "predicted" else (lambda logits: int(value)), None


def attention_graph(score, image, baseline, heatmap, grid):
    """SAG on a grid × grid patch partition: a set of patches is shown on the blurred baseline;
    the beam search is guided by the mean I-GOS heatmap of each patch."""
    import torch
    import torch.nn.functional as F
    from heatmaps import sag
    from heatmaps.perturbation import composite

    height, width = image.shape[-2:]
    cells = torch.arange(grid * grid, dtype=torch.float32).view(1, 1, grid, grid)
    owner = F.interpolate(cells, size=(height, width), mode="nearest")[0, 0].long()
    priority = [float(v) for v in F.adaptive_avg_pool2d(heatmap[None, None].float(), grid).flatten()]
    cache = {}

    def visible_score(patches):
        if patches not in cache:
            keep = torch.zeros(height, width, dtype=image.dtype)
            for p in patches:
                keep[owner == p] = 1
            with torch.no_grad():
                cache[patches] = float(score(composite(image, baseline, keep[None, None])))
        return cache[patches]
    return sag.structured_attention_graph(visible_score, grid * grid, priority)


def write_graph(group, graph, patches):
    """Nodes as membership rows (roots first), their scores, and edges as node indices."""
    nodes = list(graph.roots) + [n for n in graph.scores if n not in graph.roots]
    index = {node: i for i, node in enumerate(nodes)}
    membership = np.zeros((len(nodes), patches), np.uint8)
    for i, node in enumerate(nodes):
        membership[i, sorted(node)] = 1
    group["nodes"] = membership
    group["node_scores"] = np.float32([graph.scores[n] for n in nodes])
    group["edges"] = np.int64([[index[a], index[b], p] for a, b, p in graph.edges]).reshape(-1, 3)
    group.attrs["roots"] = len(graph.roots)


def explain(args):
    import h5py
    import torch
    from heatmaps import deletion_insertion as di
    from heatmaps import igos
    from heatmaps.perturbation import blurred_baseline, default_mask_size

    model = load_model(args.model, args).eval().to(args.device)
    for parameter in model.parameters():
        parameter.requires_grad_(False)
    array = read_array(args.array)
    rows = parse_images(args.images, len(array))
    score_of, label_of, scorer = target_function(model, args.target, args)
    methods = BASE_METHODS + (CONCEPT_METHODS if scorer else ())
    started = time.time()
    with renamed_into_place(args.out) as temporary:
        with h5py.File(temporary, "w") as out:
            for slot, row in enumerate(rows):
                raw = np.asarray(array[row], dtype=np.float32)
                raw = raw[..., None] if raw.ndim == 2 else raw
                image = torch.from_numpy(raw.transpose(2, 0, 1)[None] / args.scale).to(args.device)
                with torch.no_grad():
                    label = label_of(model(image)[0].cpu().numpy())

                def score(x):
                    return score_of(x, label)
                size = args.mask_size or default_mask_size(image.shape[-1])
                baseline = blurred_baseline(image)
                settings = igos.Settings(mask_size=size, iterations=args.iterations, seed=args.seed)
                masks = {"igos": 1 - igos.igos(score, image, baseline, settings).mask,
                         "igos++": 1 - igos.igos_plus_plus(score, image, baseline, igos.Settings(
                             mask_size=size, iterations=args.iterations, step=1000.0, seed=args.seed)).mask,
                         "random": di.random_heatmap(size, args.seed + row), "centre": di.centre_heatmap(size)}
                if scorer:
                    masks["grad-cam"], masks["spatial"] = scorer.grad_cam(image, label).detach(), scorer.spatial(image, label)
                group = out.create_group(f"images/{slot}")
                group.attrs.update({"row": row, "label": label})
                for name in methods:
                    curves = di.deletion_insertion(score, image, baseline, masks[name].to(image.dtype), steps=args.steps)
                    sub = group.create_group(name)
                    sub["heatmap"] = masks[name].detach().cpu().numpy().astype(np.float32)
                    sub["deletion"], sub["insertion"] = np.float32(curves.deletion), np.float32(curves.insertion)
                    sub.attrs.update({"deletion_area": curves.deletion_area, "insertion_area": curves.insertion_area})
                if args.sag_grid:
                    graph = attention_graph(score, image, baseline, masks["igos"], args.sag_grid)
                    write_graph(group.create_group("sag"), graph, args.sag_grid ** 2)
                elapsed = time.time() - started
                print(f"\rheatmaps: {slot + 1}/{len(rows)} images, {elapsed / (slot + 1):.1f} s per image", end="", file=sys.stderr, flush=True)
            print(file=sys.stderr)
            out["fractions"] = np.linspace(0, 1, args.steps + 1, dtype=np.float32)
            out.attrs.update({"format": "xnn-heatmap-scores", "model": args.model, "target": args.target,
                              "source": args.array, "methods": list(methods), "sag_grid": args.sag_grid, "created_by": "scripts/explain_heatmaps.py"})
    return rows, time.time() - started


def summarise(path):
    import h5py
    with h5py.File(path, "r") as f:
        groups = [f["images"][k] for k in f["images"]]
        for name in f.attrs["methods"]:
            deletion = np.mean([g[name].attrs["deletion_area"] for g in groups])
            insertion = np.mean([g[name].attrs["insertion_area"] for g in groups])
            print(f"{name:8s} deletion area {deletion:.4f} (lower is better)  insertion area {insertion:.4f} (higher is better)")


def add_method_arguments(p):
    """The settings of the heatmap methods and their scoring, shared with concept_heatmaps.py."""
    p.add_argument("--iterations", type=int, default=15, help="I-GOS and iGOS++ iterations [15]")
    p.add_argument("--steps", type=int, default=50, help="points of the deletion and insertion curves [50]")
    p.add_argument("--sag-grid", type=int, default=4, help="patches per side of the structured attention graphs (0: none) [4]")
    p.add_argument("--seed", type=int, default=0)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", required=True)
    p.add_argument("--model-arg", action="append", default=[])
    p.add_argument("--weights", default=None)
    p.add_argument("--array", required=True, help="FILE.npy or FILE.h5:DATASET of (N, H, W[, C]) images")
    p.add_argument("--scale", type=float, default=1.0)
    p.add_argument("--images", default="0-9", help="rows: all, a-b or a,b,c [0-9]")
    p.add_argument("--target", default="predicted", help="logit:C, prob:C or predicted [predicted]")
    p.add_argument("--run", help="a run directory (xnn train), for --target concept:J")
    p.add_argument("--layer", help="the CNN layer the run's activations come from, for --target concept:J")
    p.add_argument("--mask-size", type=int, default=0, help="mask cells per side (0: one per 8 px, at least 7)")
    add_method_arguments(p)
    p.add_argument("--device", default="cpu")
    p.add_argument("--out", required=True)
    p.add_argument("--force", action="store_true")
    args = p.parse_args()
    refuse_existing(args.out, args.force)
    rows, seconds = explain(args)
    print(f"wrote {args.out}: {len(rows)} images, {seconds:.1f} s ({seconds / len(rows):.2f} s per image)")
    summarise(args.out)


if __name__ == "__main__":
    main()
