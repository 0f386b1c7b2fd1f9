#pragma once
// Progress events the pipeline reports while it runs, and the sink that ignores them.
// SPDX-License-Identifier: MIT

#include <loglens/core/stage_tags.hpp>

#include <cstdint>
#include <string_view>

LOGLENS_NAMESPACE_BEGIN

enum class phase : std::uint8_t { reading, grouping, analysing, writing, done };

constexpr std::string_view to_string(phase p) noexcept {
    switch (p) {
        case phase::reading: return "reading";
        case phase::grouping: return "grouping";
        case phase::analysing: return "analysing";
        case phase::writing: return "writing";
        default: return "done";
    }
}

/// A snapshot of progress. `total` is 0 when unknown (standard input has no size).
struct progress_event {
    loglens::phase phase = phase::reading;
    std::uint64_t done = 0;
    std::uint64_t total = 0;
    std::string_view item;  ///< what is being worked on: a file name, a group id
};

/// The default progress policy: ignores everything, costs nothing.
struct null_progress {
    using stage_category = progress_tag;
    void on_progress(const progress_event&) noexcept {}
};

LOGLENS_NAMESPACE_END
