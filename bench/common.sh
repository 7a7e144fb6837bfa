# Shared by the bench scripts (sourced, not run): building the app, a fresh database, starting and
# stopping the app, clean-up on exit however the script ends, the API helper and the account,
# organization and project every benchmark starts from. See bench/README.md.
#
# Before sourcing, a script sets BENCH_NAME (its log prefix) and BENCH_DB_PREFIX (its database's
# name starts with it). After sourcing it has: BENCH_DIR ROOT JAR JAVA_OPTS RUN DB TMP PORT URL,
# log/die, require_tools, build_app, busy_cores, start_app/stop_app (APP_PID, APP_START_S), api,
# setup_project (TOKEN AUTH ORG PROJECT KEY), rss_mb and gc_mark/gc_since (the app's collections).
# It may add databases to BENCH_DATABASES (all dropped on exit) and define bench_on_exit (run first
# on exit, e.g. to stop a sampler).

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
JAR=${BASERDB_JAR:-$ROOT/api/target/baserdb.jar}

# The JVM settings docs/operations.md ("JVM settings") recommends for a small (2-core) host.
# BENCH_JAVA_OPTS overrides them; BENCH_JAVA_OPTS= (empty) runs the JVM with its own defaults.
BENCH_DEFAULT_JAVA_OPTS="-XX:+UseSerialGC -Xms64m -Xmx512m -XX:SurvivorRatio=4"
JAVA_OPTS=${BENCH_JAVA_OPTS-$BENCH_DEFAULT_JAVA_OPTS}
# How the app is run (docs/operations.md, "JVM settings"): jar (java -jar baserdb.jar, as the README
# says), extracted (the jar extracted with -Djarmode=tools: no nested-jar class loading) or cds
# (extracted, plus a class-data-sharing archive from a training run on a throwaway database).
JAR_LAYOUT=${BENCH_JAR_LAYOUT:-jar}

