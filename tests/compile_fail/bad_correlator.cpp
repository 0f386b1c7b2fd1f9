// A correlator without correlate(): rejected with the correlator slot's message.
// SPDX-License-Identifier: MIT
// EXPECT: is not a loglens::incident_correlator
#include <loglens/loglens.hpp>

struct not_a_correlator {
    using stage_category = loglens::correlator_tag;
};

loglens::pipeline<loglens::plain_parser, loglens::exact_grouper, loglens::null_analyzer,
                  loglens::writers<loglens::json_writer>, loglens::null_progress, not_a_correlator>
    p;
