#pragma once
// LOGLENS_INLINE: `inline` in header-only mode, nothing when the definitions are compiled once (LOGLENS_COMPILED_LIB).
// SPDX-License-Identifier: MIT

#include <loglens/version.hpp>

#ifdef LOGLENS_COMPILED_LIB
#define LOGLENS_INLINE
#else
#define LOGLENS_INLINE inline
#endif
