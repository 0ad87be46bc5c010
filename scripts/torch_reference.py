#!/usr/bin/env python3
"""The same SRAE in ordinary PyTorch (nn.Linear, autograd, torch.optim.Adam), for speed comparisons.

Model and loss follow docs/method.md §2-3 exactly as the Swift engine implements them: encoder D→h1→h2→k
(ReLU, dropout 0.02 after the first layer), mirrored decoder with ReLU output, predictor k→C;
L = α_pred·MSE(ŷ, y) + α_rec·mean_d log(1 + q·e_d) + α_pt·pull-away over the columns of x ⊙ v̄.
Adam(lr 1e-3, weight_decay 1e-4). Prints samples/s over timed epochs after one warm-up epoch.

    pip install --find-links /opt/wheels torch==2.13.0+cpu    # the CPU wheel shipped with the machine
    python3 scripts/torch_reference.py --dim 1280 --hidden 800 100 --concepts 5 --batch 50 --threads 2
    python3 scripts/torch_reference.py --data activations.h5 --json   # the file `xnn bench` writes

Exit status 3 means torch (or h5py, with --data) is not importable.
"""
import json
import sys
import time

import numpy as np

from peer_common import load_rows, parse_arguments

try:
    import torch
    from torch import nn
except ImportError as error:
    print(f"torch_reference: torch is not importable ({error})", file=sys.stderr)
    sys.exit(3)


class SRAE(nn.Module):
    def __init__(self, dim, hidden, concepts, outputs, dropout=0.02):
        super().__init__()
        widths = [dim] + hidden + [concepts]
        self.encoder = nn.ModuleList(nn.Linear(a, b) for a, b in zip(widths, widths[1:]))
        back = widths[::-1]
        self.decoder = nn.ModuleList(nn.Linear(a, b) for a, b in zip(back, back[1:]))
        self.predictor = nn.Linear(concepts, outputs)
        self.dropout = nn.Dropout(dropout)

    def forward(self, z):
        h = z
        for i, layer in enumerate(self.encoder):
            h = torch.relu(layer(h))
            if i == 0 and len(self.encoder) > 1:
                h = self.dropout(h)
        x = h
        r = x
        for layer in self.decoder:
            r = torch.relu(layer(r))
        return x, r, self.predictor(x)


def loss_terms(model, z, y, x, z_hat, y_hat, q=100.0, eps=1e-8):
    faith = ((y_hat - y) ** 2).mean()
    e = ((z_hat - z) ** 2).mean(dim=0)
    sparse_reconstruction = torch.log1p(q * e).mean()
    s = x * model.predictor.weight.sum(dim=0)
    gram = s.T @ s
    # A concept silent on the whole batch has norm 0, where √ has no derivative: the floor makes its
    # gradient 0 (as the engine's PullAwayLoss has it) instead of 0·∞ = NaN in every weight.
    norms = torch.sqrt(torch.clamp(torch.diagonal(gram), min=1e-30))
    cos = gram / (norms[:, None] * norms[None, :] + eps)
    k = s.shape[1]
    off = ~torch.eye(k, dtype=torch.bool)
    pull_away = (cos[off] ** 2).sum() / (k * (k - 1))
    return faith, sparse_reconstruction, pull_away


def main():
    args = parse_arguments(__doc__)
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    z, y = (torch.from_numpy(array) for array in load_rows(args, "torch_reference"))
    model = SRAE(args.dim, args.hidden, args.concepts, args.outputs)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-4)
    timings = []
    for epoch in range(args.epochs + 1):
        order = torch.randperm(args.samples)
        start = time.perf_counter()
        for first in range(0, args.samples, args.batch):
            idx = order[first:first + args.batch]
            x, z_hat, y_hat = model(z[idx])
            faith, rec, pt = loss_terms(model, z[idx], y[idx], x, z_hat, y_hat)
            loss = faith + 15 * rec + 5 * pt
            optimizer.zero_grad(set_to_none=False)
            loss.backward()
            optimizer.step()
        if epoch > 0:  # the first epoch warms up
            timings.append(time.perf_counter() - start)
    rate = args.samples / (sum(timings) / len(timings))
    if args.json:
        print(json.dumps({"samplesPerSecond": rate, "version": torch.__version__}))
        return
    widths = [args.dim] + args.hidden + [args.concepts]
    forward = sum(2 * a * b for a, b in zip(widths, widths[1:])) + args.concepts * args.outputs
    # Exact, as SRAEArchitecture.trainingMultiplyAddsPerSample: no gradient for the data itself.
    step_flops = 2 * (3 * forward - widths[0] * widths[1] + 2 * args.concepts ** 2)
    print(f"torch {torch.__version__} threads {args.threads}: D={args.dim} hidden={args.hidden} k={args.concepts} "
          f"batch {args.batch}: {rate:.0f} samples/s ({step_flops * rate / 1e9:.1f} GFLOP/s from the exact FLOP count)")


if __name__ == "__main__":
    main()
