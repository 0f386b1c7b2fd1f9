#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The whole offline CLI against a plain scan and the reference design, in one session, on one generated compose
# stream (warm page cache): `loglens analyze --backend none` on one and on two threads (and on one without
# redaction), `grep -c ERROR` and `wc -l`, and, when the reference design is given, its own parse and group
# stages (scripts/reference-parse-group.py). Wall seconds, the minimum of R runs each, run in turn, then ratios.
# grep writes its count to a file: with its output on /dev/null GNU grep stops at the first match.
#
#   scripts/bench-ratio.sh [--lines N] [--runs R] [--loglens PATH] [--reference DESIGN.md]
#
# Defaults: 2,000,000 lines (scripts/gen-compose-stream.py, about 320 MB in a temporary folder), 5 runs (the
# reference, which takes tens of seconds, once), the CLI built in Release into build-bench/ (as
# scripts/bench.sh builds the benchmarks; LOGLENS_BENCH_DIR moves it), since a Debug build's figures say nothing
# about speed. LOGLENS_REFERENCE_DESIGN may name the design instead of --reference.
set -euo pipefail
cd "$(dirname "$0")/.."
lines=2000000
runs=5
loglens=""
reference="${LOGLENS_REFERENCE_DESIGN:-}"
while [ "$#" -gt 0 ]; do
  case "$1" in
    --lines) lines="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --loglens) loglens="$2"; shift 2 ;;
    --reference) reference="$2"; shift 2 ;;
    *) echo "bench-ratio: unknown argument $1 (use --lines N, --runs R, --loglens PATH, --reference DESIGN.md)" >&2; exit 2 ;;
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

ref_note=""
if [ -n "$reference" ]; then
  if [ ! -f "$reference" ]; then ref_note="not measured: $reference is not a file"
  elif ! python3 -c 'import pydantic' 2>/dev/null; then ref_note="not measured: python3 cannot import pydantic (Debian: python3-pydantic)"
  fi
else
  ref_note="not measured: no --reference DESIGN.md"
fi

declare -A best
cmds=(loglens_1 loglens_2 loglens_no_redact grep wc)
run() {  # name: one timed run, its wall seconds kept when lower
  local t0 t1 t
  t0=$(date +%s%N)
  case "$1" in
    loglens_1) /usr/bin/time -f "%M" -o "$tmp/rss1" "$loglens" analyze "$stream" --backend none --out "$tmp/r" --quiet --threads 1 >/dev/null ;;
    loglens_2) /usr/bin/time -f "%M" -o "$tmp/rss2" "$loglens" analyze "$stream" --backend none --out "$tmp/r" --quiet --threads 2 >/dev/null ;;
    loglens_no_redact) "$loglens" analyze "$stream" --backend none --out "$tmp/r" --quiet --no-redact --threads 1 >/dev/null 2>&1 ;;
    grep) grep -c ERROR "$stream" >"$tmp/count" ;;
    wc) wc -l "$stream" >"$tmp/count" ;;
    reference) python3 scripts/reference-parse-group.py "$reference" "$stream" >"$tmp/count" ;;
  esac
  t1=$(date +%s%N)
  t=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
  if [ -z "${best[$1]:-}" ] || awk -v a="$t" -v b="${best[$1]}" 'BEGIN { exit !(a < b) }'; then best[$1]="$t"; fi
  return 0
}
for _ in $(seq "$runs"); do for c in "${cmds[@]}"; do run "$c"; done; done
if [ -z "$ref_note" ]; then run reference; cmds+=(reference); fi

size_mb=$(awk -v b="$(stat -c %s "$stream")" 'BEGIN { printf "%.0f", b / 1e6 }')
echo "$(wc -l <"$stream") lines, $size_mb MB; wall seconds, minimum of $runs runs; load $(cut -d' ' -f1-3 /proc/loadavg)"
for c in "${cmds[@]}"; do printf '  %-20s %7s s\n' "$c" "${best[$c]}"; done
[ -n "$ref_note" ] && echo "  reference            $ref_note"
echo "  loglens peak RSS      $(($(cat "$tmp/rss1") / 1024)) MiB on one thread, $(($(cat "$tmp/rss2") / 1024)) MiB on two"
awk -v a="${best[loglens_1]}" -v b="${best[loglens_2]}" -v n="${best[loglens_no_redact]}" -v g="${best[grep]}" \
    -v w="${best[wc]}" -v r="${best[reference]:-}" 'BEGIN {
  printf "  second core: %.2fx (goal 1.7x)\n", a / b
  printf "  redaction: %.1f%% of the whole offline run on one thread\n", 100 * (a - n) / a
  printf "  loglens on two threads / grep -c: %.1fx (goal at most 8x)   / wc -l: %.1fx\n", b / (g > 0 ? g : 0.001), b / (w > 0 ? w : 0.001)
  if (r != "") printf "  reference / loglens on two threads: %.1fx (goal 40x)\n", r / b
}'
