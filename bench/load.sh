#!/usr/bin/env bash
# Load test of `crm serve` on loopback: wrk from a second process, 64 connections, each run
# bounded in time. Figures are ratios against the same server's /healthz in the same run.
#
#   bash bench/load.sh                    # a million leads (the issue's tier)
#   SCALE=100000 bash bench/load.sh       # a quicker tier
#
# Needs: a Rust toolchain, wrk (Debian: apt-get install wrk), curl, python3.
set -euo pipefail
cd "$(dirname "$0")/.."

SCALE=${SCALE:-1000000}
DURATION=${DURATION:-15}
CONNECTIONS=${CONNECTIONS:-64}
WORK=${WORK:-$(mktemp -d)}
OUT=${OUT:-$WORK/load.md}
export RUSTUP_HOME=${RUSTUP_HOME:-$HOME/.rustup} CARGO_HOME=${CARGO_HOME:-$HOME/.cargo}
export HOME=$WORK XDG_STATE_HOME=$WORK/state XDG_DATA_HOME=$WORK/data NO_COLOR=1
for tool in wrk curl python3; do
  command -v "$tool" >/dev/null || { echo "bench/load.sh needs $tool" >&2; exit 1; }
done

echo "== building (release)"
cargo build --release --locked -q -p crm-cli
BIN=$PWD/target/release/crm
DB=$WORK/load.db
json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }

echo "== a database of $SCALE generated leads"
"$BIN" --db "$DB" demo --scale "$SCALE" --no-tui > /dev/null
echo demo-pass-2025 | "$BIN" --db "$DB" login admin --password-stdin > /dev/null
# Four forms: one form takes at most 100,000 posts a minute, which the server outruns.
KEYS=""
for n in 1 2 3 4; do
  KEYS="$KEYS \"$("$BIN" --db "$DB" capture add --campaign 'General / Unassigned' --name "load test $n" \
    --per-ip 100000 --per-form 100000 --output json | json '["key"]')\","
done

echo "== crm serve"
"$BIN" --db "$DB" serve --listen 127.0.0.1:0 --connections 4 > "$WORK/serve.out" 2> "$WORK/serve.log" &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 100); do [ -s "$WORK/serve.out" ] && break; sleep 0.1; done
BASE=$(sed -n 's/^listening on //p' "$WORK/serve.out")
TOKEN=$(curl -s -X POST "$BASE/api/v1/sessions" -H 'Content-Type: application/json' \
  -d '{"username":"admin","password":"demo-pass-2025"}' | json '["token"]')
rss() { awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$SERVER/status"; }

cat > "$WORK/capture.lua" <<LUA
-- Each thread posts leads with addresses of its own, so every post is a new lead, to the four
-- forms in turn.
local keys = { ${KEYS} }
LUA
cat >> "$WORK/capture.lua" <<'LUA'
local count = 0
local threads = 0
local started = os.time()
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
function request()
  count = count + 1
  -- The second's start in the address too: a later run posts new addresses, not the same ones.
  local body = string.format('{"first_name":"Load","last_name":"Test %d","email":"load-%d-%d-%d@example.com"}',
    count, started, tid, count)
  return wrk.format("POST", "/capture/" .. keys[count % 4 + 1],
    { ["Content-Type"] = "application/json" }, body)
end
LUA

# run NAME ARGS...: wrk for DURATION seconds; sets NAME_rps, NAME_p99 (ms), NAME_errors.
run() {
  local name=$1; shift
  wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency "$@" > "$WORK/$name.txt"
  local rps p99 errors
  rps=$(awk '/^Requests\/sec:/ { print $2 }' "$WORK/$name.txt")
  p99=$(awk '$1 == "99%" { v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v);
        printf "%.2f", u == "us" ? v / 1000 : u == "s" ? v * 1000 : v }' "$WORK/$name.txt")
  errors=$(awk '/Non-2xx or 3xx responses:/ { n += $5 } /Socket errors:/ { for (i = 4; i <= NF; i += 2) n += $i }
        END { print n + 0 }' "$WORK/$name.txt")
  printf -v "${name}_rps" '%s' "$rps"; printf -v "${name}_p99" '%s' "$p99"; printf -v "${name}_errors" '%s' "$errors"
  echo "   $name: $rps requests/s, p99 $p99 ms, $errors errors"
}

rss_start=$(rss)
echo "== GET /healthz"
run health "$BASE/healthz"
echo "== GET /api/v1/leads?limit=50 (first page, as the admin), twice"
run warm -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/leads?limit=50"
rss_reads1=$(rss)
run leads -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/leads?limit=50"
rss_reads2=$(rss)
echo "== POST /capture/{key} (a new lead each)"
total_leads() {
  curl -s "$BASE/api/v1/reports/marketing" -H "Authorization: Bearer $TOKEN" > "$WORK/report.json"
  json '["total_leads"]' < "$WORK/report.json" || { cat "$WORK/report.json" >&2; exit 1; }
}
echo "   (the first run warms the writer; the second is measured)"
run warmcapture -s "$WORK/capture.lua" "$BASE"
rss_writes1=$(rss)
leads_before=$(total_leads)
run capture -s "$WORK/capture.lua" "$BASE"
leads_after=$(total_leads)
rss_writes2=$(rss)
kill -TERM $SERVER; wait $SERVER || true; trap - EXIT

ratio=$(awk -v a="$leads_rps" -v b="$health_rps" 'BEGIN { printf "%.0f", 100 * a / b }')
captured=$((leads_after - leads_before))
per_second=$(awk -v n="$captured" -v s="$DURATION" 'BEGIN { printf "%.0f", n / s }')
verdict() { awk -v ok="$1" 'BEGIN { print ok ? "met" : "missed" }'; }
{
  echo "## \`crm serve\` under load (bench/load.sh)"
  echo
  echo "Measured $(date -u +%Y-%m-%d) on $(nproc) cores by \`SCALE=$SCALE bash bench/load.sh\`: wrk, 2 threads,"
  echo "$CONNECTIONS connections, ${DURATION} s a run, on loopback; the server with 4 database connections."
  echo
  echo "| Target | Figure | Baseline (same run) | Target met? |"
  echo "|---|---|---|---|"
  echo "| A lead list page >= 40 % of /healthz's throughput, p99 <= 25 ms | ${leads_rps} requests/s (${ratio} %), p99 ${leads_p99} ms, ${leads_errors} errors | /healthz ${health_rps} requests/s, p99 ${health_p99} ms | $(verdict "$(awk -v r="$ratio" -v p="$leads_p99" -v e="$leads_errors" 'BEGIN { print (r >= 40 && p <= 25 && e == 0) }')") |"
  echo "| POST /capture >= 1,000 leads/s sustained, p99 <= 50 ms | ${captured} new leads in ${DURATION} s (${per_second}/s; wrk counted ${capture_rps} requests/s), p99 ${capture_p99} ms, ${capture_errors} errors | | $(verdict "$(awk -v n="$per_second" -v p="$capture_p99" -v e="$capture_errors" 'BEGIN { print (n >= 1000 && p <= 50 && e == 0) }')") |"
  echo "| Server memory flat over the run | ${rss_start} MB at the start; reads: ${rss_reads1} MB after the first run, ${rss_reads2} MB after the second; writes: ${rss_writes1} MB after the first, ${rss_writes2} MB after the second | the same run repeated | $(verdict "$(awk -v a="$rss_reads1" -v b="$rss_reads2" -v c="$rss_writes1" -v d="$rss_writes2" 'BEGIN { print (b - a <= 5 && d - c <= 10) }')") |"
} > "$OUT"
echo "== wrote $OUT"
cat "$OUT"
