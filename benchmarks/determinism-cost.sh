#!/usr/bin/env bash
# The cost of determinism, measured side by side in one run: a greenlet switch (JMH
# PingPong.coopChannel, ns per one-way hand-off: a rendezvous, which works in any order) and TCP echo (the coop StreamServer, round trips
# per second) with coop.seed unset, coop.seed set (seeded order, virtual time), and coop.seed
# with coop.trace (one line per switch to a file). Optionally BASE=path/to/benchmarks.jar adds the
# build before the change as a fourth configuration of the switch, for "unset costs nothing".
#
#   benchmarks/determinism-cost.sh [rounds]            # default 5 rounds, about 6 minutes
#   BASE=/tmp/before/benchmarks.jar benchmarks/determinism-cost.sh 5
set -euo pipefail
cd "$(dirname "$0")/.."
. build/select-jdk.sh
coop_select_jdk
rounds=${1:-5}
jar=benchmarks/target/benchmarks.jar
[ -f "$jar" ] || ./mvnw -q -B -pl benchmarks,agent -am package -DskipTests -Dcoop.bench.skip=true
trace=$(mktemp -d)
trap 'rm -rf "$trace"' EXIT

switch_ns() { # $1 jar, $2 extra JVM flags: prints ns per hand-off
  local csv="$trace/jmh.csv"
  # shellcheck disable=SC2086
  taskset -c 0 "$JAVA_HOME/bin/java" -cp "$1" org.openjdk.jmh.Main 'PingPong.coopChannel$' -f 1 -wi 3 -w 1 -i 5 -r 1 \
      ${2:+-jvmArgsPrepend "$2"} -rf csv -rff "$csv" >/dev/null
  awk -F, 'NR == 2 {gsub(/"/, "", $5); printf "%.1f\n", $5}' "$csv"
  rm -f "$trace"/*.trace
}

declare -A switch
configs=(unset seed seed+trace)
[ -n "${BASE:-}" ] && configs=(base "${configs[@]}")
for r in $(seq "$rounds"); do
  line="round $r:"
  for c in "${configs[@]}"; do
    case $c in
      base) v=$(switch_ns "$BASE" "") ;;
      unset) v=$(switch_ns "$jar" "") ;;
      seed) v=$(switch_ns "$jar" "-Dcoop.seed=1") ;;
      seed+trace) v=$(switch_ns "$jar" "-Dcoop.seed=1 -Dcoop.trace=$trace/switch.trace") ;;
    esac
    switch[$c]="${switch[$c]:-} $v"
    line="$line $c ${v} ns"
  done
  echo "switch $line"
done
median() { printf '%s\n' $1 | sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
echo "switch, median ns per one-way hand-off:"
m_unset=$(median "${switch[unset]}")
for c in "${configs[@]}"; do
  m=$(median "${switch[$c]}")
  echo "  $c: $m ns ($(awk -v a="$m_unset" -v b="$m" 'BEGIN {printf "%.3f", b/a}')x unset)"
done

echo "echo, coop.seed unset (A) vs set (B):"
opens=--add-opens=java.base/java.lang=ALL-UNNAMED
benchmarks/ab.sh echo 100 "$rounds" "java $opens -cp $jar io.coop.bench.echo.EchoServer coop PORT" \
    "java $opens -Dcoop.seed=1 -cp $jar io.coop.bench.echo.EchoServer coop PORT" | tail -1
echo "echo, coop.seed unset (A) vs set with coop.trace (B):"
benchmarks/ab.sh echo 100 "$rounds" "java $opens -cp $jar io.coop.bench.echo.EchoServer coop PORT" \
    "java $opens -Dcoop.seed=1 -Dcoop.trace=$trace/echo.trace -cp $jar io.coop.bench.echo.EchoServer coop PORT" | tail -1
