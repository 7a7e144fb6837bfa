#!/usr/bin/env bash
# Speed of GET /api/v1/audit/verify (issue 8): how many audit entries per second verify checks —
# the hash chain, every entry against its event (re-derived from the event store), completeness up
# to the audit processor's position and the latest signed checkpoint. See bench/README.md.
#
# Starts the app on a fresh database and loads about BENCH_AUDIT_ENTRIES events, then waits until
# the app's own asynchronous audit processor has recorded every one (so every entry is made by the
# real projection from a real event), times verify over HTTP as the platform admin
# (BENCH_VERIFY_RUNS times, after one warm-up run) and prints entries/s. It reports; it exits
# non-zero only when it cannot measure. All load goes to 127.0.0.1; the app is stopped and the
# database dropped on exit (unless BENCH_KEEP_DATABASE is set), however the script ends.
#
# Loading (BENCH_LOAD):
#   sql (default)  one data-API batch of 500 rows makes 500 real RowInserted events; the rest are
#                  copies of the last of them inserted into Axon's event table in SQL, each with a
#                  new event id and aggregate id (the shape and payload of a real event). Minutes
#                  faster than the API on a shared 2-core machine; verify does the same work per entry.
#   api            every event through the API: data-API batches of 500 rows (slow: the batch
#                  route makes ~1,400 rows/s on an idle 2-core machine, far less when it is shared).
set -euo pipefail

BENCH_NAME=audit-bench BENCH_DB_PREFIX=baserdb_audit_bench
# shellcheck source=bench/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

ENTRIES=${BENCH_AUDIT_ENTRIES:-200000}   # rows inserted, so at least this many audit entries
CLIENTS=${BENCH_LOAD_CLIENTS:-2}         # concurrent batch requests while loading
RUNS=${BENCH_VERIFY_RUNS:-3}             # timed verify requests (after one warm-up request)
TARGET=${BENCH_VERIFY_TARGET:-100000}    # entries/s the issue asks for
LOAD=${BENCH_LOAD:-sql}                  # sql or api, see above
REPLAYS=${BENCH_REPLAY_RUNS:-1}          # timed replays of the audit read model after the verify runs (0: none)
REPLAY_TARGET=${BENCH_REPLAY_TARGET:-50000} # events/s the replay verdict compares the median with
PROFILE_DIR=${BENCH_PROFILE:-}           # set: a JFR recording of the app during the timed runs

require_tools jq curl psql java

# ---------------------------------------------------------------------------------------- build
build_app

ADMIN_EMAIL="audit-bench-admin-$RUN@example.com"
ADMIN_PASSWORD="audit-bench-admin-$RUN"

log "starting the app on port $PORT, database $DB, JVM flags: ${JAVA_OPTS:-(none)}"
start_app BASERDB_ADMIN_EMAIL="$ADMIN_EMAIL" BASERDB_ADMIN_PASSWORD="$ADMIN_PASSWORD"

sql() { psql -d "$DB" -tAc "$1"; }

# ------------------------------------------------------------------- account, project, table
setup_project Benchmark
COLUMNS='[{"name":"title","type":"VARCHAR(200)","nullable":false},{"name":"body","type":"TEXT"},
  {"name":"amount","type":"INT"},{"name":"done","type":"BOOLEAN"}]'
api POST /api/v1/tables "{\"project_id\":\"$PROJECT\",\"name\":\"audited\",\"columns\":$COLUMNS}" "$AUTH" >/dev/null

# ------------------------------------------------------------------------------ load the trail
jq -c -n '{rows: [range(0; 500) as $i | {title: "Audited row \($i)", amount: $i, done: ($i % 2 == 0),
    body: "Every change is an event, and every event has its audit entry."}]}' >"$TMP/batch.json"
load_start=$SECONDS
case "$LOAD" in
    api) BATCHES=$(((ENTRIES + 499) / 500)) ;;
    sql) BATCHES=1 ;;
    *) die "BENCH_LOAD must be sql or api, not $LOAD" ;;
