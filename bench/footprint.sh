#!/usr/bin/env bash
# BaserDB start time and memory footprint (issue 10). See bench/README.md, "Footprint".
#
# Starts the app BENCH_STARTS times (default 3): the first on a fresh database (Flyway migrations,
# database roles), the others on the same database again (a restart). For each: seconds from
# launching java to the first healthy GET /api/healthz, Spring's own "Started ... in" figure, the
# app's CPU seconds during the start and the cores the rest of the machine kept busy meanwhile.
# On the last start: resident memory (RSS) once the app is idle, then again after
# BENCH_FOOTPRINT_ROWS rows (default 50,000) were loaded through the data API in batches of 500
# and the app is idle again. Prints the JVM flags used (BENCH_JAVA_OPTS, default in common.sh).
# Figures go to stdout, progress to stderr. The app is stopped and the database dropped on exit.
set -euo pipefail

BENCH_NAME=footprint BENCH_DB_PREFIX=baserdb_footprint
# shellcheck source=bench/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
STARTS=${BENCH_STARTS:-3}
ROWS=${BENCH_FOOTPRINT_ROWS:-50000}      # multiple of 500
CLIENTS=${BENCH_LOAD_CLIENTS:-2}         # concurrent batch requests while loading

require_tools curl jq psql java
build_app

machine_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9; exit }' /proc/stat; }
app_ticks() { awk '{ print $14 + $15 }' "/proc/$APP_PID/stat" 2>/dev/null || echo 0; }
# idle: waits until the app used under 5 % of a core for 2 s in a row (60 s at most); prints the seconds
idle() {
    local start=$SECONDS quiet=0 a b
    a=$(app_ticks)
    while [ $((SECONDS - start)) -lt 60 ] && [ "$quiet" -lt 2 ]; do
        sleep 1
        b=$(app_ticks)
        if [ $((b - a)) -le 5 ]; then quiet=$((quiet + 1)); else quiet=0; fi
        a=$b
    done
    echo $((SECONDS - start))
}
heap_mb() { # "used committed" of the Java heap in MB (jstat), or "? ?" without a JDK
    command -v jstat >/dev/null 2>&1 || { echo "? ?"; return; }
    jstat -gc "$APP_PID" | awk 'NR == 2 { printf "%.0f %.0f", ($3 + $4 + $6 + $8) / 1024, ($1 + $2 + $5 + $7) / 1024 }'
}

BUSY_BEFORE=$(busy_cores 3)
log "JVM flags: ${JAVA_OPTS:-(none)}, layout $JAR_LAYOUT; machine busy before: $BUSY_BEFORE of $(nproc) cores"
starts=() springs=() app_cpus=() others=()
for ((s = 1; s <= STARTS; s++)); do
    m0=$(machine_ticks)
    t0=${EPOCHREALTIME/./}
    start_app
    t1=${EPOCHREALTIME/./}
    m1=$(machine_ticks)
    app_cpu=$(awk -v t="$(app_ticks)" 'BEGIN { printf "%.1f", t / 100 }')
    other=$(awk -v m=$((m1 - m0)) -v a="$(app_ticks)" -v us=$((t1 - t0)) 'BEGIN { printf "%.2f", (m - a) / 100 / (us / 1e6) }')
    spring=$(grep -o 'Started [A-Za-z]* in [0-9.]* seconds' "$TMP/app.log" | tail -n 1 | awk '{ print $4 }')
    starts+=("$APP_START_S") springs+=("${spring:-?}") app_cpus+=("$app_cpu") others+=("$other")
    kind=restart
    [ "$s" -gt 1 ] || kind="fresh database"
    log "start $s ($kind): healthy after $APP_START_S s (Spring: ${spring:-?} s), app CPU $app_cpu s, rest of the machine $other cores"
    [ "$s" -eq "$STARTS" ] || stop_app
done

idle_s=$(idle)
RSS_IDLE=$(rss_mb)
read -r HEAP_USED_IDLE HEAP_COMMITTED_IDLE <<<"$(heap_mb)"
log "idle after $idle_s s: RSS $RSS_IDLE MB, heap $HEAP_USED_IDLE MB used of $HEAP_COMMITTED_IDLE MB committed"

