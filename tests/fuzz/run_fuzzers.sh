#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Builds the libFuzzer targets with clang++ in a sub-build and runs each for a bounded time.
# Exit 77 (ctest SKIP_RETURN_CODE) when clang++ or its libFuzzer runtime is missing: skipped visibly, never passed.
set -euo pipefail
src="$1" bin="$2" seconds="${3:-20}"
here="$src/tests/fuzz"
cxx="$(command -v clang++ || true)"
if [[ -z "$cxx" ]]; then
  echo "SKIPPED: clang++ not found; install the packages in scripts/test-packages.txt (clang, libclang-rt-14-dev)"
  exit 77
fi
probe="$bin/probe"
mkdir -p "$probe"
printf 'extern "C" int LLVMFuzzerTestOneInput(const unsigned char*, unsigned long) { return 0; }\n' > "$probe/p.cpp"
if ! "$cxx" -fsanitize=fuzzer "$probe/p.cpp" -o "$probe/p" 2> "$probe/err.txt"; then
  echo "SKIPPED: $cxx cannot link libFuzzer (install libclang-rt-14-dev):"
  cat "$probe/err.txt"
  exit 77
fi
cmake -S "$here/project" -B "$bin/sub" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_COMPILER="$cxx" -DLOGLENS_SOURCE_DIR="$src" > "$bin/configure.log" || { cat "$bin/configure.log"; exit 1; }
cmake --build "$bin/sub" -j 2
status=0
for target in compose_parser line_format plain_parser template_miner redactor; do
  work="$bin/corpus/$target"
  mkdir -p "$work"
  echo "== fuzz_$target for ${seconds}s"
  if ! "$bin/sub/fuzz_$target" -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=1024 \
       -artifact_prefix="$bin/crash-$target-" "$work" "$here/corpus/$target" 2>&1 | tail -n 25; then
    echo "FAILED: fuzz_$target found a problem; the input is saved under $bin/crash-$target-*"
    status=1
  fi
done
exit $status
