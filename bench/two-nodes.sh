#!/usr/bin/env bash
# Two BaserDB nodes on one database against one node, on the data API at 16 clients (issue 16), with
# raw PostgreSQL measured in the same run. See bench/README.md.
#
# Starts node A on a fresh database, sets up a project and a table, warms A up, measures single-row
# inserts and GET by id with 16 clients against A alone, then starts node B on the same database and
# measures the same with 8 clients on each node at once (two wrk processes). Raw PostgreSQL: pgbench
# single-row inserts into a table shaped like the event store, 16 clients. Both nodes are stopped and
# the databases dropped on exit, however the script ends.
set -euo pipefail

BENCH_NAME=two-nodes BENCH_DB_PREFIX=baserdb_bench_two
# shellcheck source=bench/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

DURATION=${BENCH_DURATION:-15}
WARMUP=${BENCH_WARMUP:-20}
require_tools wrk jq curl psql pgbench java
build_app

RAW_DB="baserdb_bench_two_raw_$RUN"
BENCH_DATABASES+=("$RAW_DB")
B_PID=""
bench_on_exit() {
    if [ -n "$B_PID" ] && kill -0 "$B_PID" 2>/dev/null; then
        kill "$B_PID" 2>/dev/null || true
        wait "$B_PID" 2>/dev/null || true
    fi
}

busy=$(busy_cores 3)
log "machine before the run: $busy of $(nproc) cores busy"

start_app
log "node A healthy after $APP_START_S s on port $PORT"
setup_project "Two nodes"
api POST /api/v1/tables "{\"project_id\":\"$PROJECT\",\"name\":\"two\",\"columns\":[{\"name\":\"title\",\"type\":\"TEXT\"},{\"name\":\"amount\",\"type\":\"INT\"}]}" "$AUTH" >/dev/null
DATA="/api/v1/data/$PROJECT/two"
echo '{"title":"two nodes","amount":42}' >"$TMP/row.json"
jq -n '[range(0; 500) | {title: "seed \(.)", amount: .}]' >"$TMP/seed.json"
for _ in 1 2 3 4; do
    api POST "$DATA/batch" "@$TMP/seed.json" "X-API-Key: $KEY" | jq -r '.data.rows[].id' >>"$TMP/ids.txt"
done

# wrk_rate URL MODE CLIENTS SECONDS: prints "rate p99_ms" (successful requests/s, 99th percentile)
wrk_rate() {
    local url=$1 mode=$2 clients=$3 seconds=$4 out line
    out=$(env BENCH_MODE="$mode" BENCH_KEY="$KEY" BENCH_BASE="$DATA" BENCH_BODY="$TMP/row.json" BENCH_IDS="$TMP/ids.txt" \
        wrk -t2 -c"$clients" -d"${seconds}s" --timeout 30s -s "$BENCH_DIR/wrk.lua" "$url" 2>&1) || die "wrk: $out"
    line=$(grep '^RESULT ' <<<"$out") || die "wrk printed no result: $out"
    awk '{ for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
           printf "%.1f %.2f\n", (v["requests"] - v["status_errors"]) / (v["duration_us"] / 1e6), v["p99_us"] / 1000 }' <<<"$line"
}

log "warm-up: $WARMUP s of inserts and of reads on node A"
wrk_rate "$URL" insert 16 "$WARMUP" >/dev/null
wrk_rate "$URL" get 16 "$WARMUP" >/dev/null

read -r one_insert one_insert_p99 < <(wrk_rate "$URL" insert 16 "$DURATION")
log "one node, inserts at 16 clients: $one_insert/s (p99 $one_insert_p99 ms)"
read -r one_get one_get_p99 < <(wrk_rate "$URL" get 16 "$DURATION")
log "one node, GET by id at 16 clients: $one_get/s (p99 $one_get_p99 ms)"

# node B on the same database
PORT_B=$(free_port)
URL_B="http://127.0.0.1:$PORT_B"
# shellcheck disable=SC2086
env BASERDB_DATABASE_URL="jdbc:postgresql://$PGHOST:$PGPORT/$DB" BASERDB_DATABASE_USER="$PGUSER" \
    BASERDB_PORT="$PORT_B" BASERDB_DATA_DIR="$TMP/data" BASERDB_DATA_RATE_LIMIT=100000000 \
    BASERDB_PUBLIC_URL="$URL" java $JAVA_OPTS -Ddisable-axoniq-console-message=true -jar "$APP_JAR" \
    >>"$TMP/app-b.log" 2>&1 &
