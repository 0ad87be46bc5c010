"""Tests of scripts/heatmaps (docs/heatmaps.md): the integrated gradient against its closed form,
the Armijo condition of every accepted step, I-GOS on a classifier that looks only at a planted
square, the curve areas, the bilateral TV on a constant image, and SAG on a two-root scorer.
Skipped, saying so, without torch.

    python3 -m unittest discover -s scripts/tests -p test_heatmaps.py
"""
import os
import sys
import unittest

import numpy as np

try:
    import torch
    MISSING = None
except ImportError as error:
    MISSING = f"needs torch ({error})"

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
if not MISSING:
    from heatmaps import deletion_insertion as di
    from heatmaps import igos, perturbation, sag


def bilinear_matrix(size, cells):
    """Rows: output pixels of one axis; columns: mask cells; align-corners bilinear weights (numpy)."""
    weights = np.zeros((size, cells))
    for y in range(size):
        position = y * (cells - 1) / (size - 1)
        low = int(np.floor(position))
        high = min(low + 1, cells - 1)
        weights[y, low] += 1 - (position - low)
        weights[y, high] += position - low
    return weights


def planted_square_case():
    """A 32-px image: faint texture plus a bright 8 × 8 square at rows 8–15, columns 12–19; the
    score is the square's mean intensity, so only the square matters."""
    rng = np.random.default_rng(0)
    image = rng.uniform(0, 0.3, (1, 3, 32, 32))
    image[:, :, 8:16, 12:20] = 1.0
    image = torch.tensor(image, dtype=torch.float32)

    def score(x):
        return x[:, :, 8:16, 12:20].mean(dim=(1, 2, 3))
    return image, perturbation.blurred_baseline(image), score


