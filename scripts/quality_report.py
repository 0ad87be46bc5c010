#!/usr/bin/env python3
"""The quality benchmark's report: every run of `runs/quality/<case>/` (made by
`bash scripts/bench_quality.sh`) beside a ridge ceiling computed here, independently, with
scikit-learn on the same split.

Writes, under --out (default experiments/results/quality):
  runs.csv      one row per run: case, method, seed and the metrics below
  summary.md    per case and method: the median over seeds and the [min, max] spread
  tradeoff.svg  held-out R² against mean |cos| of contributions, every run

Metrics (docs/outputs.md names): held-out R² (splits.test.faithfulness.r2), train R², their gap,
mean |cos| of contributions on test rows, dead concepts (test rows), planted-concept recovery
(splits.test.reference_concepts.mean_correlation, when the data has reference concepts), accepted.

Run: .venv/bin/python scripts/quality_report.py [--runs runs/quality] [--out DIR]
"""
import argparse
import csv
import json
import os
import statistics
import sys

import h5py
import numpy as np
import yaml
from sklearn.linear_model import RidgeCV

METRICS = ["test_r2", "train_r2", "gap", "mean_abs_cos", "dead", "recovery", "accepted"]


def method_name(settings):
    kind = settings.get("kind", "srae")
    return f"srae-{settings.get('recipe', 'constrained')}" if kind == "srae" else kind


def parse_run_name(name):
    """kind-srae_recipe-paper_seed-2 → {'kind': 'srae', 'recipe': 'paper', 'seed': '2'}."""
    settings = {}
    for part in name.split("_"):
        key, _, value = part.partition("-")
        settings[key] = value
    return settings


def read_run(directory):
    with open(os.path.join(directory, "metrics.json")) as handle:
        metrics = json.load(handle)
    splits = metrics["splits"]
    test, train = splits.get("test", {}), splits["train"]
    test_r2 = test.get("faithfulness", {}).get("r2", float("nan"))
    train_r2 = train["faithfulness"]["r2"]
    reference = test.get("reference_concepts")
    return {
        "test_r2": test_r2,
        "train_r2": train_r2,
        "gap": train_r2 - test_r2,
        "mean_abs_cos": test.get("contribution_orthogonality", {}).get("mean_abs_cos", float("nan")),
        "dead": len(test.get("concepts", train["concepts"])["dead_concepts"]),
        "recovery": reference["mean_correlation"] if reference else float("nan"),
        "accepted": 1.0 if metrics["acceptance"]["accepted"] else 0.0,
    }


def ridge_ceiling(config_path):
    """Held-out R² of a ridge regression z → y (alpha by cross-validation on the training rows)."""
    with open(config_path) as handle:
        data = yaml.safe_load(handle)["data"]
    # As xnn does: a relative data.file is taken from the configuration file's folder.
    with h5py.File(os.path.join(os.path.dirname(config_path), data["file"]), "r") as h5:
        z = h5[data.get("activations", "activations")][:].astype(np.float64)
        y = h5[data.get("targets", "logits")][:].astype(np.float64)
        test = h5[data["test_mask"]][:].astype(bool)
    y = y.reshape(len(y), -1)
    if data.get("target_columns"):
        y = y[:, data["target_columns"]]
    model = RidgeCV(alphas=np.logspace(-4, 3, 15)).fit(z[~test], y[~test])
    prediction = model.predict(z[test]).reshape(test.sum(), -1)
    r2 = [1 - ((y[test][:, c] - prediction[:, c]) ** 2).sum() / ((y[test][:, c] - y[test][:, c].mean()) ** 2).sum()
          for c in range(y.shape[1])]
    return float(np.mean(r2))


def collect(runs_root):
    rows = []
    for case in sorted(os.listdir(runs_root)):
        case_dir = os.path.join(runs_root, case)
        if not os.path.isdir(case_dir):
            continue
        for name in sorted(os.listdir(case_dir)):
            run_dir = os.path.join(case_dir, name)
            if not os.path.exists(os.path.join(run_dir, "metrics.json")):
                continue
            settings = parse_run_name(name)
            row = {"case": case, "method": method_name(settings), "seed": settings.get("seed", ""), "run": run_dir}
            row.update(read_run(run_dir))
            rows.append(row)
    # PCA and NMF ignore the recipe: keep one run per seed.
    unique = {}
    for row in rows:
        unique.setdefault((row["case"], row["method"], row["seed"]), row)
    return list(unique.values())


