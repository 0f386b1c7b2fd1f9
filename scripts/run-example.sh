#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Quick start 1: install what is missing, build, and analyse the bundled example logs into ./reports.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh -DLOGLENS_BUILD_TESTS=OFF -DLOGLENS_BUILD_BENCHMARKS=OFF
exec build/examples/loglens analyze examples/logs --out reports "$@"
