#!/usr/bin/env bash
# BaserDB read-model replay speed (issue 10). See bench/README.md, "Replay".
#
# Starts the app on a fresh database with a platform admin, loads BENCH_REPLAY_ROWS rows (default
# 100,000, so as many RowInserted events) through the data API (batch endpoint, service key, batches
# of 500), waits until the asynchronous read models have caught up, then replays each read model
# one after the other through POST /api/v1/admin/projections/{name}/replay and polls
# GET /api/v1/admin/projections until it is complete (not replaying, no lag). Prints per read model
# the events in the store, seconds and events/s, the app's CPU seconds and the cores the rest of
# the machine kept busy meanwhile. Figures go to stdout, progress to stderr. The app is stopped and
# the database dropped on exit, however the script ends.
#
# Raw PostgreSQL, measured in the same run on the same data before the replays (one psql session,
# one transaction each): for the data plane, the loaded table's rows and versions written into new
# tables of the same shape (INSERT ... SELECT, the history's own indexes built afterwards, as a
# rebuild does); for the audit, the events and the trail read out (COPY ... TO STDOUT into
# /dev/null). Each replay is printed as a share of that rate: what the app adds to the part
# PostgreSQL cannot skip.
set -euo pipefail

BENCH_NAME=replay-bench BENCH_DB_PREFIX=baserdb_replay_bench
# shellcheck source=bench/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
ROWS=${BENCH_REPLAY_ROWS:-100000}        # multiple of 500
CLIENTS=${BENCH_LOAD_CLIENTS:-2}         # concurrent batch requests while loading
MODELS=${BENCH_REPLAY_MODELS:-}          # read models to replay (space-separated); default: every one
TARGET=${BENCH_REPLAY_TARGET:-50000}     # events/s the issue asks of the data plane and the audit
TIMEOUT=${BENCH_REPLAY_TIMEOUT:-1800}    # seconds one replay may take before the run gives up
EXTRA_TABLES=${BENCH_REPLAY_EXTRA_TABLES:-0}  # empty managed tables made besides the loaded one (a replay creates every table again)
PROFILE_DIR=${BENCH_PROFILE:-}           # set: a JFR recording of the app per replay, PROFILE_DIR/NAME-K.jfr (K: its place in the list)

require_tools curl jq psql java
build_app

machine_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9; exit }' /proc/stat; }
app_ticks() { awk '{ print $14 + $15 }' "/proc/$APP_PID/stat" 2>/dev/null || echo 0; }
# pg_ticks: CPU time (1/100 s) used so far by the PostgreSQL backends of the app's database (those alive now)
pg_ticks() {
    local pg=0 p v
    for p in $(psql -d postgres -tAc "SELECT pid FROM pg_stat_activity WHERE datname = '$DB'" 2>/dev/null); do
        v=$(awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null || echo 0)
        pg=$((pg + ${v:-0}))
    done
    echo "$pg"
}

ADMIN_EMAIL="replay-admin-$RUN@example.com"
ADMIN_PASSWORD="replay-admin-$RUN"
BUSY_BEFORE=$(busy_cores 3)
log "starting the app on port $PORT, database $DB, JVM flags: ${JAVA_OPTS:-(none)}; machine busy: $BUSY_BEFORE cores"
start_app BASERDB_ADMIN_EMAIL="$ADMIN_EMAIL" BASERDB_ADMIN_PASSWORD="$ADMIN_PASSWORD"
log "healthy after $APP_START_S s"

