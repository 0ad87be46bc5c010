#!/usr/bin/env python3
"""The faithfulness–orthogonality trade-off of the constrained recipe: every run of
`xnn sweep experiments/quality/sweep-tradeoff.yaml` as held-out R² against mean |cos| of the
contributions, one line per faithfulness target, written to experiments/results/quality/tradeoff-targets.svg
and a table (tradeoff-targets.md).

Run: .venv/bin/python scripts/tradeoff_report.py [--runs runs/quality-tradeoff/planted] [--out DIR]
"""
import argparse
import json
import os

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt


def read(runs):
    points = []
    for name in sorted(os.listdir(runs)):
        path = os.path.join(runs, name, "metrics.json")
        if not os.path.exists(path):
            continue
        settings = dict(part.rsplit("-", 1) for part in name.split("_"))
        test = json.load(open(path))["splits"]["test"]
        recovery = (test.get("reference_concepts") or {}).get("mean_correlation", float("nan"))
        points.append((float(settings["faithfulness-target"]), float(settings["orthogonality-target"]),
                       test["faithfulness"]["r2"], test["contribution_orthogonality"]["mean_abs_cos"],
                       len(test["concepts"]["dead_concepts"]), recovery))
    return points


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", default="runs/quality-tradeoff/planted")
    parser.add_argument("--out", default="experiments/results/quality")
    args = parser.parse_args()
    points = read(args.runs)
    lines = ["| faithfulness target | orthogonality target (mean cos²) | held-out R² | mean abs cos | dead (test) | recovery |",
             "|---|---|---|---|---|---|"]
    lines += [f"| {f} | {o} | {r2:.4f} | {cos:.3f} | {dead} | {rec:.3f} |" for f, o, r2, cos, dead, rec in points]
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "tradeoff-targets.md"), "w") as handle:
        handle.write("\n".join(lines) + "\n")
    figure, axes = plt.subplots(figsize=(6.5, 4.2))
    for target in sorted({p[0] for p in points}):
        line = sorted((p for p in points if p[0] == target), key=lambda p: p[1])
        axes.plot([p[3] for p in line], [p[2] for p in line], marker="o", label=f"R² target {target}")
        for p in line:
            axes.annotate(f"{p[1]}", (p[3], p[2]), fontsize=7, xytext=(3, 3), textcoords="offset points")
    axes.set_xlabel("mean |cos| of contributions, test rows")
    axes.set_ylabel("held-out R²")
    axes.set_title("Planted case: the two targets of the constrained recipe\n(labels: orthogonality target, mean cos²)")
    axes.legend(fontsize=8)
    figure.tight_layout()
    figure.savefig(os.path.join(args.out, "tradeoff-targets.svg"))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
