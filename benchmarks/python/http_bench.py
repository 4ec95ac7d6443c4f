"""HTTP hello world with wrk (figure 5), every server side by side in one run.

Servers pinned to CPU 0, wrk (2 threads) to CPU 1, loopback only, keep-alive. For each
connection count, each server gets RUNS measured runs interleaved with the others'; the table
gives medians and ratios. Bounded: every wrk run lasts DURATION seconds.

    python3 http_bench.py --java J --jar benchmarks.jar --cp runtime/target/classes
                          [--gevent-python P] [--out DIR] [--conns 50,200] [--runs 3] [--duration 5]
"""
import argparse
import os
import re
import resource
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from echo_bench import CPU_LOAD, loadavg, start, stop  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
HTTP = os.path.join(HERE, "..", "http")
LABELS = {
    "coop": "coop HttpServer, 1 thread",
    "netty": "Netty 4.2 HTTP codec, one NIO event loop",
    "helidon": "Helidon 4 SE, virtual threads, 1 carrier",
    "jdk": "JDK HttpServer, virtual threads, 1 carrier",
    "gevent": "gevent pywsgi",
}


def servers(args):
    opts = [args.java, "-Xms256m", "-Xmx1g", "--add-opens", "java.base/java.lang=ALL-UNNAMED"]
    one = "-Djdk.virtualThreadScheduler.parallelism=1"
    s = {
        "coop": (opts + ["-cp", args.cp, os.path.join(HTTP, "HelloCoop.java"), "18181"], 18181),
        "netty": (opts + ["-cp", args.jar, "io.coop.bench.http.HelloServer", "netty", "18182"], 18182),
        "helidon": ([args.java, one] + opts[1:] + ["-cp", args.jar, "io.coop.bench.http.HelloServer", "helidon", "18183"], 18183),
        "jdk": ([args.java, one] + opts[1:] + [os.path.join(HTTP, "HelloJdk.java"), "18184"], 18184),
    }
    if args.gevent_python:
        s["gevent"] = ([args.gevent_python, os.path.join(HERE, "gevent_hello.py"), "18185"], 18185)
    return s


def wrk(port, conns, seconds, threads=2, cpus=CPU_LOAD, server_pid=None, pipeline=1):
    """One wrk run; with cpus=None wrk is not pinned; with pipeline > 1, wrk sends that many requests per
    write (benchmarks/http/pipeline.lua). Besides the figures, `load_cpu` is the CPU wrk used (its rusage,
    in cores over its run), `machine_cpu` what the whole machine used over the same span and, given
    server_pid, `server_cpu` the server's."""
    pin = ["taskset", "-c", cpus] if cpus is not None else []
    cmd = pin + ["wrk", f"-t{threads}", f"-c{conns}", f"-d{seconds}s", "--latency", f"http://127.0.0.1:{port}/"]
    if pipeline > 1:
        cmd[-1:-1] = ["-s", os.path.join(HTTP, "pipeline.lua")]
        cmd += ["--", str(pipeline)]
    server0 = proc_ticks(server_pid) if server_pid else None
    child0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    machine0 = machine_busy_ticks()
    t0 = time.time()
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 60).stdout
    wall = time.time() - t0
    machine1 = machine_busy_ticks()
    child1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    server1 = proc_ticks(server_pid) if server_pid else None
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errs = re.search(r"Socket errors:.*|Non-2xx.*", out)

    def pct(p):
        m = re.search(rf"^\s+{p}%\s+([\d.]+)(us|ms|s)", out, re.M)
        if not m:
            return float("nan")
        v, unit = float(m.group(1)), m.group(2)
        return v / 1000 if unit == "us" else v * 1000 if unit == "s" else v

    load_cpu = (child1.ru_utime + child1.ru_stime - child0.ru_utime - child0.ru_stime) / wall
    res = {"rps": rps, "p50": pct(50), "p99": pct(99), "errors": errs.group(0) if errs else "", "load_cpu": load_cpu,
           "machine_cpu": (machine1 - machine0) / os.sysconf("SC_CLK_TCK") / wall}
    if server_pid:
        res["server_cpu"] = (server1 - server0) / os.sysconf("SC_CLK_TCK") / wall
    return res


def machine_busy_ticks():
    """Clock ticks all CPUs spent busy (user nice system irq softirq steal; not idle, iowait) from /proc/stat."""
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:9]]
    return sum(v) - v[3] - v[4]


