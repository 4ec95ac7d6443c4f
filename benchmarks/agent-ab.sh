#!/usr/bin/env bash
# What one change to the agent costs an NIO server: Netty's echo server (one event loop, JDK NIO,
# so every select goes through the agent's select area) under agent A and agent B, alternating
# A B A B in one run, each round a fresh server measured by EchoLoad (server on CPU 0, load on
# CPU 1). Prints each round and the median round trips/s of each, and B/A.
#
#   benchmarks/agent-ab.sh OLD_COOP_JAR NEW_COOP_JAR [rounds] [conns] ["extra JVM flags for B"]
#   benchmarks/agent-ab.sh /tmp/before/coop.jar agent/target/coop.jar 5 100
#   benchmarks/agent-ab.sh agent/target/coop.jar agent/target/coop.jar 5 100 -Dcoop.preempt=10ms
set -euo pipefail
cd "$(dirname "$0")/.."
. build/select-jdk.sh
coop_select_jdk
A=${1:?old coop.jar}; B=${2:?new coop.jar}; rounds=${3:-5}; conns=${4:-100}; bflags=${5:-}
jar=benchmarks/target/benchmarks.jar
[ -f "$jar" ] || ./mvnw -q -B -pl benchmarks,agent -am package -DskipTests -Dcoop.bench.skip=true
java="$JAVA_HOME/bin/java"
port=19077

one() { # one round: $1 agent jar, $2 extra flags; prints the load line
  local log
  log=$(mktemp)
  # shellcheck disable=SC2086
  taskset -c 0 "$java" -javaagent:"$1" $2 -cp "$jar" io.coop.bench.echo.EchoServer netty $port >"$log" 2>&1 &
  local pid=$!
  for _ in $(seq 100); do grep -q ready "$log" 2>/dev/null && break; sleep 0.1; done
  taskset -c 1 "$java" -cp "$jar" io.coop.bench.echo.EchoLoad $port "$conns" 64 1 4
  kill "$pid"; wait "$pid" 2>/dev/null || true
  rm -f "$log"
}

as=(); bs=()
for r in $(seq "$rounds"); do
  a=$(one "$A" ""); b=$(one "$B" "$bflags")
  echo "round $r  A: $a"
  echo "round $r  B: $b"
  as+=("$(sed -n 's/^rps=\([0-9]*\).*/\1/p' <<<"$a")"); bs+=("$(sed -n 's/^rps=\([0-9]*\).*/\1/p' <<<"$b")")
done
median() { printf '%s\n' "$@" | sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
ma=$(median "${as[@]}"); mb=$(median "${bs[@]}")
echo "median round trips/s: A=$ma B=$mb B/A=$(awk -v a="$ma" -v b="$mb" 'BEGIN {printf "%.3f", b/a}')"
