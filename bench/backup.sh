#!/usr/bin/env bash
# BaserDB backup and restore benchmark (API.md §9, issue 9). See bench/README.md, "Backups".
#
# Starts the app on a fresh database with a bounded heap, loads a project with BENCH_BACKUP_ROWS row
# events (default 100,000, inserted in batches of 500), then measures:
#   1. a backup run of the project: seconds, archive MB/s and events/s, peak heap during the run;
#   2. a restore of that run into a new project: seconds and events/s;
#   3. a point-in-time restore in place after BENCH_PITR_ROWS (default 10,000) rows were changed.
# Figures go to stdout, progress to stderr. The app is stopped and the database dropped on exit.
set -euo pipefail

BENCH_NAME=backup-bench BENCH_DB_PREFIX=baserdb_bbench
# shellcheck source=bench/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
ROWS=${BENCH_BACKUP_ROWS:-100000}        # multiple of 500
PITR_ROWS=${BENCH_PITR_ROWS:-10000}      # multiple of 100, at most ROWS
HEAP=${BENCH_BACKUP_HEAP:-512m}          # -Xmx of the app: a flat-memory backup fits whatever the count

require_tools curl jq psql java jstat
build_app
SAMPLER=""
bench_on_exit() { [ -z "$SAMPLER" ] || kill "$SAMPLER" 2>/dev/null || true; }

log "starting the app (JVM flags: ${JAVA_OPTS:-(none)} -Xmx$HEAP) on port $PORT, database $DB"
start_app BASERDB_SCHEDULER_POLLING_INTERVAL=200ms -- "-Xmx$HEAP"

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

setup_project "Backup bench"
api POST /api/v1/tables "{\"project_id\":\"$PROJECT\",\"name\":\"items\",\"columns\":[
  {\"name\":\"title\",\"type\":\"VARCHAR(200)\",\"nullable\":false},{\"name\":\"body\",\"type\":\"TEXT\"},
  {\"name\":\"amount\",\"type\":\"INT\"},{\"name\":\"done\",\"type\":\"BOOLEAN\"}]}" "$AUTH" >/dev/null
DATA="/api/v1/data/$PROJECT"

log "inserting $ROWS rows in batches of 500"
start=$(now)
for ((i = 0; i < ROWS; i += 500)); do
    jq -c -n --argjson from "$i" '{rows: [range($from; $from + 500) as $n | {title: "row \($n)",
        body: "Every change is an event: this row was written through the data API by the backup benchmark.",
        amount: ($n % 1000), done: ($n % 2 == 0)}]}' >"$TMP/batch.json"
    api POST "$DATA/items/batch" "@$TMP/batch.json" "X-API-Key: $KEY" | jq -r '.data.rows[].id' >>"$TMP/ids.txt"
done
log "  loaded in $(secs "$start" "$(now)") s"
# a fresh access token: on a busy machine the load can outlast the first one
TOKEN=$(api POST /api/v1/auth/login "{\"email\":\"bench-$RUN@example.com\",\"password\":\"bench-password-$RUN\"}" \
    | jq -er .data.access_token)
AUTH="Authorization: Bearer $TOKEN"
EVENTS=$(psql -d "$DB" -tAc "SELECT count(*) FROM domainevententry WHERE convert_from(payload, 'UTF8')::jsonb ->> 'projectId' = '$PROJECT'")

# The audit trail is kept by an asynchronous processor: let it take the load's events first, so that
# its catching up does not share the 2 cores with what is measured.
quiesce() {
    local head
    head=$(psql -d "$DB" -tAc "SELECT coalesce(max(globalindex), 0) FROM domainevententry")
    for _ in $(seq 1 1200); do
        [ "$(psql -d "$DB" -tAc "SELECT coalesce(max(global_index), 0) >= $head FROM audit_entries")" = t ] && return
        sleep 0.5
    done
    log "the audit trail did not catch up with $head in 600 s; measuring anyway"
}
log "waiting for the audit trail to catch up"
quiesce

# ---------------------------------------------------------------- (1) backup, with heap sampling
jstat -gc "$APP_PID" 100 >"$TMP/jstat.txt" 2>/dev/null &
SAMPLER=$!
sleep 1
BASE_HEAP=$(awk 'NR > 1 { u = $3 + $4 + $6 + $8; if (!m || u < m) m = u } END { printf "%.0f", m / 1024 }' "$TMP/jstat.txt")
log "backup run of $EVENTS project events"
start=$(now)
RUN_ID=$(api POST /api/v1/backups/runs "{\"project_id\":\"$PROJECT\"}" "$AUTH" | jq -er .data.id)
while :; do
    api GET "/api/v1/backups/runs/$RUN_ID" "" "$AUTH" >"$TMP/run.json"
    status=$(jq -r .data.status "$TMP/run.json")
    [ "$status" = running ] || break
    sleep 0.2
