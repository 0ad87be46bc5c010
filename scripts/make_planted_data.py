#!/usr/bin/env python3
"""Planted-concept data for the quality benchmark: activations z built from known sparse concepts
plus nuisance factors, and logits that depend on the concepts only, in the layout of
docs/data-format.md (with the planted truth in `concepts`, for recovery checks).

Generative model, one row per sample (k concepts, m nuisance factors, D features, L logits):

    c  ∈ R^k, c_j ≥ 0   zero on a fraction `--sparsity` of rows, else exponential (mean 1)
    n  ∈ R^m            dense standard Gaussian
    u  = s_c·A c + s_n·B n + b + ε       A (D×k), B (D×m) "non-negative-ish": |N(0,1)| entries,
                                         each negated with probability 0.2; ε ~ N(0, noise²)
    z  = max(u, 0) + (1 − t)·min(u, 0)   t = `--nonlinearity` (0: z linear, 1: z = ReLU(u))
    y  = V c + β                         each logit driven by a few concepts, every concept by ≥ 1

s_c and s_n are set so that the centred pre-activation s_c·A c + s_n·B n has an average per-feature
variance of 1, a share `--nuisance-share` of it from the nuisance term; ε is relative to that unit.
The per-feature offset b puts the ReLU threshold inside each feature's range (about a third of z
is 0 at the defaults). A ridge regression of y on z prints its R² per logit at the end (≥ 0.98
expected at the defaults). The same seed gives the same data.

    bash scripts/python_env.sh
    .venv/bin/python scripts/make_planted_data.py --out runs/quality-data/planted.h5 [--force]
"""
import argparse
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from quality_data_io import add_output_arguments, print_ridge, refuse_existing, ridge_r2, write_activation_file  # noqa: E402


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add = parser.add_argument
    add("--concepts", type=int, default=4, help="number of true concepts k [4]")
    add("--sparsity", type=float, default=0.7, help="fraction of rows where each concept is zero [0.7]")
    add("--nuisance", type=int, default=4, help="number of dense nuisance factors [4]")
    add("--nuisance-share", type=float, default=0.8, help="share of the variance of z's mixture from nuisance [0.8]")
    add("--nonlinearity", type=float, default=1.0, help="0 = z linear in the factors, 1 = ReLU [1.0]")
    add("--logits", type=int, default=2, help="number of logits L [2]")
    add("--rows", type=int, default=6000, help="number of samples N [6000]")
    add("--dim", type=int, default=512, help="activation dimension D [512]")
    add("--noise", type=float, default=0.05, help="std of the noise in z's pre-activation [0.05]")
    add_output_arguments(add, "share of rows in test_mask [0.2]")
    args = parser.parse_args()
    checks = [(args.concepts >= 1, "--concepts must be ≥ 1"), (0 <= args.sparsity < 1, "--sparsity must be in [0, 1)"),
              (args.nuisance >= 0, "--nuisance must be ≥ 0"), (0 <= args.nuisance_share < 1, "--nuisance-share must be in [0, 1)"),
              (0 <= args.nonlinearity <= 1, "--nonlinearity must be in [0, 1]"), (args.logits >= 1, "--logits must be ≥ 1"),
              (args.rows >= 10 and args.dim >= 1, "--rows must be ≥ 10 and --dim ≥ 1"), (args.noise >= 0, "--noise must be ≥ 0"),
              (0 < args.test_fraction < 1, "--test-fraction must be in (0, 1)")]
    for ok, message in checks:
        if not ok:
            parser.error(message)
    if args.nuisance == 0 and args.nuisance_share > 0:
        parser.error("--nuisance-share must be 0 with --nuisance 0")
    return args


def mixing_matrix(rng, rows, columns):
    """|N(0,1)| entries, each negated with probability 0.2: mostly excitatory, like CNN features."""
    magnitude = np.abs(rng.standard_normal((rows, columns)))
    return np.where(rng.random((rows, columns)) < 0.2, -magnitude, magnitude)


