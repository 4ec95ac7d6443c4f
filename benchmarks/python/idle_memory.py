"""Memory per idle connection on the echo servers (figure 3, second half).

For each server: start it (pinned to CPU 0), warm it up with echo load and with rounds of CONNS
connections opened and closed, so that the code on its parked stacks is compiled (an
interpreted frame is larger than a compiled one), then measure the
server process before and after opening CONNS connections that each made one round trip and
now sit idle, the server waiting to read from every one of them:

- heap: bytes of live Java objects (`jcmd PID GC.class_histogram`, which runs a full GC first),
  after minus before, per connection: everything the runtime keeps per idle connection on the heap.
- rss: the process resident set (VmRSS), after minus before, per connection: adds native memory
  (thread stacks for platform threads, kernel-facing buffers) and heap the GC merely committed.
  For gevent it is the only figure (CPython has no separate heap to read).

    python3 idle_memory.py --java J --jar benchmarks.jar [--agent coop.jar] [--gevent-python P] [--conns N]
                           [--only coop,netty,agent] [--classes N]

--classes N also prints, for each JVM server, the N classes whose live heap grew most, per
connection (bytes and objects): what each idle connection keeps, object by object.
"""
import argparse
import os
import re
import resource
import socket
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import echo_bench  # noqa: E402  (shares the server commands, start/stop and the load client)

MESSAGE = b"x" * 64


def jcmd(java, pid, *command):
    tool = os.path.join(os.path.dirname(java), "jcmd")
    return subprocess.run([tool, str(pid), *command], capture_output=True, text=True, timeout=60, check=True).stdout


def class_histogram(java, pid):
    """Live objects after the full GC the histogram triggers: (total bytes, {class: (objects, bytes)})."""
    text = jcmd(java, pid, "GC.class_histogram")
    m = re.search(r"^Total\s+\d+\s+(\d+)", text, re.M)
    if not m:
        raise RuntimeError(f"cannot read the heap of {pid}")
    classes = {}
    for c in re.finditer(r"^\s*\d+:\s+(\d+)\s+(\d+)\s+(\S+)", text, re.M):
        name = re.sub(r"/0x[0-9a-f]+$", "", c.group(3))  # a lambda's or hidden class's address differs run to run
        n, b = classes.get(name, (0, 0))
        classes[name] = (n + int(c.group(1)), b + int(c.group(2)))
    return int(m.group(1)), classes


def print_class_growth(kind, before, after, n, most):
    """The classes whose live heap grew most between two histograms, per connection."""
    rows = []
    for name in set(before) | set(after):
        (n0, b0), (n1, b1) = before.get(name, (0, 0)), after.get(name, (0, 0))
        rows.append(((b1 - b0) / n, (n1 - n0) / n, name))
    rows.sort(reverse=True)
    print(f"  idle {kind}: per connection, by class", file=sys.stderr)
    for b, objects, name in rows[:most]:
        print(f"    {b:8.1f} B  {objects:5.2f} objects  {name}", file=sys.stderr)


def open_idle(port, conns):
    """Opens conns connections, each making one 64-byte round trip; returns them, left open."""
    os.sched_setaffinity(0, {int(echo_bench.CPU_LOAD)})  # the client stays off the server's CPU
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = conns + 256
    if soft < want:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(want, hard), hard))
    socks = []
    for _ in range(conns):
        s = socket.create_connection(("127.0.0.1", port), timeout=30)
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        s.sendall(MESSAGE)
        got = b""
        while len(got) < len(MESSAGE):
            chunk = s.recv(len(MESSAGE) - len(got))
            if not chunk:
                raise RuntimeError(f"server on port {port} closed a connection")
            got += chunk
        socks.append(s)
    return socks


def measure(args, kind, cmd, port, is_java):
    proc = echo_bench.start(cmd, port, nofile=20000)
    pid = echo_bench.java_pid(proc)
    socks = []
    try:
        # warm-up: echo load, then rounds of connections opened and closed, so that the per-connection
        # code is compiled as in a server that has run a while (a frame parked by interpreted or C1
        # code is kept as it is, up to twice the size of a C2 frame)
        echo_bench.load(args, port, 1000, min(args.warmup, 1), min(args.seconds, 2))
        for _ in range(args.warmup_rounds):
            for s in open_idle(port, args.idle_conns):
                s.close()
        time.sleep(1)
        heap0, classes0 = class_histogram(args.java, pid) if is_java else (None, None)
        rss0 = echo_bench.proc_status(pid)["rss_kb"]
        socks = open_idle(port, args.idle_conns)
        time.sleep(1)
        heap1, classes1 = class_histogram(args.java, pid) if is_java else (None, None)
        rss1 = echo_bench.proc_status(pid)["rss_kb"]
    finally:
        for s in socks:
            s.close()
        echo_bench.stop(proc)
    n = args.idle_conns
    heap = (heap1 - heap0) / n if is_java else None
    if is_java and getattr(args, "classes", 0):
        print_class_growth(kind, classes0, classes1, n, args.classes)
    rss = (rss1 - rss0) * 1024 / n
    print(f"  idle {kind}: {n} connections, heap {heap / 1024 if heap is not None else float('nan'):.2f} KB, "
          f"rss {rss / 1024:.2f} KB per connection", file=sys.stderr)
    return heap, rss


def fig3b(args, rows, kinds=None):
    """Appends one row per server kind: heap and RSS bytes per idle connection (heap NaN for gevent)."""
    cmds, ports = echo_bench.server_cmds(args, 19400)
    if getattr(args, "agent", None):
        # the platform-thread server's own code (echoapp.ThreadPerConnectionEcho), unmodified, under the agent
        ports["agent"] = 19420
        cmds["agent"] = [args.java, f"-javaagent:{args.agent}", "-Xms256m", "-Xmx1g", "-cp", args.jar,
                         "echoapp.ThreadPerConnectionEcho", str(ports["agent"])]
    for kind in cmds:
        if kinds and kind not in kinds:
            continue
        is_java = kind != "gevent"
        heap, rss = measure(args, kind, cmds[kind], ports[kind], is_java)
        # echo_bench's row shape: (figure, server, conns, value, p50, p99, cpu, rss, threads)
        rows.append(("idle", kind, args.idle_conns, heap if heap is not None else float("nan"), "", "", "", rss, ""))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--java", required=True)
    ap.add_argument("--jar", required=True)
    ap.add_argument("--gevent-python")
    ap.add_argument("--agent", help="coop.jar: also measure the thread-per-connection app under the agent")
    ap.add_argument("--conns", type=int, default=10000)
    ap.add_argument("--only", help="comma-separated server kinds")
    ap.add_argument("--classes", type=int, default=0, help="also print the N classes that grew most, per connection")
    args = ap.parse_args()
    args.size, args.warmup, args.seconds, args.idle_conns, args.warmup_rounds = 64, 2, 2, args.conns, 2
    rows = []
    fig3b(args, rows, set(args.only.split(",")) if args.only else None)
    for r in rows:
        print(",".join(str(x) for x in r))


if __name__ == "__main__":
    main()
