#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Builds the benchmarks in Release into ./build-bench and runs every one of them (or those named) in turn.
#
#   scripts/bench.sh                       all: bench_split, bench_ingest, bench_ingest --stream, bench_group, bench_loghub
#   scripts/bench.sh bench_loghub          only the named ones
#
# The data they read is in the repository (tests/data/loghub-2k). Each prints its own figures; rates are per
# core of CPU time where the benchmark says so. LOGLENS_BENCH_DIR overrides the build folder.
set -euo pipefail
cd "$(dirname "$0")/.."
build="${LOGLENS_BENCH_DIR:-build-bench}"
all=(bench_split bench_ingest "bench_ingest --stream" bench_group bench_loghub)
if [ "$#" -gt 0 ]; then runs=("$@"); else runs=("${all[@]}"); fi

cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DLOGLENS_BUILD_BENCHMARKS=ON \
      -DLOGLENS_BUILD_TESTS=OFF -DLOGLENS_BUILD_EXAMPLES=OFF -DLOGLENS_INSTALL=OFF >/dev/null
targets=()
for run in "${runs[@]}"; do targets+=("${run%% *}"); done
cmake --build "$build" -j "$(nproc)" --target "${targets[@]}"

status=0
for run in "${runs[@]}"; do
  read -r -a cmd <<<"$run"
  echo "== ${cmd[*]}"
  "$build/benchmarks/${cmd[0]}" "${cmd[@]:1}" || { echo "${cmd[0]} failed with exit $?" >&2; status=1; }
done
exit "$status"
