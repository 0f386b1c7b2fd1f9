#!/usr/bin/env bash
# Quick start 2: install what is missing, build everything, and run the whole test suite with ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
LOGLENS_EXTRA_PACKAGES="${LOGLENS_EXTRA_PACKAGES:-} ${LOGLENS_TEST_PACKAGES:-}" scripts/install-deps.sh
LOGLENS_BUILD_TYPE="${LOGLENS_BUILD_TYPE:-Debug}" scripts/build.sh -DLOGLENS_BUILD_TESTS=ON
cd build
ctest --output-on-failure -j "$(nproc)" "$@"