done
[ "$status" = succeeded ] || die "the run $status: $(jq -c .data.error "$TMP/run.json")"
BACKUP_S=$(secs "$start" "$(now)")
RUN_S=$(jq -r '.data | [.started_at, .finished_at] | map(sub("\\.[0-9]+Z$"; "Z") | fromdateiso8601) | .[1] - .[0]' "$TMP/run.json")
kill "$SAMPLER" 2>/dev/null || true; SAMPLER=""
PEAK_HEAP=$(awk 'NR > 1 { u = $3 + $4 + $6 + $8; if (u > m) m = u } END { printf "%.0f", m / 1024 }' "$TMP/jstat.txt")
SIZE=$(jq -r .data.size_bytes "$TMP/run.json")
COUNT=$(jq -r .data.event_count "$TMP/run.json")
RAW=$(curl -sS -H "$AUTH" "$URL/api/v1/backups/runs/$RUN_ID/download" | gzip -dc | wc -c)

# ------------------------------------------------------------------------ (2) restore, new project
log "restore into a new project"
start=$(now)
RESTORED=$(api POST "/api/v1/backups/runs/$RUN_ID/restore" "{\"target\":\"new_project\",\"name\":\"Restored $RUN\"}" "$AUTH" \
    | jq -er .data.project_id)
while :; do
    restore=$(api GET "/api/v1/backups/runs/$RUN_ID" "" "$AUTH" | jq -r .data.restore_status)
    [ "$restore" = running ] || break
    sleep 0.5
done
[ "$restore" = succeeded ] || die "the restore $restore"
RESTORE_S=$(secs "$start" "$(now)")
SPLIT=$(grep -o 'Restored run [^ ]* into project [^ ]*: .*' "$TMP/app.log" | tail -n 1 | sed 's/^.*: //')
RESTORED_ROWS=$(api GET "/api/v1/data/$RESTORED/items/count" "" "$AUTH" | jq -r .data.count)

# ------------------------------------------------------------ (3) point-in-time restore in place
AS_OF=$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ)
sleep 0.01
log "changing $PITR_ROWS rows (transactions of 100 updates), then restoring as of $AS_OF"
head -n "$PITR_ROWS" "$TMP/ids.txt" | split -l 100 - "$TMP/chunk."
for chunk in "$TMP"/chunk.*; do
    jq -R -s -c 'split("\n") | map(select(length > 0)) | {operations: map({op: "update", table: "items", id: .,
        values: {amount: -1, title: "changed"}})}' "$chunk" >"$TMP/tx.json"
    api POST "$DATA/transaction" "@$TMP/tx.json" "X-API-Key: $KEY" >/dev/null
done
quiesce
start=$(now)
api POST "/api/v1/projects/$PROJECT/restore" "{\"as_of\":\"$AS_OF\"}" "$AUTH" >"$TMP/pitr.json"
PITR_S=$(secs "$start" "$(now)")
UPDATED=$(jq -r .data.restored.rows_updated "$TMP/pitr.json")
LEFT=$(api GET "$DATA/items/count?amount=eq.-1" "" "X-API-Key: $KEY" | jq -r .data.count)

mb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }
rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }'; }
echo "BaserDB backup benchmark ($(nproc) cores, app -Xmx$HEAP, $(date -u +%Y-%m-%dT%H:%MZ))"
echo
printf '%-52s %s\n' "project events (row events + schema)" "$EVENTS"
printf '%-52s %s s (request to succeeded; run itself %s s)\n' "backup run" "$BACKUP_S" "$RUN_S"
printf '%-52s %s events, %s MB gzip (%s MB of JSON lines)\n' "archive" "$COUNT" "$(mb "$SIZE")" "$(mb "$RAW")"
printf '%-52s %s MB/s gzip, %s MB/s JSON, %s events/s\n' "backup throughput" \
    "$(awk -v b="$SIZE" -v s="$BACKUP_S" 'BEGIN { printf "%.2f", b / 1048576 / s }')" \
    "$(awk -v b="$RAW" -v s="$BACKUP_S" 'BEGIN { printf "%.2f", b / 1048576 / s }')" "$(rate "$COUNT" "$BACKUP_S")"
printf '%-52s %s MB before, %s MB peak (heap used, jstat every 100 ms)\n' "heap during the backup" "$BASE_HEAP" "$PEAK_HEAP"
printf '%-52s %s s, %s events/s, %s rows in the new project\n' "restore into a new project" "$RESTORE_S" \
    "$(rate "$COUNT" "$RESTORE_S")" "$RESTORED_ROWS"
printf '%-52s %s\n' "restore's own split (app log)" "$SPLIT"
printf '%-52s %s s for %s changed rows (%s rows updated back; %s still changed)\n' "point-in-time restore in place" \
    "$PITR_S" "$PITR_ROWS" "$UPDATED" "$LEFT"