log() { printf '[%s %s] %s\n' "${BENCH_NAME:-bench}" "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }
# pct A B: A as a percentage of B, one decimal ("12.3 %"): a figure of the app against raw PostgreSQL's
pct() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f %%", 100 * a / b }'; }

# require_tools TOOL...: stops the run when one is missing; checks that PostgreSQL answers
require_tools() {
    local tool
    for tool in "$@"; do
        command -v "$tool" >/dev/null 2>&1 || die "$tool is not installed"
    done
    psql -d postgres -tAc 'select 1' >/dev/null 2>&1 || die "PostgreSQL does not answer on $PGHOST:$PGPORT as $PGUSER"
}

# build_app: builds api/target/baserdb.jar when it is missing or older than a source, pom.xml,
# migration or configuration file (not with BASERDB_JAR, which names a jar to use as it is)
build_app() {
    if [ -z "${BASERDB_JAR:-}" ]; then
        local newer=""
        if [ -f "$JAR" ]; then
            newer=$(find "$ROOT" \( -name target -o -name .git -o -path "$ROOT/bench" \) -prune -o -type f \
                \( -name '*.java' -o -name '*.sql' -o -name '*.yml' -o -name '*.properties' -o -name pom.xml \) \
                -newer "$JAR" -print -quit)
        fi
        if [ ! -f "$JAR" ] || [ -n "$newer" ]; then
            command -v mvn >/dev/null 2>&1 || die "mvn is needed to build $JAR"
            log "building the app (mvn -B -q -DskipTests package)"
            (cd "$ROOT" && mvn -B -q -DskipTests package) >&2 || die "the build failed"
        fi
    fi
    [ -f "$JAR" ] || die "no app at $JAR"
}

# ---------------------------------------------------------------------------- run and clean up
RUN="$(date +%s)$((RANDOM % 1000))"
DB="${BENCH_DB_PREFIX:-baserdb_bench}_$RUN"
BENCH_DATABASES=("$DB")
TMP=$(mktemp -d "${TMPDIR:-/tmp}/baserdb-${BENCH_NAME:-bench}.XXXXXX")
APP_PID=""
APP_START_S=""
APP_JAR=""           # the jar start_app runs, set by prepare_layout
LAYOUT_FLAGS=()      # JVM flags of the layout (the CDS archive)

# drop_roles_of DATABASE: the roles the app made for that database only: their names start with
# its tag (DatabaseRoles)
drop_roles_of() {
    local tag
    tag="bdb$(printf '%s' "$1" | sha256sum | cut -c1-12)_"
    psql -q -d postgres -tAc "SELECT format('DROP ROLE IF EXISTS %I;', rolname) FROM pg_roles
        WHERE starts_with(rolname, '$tag')" 2>/dev/null | psql -q -d postgres >/dev/null 2>&1 || true
}

# stop_app: stops the app gracefully (30 s at most, then SIGKILL) and forgets its pid
stop_app() {
    if [ -n "$APP_PID" ] && kill -0 "$APP_PID" 2>/dev/null; then
        kill "$APP_PID" 2>/dev/null || true
        for _ in $(seq 1 60); do kill -0 "$APP_PID" 2>/dev/null || break; sleep 0.5; done
        kill -9 "$APP_PID" 2>/dev/null || true
        wait "$APP_PID" 2>/dev/null || true
    fi
    APP_PID=""
}

bench_cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    if declare -F bench_on_exit >/dev/null; then
        bench_on_exit || true
    fi
    if [ -n "$APP_PID" ] && kill -0 "$APP_PID" 2>/dev/null; then
        log "stopping the app (pid $APP_PID)"
        stop_app
    fi
    if [ "$rc" -ne 0 ] && [ -f "$TMP/app.log" ]; then
        log "last lines of the app log:"
        tail -n 40 "$TMP/app.log" >&2 || true
    fi
    if [ -n "${BENCH_APP_LOG:-}" ] && [ -f "$TMP/app.log" ]; then
        cp "$TMP/app.log" "$BENCH_APP_LOG" || true
    fi
    if [ -n "${BENCH_KEEP_DATABASES:-}${BENCH_KEEP_DATABASE:-}" ]; then
        log "kept databases ${BENCH_DATABASES[*]} (BENCH_KEEP_DATABASES): drop them yourself"
    else
        local db
        for db in "${BENCH_DATABASES[@]}"; do
            psql -q -d postgres -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null 2>&1 \
                || log "could not drop database $db"
            drop_roles_of "$db"
        done
        log "cleaned up (databases ${BENCH_DATABASES[*]} dropped)"
    fi
    rm -rf "$TMP"
    exit "$rc"
}
trap bench_cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
    local port
    for _ in $(seq 1 50); do
        port=$((20000 + RANDOM % 30000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return
        fi
    done
    die "no free port found"
}
PORT=${BENCH_PORT:-$(free_port)}
URL="http://127.0.0.1:$PORT"

# busy_cores SECONDS: how many cores the machine keeps busy (all processes), measured over SECONDS
busy_cores() {
    local a b
    a=$(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9; exit }' /proc/stat)
    sleep "$1"
    b=$(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9; exit }' /proc/stat)
    awk -v a="$a" -v b="$b" -v s="$1" 'BEGIN { printf "%.2f", (b - a) / 100 / s }'
}

# prepare_layout: extracts the jar and makes the CDS archive when BENCH_JAR_LAYOUT asks for them
# (once; start_app calls it)
prepare_layout() {
    [ -z "$APP_JAR" ] || return 0
    case "$JAR_LAYOUT" in
        jar) APP_JAR=$JAR; return 0 ;;
        extracted | cds) ;;
        *) die "BENCH_JAR_LAYOUT must be jar, extracted or cds, not $JAR_LAYOUT" ;;
    esac
    java -Djarmode=tools -jar "$JAR" extract --destination "$TMP/extracted" >/dev/null || die "could not extract $JAR"
    APP_JAR="$TMP/extracted/$(basename "$JAR")"
    [ "$JAR_LAYOUT" = cds ] || return 0
    local training="${DB}_cds"
    BENCH_DATABASES+=("$training")
    log "CDS training run (start and stop once on database $training)"
    mkdir -p "$TMP/training"
    # shellcheck disable=SC2086
    env BASERDB_DATABASE_URL="jdbc:postgresql://$PGHOST:$PGPORT/$training" BASERDB_DATABASE_USER="$PGUSER" \
        BASERDB_PORT=0 BASERDB_DATA_DIR="$TMP/training" \
        java $JAVA_OPTS -XX:ArchiveClassesAtExit="$TMP/extracted/app.jsa" -Dspring.context.exit=onRefresh \
        -Ddisable-axoniq-console-message=true -jar "$APP_JAR" >"$TMP/training.log" 2>&1 \
        || { tail -n 20 "$TMP/training.log" >&2; die "the CDS training run failed"; }
    [ -f "$TMP/extracted/app.jsa" ] || die "the CDS training run wrote no archive"
    LAYOUT_FLAGS=(-XX:SharedArchiveFile="$TMP/extracted/app.jsa")
}

