#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The whole offline CLI against a plain scan, in one session, on one generated compose stream (warm page cache):
# `loglens analyze --backend none` with and without redaction, `grep -c ERROR` and `wc -l`, wall seconds (all
# are single-threaded; a plain scan takes too little CPU for /usr/bin/time's 10 ms steps), the minimum of R runs
# each, run in turn, and the ratios.
#
#   scripts/bench-ratio.sh [--lines N] [--runs R] [--loglens PATH]
#
# Defaults: 2,000,000 lines (scripts/gen-compose-stream.py, about 320 MB in a temporary folder), 5 runs,
# the CLI built in Release into build-bench/ (as scripts/bench.sh builds the benchmarks; LOGLENS_BENCH_DIR
# moves it), since a Debug build's figures say nothing about speed.
set -euo pipefail
cd "$(dirname "$0")/.."
lines=2000000
runs=5
loglens=""
while [ "$#" -gt 0 ]; do
  case "$1" in
    --lines) lines="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --loglens) loglens="$2"; shift 2 ;;
    *) echo "bench-ratio: unknown argument $1 (use --lines N, --runs R, --loglens PATH)" >&2; exit 2 ;;
  esac
done
if [ -z "$loglens" ]; then
  build="${LOGLENS_BENCH_DIR:-build-bench}"
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DLOGLENS_BUILD_EXAMPLES=ON \
        -DLOGLENS_BUILD_TESTS=OFF -DLOGLENS_INSTALL=OFF >/dev/null
  cmake --build "$build" -j "$(nproc)" --target loglens_cli >/dev/null
  loglens="$build/examples/loglens"
fi
if [ ! -x "$loglens" ]; then
  echo "bench-ratio: $loglens is not an executable; pass the loglens CLI with --loglens PATH" >&2
  exit 2
fi
if [ ! -x /usr/bin/time ]; then
  echo "bench-ratio: /usr/bin/time not found; install Debian's time package" >&2
  exit 2
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
stream="$tmp/stream.log"
python3 scripts/gen-compose-stream.py "$lines" >"$stream"
cat "$stream" >/dev/null  # warm the page cache

declare -A best
cmds=(loglens loglens_no_redact grep wc)
run() {  # name: one timed run, its wall seconds kept when lower
  local t0 t1 t
  t0=$(date +%s%N)
  case "$1" in
    loglens) /usr/bin/time -f "%M" -o "$tmp/rss" "$loglens" analyze "$stream" --backend none --out "$tmp/r" --quiet >/dev/null ;;
    loglens_no_redact) "$loglens" analyze "$stream" --backend none --out "$tmp/r" --quiet --no-redact >/dev/null 2>&1 ;;
    grep) grep -c ERROR "$stream" >/dev/null ;;
    wc) wc -l "$stream" >/dev/null ;;
  esac
  t1=$(date +%s%N)
  t=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
  if [ -z "${best[$1]:-}" ] || awk -v a="$t" -v b="${best[$1]}" 'BEGIN { exit !(a < b) }'; then best[$1]="$t"; fi
  return 0
}
for _ in $(seq "$runs"); do for c in "${cmds[@]}"; do run "$c"; done; done

size_mb=$(awk -v b="$(stat -c %s "$stream")" 'BEGIN { printf "%.0f", b / 1e6 }')
echo "$(wc -l <"$stream") lines, $size_mb MB; wall seconds, minimum of $runs runs; load $(cut -d' ' -f1-3 /proc/loadavg)"
for c in "${cmds[@]}"; do printf '  %-20s %7s s\n' "$c" "${best[$c]}"; done
echo "  loglens peak RSS      $(($(cat "$tmp/rss") / 1024)) MiB"
awk -v a="${best[loglens]}" -v n="${best[loglens_no_redact]}" -v g="${best[grep]}" -v w="${best[wc]}" 'BEGIN {
  printf "  redaction: %.1f%% of the whole offline run\n", 100 * (a - n) / a
  printf "  loglens / grep -c: %.1fx   loglens / wc -l: %.1fx\n", a / (g > 0 ? g : 0.001), a / (w > 0 ? w : 0.001)
}'
