#!/usr/bin/env bash
# BaserDB data-API benchmark against the raw PostgreSQL ceiling (issue 5). See bench/README.md.
#
# Builds the app if needed, starts it on a fresh database, sets up an account, organization,
# project and tables through the API, measures with wrk (load on 127.0.0.1 only, each run bounded
# in time) and pgbench, and prints a table of figures, ratios and targets (met / not met). It
# reports; it exits non-zero only when it cannot measure at all. The app is stopped and both
# databases are dropped on exit, however the script ends.
set -euo pipefail

BENCH_NAME=bench BENCH_DB_PREFIX=baserdb_bench
# shellcheck source=bench/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

DURATION=${BENCH_DURATION:-15}           # seconds per insert / batch / read figure
ASOF_DURATION=${BENCH_ASOF_DURATION:-10} # seconds per as_of figure
WARMUP=${BENCH_WARMUP:-5}                # seconds of each shape in a warm-up round (not reported)
WARMUP_ROUNDS=${BENCH_WARMUP_ROUNDS:-6}  # at most this many rounds, until the JIT compiler is quiet
RAW_DURATION=${BENCH_RAW_DURATION:-10}   # seconds per pgbench figure
HISTORY_ROWS=${BENCH_HISTORY_ROWS:-20000}     # rows of the as_of table (multiple of 500)
HISTORY_UPDATES=${BENCH_HISTORY_UPDATES:-4}   # update rounds: versions = rows x (1 + updates)
INSERT_CLIENTS=${BENCH_INSERT_CLIENTS:-"1 4 16"}
BATCH_CLIENTS=${BENCH_BATCH_CLIENTS:-"1 4"}
READ_CLIENTS=${BENCH_READ_CLIENTS:-16}
PROFILE_DIR=${BENCH_PROFILE:-}            # set: a JFR recording of the app per measured figure

QUIET=""                                 # set during the warm-up: figures are not logged
note() { [ -n "$QUIET" ] || log "$@"; }

