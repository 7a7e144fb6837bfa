#!/usr/bin/env bash
# BaserDB storage and sites benchmark (issue 12). See bench/README.md ("Storage and sites").
#
# Builds the app if needed, starts it on a fresh database, and measures through the API:
#   1. uploads of a 40 MB file into a bucket (MB/s), several times;
#   2. uploads of a zip of 2,000 files as a site deploy (MB/s of archive, files/s);
#   3. serving a 100 KB static file of a published site at 16 clients with wrk (requests/s, p99);
# and, during 1 and 2, the app's peak heap (used heap sampled with jstat every 100 ms): it must stay
# flat, because uploads are streamed to disk, never held as byte arrays. The app is stopped and the
# database dropped on exit, however the script ends.
set -euo pipefail

BENCH_NAME=storage BENCH_DB_PREFIX=baserdb_bench_storage
# shellcheck source=bench/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

UPLOADS=${BENCH_UPLOADS:-5}            # uploads of the 40 MB file
ZIP_UPLOADS=${BENCH_ZIP_UPLOADS:-5}    # uploads of the 2,000-file zip
SERVE_SECONDS=${BENCH_DURATION:-15}    # seconds of wrk on the static file
SERVE_CLIENTS=${BENCH_SERVE_CLIENTS:-16}