def proc_ticks(pid):
    """utime + stime of process pid, in clock ticks (/proc/PID/stat)."""
    with open(f"/proc/{pid}/stat") as f:
        stat = f.read()
    fields = stat[stat.rindex(")") + 2:].split()
    return int(fields[11]) + int(fields[12])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--java", required=True)
    ap.add_argument("--jar", required=True)
    ap.add_argument("--cp", required=True)
    ap.add_argument("--gevent-python")
    ap.add_argument("--out", default=".")
    ap.add_argument("--conns", default="50,200")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--duration", type=int, default=5)
    ap.add_argument("--warmup", type=int, default=5)
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    before = loadavg()
    procs = {}
    results = {}
    try:
        for k, (cmd, port) in servers(args).items():
            procs[k] = (start(cmd, port), port)
        for k, (_, port) in procs.items():
            wrk(port, 50, args.warmup)
        for conns in [int(c) for c in args.conns.split(",")]:
            for r in range(args.runs):
                for k, (_, port) in procs.items():
                    res = wrk(port, conns, args.duration)
                    results.setdefault((k, conns), []).append(res)
                    print(f"  http {conns} conns run {r + 1} {k}: {res['rps']:.0f} req/s p99 {res['p99']:.2f} ms "
                          f"{res['errors']}", file=sys.stderr)
    finally:
        for p, _ in procs.values():
            stop(p)
    after = loadavg()
    md = ["### HTTP hello world, wrk keep-alive (figure 5)\n",
          f"Server on CPU 0, `wrk -t2` on CPU {CPU_LOAD}; median of {args.runs} interleaved {args.duration} s runs "
          f"after a {args.warmup} s warm-up each; load average {before} before, {after} after.\n"]
    kinds = list(procs)
    conns_list = sorted({c for _, c in results})
    med = {key: {f: statistics.median(x[f] for x in rs) for f in ("rps", "p50", "p99")} for key, rs in results.items()}
    header = "| server | " + " | ".join(f"{c} conns: req/s | p99 | / Helidon | / Netty" for c in conns_list) + " |"
    md.append(header)
    md.append("|---|" + "---:|---:|---:|---:|" * len(conns_list))
    for k in sorted(kinds, key=lambda k: -med[(k, conns_list[0])]["rps"]):
        cells = []
        for c in conns_list:
            m = med[(k, c)]
            h = med.get(("helidon", c), {}).get("rps")
            n = med.get(("netty", c), {}).get("rps")
            cells.append(f"{m['rps']:,.0f} | {m['p99']:.2f} ms | {m['rps'] / h:.2f}x | {m['rps'] / n:.2f}x" if h and n
                         else f"{m['rps']:,.0f} | {m['p99']:.2f} ms | - | -")
        md.append(f"| {LABELS[k]} | " + " | ".join(cells) + " |")
    md.append("")
    with open(os.path.join(args.out, "http.md"), "w") as f:
        f.write("\n".join(md) + "\n")
    with open(os.path.join(args.out, "http.csv"), "w") as f:
        f.write("server,conns,rps,p50_ms,p99_ms\n")
        for (k, c), m in med.items():
            f.write(f"{k},{c},{m['rps']:.0f},{m['p50']:.3f},{m['p99']:.3f}\n")
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        fig, ax = plt.subplots(figsize=(9, 4))
        w = 0.8 / len(conns_list)
        order = sorted(kinds, key=lambda k: -med[(k, conns_list[0])]["rps"])
        for i, c in enumerate(conns_list):
            ax.barh([j + i * w for j in range(len(order))], [med[(k, c)]["rps"] for k in order], height=w, label=f"{c} connections")
        ax.set_yticks([j + w / 2 for j in range(len(order))])
        ax.set_yticklabels([LABELS[k] for k in order])
        ax.invert_yaxis()
        ax.set_xlabel("requests/s (higher is better)")
        ax.set_title("HTTP hello world, wrk keep-alive, server on one core")
        ax.legend()
        fig.tight_layout()
        fig.savefig(os.path.join(args.out, "http-servers.png"), dpi=110)
        md.append("![HTTP hello world per server](img/http-servers.png)\n")
        with open(os.path.join(args.out, "http.md"), "w") as f:
            f.write("\n".join(md) + "\n")
    except ImportError:
        pass
    print("\n".join(md))


if __name__ == "__main__":
    main()