B_PID=$!
for _ in $(seq 1 3000); do
    kill -0 "$B_PID" 2>/dev/null || die "node B exited during start"
    curl -sf -o /dev/null --max-time 2 "$URL_B/api/healthz" 2>/dev/null && break
    sleep 0.1
done
curl -sf -o /dev/null "$URL_B/api/healthz" || die "node B was not healthy"
log "node B healthy on port $PORT_B; warming it up"
wrk_rate "$URL_B" insert 16 "$WARMUP" >/dev/null
wrk_rate "$URL_B" get 16 "$WARMUP" >/dev/null

# two_nodes MODE: both nodes at once, 8 clients each; prints "rate p99_ms" (sum, worse p99)
two_nodes() {
    wrk_rate "$URL" "$1" 8 "$DURATION" >"$TMP/a.out" &
    local a=$!
    wrk_rate "$URL_B" "$1" 8 "$DURATION" >"$TMP/b.out"
    wait "$a"
    awk 'NR == FNR { ra = $1; pa = $2; next } { printf "%.1f %.2f\n", ra + $1, (pa > $2 ? pa : $2) }' "$TMP/a.out" "$TMP/b.out"
}
read -r two_insert two_insert_p99 < <(two_nodes insert)
log "two nodes, inserts at 8 + 8 clients: $two_insert/s (p99 $two_insert_p99 ms)"
read -r two_get two_get_p99 < <(two_nodes get)
log "two nodes, GET by id at 8 + 8 clients: $two_get/s (p99 $two_get_p99 ms)"

# raw PostgreSQL: the event store's shape, one row per transaction, 16 clients
psql -q -d postgres -c "CREATE DATABASE \"$RAW_DB\"" >/dev/null
psql -q -d "$RAW_DB" -v ON_ERROR_STOP=1 >/dev/null <<'SQL'
CREATE TABLE raw_event (
    globalIndex BIGSERIAL PRIMARY KEY, aggregateIdentifier VARCHAR(255) NOT NULL, sequenceNumber BIGINT NOT NULL,
    type VARCHAR(255), eventIdentifier VARCHAR(255) NOT NULL UNIQUE, metaData BYTEA, payload BYTEA NOT NULL,
    payloadRevision VARCHAR(255), payloadType VARCHAR(255) NOT NULL, timeStamp VARCHAR(255) NOT NULL,
    UNIQUE (aggregateIdentifier, sequenceNumber));
SQL
echo "INSERT INTO raw_event (aggregateIdentifier, sequenceNumber, type, eventIdentifier, metaData, payload, payloadType, timeStamp)
  VALUES (gen_random_uuid()::text, 0, 'Row', gen_random_uuid()::text, convert_to(repeat('m', 150), 'UTF8'),
  convert_to(repeat('p', 200), 'UTF8'), 'RowInserted', now()::text);" >"$TMP/one.sql"
raw=$(pgbench -n -M prepared -c 16 -j 2 -T "$DURATION" -f "$TMP/one.sql" "$RAW_DB" 2>&1 \
    | awk '/^tps/ { printf "%.1f", $3; exit }')
[ -n "$raw" ] || die "pgbench printed no tps"
log "raw PostgreSQL, single-row inserts at 16 clients: $raw/s"

busy_after=$(busy_cores 3)
printf '\n%-44s %12s %10s %12s\n' "figure (16 clients in all)" "one node" "two nodes" "two / one"
printf '%-44s %12s %10s %12s\n' "inserts/s" "$one_insert" "$two_insert" "$(awk -v a="$two_insert" -v b="$one_insert" 'BEGIN { printf "%.2f", a / b }')"
printf '%-44s %12s %10s %12s\n' "inserts p99 ms" "$one_insert_p99" "$two_insert_p99" ""
printf '%-44s %12s %10s %12s\n' "GET by id/s" "$one_get" "$two_get" "$(awk -v a="$two_get" -v b="$one_get" 'BEGIN { printf "%.2f", a / b }')"
printf '%-44s %12s %10s %12s\n' "GET p99 ms" "$one_get_p99" "$two_get_p99" ""
printf '%-44s %12s\n' "raw PostgreSQL inserts/s" "$raw"
printf '%-44s %12s %10s\n' "inserts as share of raw" "$(awk -v a="$one_insert" -v r="$raw" 'BEGIN { printf "%.1f %%", 100 * a / r }')" \
    "$(awk -v a="$two_insert" -v r="$raw" 'BEGIN { printf "%.1f %%", 100 * a / r }')"
printf 'machine: %s cores busy before the run, %s after (of %s)\n' "$busy" "$busy_after" "$(nproc)"
