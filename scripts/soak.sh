#!/usr/bin/env bash
# A soak: a steady rate on a mix of the hot endpoints for 30 minutes, the server's RSS sampled every
# 10 s. Passes when no request failed and RSS grew less than 5% from the end of the warm-up
# (the first 5 minutes) to the end.
#
#   scripts/soak.sh                                        # embedded default
#   DATABASE_URL=postgres://... REDIS_URL=redis://... scripts/soak.sh   # PostgreSQL + Redis
#
# SOAK_SECONDS (1800), SOAK_RATE (requests/s, 200), SOAK_WARMUP (300); the RSS samples go to
# ci-artifacts/soak-<backend>.csv.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION="${SOAK_SECONDS:-1800}"
# The client signs in once; its access token must outlive the run (a real client would refresh it).
export PUNDIT_ACCESS_TOKEN_TTL_SECS=$((DURATION + 600))
source scripts/bench/server.sh

RATE="${SOAK_RATE:-200}"
WARMUP="${SOAK_WARMUP:-300}"
LOADGEN="$CARGO_TARGET_DIR/release/examples/loadgen"
mkdir -p ci-artifacts
CSV="ci-artifacts/soak-${BACKEND/+/-}.csv"

MIX="$BASE/api/v1/matches?competition=premier-league&season=2024-25&limit=20"
MIX="$MIX,$BASE/api/v1/matches/$MATCH_ID/forecast,$BASE/api/v1/social/feed?limit=20"
MIX="$MIX,$BASE/api/v1/matches/$MATCH_ID,$BASE/api/v1/leaderboards?limit=20,$BASE/health"

echo "seconds,rss_kib" >"$CSV"
(
  start=$(date +%s)
  while kill -0 "$SERVER" 2>/dev/null; do
    echo "$(($(date +%s) - start)),$(rss_kib)" >>"$CSV"
    sleep 10
  done
) &
SAMPLER=$!

echo "backend: $BACKEND, $RATE requests/s for $DURATION s, RSS samples in $CSV"
LOADGEN_BEARER="$TOKEN" "$LOADGEN" "$MIX" "$RATE" "$DURATION" 256 | tee "$WORK/loadgen.log"
kill "$SAMPLER" 2>/dev/null || true

python3 - "$CSV" "$WARMUP" "$WORK/loadgen.log" <<'PY'
import csv, re, sys
rows = [(int(r["seconds"]), int(r["rss_kib"])) for r in csv.DictReader(open(sys.argv[1])) if r["rss_kib"]]
warm = next(rss for s, rss in rows if s >= int(sys.argv[2]))
end, peak = rows[-1][1], max(rss for _, rss in rows)
growth = (end - warm) / warm * 100
errors = int(re.search(r"errors (\d+)", open(sys.argv[3]).read()).group(1))
print(f"RSS MiB: start {rows[0][1] / 1024:.1f}, after warm-up {warm / 1024:.1f}, "
      f"peak {peak / 1024:.1f}, end {end / 1024:.1f}; growth after warm-up {growth:+.2f}%; errors {errors}")
sys.exit(0 if errors == 0 and growth < 5 else 1)
PY
