#!/usr/bin/env python3
"""Real data with groups for the quality benchmark: MNIST digits and random crops of them through
the CNN shipped in data/mnist_cnn.h5, in the layout of docs/data-format.md.

The CNN (conv3×3(16)–ReLU–maxpool2–conv3×3(32)–ReLU–maxpool2–conv3×3(128)–ReLU–global average
pool–linear(10), the conventions of scripts/make_sample_data.py) is rebuilt in numpy from the
file's `source_model/` weights and first checked against the file: the whole images (thumbnails /
255) must reproduce its `activations` and `logits` within 1e-4. Then `--sources` digits (seeded,
the same number per label) each give their whole image and `--crops` random square crops (side
60–90% of the image, resized back to 28×28 bilinearly, rounded to uint8 like a thumbnail). The
CNN's z = the pooled conv3 activations of these images is stored with:

    groups      int64 [N]  the source digit of each row: its row in data/mnist_cnn.h5. Name it in
                           `data.groups` so that all rows of a digit land in the same split.
    test_mask   uint8 [N]  1 for every row of a held-out digit (`--test-fraction` of the sources,
                           the same number per label)
    image_ids   "<source id>/whole", "<source id>/crop1", ...
    feature_maps, feature_map_rows   7×7×128 conv3 maps of up to `--feature-maps` held-out rows

plus logits, labels, predictions, thumbnails and class_names. Ridge R² of the logits on z, fitted
on the training digits and scored on the held-out digits, prints at the end (the logits are an
affine function of z, so it must be ≈ 1). The same seed gives the same data.

    bash scripts/python_env.sh
    .venv/bin/python scripts/make_crops_data.py --out runs/quality-data/crops.h5 [--force]
"""
import argparse
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_sample_data as sample_cnn  # noqa: E402  (the CNN's own im2col and pooling)
from quality_data_io import add_output_arguments, print_ridge, refuse_existing, ridge_r2, write_activation_file  # noqa: E402

REPRODUCTION_TOLERANCE = 1e-4
REPOSITORY = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add = parser.add_argument
    add("--sample", default=os.path.join(REPOSITORY, "data", "mnist_cnn.h5"),
        help="the shipped sample with thumbnails and source_model/ [data/mnist_cnn.h5 of this repository]")
    add("--sources", type=int, default=600, help="number of source digits, spread evenly over the labels [600]")
    add("--crops", type=int, default=3, help="random crops per source digit [3]")
    add("--min-side", type=float, default=0.6, help="smallest crop side, as a fraction of the image [0.6]")
    add("--max-side", type=float, default=0.9, help="largest crop side, as a fraction of the image [0.9]")
    add("--feature-maps", type=int, default=200, help="store conv3 feature maps of up to this many held-out rows [200]")
    add_output_arguments(add, "share of source digits held out with all their crops [0.2]")
    args = parser.parse_args()
    if args.sources < 10 or args.crops < 0 or args.feature_maps < 0:
        parser.error("--sources must be ≥ 10, --crops and --feature-maps ≥ 0")
    if not 0 < args.min_side <= args.max_side <= 1:
        parser.error("need 0 < --min-side ≤ --max-side ≤ 1")
    if not 0 < args.test_fraction < 1:
        parser.error("--test-fraction must be in (0, 1)")
    if not os.path.isfile(args.sample):
        parser.error(f"--sample {args.sample} not found")
    args.sample_name = os.path.relpath(os.path.abspath(args.sample), REPOSITORY)
    if args.sample_name.startswith(".."):
        args.sample_name = args.sample
    return args


# ---- the CNN of scripts/make_sample_data.py, forward only -------------------------------------

def maxpool2(x):
    return sample_cnn.maxpool2(x)[0]


