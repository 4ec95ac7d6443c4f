#!/usr/bin/env bash
# Runs all coop benchmarks side by side in one go and writes a Markdown report and a plot.
#
#   benchmarks/run.sh                 full run (about 4-5 minutes on 2 cores)
#   benchmarks/run.sh --smoke         a few seconds per benchmark: proves they all still run
#   benchmarks/run.sh --publish       full run, then copies the plot to docs/img/benchmarks.png
#                                     (paste results.md's tables into docs/benchmarks.md)
#   benchmarks/run.sh --only PingPong --prof gc --no-memory    (any BenchMain option)
#   benchmarks/run.sh --echo          only the TCP echo servers (python/echo_bench.py: figures 3b, 4, 6
#                                     and the echo curve of 7), about 8 minutes; --echo --smoke: 2 minutes
#   benchmarks/run.sh --http          only the HTTP hello-world comparison (http/run.sh, needs wrk)
#   benchmarks/run.sh --scaling       one hub per core: HTTP and echo with 1 and 2 hubs / event loops, nothing
#                                     pinned (python/scaling_bench.py, needs wrk), about 5.5 minutes; with
#                                     --publish, writes its table into docs/benchmarks.md and the plot into docs/img/;
#                                     other options go to scaling_bench.py (--smoke, --runs 5, --only http, ...)
#   benchmarks/run.sh --all           everything above in one go (under 15 minutes), then writes
#                                     the tables into docs/benchmarks.md and the plots into docs/img/
#
# Output: benchmarks/target/bench-results/{results.md,results.csv,benchmarks.png,gevent.tsv}
# (or --out DIR). gevent's figures are measured when a python3 with gevent is found
# (Debian: apt-get install -y python3-gevent); the plot uses matplotlib when found
# (Debian: python3-matplotlib), else a Java2D fallback.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
. build/select-jdk.sh
coop_select_jdk

out=benchmarks/target/bench-results
smoke=""
publish=""
jmh=1
echo_bench=""
http=""
scaling=""
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --smoke) smoke=--smoke; args+=("$1") ;;
    --publish) publish=1 ;;
    --echo) echo_bench=1; jmh="" ;;
    --http) http=1; jmh="" ;;
    --scaling) scaling=1; jmh="" ;;
    --all) echo_bench=1; http=1; jmh=1; publish=1 ;;
    --out) out=$2; shift ;;
    *) args+=("$1") ;;
  esac
  shift
done
[ -n "$smoke" ] && publish=""  # a smoke run proves the benchmarks run; its figures mean nothing
mkdir -p "$out"

started=$(date +%s)
phase() { # says what starts, and how long the run has taken so far
  local t=$(( $(date +%s) - started ))
  printf 'coop-bench: [%d:%02d] %s\n' $((t / 60)) $((t % 60)) "$*" >&2
}
phase "building benchmarks/target/benchmarks.jar"
./mvnw -o -q -B -pl benchmarks,agent -am package -DskipTests -Dcoop.bench.skip=true >/dev/null 2>&1 \
  || ./mvnw -q -B -pl benchmarks,agent -am package -DskipTests -Dcoop.bench.skip=true

find_python() { # first python3 that can import $1
  local p
  for p in "${PYTHON:-}" python3 /usr/bin/python3; do
    [ -n "$p" ] && command -v "$p" >/dev/null 2>&1 && "$p" -c "import $1" 2>/dev/null && { echo "$p"; return 0; }
  done
  return 1
}

if [ -n "$jmh" ]; then
  gevent_args=()
  if py=$(find_python gevent); then
    phase "measuring gevent with $py"
    "$py" benchmarks/python/gevent_bench.py $smoke > "$out/gevent.tsv"
    gevent_args=(--gevent "$out/gevent.tsv")
  else
    echo "coop-bench: no python3 with gevent (apt-get install -y python3-gevent): gevent's figures are left out" >&2
  fi

  # JMH reads fields through sun.misc.Unsafe: JDK 24+ warns unless allowed (the flag exists from JDK 23)
  jvm_flags=()
  if "$JAVA_HOME/bin/java" --sun-misc-unsafe-memory-access=allow -version >/dev/null 2>&1; then
    jvm_flags+=(--sun-misc-unsafe-memory-access=allow)
  fi
  phase "JMH: switch, spawn+join, parked memory"
  "$JAVA_HOME/bin/java" "${jvm_flags[@]}" -jar benchmarks/target/benchmarks.jar --out "$out" "${gevent_args[@]}" "${args[@]}"

  if py=$(find_python matplotlib); then
    "$py" benchmarks/python/plot.py "$out/results.csv" "$out/benchmarks.png"
  else
    "$JAVA_HOME/bin/java" -Djava.awt.headless=true -cp benchmarks/target/benchmarks.jar io.coop.bench.Plot \
      "$out/results.csv" "$out/benchmarks.png"
  fi
  echo "coop-bench: wrote $out/results.md, $out/results.csv and $out/benchmarks.png" >&2
  if [ -n "$publish" ]; then
    mkdir -p docs/img
    cp "$out/benchmarks.png" docs/img/benchmarks.png
    echo "coop-bench: copied the plot to docs/img/benchmarks.png; paste $out/results.md into docs/benchmarks.md" >&2
  fi
fi

gevent_py=$(find_python gevent || true)
if [ -n "$echo_bench" ]; then
  phase "TCP echo servers side by side (server on CPU 0, load on CPU 1)"
  py=$(find_python matplotlib || find_python sys)
  "$py" benchmarks/python/echo_bench.py --java "$JAVA_HOME/bin/java" --jar benchmarks/target/benchmarks.jar \
    --agent agent/target/coop.jar ${gevent_py:+--gevent-python "$gevent_py"} --out "$out" $smoke
fi
if [ -n "$http" ]; then
  if command -v wrk >/dev/null; then
    phase "HTTP hello world with wrk"
    if [ -n "$smoke" ]; then
      OUT="$out" CONNS=20 DURATION=1 WARMUP=1 RUNS=1 benchmarks/http/run.sh
    else
      OUT="$out" benchmarks/http/run.sh
    fi
  else
    echo "coop-bench: no wrk (apt-get install -y wrk): HTTP figures left out" >&2
  fi
fi
if [ -n "$scaling" ]; then
  if command -v wrk >/dev/null; then
    phase "one hub per core: 1 and 2 hubs / event loops side by side (nothing pinned)"
    py=$(find_python matplotlib || find_python sys)
    "$py" benchmarks/python/scaling_bench.py --java "$JAVA_HOME/bin/java" --jar benchmarks/target/benchmarks.jar \
      --cp runtime/target/classes --agent agent/target/coop.jar --out "$out" "${args[@]}"
    if [ -n "$publish" ] && [ -z "$smoke" ]; then
      "$py" benchmarks/python/publish.py "$out" docs/benchmarks.md docs/img --only scaling
    fi
  else
    echo "coop-bench: no wrk (apt-get install -y wrk): the scaling comparison needs it" >&2
  fi
  phase "done"
  exit 0
fi
py=$(find_python sys)
"$py" benchmarks/python/summary.py "$out"
if [ -n "$publish" ] && [ -n "$echo_bench" ] && [ -z "$smoke" ]; then
  "$py" benchmarks/python/publish.py "$out" docs/benchmarks.md docs/img
fi
phase "done"
