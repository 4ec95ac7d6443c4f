#!/usr/bin/env bash
# Hello-world requests/s with wrk over loopback: coop's HttpServer (one hub thread) side by side
# with the JDK's com.sun.net.httpserver.HttpServer on a virtual-thread executor (all cores).
# Each server gets a warm-up, then RUNS alternating measured runs; the medians and their ratio
# are printed. Bounded: about (WARMUP + RUNS * DURATION) * 2 in all.
#
#   benchmarks/http/run.sh                      # 50 connections, 2 wrk threads, 10 s, 3 runs
#   CONNS=100 DURATION=5s RUNS=5 benchmarks/http/run.sh
#
# Needs wrk (Debian: apt-get install -y wrk) and a JDK >= 21 (picked like ./mvnw does).
set -euo pipefail
cd "$(dirname "$0")/../.."
. build/select-jdk.sh
coop_select_jdk
JAVA="$JAVA_HOME/bin/java"
CONNS=${CONNS:-50}
THREADS=${THREADS:-2}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-5s}
RUNS=${RUNS:-3}
COOP_PORT=${COOP_PORT:-18081}
JDK_PORT=${JDK_PORT:-18082}
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install -y wrk)" >&2; exit 1; }

./mvnw -o -q -B -pl runtime compile 2>/dev/null || ./mvnw -q -B -pl runtime compile
CP=runtime/target/classes
OPTS=(-Xmx512m --add-opens java.base/java.lang=ALL-UNNAMED)

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

"$JAVA" "${OPTS[@]}" -cp "$CP" benchmarks/http/HelloCoop.java "$COOP_PORT" & pids+=($!)
"$JAVA" "${OPTS[@]}" benchmarks/http/HelloJdk.java "$JDK_PORT" & pids+=($!)
for port in "$COOP_PORT" "$JDK_PORT"; do
  for _ in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.2; done
done

rps() { # port duration -> requests/s (errors reported on stderr)
  local out
  out=$(wrk -t"$THREADS" -c"$CONNS" -d"$2" "http://127.0.0.1:$1/")
  grep -E 'Socket errors|Non-2xx' <<<"$out" | sed "s/^/  port $1: /" >&2 || true
  awk '/Requests\/sec/ {print $2}' <<<"$out"
}
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

echo "wrk -t$THREADS -c$CONNS -d$DURATION, $RUNS runs each after a $WARMUP warm-up; $(nproc) cores"
rps "$COOP_PORT" "$WARMUP" >/dev/null
rps "$JDK_PORT" "$WARMUP" >/dev/null
coop=(); jdk=()
for i in $(seq 1 "$RUNS"); do
  c=$(rps "$COOP_PORT" "$DURATION"); coop+=("$c")
  j=$(rps "$JDK_PORT" "$DURATION"); jdk+=("$j")
  echo "run $i: coop $c req/s, JDK $j req/s"
done
cm=$(printf '%s\n' "${coop[@]}" | median)
jm=$(printf '%s\n' "${jdk[@]}" | median)
printf 'median: coop HttpServer (1 thread) %.0f req/s; JDK HttpServer (virtual threads) %.0f req/s; ratio coop/JDK %.2f\n' \
  "$cm" "$jm" "$(awk -v a="$cm" -v b="$jm" 'BEGIN {print a / b}')"