# ---------------------------------------------------------------------------------------- tools
missing=()
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
command -v jq >/dev/null 2>&1 || missing+=(jq)
command -v curl >/dev/null 2>&1 || missing+=(curl)
if ((${#missing[@]})); then
    log "installing ${missing[*]} with apt-get"
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
require_tools wrk jq curl psql pgbench java

# ---------------------------------------------------------------------------------------- build
build_app
if [ -n "$PROFILE_DIR" ]; then
    mkdir -p "$PROFILE_DIR" && PROFILE_DIR=$(cd "$PROFILE_DIR" && pwd)
    command -v jcmd >/dev/null 2>&1 || die "BENCH_PROFILE needs jcmd (a JDK)"
fi

# ---------------------------------------------------------------------------- run and clean up
RAW_DB="baserdb_bench_raw_$RUN"
BENCH_DATABASES+=("$RAW_DB")

declare -A R   # every figure, by name
R[busy.start]=$(busy_cores 3)
if awk -v c="${R[busy.start]}" 'BEGIN { exit !(c > 0.3) }'; then
    log "WARNING: before the run the machine already keeps ${R[busy.start]} of $(nproc) cores busy: other work will lower the figures"
fi

# cpu_ticks: "APP PG BUSY MICROS": CPU time (1/100 s) used so far by the app, by the PostgreSQL
# backends serving it and by the whole machine (busy time of all cores), and the wall clock
cpu_ticks() {
    local pids app=0 pg=0 p v busy
    [ -z "$APP_PID" ] || app=$(awk '{ print $14 + $15 }' "/proc/$APP_PID/stat" 2>/dev/null || echo 0)
    pids=$(psql -d postgres -tAc "SELECT pid FROM pg_stat_activity WHERE datname = '$DB'" 2>/dev/null || true)
    for p in $pids; do
        v=$(awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null)
        pg=$((pg + ${v:-0}))
    done
    busy=$(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9; exit }' /proc/stat)
    echo "$app $pg $busy ${EPOCHREALTIME/./}"
}
# settle NAME AFTER: waits until the app is idle again (under 10 % of a core for a second, at most
# 300 s): asynchronous event processors (the audit trail) may still be working through the events
# of the figure before. Sets R[NAME.settle_s] and the CPU per request spent in that catch-up,
# R[NAME.catchup_app_ms] and R[NAME.catchup_pg_ms] (AFTER: cpu_ticks at the end of the figure).
settle() {
    local name=$1 after=$2 start=$SECONDS prev cur now
    prev=$(cpu_ticks)
    while [ $((SECONDS - start)) -lt 300 ]; do
        sleep 1
        cur=$(cpu_ticks)
        [ $((${cur%% *} - ${prev%% *})) -gt 10 ] || break
        prev=$cur
    done
    now=$(cpu_ticks)
    R[$name.settle_s]=$((SECONDS - start))
    R[$name.catchup_app_ms]=$(awk -v b="$after" -v a="$now" -v n="${R[$name.ok]}" \
        'BEGIN { split(b, x, " "); split(a, y, " "); printf "%.2f", n ? (y[1] - x[1]) * 10 / n : 0 }')
    R[$name.catchup_pg_ms]=$(awk -v b="$after" -v a="$now" -v n="${R[$name.ok]}" \
        'BEGIN { split(b, x, " "); split(a, y, " "); printf "%.2f", n ? (y[2] - x[2]) * 10 / n : 0 }')
    if [ "${R[$name.settle_s]}" -gt 2 ]; then
        note "  the app kept working ${R[$name.settle_s]} s after $name (catch-up CPU per request:" \
            "app ${R[$name.catchup_app_ms]} ms, PostgreSQL ${R[$name.catchup_pg_ms]} ms)"
    fi
}
# profile_start NAME / profile_stop NAME: with BENCH_PROFILE set, a JFR recording (settings=profile)
# of the app during one figure, written to $BENCH_PROFILE/NAME.jfr
# and the app's CPU per thread group (JIT, GC, request threads, event processors) in NAME.threads
thread_ticks() {
    local t
    for t in /proc/"$APP_PID"/task/*; do
        printf '%s\t%s\t%s\n' "${t##*/}" "$(tr ' ' '_' <"$t/comm")" "$(sed 's/.*) //' "$t/stat" | awk '{ print $12 + $13 }')"
    done 2>/dev/null
}
profile_start() {
    [ -n "$PROFILE_DIR" ] || return 0
    thread_ticks >"$TMP/threads_$1"
    jcmd "$APP_PID" JFR.start name="$1" settings=profile >/dev/null
}
profile_stop() {
    [ -n "$PROFILE_DIR" ] || return 0
    jcmd "$APP_PID" JFR.stop name="$1" filename="$PROFILE_DIR/$1.jfr" >/dev/null
    thread_ticks | awk -F'\t' -v before="$TMP/threads_$1" '
        BEGIN { while ((getline line < before) > 0) { split(line, f, "\t"); b[f[1]] = f[3] } }
        { name = $2; gsub(/[0-9]+/, "N", name); cpu[name] += $3 - (($1 in b) ? b[$1] : 0) }
        END { for (n in cpu) if (cpu[n] > 0) printf "%8.2f s  %s\n", cpu[n] / 100, n }' | sort -rn >"$PROFILE_DIR/$1.threads"
}
# jit_ticks: CPU time (1/100 s) used so far by the app's JIT compiler threads
jit_ticks() {
    local t v sum=0
    for t in /proc/"$APP_PID"/task/*; do
        case "$(cat "$t/comm" 2>/dev/null)" in
            C1\ Compiler*|C2\ Compiler*)
                v=$(sed 's/.*) //' "$t/stat" 2>/dev/null | awk '{ print $12 + $13 }')
                sum=$((sum + ${v:-0})) ;;
        esac
    done
    echo "$sum"
}
# gc_figure NAME: the app's collections during the figure (since R[NAME.gc_mark]): R[NAME.gc_young],
# R[NAME.gc_young_ms] (their pauses in all), R[NAME.gc_full], R[NAME.gc_full_max_ms] (the longest)
gc_figure() {
    local name=$1
    read -r _ R[$name.gc_young] R[$name.gc_young_ms] _ R[$name.gc_full] R[$name.gc_full_max_ms] \
        <<<"$(gc_since "${R[$name.gc_mark]}")"
}

# cpu_per_request NAME BEFORE AFTER: R[NAME.app_cpu_ms], R[NAME.pg_cpu_ms], CPU per successful request
cpu_per_request() {
    local name=$1 before=$2 after=$3
    R[$name.app_cpu_ms]=$(awk -v b="$before" -v a="$after" -v n="${R[$name.ok]}" \
        'BEGIN { split(b, x, " "); split(a, y, " "); printf "%.2f", n ? (y[1] - x[1]) * 10 / n : 0 }')
    R[$name.pg_cpu_ms]=$(awk -v b="$before" -v a="$after" -v n="${R[$name.ok]}" \
        'BEGIN { split(b, x, " "); split(a, y, " "); printf "%.2f", n ? (y[2] - x[2]) * 10 / n : 0 }')
    # cores used by everything else on the machine: the load generator and any other work
    R[$name.other_cores]=$(awk -v b="$before" -v a="$after" 'BEGIN { split(b, x, " "); split(a, y, " ");
        t = (y[4] - x[4]) / 1e6; o = ((y[3] - x[3]) - (y[1] - x[1]) - (y[2] - x[2])) / 100;
        printf "%.2f", (t > 0 ? o / t : 0) }')
}

# ----------------------------------------------------------------------- raw PostgreSQL shapes
# The same table as Axon's event store (domainevententry): BIGSERIAL key and two unique indexes,
# so three indexes, and a row of about 560 bytes (measured and printed).
psql -q -d postgres -c "CREATE DATABASE \"$RAW_DB\"" >/dev/null
psql -q -d "$RAW_DB" -v ON_ERROR_STOP=1 >/dev/null <<'SQL'
CREATE TABLE raw_event (
    globalIndex         BIGSERIAL    NOT NULL,
    aggregateIdentifier VARCHAR(255) NOT NULL,
    sequenceNumber      BIGINT       NOT NULL,
    type                VARCHAR(255),
    eventIdentifier     VARCHAR(255) NOT NULL,
    metaData            BYTEA,
    payload             BYTEA        NOT NULL,
    payloadRevision     VARCHAR(255),
    payloadType         VARCHAR(255) NOT NULL,
    timeStamp           VARCHAR(255) NOT NULL,
    PRIMARY KEY (globalIndex),
    UNIQUE (aggregateIdentifier, sequenceNumber),
    UNIQUE (eventIdentifier)
);
SQL
RAW_VALUES="gen_random_uuid()::text, 0, 'Row', gen_random_uuid()::text, convert_to(repeat('m', 150), 'UTF8'),
  convert_to(repeat('p', 200), 'UTF8'), 'dev.baserdb.kernel.data.RowEvents\$RowInserted', now()::text"
RAW_COLUMNS="aggregateIdentifier, sequenceNumber, type, eventIdentifier, metaData, payload, payloadType, timeStamp"
echo "INSERT INTO raw_event ($RAW_COLUMNS) VALUES ($RAW_VALUES);" >"$TMP/one.sql"
echo "INSERT INTO raw_event ($RAW_COLUMNS) SELECT $RAW_VALUES FROM generate_series(1, 100);" >"$TMP/hundred.sql"

# run_pgbench NAME SCRIPT CLIENTS SECONDS: R[NAME.tps], R[NAME.latency_ms]
run_pgbench() {
    local name=$1 script=$2 clients=$3 seconds=$4 out
    local threads=$((clients < 2 ? 1 : 2))
    out=$(pgbench -n -M prepared -c "$clients" -j "$threads" -T "$seconds" -f "$script" "$RAW_DB" 2>&1) \
        || die "pgbench $name: $out"
    R[$name.tps]=$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' <<<"$out")
    R[$name.latency_ms]=$(sed -n 's/^latency average = \([0-9.]*\) ms/\1/p' <<<"$out")
    [ -n "${R[$name.tps]}" ] || die "pgbench $name printed no tps: $out"
    log "raw $name: ${R[$name.tps]} tx/s"
}

# us_ms MICROSECONDS: milliseconds with two decimals, or - when the figure has none (run_loop keeps no mean)
us_ms() { if [ -n "$1" ]; then awk -v us="$1" 'BEGIN { printf "%.2f", us / 1000 }'; else echo -; fi; }

# run_wrk NAME MODE CLIENTS SECONDS BASE [VAR=value ...]: R[NAME.rate] (successful requests/s),
# R[NAME.p50_ms], R[NAME.p99_ms], R[NAME.errors], ...
run_wrk() {
    local name=$1 mode=$2 clients=$3 seconds=$4 base=$5 out line kv
    shift 5
    local threads=$((clients < 2 ? 1 : 2)) before after jit
    before=$(cpu_ticks)
    jit=$(jit_ticks)
    profile_start "$name"
    R[$name.gc_mark]=$(gc_mark)
    out=$(env BENCH_MODE="$mode" BENCH_KEY="$KEY" BENCH_BASE="$base" "$@" \
        wrk -t"$threads" -c"$clients" -d"${seconds}s" --timeout 30s -s "$BENCH_DIR/wrk.lua" "$URL" 2>&1) \
        || die "wrk $name: $out"
    after=$(cpu_ticks)
    R[$name.jit_s]=$(awk -v t=$(($(jit_ticks) - jit)) 'BEGIN { printf "%.1f", t / 100 }')
    profile_stop "$name"
    gc_figure "$name"
    line=$(grep '^RESULT ' <<<"$out") || die "wrk $name printed no result: $out"
    for kv in ${line#RESULT }; do
        R[$name.${kv%%=*}]=${kv#*=}
    done
    R[$name.ok]=$((${R[$name.requests]} - ${R[$name.status_errors]}))
    R[$name.errors]=$((${R[$name.status_errors]} + ${R[$name.socket_errors]}))
    R[$name.rate]=$(awk -v n="${R[$name.ok]}" -v us="${R[$name.duration_us]}" 'BEGIN { printf "%.1f", n / (us / 1e6) }')
    R[$name.p50_ms]=$(us_ms "${R[$name.p50_us]}")
    R[$name.p99_ms]=$(us_ms "${R[$name.p99_us]}")
    cpu_per_request "$name" "$before" "$after"
    if [ "${R[$name.errors]}" -gt 0 ]; then
        note "WARNING: $name had ${R[$name.errors]} failed requests (not counted in its rate)"
    fi
    note "app $name: ${R[$name.rate]} requests/s, p50 ${R[$name.p50_ms]} ms, p99 ${R[$name.p99_ms]} ms," \
        "CPU per request: app ${R[$name.app_cpu_ms]} ms, PostgreSQL ${R[$name.pg_cpu_ms]} ms; rest of the machine ${R[$name.other_cores]} cores"
    settle "$name" "$after"
}

# run_loop NAME CLIENTS SECONDS PATH BODYFILE: each client POSTs the body with curl, one request
# after the other, until SECONDS have passed, and finishes the request it is in; so every request
# started is counted (wrk would drop the ones in flight at the end, which matters for requests
# that take a second). Sets R[NAME.rate] (successful requests/s), p50/p99 and errors like run_wrk.
run_loop() {
    local name=$1 clients=$2 seconds=$3 path=$4 body=$5 i pids=() start end before jit
    local dir="$TMP/loop_$name"
    rm -rf "$dir"
    mkdir -p "$dir"
    before=$(cpu_ticks)
    jit=$(jit_ticks)
    profile_start "$name"
    R[$name.gc_mark]=$(gc_mark)
    start=${EPOCHREALTIME/./}
    local deadline=$((start + seconds * 1000000))
    for i in $(seq 1 "$clients"); do
        (
            while [ "${EPOCHREALTIME/./}" -lt "$deadline" ]; do
                curl -s -o /dev/null -w '%{http_code} %{time_total}\n' --max-time 120 -X POST "$URL$path" \
                    -H 'Content-Type: application/json' -H "X-API-Key: $KEY" --data-binary "@$body" >>"$dir/$i.txt" \
                    || echo "000 0" >>"$dir/$i.txt"
            done
        ) &
        pids+=($!)
    done
    for i in "${pids[@]}"; do wait "$i"; done
    end=${EPOCHREALTIME/./}
    local after
    after=$(cpu_ticks)
    R[$name.jit_s]=$(awk -v t=$(($(jit_ticks) - jit)) 'BEGIN { printf "%.1f", t / 100 }')
    profile_stop "$name"
    gc_figure "$name"
    cat "$dir"/*.txt >"$dir/all"
    R[$name.requests]=$(wc -l <"$dir/all")
    R[$name.ok]=$(awk '$1 ~ /^2/' "$dir/all" | wc -l)
    R[$name.errors]=$((${R[$name.requests]} - ${R[$name.ok]}))
    R[$name.rate]=$(awk -v n="${R[$name.ok]}" -v us="$((end - start))" 'BEGIN { printf "%.2f", n / (us / 1e6) }')
    awk '$1 ~ /^2/ { print $2 * 1000 }' "$dir/all" | sort -n >"$dir/ms"
    R[$name.p50_ms]=$(awk '{ v[NR] = $1 } END { i = int(NR * 0.50); if (i < NR * 0.50) i++; printf "%.2f", NR ? v[i] : 0 }' "$dir/ms")
    R[$name.p99_ms]=$(awk '{ v[NR] = $1 } END { i = int(NR * 0.99); if (i < NR * 0.99) i++; printf "%.2f", NR ? v[i] : 0 }' "$dir/ms")
    cpu_per_request "$name" "$before" "$after"
    if [ "${R[$name.errors]}" -gt 0 ]; then
        note "WARNING: $name had ${R[$name.errors]} failed requests (not counted in its rate)"
    fi
    note "app $name: ${R[$name.rate]} requests/s, p50 ${R[$name.p50_ms]} ms, p99 ${R[$name.p99_ms]} ms" \
        "(${R[$name.ok]} requests), CPU per request: app ${R[$name.app_cpu_ms]} ms, PostgreSQL ${R[$name.pg_cpu_ms]} ms;" \
        "rest of the machine ${R[$name.other_cores]} cores"
    settle "$name" "$after"
}

# --------------------------------------------------------------------------------- the app
log "starting the app on port $PORT, database $DB, JVM flags: ${JAVA_OPTS:-(none)}"
start_app
log "app healthy after $APP_START_S s: $(curl -s "$URL/api/healthz")"

# ------------------------------------------------------------------- account, project, tables
setup_project Benchmark
COLUMNS='[{"name":"title","type":"VARCHAR(200)","nullable":false},{"name":"body","type":"TEXT"},
  {"name":"category","type":"VARCHAR(20)"},{"name":"amount","type":"INT"},{"name":"price","type":"DECIMAL(10,2)"},
  {"name":"done","type":"BOOLEAN"}]'
for table in bench_insert bench_batch bench_read bench_history; do
    table_id=$(api POST /api/v1/tables "{\"project_id\":\"$PROJECT\",\"name\":\"$table\",\"columns\":$COLUMNS}" "$AUTH" \
        | jq -er .data.id)
    case "$table" in
        # the two filtered tables get an index on what the filtered list asks (category = x, amount >= y,
        # ordered by amount), as a user who filters on them would make; the history gets it too (as_of)
        bench_read | bench_history)
            api POST "/api/v1/tables/$table_id/indexes" '{"columns":["category","amount"]}' "$AUTH" >/dev/null ;;
    esac
done
DATA="/api/v1/data/$PROJECT"
log "project $PROJECT with tables bench_insert, bench_batch, bench_read, bench_history (the last two indexed on category, amount)"

# One row: about 200 bytes of JSON, six columns of five types.
ROW='{"title":"Benchmark row","body":"Every change is an event: this row was written through the data API of BaserDB by the benchmark, one of many alike.","category":"c3","amount":421,"price":12.5,"done":false}'
echo "$ROW" >"$TMP/row.json"
# rows_json FROM COUNT PREFIX: {"rows":[...]} with amounts and categories spread over the rows
rows_json() {
    jq -c -n --argjson row "$ROW" --argjson from "$1" --argjson n "$2" --arg prefix "$3" \
        '{rows: [range($from; $from + $n) as $i | $row + {title: "\($prefix) \($i)", amount: ($i % 1000),
          category: "c\($i % 10)", price: (($i % 5000) / 4), done: ($i % 2 == 0)}]}'
}
rows_json 0 500 batch >"$TMP/batch.json"

# the 1,000-row table for reads
: >"$TMP/read_ids.txt"
for from in 0 500; do
    rows_json "$from" 500 read >"$TMP/read_rows.json"
    api POST "$DATA/bench_read/batch" "@$TMP/read_rows.json" "X-API-Key: $KEY" | jq -r '.data.rows[].id' >>"$TMP/read_ids.txt"
done
[ "$(wc -l <"$TMP/read_ids.txt")" -eq 1000 ] || die "bench_read does not have 1,000 rows"
api GET "$DATA/bench_read/$(head -n 1 "$TMP/read_ids.txt")" "" "X-API-Key: $KEY" >/dev/null
[ "$(api GET "$DATA/bench_read?category=eq.c3&amount=gte.100&order=amount.asc&limit=20" "" "X-API-Key: $KEY" \
    | jq '.data | length')" -eq 20 ] || die "the filtered list of bench_read does not answer 20 rows"

# ----------------------------------------------------------------------------------- warm-up
# Rounds of every shape (single inserts at 1 and 4 clients, batches, GET, list) until the JIT
# compiler used less than 10 % of a round's time, at most BENCH_WARMUP_ROUNDS rounds: the
# compiler otherwise takes a core away from the first figures.
log "warming up the app (rounds of ${WARMUP} s per shape, not reported)"
warm_inserted=0 warm_batched=0
QUIET=1
for round in $(seq 1 "$WARMUP_ROUNDS"); do
    round_start=$SECONDS
    round_jit=$(jit_ticks)
    run_wrk warmup_insert1 insert 1 "$WARMUP" "$DATA/bench_insert" BENCH_BODY="$TMP/row.json"
    run_wrk warmup_insert insert 4 "$WARMUP" "$DATA/bench_insert" BENCH_BODY="$TMP/row.json"
    run_loop warmup_batch 2 "$WARMUP" "$DATA/bench_batch/batch" "$TMP/batch.json"
    run_wrk warmup_get get 16 "$WARMUP" "$DATA/bench_read" BENCH_IDS="$TMP/read_ids.txt"
    run_wrk warmup_list list 16 "$WARMUP" "$DATA/bench_read"
    warm_inserted=$((warm_inserted + ${R[warmup_insert1.ok]} + ${R[warmup_insert.ok]}))
    warm_batched=$((warm_batched + ${R[warmup_batch.ok]} * 500))
    jit_share=$(awk -v t=$(($(jit_ticks) - round_jit)) -v s=$((SECONDS - round_start)) 'BEGIN { printf "%.0f", t / s }')
    log "  warm-up round $round: JIT compiler busy $jit_share % of the round; inserts ${R[warmup_insert.rate]}/s at 4 clients, GET ${R[warmup_get.rate]}/s"
    [ "$jit_share" -ge 10 ] || break
done
QUIET=""
R[warmup.rounds]=$round
R[warmup.jit_share]=$jit_share

# --------------------------------------------------------- (1) single-row inserts vs raw ceiling
for c in $INSERT_CLIENTS; do
    run_pgbench "raw_one_c$c" "$TMP/one.sql" "$c" "$RAW_DURATION"
    run_wrk "insert_c$c" insert "$c" "$DURATION" "$DATA/bench_insert" BENCH_BODY="$TMP/row.json"
done

# ------------------------------------------------------------ (2) batches of 500 vs 100 rows/tx
for c in $BATCH_CLIENTS; do
    run_pgbench "raw_hundred_c$c" "$TMP/hundred.sql" "$c" "$RAW_DURATION"
    run_loop "batch_c$c" "$c" "$DURATION" "$DATA/bench_batch/batch" "$TMP/batch.json"
done

# analyze_db: table statistics for the planner, as autovacuum gathers them in production. A
# PostgreSQL with autovacuum off (this machine's CI configuration) never gathers them, and the
# planner then guesses, e.g. that a filtered as_of list matches a handful of versions.
analyze_db() {
    if [ "$(psql -d "$DB" -tAc 'SHOW autovacuum')" = off ]; then
        log "autovacuum is off on this server: ANALYZE of $DB, as autovacuum would have done"
        psql -d "$DB" -qc ANALYZE || die "ANALYZE failed"
    fi
}

# ------------------------------------------------------------------------------- (3) reads
analyze_db
run_wrk get get "$READ_CLIENTS" "$DURATION" "$DATA/bench_read" BENCH_IDS="$TMP/read_ids.txt"
run_wrk list list "$READ_CLIENTS" "$DURATION" "$DATA/bench_read"

# -------------------------------------------------- (4) as_of on a table with 100,000 versions
# post_all DIR PATH: POSTs every DIR/*.json to PATH, four at a time; any non-2xx answer stops the run
post_all() {
    local dir=$1 path=$2
    export URL KEY
    find "$dir" -name '*.json' -print0 | sort -z | xargs -0 -P 4 -I{} sh -c '
        code=$(curl -sS -o "$1.out" -w "%{http_code}" -X POST "$URL$2" -H "Content-Type: application/json" \
            -H "X-API-Key: $KEY" --data-binary "@$1") || exit 255
        case "$code" in 2*) ;; *) echo "POST $2 answered $code: $(head -c 400 "$1.out")" >&2; exit 255 ;; esac
    ' _ {} "$path" || die "building bench_history failed"
}
HISTORY_BATCHES=$((HISTORY_ROWS / 500))
VERSIONS=$((HISTORY_BATCHES * 500 * (1 + HISTORY_UPDATES)))
log "building bench_history: $((HISTORY_BATCHES * 500)) rows x $((1 + HISTORY_UPDATES)) versions = $VERSIONS"
build_start=$(date +%s.%N)
history_before=$(cpu_ticks)
mkdir -p "$TMP/history/insert"
for b in $(seq 0 $((HISTORY_BATCHES - 1))); do
    rows_json $((b * 500)) 500 history >"$TMP/history/insert/$(printf %04d "$b").json"
done
post_all "$TMP/history/insert" "$DATA/bench_history/batch"
log "  $((HISTORY_BATCHES * 500)) rows inserted in batches of 500 after $(awk -v a="$build_start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.0f", b - a }') s"
cat "$TMP"/history/insert/*.out | jq -r '.data.rows[].id' >"$TMP/history_ids.txt"
[ "$(wc -l <"$TMP/history_ids.txt")" -eq $((HISTORY_BATCHES * 500)) ] || die "bench_history rows missing"
AS_OF=""
for round in $(seq 1 "$HISTORY_UPDATES"); do
    mkdir -p "$TMP/history/update$round"
    # transactions of 100 updates: a new amount, price and title for every row
    jq -R -s -c --argjson r "$round" '
        split("\n") | map(select(length > 0)) | to_entries
        | [range(0; length; 100) as $s | .[$s:$s + 100]] | .[]
        | {operations: map({op: "update", table: "bench_history", id: .value,
            values: {amount: ((.key * 7 + $r * 131) % 1000), price: $r, title: "history \(.key) v\($r + 1)"}})}' \
        "$TMP/history_ids.txt" | split -l 1 -a 4 -d --additional-suffix=.json - "$TMP/history/update$round/"
    post_all "$TMP/history/update$round" "$DATA/transaction"
    log "  update round $round (transactions of 100 updates) done after $(awk -v a="$build_start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.0f", b - a }') s"
    if [ "$round" -eq $(((HISTORY_UPDATES + 1) / 2)) ]; then
        sleep 0.2
        AS_OF=$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ)   # after the middle round: later versions exist
        sleep 0.2
    fi
done
build_end=$(date +%s.%N)
R[history.ok]=$VERSIONS
history_after=$(cpu_ticks)
cpu_per_request history "$history_before" "$history_after"
settle history "$history_after"
R[history.seconds]=$(awk -v a="$build_start" -v b="$build_end" 'BEGIN { printf "%.0f", b - a }')
R[history.rate]=$(awk -v a="$build_start" -v b="$build_end" -v n="$VERSIONS" 'BEGIN { printf "%.0f", n / (b - a) }')
log "bench_history built in ${R[history.seconds]} s (${R[history.rate]} versions/s); as_of = $AS_OF"
[ "$(api GET "$DATA/bench_history?as_of=$AS_OF&limit=20" "" "X-API-Key: $KEY" | jq '.data | length')" -eq 20 ] \
    || die "as_of list of bench_history does not answer 20 rows"

analyze_db
QUIET=1
run_wrk warmup_asof page 4 "$WARMUP" "$DATA/bench_history" BENCH_AS_OF="$AS_OF"
QUIET=""
run_wrk asof_page_c1 page 1 "$ASOF_DURATION" "$DATA/bench_history" BENCH_AS_OF="$AS_OF"
run_wrk asof_page page "$READ_CLIENTS" "$ASOF_DURATION" "$DATA/bench_history" BENCH_AS_OF="$AS_OF"
run_wrk asof_list list "$READ_CLIENTS" "$ASOF_DURATION" "$DATA/bench_history" BENCH_AS_OF="$AS_OF"
run_wrk now_page page "$READ_CLIENTS" "$ASOF_DURATION" "$DATA/bench_history"

# --------------------------------------------------------------------------- sanity checks
schema=$(psql -d "$DB" -tAc "SELECT schemaname FROM pg_tables WHERE tablename = 'bench_insert'")
for table in bench_insert bench_batch bench_read bench_history; do
    R[rows.$table]=$(psql -d "$DB" -tAc "SELECT count(*) FROM \"$schema\".\"$table\"")
done
inserted=$warm_inserted
for c in $INSERT_CLIENTS; do inserted=$((inserted + ${R[insert_c$c.ok]})); done
batched=$warm_batched
for c in $BATCH_CLIENTS; do batched=$((batched + ${R[batch_c$c.ok]} * 500)); done
[ "${R[rows.bench_insert]}" -ge "$inserted" ] || log "WARNING: bench_insert has ${R[rows.bench_insert]} rows, expected $inserted"
[ "${R[rows.bench_batch]}" -ge "$batched" ] || log "WARNING: bench_batch has ${R[rows.bench_batch]} rows, expected $batched"
R[raw.row_bytes]=$(psql -d "$RAW_DB" -tAc "SELECT round(avg(pg_column_size(t.*))) FROM raw_event t")
R[raw.indexes]=$(psql -d "$RAW_DB" -tAc "SELECT count(*) FROM pg_indexes WHERE tablename = 'raw_event'")
R[events]=$(psql -d "$DB" -tAc "SELECT count(*) FROM domainevententry")
R[pg_version]=$(psql -d postgres -tAc "SHOW server_version")

# ---------------------------------------------------------------------------------- report
fmt() { awk -v x="$1" 'BEGIN { s = sprintf("%.0f", x); n = length(s); o = "";
    for (i = 1; i <= n; i++) { o = o substr(s, i, 1); if ((n - i) % 3 == 0 && i < n) o = o "," } print o }'; }
ge() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a >= b) }'; }
lt() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a < b) }'; }
verdict() { if "$@"; then echo "met"; else echo "NOT MET"; fi; }

line() { printf '%-34s %7s %17s %22s %9s   %s\n' "$@"; }
echo
echo "BaserDB benchmark, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, PostgreSQL ${R[pg_version]}, ${DURATION} s per app figure, ${RAW_DURATION} s per raw figure"
echo "raw PostgreSQL: pgbench -M prepared over TCP, table shaped like Axon's domainevententry" \
    "(${R[raw.indexes]} indexes, ${R[raw.row_bytes]} bytes per row)"
echo
line "shape" "clients" "BaserDB" "raw PostgreSQL" "ratio" "target: verdict"
line "-----" "-------" "-------" "--------------" "-----" "---------------"
for c in $INSERT_CLIENTS; do
    app=${R[insert_c$c.rate]} raw=${R[raw_one_c$c.tps]}
    ratio=$(awk -v a="$app" -v b="$raw" 'BEGIN { print a / b }')
    # issue 10: 25 % of raw at 1 client, 20 % with more
    share=$([ "$c" -eq 1 ] && echo 25 || echo 20)
    line "single-row insert, rows/s" "$c" "$(fmt "$app")" "$(fmt "$raw") (1 row/tx)" "$(pct "$app" "$raw")" \
        ">= $share % of raw: $(verdict ge "$ratio" "$(awk -v s="$share" 'BEGIN { print s / 100 }')")"
done
for c in $BATCH_CLIENTS; do
    app=$(awk -v r="${R[batch_c$c.rate]}" 'BEGIN { print r * 500 }') raw=$(awk -v r="${R[raw_hundred_c$c.tps]}" 'BEGIN { print r * 100 }')
    # issue 10: 15,000 rows/s at 4 clients
    target="-"
    [ "$c" -ne 4 ] || target=">= 15,000 rows/s: $(verdict ge "$app" 15000)"
    line "batch of 500, rows/s" "$c" "$(fmt "$app")" "$(fmt "$raw") (100 rows/tx)" "$(pct "$app" "$raw")" "$target"
done
echo
line "read shape" "clients" "requests/s" "p50 / p99 (ms)" "errors" "target: verdict"
line "----------" "-------" "----------" "--------------" "------" "---------------"
line "GET by id (1,000 rows)" "$READ_CLIENTS" "$(fmt "${R[get.rate]}")" "${R[get.p50_ms]} / ${R[get.p99_ms]}" "${R[get.errors]}" \
    ">= 6,000/s, p99 < 10 ms: $(verdict eval 'ge "${R[get.rate]}" 6000 && lt "${R[get.p99_ms]}" 10')"
line "filtered list (1,000 rows)" "$READ_CLIENTS" "$(fmt "${R[list.rate]}")" "${R[list.p50_ms]} / ${R[list.p99_ms]}" "${R[list.errors]}" \
    "p99 < 15 ms: $(verdict lt "${R[list.p99_ms]}" 15)"
line "as_of page ($VERSIONS versions)" 1 "$(fmt "${R[asof_page_c1.rate]}")" "${R[asof_page_c1.p50_ms]} / ${R[asof_page_c1.p99_ms]}" "${R[asof_page_c1.errors]}" "-"
line "as_of page ($VERSIONS versions)" "$READ_CLIENTS" "$(fmt "${R[asof_page.rate]}")" "${R[asof_page.p50_ms]} / ${R[asof_page.p99_ms]}" "${R[asof_page.errors]}" "-"
line "as_of filtered list (same)" "$READ_CLIENTS" "$(fmt "${R[asof_list.rate]}")" "${R[asof_list.p50_ms]} / ${R[asof_list.p99_ms]}" "${R[asof_list.errors]}" \
    ">= 300/s: $(verdict ge "${R[asof_list.rate]}" 300)"
line "current page (same table)" "$READ_CLIENTS" "$(fmt "${R[now_page.rate]}")" "${R[now_page.p50_ms]} / ${R[now_page.p99_ms]}" "${R[now_page.errors]}" "-"
echo
echo "details per figure: requests/s; latency p50, p99, mean and max (the batches keep no mean or max: -); CPU"
echo "per successful request of the app process and of the PostgreSQL backends of its pool, during the figure +"
echo "after it until the app was idle again (asynchronous projections catching up; idle: seconds that took); CPU"
echo "seconds of the JIT compiler during the figure (warm-up: ${R[warmup.rounds]} rounds, JIT ${R[warmup.jit_share]} % of a core in the"
echo "last); cores used by the rest of the machine during the figure (the load generator and any other work); the"
echo "app's garbage collections during the figure (young: how many and their pauses in all; full: how many and the longest):"
detail() { # NAME LABEL
    printf '  %-28s %6s/s p50 %7s p99 %7s mean %7s max %8s ms, failed %s | CPU ms app %6s + %5s, PostgreSQL %6s + %5s | idle %2s s | JIT %3s s | rest %4s cores | GC %3s young %5s ms, %2s full max %4s ms\n' \
        "$2" "$(fmt "${R[$1.rate]}")" "${R[$1.p50_ms]}" "${R[$1.p99_ms]}" "$(us_ms "${R[$1.mean_us]:-}")" \
        "$(us_ms "${R[$1.max_us]:-}")" "${R[$1.errors]}" "${R[$1.app_cpu_ms]}" \
        "${R[$1.catchup_app_ms]}" "${R[$1.pg_cpu_ms]}" "${R[$1.catchup_pg_ms]}" "${R[$1.settle_s]}" "${R[$1.jit_s]}" \
        "${R[$1.other_cores]}" "${R[$1.gc_young]}" "${R[$1.gc_young_ms]}" "${R[$1.gc_full]}" "${R[$1.gc_full_max_ms]}"
}
for c in $INSERT_CLIENTS; do detail "insert_c$c" "single-row insert, $c clients"; done
for c in $BATCH_CLIENTS; do detail "batch_c$c" "batch of 500, $c clients"; done
detail get "GET by id, $READ_CLIENTS clients"
detail list "filtered list, $READ_CLIENTS clients"
detail asof_page_c1 "as_of page, 1 client"
detail asof_page "as_of page, $READ_CLIENTS clients"
detail asof_list "as_of filtered list, $READ_CLIENTS c."
detail now_page "current page, $READ_CLIENTS clients"
for c in $INSERT_CLIENTS; do
    echo "  raw 1 row/tx, $c clients: ${R[raw_one_c$c.latency_ms]} ms average latency"
done
for c in $BATCH_CLIENTS; do
    echo "  raw 100 rows/tx, $c clients: ${R[raw_hundred_c$c.latency_ms]} ms average latency"
done
echo "bench_history: $VERSIONS versions written in ${R[history.seconds]} s ($(fmt "${R[history.rate]}") versions/s through batch and transaction)," \
    "CPU per version app ${R[history.app_cpu_ms]} + ${R[history.catchup_app_ms]} ms, PostgreSQL ${R[history.pg_cpu_ms]} + ${R[history.catchup_pg_ms]} ms," \
    "idle ${R[history.settle_s]} s later; as_of $AS_OF"
echo "cores busy on the machine before the run (3 s): ${R[busy.start]}; the rest of the machine during each figure is in the details"
echo "rows at the end: bench_insert ${R[rows.bench_insert]}, bench_batch ${R[rows.bench_batch]}, bench_read ${R[rows.bench_read]}, bench_history ${R[rows.bench_history]}; events in the store ${R[events]}"
