// Second of two translation units that include the whole library.
#include <loglens/loglens.hpp>

std::size_t tu2_groups() {
    loglens::pipeline<loglens::plain_parser, loglens::exact_grouper> p({.min_severity = loglens::severity::trace});
    p.ingest_text("ERROR one\nWARN two\n", {"tu2", "tu2"});
    return p.analyse().problems.size();
}
