// A user's translation unit for scripts/bench-compile.sh: the offline header alone.
// SPDX-License-Identifier: MIT
#include <loglens/offline.hpp>

int main() {}
