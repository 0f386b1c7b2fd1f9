// An analyser with a synchronous interface: rejected with the analyser slot's message.
// SPDX-License-Identifier: MIT
// EXPECT: is not a loglens::group_analyzer
#include <loglens/loglens.hpp>

struct sync_analyzer {
    using stage_category = loglens::analyzer_tag;
    loglens::analysis analyse(const loglens::log_group&) { return {}; }
};

loglens::pipeline<loglens::plain_parser, loglens::exact_grouper, sync_analyzer> p;