def cnn_forward(params, images, batch_size=250):
    """images (N, 28, 28, 1) float32 in [0, 1] -> logits (N, 10), z (N, 128), feature maps (N, 7, 7, 128)."""
    outputs = []
    for first in range(0, len(images), batch_size):
        x = images[first:first + batch_size]
        for layer in ("conv1", "conv2"):
            x = maxpool2(np.maximum(sample_cnn.im2col(x) @ params[f"{layer}_weight"] + params[f"{layer}_bias"], 0))
        maps = np.maximum(sample_cnn.im2col(x) @ params["conv3_weight"] + params["conv3_bias"], 0)
        z = maps.mean(axis=(1, 2))
        outputs.append((z @ params["fc_weight"].T + params["fc_bias"], z, maps))
    return tuple(np.concatenate([o[j] for o in outputs]) for j in range(3))


def load_sample(path):
    import h5py

    with h5py.File(path, "r") as handle:
        sample = {name: handle[name][:] for name in
                  ("thumbnails", "labels", "image_ids", "class_names", "activations", "logits")}
        sample["params"] = {name: handle["source_model"][name][:] for name in handle["source_model"]}
    for name in ("image_ids", "class_names"):
        sample[name] = [s.decode() if isinstance(s, bytes) else str(s) for s in sample[name]]
    return sample


def check_reproduction(sample):
    """The numpy CNN on thumbnails / 255 must give the file's activations and logits."""
    images = sample["thumbnails"].astype(np.float32) / 255.0
    logits, z, _ = cnn_forward(sample["params"], images)
    z_error = float(np.abs(z - sample["activations"]).max())
    logit_error = float(np.abs(logits - sample["logits"]).max())
    print(f"CNN reproduction on {len(images)} whole images: max |Δz| {z_error:.2e}, max |Δlogits| {logit_error:.2e}")
    assert z_error < REPRODUCTION_TOLERANCE and logit_error < REPRODUCTION_TOLERANCE, \
        "the numpy CNN does not reproduce the sample's activations/logits"


# ---- crops -------------------------------------------------------------------------------------

def bilinear_crop(image, top, left, side, size=28):
    """Resample the square box (top, left, side) of image (H, W, C), in pixel units, to size×size
    with bilinear interpolation (pixel centres aligned, edges clamped)."""
    h, w = image.shape[:2]
    centres = (np.arange(size) + 0.5) * side / size - 0.5
    ys = np.clip(top + centres, 0, h - 1)
    xs = np.clip(left + centres, 0, w - 1)
    y0, x0 = np.floor(ys).astype(int), np.floor(xs).astype(int)
    y1, x1 = np.minimum(y0 + 1, h - 1), np.minimum(x0 + 1, w - 1)
    wy, wx = (ys - y0)[:, None, None], (xs - x0)[None, :, None]
    top_row = image[y0][:, x0] * (1 - wx) + image[y0][:, x1] * wx
    bottom_row = image[y1][:, x0] * (1 - wx) + image[y1][:, x1] * wx
    return top_row * (1 - wy) + bottom_row * wy


def random_crop(rng, thumbnail, min_side, max_side):
    """A random square crop of a uint8 thumbnail, resized back to its size and rounded to uint8."""
    size = thumbnail.shape[0]
    side = rng.uniform(min_side, max_side) * size
    top, left = rng.uniform(0, size - side, 2)
    crop = bilinear_crop(thumbnail.astype(np.float64), top, left, side, size)
    return np.clip(np.round(crop), 0, 255).astype(np.uint8)


