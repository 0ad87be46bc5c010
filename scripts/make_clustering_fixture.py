#!/usr/bin/env python3
"""Reference values from SciPy and scikit-learn for the layer-wise clustering (docs/layers.md).

Writes Tests/XNNClusteringTests/Fixtures/clustering.json:
* `points` (45 × 4, four blobs of unequal spread and size): SciPy's Ward linkage heights
  (scipy.cluster.hierarchy.linkage(points, "ward")[:, 2]), the flat clusters for k = 2…6
  (fcluster(·, k, "maxclust"), equal to sklearn's AgglomerativeClustering(k, linkage="ward") up to
  renaming, checked here) and sklearn's silhouette_score for each;
* sklearn's exact t-SNE of `points` (perplexity 10, random init, 1000 iterations): its final KL
  divergence, which ours (another random start) should come close to;
* `table` (30 × 12): sklearn.decomposition.PCA(3).fit_transform (scores; each column up to sign).

    .venv/bin/python scripts/make_clustering_fixture.py
"""
import json
import pathlib

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from sklearn.cluster import AgglomerativeClustering
from sklearn.decomposition import PCA
from sklearn.manifold import TSNE
from sklearn.metrics import adjusted_rand_score, silhouette_score

rng = np.random.default_rng(7)
centres = rng.normal(0, 4, (4, 4))
sizes, spreads = [15, 12, 10, 8], [0.6, 1.0, 1.4, 0.8]
points = np.vstack([c + s * rng.standard_normal((n, 4)) for c, n, s in zip(centres, sizes, spreads)])
points = points[rng.permutation(len(points))]
tree = linkage(points, "ward")
flat = {}
for k in range(2, 7):
    labels = fcluster(tree, k, "maxclust") - 1
    sklearn_labels = AgglomerativeClustering(n_clusters=k, linkage="ward").fit_predict(points)
    assert adjusted_rand_score(labels, sklearn_labels) == 1.0, f"scipy and sklearn disagree at k = {k}"
    flat[str(k)] = {"labels": labels.tolist(), "silhouette": float(silhouette_score(points, labels))}

tsne_kl = [float(TSNE(perplexity=10, method="exact", init="random", random_state=seed, max_iter=1000).fit(points).kl_divergence_)
           for seed in range(3)]

table = rng.standard_normal((30, 3)) @ rng.standard_normal((3, 12)) + 0.1 * rng.standard_normal((30, 12))
scores = PCA(n_components=3).fit_transform(table)

fixture = {
    "points": points.tolist(), "ward_heights": tree[:, 2].tolist(), "flat": flat, "tsne_kl": tsne_kl,
    "table": table.tolist(), "pca_scores": scores.tolist(),
}
out = pathlib.Path(__file__).resolve().parent.parent / "Tests/XNNClusteringTests/Fixtures/clustering.json"
out.write_text(json.dumps(fixture) + "\n")
print(f"wrote {out}")
