#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Configures and builds loglens into ./build (Release by default). Extra arguments go to CMake.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${LOGLENS_BUILD_TYPE:=Release}"
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE="$LOGLENS_BUILD_TYPE" "$@" >/dev/null
cmake --build build -j "$(nproc)"
