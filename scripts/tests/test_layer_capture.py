"""Tests of scripts/extract_activations.py --layers (scripts/layer_capture.py): gradient weights
against finite differences on a tiny CNN, and against the closed form W[c, :]/(h·w) of the shipped
MNIST CNN's global-average-pool → linear head. Skipped, saying so, without torch or h5py.

    python3 -m unittest discover -s scripts/tests
"""
import os
import subprocess
import sys
import tempfile
import unittest

import numpy as np

try:
    import h5py
    import torch
    MISSING = None
except ImportError as error:
    MISSING = f"needs torch and h5py ({error})"

from test_extract_activations import ROOT, SCRIPTS, TINY_MODEL


def run_extract(*arguments):
    return subprocess.run([sys.executable, os.path.join(SCRIPTS, "extract_activations.py"), "--threads", "1", *arguments],
                          capture_output=True, text=True)


@unittest.skipIf(MISSING, MISSING or "")
class LayerCaptureTests(unittest.TestCase):
    def setUp(self):
        self.folder = tempfile.TemporaryDirectory()
        self.dir = self.folder.name
        with open(os.path.join(self.dir, "tiny.py"), "w") as f:
            f.write(TINY_MODEL)
        self.images = np.random.default_rng(4).integers(0, 256, (6, 8, 8, 3), dtype=np.uint8)
        np.save(os.path.join(self.dir, "images.npy"), self.images)

    def tearDown(self):
        self.folder.cleanup()

    def test_gradient_weights_match_finite_differences(self):
        out = os.path.join(self.dir, "layers.h5")
        result = run_extract("--model", os.path.join(self.dir, "tiny.py") + ":build", "--model-arg", "3",
                             "--array", os.path.join(self.dir, "images.npy"), "--scale", "255", "--layer", "4",
                             "--layers", "1,4", "--gradient-classes", "all", "--feature-maps", "all",
                             "--batch-size", "4", "--out", out)
        self.assertEqual(result.returncode, 0, result.stderr)
        spec = {}
        exec(TINY_MODEL, spec)
        model = spec["build"]("3").double().eval()
        x = torch.from_numpy(self.images.astype(np.float64).transpose(0, 3, 1, 2) / 255)
        with h5py.File(out, "r") as f:
            self.assertEqual(list(f["layers"].attrs["order"]), ["1", "4"])
            self.assertEqual([name.decode() for name in f["layers/names"][:]], ["1", "4"])
            np.testing.assert_array_equal(f["layers/gradient_classes"][:], np.tile(np.arange(3), (6, 1)))
            for name, index in (("1", 1), ("4", 4)):
                stored = f[f"layers/{name}/gradient_weights"][:]
                maps = f[f"layers/{name}/feature_maps"][:]
                h, w, k = maps.shape[1:]
                self.assertEqual(stored.shape, (6, 3, k))
                with torch.no_grad():
                    np.testing.assert_allclose(maps, model[:index + 1](x).permute(0, 2, 3, 1).numpy(), atol=1e-5)
                for channel in range(k):
                    # Adding ε to every location of channel k moves y_c by ε·Σ_locations g = ε·h·w·weight.
                    slopes = (self.shifted(model, x, index, channel, 1e-5) - self.shifted(model, x, index, channel, -1e-5)) / 2e-5
                    np.testing.assert_allclose(stored[:, :, channel], slopes / (h * w), atol=2e-5, err_msg=f"layer {name} channel {channel}")

    @staticmethod
    def shifted(model, x, index, channel, epsilon):
        def hook(module, inputs, output):
            output = output.clone()
            output[:, channel] += epsilon
            return output
        handle = model[index].register_forward_hook(hook)
        with torch.no_grad():
            logits = model(x).numpy()
        handle.remove()
        return logits

    def test_gradient_weights_of_a_pooled_linear_head_are_its_weights_over_h_w(self):
        sample = os.path.join(ROOT, "data", "mnist_cnn.h5")
        out = os.path.join(self.dir, "mnist-layers.h5")
        result = run_extract("--model", os.path.join(SCRIPTS, "models", "mnist_cnn.py") + ":build", "--model-arg", sample,
                             "--layer", "relu3", "--layers", "relu2,relu3", "--gradient-classes", "all",
                             "--array", sample + ":thumbnails", "--scale", "255", "--feature-maps", "8", "--out", out)
        self.assertEqual(result.returncode, 0, result.stderr)
        with h5py.File(sample, "r") as f:
            weight = np.asarray(f["source_model/fc_weight"])  # (10, 128)
        with h5py.File(out, "r") as f:
            maps = f["layers/relu3/feature_maps"][:]
            h, w = maps.shape[1:3]
            plain, guided = f["layers/relu3/gradient_weights"][:], f["layers/relu3/guided_weights"][:]
            self.assertEqual(f["layers/relu2/gradient_weights"].shape, (8, 10, 32))
        np.testing.assert_allclose(plain, np.broadcast_to(weight / (h * w), plain.shape), rtol=1e-5, atol=1e-8)
        active = (maps > 0).mean(axis=(1, 2))  # (8, 128): share of locations where A_k > 0
        expected = np.maximum(weight, 0)[None] / (h * w) * active[:, None, :]
        np.testing.assert_allclose(guided, expected, rtol=1e-5, atol=1e-8)

    def test_bad_requests_get_one_clear_line(self):
        base = ["--model", os.path.join(self.dir, "tiny.py") + ":build", "--array", os.path.join(self.dir, "images.npy"),
                "--layer", "4"]
        none = run_extract(*base, "--layers", "1", "--out", os.path.join(self.dir, "a.h5"))
        self.assertNotEqual(none.returncode, 0)
        self.assertIn("--feature-maps", none.stderr)
        bad = run_extract(*base, "--layers", "1", "--feature-maps", "all", "--gradient-classes", "0,7",
                          "--out", os.path.join(self.dir, "b.h5"))
        self.assertNotEqual(bad.returncode, 0)
        self.assertIn("outside 0…2", bad.stderr)
        self.assertEqual(sorted(os.listdir(self.dir)), ["images.npy", "tiny.py"])  # no partial file left


if __name__ == "__main__":
    unittest.main()
