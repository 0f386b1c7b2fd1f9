#pragma once
// loglens version macros and the versioned inline namespace every public name lives in.
// SPDX-License-Identifier: MIT

#define LOGLENS_VERSION_MAJOR 0
#define LOGLENS_VERSION_MINOR 1
#define LOGLENS_VERSION_PATCH 0

#define LOGLENS_VERSION_STRING "0.1.0"

// Two copies of loglens of different versions in one program would break the ODR silently;
// the inline namespace makes their symbols differ, and the warning tells the user why.
#if defined(LOGLENS_SEEN_VERSION) && LOGLENS_SEEN_VERSION != 100
#warning "two different versions of loglens are included in one translation unit"
#endif
#define LOGLENS_SEEN_VERSION 100

#define LOGLENS_NAMESPACE_BEGIN \
    namespace loglens {         \
    inline namespace v0 {
#define LOGLENS_NAMESPACE_END \
    }                         \
    }
