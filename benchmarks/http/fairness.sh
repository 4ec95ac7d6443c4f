#!/usr/bin/env bash
# Fairness under flooding clients (issue 13's figure): coop's HttpServer (one hub), the JDK's
# HttpServer (virtual threads, one carrier) and Netty (one event loop), each on CPU 0, with
# FairnessLoad on CPU 1: a light client's latency beside 1 and 4 connections that pipeline
# requests without pause. Prints one line per server and flood size. About 1 minute.
#
#   benchmarks/http/fairness.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
. build/select-jdk.sh
coop_select_jdk
java="$JAVA_HOME/bin/java"
jar=benchmarks/target/benchmarks.jar
[ -f "$jar" ] || ./mvnw -q -B -pl benchmarks,agent -am package -DskipTests -Dcoop.bench.skip=true
opts=(-Xms256m -Xmx1g --add-opens java.base/java.lang=ALL-UNNAMED)
port=18190
run() { # label, server command...
  local label=$1; shift
  for n in 1 4; do
    taskset -c 0 "$@" >/dev/null 2>&1 &
    local pid=$!
    for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
    printf '%-40s %s\n' "$label" "$(taskset -c 1 "$java" -cp "$jar" io.coop.bench.http.FairnessLoad $port "$n" 400)"
    kill "$pid"; wait "$pid" 2>/dev/null || true
  done
}
run "coop HttpServer, 1 thread" "$java" "${opts[@]}" -cp "$jar" benchmarks/http/HelloCoop.java $port
run "JDK HttpServer, virtual threads, 1 carrier" "$java" -Djdk.virtualThreadScheduler.parallelism=1 "${opts[@]}" benchmarks/http/HelloJdk.java $port
run "Netty, one event loop" "$java" "${opts[@]}" -cp "$jar" io.coop.bench.http.HelloServer netty $port
