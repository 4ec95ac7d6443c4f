"""Issue 6 at a glance: one table, figure by figure, of what a run measured against its target.

Reads what one run wrote into OUT (results.csv from JMH, echo.csv, http.csv) and writes
OUT/summary.md; a figure whose data is missing from the run is said to be missing, never
guessed. Every ratio is taken between two figures of the same run.

    python3 summary.py OUT
"""
import csv
import math
import os
import sys


def read_csv(path):
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return list(csv.DictReader(f))


def verdict(ok):
    return "**met**" if ok else "**missed**"


def ns(v):
    return f"{v:,.0f} ns"


def kb(v):
    return f"{v / 1024:.2f} KB"


class Summary:
    def __init__(self, out):
        self.jmh = {(r["group"], r["key"]): float(r["median"]) for r in read_csv(os.path.join(out, "results.csv"))}
        self.echo = read_csv(os.path.join(out, "echo.csv"))
        self.http = {(r["server"], int(r["conns"])): r for r in read_csv(os.path.join(out, "http.csv"))}
        self.rows = []

    def add(self, figure, measure, coop, against, target, result):
        self.rows.append((figure, measure, coop, against, target, result))

    def missing(self, figure, what):
        self.rows.append((figure, what, "-", "-", "-", "not in this run"))

    def echo_rows(self, figure, server=None, conns=None):
        return [r for r in self.echo if r["figure"] == figure and (server is None or r["server"] == server)
                and (conns is None or int(r["conns"]) == conns)]

    def figure1(self):
        raw = self.jmh.get(("pingpong", "PingPong.continuation"))
        if raw is None:
            return self.missing("1 switch", "greenlet ping-pong vs raw continuation")
        vt = self.jmh.get(("pingpong", "PingPong.virtualParkOneCarrier"))
        pt = self.jmh.get(("pingpong", "PingPong.platformSynchronousQueue"))
        context = f"raw continuation {ns(raw)}" + (f"; virtual threads {ns(vt)}" if vt else "") + (
            f"; platform threads {ns(pt)}" if pt else "")
        for key, what in (("PingPong.coopWaiter", "Waiter"), ("PingPong.coopEvent", "Event"),
                          ("PingPong.coopChannel", "Channel")):
            v = self.jmh.get(("pingpong", key))
            if v is not None:
                self.add("1 switch", f"one-way hand-off, {what}", ns(v), context, "<= 3x raw continuation",
                         f"{verdict(v <= 3 * raw)} ({v / raw:.2f}x)")

    def figure2(self):
        coop = self.jmh.get(("spawnjoin", "SpawnJoin.greenlet"))
        gevent = self.jmh.get(("spawnjoin", "gevent.spawnjoin"))
        if coop is None or gevent is None:
            return self.missing("2 spawn+join", "greenlet vs gevent greenlet")
        vt = self.jmh.get(("spawnjoin", "SpawnJoin.virtualThread"))
        self.add("2 spawn+join", "spawn + join, per greenlet", ns(coop),
                 f"gevent {ns(gevent)}" + (f"; virtual thread {ns(vt)}" if vt else ""), ">= 10x faster than gevent",
                 f"{verdict(gevent / coop >= 10)} ({gevent / coop:.1f}x)")

    def figure3(self):
        for depth in (10, 100):
            g = self.jmh.get(("memory-heap", f"greenlet.{depth}"))
            if g is None:
                self.missing("3 memory", f"parked greenlet, {depth} frames")
                continue
            vt = self.jmh.get(("memory-heap", f"virtual.{depth}"))
            pt = self.jmh.get(("memory-rss", f"platform.{depth}"))
            gv = self.jmh.get(("memory-rss", f"gevent.{depth}"))
            against = "; ".join(x for x in (vt and f"virtual thread {vt:,.0f} B", pt and f"platform thread {kb(pt)} (RSS)",
                                            gv and f"gevent {gv:,.0f} B (RSS)") if x)
            target = "<= 1.5 KB (1,536 B)" if depth == 10 else "-"
            result = f"{verdict(g <= 1536)}" if depth == 10 else "-"
            self.add("3 memory", f"parked greenlet, {depth} frames deep", f"{g:,.0f} B", against, target, result)
        idle = {r["server"]: r for r in self.echo_rows("idle")}
        if not idle:
            return self.missing("3 memory", "per idle connection")
        others = "; ".join(f"{name} {kb(float(idle[k]['rps']))}" for k, name in
                           (("netty", "Netty"), ("vertx", "Vert.x"), ("virtual", "virtual threads"),
                            ("platform", "platform threads"), ("agent", "blocking app under the agent"))
                           if k in idle and not math.isnan(float(idle[k]["rps"])))
        if "gevent" in idle:
            others += f"; gevent {kb(float(idle['gevent']['rss_kb']))} (RSS)"
        for k, what in (("coop-nio", "StreamServer.forChannels"), ("coop", "StreamServer, socket streams")):
            if k in idle:
                heap = float(idle[k]["rps"])
                self.add("3 memory", f"per idle connection, {what} ({int(idle[k]['conns']):,} conns, heap)", kb(heap),
                         others, "<= 2.5 KB", verdict(heap <= 2.5 * 1024)
                         + (" (the handler's own 4 KB read buffer stays on every parked stack)" if k == "coop" else ""))

    def figure4(self):
        f4 = {r["server"]: float(r["rps"]) for r in self.echo_rows("fig4")}
        if "netty" not in f4 or not any(k in f4 for k in ("coop", "coop-nio")):
            return self.missing("4 TCP echo", "coop vs Netty")
        conns = self.echo_rows("fig4")[0]["conns"]
        others = "; ".join(f"{name} {f4[k]:,.0f}" for k, name in (("netty", "Netty"), ("vertx", "Vert.x"),
                                                                   ("virtual", "virtual threads"), ("platform", "platform threads"),
                                                                   ("gevent", "gevent")) if k in f4)
        for k, what in (("coop", "StreamServer, socket streams"), ("coop-nio", "StreamServer.forChannels")):
            if k not in f4:
                continue
            ok = f4[k] >= 0.9 * f4["netty"] and ("gevent" not in f4 or f4[k] >= 2 * f4["gevent"])
            ratios = f"{f4[k] / f4['netty']:.2f}x Netty" + (f", {f4[k] / f4['gevent']:.2f}x gevent" if "gevent" in f4 else "")
            self.add("4 TCP echo", f"round trips/s, {conns} conns, {what}", f"{f4[k]:,.0f}", others,
                     ">= 0.9x Netty, >= 2x gevent", f"{verdict(ok)} ({ratios})")

    def figure5(self):
        if not self.http:
            return self.missing("5 HTTP", "coop vs Helidon and Netty")
        for conns in sorted({c for _, c in self.http}):
            get = lambda s: float(self.http[(s, conns)]["rps"]) if (s, conns) in self.http else None
            coop, helidon, netty = get("coop"), get("helidon"), get("netty")
            if coop is None or helidon is None or netty is None:
                continue
            others = "; ".join(f"{name} {v:,.0f}" for name, v in (("Helidon", helidon), ("Netty", netty),
                                                                  ("JDK", get("jdk")), ("gevent", get("gevent"))) if v)
            ok = coop >= helidon and coop >= 0.85 * netty
            self.add("5 HTTP", f"requests/s, {conns} conns", f"{coop:,.0f}", others, ">= 1.0x Helidon, >= 0.85x Netty",
                     f"{verdict(ok)} ({coop / helidon:.2f}x Helidon, {coop / netty:.2f}x Netty)")

    def figure6(self):
        f6 = {(r["server"], int(r["conns"])): r for r in self.echo_rows("fig6")}
        if not f6:
            return self.missing("6 agent", "same app with and without the agent")
        for conns in sorted({c for _, c in f6}):
            p, a = f6.get(("plain", conns)), f6.get(("agent", conns))
            if not p or not a:
                continue
            ratio = float(a["rss_kb"]) / float(p["rss_kb"])
            busy = a.get("busy_threads") or ""
            workers = [b for b in busy.split("; ") if b and not b.startswith(("C1 ", "C2 ", "GC ", "G1 ", "VM "))]
            one = len(workers) == 1
            self.add("6 agent", f"thread-per-connection app, {conns:,} conns", f"RSS {float(a['rss_kb']) / 1024:,.0f} MB, "
                     f"{int(float(a['threads']))} OS threads, busy: {busy or '?'}",
                     f"plain JVM: RSS {float(p['rss_kb']) / 1024:,.0f} MB, {int(float(p['threads']))} OS threads; "
                     f"throughput {float(a['rps']) / float(p['rps']):.2f}x plain",
                     "RSS <= 1/5, 1 OS thread at work", f"{verdict(ratio <= 0.2 and one)} (RSS {ratio:.2f}x)")

    def figure7(self):
        cost = {}
        for r in self.echo_rows("cost"):
            cost.setdefault(r["server"], []).append((int(r["conns"]), float(r["rps"])))
        for measure, what in (("switch", "switch with N ready greenlets"), ("timer", "Timeout start+cancel, N pending"),
                              ("sleep", "sleep(1 us), N pending timers")):
            pts = sorted(cost.get(measure, []))
            if len(pts) < 2:
                self.missing("7 growth", what)
                continue
            growth = pts[-1][1] / pts[0][1]
            log_growth = math.log(pts[-1][0]) / math.log(pts[0][0])  # what a cost growing as log N would do
            shape = "flat" if growth <= 1.5 else (
                f"within log N ({log_growth:.1f}x)" if growth <= log_growth else f"grows faster than log N ({log_growth:.1f}x)")
            vt = sorted(cost.get("vswitch", [])) if measure == "switch" else []
            ref = (f"JDK virtual threads {vt[0][1]:,.0f} to {vt[-1][1]:,.0f} ns ({vt[-1][1] / vt[0][1]:.2f}x)"
                   if len(vt) >= 2 else "-")
            self.add("7 growth", f"{what}, N = {pts[0][0]:,} to {pts[-1][0]:,}", f"{pts[0][1]:,.0f} to {pts[-1][1]:,.0f} ns",
                     ref, "flat or logarithmic", f"{shape} ({growth:.2f}x)")
        curve = sorted((int(r["conns"]), float(r["rps"])) for r in self.echo_rows("fig7", "coop"))
        if len(curve) >= 2:
            drop = curve[-1][1] / curve[0][1]
            netty = sorted((int(r["conns"]), float(r["rps"])) for r in self.echo_rows("fig7", "netty"))
            ref = f"Netty {netty[0][1]:,.0f} to {netty[-1][1]:,.0f} ({netty[-1][1] / netty[0][1]:.2f}x)" if len(netty) >= 2 else "-"
            self.add("7 growth", f"echo round trips/s, {curve[0][0]:,} to {curve[-1][0]:,} conns",
                     f"{curve[0][1]:,.0f} to {curve[-1][1]:,.0f}", ref, "flat or logarithmic",
                     f"{'flat' if drop >= 0.67 else 'drops'} ({drop:.2f}x)")

    def markdown(self):
        md = ["| figure | measure | coop | side by side (same run) | target | verdict |", "|---|---|---|---|---|---|"]
        md += ["| " + " | ".join(r) + " |" for r in self.rows]
        return "\n".join(md) + "\n"


def main():
    out = sys.argv[1]
    s = Summary(out)
    for fig in (s.figure1, s.figure2, s.figure3, s.figure4, s.figure5, s.figure6, s.figure7):
        fig()
    with open(os.path.join(out, "summary.md"), "w") as f:
        f.write(s.markdown())
    print(f"summary: wrote {out}/summary.md", file=sys.stderr)


if __name__ == "__main__":
    main()