# start_app [NAME=VALUE ...] [-- JVM_FLAG ...]: starts the app on database $DB and port $PORT with
# the data rate limit lifted, JAVA_OPTS, the given extra environment and JVM flags (after
# JAVA_OPTS, so they win); waits until GET /api/healthz answers 200 (BENCH_START_TIMEOUT s, 300). Sets APP_PID
# and APP_START_S, the seconds from launching java to the first healthy answer (polled every 0.1 s).
start_app() {
    local envs=() flags=() start
    while [ $# -gt 0 ]; do
        if [ "$1" = -- ]; then
            shift
            flags=("$@")
            break
        fi
        envs+=("$1")
        shift
    done
    prepare_layout
    mkdir -p "$TMP/data"
    # every collection's pause, for the scripts that report them (gc_mark, gc_since); a file per start
    GC_LOG="$TMP/gc.${EPOCHREALTIME/./}.log"
    flags=(-Xlog:gc:file="$GC_LOG":uptime:filecount=0 "${flags[@]}")
    start=${EPOCHREALTIME/./}
    # shellcheck disable=SC2086
    env BASERDB_DATABASE_URL="jdbc:postgresql://$PGHOST:$PGPORT/$DB" BASERDB_DATABASE_USER="$PGUSER" \
        BASERDB_PORT="$PORT" BASERDB_DATA_DIR="$TMP/data" BASERDB_DATA_RATE_LIMIT=100000000 \
        BASERDB_PUBLIC_URL="$URL" "${envs[@]}" \
        java $JAVA_OPTS "${LAYOUT_FLAGS[@]}" "${flags[@]}" -Ddisable-axoniq-console-message=true -jar "$APP_JAR" \
        >>"$TMP/app.log" 2>&1 &
    APP_PID=$!
    local deadline=$((start + ${BENCH_START_TIMEOUT:-300} * 1000000))
    while :; do
        kill -0 "$APP_PID" 2>/dev/null || die "the app exited during start"
        curl -sf -o /dev/null --max-time 2 "$URL/api/healthz" 2>/dev/null && break
        [ "${EPOCHREALTIME/./}" -lt "$deadline" ] || die "the app was not healthy after ${BENCH_START_TIMEOUT:-300} s"
        sleep 0.1
    done
    APP_START_S=$(awk -v a="$start" -v b="${EPOCHREALTIME/./}" 'BEGIN { printf "%.2f", (b - a) / 1e6 }')
}

# gc_mark: where the app's GC log is now (its line count); gc_since MARK: the pauses logged after it,
# as "young COUNT TOTAL_MS full COUNT MAX_MS" (the serial and parallel collectors' "Pause Young" and
# "Pause Full"; G1's mixed and remark pauses count as young)
gc_mark() { if [ -f "${GC_LOG:-}" ]; then wc -l <"$GC_LOG"; else echo 0; fi; }
gc_since() {
    [ -f "${GC_LOG:-}" ] || { echo "young 0 0 full 0 0"; return; }
    awk -v from="$1" 'NR > from && / Pause / {
            ms = $NF; sub(/ms$/, "", ms); ms += 0
            if ($0 ~ /Pause Full/) { full++; if (ms > max) max = ms } else { young++; total += ms } }
        END { printf "young %d %.0f full %d %.0f\n", young, total, full, max }' "$GC_LOG"
}

# rss_mb: resident memory of the app now, in MB
rss_mb() {
    awk '/^VmRSS:/ { printf "%.0f", $2 / 1024 }' "/proc/$APP_PID/status"
}

# api METHOD PATH [BODY|@FILE] [HEADER]: prints the response body; any non-2xx answer stops the run
# (safe in concurrent subshells: each writes its own response file)
api() {
    local method=$1 path=$2 body=${3:-} header=${4:-} code out
    out="$TMP/response.$BASHPID"
    local args=(-sS -o "$out" -w '%{http_code}' -X "$method" "$URL$path" -H 'Content-Type: application/json')
    [ -z "$header" ] || args+=(-H "$header")
    [ -z "$body" ] || args+=(--data-binary "$body")
    code=$(curl "${args[@]}") || die "$method $path: curl failed"
    [[ $code == 2* ]] || die "$method $path answered $code: $(head -c 600 "$out")"
    cat "$out"
}

# setup_project NAME: registers an account, logs in, creates an organization and a project named
# NAME; sets TOKEN, AUTH (the Authorization header), ORG, PROJECT and KEY (its service key)
setup_project() {
    local password="bench-password-$RUN"   # bench/backup.sh logs in again with it
    api POST /api/v1/auth/register \
        "{\"email\":\"bench-$RUN@example.com\",\"password\":\"$password\",\"display_name\":\"Benchmark\"}" >/dev/null
    TOKEN=$(api POST /api/v1/auth/login "{\"email\":\"bench-$RUN@example.com\",\"password\":\"$password\"}" \
        | jq -er .data.access_token)
    AUTH="Authorization: Bearer $TOKEN"
    ORG=$(api POST /api/v1/organizations "{\"slug\":\"bench-$RUN\",\"name\":\"Benchmark\"}" "$AUTH" | jq -er .data.id)
    api POST /api/v1/projects "{\"organization_id\":\"$ORG\",\"name\":\"$1\"}" "$AUTH" >"$TMP/project.json"
    PROJECT=$(jq -er .data.id "$TMP/project.json")
    KEY=$(jq -er .data.service_key "$TMP/project.json")
}
