#!/usr/bin/env bash
# Hello-world requests/s with wrk over loopback (figure 5): coop's HttpServer (one hub thread)
# side by side with Netty's HTTP codec on one event loop, Helidon 4 SE and the JDK's HttpServer
# on virtual threads with one carrier (-Djdk.virtualThreadScheduler.parallelism=1), and gevent's
# pywsgi (when a python3 with gevent is found). Servers pinned to CPU 0, wrk to CPU 1; each
# server gets a warm-up, then RUNS measured runs per connection count, interleaved with the
# others'; medians and ratios are printed and written to $OUT/http.md (and http.csv, a plot).
# Bounded: about (5 * WARMUP) + (5 * RUNS * DURATION * number of CONNS) seconds.
#
#   benchmarks/http/run.sh                         # 50 and 200 connections, 4 s runs, 3 runs
#   CONNS=100 DURATION=10 RUNS=5 benchmarks/http/run.sh
#
# Needs wrk (Debian: apt-get install -y wrk) and a JDK >= 21 (picked like ./mvnw does).
set -euo pipefail
cd "$(dirname "$0")/../.."
. build/select-jdk.sh
coop_select_jdk
CONNS=${CONNS:-50,200}
DURATION=${DURATION:-4}
WARMUP=${WARMUP:-3}
RUNS=${RUNS:-3}
OUT=${OUT:-benchmarks/target/bench-results}
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install -y wrk)" >&2; exit 1; }
[ -f benchmarks/target/benchmarks.jar ] && [ -d runtime/target/classes ] \
  || ./mvnw -o -q -B -pl benchmarks -am package -DskipTests -Dcoop.bench.skip=true
gevent=()
for p in "${PYTHON:-}" python3 /usr/bin/python3; do
  if [ -n "$p" ] && command -v "$p" >/dev/null 2>&1 && "$p" -c "import gevent" 2>/dev/null; then gevent=(--gevent-python "$p"); break; fi
done
py=python3; [ -x /usr/bin/python3 ] && py=/usr/bin/python3
exec "$py" benchmarks/python/http_bench.py --java "$JAVA_HOME/bin/java" --jar benchmarks/target/benchmarks.jar \
  --cp runtime/target/classes "${gevent[@]}" --out "$OUT" --conns "$CONNS" --runs "$RUNS" \
  --duration "$DURATION" --warmup "$WARMUP"
