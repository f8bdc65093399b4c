#!/usr/bin/env bash
# The deployment topology of deploy/compose.yaml from local processes, for machines without a
# container engine: two `pundit` instances on loopback behind nginx (the same server config,
# deploy/nginx/pundit.conf.template), sharing PostgreSQL and Redis.
#
#   scripts/topology.sh start    # fresh database, seed data, an admin, instances, nginx; waits for /health
#   scripts/topology.sh env      # prints `export PUNDIT_TOPOLOGY=...` for crates/server/tests/topology.rs
#   scripts/topology.sh status
#   scripts/topology.sh stop     # stops everything, drops the database it created (logs are kept)
#
# Settings: DATABASE_URL (used as is, never dropped; default: a fresh database on
# PUNDIT_TOPOLOGY_PG, postgres://postgres@127.0.0.1:5432), REDIS_URL (default
# redis://127.0.0.1:6379; keys go under a fresh namespace), PUNDIT_TOPOLOGY_PORT (the load
# balancer, default 18180; the instances take the next two ports), PUNDIT_TOPOLOGY_DIR (pids,
# logs, nginx files), PUNDIT_BIN (default $CARGO_TARGET_DIR/debug/pundit, brought up to date first).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
DIR="${PUNDIT_TOPOLOGY_DIR:-${TMPDIR:-/tmp}/pundit-topology}"
LB_PORT="${PUNDIT_TOPOLOGY_PORT:-18180}"
A_PORT=$((LB_PORT + 1))
B_PORT=$((LB_PORT + 2))
PG_SERVER="${PUNDIT_TOPOLOGY_PG:-postgres://postgres@127.0.0.1:5432}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/pundit-target}"
BIN="${PUNDIT_BIN:-$CARGO_TARGET_DIR/debug/pundit}"
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"

