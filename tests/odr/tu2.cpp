// Second translation unit: only the offline part of the library, whose inline definitions must match the first's.
// SPDX-License-Identifier: MIT
#include <loglens/offline.hpp>

std::size_t tu2_groups() {
    loglens::pipeline<loglens::plain_parser, loglens::exact_grouper> p({.min_severity = loglens::severity::trace});
    p.ingest_text("ERROR one\nWARN two\n", {"tu2", "tu2"});
    return p.analyse().problems.size();
}
