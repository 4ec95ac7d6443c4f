"""TCP echo comparison (figures 3's idle connections, 4, 6 and 7's echo curve), side by side in one run.

Every server runs pinned to CPU 0 and the load client (io.coop.bench.echo.EchoLoad, one
thread, closed loop) to CPU 1, over loopback only. Each figure is the median of RUNS runs, the
servers' runs interleaved so that background noise hits them alike. Bounded: every run is
WARMUP + SECONDS long and each process is killed at the end.

    python3 echo_bench.py --java J --jar benchmarks.jar [--agent coop.jar] [--gevent-python P]
                          [--out DIR] [--smoke]

Writes DIR/echo.md (Markdown tables), DIR/echo.csv and DIR/echo-*.png (when matplotlib is found).
"""
import argparse
import re
import os
import signal
import socket
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
CPU_SERVER, CPU_LOAD = "0", "1"


def wait_port(port, proc, timeout=30):
    end = time.time() + timeout
    while time.time() < end:
        if proc.poll() is not None:
            raise RuntimeError(f"server on port {port} exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"server on port {port} did not start in {timeout}s")


def start(cmd, port, nofile=None, cpus=CPU_SERVER):
    """Starts a server (pinned to `cpus`, or free on every core when cpus is None) and waits for its port.
    The returned process's pid is the server's own (bash and taskset exec into it)."""
    shell = " ".join(cmd)
    if nofile:
        shell = f"ulimit -n {nofile}; exec {shell}"
    else:
        shell = f"exec {shell}"
    pin = f"taskset -c {cpus} " if cpus is not None else ""
    proc = subprocess.Popen(["bash", "-c", f"exec {pin}bash -c '{shell}'"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wait_port(port, proc)
    return proc


def stop(proc):
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def load(args, port, conns, warmup, seconds, sample_pid=None, cpus=CPU_LOAD, server_pid=None):
    """Runs the load client (pinned to `cpus`, or free when None); returns a dict of its figures (and the
    server's RSS/threads when asked with sample_pid; the server's CPU in cores, server_cpu, with server_pid)."""
    pin = f"taskset -c {cpus} " if cpus is not None else ""
    shell = (f"ulimit -n {max(1024, conns + 512)}; exec {pin}{args.java} -Xmx512m "
             f"-cp {args.jar} io.coop.bench.echo.EchoLoad {port} {conns} {args.size} {warmup} {seconds}"
             + (f" {server_pid}" if server_pid else ""))
    p = subprocess.Popen(["bash", "-c", shell], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sample = {}
    if sample_pid:
        # sample the server while the load runs: peak RSS and thread count, and the CPU each
        # thread used over the measured part (after the warm-up), to count the threads doing work
        start = time.time()
        deadline = start + 120
        cpu_from = cpu_to = None
        while p.poll() is None and time.time() < deadline:
            time.sleep(0.5)
            s = proc_status(sample_pid)
            if s:
                sample = {"rss_kb": max(sample.get("rss_kb", 0), s["rss_kb"]),
                          "threads": max(sample.get("threads", 0), s["threads"])}
                ticks = thread_cpu(sample_pid)
                if cpu_from is None and time.time() - start >= warmup + 1:
                    cpu_from = ticks
                elif cpu_from is not None:
                    cpu_to = ticks
        if cpu_from and cpu_to:
            sample["busy_threads"] = busy_threads(cpu_from, cpu_to)
    try:
        out, err = p.communicate(timeout=warmup + seconds + 180)
    except subprocess.TimeoutExpired:
        p.kill()
        out, err = p.communicate()
    if p.returncode != 0:
        raise RuntimeError(f"load on port {port} failed: {err.strip()[-500:]}")
    line = out.strip().splitlines()[-1]
    res = {k: float(v) for k, v in (kv.split("=") for kv in line.split())}
    res.update(sample)
    return res


def thread_cpu(pid):
    """CPU ticks (user + system) per thread of pid: {tid: (name, ticks)}."""
    out = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/stat") as f:
                stat = f.read()
        except OSError:
            continue  # the thread ended
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2:].split()
        out[tid] = (name, int(fields[11]) + int(fields[12]))  # utime, stime
    return out


def busy_threads(before, after, share=0.10):
    """The threads that used at least `share` of the process's CPU between two snapshots, busiest first."""
    used = {tid: after[tid][1] - before.get(tid, (None, 0))[1] for tid in after}
    total = sum(used.values())
    if total <= 0:
        return ""
    busy = sorted((t for t in used if used[t] >= share * total), key=lambda t: -used[t])
    return "; ".join(f"{after[t][0]}:{100 * used[t] / total:.0f}%" for t in busy)


def proc_status(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            fields = dict(l.split(":", 1) for l in f if ":" in l)
        return {"rss_kb": int(fields["VmRSS"].split()[0]), "threads": int(fields["Threads"])}
    except (OSError, KeyError, ValueError):
        return None


def java_pid(proc):
    """The pid of the JVM under taskset/bash (exec keeps the pid)."""
    return proc.pid


def server_cmds(args, port):
    base = [args.java, "-Xms256m", "-Xmx1g", "--add-opens", "java.base/java.lang=ALL-UNNAMED", "-cp", args.jar]
    main = "io.coop.bench.echo.EchoServer"
    cmds = {
        "coop": base + [main, "coop", str(port)],
        "coop-nio": base + [main, "coop-nio", str(port + 1)],
        "netty": base + [main, "netty", str(port + 2)],
        "vertx": base + [main, "vertx", str(port + 6)],
        "virtual": [args.java, "-Djdk.virtualThreadScheduler.parallelism=1"] + base[1:] + [main, "virtual", str(port + 3)],
        "platform": base + [main, "platform", str(port + 4)],
    }
    ports = {"coop": port, "coop-nio": port + 1, "netty": port + 2, "virtual": port + 3, "platform": port + 4,
             "vertx": port + 6}
    if args.gevent_python:
        cmds["gevent"] = [args.gevent_python, os.path.join(HERE, "gevent_echo.py"), str(port + 5)]
        ports["gevent"] = port + 5
    return cmds, ports


LABELS = {
    "coop": "coop StreamServer, 1 thread (socket streams)",
    "coop-nio": "coop StreamServer.forChannels, 1 thread",
    "netty": "Netty 4.2, one NIO event loop",
    "vertx": "Vert.x 5, one event loop",
    "virtual": "JDK virtual threads, 1 carrier",
    "platform": "platform thread per connection",
    "agent": "platform-thread app under the coop agent",
    "gevent": "gevent StreamServer",
}


def fig4(args, rows):
    cmds, ports = server_cmds(args, 19100)
    procs = {}
    try:
        for k, c in cmds.items():
            procs[k] = start(c, ports[k])
        for k in cmds:  # warm-up (JIT) round, not counted
            load(args, ports[k], args.conns, args.warmup, args.seconds)
        runs = {k: [] for k in cmds}
        for r in range(args.runs):
            for k in cmds:
                res = load(args, ports[k], args.conns, 1, args.seconds)
                runs[k].append(res)
                print(f"  echo run {r + 1} {k}: {res['rps']:.0f} rt/s p50 {res['p50_us']:.0f} us "
                      f"p99 {res['p99_us']:.0f} us (client CPU {res['cpu']:.2f})", file=sys.stderr)
    finally:
        for p in procs.values():
            stop(p)
    for k, rs in runs.items():
        med = lambda f: statistics.median(x[f] for x in rs)
        rows.append(("fig4", k, args.conns, med("rps"), med("p50_us"), med("p99_us"), med("cpu"), "", ""))
    return runs


def fig6(args, rows):
    if not args.agent:
        return
    base = [args.java, "-Xms64m", "-Xmx1g", "-cp", args.jar, "echoapp.ThreadPerConnectionEcho"]
    port = 19200
    for conns in args.agent_conns:
        for mode in ("plain", "agent"):
            cmd = list(base)
            if mode == "agent":
                cmd.insert(1, f"-javaagent:{args.agent}")
            res_runs = []
            for r in range(args.agent_runs):
                port += 1
                p = start(cmd + [str(port)], port, nofile=20000)
                try:
                    res = load(args, port, conns, args.warmup, args.seconds, sample_pid=java_pid(p))
                finally:
                    stop(p)
                res_runs.append(res)
                print(f"  thread-per-connection {mode} {conns} conns: {res['rps']:.0f} rt/s, "
                      f"RSS {res.get('rss_kb', 0) / 1024:.0f} MB, {res.get('threads', 0)} threads, "
                      f"busy: {res.get('busy_threads', '?')}", file=sys.stderr)
            med = lambda f: statistics.median(x.get(f, 0) for x in res_runs)
            rows.append(("fig6", mode, conns, med("rps"), med("p50_us"), med("p99_us"), med("cpu"),
                         med("rss_kb"), med("threads"), res_runs[-1].get("busy_threads", "")))


def fig7(args, rows):
    cmds, ports = server_cmds(args, 19300)
    kinds = [k for k in ("coop", "netty", "vertx", "virtual", "gevent") if k in cmds]
    procs = {}
    try:
        for k in kinds:
            procs[k] = start(cmds[k], ports[k], nofile=20000)
            load(args, ports[k], 1000, args.warmup, args.seconds)  # JIT warm-up
        for conns in args.curve_conns:
            for k in kinds:
                res = load(args, ports[k], conns, 1, args.seconds)
                print(f"  echo {k} {conns} conns: {res['rps']:.0f} rt/s p99 {res['p99_us']:.0f} us",
                      file=sys.stderr)
                rows.append(("fig7", k, conns, res["rps"], res["p50_us"], res["p99_us"], res["cpu"], "", ""))
    finally:
        for p in procs.values():
            stop(p)


def costs(args, rows):
    ns = "10,100,1000" if args.smoke else "10,100,1000,10000,100000"
    ops = "20000" if args.smoke else "500000"
    cmd = ["taskset", "-c", CPU_SERVER, args.java, "-Xmx2g", "--add-opens", "java.base/java.lang=ALL-UNNAMED",
           "-Djdk.virtualThreadScheduler.parallelism=1",
           "-cp", args.jar, "io.coop.bench.CostGrowth", ns, ops]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=300, check=True).stdout
    for line in out.strip().splitlines()[1:]:
        measure, n, v = line.split(",")
        rows.append(("cost", measure, int(n), float(v), "", "", "", "", ""))
        print(f"  {measure} cost with {n}: {float(v):.1f} ns", file=sys.stderr)


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def ms(us):
    """Microseconds as ms; the client's histogram stops at 1 s."""
    return "> 1 s" if float(us) >= 1_000_000 else f"{float(us) / 1000:.1f} ms"


def report(args, rows, load_before, load_after):
    md = []
    idle = [r for r in rows if r[0] == "idle"]
    if idle:
        md.append(f"### Memory per idle connection on the echo servers (figure 3, second half)\n")
        md.append(f"Each server (same code as figure 4) is warmed up with echo load and {args.warmup_rounds} round(s) of "
                  f"{idle[0][2]:,} connections opened and closed, then measured before and after "
                  f"{idle[0][2]:,} connections that each made one 64-byte round trip and now sit idle. "
                  "For the JVMs: live heap after a full GC (`jcmd PID GC.class_histogram`), per connection, "
                  "everything the runtime keeps per idle connection (a platform thread's native stack comes on "
                  "top: see the parked-task figures). For gevent: growth of the process's resident set, per "
                  "connection (CPython has no separate heap to read). A JVM's RSS growth is no measure here: "
                  "it mostly shows heap the JVM had or had not committed yet.\n")
        md.append("| server | memory per idle connection | measured as |")
        md.append("|---|---:|---|")
        for r in sorted(idle, key=lambda r: r[3] if r[3] == r[3] else float(r[7])):
            java = r[3] == r[3]
            md.append(f"| {LABELS[r[1]]} | {(r[3] if java else float(r[7])) / 1024:.2f} KB | "
                      f"{'live heap' if java else 'RSS growth'} |")
        md.append("")
        md.append("![memory per idle connection](img/echo-idle-memory.png)\n")
    f4 = {r[1]: r for r in rows if r[0] == "fig4"}
    if f4:
        md.append(f"### TCP echo, {args.conns} connections, {args.size}-byte messages (figure 4)\n")
        md.append(f"Server on CPU {CPU_SERVER}, load client (one Java NIO thread, closed loop) on CPU {CPU_LOAD}; "
                  f"median of {args.runs} interleaved runs of {args.seconds} s after a warm-up; "
                  f"load average {load_before} before, {load_after} after.\n")
        ref_n = f4.get("netty", (0,) * 4)[3]
        ref_g = f4.get("gevent", (0,) * 4)[3]
        md.append("| server | round trips/s | p50 | p99 | / Netty | / gevent | client CPU |")
        md.append("|---|---:|---:|---:|---:|---:|---:|")
        for k, r in sorted(f4.items(), key=lambda kv: -kv[1][3]):
            rn = f"{r[3] / ref_n:.2f}x" if ref_n else "-"
            rg = f"{r[3] / ref_g:.2f}x" if ref_g else "-"
            md.append(f"| {LABELS[k]} | {r[3]:,.0f} | {r[4] / 1000:.1f} ms | {ms(r[5])} | {rn} | {rg} | {r[6]:.2f} |")
        md.append("")
        md.append("![TCP echo: throughput and latency per server](img/echo-servers.png)\n")
    f6 = [r for r in rows if r[0] == "fig6"]
    if f6:
        md.append("### The same thread-per-connection echo app with and without `-javaagent:coop.jar` (figure 6)\n")
        md.append("`echoapp.ThreadPerConnectionEcho`: `ServerSocket.accept()`, `new Thread(...)` per "
                  "connection, blocking streams; no coop in its source. RSS and threads are the server's peak "
                  "while every connection is busy (read from /proc). Busy threads: the threads that used at "
                  "least 10% of the server's CPU over the measured part (/proc/PID/task/*/stat), with their "
                  "share (`java` is the JVM's main thread: with the agent, the hub running every connection's greenlet).\n")
        md.append("| connections | run | round trips/s | p99 | RSS | OS threads | busy threads (share of CPU) |")
        md.append("|---:|---|---:|---:|---:|---:|---|")
        for r in f6:
            busy = r[9] if len(r) > 9 and r[9] else "-"
            if busy != "-" and len(busy.split("; ")) > 4:
                shares = [int(b.rsplit(":", 1)[1][:-1]) for b in busy.split("; ")]
                busy = f"{len(shares)} threads, none above {max(shares)}%"
            md.append(f"| {r[2]:,} | {'with coop agent' if r[1] == 'agent' else 'plain JVM'} | {r[3]:,.0f} | "
                      f"{ms(r[5])} | {float(r[7]) / 1024:.0f} MB | {int(float(r[8]))} | {busy} |")
        by = {(r[1], r[2]): r for r in f6}
        for conns in sorted({r[2] for r in f6}):
            if ("plain", conns) in by and ("agent", conns) in by:
                p, a = by[("plain", conns)], by[("agent", conns)]
                md.append(f"\nAt {conns:,} connections the agent's RSS is {float(a[7]) / float(p[7]):.2f}x the plain "
                          f"JVM's, throughput {a[3] / p[3]:.2f}x, OS threads {int(float(a[8]))} vs {int(float(p[8]))}.")
        md.append("")
    f7 = [r for r in rows if r[0] == "fig7"]
    if f7:
        md.append("### Echo throughput vs connections (figure 7)\n")
        conns = sorted({r[2] for r in f7})
        kinds = list(dict.fromkeys(r[1] for r in f7))
        md.append("| server | " + " | ".join(f"{c:,} conns" for c in conns) + " |")
        md.append("|---|" + "---:|" * len(conns))
        by = {(r[1], r[2]): r for r in f7}
        for k in kinds:
            md.append(f"| {LABELS[k]} | " + " | ".join(
                f"{by[(k, c)][3]:,.0f} (p99 {ms(by[(k, c)][5])})" if (k, c) in by else "-" for c in conns) + " |")
        md.append("")
        md.append("![echo throughput and p99 vs connections](img/echo-connections.png)\n")
    fc = [r for r in rows if r[0] == "cost"]
    if fc:
        md.append("### How coop's costs grow (figure 7)\n")
        md.append("`io.coop.bench.CostGrowth` on CPU 0: one switch while N greenlets are ready (each yields with "
                  "`Coop.sleep(0)` in turn), and one timer started and cancelled (`Timeout.startNew(..).close()`) "
                  "while N other timers are pending, and one `Coop.sleep(1 us)` (a timer that fires, the greenlet resumed) "
                  "with N pending; killing N greenlets that wait in `Queue.get`, newest first, per greenlet; waking N greenlets "
                  "that wait on one `Event` with one `set()`, per greenlet until the last has run; for scale, the switch measure on JDK virtual threads (default scheduler, one "
                  "carrier, `Thread.yield()`). Median of 3 rounds, ns per operation.\n")
        ns = sorted({r[2] for r in fc})
        md.append("| measure | " + " | ".join(f"N = {n:,}" for n in ns) + " |")
        md.append("|---|" + "---:|" * len(ns))
        by = {(r[1], r[2]): r[3] for r in fc}
        for m, label in (("switch", "switch, N ready greenlets"), ("vswitch", "for scale: switch, N ready JDK virtual threads (1 carrier)"),
                         ("timer", "Timeout start+cancel, N pending"), ("sleep", "Coop.sleep(1 us), N pending"),
                         ("kill-waiting", "kill, per greenlet, N waiting in Queue.get (newest first)"),
                         ("event-wake", "wake-up, per greenlet, N waiting on one Event.set")):
            md.append(f"| {label} | " + " | ".join(f"{by[(m, n)]:.0f} ns" if (m, n) in by else "-" for n in ns) + " |")
        md.append("")
        md.append("![cost growth](img/echo-cost-growth.png)\n")
    with open(os.path.join(args.out, "echo.md"), "w") as f:
        f.write("\n".join(md) + "\n")
    with open(os.path.join(args.out, "echo.csv"), "w") as f:
        f.write("figure,server,conns,rps,p50_us,p99_us,client_cpu,rss_kb,threads,busy_threads\n")
        for r in rows:
            f.write(",".join(str(x) for x in r) + "\n")
    plot(args, rows)


def plot(args, rows):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("echo-bench: no matplotlib: no plots", file=sys.stderr)
        return
    f4 = [r for r in rows if r[0] == "fig4"]
    if f4:
        f4.sort(key=lambda r: -r[3])
        fig, (a, b) = plt.subplots(1, 2, figsize=(12, 4.2))
        names = [LABELS[r[1]].replace(", ", "\n", 1) for r in f4]
        a.barh(names, [r[3] for r in f4], color=["tab:green" if r[1].startswith("coop") else "tab:gray" for r in f4])
        a.invert_yaxis()
        a.set_xlabel("round trips/s (higher is better)")
        a.set_title(f"TCP echo, {args.conns} connections, {args.size} B")
        y = range(len(f4))
        b.barh([i - 0.2 for i in y], [r[4] / 1000 for r in f4], height=0.4, label="p50")
        b.barh([i + 0.2 for i in y], [r[5] / 1000 for r in f4], height=0.4, label="p99")
        b.set_yticks(list(y))
        b.set_yticklabels(names)
        b.invert_yaxis()
        b.set_xlabel("latency, ms (lower is better)")
        b.legend()
        fig.tight_layout()
        fig.savefig(os.path.join(args.out, "echo-servers.png"), dpi=110)
        plt.close(fig)
    idle = sorted((r for r in rows if r[0] == "idle"), key=lambda r: r[3] if r[3] == r[3] else float(r[7]))
    if idle:
        fig, ax = plt.subplots(figsize=(8, 4))
        names = [LABELS[r[1]].replace(", ", "\n", 1) for r in idle]
        y = range(len(idle))
        java = [r[3] == r[3] for r in idle]
        ax.barh(list(y), [(r[3] if j else float(r[7])) / 1024 for r, j in zip(idle, java)],
                color=["tab:green" if r[1].startswith("coop") or r[1] == "agent" else ("tab:orange" if not j else "tab:gray")
                       for r, j in zip(idle, java)])
        ax.axvline(2.5, color="tab:red", linestyle="--", linewidth=1, label="target for coop: 2.5 KB")
        ax.set_yticks(list(y))
        ax.set_yticklabels(names, fontsize=8)
        ax.invert_yaxis()
        ax.set_xlabel("KB per idle connection, lower is better (JVMs: live heap; gevent: RSS)")
        ax.set_title(f"memory per idle connection, {idle[0][2]:,} connections")
        ax.legend(fontsize=8, loc="lower right")
        fig.tight_layout()
        fig.savefig(os.path.join(args.out, "echo-idle-memory.png"), dpi=110)
        plt.close(fig)
    fc = [r for r in rows if r[0] == "cost"]
    if fc:
        fig, ax = plt.subplots(figsize=(7, 4))
        for m, label in (("switch", "switch, N ready greenlets"), ("vswitch", "switch, N ready JDK virtual threads"),
                         ("timer", "Timeout start+cancel, N pending timers"), ("sleep", "Coop.sleep(1 us), N pending timers"),
                         ("kill-waiting", "kill one of N greenlets waiting in Queue.get"),
                         ("event-wake", "wake one of N greenlets waiting on an Event")):
            pts = sorted((r[2], r[3]) for r in fc if r[1] == m)
            if pts:
                ax.plot([p[0] for p in pts], [p[1] for p in pts], marker="o", label=label,
                        linestyle="--" if m == "vswitch" else "-")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("N")
        ax.set_ylabel("ns per operation")
        ax.set_title("coop: cost growth")
        ax.grid(True, alpha=0.3)
        ax.legend()
        fig.tight_layout()
        fig.savefig(os.path.join(args.out, "echo-cost-growth.png"), dpi=110)
        plt.close(fig)
    f7 = [r for r in rows if r[0] == "fig7"]
    if f7:
        fig, (a, b) = plt.subplots(1, 2, figsize=(12, 4.2))
        for k in dict.fromkeys(r[1] for r in f7):
            pts = sorted((r[2], r[3], r[5]) for r in f7 if r[1] == k)
            a.plot([p[0] for p in pts], [p[1] for p in pts], marker="o", label=LABELS[k])
            b.plot([p[0] for p in pts], [p[2] / 1000 for p in pts], marker="o", label=LABELS[k])
        for ax in (a, b):
            ax.set_xscale("log")
            ax.set_xlabel("connections")
            ax.grid(True, alpha=0.3)
        a.set_ylabel("round trips/s")
        a.set_ylim(bottom=0)
        b.set_ylabel("p99 latency, ms")
        b.set_yscale("log")
        a.legend(fontsize=8)
        a.set_title("echo throughput vs connections")
        b.set_title("echo p99 vs connections")
        fig.tight_layout()
        fig.savefig(os.path.join(args.out, "echo-connections.png"), dpi=110)
        plt.close(fig)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--java", required=True)
    ap.add_argument("--jar", required=True)
    ap.add_argument("--agent")
    ap.add_argument("--gevent-python")
    ap.add_argument("--out", default=".")
    ap.add_argument("--smoke", action="store_true")
    ap.add_argument("--only", default="3,4,6,7",
                    help="figures to run: 3 (memory per idle connection), 4, 6, 7 (echo curve and costs), cost")
    ap.add_argument("--report-only", action="store_true", help="rewrite echo.md and the plots from OUT/echo.csv")
    args = ap.parse_args()
    args.size = 64
    if args.smoke:
        args.conns, args.runs, args.warmup, args.seconds = 50, 1, 0.5, 1
        args.agent_conns, args.agent_runs, args.curve_conns = [50], 1, [10, 50]
        args.idle_conns, args.warmup_rounds = 200, 1
    else:
        args.conns, args.runs, args.warmup, args.seconds = 1000, 3, 2, 4
        args.agent_conns, args.agent_runs, args.curve_conns = [1000, 10000], 1, [100, 1000, 10000]
        args.idle_conns, args.warmup_rounds = 10000, 2
    os.makedirs(args.out, exist_ok=True)
    rows = []
    if args.report_only:
        with open(os.path.join(args.out, "echo.csv")) as f:
            for line in f.read().splitlines()[1:]:
                r = line.split(",")
                rows.append((r[0], r[1], int(r[2]), float(r[3]), *(float(x) if x else "" for x in r[4:9]), *r[9:]))
        with open(os.path.join(args.out, "echo.md")) as f:
            m = re.search(r"load average (.*?) before, (.*?) after", f.read())
        report(args, rows, *(m.groups() if m else ("?", "?")))
        return
    before = loadavg()
    only = set(args.only.split(","))
    if "3" in only:
        import idle_memory  # imports this module for the server commands
        idle_memory.fig3b(args, rows)
    if "4" in only:
        fig4(args, rows)
    if "6" in only:
        fig6(args, rows)
    if "7" in only:
        fig7(args, rows)
    if "7" in only or "cost" in only:
        costs(args, rows)
    report(args, rows, before, loadavg())
    print(f"echo-bench: wrote {args.out}/echo.md and echo.csv", file=sys.stderr)


if __name__ == "__main__":
    main()