@unittest.skipIf(MISSING, MISSING or "")
class HeatmapTests(unittest.TestCase):
    def test_integrated_gradient_equals_its_closed_form_on_a_linear_model(self):
        rng = np.random.default_rng(1)
        image = torch.tensor(rng.normal(size=(1, 2, 12, 12)), dtype=torch.float64)
        baseline = torch.tensor(rng.normal(size=(1, 2, 12, 12)), dtype=torch.float64)
        w = rng.normal(size=(2, 12, 12))
        weights = torch.tensor(w)

        def score(x):
            return (x * weights).sum(dim=(1, 2, 3)) + 0.5
        masks = torch.tensor(rng.uniform(size=(1, 1, 4, 4)))
        points = 7
        gradient = igos.integrated_gradient(score, image, baseline, masks, points)[0, 0].numpy()
        # score(Φ) is linear in U(M) with coefficient c = Σ_channels w ⊙ (I − Ĩ); the path averages
        # the fractions i/S, so the gradient is (S + 1)/(2S) · Aᵀ c Aᵀ with A the bilinear weights.
        c = (w * (image - baseline)[0].numpy()).sum(0)
        a = bilinear_matrix(12, 4)
        expected = (points + 1) / (2 * points) * a.T @ c @ a
        np.testing.assert_allclose(gradient, expected, rtol=1e-10, atol=1e-12)

    def test_every_accepted_step_satisfies_armijo(self):
        image, baseline, square_mean = planted_square_case()

        def score(x):  # a probability, non-linear in the image
            return torch.softmax(torch.stack([6 * square_mean(x), torch.full_like(square_mean(x), 3.0)], 1), 1)[:, 0]
        settings = igos.Settings(mask_size=8, iterations=6, path_points=5)
        for method in (igos.igos, igos.igos_plus_plus):
            result = method(score, image, baseline, settings)
            self.assertEqual(len(result.searches), 6)
            for record in result.searches:
                if record.satisfied:
                    self.assertGreater(record.promised_decrease, 0)
                    self.assertLessEqual(record.new_loss, record.base_loss - settings.armijo * record.promised_decrease + 1e-12)
                else:
                    self.assertLess(record.step * settings.shrink, settings.smallest_step)
            self.assertTrue(any(r.satisfied for r in result.searches), method.__name__)
            self.assertTrue(bool(((result.mask >= 0) & (result.mask <= 1)).all()))

    def test_igos_finds_the_planted_square_and_beats_a_random_map(self):
        image, baseline, score = planted_square_case()
        result = igos.igos(score, image, baseline, igos.Settings(mask_size=8, iterations=15, path_points=10))
        heatmap = 1 - result.mask
        up = perturbation.upsample(heatmap.view(1, 1, 8, 8), (32, 32))[0, 0]
        square = torch.zeros(32, 32, dtype=torch.bool)
        square[8:16, 12:20] = True
        chosen = torch.zeros(32 * 32, dtype=torch.bool)
        chosen[torch.argsort(up.flatten(), descending=True)[: int(square.sum())]] = True
        chosen = chosen.view(32, 32)
        iou = float((chosen & square).sum()) / float((chosen | square).sum())
        self.assertGreater(iou, 0.8)
        ours = di.deletion_insertion(score, image, baseline, heatmap, steps=16)
        randoms = [di.deletion_insertion(score, image, baseline, di.random_heatmap(8, seed), steps=16) for seed in range(3)]
        self.assertLess(ours.deletion_area, min(r.deletion_area for r in randoms))
        self.assertGreater(ours.insertion_area, max(r.insertion_area for r in randoms))

    def test_curve_areas_match_hand_made_curves(self):
        self.assertAlmostEqual(di.curve_area([0, 0.5, 1], [1, 0, 0]), 0.25)
        self.assertAlmostEqual(di.curve_area([0, 1], [1, 0]), 0.5)
        self.assertAlmostEqual(di.curve_area([0, 0.25, 0.5, 1], [0.3] * 4), 0.3)
        self.assertAlmostEqual(di.curve_area([0, 0.5, 1], [0, 1, 1]), 0.75)
        masks = di.ordered_masks(torch.tensor([[0.1, 0.9], [0.5, 0.5]]), steps=2)
        self.assertEqual(masks[0].sum().item(), 4)
        self.assertEqual(masks[1].view(-1).tolist(), [1, 0, 1, 0][:1] + [0, 0, 1])  # 0.9 then the first 0.5 go
        self.assertEqual(masks[2].sum().item(), 0)

    def test_bilateral_tv_on_a_constant_image_is_tv_of_mask_and_upsampled_mask(self):
        masks = torch.rand(1, 1, 5, 5, generator=torch.Generator().manual_seed(3))
        image = torch.full((1, 3, 20, 20), 0.7)
        up = perturbation.upsample(masks, (20, 20))
        expected = 0.5 * (perturbation.total_variation(masks) + perturbation.total_variation(up))
        torch.testing.assert_close(perturbation.bilateral_total_variation(image, masks), expected)
        edge = image.clone()
        edge[:, :, :, 10:] = 0.0  # an image edge lowers the penalty of a mask edge there
        self.assertLess(float(perturbation.bilateral_total_variation(edge, masks)), float(expected))

    def test_sag_returns_exactly_the_two_minimal_roots(self):
        a, b, c, d = 1, 4, 6, 8

        def score(visible):
            return 1.0 if {a, b} <= visible or {c, d} <= visible else 0.0
        priority = [1.0 if p in (a, b, c, d) else 0.0 for p in range(9)]
        graph = sag.structured_attention_graph(score, 9, priority)
        self.assertEqual(set(graph.roots), {frozenset({a, b}), frozenset({c, d})})
        for root in graph.roots:
            self.assertTrue(all(score(root - {p}) < 0.9 for p in root), "each root is minimal")
        self.assertIn((frozenset({a, b}), frozenset({b}), a), graph.edges)
        self.assertEqual(graph.scores[frozenset({b})], 0.0)

    def test_the_command_writes_every_method_and_graph(self):
        import subprocess
        import tempfile
        root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        sample = os.path.join(root, "data", "mnist_cnn.h5")
        with tempfile.TemporaryDirectory() as folder:
            out = os.path.join(folder, "scores.h5")
            result = subprocess.run([sys.executable, os.path.join(root, "scripts", "explain_heatmaps.py"),
                                     "--model", os.path.join(root, "scripts", "models", "mnist_cnn.py") + ":build",
                                     "--model-arg", sample, "--array", sample + ":thumbnails", "--scale", "255",
                                     "--images", "0,3", "--target", "prob:0", "--iterations", "2", "--steps", "5",
                                     "--out", out], capture_output=True, text=True)
            self.assertEqual(result.returncode, 0, result.stderr)
            import h5py
            with h5py.File(out, "r") as f:
                self.assertEqual(sorted(f["images"].keys()), ["0", "1"])
                self.assertEqual(int(f["images/1"].attrs["row"]), 3)
                for method in ("igos", "igos++", "random", "centre"):
                    group = f[f"images/0/{method}"]
                    self.assertEqual(group["heatmap"].shape, (7, 7))
                    self.assertEqual(group["deletion"].shape, (6,))
                    self.assertAlmostEqual(float(group.attrs["deletion_area"]), di.curve_area(list(f["fractions"][:]), list(group["deletion"][:])), places=5)
                self.assertGreaterEqual(int(f["images/0/sag"].attrs["roots"]), 1)
            again = subprocess.run([sys.executable, os.path.join(root, "scripts", "explain_heatmaps.py"), "--model", "x.py:build",
                                    "--array", sample + ":thumbnails", "--out", out], capture_output=True, text=True)
            self.assertNotEqual(again.returncode, 0)
            self.assertIn("--force", again.stderr)

    def test_concept_targets_reproduce_the_runs_concepts(self):
        import subprocess
        import tempfile
        import h5py
        root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        xnn = os.path.join(root, ".build", "release", "xnn")
        if not os.path.exists(xnn):
            self.skipTest(f"needs the built xnn at {xnn}")
        sys.path.insert(0, os.path.join(root, "scripts"))
        from extract_activations import find_layer
        from heatmaps.concepts import ConceptScorer
        from models.mnist_cnn import build
        sample = os.path.join(root, "data", "mnist_cnn.h5")
        with tempfile.TemporaryDirectory() as folder:
            run = os.path.join(folder, "run")
            subprocess.run([xnn, "train", os.path.join(root, "experiments", "quickstart.yaml"), "--quiet", "--out", run,
                            "--set", "training.epochs=3", "--set", "training.search.candidates=1"], check=True, capture_output=True, cwd=root)
            model = build(sample).eval()
            scorer = ConceptScorer(model, find_layer(model, "relu3"), run)
            with h5py.File(sample, "r") as f:
                images = torch.from_numpy(f["thumbnails"][:8].astype(np.float32).transpose(0, 3, 1, 2) / 255)
            with h5py.File(os.path.join(run, "concepts.h5"), "r") as f:
                stored = f["concepts"][:8]
            with torch.no_grad():
                ours = scorer.concepts(images).numpy()
            self.assertLess(float(np.abs(ours - stored).max()), 1e-4 * max(1.0, float(np.abs(stored).max())))
            j = int(np.argmax(stored[0]))
            self.assertEqual(tuple(scorer.grad_cam(images[:1], j).shape), (7, 7))
            self.assertGreaterEqual(float(scorer.grad_cam(images[:1], j).min()), 0.0)
            spatial = scorer.spatial(images[:1], j)
            with torch.no_grad():  # the spatial map at one location is x_j of that location's feature vector
                maps = scorer.layer_maps(images[:1])[0]
                at = scorer.encoder(maps[:, 3, 4][None])[0][0, j]
            self.assertAlmostEqual(float(spatial[3, 4]), float(at), places=5)

    def test_a_runs_concepts_are_explained_in_one_file_in_order_of_activation(self):
        import subprocess
        import tempfile
        import h5py
        root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        xnn = os.path.join(root, ".build", "release", "xnn")
        if not os.path.exists(xnn):
            self.skipTest(f"needs the built xnn at {xnn}")
        with tempfile.TemporaryDirectory() as folder:
            run = os.path.join(folder, "run")
            subprocess.run([xnn, "train", os.path.join(root, "experiments", "quickstart.yaml"), "--quiet", "--out", run,
                            "--set", "training.epochs=2", "--set", "training.search.candidates=1", "--set", "model.concepts=2"],
                           check=True, capture_output=True, cwd=root)
            command = [sys.executable, os.path.join(root, "scripts", "concept_heatmaps.py"), "--run", run, "--images-per-concept", "2",
                       "--sag-images", "1", "--sag-grid", "2", "--iterations", "2", "--steps", "4"]
            subprocess.run(command, check=True, capture_output=True)
            with h5py.File(os.path.join(run, "concepts.h5"), "r") as f:
                concepts, split = f["concepts"][:], f["split"][:]
            test = np.flatnonzero(split == 2)
            with h5py.File(os.path.join(run, "heatmaps.h5"), "r") as f:
                self.assertEqual(f.attrs["format"], "xnn-concept-heatmaps")
                self.assertEqual(int(f.attrs["concepts"]), 2)
                methods = [m.decode() for m in f["methods"][:]]
                self.assertEqual(methods, ["igos", "igos++", "random", "centre", "grad-cam", "spatial"])
                self.assertEqual(len(f["fractions"]), 5)
                for j in range(2):
                    images = f[f"concepts/{j}/images"]
                    rows = [int(images[str(s)].attrs["row"]) for s in range(len(images))]
                    expected = test[np.argsort(-concepts[test, j], kind="stable")[:2]]
                    self.assertEqual(rows, list(expected), "the most active held-out rows, most active first")
                    self.assertIn("sag", images["0"])
                    self.assertNotIn("sag", images["1"])
                    self.assertEqual(len(images["1/igos/deletion"]), 5)
            before = os.path.getmtime(os.path.join(run, "heatmaps.h5"))
            again = subprocess.run(command, capture_output=True, text=True)
            self.assertNotEqual(again.returncode, 0)
            self.assertIn("exists; pass --force", again.stderr)
            self.assertEqual(os.path.getmtime(os.path.join(run, "heatmaps.h5")), before, "nothing replaced without --force")
            table = os.path.join(folder, "table.md")
            subprocess.run([sys.executable, os.path.join(root, "scripts", "heatmap_table.py"), "--heatmaps",
                            os.path.join(run, "heatmaps.h5"), "--out", table], check=True, capture_output=True)
            text = open(table).read()
            self.assertEqual(text.count("| igos |"), 3, "one line per concept and one overall")
            self.assertIn("concepts where it deletes best", text)


if __name__ == "__main__":
    unittest.main()
