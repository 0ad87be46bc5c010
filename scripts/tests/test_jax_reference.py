"""scripts/jax_reference.py against scripts/torch_reference.py: the same step, so the same losses.

Both start from the same weights (torch's initialisation copied into JAX) and train on the same
batches with dropout off (the two libraries draw different masks); the losses of the first steps
must agree, which checks the forward pass and loss terms (step 1) and the gradients, weight decay
and Adam update (the steps after it). Skipped when jax or torch is not importable.
"""
import json
import os
import subprocess
import sys
import tempfile
import unittest

import numpy as np

SCRIPTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
sys.path.insert(0, SCRIPTS)

try:
    import jax  # noqa: F401
    import torch
    import jax_reference
    import torch_reference
except ImportError as error:  # reported by unittest as a skip with this reason
    missing = str(error)
else:
    missing = None


@unittest.skipIf(missing, f"needs jax and torch: {missing}")
class JaxMatchesTorch(unittest.TestCase):
    def batches(self, rows=64, dim=24, outputs=2, batch=16, steps=8):
        rng = np.random.default_rng(3)
        z = np.maximum(rng.normal(0, 1, (rows, dim)), 0).astype(np.float32)
        y = (z @ rng.normal(0, 1, (dim, outputs)) / np.sqrt(dim)).astype(np.float32)
        order = [rng.permutation(rows)[:batch].astype(np.int32) for _ in range(steps)]
        return z, y, order

    @staticmethod
    def torch_params(model):
        def pair(layer):
            return layer.weight.detach().numpy().copy(), layer.bias.detach().numpy().copy()
        return {"encoder": [pair(l) for l in model.encoder], "decoder": [pair(l) for l in model.decoder],
                "predictor": pair(model.predictor)}

    def test_losses_of_the_first_steps_agree(self):
        z, y, order = self.batches()
        # Seed 29 leaves every concept alive on these rows, so every pull-away gradient is compared
        # (a silent concept's is 0: test_a_dead_concept_leaves_the_step_finite).
        torch.manual_seed(29)
        model = torch_reference.SRAE(24, [12, 6], 3, 2, dropout=0.0)
        params = self.torch_params(model)
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-4)
        zt, yt = torch.from_numpy(z), torch.from_numpy(y)
        torch_losses = []
        for idx in order:
            index = torch.from_numpy(idx.astype(np.int64))
            x, z_hat, y_hat = model(zt[index])
            faith, rec, pt = torch_reference.loss_terms(model, zt[index], yt[index], x, z_hat, y_hat)
            loss = faith + 15 * rec + 5 * pt
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            torch_losses.append([loss.item(), faith.item(), rec.item(), pt.item()])

        step = jax_reference.make_step(dropout=0.0)
        state = jax_reference.initial_state(params)
        jax_losses = []
        for idx in order:
            state, losses = step(state, z, y, idx)
            jax_losses.append([float(value) for value in losses])
        self.assertTrue(np.isfinite(torch_losses).all(), torch_losses)  # NaN == NaN would pass below
        np.testing.assert_allclose(jax_losses, torch_losses, rtol=2e-4, atol=1e-6)
        # The weights after the steps agree too: decay and Adam reach parameters the losses barely feel.
        trained = zip(jax.tree_util.tree_leaves(state[0]), jax.tree_util.tree_leaves(self.torch_params(model)))
        for after_jax, after_torch in trained:
            np.testing.assert_allclose(np.asarray(after_jax), after_torch, rtol=1e-4, atol=2e-6)
        # The loss falls: Adam really ran (equal losses throughout would hide a no-op update).
        self.assertLess(jax_losses[-1][0], jax_losses[0][0])

    def test_a_dead_concept_leaves_the_step_finite(self):
        """A concept that is zero on the whole batch: its norm in the pull-away term is 0, whose square
        root has no derivative there. The engine (PullAwayLoss.swift) takes 0 for that gradient; so must
        both peers, or every weight turns NaN after the first such step."""
        z, y, order = self.batches(steps=3)
        torch.manual_seed(29)
        model = torch_reference.SRAE(24, [12, 6], 3, 2, dropout=0.0)
        with torch.no_grad():  # concept 0 never fires
            model.encoder[-1].weight[0].zero_()
            model.encoder[-1].bias[0] = -1
        params = self.torch_params(model)
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-4)
        zt, yt = torch.from_numpy(z), torch.from_numpy(y)
        step = jax_reference.make_step(dropout=0.0)
        state = jax_reference.initial_state(params)
        for idx in order:
            index = torch.from_numpy(idx.astype(np.int64))
            x, z_hat, y_hat = model(zt[index])
            self.assertEqual(float(x[:, 0].abs().sum()), 0.0)
            faith, rec, pt = torch_reference.loss_terms(model, zt[index], yt[index], x, z_hat, y_hat)
            loss = faith + 15 * rec + 5 * pt
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            state, losses = step(state, z, y, idx)
            self.assertTrue(np.isfinite(loss.item()), "torch_reference.py")
            self.assertTrue(np.isfinite(float(losses[0])), "jax_reference.py")
            np.testing.assert_allclose(float(losses[0]), loss.item(), rtol=2e-4)

    def test_command_line_prints_one_json_line(self):
        import h5py
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "a.h5")
            z, y, _ = self.batches(rows=200, dim=16, outputs=1)
            with h5py.File(path, "w") as f:
                f["activations"], f["logits"] = z, y
            run = [sys.executable, os.path.join(SCRIPTS, "jax_reference.py"), "--data", path, "--hidden", "8",
                   "--concepts", "3", "--batch", "20", "--epochs", "2", "--threads", "1"]
            result = subprocess.run(run + ["--json"], capture_output=True, text=True, check=True)
            line = json.loads(result.stdout.strip().splitlines()[-1])
            self.assertGreater(line["samplesPerSecond"], 0)
            self.assertEqual(line["version"], jax.__version__)


if __name__ == "__main__":
    unittest.main()
