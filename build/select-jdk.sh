# Sourced by ./mvnw and .ci/run: exports JAVA_HOME pointing at a JDK >= 24 (the agent's weaver is compiled for release 24).
# Order: $JAVA_HOME if it is new enough, else the newest JDK under /usr/lib/jvm.
coop_java_major() { # prints the feature version of the JDK at $1, or nothing
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 0
  local v
  v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" 2>/dev/null)
  [ -n "$v" ] || v=$("$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p')
  echo "$v"
}
coop_select_jdk() {
  local min=24 best="" best_v=0 d v
  if [ -n "${JAVA_HOME:-}" ]; then
    v=$(coop_java_major "$JAVA_HOME")
    if [ -n "$v" ] && [ "$v" -ge "$min" ]; then export JAVA_HOME; return 0; fi
  fi
  for d in /usr/lib/jvm/*/; do
    d=${d%/}; v=$(coop_java_major "$d")
    if [ -n "$v" ] && [ "$v" -ge "$min" ] && [ "$v" -gt "$best_v" ]; then best=$d; best_v=$v; fi
  done
  if [ -z "$best" ]; then
    echo "coop: no JDK $min or newer found (JAVA_HOME=${JAVA_HOME:-unset}, none under /usr/lib/jvm); install one, e.g. Temurin 25, and set JAVA_HOME." >&2
    return 1
  fi
  export JAVA_HOME=$best
}