# ------------------------------------------------------------------------------------- load
setup_project Replay
api POST /api/v1/tables "{\"project_id\":\"$PROJECT\",\"name\":\"items\",\"columns\":[
  {\"name\":\"title\",\"type\":\"VARCHAR(200)\",\"nullable\":false},{\"name\":\"body\",\"type\":\"TEXT\"},
  {\"name\":\"amount\",\"type\":\"INT\"},{\"name\":\"done\",\"type\":\"BOOLEAN\"}]}" "$AUTH" >/dev/null
if [ "$EXTRA_TABLES" -gt 0 ]; then
    log "making $EXTRA_TABLES more tables (empty, three columns each, one unique)"
    for ((t = 0; t < EXTRA_TABLES; t++)); do
        api POST /api/v1/tables "{\"project_id\":\"$PROJECT\",\"name\":\"extra_$t\",\"columns\":[
          {\"name\":\"title\",\"type\":\"TEXT\"},{\"name\":\"code\",\"type\":\"VARCHAR(20)\",\"unique\":true},
          {\"name\":\"amount\",\"type\":\"INT\"}]}" "$AUTH" >/dev/null
        if (((t + 1) % 100 == 0)); then log "  $((t + 1)) tables"; fi
    done
fi
BATCHES=$((ROWS / 500))
log "loading $ROWS rows through the data API: $BATCHES batches of 500, $CLIENTS at a time"
load_client() {
    local b
    for ((b = $1; b < BATCHES; b += CLIENTS)); do
        jq -c -n --argjson from $((b * 500)) '{rows: [range($from; $from + 500) as $n | {title: "row \($n)",
            body: "Every change is an event: this row was written through the data API by the replay benchmark.",
            amount: ($n % 1000), done: ($n % 2 == 0)}]}' >"$TMP/batch.$1.json"
        api POST "/api/v1/data/$PROJECT/items/batch" "@$TMP/batch.$1.json" "X-API-Key: $KEY" >/dev/null
        if (((b + 1) % 40 == 0)); then log "  $(((b + 1) * 500)) rows"; fi
    done
}
load_start=$SECONDS
pids=()
for ((c = 0; c < CLIENTS && c < BATCHES; c++)); do load_client "$c" & pids+=($!); done
for pid in "${pids[@]}"; do wait "$pid" || die "a loading client failed"; done
LOAD_S=$((SECONDS - load_start))
log "loaded in $LOAD_S s ($(awk -v n="$ROWS" -v s="$LOAD_S" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }') rows/s)"

# the platform admin (made at start, once the app is up: well before this point)
ADMIN="Authorization: Bearer $(api POST /api/v1/auth/login \
    "{\"email\":\"$ADMIN_EMAIL\",\"password\":\"$ADMIN_PASSWORD\"}" | jq -er .data.access_token)"

# every read model as GET /admin/projections shows it; done NAME: not replaying and no lag
statuses() { api GET /api/v1/admin/projections "" "$ADMIN" >"$TMP/statuses.json"; }
field() { jq -r --arg n "$1" ".data[] | select(.name == \$n) | .$2" "$TMP/statuses.json"; }
# replay_status NAME: sets REPLAY_STATUS to NAME's entry of GET /api/v1/admin/projections, fetched
# with bash's /dev/tcp and read with bash's own pattern matching, so that the polls of a timed replay
# start no process: curl and jq cost 20-30 ms of CPU each, and three of them ten times a second took
# most of a core of the two from the replay being measured
replay_status() {
    local fd response
    exec {fd}<>"/dev/tcp/127.0.0.1/$PORT" || die "could not connect to the app on port $PORT"
    printf 'GET /api/v1/admin/projections HTTP/1.0\r\nHost: 127.0.0.1\r\n%s\r\n\r\n' "$ADMIN" >&"$fd"
    IFS= read -r -d '' response <&"$fd" || true
    exec {fd}>&-
    [[ $response == "HTTP/1.1 200"* ]] || die "GET /api/v1/admin/projections: ${response:0:600}"
    [[ $response =~ \{\"name\":\"$1\"[^}]*\} ]] || die "no read model $1 in: ${response:0:600}"
    REPLAY_STATUS=${BASH_REMATCH[0]}
}
done_replaying() {
    replay_status "$1"
    [[ $REPLAY_STATUS == *'"lag":0,'* && $REPLAY_STATUS == *'"replaying":false'* ]]
}

# stop_if_failed NAME: a failed inline rebuild rolls back and stops replaying; its status (last_error,
# from the last replay_status) or the app log says why, and the run stops with it
stop_if_failed() {
    [[ $REPLAY_STATUS != *'"last_error":"'* ]] || die "the replay of $1 failed: $REPLAY_STATUS"
    ! grep -q "Replay of read model $1 failed" "$TMP/app.log" || die "the replay of $1 failed (app log)"
}

log "waiting until every read model has caught up"
wait_start=$SECONDS
while :; do
    statuses
    [ "$(jq '[.data[] | select(.replaying or .lag > 0)] | length' "$TMP/statuses.json")" -gt 0 ] || break
    [ $((SECONDS - wait_start)) -lt "$TIMEOUT" ] || die "read models still behind after $TIMEOUT s: $(jq -c .data "$TMP/statuses.json")"
    sleep 1
done
log "caught up after $((SECONDS - wait_start)) s"
[ -n "$MODELS" ] || MODELS=$(jq -r '.data[].name' "$TMP/statuses.json" | tr '\n' ' ')
EVENTS=$(psql -d "$DB" -tAc "SELECT count(*) FROM domainevententry")
HEAD=$(jq -r '.data[0].head' "$TMP/statuses.json")

# ------------------------------------------------------------------------------------ raw PostgreSQL
# raw_seconds FILE: runs the SQL in FILE in one psql session with \timing, prints the seconds its
# statements took (the sum of psql's "Time:" lines: the server's work and the transfer, not psql's start)
raw_seconds() {
    { echo '\timing on'; cat "$1"; } | psql -X -q -v ON_ERROR_STOP=1 -d "$DB" -f - >"$TMP/raw.out" 2>&1 \
        || die "raw PostgreSQL reference failed: $(tail -5 "$TMP/raw.out")"
    awk '/^Time: / { ms += $2 } END { printf "%.2f", ms / 1000 }' "$TMP/raw.out"
}
read -r SRC_SCHEMA SRC_HISTORY < <(psql -d "$DB" -tAF ' ' -c "SELECT schema_name,
    'h_' || substr(id, strpos(id, '_') + 1) FROM table_versions WHERE name = 'items' AND valid_to IS NULL LIMIT 1")
[ -n "$SRC_HISTORY" ] || die "table items not found in table_versions"
SRC_ROWS=$(psql -d "$DB" -tAc "SELECT count(*) FROM \"$SRC_SCHEMA\".items")
# the history's indexes other than its key, made on the copy after the insert
HISTORY_INDEXES=$(psql -d "$DB" -tAc "SELECT string_agg(regexp_replace(indexdef, ' ON \\S+ USING ',
    ' ON bench_raw.history USING '), E';\n') || ';' FROM pg_indexes WHERE schemaname = '$SRC_SCHEMA'
    AND tablename = '$SRC_HISTORY' AND indexname <> '${SRC_HISTORY}_pkey'")
cat >"$TMP/raw-data-plane.sql" <<SQL
BEGIN;
CREATE SCHEMA bench_raw;
CREATE TABLE bench_raw.items (LIKE "$SRC_SCHEMA".items INCLUDING ALL);
CREATE TABLE bench_raw.history (LIKE "$SRC_SCHEMA"."$SRC_HISTORY" INCLUDING ALL EXCLUDING DEFAULTS EXCLUDING INDEXES);
ALTER TABLE bench_raw.history ADD PRIMARY KEY (version_id);
INSERT INTO bench_raw.items SELECT * FROM "$SRC_SCHEMA".items;
INSERT INTO bench_raw.history SELECT * FROM "$SRC_SCHEMA"."$SRC_HISTORY" ORDER BY version_id;
$HISTORY_INDEXES
COMMIT;
SQL
RAW_DATA_S=$(raw_seconds "$TMP/raw-data-plane.sql")
psql -d "$DB" -q -c "SET client_min_messages = warning" -c "DROP SCHEMA bench_raw CASCADE"
cat >"$TMP/raw-audit.sql" <<SQL
BEGIN;
\copy (SELECT globalindex, eventidentifier, aggregateidentifier, sequencenumber, type, timestamp, payloadtype, payloadrevision, payload, metadata FROM domainevententry ORDER BY globalindex) TO '/dev/null'
\copy (SELECT * FROM audit_entries ORDER BY sequence) TO '/dev/null'
COMMIT;
SQL
RAW_AUDIT_S=$(raw_seconds "$TMP/raw-audit.sql")
RAW_DATA_RATE=$(awk -v n="$SRC_ROWS" -v s="$RAW_DATA_S" 'BEGIN { printf "%.0f", n / s }')
RAW_AUDIT_RATE=$(awk -v n="$EVENTS" -v s="$RAW_AUDIT_S" 'BEGIN { printf "%.0f", n / s }')
log "raw PostgreSQL: $SRC_ROWS rows and their versions written in $RAW_DATA_S s ($RAW_DATA_RATE rows/s); $EVENTS events and the trail read in $RAW_AUDIT_S s ($RAW_AUDIT_RATE events/s)"

# ------------------------------------------------------------------------------------ replay
declare -A MODE SECS RATE CPU OTHER PERK
if [ -n "$PROFILE_DIR" ]; then mkdir -p "$PROFILE_DIR" && PROFILE_DIR=$(cd "$PROFILE_DIR" && pwd); fi
k=0
for name in $MODELS; do
    k=$((k + 1))
    if [ -n "$PROFILE_DIR" ]; then
        jcmd "$APP_PID" JFR.start name="$name" settings=profile >/dev/null || log "could not start a JFR recording"
    fi
    p0=$(pg_ticks) m0=$(machine_ticks) a0=$(app_ticks) t0=${EPOCHREALTIME/./}
    api POST "/api/v1/admin/projections/$name/replay" "" "$ADMIN" >"$TMP/replay.json"
    last_log=$SECONDS
    while :; do
        done_replaying "$name" && break
        stop_if_failed "$name"
        if [ $((SECONDS - last_log)) -ge 10 ]; then
            log "  $name: $REPLAY_STATUS"
            last_log=$SECONDS
        fi
        [ $(((${EPOCHREALTIME/./} - t0) / 1000000)) -lt "$TIMEOUT" ] || die "the replay of $name took more than $TIMEOUT s"
        sleep 0.05
    done
    t1=${EPOCHREALTIME/./}
    p1=$(pg_ticks)
    stop_if_failed "$name"
    MODE[$k]=$(jq -r .data.mode "$TMP/replay.json")
    if [ -n "$PROFILE_DIR" ]; then
        jcmd "$APP_PID" JFR.stop name="$name" filename="$PROFILE_DIR/$name-$k.jfr" >/dev/null \
            && log "JFR recording of the replay of $name: $PROFILE_DIR/$name-$k.jfr" || log "could not write the JFR recording"
    fi
    SECS[$k]=$(awk -v us=$((t1 - t0)) 'BEGIN { printf "%.2f", us / 1e6 }')
    RATE[$k]=$(awk -v n="$EVENTS" -v us=$((t1 - t0)) 'BEGIN { printf "%.0f", n / (us / 1e6) }')
    CPU[$k]=$(awk -v a=$(($(app_ticks) - a0)) 'BEGIN { printf "%.1f", a / 100 }')
    OTHER[$k]=$(awk -v m=$(($(machine_ticks) - m0)) -v a=$(($(app_ticks) - a0)) -v us=$((t1 - t0)) \
        'BEGIN { printf "%.2f", (m - a) / 100 / (us / 1e6) }')
    # CPU milliseconds per 1,000 events, app and PostgreSQL (backends of the app's database)
    PERK[$k]=$(awk -v n="$EVENTS" -v a=$(($(app_ticks) - a0)) -v p=$((p1 - p0)) \
        'BEGIN { printf "%.1f/%.1f", a * 10 * 1000 / n, p * 10 * 1000 / n }')
    log "replayed $name (${MODE[$k]}): $EVENTS events in ${SECS[$k]} s = ${RATE[$k]} events/s, app CPU ${CPU[$k]} s, CPU ms per 1,000 events app/PostgreSQL ${PERK[$k]}, rest of the machine ${OTHER[$k]} cores"
done

# ------------------------------------------------------------------------------------ report
echo "BaserDB read-model replay, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(psql -d postgres -tAc 'SHOW server_version' | cut -d' ' -f1)"
echo "JVM flags: ${JAVA_OPTS:-(none: the JVM defaults)}; app run as: $JAR_LAYOUT; machine busy before the run (3 s): $BUSY_BEFORE cores"
echo "event store: $EVENTS events (head $HEAD), $ROWS of them RowInserted, loaded in $LOAD_S s through the batch endpoint"
echo "replay: POST /api/v1/admin/projections/{name}/replay, then GET /api/v1/admin/projections every 0.05 s (no process started per poll) until not replaying and no lag"
echo "raw PostgreSQL (one psql session, one transaction, same data): data_plane: the $SRC_ROWS rows of items and their versions written into new tables of the same shape (INSERT ... SELECT, the history's indexes built after) in $RAW_DATA_S s = $RAW_DATA_RATE rows/s;"
echo "  audit: the $EVENTS events and the trail read out (COPY ... TO STDOUT) in $RAW_AUDIT_S s = $RAW_AUDIT_RATE events/s"
echo
printf '%-16s %-7s %10s %12s %8s %10s %16s %12s   %s\n' "read model" mode seconds "events/s" "of raw" "app CPU s" \
    "ms/1k app/PG" "rest cores" "target"
k=0
for name in $MODELS; do
    k=$((k + 1))
    target="-" raw=""
    if [ "$name" = data_plane ] || [ "$name" = audit ]; then
        met=$(awk -v r="${RATE[$k]}" -v t="$TARGET" 'BEGIN { print (r >= t ? "met" : "NOT MET") }')
        target=">= $TARGET events/s: $met"
        if [ "$name" = data_plane ]; then raw=$RAW_DATA_RATE; else raw=$RAW_AUDIT_RATE; fi
    fi
    share=-
    if [ -n "$raw" ] && [ "$raw" != 0 ]; then share=$(pct "${RATE[$k]}" "$raw"); fi
    printf '%-16s %-7s %10s %12s %8s %10s %16s %12s   %s\n' "$name" "${MODE[$k]}" "${SECS[$k]}" "${RATE[$k]}" \
        "$share" "${CPU[$k]}" "${PERK[$k]}" "${OTHER[$k]}" "$target"
done
