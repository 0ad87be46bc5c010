#!/usr/bin/env python3
"""The same SRAE as scripts/torch_reference.py in JAX, the whole step compiled by XLA, for speed comparisons.

Model and loss follow docs/method.md §2-3 exactly as torch_reference.py (and the Swift engine) has them:
encoder D→h1→h2→k (ReLU, dropout 0.02 after the first layer), mirrored decoder with ReLU output,
predictor k→C; L = MSE(ŷ, y) + 15·mean_d log(1 + 100·e_d) + 5·pull-away over the columns of x ⊙ v̄;
Adam(lr 1e-3) with PyTorch-style L2 weight decay 1e-4 (added to the gradient). Forward pass, losses,
gradients and the Adam update are one `jax.jit` function. Prints samples/s over timed epochs after one
warm-up epoch (which also compiles the step).

    bash scripts/python_env.sh --peers          # .venv with jax (and torch)
    .venv/bin/python scripts/jax_reference.py --dim 1280 --hidden 800 100 --concepts 5 --batch 50 --threads 2
    .venv/bin/python scripts/jax_reference.py --data activations.h5 --json   # the file `xnn bench` writes

--threads N pins the process to N cores before XLA starts (XLA sizes its thread pools by the cores
it may run on) and, for N = 1, also switches off Eigen's own threading.
Exit status 3 means jax (or h5py, with --data) is not importable.
"""
import json
import os
import sys
import time
from functools import partial

try:
    import numpy as np
    import jax
    import jax.numpy as jnp
    from peer_common import load_rows, parse_arguments
except ImportError as error:
    if __name__ != "__main__":
        raise
    print(f"jax_reference: {error.name or 'jax'} is not importable ({error})", file=sys.stderr)
    sys.exit(3)

LOSS_WEIGHTS = (1.0, 15.0, 5.0)  # prediction, reconstruction, pull-away: as torch_reference.py
ADAM = dict(lr=1e-3, b1=0.9, b2=0.999, eps=1e-8, weight_decay=1e-4)  # torch.optim.Adam's defaults + decay


def limit_threads(threads):
    """Restricts XLA to `threads` cores; must run before the first JAX computation starts the backend."""
    cpus = sorted(os.sched_getaffinity(0))
    os.sched_setaffinity(0, cpus[:max(1, threads)])
    if threads == 1:
        os.environ["XLA_FLAGS"] = (os.environ.get("XLA_FLAGS", "") + " --xla_cpu_multi_thread_eigen=false").strip()


def init_params(rng, dim, hidden, concepts, outputs):
    """nn.Linear's default initialisation: weight (out × in) and bias uniform in ±1/√in."""
    def linear(a, b):
        bound = 1 / np.sqrt(a)
        return (rng.uniform(-bound, bound, (b, a)).astype(np.float32), rng.uniform(-bound, bound, b).astype(np.float32))
    widths = [dim] + hidden + [concepts]
    back = widths[::-1]
    return {"encoder": [linear(a, b) for a, b in zip(widths, widths[1:])],
            "decoder": [linear(a, b) for a, b in zip(back, back[1:])],
            "predictor": linear(concepts, outputs)}


def forward(params, z, key, dropout):
    h = z
    encoder = params["encoder"]
    for i, (w, b) in enumerate(encoder):
        h = jax.nn.relu(h @ w.T + b)
        if i == 0 and len(encoder) > 1 and dropout > 0:
            keep = jax.random.bernoulli(key, 1 - dropout, h.shape)
            h = jnp.where(keep, h / (1 - dropout), 0)
    x = h
    r = x
    for w, b in params["decoder"]:
        r = jax.nn.relu(r @ w.T + b)
    w, b = params["predictor"]
    return x, r, x @ w.T + b


