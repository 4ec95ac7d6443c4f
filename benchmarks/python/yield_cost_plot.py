"""Plots what coop.preempt costs (the CSV io.coop.bench.YieldPointCost prints) as one bar per workload.

    java -cp benchmarks/target/benchmarks.jar io.coop.bench.YieldPointCost agent/target/coop.jar 10ms 5 > ypc.csv
    python3 benchmarks/python/yield_cost_plot.py ypc.csv docs/img/yield-point-cost.png
"""
import csv
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def main(src, out):
    with open(src, newline="") as f:
        rows = list(csv.DictReader(f))
    names = [r["workload"].replace("_per_", "\nper ").replace("_", " ") for r in rows]
    ratios = [float(r["ratio"]) for r in rows]
    fig, ax = plt.subplots(figsize=(8, 3.6))
    bars = ax.barh(names, ratios, color=["#c44" if x > 1.5 else "#4a4" for x in ratios])
    ax.axvline(1.0, color="black", linewidth=0.8)
    for b, x in zip(bars, ratios):
        ax.text(x + 0.05, b.get_y() + b.get_height() / 2, f"{x:.2f}x", va="center")
    ax.set_xlabel("time per operation with coop.preempt / without (under the agent; lower is better)")
    ax.set_title("What preemption's loop yield points cost ordinary CPU loops")
    ax.invert_yaxis()
    ax.set_xlim(0, max(ratios) * 1.2)
    fig.tight_layout()
    fig.savefig(out, dpi=110)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
