#!/usr/bin/env bash
# Load on the hot endpoints with wrk (Debian's), next to the floor of the same machine (/health).
#
#   scripts/load.sh                                        # embedded default (SQLite, in-process)
#   DATABASE_URL=postgres://... REDIS_URL=redis://... scripts/load.sh   # PostgreSQL + Redis
#
# LOAD_SECONDS (default 20), LOAD_CONNECTIONS (32) and LOAD_THREADS (2) shape each run. Prints one
# Markdown table row per endpoint, as in docs/BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk >/dev/null
source scripts/bench/server.sh

SECONDS_EACH="${LOAD_SECONDS:-20}"
CONNECTIONS="${LOAD_CONNECTIONS:-32}"
THREADS="${LOAD_THREADS:-2}"

# wrk's report → "| name | req/s | p50 | p90 | p99 | max | errors |" (latencies in ms).
row() {
  awk -v name="$1" '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /^ +Latency +[0-9]/ { max = ms($4) }
    /^ +50%/ { p50 = ms($2) } /^ +90%/ { p90 = ms($2) } /^ +99%/ { p99 = ms($2) }
    /^Requests\/sec/ { rps = $2 }
    /Non-2xx/ { errors += $NF }
    /Socket errors/ { gsub(",", ""); errors += $4 + $6 + $8 + $10 }
    /requests in/ { total = $1 }
    END { printf "| %s | %d | %.0f | %.2f | %.2f | %.2f | %.1f | %d |\n", name, total, rps, p50, p90, p99, max, errors }'
}

run() {
  local name=$1
  shift
  wrk --latency -t "$THREADS" -c "$CONNECTIONS" -d "${SECONDS_EACH}s" "$@" | tee -a "$WORK/wrk.log" | row "$name"
}

echo "backend: $BACKEND, $CONNECTIONS connections, $THREADS threads, ${SECONDS_EACH}s each"
echo "| endpoint | requests | req/s | p50 ms | p90 ms | p99 ms | max ms | errors |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
run '`GET /health` (the floor)' "$BASE/health"
run '`GET /api/v1/matches?competition&season&limit=20`' \
  "$BASE/api/v1/matches?competition=premier-league&season=2024-25&limit=20"
run '`GET /api/v1/matches/{id}/forecast`' "$BASE/api/v1/matches/$MATCH_ID/forecast"
run '`GET /api/v1/social/feed?limit=20` (signed in)' -H "Authorization: Bearer $TOKEN" \
  "$BASE/api/v1/social/feed?limit=20"
export LOGIN_BODY="{\"username\":\"loadtester\",\"password\":\"$BENCH_PASSWORD\"}"
run '`POST /api/v1/auth/login` (Argon2id)' -s scripts/bench/login.lua "$BASE/api/v1/auth/login"
echo "server RSS after the runs: $(($(rss_kib) / 1024)) MiB"
