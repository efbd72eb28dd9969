#!/usr/bin/env bash
# Benchmark `canhbao build` on generated corpora.
#
# usage: bench/run.sh [N...]            (default: 1000 10000)
#
# For each N: generate an N-article site into /dev/shm/canhbao-bench-N (tmpfs),
# copy the repo's themes/ into it, then run
#   canhbao build --root /dev/shm/canhbao-bench-N --output /dev/shm/canhbao-bench-N-out
# COLD times (default 3) with the cache of generated files (.canhbao-cache: QR
# codes, social cards, images) deleted first, then RUNS times (default 5) with
# the cache kept, all under /usr/bin/time -v; the first cached run is a warm-up
# and is not counted. Progress goes to stderr; a Markdown report goes to stdout.
#
# Environment:
#   CANHBAO_BIN=path  binary (or stand-in command) to time; skips `cargo build`.
#                     Default: cargo build --release, then target/release/canhbao.
#   RUNS=5            cached runs per N, including the warm-up (>= 2).
#   COLD=3            runs per N with an empty cache (0 skips them).
#   KEEP=1            keep the /dev/shm folders afterwards.
#   BENCH_TMP=/dev/shm  where the corpus and output go.
#   HYPERFINE=0       do not run hyperfine even if it is installed.
set -euo pipefail
export LC_ALL=C # predictable number formatting and sorting in this script

SCRIPT_DIR=$(dirname -- "$(readlink -f -- "${BASH_SOURCE[0]}")")
REPO=$(cd -- "$SCRIPT_DIR/.." && pwd -P)

log() { printf 'bench: %s\n' "$*" >&2; }
die() { printf 'bench: error: %s\n' "$*" >&2; exit 1; }

