#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Compile-time benchmark: CPU time (user+sys, /usr/bin/time) of a user's translation unit at -O0, per mode.
#
#   scripts/bench-compile.sh [--runs N] [--library]
#
# Measures benchmarks/compile/user_pipeline.cpp (<loglens/loglens.hpp>, a default_pipeline built, run and
# written) header-only and with LOGLENS_COMPILED_LIB (what linking loglens::loglens_compiled gives), and
# benchmarks/compile/user_offline.cpp (<loglens/offline.hpp> alone, the same in both modes). Each is compiled
# N times (default 3) and the minimum is printed, since other work on the machine only ever adds time; the load
# average is printed with it. --library also times src/loglens.cpp, the one-off cost of the compiled library.
# CXX picks the compiler (default g++). Nothing is linked; object files go to a temporary folder.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=3
library=0
while [ "$#" -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --library) library=1; shift ;;
    *) echo "bench-compile: unknown argument $1 (use --runs N, --library)" >&2; exit 2 ;;
  esac
done
cxx="${CXX:-g++}"
if [ ! -x /usr/bin/time ]; then
  echo "bench-compile: /usr/bin/time not found; install Debian's time package" >&2
  exit 2
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# seconds of user+sys CPU of one compile, the minimum of $runs
measure() {
  local best="" t
  for _ in $(seq "$runs"); do
    /usr/bin/time -f "%U %S" -o "$tmp/time" "$cxx" -std=c++20 -O0 -I include "$@" -c -o "$tmp/tu.o"
    t=$(awk '{printf "%.2f", $1 + $2}' "$tmp/time")
    if [ -z "$best" ] || awk -v a="$t" -v b="$best" 'BEGIN { exit !(a < b) }'; then best="$t"; fi
  done
  echo "$best"
}

report() {  # name, then the compiler's arguments
  local name="$1"
  shift
  printf '%-44s %7s s   (load %s)\n' "$name" "$(measure "$@")" "$(cut -d' ' -f1-3 /proc/loadavg)"
}

echo "$("$cxx" --version | head -1), -O0, minimum of $runs runs, CPU seconds (user+sys)"
report "loglens.hpp + default_pipeline, header-only" benchmarks/compile/user_pipeline.cpp
report "loglens.hpp + default_pipeline, compiled" -DLOGLENS_COMPILED_LIB benchmarks/compile/user_pipeline.cpp
report "offline.hpp alone" benchmarks/compile/user_offline.cpp
if [ "$library" = 1 ]; then
  report "src/loglens.cpp (the compiled library, once)" -DLOGLENS_COMPILED_LIB src/loglens.cpp
fi
