"""Tests of scripts/extract_activations.py on a tiny randomly initialised CNN, and of the sample
reproduction. Skipped, saying so, when torch or h5py is not importable.

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

SCRIPTS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ROOT = os.path.dirname(SCRIPTS)

TINY_MODEL = '''
import torch
from torch import nn

def build(seed="0"):
    torch.manual_seed(int(seed))
    return nn.Sequential(nn.Conv2d(3, 4, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(4, 6, 3, padding=1), nn.ReLU(),
                         nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(6, 3))
'''


@unittest.skipIf(MISSING, MISSING or "")
class ExtractActivationsTests(unittest.TestCase):
    def setUp(self):
        self.folder = tempfile.TemporaryDirectory()
        self.dir = self.folder.name
        with open(os.path.join(self.dir, "tiny.py"), "w") as f:
            f.write(TINY_MODEL)
        rng = np.random.default_rng(1)
        self.images = rng.integers(0, 256, (10, 8, 8, 3), dtype=np.uint8)
        np.save(os.path.join(self.dir, "images.npy"), self.images)
        np.save(os.path.join(self.dir, "labels.npy"), np.arange(10) % 3)

    def tearDown(self):
        self.folder.cleanup()

    def extract(self, *extra, check=True):
        command = [sys.executable, os.path.join(SCRIPTS, "extract_activations.py"),
                   "--model", os.path.join(self.dir, "tiny.py") + ":build", "--model-arg", "3",
                   "--array", os.path.join(self.dir, "images.npy"), "--labels", os.path.join(self.dir, "labels.npy"),
                   "--scale", "255", "--classes", "a,b,c", "--batch-size", "4", "--threads", "1", *extra]
        return subprocess.run(command, capture_output=True, text=True, check=check)

    def test_writes_the_data_format(self):
        out = os.path.join(self.dir, "out.h5")
        self.extract("--layer", "4", "--feature-maps", "all", "--test-fraction", "0.3", "--out", out)
        spec = {}
        exec(TINY_MODEL, spec)
        model = spec["build"]("3").eval()
        x = torch.from_numpy(self.images.astype(np.float32).transpose(0, 3, 1, 2) / 255)
        with torch.no_grad():
            a = model[:5](x)
            logits = model(x)
        with h5py.File(out, "r") as f:
            self.assertEqual(f["activations"].shape, (10, 6))
            self.assertEqual(f["feature_maps"].shape, (10, 4, 4, 6))
            self.assertEqual(f["feature_maps"].compression, "gzip")
            np.testing.assert_allclose(f["feature_maps"][:].mean(axis=(1, 2)), f["activations"][:], atol=1e-6)
            np.testing.assert_allclose(f["activations"][:], a.mean(dim=(2, 3)).numpy(), atol=1e-6)
            np.testing.assert_allclose(f["logits"][:], logits.numpy(), atol=1e-5)
            self.assertEqual(list(f["labels"][:]), list(np.arange(10) % 3))
            self.assertEqual([s.decode() for s in f["class_names"][:]], ["a", "b", "c"])
            self.assertEqual(len(f["image_ids"]), 10)
            self.assertEqual(f["thumbnails"].shape, (10, 8, 8, 3))
            np.testing.assert_array_equal(f["thumbnails"][:], self.images)
            self.assertEqual(int(f["test_mask"][:].sum()), 3)
            self.assertEqual(list(f["feature_map_rows"][:]), list(range(10)))
            self.assertEqual(f.attrs["format"], "xnn-activations")

    def test_thumbnails_shrink_and_hdf5_input_is_read_lazily(self):
        images = np.random.default_rng(2).integers(0, 256, (6, 20, 10, 3), dtype=np.uint8)
        source = os.path.join(self.dir, "images.h5")
        with h5py.File(source, "w") as f:
            f["pixels"] = images
        out = os.path.join(self.dir, "small.h5")
        subprocess.run([sys.executable, os.path.join(SCRIPTS, "extract_activations.py"),
                        "--model", os.path.join(self.dir, "tiny.py") + ":build", "--layer", "4",
                        "--array", source + ":pixels", "--scale", "255", "--thumbnail-size", "10", "--out", out],
                       check=True, capture_output=True)
        with h5py.File(out, "r") as f:
            self.assertEqual(f["thumbnails"].shape, (6, 10, 5, 3))
            np.testing.assert_array_equal(f["thumbnails"][:], images[:, ::2, ::2])

    def test_refuses_to_overwrite_and_names_a_bad_layer(self):
        out = os.path.join(self.dir, "out.h5")
        self.extract("--layer", "4", "--out", out)
        again = self.extract("--layer", "4", "--out", out, check=False)
        self.assertNotEqual(again.returncode, 0)
        self.assertIn("--force", again.stderr)
        bad = self.extract("--layer", "41", "--out", os.path.join(self.dir, "bad.h5"), check=False)
        self.assertNotEqual(bad.returncode, 0)
        self.assertIn("no module '41'", bad.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.dir, "bad.h5")))

    def test_reproduces_the_shipped_sample(self):
        result = subprocess.run([sys.executable, os.path.join(SCRIPTS, "check_extraction_reproduces_sample.py"),
                                 "--sample", os.path.join(ROOT, "data", "mnist_cnn.h5")],
                                capture_output=True, text=True, cwd=ROOT)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("reproduced", result.stdout)


if __name__ == "__main__":
    unittest.main()
