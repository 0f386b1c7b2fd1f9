#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs what loglens needs on Debian 12 when it is missing: a C++20 compiler, CMake, Ninja, Python 3 and
# Boost 1.81 (Debian's default libboost-all-dev is 1.74, which has no Boost.JSON), and OpenSSL for https:// in the
# LLM clients.
set -euo pipefail

need=()
have() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
for pkg in g++ cmake ninja-build python3 libboost1.81-dev libboost-json1.81-dev libboost-regex1.81-dev \
           libboost-program-options1.81-dev libboost-test1.81-dev libssl-dev ${LOGLENS_EXTRA_PACKAGES:-}; do
  have "$pkg" || need+=("$pkg")
done
if ((${#need[@]})); then
  echo "loglens: installing ${need[*]}" >&2
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
