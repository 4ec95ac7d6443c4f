#!/usr/bin/env python3
"""Plots results.csv (written by io.coop.bench.BenchMain) into one PNG with three panels.

    python3 benchmarks/python/plot.py results.csv docs/img/benchmarks.png

Needs matplotlib (Debian: python3-matplotlib); benchmarks/run.sh falls back to the Java
plotter (io.coop.bench.Plot) when it is missing.
"""
import csv
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

TARGETS = {"pingpong": 250, "spawnjoin": 1200, "memory": 1536}


def load(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def color(key):
    if key.startswith(("PingPong.coop", "SpawnJoin.greenlet", "greenlet.")):
        return "#d95f02"
    if key.startswith("gevent"):
        return "#7570b3"
    return "#1b9e77" if "irtual" in key or key.startswith("virtual") else "#666666"


def bars(ax, rows, title, unit, target, log, cpu=None):
    rows = [r for r in rows if r["median"] not in ("", "NaN")]
    labels = [r["label"] for r in rows]
    med = [float(r["median"]) for r in rows]
    lo = [float(r["median"]) - float(r["min"]) for r in rows]
    hi = [float(r["max"]) - float(r["median"]) for r in rows]
    y = range(len(rows))
    ax.barh(y, med, xerr=[lo, hi], color=[color(r["key"]) for r in rows], capsize=3)
    ax.set_yticks(list(y))
    ax.set_yticklabels(labels, fontsize=8)
    ax.invert_yaxis()
    if log:
        ax.set_xscale("log")
    ax.axvline(target, color="red", linestyle="--", linewidth=1, label="coop target %g %s" % (target, unit))
    for i, r in enumerate(rows):
        ax.text(float(r["max"]) * 1.04, i, "%s" % fmt(med[i], unit), va="center", fontsize=7)
    if cpu:
        pts = [(i, cpu[r["key"]]) for i, r in enumerate(rows) if r["key"] in cpu]
        if pts:
            ax.plot([p[1] for p in pts], [p[0] for p in pts], "kD", markersize=4, label="CPU time per op (median)")
    ax.legend(loc="lower right", fontsize=7)
    left, right = ax.get_xlim()
    ax.set_xlim(min(left, target / 1.5), max(right, max(float(r["max"]) for r in rows) * 2.2))
    ax.set_title(title, fontsize=10)
    ax.set_xlabel("%s (median, bar = min..max)%s" % (unit, ", log scale" if log else ""), fontsize=8)


def fmt(v, unit):
    if unit == "B" and v >= 10240:
        return "%.0f KB" % (v / 1024)
    return "%.0f %s" % (v, unit) if v >= 100 else "%.1f %s" % (v, unit)


def main():
    rows = load(sys.argv[1])
    out = sys.argv[2]
    ping = [r for r in rows if r["group"] == "pingpong"]
    spawn = [r for r in rows if r["group"] == "spawnjoin"]
    mem = []
    stacks = {r["key"]: float(r["median"]) for r in rows if r["group"] == "memory-stack"}
    heaps = {r["key"] for r in rows if r["group"] == "memory-heap"}
    for r in rows:
        if r["group"] == "memory-heap" or (r["group"] == "memory-rss" and r["key"] not in heaps):
            r = dict(r)
            extra = stacks.get(r["key"], 0.0)
            for k in ("median", "min", "max"):
                r[k] = str(float(r[k]) + extra)
            mem.append(r)
    panels = [p for p in (ping, spawn, mem) if p]
    fig, axes = plt.subplots(len(panels), 1, figsize=(10, 2.2 + 0.45 * sum(len(p) for p in panels)))
    if len(panels) == 1:
        axes = [axes]
    i = 0
    if ping:
        cpu = {r["key"]: float(r["median"]) for r in rows if r["group"] == "pingpong-cpu"}
        bars(axes[i], ping, "One-way hand-off in a ping-pong (bar: wall-clock)", "ns", TARGETS["pingpong"], True, cpu)
        i += 1
    if spawn:
        cpu = {r["key"]: float(r["median"]) for r in rows if r["group"] == "spawnjoin-cpu"}
        bars(axes[i], spawn, "spawn + join of a trivial task (bar: wall-clock)", "ns", TARGETS["spawnjoin"], True, cpu)
        i += 1
    if mem:
        bars(axes[i], mem, "Memory per parked task (heap; platform: heap + committed stack; gevent: RSS)", "B",
             TARGETS["memory"], True)
    fig.tight_layout()
    fig.savefig(out, dpi=110)


if __name__ == "__main__":
    main()
