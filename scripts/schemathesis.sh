#!/usr/bin/env bash
# Fuzzes every operation in /openapi.json with schemathesis, signed in as an ordinary user, and fails
# on any 5xx or any response outside its documented status codes, content type or schema.
#
#   scripts/schemathesis.sh              # bounded run (CI): a few examples per operation
#   ST_MAX_EXAMPLES=200 scripts/schemathesis.sh   # the longer run in docs/SECURITY.md
#
# Runs against DATABASE_URL/REDIS_URL when set, else the embedded default in a temp dir.
set -euo pipefail
cd "$(dirname "$0")/.."

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/pundit-target}"
BIN="${PUNDIT_BIN:-$CARGO_TARGET_DIR/debug/pundit}"
PORT="${ST_PORT:-18290}"
BASE="http://127.0.0.1:$PORT"
WORK="$(mktemp -d)"
REPORT="${ST_REPORT_DIR:-ci-artifacts/schemathesis}"

command -v st >/dev/null || pip install -q schemathesis
# The default binary is brought up to date (a no-op when fresh); one named by PUNDIT_BIN is used as is.
[ -n "${PUNDIT_BIN:-}" ] || cargo build -q -p pundit-server --bin pundit

# On PostgreSQL the run gets a database of its own, dropped afterwards.
DROP_DB=""
if [ -n "${DATABASE_URL:-}" ]; then
  DB="pundit_test_st_$$"
  psql "$DATABASE_URL" -qc "CREATE DATABASE $DB" >/dev/null
  DROP_DB="$DB"
  export DATABASE_URL="${DATABASE_URL%/*}/$DB"
fi

# Limits are raised so the fuzzer measures the API, not the rate limiter (which has its own tests).
PUNDIT_DATA_DIR="$WORK" PUNDIT_BIND="127.0.0.1:$PORT" PUNDIT_LIVE_POLLING=false \
  PUNDIT_GATEWAY_CHECK_SECS=0 PUNDIT_RATE_LIMIT_API=100000000 PUNDIT_RATE_LIMIT_AUTH=100000000 \
  PUNDIT_LOCKOUT_FAILURES=100000000 RUST_LOG="${RUST_LOG:-warn}" \
  "$BIN" >"$WORK/server.log" 2>&1 &
SERVER=$!
cleanup() {
  kill $SERVER 2>/dev/null || true
  wait $SERVER 2>/dev/null || true
  [ -z "$DROP_DB" ] || psql "${DATABASE_URL%/*}/postgres" -qc "DROP DATABASE IF EXISTS $DROP_DB" >/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

for _ in $(seq 1 120); do
  curl -fs "$BASE/health" >/dev/null && break
  kill -0 $SERVER 2>/dev/null || { cat "$WORK/server.log"; exit 1; }
  sleep 1
done

TOKEN=$(curl -fs "$BASE/api/v1/auth/register" -H 'content-type: application/json' \
  -d '{"username":"fuzzer","email":"fuzzer@example.com","password":"Fuzz-the-API-2026!"}' |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')

mkdir -p "$REPORT"
# Operations that end the fuzzer's own session are left out, or every later request would be a 401.
st run "$BASE/openapi.json" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
  -H "Authorization: Bearer $TOKEN" \
  --exclude-path /api/v1/auth/logout --exclude-path /api/v1/users/me/password \
  --max-examples "${ST_MAX_EXAMPLES:-10}" --seed "${ST_SEED:-20261122}" \
  --request-timeout 30 --workers "${ST_WORKERS:-2}" \
  --report junit --report-dir "$REPORT" \
  "$@"