def sample_factors(rng, args):
    """Sparse non-negative concepts (N, k) and dense Gaussian nuisance factors (N, m)."""
    active = rng.random((args.rows, args.concepts)) >= args.sparsity
    concepts = np.where(active, rng.exponential(1.0, (args.rows, args.concepts)), 0.0)
    nuisance = rng.standard_normal((args.rows, args.nuisance))
    return concepts, nuisance


def activations(rng, args, concepts, nuisance):
    """z = φ_t(s_c·A c + s_n·B n + b + ε), scaled as in the module docstring."""
    concept_part = concepts @ mixing_matrix(rng, args.dim, args.concepts).T
    nuisance_part = nuisance @ mixing_matrix(rng, args.dim, args.nuisance).T
    concept_variance = concept_part.var(0).mean()
    nuisance_variance = nuisance_part.var(0).mean() if args.nuisance else 0.0
    mixture = concept_part * np.sqrt((1 - args.nuisance_share) / concept_variance)
    if args.nuisance:
        mixture += nuisance_part * np.sqrt(args.nuisance_share / nuisance_variance)
    offset = -mixture.mean(0) + rng.normal(0.5, 0.5, args.dim)
    pre = mixture + offset + args.noise * rng.standard_normal(mixture.shape)
    z = np.maximum(pre, 0) + (1 - args.nonlinearity) * np.minimum(pre, 0)
    return z.astype(np.float32)


def readout(rng, concepts, logits):
    """V (L, k) with every concept driving ≥ 1 logit and each logit a few concepts; y = V c + β."""
    k = concepts.shape[1]
    drives = np.zeros((logits, k), bool)
    drives[rng.permutation(k) % logits if k >= logits else np.arange(k) % logits, np.arange(k)] = True
    for row in np.flatnonzero(~drives.any(1)):  # more logits than concepts: give each one concept
        drives[row, rng.integers(k)] = True
    drives |= rng.random((logits, k)) < 0.25
    weights = rng.uniform(0.5, 1.5, (logits, k)) * np.where(rng.random((logits, k)) < 0.3, -1.0, 1.0)
    V = np.where(drives, weights, 0.0)
    bias = rng.normal(0, 0.1, logits)
    return (concepts @ V.T + bias).astype(np.float32), V


def describe(args):
    return (f"planted concepts: concepts={args.concepts} sparsity={args.sparsity} nuisance={args.nuisance} "
            f"nuisance_share={args.nuisance_share} nonlinearity={args.nonlinearity} logits={args.logits} "
            f"rows={args.rows} dim={args.dim} noise={args.noise} test_fraction={args.test_fraction} seed={args.seed}")


def main():
    args = parse_arguments()
    refuse_existing(args.out, args.force)
    started = time.time()
    rng = np.random.default_rng(args.seed)
    concepts, nuisance = sample_factors(rng, args)
    z = activations(rng, args, concepts, nuisance)
    y, V = readout(rng, concepts, args.logits)
    test_mask = np.zeros(args.rows, np.uint8)
    test_mask[rng.permutation(args.rows)[: int(round(args.test_fraction * args.rows))]] = 1
    names = [f"logit{i}" for i in range(args.logits)]
    datasets = {
        "activations": z, "logits": y, "concepts": concepts.astype(np.float32), "test_mask": test_mask,
        "image_ids": [f"planted-{i:06d}" for i in range(args.rows)], "class_names": names,
    }
    attributes = {"created_by": "scripts/make_planted_data.py", "source": describe(args),
                  "model": "synthetic (no CNN)", "layer": "synthetic z"}
    options = {"concepts": {"attrs": {"readout_V": V}}}
    write_activation_file(args.out, args.force, datasets, attributes, options)
    print(f"wrote {args.out}: {args.rows} rows, D = {args.dim}, {args.logits} logits, {args.concepts} planted "
          f"concepts; zero share of z {np.mean(z == 0):.3f}; concepts per logit {(V != 0).sum(1).tolist()}; "
          f"{os.path.getsize(args.out) / 1e6:.1f} MB in {time.time() - started:.1f} s")
    test = test_mask == 1
    print_ridge("planted", names, *ridge_r2(z, y, ~test, test))


if __name__ == "__main__":
    main()
