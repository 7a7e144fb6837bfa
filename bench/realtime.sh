#!/usr/bin/env bash
# BaserDB realtime and webhook benchmark (issue 15). See bench/README.md, "Realtime and webhooks".
#
# Starts the app on a fresh database, makes a project and a table through the API, then measures
# with the JDK-only load generator bench/RealtimeBench.java:
#   1. fan-out: BENCH_RT_CLIENTS (200) SSE streams on one table while single-row inserts arrive at
#      BENCH_RT_RATE (500) per second for BENCH_RT_SECONDS (30); latency from each event's
#      occurred_at (stamped in the writing transaction, just before its commit) to its arrival at a
#      client: p50 / p90 / p99 / max over every (client, event);
#   2. resume: BENCH_RT_BEHIND (100,000) rows inserted in batches of 500 while no client listens,
#      then one stream opened with since= the position before them: events/s until the last arrives;
#   3. webhooks: BENCH_RT_HOOK_ROWS (5,000) rows in batches of 500 with a webhook on row.inserted to a
#      receiver on 127.0.0.1 (BASERDB_WEBHOOK_ALLOW_LOOPBACK=true): deliveries/s until the last one.
# Figures go to stdout, progress to stderr. The app is stopped and the database dropped on exit.
set -euo pipefail

BENCH_NAME=realtime-bench BENCH_DB_PREFIX=baserdb_rtbench
# shellcheck source=bench/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
CLIENTS=${BENCH_RT_CLIENTS:-200}
RATE=${BENCH_RT_RATE:-500}
SECONDS_=${BENCH_RT_SECONDS:-30}
BEHIND=${BENCH_RT_BEHIND:-100000}       # multiple of 500
HOOK_ROWS=${BENCH_RT_HOOK_ROWS:-5000}

require_tools curl jq psql java
build_app
GEN=(java -Xmx256m "$BENCH_DIR/RealtimeBench.java")

log "starting the app on port $PORT, database $DB"
start_app BASERDB_REALTIME_MAX_STREAMS=$((CLIENTS + 10)) BASERDB_REALTIME_MAX_LAG=100000000 \
    BASERDB_WEBHOOK_ALLOW_LOOPBACK=true BASERDB_SCHEDULER_POLLING_INTERVAL=500ms BASERDB_DATABASE_POOL_SIZE=30
log "app healthy after ${APP_START_S}s; machine busy with $(busy_cores 2) cores before the load"

setup_project "Realtime bench"
api POST /api/v1/tables "{\"project_id\":\"$PROJECT\",\"name\":\"feed\",\"columns\":[
  {\"name\":\"title\",\"type\":\"VARCHAR(200)\"},{\"name\":\"n\",\"type\":\"INT\"}]}" "$AUTH" >/dev/null
api POST /api/v1/tables "{\"project_id\":\"$PROJECT\",\"name\":\"backlog\",\"columns\":[
  {\"name\":\"title\",\"type\":\"VARCHAR(200)\"},{\"name\":\"n\",\"type\":\"INT\"}]}" "$AUTH" >/dev/null
api POST /api/v1/tables "{\"project_id\":\"$PROJECT\",\"name\":\"hooked\",\"columns\":[
  {\"name\":\"title\",\"type\":\"VARCHAR(200)\"},{\"name\":\"n\",\"type\":\"INT\"}]}" "$AUTH" >/dev/null

log "fan-out: $CLIENTS streams, $RATE inserts/s for $SECONDS_ s"
"${GEN[@]}" fanout "$URL" "$PROJECT" "$KEY" feed "$CLIENTS" "$RATE" "$SECONDS_"

SINCE=$(psql -d "$DB" -tAc "SELECT coalesce(max(globalindex), 0) FROM domainevententry")
log "resume: loading $BEHIND rows after position $SINCE"
for ((i = 0; i < BEHIND; i += 500)); do
    jq -c -n --argjson from "$i" '{rows: [range($from; $from + 500) as $n | {title: "row \($n)", n: $n}]}' >"$TMP/batch.json"
    api POST "/api/v1/data/$PROJECT/backlog/batch" "@$TMP/batch.json" "X-API-Key: $KEY" >/dev/null
done
log "resume: one stream from position $SINCE"
"${GEN[@]}" resume "$URL" "$PROJECT" "$KEY" backlog "$SINCE" "$BEHIND"

log "webhooks: $HOOK_ROWS rows to a local receiver"
"${GEN[@]}" webhook "$URL" "$PROJECT" "$KEY" hooked "$AUTH" "$HOOK_ROWS"
log "machine busy with $(busy_cores 2) cores after the load (other engineers share it)"