esac
log "loading $((BATCHES * 500)) rows through the data API: $BATCHES batches of 500, $CLIENTS at a time"
load_client() {
    local client=$1 b
    for ((b = client; b < BATCHES; b += CLIENTS)); do
        api POST "/api/v1/data/$PROJECT/audited/batch" "@$TMP/batch.json" "X-API-Key: $KEY" >/dev/null
    done
}
pids=()
for ((c = 0; c < CLIENTS && c < BATCHES; c++)); do load_client "$c" & pids+=($!); done
for pid in "${pids[@]}"; do wait "$pid" || die "a loading client failed"; done
if [ "$LOAD" = sql ]; then
    copies=$((ENTRIES - 500))
    log "copying the last RowInserted event $copies times in SQL (new event and aggregate ids)"
    while [ "$copies" -gt 0 ]; do
        chunk=$((copies < 50000 ? copies : 50000))
        sql "INSERT INTO domainevententry (aggregateidentifier, sequencenumber, type, eventidentifier, metadata,
                payload, payloadrevision, payloadtype, timestamp)
             SELECT gen_random_uuid()::text, 0, e.type, gen_random_uuid()::text, e.metadata, e.payload,
                e.payloadrevision, e.payloadtype, e.timestamp
             FROM (SELECT * FROM domainevententry WHERE payloadtype LIKE '%RowInserted'
                   ORDER BY globalindex DESC LIMIT 1) e, generate_series(1, $chunk)" >/dev/null
        copies=$((copies - chunk))
    done
fi
events=$(sql "SELECT count(*) FROM domainevententry")
log "loaded in $((SECONDS - load_start)) s: $events events; waiting for the audit processor"
catch_start=$(date +%s.%N)
while true; do
    kill -0 "$APP_PID" 2>/dev/null || die "the app exited while the audit processor was catching up"
    entries=$(sql "SELECT count(*) FROM audit_entries")
    [ "$entries" -ge "$events" ] && break
    awk -v s="$catch_start" -v n="$(date +%s.%N)" 'BEGIN { exit !(n - s < 1800) }' \
        || die "the audit trail has $entries of $events entries after 30 min"
    sleep 0.5
done
catch_s=$(awk -v s="$catch_start" -v n="$(date +%s.%N)" 'BEGIN { printf "%.1f", n - s }')
log "audit trail complete after $catch_s s more: $entries entries"
ADMIN_TOKEN=$(api POST /api/v1/auth/login "{\"email\":\"$ADMIN_EMAIL\",\"password\":\"$ADMIN_PASSWORD\"}" \
    | jq -er .data.access_token)
# The other asynchronous processors (webhook outbox, realtime, ...) read the same events: wait until
# every one is at the head too, so the timed runs measure verify, not their catch-up beside it.
idle_start=$(date +%s.%N)
while true; do
    lagging=$(curl -sS --max-time 10 -H "Authorization: Bearer $ADMIN_TOKEN" "$URL/api/v1/admin/projections" \
        | jq -r '[.data[] | select(.replaying or .lag > 0) | .name] | join(",")') \
        || die "the projection status did not answer"
    [ -z "$lagging" ] && break
    awk -v s="$idle_start" -v n="$(date +%s.%N)" 'BEGIN { exit !(n - s < 1800) }' \
        || die "processors still behind after 30 min: $lagging"
    sleep 0.5
done
log "every processor at the head after $(awk -v s="$idle_start" -v n="$(date +%s.%N)" 'BEGIN { printf "%.1f", n - s }') s more"