# CANHBAO_BIN is resolved against the caller's directory (or PATH) before the cd.
BIN=
if [[ -n ${CANHBAO_BIN:-} ]]; then
    if [[ $CANHBAO_BIN == */* ]]; then
        BIN=$(cd -- "$(dirname -- "$CANHBAO_BIN")" 2>/dev/null && pwd -P)/$(basename -- "$CANHBAO_BIN") || BIN=
    else
        BIN=$(type -P -- "$CANHBAO_BIN") || BIN=
    fi
    [[ -n $BIN && -f $BIN && -x $BIN ]] || die "CANHBAO_BIN=$CANHBAO_BIN is not an executable file"
fi
RUNS=${RUNS:-5}
COLD=${COLD:-3}
KEEP=${KEEP:-0}
BENCH_TMP=${BENCH_TMP:-/dev/shm}
HYPERFINE=${HYPERFINE:-1}
BENCH_TMP=$(cd -- "$BENCH_TMP" 2>/dev/null && pwd -P) || die "BENCH_TMP=${BENCH_TMP} is not a directory"
cd -- "$REPO"

if [[ $# -eq 0 ]]; then set -- 1000 10000; fi
for n in "$@"; do
    [[ $n =~ ^[1-9][0-9]*$ ]] || die "N must be a positive integer, got '$n' (usage: bench/run.sh [N...])"
done
[[ $RUNS =~ ^[0-9]+$ && $RUNS -ge 2 ]] || die "RUNS must be an integer >= 2 (1 warm-up + timed runs)"
[[ $COLD =~ ^[0-9]+$ ]] || die "COLD must be an integer >= 0"
[[ -d $BENCH_TMP && -w $BENCH_TMP ]] || die "$BENCH_TMP is not a writable directory"
command -v python3 >/dev/null || die "python3 is required"

# ---- GNU time --------------------------------------------------------------
if [[ ! -x /usr/bin/time ]]; then
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
        log "installing GNU time (/usr/bin/time)"
        apt-get install -y time >&2 || { apt-get update >&2 && apt-get install -y time >&2; }
    fi
    [[ -x /usr/bin/time ]] || die "/usr/bin/time is missing: install the 'time' package (apt-get install -y time)"
fi
time_probe=$(/usr/bin/time -v true 2>&1 || true)
[[ $time_probe == *"Maximum resident set size"* ]] \
    || die "/usr/bin/time -v does not report peak RSS (GNU time needed)"

# ---- binary ----------------------------------------------------------------
STANDIN=0
if [[ -n $BIN ]]; then
    STANDIN=1
    log "using CANHBAO_BIN=$BIN (cargo build skipped)"
else
    [[ -d themes ]] || die "no themes/ folder in $REPO (the corpus needs themes/default)"
    log "cargo build --release"
    cargo build --release >&2
    target_dir=${CARGO_TARGET_DIR:-target}
    [[ $target_dir == /* ]] || target_dir="$REPO/$target_dir"
    BIN="$target_dir/release/canhbao"
    [[ -x $BIN ]] || die "$BIN was not built"
fi

# ---- cleanup ---------------------------------------------------------------
created=()
TMP=$(mktemp -d)
cleanup() {
    rm -rf -- "$TMP"
    if [[ $KEEP == 1 ]]; then
        ((${#created[@]} == 0)) || log "KEEP=1: kept ${created[*]}"
    else
        local d
        for d in "${created[@]}"; do rm -rf -- "$d"; done
    fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---- helpers ---------------------------------------------------------------
# Microseconds since the epoch (bash 5 EPOCHREALTIME; locale may use ',').
now_us() { local t=${EPOCHREALTIME:-}; [[ -n $t ]] && printf '%s\n' "${t//[.,]/}"; }

# "h:mm:ss" or "m:ss.ss" -> seconds
clock_to_s() { awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; printf "%.3f\n", s }' <<<"$1"; }

# value of a `/usr/bin/time -v` field, e.g. field "Maximum resident set size (kbytes)" FILE
field() { awk -v k="$1: " 'i = index($0, k) { v = substr($0, i + length(k)) } END { print v }' "$2"; }

median() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END {
    if (NR == 0) exit 1
    m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2
    printf "%.6f\n", m }'; }

# files and total bytes of regular files below $1 (0 0 if missing)
tree_stats() {
    if [[ -d $1 ]]; then
        find "$1" -type f -printf '%s\n' | awk '{ n++; s += $1 } END { printf "%d %d\n", n, s }'
    else
        echo "0 0"
    fi
}

mib() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }

# ---- report header ---------------------------------------------------------
cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)
mem_kb=$(awk '/^MemTotal:/ { print $2 }' /proc/meminfo 2>/dev/null || echo 0)
if ((STANDIN)); then
    version=$("$BIN" --version 2>/dev/null </dev/null | head -n 1 || true)
    bin_desc="${version:+\`$version\` }\`$BIN\` (from CANHBAO_BIN)"
else
    version=$("$BIN" --version 2>/dev/null | head -n 1 || true)
    rustc_v=$(rustc --version 2>/dev/null || true)
    bin_desc="\`${version:-canhbao}\` (release build${rustc_v:+, $rustc_v})"
fi
echo "## \`canhbao build\` benchmark"
echo
echo "- Date: $(date -u +%Y-%m-%d)"
echo "- Machine: ${cpu:-unknown CPU}, $(nproc) CPUs, $(awk -v k="$mem_kb" 'BEGIN { printf "%.0f", k / 1048576 }') GiB RAM, Linux $(uname -r)"
echo "- Binary: $bin_desc"
echo "- Method: corpus from \`bench/gen_corpus.py\`, site and output in \`$BENCH_TMP\` (tmpfs);" \
    "output folder deleted before every run; per size, $COLD *cold* runs with \`.canhbao-cache/\` deleted first" \
    "(every QR code and social card made again), then $RUNS *cached* runs, the first a warm-up;" \
    "figures are medians; peak RSS = \"Maximum resident set size\" from \`/usr/bin/time -v\`;" \
    "content / templates / write are the phase times canhbao prints in its summary line."
echo

summary=()

# ---- per size --------------------------------------------------------------
for n in "$@"; do
    site="$BENCH_TMP/canhbao-bench-$n"
    out="$BENCH_TMP/canhbao-bench-$n-out"
    rm -rf -- "$site" "$out"
    created+=("$site" "$out")

    log "N=$n: generating corpus in $site"
    g0=$(now_us || true)
    python3 "$SCRIPT_DIR/gen_corpus.py" "$n" "$site" >&2
    g1=$(now_us || true)
    gen_s=$([[ -n $g0 && -n $g1 ]] && awk -v a="$g0" -v b="$g1" 'BEGIN { printf "%.1f", (b - a) / 1e6 }' || echo "?")
    read -r corpus_files corpus_bytes < <(tree_stats "$site/content")
    corpus_bytes=$((corpus_bytes + $(stat -c %s "$site/site.yaml")))

    if [[ -d themes ]]; then
        cp -R themes "$site/themes"
    else
        log "warning: no themes/ folder in $REPO; not copied (stand-in mode)"
    fi

    walls=() users=() syss=() rsss=() cold_walls=() cold_rsss=()
    rows=()
    for ((r = 0; r < COLD + RUNS; r++)); do
        if ((r < COLD)); then
            label="cold $((r + 1))"
            rm -rf -- "$site/.canhbao-cache"
        elif ((r == COLD)); then
            label="warm-up"
        else
            label="cached $((r - COLD))"
        fi
        rm -rf -- "$out"
        tfile="$TMP/time.$n.$r"
        lfile="$TMP/log.$n.$r"
        t0=$(now_us || true)
        if ! /usr/bin/time -v -o "$tfile" -- "$BIN" build --root "$site" --output "$out" >"$lfile" 2>&1; then
            tail -n 30 "$lfile" >&2 || true
            die "N=$n run $label: '$BIN build' failed ($(head -n 1 "$tfile" 2>/dev/null))"
        fi
        t1=$(now_us || true)
        if [[ -n $t0 && -n $t1 ]]; then
            wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e6 }')
        else # no EPOCHREALTIME: centisecond resolution from time -v
            wall=$(clock_to_s "$(field 'Elapsed (wall clock) time (h:mm:ss or m:ss)' "$tfile")")
        fi
        user=$(field 'User time (seconds)' "$tfile")
        sys=$(field 'System time (seconds)' "$tfile")
        cpu_pct=$(field 'Percent of CPU this job got' "$tfile")
        rss_kb=$(field 'Maximum resident set size (kbytes)' "$tfile")
        [[ $rss_kb =~ ^[0-9]+$ && $user =~ ^[0-9.]+$ && $sys =~ ^[0-9.]+$ ]] \
            || die "could not parse $tfile: $(cat "$tfile")"
        rss=$(awk -v k="$rss_kb" 'BEGIN { printf "%.1f", k / 1024 }')
        # "... in 1.23 s (content 0.10 s, templates 1.00 s, write 0.13 s)"
        phases=$(grep -o 'content [0-9.]* s, templates [0-9.]* s, write [0-9.]* s' "$lfile" | tail -n 1 \
            | awk '{ printf "%s / %s / %s", $2, $5, $8 }' || true)
        log "N=$n run $label: wall ${wall}s, user ${user}s, sys ${sys}s, CPU $cpu_pct, peak RSS ${rss} MiB, phases ${phases:-?}"
        rows+=("| $label | $wall | $user | $sys | $cpu_pct | $rss | ${phases:-?} |")
        if ((r < COLD)); then
            cold_walls+=("$wall") cold_rsss+=("$rss")
        elif ((r > COLD)); then
            walls+=("$wall") users+=("$user") syss+=("$sys") rsss+=("$rss")
        fi
    done

    m_wall=$(printf '%.3f' "$(median "${walls[@]}")")
    m_user=$(printf '%.2f' "$(median "${users[@]}")")
    m_sys=$(printf '%.2f' "$(median "${syss[@]}")")
    m_rss=$(printf '%.1f' "$(median "${rsss[@]}")")
    c_wall=- c_rss=-
    if ((COLD > 0)); then
        c_wall=$(printf '%.3f' "$(median "${cold_walls[@]}")")
        c_rss=$(printf '%.1f' "$(median "${cold_rsss[@]}")")
    fi
    read -r out_files out_bytes < <(tree_stats "$out")

    echo "### $n articles"
    echo
    echo "Corpus: $corpus_files Markdown files, $(mib "$corpus_bytes") MiB (generated in ${gen_s} s)." \
        "Output: $out_files files, $(mib "$out_bytes") MiB."
    echo
    echo "| Run | Wall (s) | User (s) | Sys (s) | CPU | Peak RSS (MiB) | content / templates / write (s) |"
    echo "|---|---:|---:|---:|---:|---:|---|"
    printf '%s\n' "${rows[@]}"
    echo "| **median, cold** | **$c_wall** | | | | **$c_rss** | |"
    echo "| **median, cached** | **$m_wall** | $m_user | $m_sys | | **$m_rss** | |"
    echo

    if [[ $HYPERFINE != 0 ]] && command -v hyperfine >/dev/null; then
        log "N=$n: hyperfine"
        cmd="$(printf '%q' "$BIN") build --root $(printf '%q' "$site") --output $(printf '%q' "$out")"
        if hyperfine --style basic --warmup 1 --runs "$((RUNS - 1))" \
            --prepare "rm -rf $(printf '%q' "$out")" \
            --export-markdown "$TMP/hf.$n.md" "$cmd" >&2; then
            echo "hyperfine (extra, $((RUNS - 1)) runs after 1 warm-up):"
            echo
            cat "$TMP/hf.$n.md"
            echo
        else
            log "warning: hyperfine failed; ignored"
        fi
    fi

    summary+=("| $n | $(mib "$corpus_bytes") | $c_wall | $m_wall | $m_rss | $out_files | $(mib "$out_bytes") |")
    # free tmpfs before the next size (KEEP=1 keeps the corpus and the last run's output)
    [[ $KEEP == 1 ]] || rm -rf -- "$site" "$out"
done

echo "### Summary"
echo
echo "| Articles | Corpus (MiB) | Median wall, cold (s) | Median wall, cached (s) | Median peak RSS, cached (MiB) | Output files | Output (MiB) |"
echo "|---:|---:|---:|---:|---:|---:|---:|"
printf '%s\n' "${summary[@]}"
