// A parser without close_idle() cannot be told the time: ticking its session is rejected with the live slot's message.
// SPDX-License-Identifier: MIT
// EXPECT: is not a loglens::live_parser
#include <loglens/offline.hpp>

struct batch_only_parser {
    using stage_category = loglens::parser_tag;
    void start(const loglens::source_info&) {}
    void feed(std::string_view, loglens::entry_sink) {}
    void finish(loglens::entry_sink) {}
    const loglens::ingest_stats& stats() const { return stats_; }
    loglens::ingest_stats stats_;
};

void tick_it() {
    loglens::ingest_session<batch_only_parser, loglens::exact_grouper> s;
    s.tick(loglens::live_time{});
}
