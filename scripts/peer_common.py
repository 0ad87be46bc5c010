"""What the two benchmark peers (scripts/torch_reference.py, scripts/jax_reference.py) share: their
command line and their rows, so both are asked the same question in the same words.

`xnn bench` calls either as  SCRIPT --data FILE --hidden H1 H2 --concepts K --batch B --threads T
--epochs E --json  and reads one JSON line {samplesPerSecond, version}. Exit status 3 means a
package the script needs is not importable.
"""
import argparse
import sys

import numpy as np


def parse_arguments(description):
    p = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--dim", type=int, default=1280)
    p.add_argument("--hidden", type=int, nargs="*", default=[800, 100])
    p.add_argument("--concepts", type=int, default=5)
    p.add_argument("--outputs", type=int, default=1)
    p.add_argument("--samples", type=int, default=5000)
    p.add_argument("--batch", type=int, default=50)
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--data", help="an activation file (datasets activations, logits) instead of generated rows")
    p.add_argument("--json", action="store_true", help="print one JSON line {samplesPerSecond, version}")
    return p.parse_args()


def load_rows(args, program):
    """(z, y) as float32 arrays: the file's `activations` and `logits`, or generated rows
    (z = max(0, N(0, 1)), y = z·w/√D); the arguments' sizes are updated to the rows'."""
    if args.data:
        try:
            import h5py
        except ImportError as error:
            print(f"{program}: h5py is not importable ({error})", file=sys.stderr)
            sys.exit(3)
        with h5py.File(args.data, "r") as f:
            z = np.asarray(f["activations"], dtype=np.float32)
            y = np.asarray(f["logits"], dtype=np.float32).reshape(len(z), -1)
    else:
        rng = np.random.default_rng(0)
        z = np.maximum(rng.normal(0, 1, (args.samples, args.dim)), 0).astype(np.float32)
        y = z @ (rng.normal(0, 1, (args.dim, args.outputs)) / np.sqrt(args.dim)).astype(np.float32)
    args.samples, args.dim, args.outputs = z.shape[0], z.shape[1], y.shape[1]
    return z, y
