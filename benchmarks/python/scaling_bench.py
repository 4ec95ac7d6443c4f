"""One hub per core: how the servers scale from one thread to two, side by side in one run.

HTTP hello world (wrk, keep-alive) and TCP echo (io.coop.bench.echo.EchoLoad, closed loop):
coop's servers with hubs(1) and hubs(2), Netty with 1 and 2 event loops, Vert.x with 2, Helidon
and the JDK on virtual threads with their default scheduler (one carrier per core), and the
unmodified thread-per-connection echo app without the agent and under -javaagent:coop.jar=hubs=1
and =hubs=2. Loopback only.

Nothing is pinned: a server that uses two threads needs both cores, so the load generator
shares them with it. What each side took is measured on every run: the server's CPU from
/proc/PID/stat (utime + stime), the load generator's from its rusage (wrk) or its own process
CPU time (EchoLoad), and what the rest of the machine used (/proc/stat: other processes, the
kernel's threads), all in cores over the run; the three add up to at most the machine's cores.

Every server of a group is started once and warmed up, then RUNS measured runs are interleaved
(each round starting one server later), so that noise from the machine lands on all alike.
Bounded: every measured run lasts DURATION seconds; about 5.5 minutes with the defaults.

    python3 scaling_bench.py --java J --jar benchmarks.jar --cp runtime/target/classes
                             --agent agent/target/coop.jar [--out DIR] [--only http,echo]
                             [--skip coop2,agent2] [--runs 3] [--duration 4] [--smoke]

Writes DIR/scaling.md (tables, ratios, targets), DIR/scaling.csv (medians), DIR/scaling-runs.csv
(every run) and DIR/scaling.png (when matplotlib is found).
"""
import argparse
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from echo_bench import busy_threads, load, loadavg, start, stop, thread_cpu  # noqa: E402
from http_bench import wrk  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
HTTP = os.path.join(HERE, "..", "http")

LABELS = {
    ("http", "coop1"): "coop HttpServer, hubs(1)",
    ("http", "coop2"): "coop HttpServer, hubs(2)",
    ("http", "netty1"): "Netty 4.2 HTTP codec, 1 event loop",
    ("http", "netty2"): "Netty 4.2 HTTP codec, 2 event loops",
    ("http", "vertx2"): "Vert.x 5 HTTP server, 2 event loops",
    ("http", "helidon"): "Helidon 4 SE, virtual threads, default scheduler",
    ("http", "jdk"): "JDK HttpServer, virtual threads, default scheduler",
    ("echo", "coop1"): "coop StreamServer, hubs(1)",
    ("echo", "coop2"): "coop StreamServer, hubs(2)",
    ("echo", "netty1"): "Netty 4.2, 1 event loop",
    ("echo", "netty2"): "Netty 4.2, 2 event loops",
    ("echo", "vertx2"): "Vert.x 5 NetServer, 2 event loops",
    ("echo", "virtual"): "JDK virtual threads, default scheduler",
    ("echo", "app"): "thread-per-connection app, plain JVM (platform threads)",
    ("echo", "agent1"): "same app, -javaagent:coop.jar=hubs=1",
    ("echo", "agent2"): "same app, -javaagent:coop.jar=hubs=2",
}

# the ratios printed under each table: (numerator, denominator)
RATIOS = {
    "http": [("coop2", "coop1"), ("netty2", "netty1"), ("coop2", "netty2"), ("coop1", "netty1"),
             ("coop2", "vertx2"), ("coop2", "helidon"), ("coop2", "jdk")],
    "echo": [("coop2", "coop1"), ("netty2", "netty1"), ("coop2", "netty2"), ("coop1", "netty1"),
             ("coop2", "vertx2"), ("coop2", "virtual"), ("agent2", "agent1"), ("agent1", "app"), ("agent2", "app")],
}


def short(group, k):
    return {"coop1": "coop hubs(1)", "coop2": "coop hubs(2)", "netty1": "Netty 1 loop", "netty2": "Netty 2 loops",
            "vertx2": "Vert.x 2 loops", "helidon": "Helidon", "jdk": "JDK HttpServer", "virtual": "virtual threads",
            "app": "app, plain JVM", "agent1": "app, agent hubs=1", "agent2": "app, agent hubs=2"}[k]