missing=()
for tool in wrk jq curl python3; do command -v "$tool" >/dev/null 2>&1 || missing+=("$tool"); done
if ((${#missing[@]})); then
    log "installing ${missing[*]} with apt-get"
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
require_tools wrk jq curl python3 jstat java

build_app
BUSY=$(busy_cores 3)
log "before the run the machine keeps $BUSY of $(nproc) cores busy (other work lowers the figures)"
start_app
log "app healthy after ${APP_START_S} s (JAVA_OPTS: ${JAVA_OPTS:-default})"
setup_project storage-bench

# ------------------------------------------------------------------------------ heap sampling
# used heap in MB (survivors + eden + old) of the app, every 100 ms, into $TMP/heap.<name>
HEAP_PID=""
heap_start() {
    : >"$TMP/heap.$1"
    (while kill -0 "$APP_PID" 2>/dev/null; do
        jstat -gc "$APP_PID" 2>/dev/null | awk 'NR == 2 { printf "%.1f\n", ($3 + $4 + $6 + $8) / 1024 }'
        sleep 0.1
    done) >>"$TMP/heap.$1" &
    HEAP_PID=$!
}
heap_stop() { kill "$HEAP_PID" 2>/dev/null || true; wait "$HEAP_PID" 2>/dev/null || true; HEAP_PID=""; }
heap_peak() { sort -n "$TMP/heap.$1" | tail -1; }
bench_on_exit() { [ -z "$HEAP_PID" ] || heap_stop; }

# seconds of a curl upload; fails the run on a non-2xx answer
upload() {
    local out="$TMP/upload.out" code
    code=$(curl -sS -o "$out" -w '%{http_code} %{time_total}' "$@") || die "curl failed"
    [[ ${code%% *} == 2* ]] || die "upload answered ${code%% *}: $(head -c 400 "$out")"
    echo "${code#* }"
}

# ------------------------------------------------------------------------------ 40 MB file
api POST "/api/v1/projects/$PROJECT/buckets" '{"name":"bench","public":false}' "$AUTH" >/dev/null
head -c $((40 * 1024 * 1024)) /dev/urandom >"$TMP/file-40mb.bin"
heap_start idle; sleep 2; heap_stop
IDLE_HEAP=$(heap_peak idle)
heap_start file
FILE_TIMES=()
for i in $(seq 1 "$UPLOADS"); do
    FILE_TIMES+=("$(upload -X POST "$URL/api/v1/projects/$PROJECT/storage/bench" -H "$AUTH" \
        -F "file=@$TMP/file-40mb.bin" -F "name=big-$i.bin")")
done
heap_stop
FILE_HEAP=$(heap_peak file)

# ------------------------------------------------------------------------------ 2,000-file zip
python3 - "$TMP/site.zip" <<'PY'
import os, random, sys, zipfile
random.seed(12)
words = [''.join(random.choice('abcdefghijklmnopqrstuvwxyz') for _ in range(random.randint(3, 9))) for _ in range(5000)]
with zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED) as z:
    z.writestr('index.html', '<!doctype html><html><body>bench</body></html>')
    z.writestr('assets/static-100k.bin', os.urandom(100 * 1024))
    for i in range(1998):
        text = ' '.join(random.choice(words) for _ in range(random.randint(200, 1200)))
        z.writestr(f'pages/{i // 100}/page-{i}.html', f'<!doctype html><html><body><p>{text}</p></body></html>')
PY
ZIP_BYTES=$(stat -c %s "$TMP/site.zip")
SITE=$(api POST "/api/v1/projects/$PROJECT/sites" '{"subdomain":"bench-'"$RUN"'","spa_mode":false}' "$AUTH" | jq -er .data.id)
heap_start zip
ZIP_TIMES=()
for i in $(seq 1 "$ZIP_UPLOADS"); do
    ZIP_TIMES+=("$(upload -X POST "$URL/api/v1/projects/$PROJECT/sites/$SITE/deploys" -H "$AUTH" \
        -F "zipfile=@$TMP/site.zip" -F "label=bench-$i")")
done
heap_stop
ZIP_HEAP=$(heap_peak zip)
DEPLOY=$(api GET "/api/v1/projects/$PROJECT/sites/$SITE/deploys?limit=1" "" "$AUTH" | jq -er '.data[0].id')
EXPANDED=$(api GET "/api/v1/projects/$PROJECT/sites/$SITE/deploys/$DEPLOY" "" "$AUTH" | jq -er .data.size_bytes)
api POST "/api/v1/projects/$PROJECT/sites/$SITE/deploys/$DEPLOY/publish" "" "$AUTH" >/dev/null

# ------------------------------------------------------------------------------ serving 100 KB
STATIC="$URL/sites/bench-$RUN/assets/static-100k.bin"
[ "$(curl -s -o /dev/null -w '%{http_code} %{size_download}' "$STATIC")" = "200 102400" ] || die "the static file is not served"
wrk -t2 -c"$SERVE_CLIENTS" -d5s "$STATIC" >/dev/null 2>&1 || true   # warm-up, not reported
WRK=$(wrk -t2 -c"$SERVE_CLIENTS" -d"${SERVE_SECONDS}s" --latency "$STATIC" 2>&1)
RPS=$(awk '/^Requests\/sec/ { print $2 }' <<<"$WRK")
P99=$(awk '$1 == "99%" { print $2 }' <<<"$WRK")
ERRORS=$(awk '/Non-2xx|Socket errors/ { print }' <<<"$WRK")
BUSY_END=$(busy_cores 3)

# ------------------------------------------------------------------------------ report
stats() {   # stats MB TIME...: "median MB/s (best, worst)" over the times
    local mb=$1; shift
    printf '%s\n' "$@" | sort -n | awk -v mb="$mb" '{ t[NR] = $1 } END {
        printf "%.1f MB/s median (best %.1f, worst %.1f; n=%d)", mb / t[int((NR + 1) / 2)], mb / t[1], mb / t[NR], NR }'
}
FILE_MB=40
ZIP_MB=$(awk -v b="$ZIP_BYTES" 'BEGIN { printf "%.2f", b / 1048576 }')
ZIP_MEDIAN=$(printf '%s\n' "${ZIP_TIMES[@]}" | sort -n | awk '{ t[NR] = $1 } END { print t[int((NR + 1) / 2)] }')
cat <<REPORT

BaserDB storage and sites benchmark ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, JAVA_OPTS: ${JAVA_OPTS:-default})
machine busy before the run: $BUSY cores, after: $BUSY_END cores (other engineers share this machine)

upload of a 40 MB file (multipart, private bucket):  $(stats "$FILE_MB" "${FILE_TIMES[@]}")
upload of a 2,000-file zip ($ZIP_MB MB packed, $(awk -v b="$EXPANDED" 'BEGIN { printf "%.1f", b / 1048576 }') MB expanded):  $(stats "$ZIP_MB" "${ZIP_TIMES[@]}"), $(awk -v t="$ZIP_MEDIAN" 'BEGIN { printf "%.0f", 2000 / t }') files/s median
used heap: idle $IDLE_HEAP MB, peak during the 40 MB uploads $FILE_HEAP MB, peak during the zip uploads $ZIP_HEAP MB (max heap of JAVA_OPTS)
serving a 100 KB static file of the live deploy, $SERVE_CLIENTS clients, ${SERVE_SECONDS} s: $RPS requests/s, p99 $P99 ${ERRORS:+($ERRORS)}
REPORT
