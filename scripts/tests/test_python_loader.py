"""Tests of the Python package python/xnn_swift (docs/python.md): load_run(run).encode reproduces
the run's concepts.h5 to 1e-5, predictions and contributions too, for the SRAE and the baselines;
to_torch() gives the same numbers (skipped, saying so, without torch). Needs the built xnn
(.build/release/xnn) to train the runs; skipped, saying so, without it or without h5py.

    python3 -m unittest discover -s scripts/tests -p test_python_loader.py
"""
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
XNN = os.path.join(ROOT, ".build", "release", "xnn")
sys.path.insert(0, os.path.join(ROOT, "python"))

try:
    import h5py
    from xnn_swift import load_run
    MISSING = None if os.path.exists(XNN) else f"needs the built xnn at {XNN} (swift build -c release)"
except ImportError as error:
    MISSING = f"needs numpy and h5py ({error})"
try:
    import torch
except ImportError:
    torch = None


@unittest.skipIf(MISSING, MISSING or "")
class PythonLoaderTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.folder = tempfile.TemporaryDirectory()
        cls.runs = {}
        for kind in ("srae", "pca", "nmf", "channel_clusters"):
            out = os.path.join(cls.folder.name, kind)
            subprocess.run([XNN, "train", os.path.join(ROOT, "experiments", "quickstart.yaml"), "--quiet", "--out", out,
                            "--set", f"model.kind={kind}", "--set", "training.epochs=3", "--set", "training.search.candidates=1"],
                           check=True, capture_output=True, cwd=ROOT)
            cls.runs[kind] = out
        with h5py.File(os.path.join(ROOT, "data", "mnist_cnn.h5"), "r") as f:
            cls.z = f["activations"][:]

    @classmethod
    def tearDownClass(cls):
        cls.folder.cleanup()

    def stored(self, kind, name):
        with h5py.File(os.path.join(self.runs[kind], "concepts.h5"), "r") as f:
            return f[name][:]

    def assertReproduces(self, ours, stored, tolerance, message):
        """Largest difference within `tolerance` × the array's scale (max |value|, at least 1): xnn
        computes in float32, whose rounding grows with the magnitudes summed."""
        scale = max(1.0, float(np.abs(stored).max()))
        self.assertLessEqual(float(np.abs(ours - stored).max()), tolerance * scale, message)

    def test_encode_predict_and_contributions_reproduce_concepts_h5(self):
        for kind in self.runs:
            run = load_run(self.runs[kind])
            tolerance = 1e-4 if kind == "nmf" else 1e-5  # NMF: 300 multiplicative updates in float32 in xnn
            self.assertReproduces(run.encode(self.z), self.stored(kind, "concepts"), tolerance, kind)
            self.assertReproduces(run.predict(self.z), self.stored(kind, "predictions"), tolerance, kind)
            self.assertReproduces(run.contributions(self.z), self.stored(kind, "contributions"), tolerance, kind)
            self.assertEqual(run.target_names, ["three"])

    def test_weights_config_and_bad_input(self):
        run = load_run(self.runs["srae"])
        self.assertEqual(run.weights["encoder/0/weight"].shape, (800, 128))
        self.assertIn("predictor/weight", run.weights)
        self.assertIn("concepts: 5", run.config_text)
        with self.assertRaisesRegex(ValueError, r"expected activations of shape \(rows, 128\), found \(3, 7\)"):
            run.encode(np.zeros((3, 7)))
        with self.assertRaisesRegex(FileNotFoundError, "found no model.h5"):
            load_run(self.folder.name)

    def copied_run_with_hidden_activation(self, value):
        """A copy of the SRAE run whose model.h5 names `value` as hidden activation (None: no attribute, as older runs)."""
        folder = os.path.join(self.folder.name, f"hidden-{value}")
        shutil.copytree(self.runs["srae"], folder)
        with h5py.File(os.path.join(folder, "model.h5"), "r+") as f:
            del f.attrs["hidden_activation"]
            if value is not None:
                f.attrs["hidden_activation"] = value
        return folder

    def test_hidden_activation_is_recorded_read_and_defaults_to_relu(self):
        with h5py.File(os.path.join(self.runs["srae"], "model.h5"), "r") as f:
            self.assertEqual(f.attrs["hidden_activation"], "relu")
        old = load_run(self.copied_run_with_hidden_activation(None))
        self.assertEqual(old.hidden_activation, "relu")
        self.assertReproduces(old.encode(self.z), self.stored("srae", "concepts"), 1e-5, "a run without the attribute")
        sigmoid = load_run(self.copied_run_with_hidden_activation("sigmoid"))
        h = (self.z.astype(np.float64) - sigmoid.weights["normalization/activation_mean"]) / sigmoid.weights["normalization/activation_scale"]
        for i, (weight, bias) in enumerate(sigmoid.encoder):
            h = h @ weight.T + bias
            h = np.maximum(h, 0) if i == len(sigmoid.encoder) - 1 else 1 / (1 + np.exp(-h))
        self.assertReproduces(sigmoid.encode(self.z), h.astype(np.float32), 1e-6, "the recorded hidden activation is applied")
        with self.assertRaisesRegex(ValueError, r"hidden_activation 'swish' is not one this loader knows \(relu, linear"):
            load_run(self.copied_run_with_hidden_activation("swish"))

    @unittest.skipIf(torch is None, "to_torch() needs torch (bash scripts/python_env.sh --peers)")
    def test_to_torch_gives_the_same_concepts_and_predictions(self):
        run = load_run(self.runs["srae"])
        module = run.to_torch().double()
        with torch.no_grad():
            concepts, predictions = module(torch.from_numpy(self.z.astype(np.float64)))
        self.assertReproduces(concepts.numpy(), self.stored("srae", "concepts"), 1e-5, "torch concepts")
        self.assertReproduces(predictions.numpy(), self.stored("srae", "predictions"), 1e-5, "torch predictions")


if __name__ == "__main__":
    unittest.main()