def summarise(rows, ceilings):
    lines = ["# Quality benchmark", "",
             "Median over seeds, [min, max] in brackets. Ridge: held-out R² of a ridge regression z → y "
             "(scikit-learn, alpha by cross-validation on the training rows), the ceiling of any linear read-out.", ""]
    for case in sorted({r["case"] for r in rows}):
        lines += [f"## {case} (ridge ceiling: held-out R² {ceilings[case]:.4f})", "",
                  "| method | seeds | held-out R² | train − test | mean abs cos | dead | recovery | accepted |",
                  "|---|---|---|---|---|---|---|---|"]
        for method in sorted({r["method"] for r in rows if r["case"] == case}):
            group = [r for r in rows if r["case"] == case and r["method"] == method]
            cells = [format_stat([r[m] for r in group], m) for m in METRICS if m != "train_r2"]
            lines.append(f"| {method} | {len(group)} | " + " | ".join(cells) + " |")
        lines.append("")
    return "\n".join(lines) + "\n"


def format_stat(values, metric):
    values = [v for v in values if not (isinstance(v, float) and np.isnan(v))]
    if not values:
        return "–"
    digits = 0 if metric == "dead" else (2 if metric == "accepted" else 3 if metric == "mean_abs_cos" else 4)
    median = statistics.median(values)
    if len(values) == 1:
        return f"{median:.{digits}f}"
    return f"{median:.{digits}f} [{min(values):.{digits}f}, {max(values):.{digits}f}]"


def plot(rows, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    markers = {"srae-constrained": "o", "srae-paper": "s", "pca": "^", "nmf": "v"}
    colours = dict(zip(sorted({r["case"] for r in rows}), ["tab:blue", "tab:orange", "tab:green", "tab:red"]))
    figure, axes = plt.subplots(figsize=(7, 4.5))
    for row in rows:
        axes.scatter(row["mean_abs_cos"], row["test_r2"], marker=markers.get(row["method"], "x"),
                     color=colours[row["case"]], alpha=0.8)
    for method, marker in markers.items():
        axes.scatter([], [], marker=marker, color="grey", label=method)
    for case, colour in colours.items():
        axes.scatter([], [], marker="o", color=colour, label=case)
    axes.axhline(0.95, color="grey", linestyle=":", linewidth=1)
    axes.axvline(0.15, color="grey", linestyle=":", linewidth=1)
    axes.set_xlabel("mean |cos| of contributions, test rows (lower: more orthogonal)")
    axes.set_ylabel("held-out R² (higher: more faithful)")
    axes.set_ylim(max(-0.05, min(r["test_r2"] for r in rows) - 0.05), 1.005)
    axes.set_xlim(0, max(0.6, max(r["mean_abs_cos"] for r in rows) + 0.05))
    axes.legend(fontsize=8, loc="lower left", ncol=2)
    axes.set_title("Faithfulness against orthogonality, every run (dotted: the targets)")
    figure.tight_layout()
    figure.savefig(path)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", default="runs/quality")
    parser.add_argument("--configs", default="experiments/quality")
    parser.add_argument("--out", default="experiments/results/quality")
    args = parser.parse_args()
    rows = collect(args.runs)
    if not rows:
        sys.exit(f"{args.runs}: no finished runs (expected <case>/<run>/metrics.json); run scripts/bench_quality.sh first")
    ceilings = {case: ridge_ceiling(os.path.join(args.configs, f"{case}.yaml")) for case in {r["case"] for r in rows}}
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "runs.csv"), "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["case", "method", "seed"] + METRICS + ["run"])
        writer.writeheader()
        writer.writerows(sorted(rows, key=lambda r: (r["case"], r["method"], r["seed"])))
    summary = summarise(rows, ceilings)
    with open(os.path.join(args.out, "summary.md"), "w") as handle:
        handle.write(summary)
    plot(rows, os.path.join(args.out, "tradeoff.svg"))
    print(summary)


if __name__ == "__main__":
    main()
