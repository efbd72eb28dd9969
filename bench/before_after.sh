#!/usr/bin/env bash
# Two canhbao binaries on the same site, in one run: "before" and "after" a change (issue 10).
#
# usage: bench/before_after.sh SITE BEFORE_BIN AFTER_BIN
#
# Builds SITE (a folder made by bench/gen_corpus.py, e.g. the one bench/compare.sh keeps with
# KEEP=1) into an empty folder on tmpfs with each binary under /usr/bin/time -v, in pairs whose
# order alternates (before first in odd rounds):
#   cached: RUNS rounds (default 5) with the cache kept; one warm-up build of each binary first
#           (each binary builds its own copy of SITE, its .canhbao-cache hard-linked from SITE's;
#           SITE itself is not written);
#   cold:   COLD rounds (default 0) with the copy's cache deleted before each build.
# Reports medians of wall time, CPU time (user + sys) and peak RSS, and the median of the
# per-pair ratios after/before. Markdown on stdout, progress on stderr.
#
# Environment: RUNS=5 COLD=0 BENCH_TMP=/dev/shm
set -euo pipefail
export LC_ALL=C

[[ $# -eq 3 ]] || { echo "usage: $0 SITE BEFORE_BIN AFTER_BIN" >&2; exit 2; }
SITE=$(cd -- "$1" && pwd -P)
BEFORE=$(readlink -f -- "$2"); AFTER=$(readlink -f -- "$3")
RUNS=${RUNS:-5}; COLD=${COLD:-0}; BENCH_TMP=${BENCH_TMP:-/dev/shm}
[[ -x $BEFORE && -x $AFTER ]] || { echo "before_after: both binaries must be executable" >&2; exit 2; }
[[ $RUNS =~ ^[1-9][0-9]*$ && $COLD =~ ^[0-9]+$ ]] || { echo "before_after: RUNS >= 1, COLD >= 0" >&2; exit 2; }
[[ -x /usr/bin/time ]] || { echo "before_after: /usr/bin/time (GNU time) is missing" >&2; exit 2; }

TMP=$(mktemp -d); OUT=$(mktemp -d -p "$BENCH_TMP" before-after-out.XXXXXX)
trap 'rm -rf -- "$TMP" "$OUT"' EXIT
field() { awk -v k="$1: " 'i = index($0, k) { v = substr($0, i + length(k)) } END { print v }' "$2"; }
median() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2; printf "%.3f\n", m }'; }

# Each binary builds its own copy of SITE: a cache entry that holds one article's material is
# replaced by a build whose key differs (another program), so two binaries sharing one cache
# would each undo the other's. The cache is hard-linked into the copies (its entries are replaced
# by a rename, never written into), the rest copied.
for side in before after; do
    mkdir -p "$OUT/$side"
    (cd "$SITE" && find . -mindepth 1 -maxdepth 1 ! -name .canhbao-cache -exec cp -a {} "$OUT/$side/" \;)
    [[ -d $SITE/.canhbao-cache ]] && cp -al "$SITE/.canhbao-cache" "$OUT/$side/.canhbao-cache"
done

# timed NAME BIN: one build of its side's copy; appends wall seconds, CPU seconds and MiB to
# NAME_s, NAME_c, NAME_m.
timed() {
    local name=$1 bin=$2 t=$TMP/time site=$OUT/${1##*_}
    rm -rf -- "$OUT/public"
    /usr/bin/time -v -o "$t" "$bin" --quiet build --root "$site" --output "$OUT/public" >/dev/null 2>"$TMP/err" \
        || { cat "$TMP/err" >&2; echo "before_after: $name build failed" >&2; exit 1; }
    local wall cpu mib
    wall=$(field 'Elapsed (wall clock) time (h:mm:ss or m:ss)' "$t" | awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; printf "%.3f", s }')
    cpu=$(awk -v u="$(field 'User time (seconds)' "$t")" -v s="$(field 'System time (seconds)' "$t")" 'BEGIN { printf "%.2f", u + s }')
    mib=$(awk -v k="$(field 'Maximum resident set size (kbytes)' "$t")" 'BEGIN { printf "%.0f", k / 1024 }')
    eval "${name}_s+=($wall); ${name}_c+=($cpu); ${name}_m+=($mib)"
    printf 'before_after: %s %s s wall, %s s CPU, %s MiB\n' "$name" "$wall" "$cpu" "$mib" >&2
}

# rounds MODE N: N alternated pairs.
rounds() {
    local mode=$1 n=$2 r
    for ((r = 1; r <= n; r++)); do
        for name in $( ((r % 2)) && echo before after || echo after before); do
            [[ $mode == cold ]] && rm -rf -- "$OUT/$name/.canhbao-cache"
            if [[ $name == before ]]; then timed "${mode}_before" "$BEFORE"; else timed "${mode}_after" "$AFTER"; fi
        done
        local a b
        eval "a=\${${mode}_after_s[-1]}; b=\${${mode}_before_s[-1]}"
        eval "${mode}_ratio+=($(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.3f", a / b }'))"
    done
}

report() {
    local mode=$1
    eval "local bs=(\"\${${mode}_before_s[@]}\") bc=(\"\${${mode}_before_c[@]}\") bm=(\"\${${mode}_before_m[@]}\")"
    eval "local as=(\"\${${mode}_after_s[@]}\") ac=(\"\${${mode}_after_c[@]}\") am=(\"\${${mode}_after_m[@]}\")"
    eval "local ratio=(\"\${${mode}_ratio[@]}\")"
    printf '| %s, before | %s s | %s s | %s MiB | |\n' "$mode" "$(median "${bs[@]}")" "$(median "${bc[@]}")" "$(median "${bm[@]}" | cut -d. -f1)"
    printf '| %s, after | %s s | %s s | %s MiB | %s× |\n' "$mode" "$(median "${as[@]}")" "$(median "${ac[@]}")" "$(median "${am[@]}" | cut -d. -f1)" "$(median "${ratio[@]}")"
}

articles=$(find "$SITE/content/articles" -name '*.md' | wc -l)
echo "before_after: warm-up" >&2
timed warm_before "$BEFORE"; timed warm_after "$AFTER"
rounds cached "$RUNS"
((COLD > 0)) && rounds cold "$COLD"
printf '# Before and after, %s articles\n\n%s; before %s, after %s; %s cores; RUNS=%s COLD=%s.\n\n' \
    "$articles" "$(date -u +%Y-%m-%d)" "$BEFORE" "$AFTER" "$(nproc)" "$RUNS" "$COLD"
printf '| | wall (median) | CPU (median) | peak RSS (median) | after / before (median of pairs) |\n|---|---:|---:|---:|---:|\n'
report cached
((COLD > 0)) && report cold
printf '\n'
