"""Load a run written by `xnn train` (docs/python.md):

    from xnn_swift import load_run
    run = load_run("runs/quickstart")
    x = run.encode(z)            # concepts, rows × k (numpy)
    y_hat = run.predict(z)       # rebuilt outputs, in the targets' units
    module = run.to_torch()      # the same maps as a torch.nn.Module (needs torch)
"""
from .run import Run, load_run

__all__ = ["Run", "load_run"]