say() { printf 'topology: %s\n' "$*" >&2; }
random_hex() { od -An -N"$1" -tx1 /dev/urandom | tr -d ' \n'; }
alive() { [[ -f "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

# The instances' environment: the production settings a real deployment would use, minus the internet.
# shellcheck disable=SC2153 # DB_URL, REDIS... come from the state file
instance_env() {
  # shellcheck source=/dev/null
  source "$DIR/state"
  export DATABASE_URL="$DB_URL" REDIS_URL="$REDIS" PUNDIT_REDIS_NAMESPACE="$NAMESPACE" \
    JWT_SECRET="$JWT" PUNDIT_ENV=production PUNDIT_TRUST_PROXY=true \
    PUNDIT_LIVE_POLLING=false PUNDIT_GATEWAY_CHECK_SECS=0
}

ensure_nginx() {
  [[ -x "$NGINX" ]] && return
  say "installing Debian's nginx"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q nginx >/dev/null || { apt-get update -q && apt-get install -y -q nginx >/dev/null; }
  NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
}

# A binary named by PUNDIT_BIN is used as it is; the default one is brought up to date first (a
# no-op when fresh), so a target dir shared between runs never serves an old build.
ensure_binary() {
  [[ -n "${PUNDIT_BIN:-}" && -x "$BIN" ]] && return
  say "building $BIN"
  cargo build -q -p pundit-server --bin pundit
}

# nginx runs from $DIR/nginx with the shared server block and its own pid, logs and temp files.
write_nginx_config() {
  local conf="$DIR/nginx"
  mkdir -p "$conf/tmp"
  sed -e "s/\${PUNDIT_INSTANCE_1}/127.0.0.1:$A_PORT/" -e "s/\${PUNDIT_INSTANCE_2}/127.0.0.1:$B_PORT/" \
    -e "s/\${PUNDIT_LISTEN}/127.0.0.1:$LB_PORT/" "$ROOT/deploy/nginx/pundit.conf.template" >"$conf/pundit.conf"
  cat >"$conf/nginx.conf" <<EOF
worker_processes 1;
pid $conf/nginx.pid;
error_log $conf/error.log warn;
events { worker_connections 1024; }
http {
    access_log $conf/access.log;
    client_body_temp_path $conf/tmp/body;
    proxy_temp_path $conf/tmp/proxy;
    fastcgi_temp_path $conf/tmp/fastcgi;
    uwsgi_temp_path $conf/tmp/uwsgi;
    scgi_temp_path $conf/tmp/scgi;
    include $conf/pundit.conf;
}
EOF
  # Started as root, nginx's workers run as nobody and must reach their temp files.
  [[ "$(id -u)" != 0 ]] || chown -R nobody "$conf/tmp"
}

wait_for() { # url name [pid file]
  for _ in $(seq 1 120); do
    curl -fsS --max-time 2 "$1" >/dev/null 2>&1 && return
    [[ -z "${3:-}" ]] || alive "$3" || break
    sleep 0.5
  done
  say "$2 did not answer $1; log tail:"
  tail -n 30 "$DIR/$2.log" >&2 2>/dev/null || tail -n 30 "$DIR/nginx/error.log" >&2 || true
  return 1
}

start() {
  if alive "$DIR/a.pid" || alive "$DIR/b.pid" || alive "$DIR/nginx/nginx.pid"; then
    say "already running (scripts/topology.sh stop first)"
    exit 1
  fi
  ensure_nginx
  ensure_binary
  rm -rf "$DIR" && mkdir -p "$DIR" && chmod 755 "$DIR"
  pg_isready -q -d "$PG_SERVER/postgres" || { say "PostgreSQL at $PG_SERVER is not up"; exit 1; }
  local redis="${REDIS_URL:-redis://127.0.0.1:6379}"
  redis-cli -u "$redis" ping >/dev/null || { say "Redis at $redis is not up"; exit 1; }
  local db_url="${DATABASE_URL:-}" db_created=""
  if [[ -z "$db_url" ]]; then
    db_created="pundit_topology_$(random_hex 6)"
    psql "$PG_SERVER/postgres" -qc "CREATE DATABASE $db_created" >/dev/null
    db_url="$PG_SERVER/$db_created"
  fi
  cat >"$DIR/state" <<EOF
DB_URL='$db_url'
DB_CREATED='$db_created'
REDIS='$redis'
NAMESPACE='pundit-topology-$(random_hex 6)'
JWT='$(random_hex 32)'
ADMIN='topology-admin'
ADMIN_PASSWORD='$(random_hex 12)'
EOF
  chmod 600 "$DIR/state"
  instance_env
  # What an operator does once per release and once per install; the instances migrate too.
  (cd "$DIR" && "$BIN" migrate && "$BIN" import "$ROOT/data/demo/leagues/premier-league/season-2324.csv" &&
    PUNDIT_USER_PASSWORD="$ADMIN_PASSWORD" "$BIN" user create --username "$ADMIN" \
      --email "$ADMIN@example.com" --role admin) >"$DIR/setup.log" 2>&1 ||
    { say "setup failed:"; tail -n 30 "$DIR/setup.log" >&2; exit 1; }
  for name in a b; do
    local port=$A_PORT
    [[ $name == a ]] || port=$B_PORT
    mkdir -p "$DIR/data-$name"
    (cd "$DIR" && PUNDIT_BIND="127.0.0.1:$port" PUNDIT_DATA_DIR="$DIR/data-$name" \
      exec "$BIN" serve >"$DIR/$name.log" 2>&1) &
    echo $! >"$DIR/$name.pid"
  done
  write_nginx_config
  "$NGINX" -q -t -p "$DIR/nginx" -c "$DIR/nginx/nginx.conf"
  "$NGINX" -p "$DIR/nginx" -c "$DIR/nginx/nginx.conf"
  wait_for "http://127.0.0.1:$A_PORT/health/ready" a "$DIR/a.pid"
  wait_for "http://127.0.0.1:$B_PORT/health/ready" b "$DIR/b.pid"
  wait_for "http://127.0.0.1:$LB_PORT/health" nginx
  say "up: load balancer http://127.0.0.1:$LB_PORT, instances :$A_PORT and :$B_PORT; logs in $DIR"
}

stop() {
  if [[ -f "$DIR/nginx/nginx.pid" ]]; then
    "$NGINX" -p "$DIR/nginx" -c "$DIR/nginx/nginx.conf" -s quit 2>/dev/null || true
  fi
  # SIGTERM lets an instance drain requests and hand back agent tasks (up to 10 s).
  for name in a b; do
    alive "$DIR/$name.pid" && kill -TERM "$(cat "$DIR/$name.pid")"
  done
  for _ in $(seq 1 30); do
    alive "$DIR/a.pid" || alive "$DIR/b.pid" || break
    sleep 0.5
  done
  for name in a b; do
    alive "$DIR/$name.pid" && { say "$name did not stop in 15 s; killing it"; kill -KILL "$(cat "$DIR/$name.pid")"; }
    rm -f "$DIR/$name.pid"
  done
  [[ -f "$DIR/state" ]] || { say "stopped (nothing was recorded as started)"; return; }
  # shellcheck source=/dev/null
  source "$DIR/state"
  if [[ -n "$DB_CREATED" ]]; then
    psql "$PG_SERVER/postgres" -qc "DROP DATABASE IF EXISTS $DB_CREATED WITH (FORCE)" >/dev/null
  fi
  redis-cli -u "$REDIS" --scan --pattern "$NAMESPACE:*" | xargs -r redis-cli -u "$REDIS" del >/dev/null
  rm -f "$DIR/state"
  say "stopped; logs kept in $DIR"
}

status() {
  local code=0
  for name in a b; do
    local port=$A_PORT
    [[ $name == a ]] || port=$B_PORT
    if alive "$DIR/$name.pid" && curl -fsS --max-time 2 "http://127.0.0.1:$port/health/ready" >/dev/null; then
      echo "$name: ready on 127.0.0.1:$port (pid $(cat "$DIR/$name.pid"))"
    else
      echo "$name: down" && code=1
    fi
  done
  if curl -fsS --max-time 2 "http://127.0.0.1:$LB_PORT/health" >/dev/null 2>&1; then
    echo "nginx: up on 127.0.0.1:$LB_PORT"
  else
    echo "nginx: down" && code=1
  fi
  return $code
}

env_line() {
  [[ -f "$DIR/state" ]] || { say "not started"; exit 1; }
  # shellcheck source=/dev/null
  source "$DIR/state"
  local http="http://127.0.0.1"
  echo "export PUNDIT_TOPOLOGY='lb=$http:$LB_PORT,a=$http:$A_PORT,b=$http:$B_PORT,admin=$ADMIN:$ADMIN_PASSWORD'"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  env) env_line ;;
  *) echo "usage: $0 start|stop|status|env" >&2 && exit 2 ;;
esac