# ------------------------------------------------------------------------------------ measure
# cpu_ticks: "APP PG": CPU time (1/100 s) used so far by the app and by the PostgreSQL backends of its database
cpu_ticks() {
    local app pg=0 p v
    app=$(awk '{ print $14 + $15 }' "/proc/$APP_PID/stat" 2>/dev/null || echo 0)
    for p in $(psql -d postgres -tAc "SELECT pid FROM pg_stat_activity WHERE datname = '$DB'" 2>/dev/null); do
        v=$(awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null || echo 0)
        pg=$((pg + ${v:-0}))
    done
    echo "$app $pg"
}
# verify_once: "SECONDS CHECKED VERIFIED" for one GET /audit/verify as the platform admin
verify_once() {
    local timing
    timing=$(curl -sS -o "$TMP/verify.json" -w '%{http_code} %{time_total}' --max-time 600 \
        -H "Authorization: Bearer $ADMIN_TOKEN" "$URL/api/v1/audit/verify") || die "verify: curl failed"
    [ "${timing%% *}" = 200 ] || die "verify answered ${timing%% *}: $(head -c 600 "$TMP/verify.json")"
    echo "${timing#* } $(jq -r .data.checked "$TMP/verify.json") $(jq -r .data.verified "$TMP/verify.json")"
}
read -r warm_s warm_checked warm_verified <<<"$(verify_once)"
if [ -n "$PROFILE_DIR" ]; then
    mkdir -p "$PROFILE_DIR" && PROFILE_DIR=$(cd "$PROFILE_DIR" && pwd)
    jcmd "$APP_PID" JFR.start name=verify settings=profile >/dev/null || log "could not start a JFR recording"
fi
log "warm-up verify: $warm_checked entries in $warm_s s, verified=$warm_verified"
[ "$warm_verified" = true ] || die "the untouched trail does not verify: $(cat "$TMP/verify.json")"
rates=()
cpu=()
busy_before=$(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9; exit }' /proc/stat)
wall_before=$SECONDS
for ((r = 1; r <= RUNS; r++)); do
    read -r app_before pg_before <<<"$(cpu_ticks)"
    read -r s checked verified <<<"$(verify_once)"
    read -r app_after pg_after <<<"$(cpu_ticks)"
    rate=$(awk -v n="$checked" -v s="$s" 'BEGIN { printf "%.0f", n / s }')
    rates+=("$rate")
    # CPU milliseconds per 1,000 entries, app and PostgreSQL
    cpu+=("$(awk -v n="$checked" -v a=$((app_after - app_before)) -v p=$((pg_after - pg_before)) \
        'BEGIN { printf "%.1f/%.1f", a * 10 * 1000 / n, p * 10 * 1000 / n }')")
    log "verify $r: $checked entries in $s s = $rate entries/s (verified=$verified); CPU ms per 1,000 entries app/PostgreSQL ${cpu[-1]}"
done
busy_after=$(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9; exit }' /proc/stat)
busy=$(awk -v a="$busy_before" -v b="$busy_after" -v s=$((SECONDS - wall_before)) \
    'BEGIN { printf "%.2f", (s > 0 ? (b - a) / 100 / s : 0) }')
# ------------------------------------------------------------------------- replay of the trail
# POST /admin/projections/audit/replay resets the audit processor's token: it reads every event
# again, derives its entry and compares it with the stored one (the table is append-only, so a
# replay of a complete trail writes nothing). Timed from the request until the admin API shows the
# audit read model no longer replaying, with no lag, at the head of the event store.
audit_status() {
    curl -sS --max-time 10 -H "Authorization: Bearer $ADMIN_TOKEN" "$URL/api/v1/admin/projections" \
        | jq -c '.data[] | select(.name == "audit") | {replaying, lag, position, head}'
}
replay_rates=()
replay_cpu=()
replay_busy=()
for ((r = 1; r <= REPLAYS; r++)); do
    before=$(sql "SELECT count(*) FROM audit_entries")
    read -r app_before pg_before <<<"$(cpu_ticks)"
    busy_before=$(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9; exit }' /proc/stat)
    start=$(date +%s.%N)
    api POST /api/v1/admin/projections/audit/replay "" "Authorization: Bearer $ADMIN_TOKEN" >/dev/null
    while true; do
        status=$(audit_status) || die "the projection status did not answer"
        if [ "$(jq -r '.replaying == false and .lag == 0 and .position >= .head' <<<"$status")" = true ]; then break; fi
        awk -v s="$start" -v n="$(date +%s.%N)" 'BEGIN { exit !(n - s < 1800) }' \
            || die "the audit replay had not finished after 30 min: $status"
        sleep 0.05
    done
    end=$(date +%s.%N)
    read -r app_after pg_after <<<"$(cpu_ticks)"
    busy_after=$(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9; exit }' /proc/stat)
    seconds=$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.2f", e - s }')
    rate=$(awk -v n="$events" -v s="$seconds" 'BEGIN { printf "%.0f", n / s }')
    replay_rates+=("$rate")
    replay_cpu+=("$(awk -v n="$events" -v a=$((app_after - app_before)) -v p=$((pg_after - pg_before)) \
        'BEGIN { printf "%.1f/%.1f", a * 10 * 1000 / n, p * 10 * 1000 / n }')")
    replay_busy+=("$(awk -v a="$busy_before" -v b="$busy_after" -v s="$seconds" \
        'BEGIN { printf "%.2f", (s > 0 ? (b - a) / 100 / s : 0) }')")
    after=$(sql "SELECT count(*) FROM audit_entries")
    [ "$after" = "$before" ] || die "the replay changed the number of audit entries: $before before, $after after"
    log "replay $r: $events events in $seconds s = $rate events/s; CPU ms per 1,000 events app/PostgreSQL ${replay_cpu[-1]}; busy ${replay_busy[-1]} cores"
