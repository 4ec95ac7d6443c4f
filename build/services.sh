#!/usr/bin/env bash
# Makes sure the local servers the integration suite talks to are up (see shared/services.md).
# Starts any that is down; fails loudly, naming it, if one cannot be started. On a machine that
# does not have the server installed at all: fine when a Docker engine answers (the suite then
# uses Testcontainers); otherwise the suite skips that server's scenarios, saying so, except in
# CI (CI=true), where this script fails instead: CI never skips them silently.
set -uo pipefail
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
docker_answers() { command -v docker >/dev/null 2>&1 && timeout 20 docker info >/dev/null 2>&1; }
ensure() { # name port binary start-command...
  local name=$1 port=$2 bin=$3; shift 3
  if port_open "$port"; then echo "services: $name is up on 127.0.0.1:$port"; return 0; fi
  if ! command -v "$bin" >/dev/null 2>&1 && [ ! -x "$bin" ]; then
    if docker_answers; then
      echo "services: $name is not installed here ($bin not found); a Docker engine answers, the integration suite runs it in a container"
      return 0
    fi
    if [ "${CI:-}" = true ]; then
      echo "services: FAILED: $name is not installed here ($bin not found) and no Docker engine answers; CI runs every integration scenario" >&2
      return 1
    fi
    echo "services: $name is not installed here ($bin not found) and no Docker engine answers; its integration scenarios will say they are skipped"
    return 0
  fi
  echo "services: starting $name"
  "$@" >/dev/null 2>&1 || true
  for _ in $(seq 1 60); do port_open "$port" && { echo "services: $name is up on 127.0.0.1:$port"; return 0; }; sleep 1; done
  echo "services: FAILED to start $name on port $port (command: $*)" >&2
  return 1
}
rc=0
ensure PostgreSQL 5432 pg_ctlcluster bash -c 'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start' || rc=1
ensure MariaDB 3306 /usr/sbin/mariadbd start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd || rc=1
ensure Redis 6379 redis-server redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log || rc=1
ensure RabbitMQ 5672 rabbitmq-server rabbitmq-server -detached || rc=1
ensure NATS 4222 /usr/sbin/nats-server start-stop-daemon --start --oknodo --background --exec /usr/sbin/nats-server -- \
  -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server -l /var/log/nats-server.log || rc=1
exit $rc
