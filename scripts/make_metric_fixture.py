#!/usr/bin/env python3
"""Independent reference values for the metrics of XNNEvaluation, computed with numpy/scipy.

Writes Tests/XNNEvaluationTests/Fixtures/metrics.json: small random inputs and the expected R²,
MSE, Pearson r, Spearman ρ (with ties), argmax agreement, cosine measures, concept statistics,
reconstruction metrics and a Hungarian matching (scipy's linear_sum_assignment). Rerun after
changing a definition.
"""
import json
import pathlib

import numpy as np
from scipy import stats

rng = np.random.default_rng(7)
n, k, c = 23, 4, 2
concepts = np.maximum(rng.normal(0.2, 1.0, (n, k)), 0).astype(np.float32)
concepts[:, 3] = 0  # one dead concept
targets = np.round(rng.normal(0, 2, (n, c))).astype(np.float32)  # rounded: Spearman must handle ties
predictions = np.round(targets + rng.normal(0, 0.7, (n, c)), 1).astype(np.float32)
d = 6
inputs = np.maximum(rng.normal(0.5, 1, (n, d)), 0).astype(np.float32)
inputs[:, 5] = 0.25  # a constant dimension
reconstructions = np.maximum(inputs + rng.normal(0, 0.4, (n, d)), 0).astype(np.float32)
reconstructions[:, 5] = 0.25
other = np.maximum(concepts[:, [2, 0, 1]] + rng.normal(0, 0.3, (n, 3)), 0).astype(np.float32)  # a shuffled, noisy copy
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
def dimension_r2(z, zhat):
    res = ((z - zhat) ** 2).sum(0)
    tot = ((z - z.mean(0)) ** 2).sum(0)
    return np.where(tot > 0, 1 - res / np.where(tot > 0, tot, 1), (res == 0).astype(float))


def abs_corr(a, b):
    out = np.zeros((a.shape[1], b.shape[1]))
    for i in range(a.shape[1]):
        for j in range(b.shape[1]):
            if a[:, i].std() > 0 and b[:, j].std() > 0:
                out[i, j] = abs(np.corrcoef(a[:, i], b[:, j])[0, 1])
    return out


from scipy.optimize import linear_sum_assignment
similarity = abs_corr(concepts, other)
rows, cols = linear_sum_assignment(-similarity)
fixture = {
    "rows": n, "concepts_count": k, "outputs": c,
    "concepts": concepts.ravel().tolist(), "targets": targets.ravel().tolist(), "predictions": predictions.ravel().tolist(),
    "concept_weights": vbar.tolist(),
    "dimensions": d, "inputs": inputs.ravel().tolist(), "reconstructions": reconstructions.ravel().tolist(),
    "other_concepts": other.ravel().tolist(),
    "expected": {
        "mse": float(((targets - predictions) ** 2).mean()),
        "r2_per_output": r2, "r2": float(np.mean(r2)),
        "pearson_per_output": [float(stats.pearsonr(targets[:, j], predictions[:, j])[0]) for j in range(c)],
        "concept_orthogonality": cosine_stats(concepts),
        "contribution_orthogonality": cosine_stats(concepts * vbar),
        "mean_contributions": (concepts * vbar).mean(0).tolist(),
        "dead_concepts": [int(j) for j in range(k) if not (concepts[:, j] > 0).any()],
        "sparsity": float((concepts == 0).mean()),
        "spearman_per_output": [float(stats.spearmanr(targets[:, j], predictions[:, j])[0]) for j in range(c)],
        "argmax_agreement": float((targets.argmax(1) == predictions.argmax(1)).mean()),
        "sparse_reconstruction_loss": float(np.log1p(100 * ((inputs - reconstructions).astype(np.float64) ** 2).mean(0)).mean()),
        "explained_variance": float(1 - ((inputs - reconstructions) ** 2).sum() / ((inputs - inputs.mean(0)) ** 2).sum()),
        "share_of_dimensions_r2_above_half": float((dimension_r2(inputs.astype(np.float64), reconstructions) > 0.5).mean()),
        "matching_pairs": [[int(r), int(c_)] for r, c_ in zip(rows, cols)],
        "matching_correlations": [float(similarity[r, c_]) for r, c_ in zip(rows, cols)],
    },
}
out = pathlib.Path(__file__).resolve().parent.parent / "Tests/XNNEvaluationTests/Fixtures/metrics.json"
out.write_text(json.dumps(fixture, indent=1) + "\n")
print(f"wrote {out}")
