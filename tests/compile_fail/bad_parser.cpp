// A parser without the opt-in tag and without finish(): the pipeline must say so in plain words.
// SPDX-License-Identifier: MIT
// EXPECT: is not a loglens::log_parser
#include <loglens/loglens.hpp>

struct not_a_parser {
    void start(const loglens::source_info&) {}
    void feed(std::string_view, loglens::entry_sink) {}
};

loglens::pipeline<not_a_parser, loglens::exact_grouper> p;
