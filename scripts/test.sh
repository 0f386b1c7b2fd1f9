#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Quick start 2: install what is missing, build everything, and run the whole test suite with ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
# Packages only the tests need (a browser for the HTML test, clang for the fuzzers) are listed in one file.
test_packages=$( (grep -v '^#' scripts/test-packages.txt || true) | tr '\n' ' ')
LOGLENS_EXTRA_PACKAGES="${LOGLENS_EXTRA_PACKAGES:-} $test_packages" scripts/install-deps.sh
LOGLENS_BUILD_TYPE="${LOGLENS_BUILD_TYPE:-Debug}" scripts/build.sh -DLOGLENS_BUILD_TESTS=ON
cd build
ctest --output-on-failure -j "$(nproc)" "$@"