def loss_terms(params, z, y, x, z_hat, y_hat, q=100.0, eps=1e-8):
    faith = ((y_hat - y) ** 2).mean()
    e = ((z_hat - z) ** 2).mean(axis=0)
    sparse_reconstruction = jnp.log1p(q * e).mean()
    s = x * params["predictor"][0].sum(axis=0)
    gram = s.T @ s
    # A concept silent on the whole batch has norm 0, where √ has no derivative: the floor makes its
    # gradient 0 (as the engine's PullAwayLoss has it) instead of 0·∞ = NaN in every weight.
    norms = jnp.sqrt(jnp.maximum(jnp.diagonal(gram), 1e-30))
    cos = gram / (norms[:, None] * norms[None, :] + eps)
    k = s.shape[1]
    off = 1 - jnp.eye(k, dtype=cos.dtype)
    pull_away = ((cos * off) ** 2).sum() / (k * (k - 1))
    return faith, sparse_reconstruction, pull_away


def adam(params, grads, m, v, t):
    """One torch.optim.Adam step (L2 decay added to the gradient), v's bias correction inside the root as in the engine."""
    lr, b1, b2, eps, decay = ADAM["lr"], ADAM["b1"], ADAM["b2"], ADAM["eps"], ADAM["weight_decay"]
    g = jax.tree_util.tree_map(lambda p, d: d + decay * p, params, grads)
    m = jax.tree_util.tree_map(lambda m, g: b1 * m + (1 - b1) * g, m, g)
    v = jax.tree_util.tree_map(lambda v, g: b2 * v + (1 - b2) * g * g, v, g)
    step_size = lr / (1 - b1 ** t)
    correction_inverse = 1 / (1 - b2 ** t)  # inside the square root, as the engine's Adam (one division fewer)
    params = jax.tree_util.tree_map(lambda p, m, v: p - step_size * m / (jnp.sqrt(v * correction_inverse) + eps), params, m, v)
    return params, m, v


def initial_state(params, seed=0):
    params = jax.tree_util.tree_map(jnp.asarray, params)
    zeros = jax.tree_util.tree_map(jnp.zeros_like, params)
    return params, zeros, jax.tree_util.tree_map(jnp.zeros_like, params), jnp.float32(0), jax.random.PRNGKey(seed)


def make_step(dropout):
    """The whole training step as one compiled function: (state, z, y, batch rows) → (state, losses)."""
    @partial(jax.jit, donate_argnums=0)
    def step(state, z, y, idx):
        params, m, v, t, key = state
        key, dropout_key = jax.random.split(key)
        zb, yb = z[idx], y[idx]

        def total(p):
            x, z_hat, y_hat = forward(p, zb, dropout_key, dropout)
            terms = loss_terms(p, zb, yb, x, z_hat, y_hat)
            return sum(w * term for w, term in zip(LOSS_WEIGHTS, terms)), terms

        (loss, terms), grads = jax.value_and_grad(total, has_aux=True)(params)
        t = t + 1
        params, m, v = adam(params, grads, m, v, t)
        return (params, m, v, t, key), (loss,) + terms
    return step


def main():
    args = parse_arguments(__doc__)
    limit_threads(args.threads)
    z, y = load_rows(args, "jax_reference")
    rng = np.random.default_rng(0)
    state = initial_state(init_params(rng, args.dim, args.hidden, args.concepts, args.outputs))
    step = make_step(dropout=0.02)
    z, y = jnp.asarray(z), jnp.asarray(y)
    timings = []
    for epoch in range(args.epochs + 1):
        order = rng.permutation(args.samples).astype(np.int32)
        start = time.perf_counter()
        for first in range(0, args.samples, args.batch):
            state, losses = step(state, z, y, order[first:first + args.batch])
        jax.block_until_ready(state)
        if epoch > 0:  # the first epoch warms up and compiles
            timings.append(time.perf_counter() - start)
    rate = args.samples / (sum(timings) / len(timings))
    if args.json:
        print(json.dumps({"samplesPerSecond": rate, "version": jax.__version__}))
        return
    print(f"jax {jax.__version__} threads {args.threads}: D={args.dim} hidden={args.hidden} k={args.concepts} "
          f"batch {args.batch}: {rate:.0f} samples/s (last loss {float(losses[0]):.4f})")


if __name__ == "__main__":
    main()