def balanced_choice(rng, labels, rows, total):
    """`total` of `rows` chosen at random, as evenly over the labels as possible (sorted)."""
    classes = np.unique(labels[rows])
    shares = np.full(len(classes), total // len(classes))
    shares[rng.permutation(len(classes))[: total - shares.sum()]] += 1
    chosen = [rng.choice(rows[labels[rows] == c], share, replace=False) for c, share in zip(classes, shares)]
    return np.sort(np.concatenate(chosen))


def build_images(rng, sample, sources, args):
    """Each source's whole thumbnail then its crops: thumbnails (N, 28, 28, 1), groups, image ids."""
    thumbnails, groups, ids = [], [], []
    for source in sources:
        whole = sample["thumbnails"][source]
        thumbnails.append(whole)
        ids.append(f"{sample['image_ids'][source]}/whole")
        for crop in range(1, args.crops + 1):
            thumbnails.append(random_crop(rng, whole, args.min_side, args.max_side))
            ids.append(f"{sample['image_ids'][source]}/crop{crop}")
        groups += [source] * (args.crops + 1)
    return np.stack(thumbnails), np.asarray(groups, np.int64), ids


# ---- the file ----------------------------------------------------------------------------------

def describe(args, sample_path):
    return (f"MNIST digits of {sample_path} (whole and random crops) through its CNN source_model/: "
            f"sources={args.sources} crops={args.crops} side={args.min_side}-{args.max_side} bilinear "
            f"test_fraction={args.test_fraction} (held out by source) seed={args.seed}")


def write_file(args, sample, images, groups, ids, test_mask, rng):
    thumbnails = images
    logits, z, maps = cnn_forward(sample["params"], thumbnails.astype(np.float32) / 255.0)
    test_rows = np.flatnonzero(test_mask)
    map_rows = np.sort(rng.choice(test_rows, min(args.feature_maps, len(test_rows)), replace=False))
    datasets = {
        "activations": z.astype(np.float32), "logits": logits.astype(np.float32),
        "labels": sample["labels"][groups].astype(np.int64), "predictions": logits.argmax(1).astype(np.int64),
        "class_names": sample["class_names"], "image_ids": ids, "groups": groups, "test_mask": test_mask,
        "thumbnails": thumbnails,
        "feature_maps": maps[map_rows].astype(np.float32), "feature_map_rows": map_rows.astype(np.int64),
    }
    options = {
        "thumbnails": {"chunks": (64,) + thumbnails.shape[1:], "compression": "gzip"},
        "feature_maps": {"chunks": (1,) + maps.shape[1:], "compression": "gzip"},
        "groups": {"attrs": {"meaning": f"source digit of each row: its row in {args.sample_name}; use as data.groups"}},
    }
    attributes = {"created_by": "scripts/make_crops_data.py", "source": describe(args, args.sample_name),
                  "layer": "conv3 (3x3, 128 channels) after ReLU, global average pool",
                  "model": f"numpy CNN conv16-pool-conv32-pool-conv128-GAP-fc10 of {args.sample_name} (source_model/)"}
    if len(map_rows) == 0:
        for name in ("feature_maps", "feature_map_rows"):
            datasets.pop(name)
    write_activation_file(args.out, args.force, datasets, attributes, options)
    return z, logits


def main():
    args = parse_arguments()
    refuse_existing(args.out, args.force)
    started = time.time()
    sample = load_sample(args.sample)
    check_reproduction(sample)
    rng = np.random.default_rng(args.seed)
    labels = sample["labels"]
    if args.sources > len(labels):
        sys.exit(f"make_crops_data.py: error: --sources {args.sources} exceeds the {len(labels)} digits of {args.sample}")
    sources = balanced_choice(rng, labels, np.arange(len(labels)), args.sources)
    held_out = balanced_choice(rng, labels, sources, int(round(args.test_fraction * args.sources)))
    images, groups, ids = build_images(rng, sample, sources, args)
    test_mask = np.isin(groups, held_out).astype(np.uint8)
    z, logits = write_file(args, sample, images, groups, ids, test_mask, rng)
    correct, whole = logits.argmax(1) == labels[groups], np.char.endswith(ids, "/whole")
    print(f"wrote {args.out}: {len(z)} rows ({len(sources)} digits × {args.crops + 1}), {int(test_mask.sum())} held out "
          f"({len(held_out)} digits); zero share of z {np.mean(z == 0):.3f}; CNN accuracy whole "
          f"{np.mean(correct[whole]):.3f}, crops {np.mean(correct[~whole]):.3f}; {os.path.getsize(args.out) / 1e6:.1f} MB in "
          f"{time.time() - started:.1f} s")
    test = test_mask == 1
    print_ridge("crops", [sample["class_names"][3]], *ridge_r2(z, logits[:, 3], ~test, test))
    print_ridge("crops (all 10)", sample["class_names"], *ridge_r2(z, logits, ~test, test))


if __name__ == "__main__":
    main()
