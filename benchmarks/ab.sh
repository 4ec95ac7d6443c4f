#!/usr/bin/env bash
# One change measured side by side: server command A and server command B, alternating A B A B
# in one run, each round a fresh server on CPU 0 and the load on CPU 1, then the median
# throughput of each and B/A. The load is TCP echo (EchoLoad: CONNS connections, 64-byte
# messages), HTTP (wrk, one thread, CONNS keep-alive connections) or pipelined HTTP (the same,
# each write carrying 16 requests: benchmarks/http/pipeline.lua). PORT in a command is replaced
# by the port; a command is split into words as the shell splits them.
#
#   benchmarks/ab.sh echo 100 7 'java -javaagent:/tmp/old/coop.jar -cp benchmarks/target/benchmarks.jar io.coop.bench.echo.EchoServer netty PORT' \
#                               'java -javaagent:agent/target/coop.jar -cp benchmarks/target/benchmarks.jar io.coop.bench.echo.EchoServer netty PORT'
#   benchmarks/ab.sh http 50 5 'java -cp /tmp/before.jar benchmarks/http/HelloCoop.java PORT' 'java -cp benchmarks/target/benchmarks.jar benchmarks/http/HelloCoop.java PORT'
#   benchmarks/ab.sh http-pipelined 50 5 ...   (the same commands)
#
# Each server must print a line containing "ready" (the benchmark servers do) or accept
# connections on PORT within 20 s. Needs wrk for http (Debian: apt-get install -y wrk).
set -euo pipefail
cd "$(dirname "$0")/.."
. build/select-jdk.sh
coop_select_jdk
load=${1:?echo, http or http-pipelined}; conns=${2:?connections}; rounds=${3:?rounds}; A=${4:?command A}; B=${5:?command B}
jar=benchmarks/target/benchmarks.jar
[ -f "$jar" ] || ./mvnw -q -B -pl benchmarks,agent -am package -DskipTests -Dcoop.bench.skip=true
port=19077

one() { # one round of server command $1: prints the throughput (round trips or requests per second)
  local log cmd pid rate
  log=$(mktemp)
  cmd=${1//PORT/$port}
  cmd=${cmd/#java /$JAVA_HOME/bin/java }
  # shellcheck disable=SC2086
  taskset -c 0 $cmd >"$log" 2>&1 &
  pid=$!
  for _ in $(seq 200); do
    grep -q ready "$log" 2>/dev/null && break
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
    sleep 0.1
  done
  if [ "$load" = echo ]; then
    rate=$(taskset -c 1 "$JAVA_HOME/bin/java" -cp "$jar" io.coop.bench.echo.EchoLoad $port "$conns" 64 1 4 | sed -n 's/^rps=\([0-9]*\).*/\1/p')
  else
    local script=()
    [ "$load" = http-pipelined ] && script=(-s benchmarks/http/pipeline.lua)
    taskset -c 1 wrk -t1 -c"$conns" -d1s "${script[@]}" "http://127.0.0.1:$port/" >/dev/null
    rate=$(taskset -c 1 wrk -t1 -c"$conns" -d4s "${script[@]}" "http://127.0.0.1:$port/" | sed -n 's/^Requests\/sec: *\([0-9]*\).*/\1/p')
  fi
  kill "$pid"; wait "$pid" 2>/dev/null || true
  rm -f "$log"
  echo "${rate:-0}"
}

as=(); bs=()
for r in $(seq "$rounds"); do
  a=$(one "$A"); b=$(one "$B")
  echo "round $r: A $a/s, B $b/s"
  as+=("$a"); bs+=("$b")
done
median() { printf '%s\n' "$@" | sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
ma=$(median "${as[@]}"); mb=$(median "${bs[@]}")
echo "median per second: A=$ma B=$mb B/A=$(awk -v a="$ma" -v b="$mb" 'BEGIN {printf "%.3f", b/a}')"
