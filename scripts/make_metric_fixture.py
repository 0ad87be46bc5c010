#!/usr/bin/env python3
"""Independent reference values for the metrics of XNNEvaluation, computed with numpy/scipy.

Writes Tests/XNNEvaluationTests/Fixtures/metrics.json: small random inputs and the expected R²,
MSE, Pearson r, cosine measures and concept statistics. Rerun after changing a definition.
"""
import json
import pathlib

import numpy as np
from scipy import stats

rng = np.random.default_rng(7)
n, k, c = 23, 4, 2
concepts = np.maximum(rng.normal(0.2, 1.0, (n, k)), 0).astype(np.float32)
concepts[:, 3] = 0  # one dead concept
targets = rng.normal(0, 2, (n, c)).astype(np.float32)
predictions = (targets + rng.normal(0, 0.7, (n, c))).astype(np.float32)
v = rng.normal(0, 1, (c, k)).astype(np.float32)
vbar = v.sum(0)


def cosine_stats(m):
    norms = np.linalg.norm(m.astype(np.float64), axis=0)
    unit = np.divide(m, norms, out=np.zeros_like(m, dtype=np.float64), where=norms > 0)
    g = unit.T @ unit
    off = ~np.eye(m.shape[1], dtype=bool)
    cos = g[off]
    return {"mean_cos2": float((cos ** 2).mean()), "mean_abs_cos": float(np.abs(cos).mean()),
            "max_abs_cos": float(np.abs(cos).max()), "gram_deviation": float(np.linalg.norm(g - np.eye(m.shape[1])) / m.shape[1])}


r2 = [float(1 - ((targets[:, j] - predictions[:, j]) ** 2).sum() / ((targets[:, j] - targets[:, j].mean()) ** 2).sum()) for j in range(c)]
fixture = {
    "rows": n, "concepts_count": k, "outputs": c,
    "concepts": concepts.ravel().tolist(), "targets": targets.ravel().tolist(), "predictions": predictions.ravel().tolist(),
    "concept_weights": vbar.tolist(),
    "expected": {
        "mse": float(((targets - predictions) ** 2).mean()),
        "r2_per_output": r2, "r2": float(np.mean(r2)),
        "pearson_per_output": [float(stats.pearsonr(targets[:, j], predictions[:, j])[0]) for j in range(c)],
        "concept_orthogonality": cosine_stats(concepts),
        "contribution_orthogonality": cosine_stats(concepts * vbar),
        "mean_contributions": (concepts * vbar).mean(0).tolist(),
        "dead_concepts": [int(j) for j in range(k) if not (concepts[:, j] > 0).any()],
        "sparsity": float((concepts == 0).mean()),
    },
}
out = pathlib.Path(__file__).resolve().parent.parent / "Tests/XNNEvaluationTests/Fixtures/metrics.json"
out.write_text(json.dumps(fixture, indent=1) + "\n")
print(f"wrote {out}")
