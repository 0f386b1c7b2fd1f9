#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The scaling curve of the whole offline CLI: `loglens analyze --backend none` on one and on two threads over
# generated compose streams of several sizes (scripts/gen-compose-stream.py), warm page cache; per size the
# minimum wall seconds of R runs and the peak RSS, as a Markdown table.
#
#   scripts/bench-scaling.sh [--sizes "20000 200000 2000000 20000000"] [--runs R] [--loglens PATH]
#
# Defaults: those four sizes, 3 runs (2 for sizes of 10M lines and more), the Release CLI of build-bench/ as
# scripts/bench-ratio.sh builds it. The streams are kept in $LOGLENS_BENCH_DIR/streams (build-bench/streams) for
# the next call: the 20M-line one is 3.2 GB and takes minutes to generate.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes="20000 200000 2000000 20000000"
runs=3
loglens=""
while [ "$#" -gt 0 ]; do
  case "$1" in
    --sizes) sizes="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --loglens) loglens="$2"; shift 2 ;;
    *) echo "bench-scaling: unknown argument $1 (use --sizes \"N ...\", --runs R, --loglens PATH)" >&2; exit 2 ;;
  esac
done
build="${LOGLENS_BENCH_DIR:-build-bench}"
if [ -z "$loglens" ]; then
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DLOGLENS_BUILD_EXAMPLES=ON \
        -DLOGLENS_BUILD_TESTS=OFF -DLOGLENS_INSTALL=OFF >/dev/null
  cmake --build "$build" -j "$(nproc)" --target loglens_cli >/dev/null
  loglens="$build/examples/loglens"
fi
if [ ! -x "$loglens" ] || [ ! -x /usr/bin/time ]; then
  echo "bench-scaling: needs the CLI ($loglens; --loglens PATH) and /usr/bin/time (Debian's time package)" >&2
  exit 2
fi
streams="$build/streams"
mkdir -p "$streams"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

best() {  # stream threads runs: "seconds MiB", the minimum wall time and the largest peak RSS of the runs
  local s=$1 t=$2 n=$3 w=0 m=0 i
  for i in $(seq "$n"); do
    /usr/bin/time -f "%e %M" -o "$tmp/t" "$loglens" analyze "$s" --backend none --out "$tmp/r" --quiet --threads "$t" >/dev/null
    read -r e k <"$tmp/t"
    if [ "$i" = 1 ] || awk -v a="$e" -v b="$w" 'BEGIN { exit !(a < b) }'; then w=$e; fi
    if [ "$k" -gt "$m" ]; then m=$k; fi
  done
  echo "$w $((m / 1024))"
}

echo "load $(cut -d' ' -f1-3 /proc/loadavg); wall seconds, minimum of $runs runs (2 from 10M lines), peak RSS the largest"
echo
echo "| lines | MB | one thread | two threads | peak RSS (one, two) |"
echo "|---:|---:|---:|---:|---|"
for n in $sizes; do
  s="$streams/stream-$n.log"
  [ -s "$s" ] || python3 scripts/gen-compose-stream.py "$n" >"$s"
  cat "$s" >/dev/null  # warm the page cache
  r=$runs
  [ "$n" -ge 10000000 ] && [ "$r" -gt 2 ] && r=2
  read -r w1 m1 < <(best "$s" 1 "$r")
  read -r w2 m2 < <(best "$s" 2 "$r")
  printf '| %s | %s | %s s | %s s | %s MiB, %s MiB |\n' "$(wc -l <"$s")" \
    "$(awk -v b="$(stat -L -c %s "$s")" 'BEGIN { printf "%.1f", b / 1e6 }')" "$w1" "$w2" "$m1" "$m2"
done
