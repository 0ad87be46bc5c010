#!/usr/bin/env python3
"""Reference values from scikit-learn for the linear baselines (docs/method.md §7).

Writes Tests/XNNTrainingTests/Fixtures/baselines.json: a small non-negative data matrix, and what
sklearn.decomposition.PCA(k) gives for it: explained variance ratios, components (up to sign)
and the mean squared reconstruction error of inverse_transform(transform(X)); and the mean squared
reconstruction error of sklearn's NMF(k) (multiplicative-update and coordinate-descent solvers).
"""
import json
import pathlib

import numpy as np
from sklearn.decomposition import NMF, PCA

rng = np.random.default_rng(3)
n, d, k = 60, 8, 3
latent = np.maximum(rng.normal(0, 1, (n, 4)), 0)
data = np.maximum(latent @ rng.uniform(0, 1, (4, d)) + rng.normal(0, 0.05, (n, d)), 0).astype(np.float32)
pca = PCA(n_components=k).fit(data.astype(np.float64))
rebuilt = pca.inverse_transform(pca.transform(data.astype(np.float64)))
def nmf_mse(**options):
    model = NMF(n_components=k, max_iter=500, random_state=0, **options)
    codes = model.fit_transform(data.astype(np.float64))
    return float(((codes @ model.components_ - data) ** 2).mean())


fixture = {
    "rows": n, "columns": d, "components_count": k, "data": data.ravel().tolist(),
    "explained_variance_ratio": pca.explained_variance_ratio_.tolist(),
    "components": pca.components_.tolist(),
    "reconstruction_mse": float(((rebuilt - data) ** 2).mean()),
    "nmf_mu_mse": nmf_mse(init="random", solver="mu"),
    "nmf_cd_mse": nmf_mse(),
}
out = pathlib.Path(__file__).resolve().parent.parent / "Tests/XNNTrainingTests/Fixtures/baselines.json"
out.write_text(json.dumps(fixture, indent=1) + "\n")
print(f"wrote {out}")
