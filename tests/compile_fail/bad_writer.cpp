// A writer list holding a type that cannot write a report: rejected with the writers slot's message.
// SPDX-License-Identifier: MIT
// EXPECT: every W is a loglens::report_writer
#include <loglens/loglens.hpp>

struct not_a_writer {
    using stage_category = loglens::writer_tag;
};

loglens::pipeline<loglens::plain_parser, loglens::exact_grouper, loglens::null_analyzer,
                  loglens::writers<loglens::json_writer, not_a_writer>>
    p;
