#pragma once
// LOGLENS_INLINE: `inline` in header-only mode, nothing when the definitions are compiled once (LOGLENS_COMPILED_LIB).
// SPDX-License-Identifier: MIT

#include <loglens/version.hpp>

// A definition that compiled mode leaves to the library sits under
//   #if !defined(LOGLENS_COMPILED_LIB) || defined(LOGLENS_COMPILED_LIB_SOURCE)
// (src/loglens.cpp defines LOGLENS_COMPILED_LIB_SOURCE); larger ones live in `*-inl.hpp` files.
#ifdef LOGLENS_COMPILED_LIB
#define LOGLENS_INLINE
#else
#define LOGLENS_INLINE inline
#endif
