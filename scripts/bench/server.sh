# Sourced by scripts/load.sh and scripts/soak.sh: starts a release server with the demo data on the
# embedded default, or on PostgreSQL + Redis when DATABASE_URL / REDIS_URL are set (in a database
# of its own, dropped on exit), and prepares a signed-in user, a feed and a match with a forecast.
# Sets BASE, SERVER (pid), TOKEN, MATCH_ID, BACKEND.

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/pundit-target}"
BIN="${PUNDIT_BIN:-$CARGO_TARGET_DIR/release/pundit}"
PORT="${BENCH_PORT:-18390}"
BASE="http://127.0.0.1:$PORT"
WORK="$(mktemp -d)"
BENCH_PASSWORD="Load-test-password-2026"

[ -n "${PUNDIT_BIN:-}" ] || cargo build -q --release -p pundit-server --bin pundit --example loadgen

BACKEND="sqlite"
DROP_DB=""
if [ -n "${DATABASE_URL:-}" ]; then
  BACKEND="postgres+redis"
  DROP_DB="pundit_bench_$$"
  psql "$DATABASE_URL" -qc "CREATE DATABASE $DROP_DB" >/dev/null
  export DATABASE_URL="${DATABASE_URL%/*}/$DROP_DB"
  export PUNDIT_REDIS_NAMESPACE="pundit-bench-$$"
fi

bench_cleanup() {
  kill "$SERVER" 2>/dev/null || true
  wait "$SERVER" 2>/dev/null || true
  [ -z "$DROP_DB" ] || psql "${DATABASE_URL%/*}/postgres" -qc "DROP DATABASE IF EXISTS $DROP_DB" >/dev/null || true
  rm -rf "$WORK"
}
trap bench_cleanup EXIT

# One client machine makes all the requests, so the per-client limits are raised for the run.
PUNDIT_DATA_DIR="$WORK" PUNDIT_BIND="127.0.0.1:$PORT" PUNDIT_DEMO_DATA=true PUNDIT_LIVE_POLLING=false \
  PUNDIT_GATEWAY_CHECK_SECS=0 PUNDIT_RATE_LIMIT_API=1000000000 PUNDIT_RATE_LIMIT_AUTH=1000000000 \
  RUST_LOG=warn "$BIN" >"$WORK/server.log" 2>&1 &
SERVER=$!

json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

for _ in $(seq 1 300); do
  total=$(curl -fs "$BASE/api/v1/matches?limit=1" 2>/dev/null | json 'd["total"]' 2>/dev/null || echo 0)
  [ "${total:-0}" -gt 0 ] && break
  kill -0 "$SERVER" 2>/dev/null || { cat "$WORK/server.log"; exit 1; }
  sleep 1
done

TOKEN=$(curl -fs "$BASE/api/v1/auth/register" -H 'content-type: application/json' \
  -d "{\"username\":\"loadtester\",\"email\":\"load@example.com\",\"password\":\"$BENCH_PASSWORD\"}" |
  json 'd["access_token"]')
for i in $(seq 1 100); do
  curl -fs -o /dev/null "$BASE/api/v1/social/posts" -H "authorization: Bearer $TOKEN" \
    -H 'content-type: application/json' -d "{\"content\":\"Load test post $i #bench\"}"
done
MATCH_ID=$(curl -fs "$BASE/api/v1/matches?competition=premier-league&season=2024-25&limit=1" | json 'd["items"][0]["id"]')
curl -fs -o /dev/null "$BASE/api/v1/matches/$MATCH_ID/forecast"

rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$SERVER/status"; }
