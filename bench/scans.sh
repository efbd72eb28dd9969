#!/usr/bin/env bash
# Benchmark `canhbao scans` (issue 12): read speed and peak memory on a ~1 GB access log.
#
# usage: bench/scans.sh [SIZE_MB]        (default: 1000)
#
# Generates a synthetic nginx log of SIZE_MB megabytes on /dev/shm (bench/gen_access_log.py:
# the bundled example site's short links and tagged targets among ordinary traffic, crawlers,
# malformed lines), runs `canhbao scans --root <repo> LOG` RUNS times (default 3) under
# /usr/bin/time -v, prints the median speed (MB/s of wall-clock time, and of CPU time: user +
# system, the "one core" figure) and the peak resident memory, then deletes the log.
# With GZ=1 it also times the gzip-compressed log once.
#
# Environment:
#   CANHBAO_BIN=path  binary to time (default: cargo build --release, then target/release/canhbao)
#   RUNS=3            timed runs
#   GZ=0              1: also time the .gz log
#   BENCH_TMP=/dev/shm
set -euo pipefail
export LC_ALL=C

SCRIPT_DIR=$(dirname -- "$(readlink -f -- "${BASH_SOURCE[0]}")")
REPO=$(cd -- "$SCRIPT_DIR/.." && pwd -P)
SIZE_MB=${1:-1000}
RUNS=${RUNS:-3}
GZ=${GZ:-0}
BENCH_TMP=${BENCH_TMP:-/dev/shm}
log() { printf 'bench: %s\n' "$*" >&2; }

if [[ -n ${CANHBAO_BIN:-} ]]; then
    BIN=$CANHBAO_BIN
else
    (cd -- "$REPO" && cargo build --release --quiet)
    BIN=$REPO/target/release/canhbao
fi
[[ -x /usr/bin/time ]] || { log "/usr/bin/time is needed (GNU time, for -v)"; exit 1; }

LOG=$(mktemp "$BENCH_TMP/canhbao-scans-XXXXXX.log")
trap 'rm -f -- "$LOG" "$LOG.gz" "$LOG.time"' EXIT
log "generating $SIZE_MB MB into $LOG"
python3 "$SCRIPT_DIR/gen_access_log.py" "$SIZE_MB" "$LOG" "$REPO/printed-urls.txt"
BYTES=$(stat -c %s -- "$LOG")

# One run: prints "wall_s cpu_s rss_kb".
run() {
    /usr/bin/time -v -o "$LOG.time" "$BIN" scans --root "$REPO" "$1" >/dev/null
    awk -F': ' '
        /Elapsed \(wall clock\)/ { n = split($2, p, ":"); wall = (n == 3) ? p[1] * 3600 + p[2] * 60 + p[3] : p[1] * 60 + p[2] }
        /User time/ { cpu += $2 }
        /System time/ { cpu += $2 }
        /Maximum resident set size/ { rss = $2 }
        END { printf "%.3f %.3f %d\n", wall, cpu, rss }' "$LOG.time"
}

results=()
for i in $(seq 1 "$RUNS"); do
    r=$(run "$LOG")
    log "run $i: wall, CPU (s), peak RSS (kB): $r"
    results+=("$r")
done
# Medians of wall and CPU time (each sorted on its own), and the highest peak RSS.
median() { printf '%s\n' "${results[@]}" | awk -v k="$1" '{ print $k }' | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
wall=$(median 1)
cpu=$(median 2)
rss=$(printf '%s\n' "${results[@]}" | awk '$3 > m { m = $3 } END { print m }')
awk -v bytes="$BYTES" -v runs="$RUNS" -v wall="$wall" -v cpu="$cpu" -v rss="$rss" 'BEGIN {
    mb = bytes / 1e6
    printf "canhbao scans, %.0f MB plain log, %d runs: median %.2f s wall (%.0f MB/s), %.2f s CPU (%.0f MB/s on one core), peak RSS %.1f MB\n",
        mb, runs, wall, mb / wall, cpu, mb / cpu, rss / 1024 }'
if [[ $GZ == 1 ]]; then
    log "compressing"
    gzip -1 -k -- "$LOG"
    r=$(run "$LOG.gz")
    read -r wall cpu rss <<<"$r"
    awk -v bytes="$BYTES" -v wall="$wall" -v cpu="$cpu" -v rss="$rss" 'BEGIN {
        mb = bytes / 1e6
        printf "canhbao scans, the same log gzipped, 1 run: %.2f s wall (%.0f MB/s of log), %.2f s CPU (%.0f MB/s), peak RSS %.1f MB\n",
            wall, mb / wall, cpu, mb / cpu, rss / 1024 }'
fi