def servers(args, group):
    """{name: (command, port)} of one group, in the order they are measured."""
    java = [args.java, "-Xms256m", "-Xmx1g"]
    opens = ["--add-opens", "java.base/java.lang=ALL-UNNAMED"]
    if group == "http":
        hello = ["-cp", args.jar, "io.coop.bench.http.HelloServer"]
        s = {
            "coop1": (java + opens + ["-cp", args.cp, os.path.join(HTTP, "HelloCoop.java"), "18281", "1"], 18281),
            "coop2": (java + opens + ["-cp", args.cp, os.path.join(HTTP, "HelloCoop.java"), "18282", "2"], 18282),
            "netty1": (java + hello + ["netty", "18283", "1"], 18283),
            "netty2": (java + hello + ["netty", "18284", "2"], 18284),
            "vertx2": (java + hello + ["vertx", "18285", "2"], 18285),
            "helidon": (java + hello + ["helidon", "18286"], 18286),
            "jdk": (java + [os.path.join(HTTP, "HelloJdk.java"), "18287"], 18287),
        }
    else:
        echo = ["-cp", args.jar, "io.coop.bench.echo.EchoServer"]
        app = ["-cp", args.jar, "echoapp.ThreadPerConnectionEcho"]
        s = {
            "coop1": (java + opens + echo + ["coop", "19401", "1"], 19401),
            "coop2": (java + opens + echo + ["coop", "19402", "2"], 19402),
            "netty1": (java + echo + ["netty", "19403", "1"], 19403),
            "netty2": (java + echo + ["netty", "19404", "2"], 19404),
            "vertx2": (java + echo + ["vertx", "19405", "2"], 19405),
            "virtual": (java + echo + ["virtual", "19406"], 19406),
            "app": (java + app + ["19407"], 19407),
            "agent1": (java + [f"-javaagent:{args.agent}=hubs=1"] + app + ["19408"], 19408),
            "agent2": (java + [f"-javaagent:{args.agent}=hubs=2"] + app + ["19409"], 19409),
        }
    return {k: v for k, v in s.items() if k not in args.skip}


def measure(args, group, port, pid, warm=False):
    """One run against a server; returns rps, p50/p99 (ms), server and load-generator CPU (cores)."""
    before = thread_cpu(pid)
    if group == "http":
        seconds = args.warmup if warm else args.duration
        r = wrk(port, args.http_conns, seconds, threads=args.wrk_threads, cpus=None, server_pid=pid,
                pipeline=args.http_pipeline)
        res = {"rps": r["rps"], "p50": r["p50"], "p99": r["p99"], "server_cpu": r["server_cpu"],
               "load_cpu": r["load_cpu"], "machine_cpu": r["machine_cpu"], "errors": r["errors"]}
    else:
        warmup, seconds = (args.warmup, 1) if warm else (1, args.duration)
        r = load(args, port, args.echo_conns, warmup, seconds, cpus=None, server_pid=pid)
        res = {"rps": r["rps"], "p50": r["p50_us"] / 1000, "p99": r["p99_us"] / 1000, "server_cpu": r["server_cpu"],
               "load_cpu": r["pcpu"], "machine_cpu": r["machine_cpu"], "errors": ""}
    res["busy"] = busy_threads(before, thread_cpu(pid))
    res["other_cpu"] = max(0.0, res["machine_cpu"] - res["server_cpu"] - res["load_cpu"])
    return res


