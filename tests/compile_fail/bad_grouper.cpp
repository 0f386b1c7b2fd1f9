// A grouper whose add() returns nothing: rejected with the grouper slot's message.
// SPDX-License-Identifier: MIT
// EXPECT: is not a loglens::entry_grouper
#include <loglens/loglens.hpp>

struct bad_grouper {
    using stage_category = loglens::grouper_tag;
    void add(loglens::log_entry&&) {}
    std::vector<loglens::log_group> groups() const { return {}; }
    std::size_t resolve(std::size_t k) const { return k; }
};

loglens::pipeline<loglens::plain_parser, bad_grouper> p;