setup_project Footprint
api POST /api/v1/tables "{\"project_id\":\"$PROJECT\",\"name\":\"items\",\"columns\":[
  {\"name\":\"title\",\"type\":\"VARCHAR(200)\",\"nullable\":false},{\"name\":\"body\",\"type\":\"TEXT\"},
  {\"name\":\"amount\",\"type\":\"INT\"},{\"name\":\"done\",\"type\":\"BOOLEAN\"}]}" "$AUTH" >/dev/null
jq -c -n '{rows: [range(0; 500) as $n | {title: "row \($n)", amount: ($n % 1000), done: ($n % 2 == 0),
    body: "Every change is an event: this row was written through the data API by the footprint benchmark."}]}' \
    >"$TMP/batch.json"
BATCHES=$((ROWS / 500))
log "loading $ROWS rows: $BATCHES batches of 500, $CLIENTS at a time"
load_start=$SECONDS
m0=$(machine_ticks) a0=$(app_ticks) t0=${EPOCHREALTIME/./}
load_client() {
    local b
    for ((b = $1; b < BATCHES; b += CLIENTS)); do
        api POST "/api/v1/data/$PROJECT/items/batch" "@$TMP/batch.json" "X-API-Key: $KEY" >/dev/null
    done
}
pids=()
for ((c = 0; c < CLIENTS && c < BATCHES; c++)); do load_client "$c" & pids+=($!); done
for pid in "${pids[@]}"; do wait "$pid" || die "a loading client failed"; done
LOAD_OTHER=$(awk -v m=$(($(machine_ticks) - m0)) -v a=$(($(app_ticks) - a0)) -v us=$((${EPOCHREALTIME/./} - t0)) \
    'BEGIN { printf "%.2f", (m - a) / 100 / (us / 1e6) }')
LOAD_S=$((SECONDS - load_start))
RSS_PEAK=$(awk '/^VmHWM:/ { printf "%.0f", $2 / 1024 }' "/proc/$APP_PID/status")
idle_s=$(idle)
RSS_LOADED=$(rss_mb)
read -r HEAP_USED_LOADED HEAP_COMMITTED_LOADED <<<"$(heap_mb)"
log "loaded in $LOAD_S s; idle after $idle_s s more: RSS $RSS_LOADED MB (peak $RSS_PEAK MB), heap $HEAP_USED_LOADED MB used of $HEAP_COMMITTED_LOADED MB committed"

median() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { printf "%.2f", (a[int((NR + 1) / 2)] + a[int(NR / 2) + 1]) / 2 }'; }
RESTART_MEDIAN="-"
[ "$STARTS" -lt 2 ] || RESTART_MEDIAN=$(median "${starts[@]:1}")
verdict() { awk -v a="$1" -v b="$2" 'BEGIN { print (a != "-" && a < b ? "met" : "NOT MET") }'; }

echo "BaserDB footprint, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(java -version 2>&1 | head -n 1)"
echo "JVM flags: ${JAVA_OPTS:-(none: the JVM defaults)}; app run as: $JAR_LAYOUT (BENCH_JAR_LAYOUT)"
echo "machine busy before the run (3 s): $BUSY_BEFORE cores"
echo
for ((s = 0; s < STARTS; s++)); do
    kind=restart
    [ "$s" -gt 0 ] || kind="fresh database, migrations"
    printf '%-48s %6s s (Spring %s s), app CPU %s s, rest of the machine %s cores\n' \
        "start $((s + 1)) to healthy ($kind)" "${starts[$s]}" "${springs[$s]}" "${app_cpus[$s]}" "${others[$s]}"
done
printf '%-48s %6s s   target < 8 s: %s\n' "start to healthy, restart (median)" "$RESTART_MEDIAN" "$(verdict "$RESTART_MEDIAN" 8)"
printf '%-48s %6s s   target < 8 s: %s\n' "start to healthy, fresh database" "${starts[0]}" "$(verdict "${starts[0]}" 8)"
printf '%-48s %6s MB  target < 300 MB: %s (heap %s MB used, %s MB committed)\n' "idle RSS after start" "$RSS_IDLE" \
    "$(verdict "$RSS_IDLE" 300)" "$HEAP_USED_IDLE" "$HEAP_COMMITTED_IDLE"
printf '%-48s %6s MB  target < 500 MB: %s (heap %s MB used, %s MB committed; peak RSS %s MB)\n' \
    "idle RSS after $ROWS rows" "$RSS_LOADED" "$(verdict "$RSS_LOADED" 500)" "$HEAP_USED_LOADED" "$HEAP_COMMITTED_LOADED" "$RSS_PEAK"
printf '%-48s %6s s, rest of the machine %s cores\n' "loading $ROWS rows ($CLIENTS clients)" "$LOAD_S" "$LOAD_OTHER"