def run_group(args, group, runs):
    cmds = servers(args, group)
    procs = {}
    try:
        for k, (cmd, port) in cmds.items():
            procs[k] = (start(cmd, port, nofile=20000, cpus=None), port)
        # warm-up (JIT), not counted: HTTP servers compile much more code than the echo servers, and
        # their C2 threads share the cores with the load; two passes, so each server's compiler has
        # had the others' turns to finish
        for warm_pass in range(2 if group == "http" else 1):
            for k, (p, port) in procs.items():
                r = measure(args, group, port, p.pid, warm=True)
                print(f"  scaling {group} warm-up {warm_pass + 1} {k}: {r['rps']:,.0f}/s", file=sys.stderr)
        names = list(procs)
        for r in range(args.runs):
            for i in range(len(names)):
                k = names[(i + r) % len(names)]  # each round starts one server later
                p, port = procs[k]
                if p.poll() is not None:
                    raise RuntimeError(f"{group} server {k} exited with {p.returncode}: {p.stderr.read()[-500:]}")
                res = measure(args, group, port, p.pid)
                runs.append((group, k, r + 1, res))
                print(f"  scaling {group} run {r + 1} {k}: {res['rps']:,.0f}/s p99 {res['p99']:.2f} ms, "
                      f"server {res['server_cpu']:.2f} cores, load {res['load_cpu']:.2f}, rest {res['other_cpu']:.2f}; "
                      f"busy: {res['busy']} "
                      f"{res['errors']}", file=sys.stderr)
    finally:
        for p, _ in procs.values():
            stop(p)


