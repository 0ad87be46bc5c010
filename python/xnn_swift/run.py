"""A trained explanation space read from a run's model.h5 (layout: docs/outputs.md)."""
import os

import h5py
import numpy as np

ACTIVATIONS = {
    "relu": lambda v: np.maximum(v, 0),
    "linear": lambda v: v,
    "sigmoid": lambda v: 1 / (1 + np.exp(-v)),
    "softplus": lambda v: np.where(v > 20, v, np.log1p(np.exp(np.minimum(v, 20)))),
}
# What model.h5 files written before `hidden_activation` was recorded used (docs/outputs.md).
DEFAULT_HIDDEN_ACTIVATION = "relu"


def load_run(run_dir):
    """The run in `run_dir` (a folder written by `xnn train`, holding model.h5)."""
    return Run(run_dir)


class Run:
    """Weights, normalisation and shape of a run; `encode`, `contributions` and `predict` apply
    exactly the maps `xnn` applies (in double precision)."""

    def __init__(self, run_dir):
        path = os.path.join(run_dir, "model.h5")
        if not os.path.isfile(path):
            raise FileNotFoundError(f"{run_dir}: expected a run directory from xnn train, found no model.h5")
        with h5py.File(path, "r") as f:
            if f.attrs.get("format") != "xnn-model":
                raise ValueError(f"{path}: expected an XNN model file (format = xnn-model), found {f.attrs.get('format')!r}")
            self.model_type = str(f.attrs.get("model_type", "srae"))
            self.input_dimension = int(f.attrs["input_dimension"])
            self.concepts = int(f.attrs["concepts"])
            self.outputs = int(f.attrs["outputs"])
            self.concept_activation = str(f.attrs.get("concept_activation", "relu"))
            self.output_activation = str(f.attrs["output_activation"])
            self.hidden_activation = str(f.attrs.get("hidden_activation", DEFAULT_HIDDEN_ACTIVATION))
            self.config_text = str(f.attrs["config"])
            self.target_names = [n.decode() if isinstance(n, bytes) else str(n) for n in f["target_names"][:]]
            self.weights = {}
            f.visititems(lambda name, item: self.weights.__setitem__(name, np.asarray(item[()]))
                         if isinstance(item, h5py.Dataset) and item.dtype.kind == "f" else None)
        if self.model_type not in ("srae", "nmf"):
            raise ValueError(f"{path}: model_type {self.model_type!r} is not one this loader knows (srae, nmf)")
        for key in ("hidden_activation", "concept_activation"):
            if getattr(self, key) not in ACTIVATIONS:
                raise ValueError(f"{path}: {key} {getattr(self, key)!r} is not one this loader knows ({', '.join(ACTIVATIONS)})")
        self.encoder = self._layers("encoder")
        self.decoder = self._layers("decoder")

    @property
    def config(self):
        """The run's resolved configuration as a dict (needs PyYAML), else its YAML text."""
        try:
            import yaml
        except ImportError:
            return self.config_text
        return yaml.safe_load(self.config_text)

    def _layers(self, prefix):
        count = len([k for k in self.weights if k.startswith(prefix + "/") and k.endswith("/weight")])
        return [(self.weights[f"{prefix}/{i}/weight"].astype(np.float64), self.weights[f"{prefix}/{i}/bias"].astype(np.float64))
                for i in range(count)]

    def _normalised(self, activations):
        z = np.asarray(activations, dtype=np.float64)
        if z.ndim != 2 or z.shape[1] != self.input_dimension:
            raise ValueError(f"expected activations of shape (rows, {self.input_dimension}), found {z.shape}")
        return (z - self.weights["normalization/activation_mean"]) / self.weights["normalization/activation_scale"]

    def encode(self, activations):
        """x, rows × k: the concept activations (float32, as concepts.h5)."""
        h = self._normalised(activations)
        if self.model_type == "nmf":
            return self._nmf_codes(h).astype(np.float32)
        for i, (weight, bias) in enumerate(self.encoder):
            last = i == len(self.encoder) - 1
            h = ACTIVATIONS[self.concept_activation if last else self.hidden_activation](h @ weight.T + bias)
        return h.astype(np.float32)

    def _nmf_codes(self, z, iterations=300):
        """Codes X ≥ 0 for the basis H by multiplicative updates from xnn's deterministic start."""
        basis = self.weights["nmf/basis"].astype(np.float64)
        numerator, gram = z @ basis.T, basis @ basis.T
        codes = np.maximum(numerator, 1e-6) / max(np.trace(gram) / len(basis), 1e-12)
        for _ in range(iterations):
            codes *= np.maximum(numerator, 0) / (codes @ gram + 1e-12)
        return codes

    def predict(self, activations):
        """ŷ, rows × C, in the targets' units."""
        x = self.encode(activations).astype(np.float64)
        normalised = x @ self.weights["predictor/weight"].T.astype(np.float64) + self.weights["predictor/bias"]
        return (normalised * self.weights["normalization/target_scale"] + self.weights["normalization/target_mean"]).astype(np.float32)

    def contributions(self, activations):
        """x_j · V_cj, rows × C × k: what concept j adds to output c (in the units of concepts.h5: the targets' own, standardised ones with data.standardize_targets)."""
        x = self.encode(activations).astype(np.float64)
        return (x[:, None, :] * self.weights["predictor/weight"][None, :, :]).astype(np.float32)

    def to_torch(self):
        """A torch.nn.Module mapping activations (rows × D) to (concepts, predictions)."""
        try:
            import torch
        except ImportError as error:
            raise ImportError("Run.to_torch() needs torch (pip install torch)") from error
        from .torch_module import RunModule
        if self.model_type != "srae":
            raise ValueError(f"to_torch() supports SRAE-layout models (srae, pca, channel_clusters); this one is {self.model_type}")
        return RunModule(self, torch)
