#!/usr/bin/env python3
"""gevent's side of coop's benchmarks: the same measurements, for the same table.

Measures, with gevent on this machine (Debian's python3-gevent):
  - one-way hand-off in a ping-pong between two greenlets through gevent.queue.Channel,
    and between two bare greenlets with greenlet.switch (no hub: the floor, like a raw continuation);
  - cost of one gevent.sleep(0) while two greenlets take turns (the issue's 1.55 us anchor);
  - spawn + join of a trivial greenlet, one at a time (the issue's 39 us anchor);
  - memory per parked greenlet (recursed 10 / 100 frames, waiting on an Event): process RSS
    growth per greenlet after gc.collect(), in a fresh interpreter per depth.

Prints tab-separated rows (group, key, label, median, min, max, samples, unit) that
io.coop.bench.BenchMain merges into its report:

    python3 benchmarks/python/gevent_bench.py [--smoke] > gevent.tsv
"""
import gc
import statistics
import subprocess
import sys
import time

import gevent
import greenlet
from gevent.event import Event
from gevent.queue import Channel

SMOKE = "--smoke" in sys.argv
REPEATS = 3 if SMOKE else 7
VERSION = "gevent %s, greenlet %s, Python %s" % (
    gevent.__version__, greenlet.__version__, sys.version.split()[0])


def row(group, key, label, samples, unit):
    samples = sorted(samples)
    print("\t".join([group, key, label, "%.1f" % statistics.median(samples), "%.1f" % samples[0],
                     "%.1f" % samples[-1], str(len(samples)), unit]))
    sys.stdout.flush()


def channel_pingpong(rounds):
    there, back = Channel(), Channel()

    def pong():
        for _ in range(rounds):
            back.put(there.get() + 1)

    def ping():
        v = 0
        for _ in range(rounds):
            there.put(v)
            v = back.get() + 1
        return v

    t0 = time.perf_counter_ns()
    gs = [gevent.spawn(pong), gevent.spawn(ping)]
    gevent.joinall(gs, raise_error=True)
    assert gs[1].value == 2 * rounds
    return (time.perf_counter_ns() - t0) / (2 * rounds)


def event_pingpong(rounds):
    to_pong, to_ping = Event(), Event()
    hops = [0]

    def pong():
        for _ in range(rounds):
            to_pong.wait()
            to_pong.clear()
            hops[0] += 1
            to_ping.set()

    def ping():
        for _ in range(rounds):
            hops[0] += 1
            to_pong.set()
            to_ping.wait()
            to_ping.clear()

    t0 = time.perf_counter_ns()
    gevent.joinall([gevent.spawn(pong), gevent.spawn(ping)], raise_error=True)
    assert hops[0] == 2 * rounds
    return (time.perf_counter_ns() - t0) / (2 * rounds)


def switch_pingpong(rounds):
    counter = [0]

    def pong(_):
        main_ = ping_g
        while True:
            counter[0] += 1
            main_.switch(None)

    pong_g = greenlet.greenlet(pong)

    def ping():
        for _ in range(rounds):
            counter[0] += 1
            pong_g.switch(None)

    ping_g = greenlet.greenlet(ping)
    t0 = time.perf_counter_ns()
    ping_g.switch()
    elapsed = time.perf_counter_ns() - t0
    assert counter[0] == 2 * rounds
    return elapsed / (2 * rounds)


def sleep0(rounds):
    def turn():
        for _ in range(rounds):
            gevent.sleep(0)

    t0 = time.perf_counter_ns()
    gevent.joinall([gevent.spawn(turn), gevent.spawn(turn)], raise_error=True)
    return (time.perf_counter_ns() - t0) / (2 * rounds)


def spawn_join(count):
    def task():
        return 1

    t0 = time.perf_counter_ns()
    total = 0
    for _ in range(count):
        g = gevent.spawn(task)
        g.join()
        total += g.value
    assert total == count
    return (time.perf_counter_ns() - t0) / count


def descend(depth, at_bottom):
    if depth == 0:
        return at_bottom()
    return descend(depth - 1, at_bottom) + 1


def rss_bytes():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return -1


def parked_memory(depth, count):
    """Runs in its own interpreter: RSS growth per greenlet parked `depth` frames deep."""
    release = Event()
    parked = [0]

    def body():
        def bottom():
            parked[0] += 1
            release.wait()
            return 0
        descend(depth, bottom)

    warm = [gevent.spawn(body) for _ in range(200)]
    gevent.sleep(0)
    release.set()
    gevent.joinall(warm)
    release.clear()
    parked[0] = 0
    gc.collect()
    before = rss_bytes()
    gs = [gevent.spawn(body) for _ in range(count)]
    while parked[0] < count:
        gevent.sleep(0)
    gc.collect()
    after = rss_bytes()
    release.set()
    gevent.joinall(gs)
    return (after - before) / count


def main():
    if len(sys.argv) >= 2 and sys.argv[1] == "--memory":
        print(parked_memory(int(sys.argv[2]), int(sys.argv[3])))
        return
    print("# " + VERSION)
    rounds = 2_000 if SMOKE else 20_000
    for _ in range(2):  # warm-up
        channel_pingpong(rounds // 10)
        event_pingpong(rounds // 10)
        sleep0(rounds // 10)
        spawn_join(rounds // 10)
    row("pingpong", "gevent.channel", "gevent: 2 greenlets, gevent.queue.Channel",
        [channel_pingpong(rounds) for _ in range(REPEATS)], "ns")
    row("pingpong", "gevent.event", "gevent: 2 greenlets, gevent.event.Event set/wait",
        [event_pingpong(rounds) for _ in range(REPEATS)], "ns")
    row("pingpong", "gevent.switch", "gevent: bare greenlet.switch, no hub (floor)",
        [switch_pingpong(rounds * 5) for _ in range(REPEATS)], "ns")
    row("pingpong", "gevent.sleep0", "gevent: sleep(0), 2 greenlets taking turns (per sleep)",
        [sleep0(rounds) for _ in range(REPEATS)], "ns")
    row("spawnjoin", "gevent.spawnjoin", "gevent greenlet (spawn + join from the main greenlet)",
        [spawn_join(rounds // 2) for _ in range(REPEATS)], "ns")
    count = 500 if SMOKE else 10_000
    for depth in (10, 100):
        samples = []
        for _ in range(1 if SMOKE else 3):
            out = subprocess.run([sys.executable, __file__, "--memory", str(depth), str(count)],
                                 check=True, capture_output=True, text=True).stdout
            samples.append(float(out.strip()))
        row("memory-rss", "gevent.%d" % depth, "gevent, %d frames (Python frames, RSS growth)" % depth,
            samples, "B")


if __name__ == "__main__":
    main()
