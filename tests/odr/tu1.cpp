// First of two translation units that include the whole library: inline definitions must not clash.
// SPDX-License-Identifier: MIT
#include <loglens/loglens.hpp>

std::size_t tu1_groups() {
    loglens::pipeline<loglens::plain_parser, loglens::exact_grouper> p({.min_severity = loglens::severity::trace});
    p.ingest_text("ERROR one\nERROR one\n", {"tu1", "tu1"});
    return p.analyse().problems.size();
}