done

if [ -n "$PROFILE_DIR" ]; then
    if jcmd "$APP_PID" JFR.stop name=verify filename="$PROFILE_DIR/verify.jfr" >/dev/null; then
        log "JFR recording of the timed verify runs and replays: $PROFILE_DIR/verify.jfr"
    else
        log "could not write the JFR recording"
    fi
fi
median=$(printf '%s\n' "${rates[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
best=$(printf '%s\n' "${rates[@]}" | sort -n | tail -n 1)
checkpoint=$(jq -c '.data.checkpoint | {position, signature_valid, matches_trail}' "$TMP/verify.json")
verdict=$(awk -v m="$median" -v t="$TARGET" 'BEGIN { print (m >= t ? "MET" : "NOT MET") }')

printf '\nBaserDB audit verify benchmark, %s, %s cores, %s\n' "$(date -u +%Y-%m-%dT%H:%MZ)" "$(nproc)" \
    "$(psql -d postgres -tAc 'select version()' | cut -d, -f1)"
printf 'trail: %s entries (%s events, loaded with BENCH_LOAD=%s); last checkpoint %s\n' "$entries" "$events" "$LOAD" \
    "$checkpoint"
printf 'GET /api/v1/audit/verify over HTTP, platform admin, whole trail, %s timed runs after one warm-up\n' "$RUNS"
printf 'entries/s: median %s, best %s (runs: %s); target >= %s entries/s: %s\n' \
    "$median" "$best" "${rates[*]}" "$TARGET" "$verdict"
printf 'CPU ms per 1,000 entries, app/PostgreSQL, per run: %s; the machine kept %s of %s cores busy meanwhile\n' \
    "${cpu[*]}" "$busy" "$(nproc)"
printf 'live catch-up of the audit processor after loading: %s entries in %s s = %s entries/s\n' "$entries" "$catch_s" \
    "$(awk -v n="$entries" -v s="$catch_s" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }')"
if [ "${#replay_rates[@]}" -gt 0 ]; then
    replay_median=$(printf '%s\n' "${replay_rates[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
    printf 'POST /admin/projections/audit/replay until caught up: events/s median %s (runs: %s); target >= %s events/s: %s\n' \
        "$replay_median" "${replay_rates[*]}" "$REPLAY_TARGET" \
        "$(awk -v m="$replay_median" -v t="$REPLAY_TARGET" 'BEGIN { print (m >= t ? "MET" : "NOT MET") }')"
    printf 'replay CPU ms per 1,000 events, app/PostgreSQL, per run: %s; cores busy per run: %s of %s\n' \
        "${replay_cpu[*]}" "${replay_busy[*]}" "$(nproc)"
fi