def medians(runs):
    out = {}
    keys = list(dict.fromkeys((g, k) for g, k, _, _ in runs))
    for g, k in keys:
        rs = [res for gg, kk, _, res in runs if (gg, kk) == (g, k)]
        m = {f: statistics.median(x[f] for x in rs) for f in ("rps", "p50", "p99", "server_cpu", "load_cpu", "other_cpu")}
        m["min"], m["max"] = min(x["rps"] for x in rs), max(x["rps"] for x in rs)
        m["busy"] = rs[len(rs) // 2]["busy"]
        out[(g, k)] = m
    return out


def ratio(med, g, a, b):
    if (g, a) in med and (g, b) in med and med[(g, b)]["rps"]:
        return med[(g, a)]["rps"] / med[(g, b)]["rps"]
    return None


# the ratios also given round by round
ROUND_PAIRS = [("coop2", "coop1"), ("netty2", "netty1"), ("coop2", "netty2"), ("agent2", "agent1")]


def round_ratios(runs, g, a, b):
    """rps of a over rps of b in each round where both were measured, in round order."""
    by = {(k, r): res["rps"] for gg, k, r, res in runs if gg == g}
    return [by[(a, r)] / by[(b, r)] for r in sorted({r for _, _, r, _ in runs}) if (a, r) in by and (b, r) in by and by[(b, r)]]


def spread(xs):
    """A few ratios as they are; many as their median and range."""
    if len(xs) <= 6:
        return ", ".join(f"{x:.2f}" for x in xs)
    return f"median {statistics.median(xs):.2f} ({min(xs):.2f}-{max(xs):.2f} over {len(xs)} rounds)"


# the columns of the table of merged full runs: (group, a, b, heading)
FULL_RUN_RATIOS = [("http", "coop2", "coop1", "HTTP hubs(2) / hubs(1)"), ("http", "netty2", "netty1", "HTTP Netty 2 / 1 loop"),
                   ("http", "coop2", "netty2", "HTTP hubs(2) / Netty 2"), ("echo", "coop2", "coop1", "echo hubs(2) / hubs(1)"),
                   ("echo", "netty2", "netty1", "echo Netty 2 / 1 loop"), ("echo", "coop2", "netty2", "echo hubs(2) / Netty 2"),
                   ("echo", "agent2", "agent1", "app: agent hubs=2 / hubs=1"), ("echo", "agent2", "app", "app: agent hubs=2 / plain")]


def full_run_table(full_runs):
    cols = [c for c in FULL_RUN_RATIOS if any(ratio(medians(rs), c[0], c[1], c[2]) for _, rs in full_runs)]
    md = ["| full run (load average before, after) | " + " | ".join(c[3] for c in cols) + " | load generator CPU, HTTP / echo |",
          "|---|" + "---:|" * len(cols) + "---:|"]
    for label, rs in full_runs:
        m = medians(rs)
        cells = [f"{r:.2f}x" if (r := ratio(m, g, a, b)) else "-" for g, a, b, _ in cols]
        loads = [statistics.median(x["load_cpu"] for gg, _, _, x in rs if gg == g) for g in ("http", "echo")
                 if any(gg == g for gg, _, _, _ in rs)]
        md.append(f"| {label} | " + " | ".join(cells) + " | " + " / ".join(f"{x:.2f}" for x in loads) + " |")
    return md


def idle_cores(med, g, k):
    """The machine's cores that server, load generator and the rest of the machine left unused (medians)."""
    m = med.get((g, k))
    if not m:
        return None
    return max(0.0, (os.cpu_count() or 2) - m["server_cpu"] - m["load_cpu"] - m["other_cpu"])


def report(args, runs, load_before, load_after, started, ended, full_runs=None):
    """Writes the tables, CSVs and plot. full_runs: [(label, runs)] when several full runs were merged."""
    med = medians(runs)
    if full_runs:
        how = (f"Median of {len(set(r for _, _, r, _ in runs))} rounds from {len(full_runs)} full runs "
               f"({', '.join(label for label, _ in full_runs)}), each of {args.runs} interleaved rounds of "
               f"{args.duration} s runs after a warm-up; ")
    else:
        how = f"Median of {args.runs} interleaved runs of {args.duration} s after a warm-up each; "
    md = ["### HTTP hello world and TCP echo with 1 and 2 threads\n",
          f"{os.cpu_count()} cores, nothing pinned: servers and load generator share both cores. " + how
          + "; ".join(part for g, part in (
              ("http", f"HTTP: `wrk -t{args.wrk_threads} -c{args.http_conns}` keep-alive"
                       + (f", {args.http_pipeline} requests pipelined per write" if args.http_pipeline > 1 else "")),
              ("echo", f"echo: `EchoLoad` (one Java NIO thread), {args.echo_conns} connections, "
                       f"{args.size}-byte messages")) if any(gg == g for gg, _, _, _ in runs)) +
          ". Server CPU from /proc/PID/stat, load generator "
          f"CPU from its rusage (wrk) or its JVM's process CPU time (EchoLoad), the rest of the machine (other "
          f"processes, the kernel's own threads) from /proc/stat, all in cores over the run. "
          + (f"Load average {load_before} before, {load_after} after; {ended - started:.0f} s in all.\n" if not full_runs
           else "Load average before and after each full run in the table below.\n")]
    csv = ["group,server,conns,rps,rps_min,rps_max,p50_ms,p99_ms,server_cores,load_cores,other_cores,busy_threads"]
    for g, title, unit in (("http", "HTTP hello world", "req/s"), ("echo", "TCP echo", "round trips/s")):
        rows = [(k, m) for (gg, k), m in med.items() if gg == g]
        if not rows:
            continue
        conns = args.http_conns if g == "http" else args.echo_conns
        ref = med.get((g, "netty2"), {}).get("rps")
        piped = f", {args.http_pipeline} requests pipelined" if g == "http" and args.http_pipeline > 1 else ""
        md.append(f"#### {title}, {conns} connections{piped}\n")
        if piped:
            md.append("wrk times a pipelined batch, not each request: no latencies in this table.\n")

        def lat(v, piped=piped):
            return "-" if piped else f"{v:.2f} ms"
        md.append(f"| server | {unit} | runs (min-max) | p50 | p99 | server CPU | load generator CPU | rest of the machine "
                  "| / Netty 2 loops |")
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
        for k, m in rows:
            rn = f"{m['rps'] / ref:.2f}x" if ref else "-"
            md.append(f"| {LABELS[(g, k)]} | {m['rps']:,.0f} | {m['min'] / 1000:,.1f}k-{m['max'] / 1000:,.1f}k | "
                      f"{lat(m['p50'])} | {lat(m['p99'])} | {m['server_cpu']:.2f} | {m['load_cpu']:.2f} | "
                      f"{m['other_cpu']:.2f} | {rn} |")
            csv.append(f"{g},{k},{conns},{m['rps']:.0f},{m['min']:.0f},{m['max']:.0f},{m['p50']:.3f},{m['p99']:.3f},"
                       f"{m['server_cpu']:.3f},{m['load_cpu']:.3f},{m['other_cpu']:.3f},{m['busy'].replace(',', ' ')}")
        md.append("")
        pairs = [f"{short(g, a)} / {short(g, b)} **{r:.2f}x**" for a, b in RATIOS[g] if (r := ratio(med, g, a, b))]
        md.append("Ratios (medians): " + "; ".join(pairs) + ".\n")
        per_round = [f"{short(g, a)} / {short(g, b)} {spread(rr)}"
                     for a, b in ROUND_PAIRS if (rr := round_ratios(runs, g, a, b))]
        if per_round:
            md.append("The same ratios round by round (the two runs compared are in the same round, under a minute "
                      "apart, so a slow drift of the machine's speed cancels out): " + "; ".join(per_round) + ".\n")
        idle = [f"{short(g, k)} {x:.2f}" for k in ("coop1", "netty1", "agent1") if (x := idle_cores(med, g, k)) is not None]
        if idle:
            md.append("Cores left idle with one thread (the machine's, less server, load generator and the rest; "
                      "medians): " + "; ".join(idle) + ". A second thread can only add what these cores, or a "
                      "lower cost per request, allow.\n")
        busy = [f"{short(g, k)}: {m['busy']}" for k, m in rows if m["busy"]]
        md.append("Threads that used at least 10% of the server's CPU (median run): " + "; ".join(busy) + ".\n")
    if full_runs:
        md.append("Each full run on its own (medians of its rounds):\n")
        md += full_run_table(full_runs)
        md.append("")
    # the verdicts take the median of the per-round ratios: both servers of a pair measured in the same
    # round, under a minute apart, so that the machine's own drifts (it is a shared VM) cancel out; a
    # ratio of medians over several rounds can set a fast round of one against a slow round of the other
    targets = []
    for what, g, a, b, goal in (("HTTP: hubs(2) >= Netty with 2 event loops", "http", "coop2", "netty2", 1.0),
                                ("TCP echo: hubs(2) >= Netty with 2 event loops", "echo", "coop2", "netty2", 1.0),
                                ("HTTP: hubs(2) >= 1.3x hubs(1)", "http", "coop2", "coop1", 1.3)):
        rr = round_ratios(runs, g, a, b)
        if not rr:
            continue
        paired = statistics.median(rr)
        of_medians = ratio(med, g, a, b)
        by_run = (", ".join(f"{r:.2f}" for _, rs in full_runs if (r := ratio(medians(rs), g, a, b)))
                  if full_runs else "")
        targets.append(f"| {what} | **{paired:.2f}x** ({min(rr):.2f}-{max(rr):.2f}) | {of_medians:.2f}x | "
                       + (f"{by_run} | " if full_runs else "") + f"{'**met**' if paired >= goal else '**missed**'} |")
    if targets:
        md.append(f"| target | median of the {len(set(r for _, _, r, _ in runs))} rounds' ratios (range) "
                  f"| ratio of the medians | " + ("each full run | " if full_runs else "") + "verdict |")
        md.append("|---|---:|---:|" + ("---:|" if full_runs else "") + "---|")
        md += targets
        md.append("")
    md.append("![throughput and CPU split, 1 and 2 threads](img/scaling.png)\n")
    with open(os.path.join(args.out, "scaling.md"), "w") as f:
        f.write("\n".join(md) + "\n")
    with open(os.path.join(args.out, "scaling.csv"), "w") as f:
        f.write("\n".join(csv) + "\n")
    with open(os.path.join(args.out, "scaling-runs.csv"), "w") as f:
        f.write("group,server,run,rps,p50_ms,p99_ms,server_cores,load_cores,other_cores,busy_threads\n")
        for g, k, r, res in runs:
            f.write(f"{g},{k},{r},{res['rps']:.0f},{res['p50']:.3f},{res['p99']:.3f},{res['server_cpu']:.3f},"
                    f"{res['load_cpu']:.3f},{res['other_cpu']:.3f},{res['busy'].replace(',', ' ')}\n")
    plot(args, med, runs)
    print("\n".join(md))


# how throughput grows from one thread to two, in the plot's last panel: (group, 2 threads, 1 thread, label)
GROWTH = [("http", "coop2", "coop1", "HTTP: coop hubs(2) / hubs(1)"),
          ("http", "netty2", "netty1", "HTTP: Netty 2 loops / 1 loop"),
          ("echo", "coop2", "coop1", "echo: coop hubs(2) / hubs(1)"),
          ("echo", "netty2", "netty1", "echo: Netty 2 loops / 1 loop"),
          ("echo", "agent2", "agent1", "echo: app under agent hubs=2 / hubs=1")]


def plot(args, med, runs):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("scaling-bench: no matplotlib: no plot", file=sys.stderr)
        return
    groups = [g for g in ("http", "echo") if any(gg == g for gg, _ in med)]
    growth = [(label, statistics.median(rr)) for g, a, b, label in GROWTH if (rr := round_ratios(runs, g, a, b))]
    heights = [len([k for gg, k in med if gg == g]) + 1.5 for g in groups] + ([len(growth) + 1.5] if growth else [])
    fig = plt.figure(figsize=(13, 0.42 * sum(heights) + 1.2))
    grid = fig.add_gridspec(len(heights), 2, width_ratios=[3, 2], height_ratios=heights)
    cores = os.cpu_count() or 2
    for i, g in enumerate(groups):
        a, b = fig.add_subplot(grid[i, 0]), fig.add_subplot(grid[i, 1])
        ks = [k for gg, k in med if gg == g]
        y = list(range(len(ks)))
        rps = [med[(g, k)]["rps"] for k in ks]
        lo = [med[(g, k)]["min"] for k in ks]
        hi = [med[(g, k)]["max"] for k in ks]
        a.barh(y, rps, xerr=[[r - l for r, l in zip(rps, lo)], [h - r for r, h in zip(rps, hi)]], capsize=3,
               color=["tab:green" if k.startswith(("coop", "agent")) else "tab:gray" for k in ks])
        for j in y:
            a.text(hi[j], j, f"  {rps[j] / 1000:,.1f}k", va="center", fontsize=8)
        a.set_yticks(y)
        a.set_yticklabels([LABELS[(g, k)] for k in ks], fontsize=8)
        a.invert_yaxis()
        a.set_xlim(0, max(hi) * 1.2)
        conns = args.http_conns if g == "http" else args.echo_conns
        a.set_xlabel("requests/s" if g == "http" else "round trips/s", fontsize=8)
        piped = f", {args.http_pipeline} pipelined" if g == "http" and args.http_pipeline > 1 else ""
        a.set_title(f"{'HTTP hello world, wrk' if g == 'http' else 'TCP echo, 64 B'}, {conns} connections{piped}: "
                    "median and min-max of the runs (higher is better)", fontsize=9)
        server = [med[(g, k)]["server_cpu"] for k in ks]
        loadg = [med[(g, k)]["load_cpu"] for k in ks]
        b.barh(y, server, color="tab:blue", label="server")
        b.barh(y, loadg, left=server, color="tab:orange", label="load generator")
        other = [med[(g, k)]["other_cpu"] for k in ks]
        b.barh(y, other, left=[s_ + l_ for s_, l_ in zip(server, loadg)], color="lightgray", label="rest of the machine")
        b.axvline(cores, color="tab:red", linestyle="--", linewidth=1)
        b.set_yticks(y)
        b.set_yticklabels([])
        b.invert_yaxis()
        b.set_xlim(0, cores * 1.05)
        b.set_xlabel(f"CPU used, cores (dashed: the machine's {cores})", fontsize=8)
        b.set_title("who used the cores (medians)", fontsize=9)
        b.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    if growth:
        c = fig.add_subplot(grid[len(groups), 0])
        y = list(range(len(growth)))
        c.barh(y, [r for _, r in growth], color=["tab:green" if "coop" in l or "agent" in l else "tab:gray" for l, _ in growth])
        for j, (_, r) in enumerate(growth):
            c.text(r, j, f"  {r:.2f}x", va="center", fontsize=8)
        c.axvline(1.0, color="black", linewidth=1)
        c.axvline(1.3, color="tab:red", linestyle="--", linewidth=1)
        c.set_yticks(y)
        c.set_yticklabels([l for l, _ in growth], fontsize=8)
        c.invert_yaxis()
        c.set_xlim(0, max(1.5, max(r for _, r in growth) * 1.15))
        c.set_xlabel("throughput with 2 threads / with 1 (median of the rounds' ratios)", fontsize=8)
        c.set_title("how throughput grows from 1 to 2 hubs / event loops (dashed: coop's target on HTTP, 1.3x)",
                    fontsize=9)
    fig.tight_layout()
    fig.savefig(os.path.join(args.out, "scaling.png"), dpi=110)
    plt.close(fig)


def read_run(d):
    """(meta, runs) of a full run's output directory."""
    with open(os.path.join(d, "scaling-meta.txt")) as f:
        meta = dict(line.rstrip("\n").split("=", 1) for line in f if "=" in line)
    runs = []
    with open(os.path.join(d, "scaling-runs.csv")) as f:
        for line in f.read().splitlines()[1:]:
            g, k, r, rps, p50, p99, sc, lc, oc, busy = line.split(",", 9)
            runs.append((g, k, int(r), {"rps": float(rps), "p50": float(p50), "p99": float(p99),
                                        "server_cpu": float(sc), "load_cpu": float(lc), "other_cpu": float(oc),
                                        "busy": busy}))
    return meta, runs


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--java", required=True)
    ap.add_argument("--jar", required=True)
    ap.add_argument("--cp", required=True, help="coop's runtime classes, for the single-file HelloCoop.java")
    ap.add_argument("--agent", required=True)
    ap.add_argument("--out", default=".")
    ap.add_argument("--only", default="http,echo")
    ap.add_argument("--skip", default="", help="servers left out, e.g. coop2,agent2")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--duration", type=int, default=4)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--http-conns", type=int, default=200)
    ap.add_argument("--echo-conns", type=int, default=1000)
    ap.add_argument("--wrk-threads", type=int, default=2)
    ap.add_argument("--http-pipeline", type=int, default=1,
                    help="requests per write from wrk (HTTP/1.1 pipelining; 1: none): a cheaper load generator")
    ap.add_argument("--smoke", action="store_true", help="1 short run each: proves it runs, the figures mean nothing")
    ap.add_argument("--report-only", action="store_true",
                    help="rewrite scaling.md and the plot from OUT/scaling-runs.csv and OUT/scaling-meta.txt")
    ap.add_argument("--merge", default="",
                    help="with --report-only: DIR,DIR,... full runs of the same settings, reported together into OUT")
    args = ap.parse_args()
    args.size = 64
    args.skip = set(filter(None, args.skip.split(",")))
    if args.smoke:
        args.runs, args.duration, args.warmup, args.http_conns, args.echo_conns = 1, 1, 1, 20, 50
    os.makedirs(args.out, exist_ok=True)
    if args.report_only:
        dirs = args.merge.split(",") if args.merge else [args.out]
        full_runs, runs, metas = [], [], []
        for d in dirs:
            meta, rs = read_run(d)
            for k in ("runs", "duration", "http_conns", "echo_conns", "wrk_threads", "http_pipeline"):
                v = int(meta.get(k, 1))
                if metas and getattr(args, k) != v:
                    raise SystemExit(f"scaling-bench: {d} was run with {k}={v}, not {getattr(args, k)}: not merged")
                setattr(args, k, v)
            offset = max((r for _, _, r, _ in runs), default=0)
            runs += [(g, k, r + offset, res) for g, k, r, res in rs]
            label = (time.strftime("%H:%M", time.localtime(float(meta["started"]))) +
                     f" ({meta['load_before'].split()[0]}, {meta['load_after'].split()[0]})")
            full_runs.append((label, rs))
            metas.append(meta)
        report(args, runs, metas[0]["load_before"], metas[-1]["load_after"], float(metas[0]["started"]),
               float(metas[-1]["ended"]), full_runs if args.merge else None)
        return
    before, started = loadavg(), time.time()
    runs = []
    for g in ("http", "echo"):
        if g in args.only.split(","):
            run_group(args, g, runs)
    after, ended = loadavg(), time.time()
    with open(os.path.join(args.out, "scaling-meta.txt"), "w") as f:
        f.write(f"runs={args.runs}\nduration={args.duration}\nhttp_conns={args.http_conns}\necho_conns={args.echo_conns}\n"
                f"wrk_threads={args.wrk_threads}\nhttp_pipeline={args.http_pipeline}\nload_before={before}\nload_after={after}\nstarted={started}\nended={ended}\n")
    report(args, runs, before, after, started, ended)
    print(f"scaling-bench: wrote {args.out}/scaling.md, scaling.csv and scaling.png", file=sys.stderr)


if __name__ == "__main__":
    main()
