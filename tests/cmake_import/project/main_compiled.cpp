// A consumer of loglens::loglens_compiled: the default pipeline, instantiated in the installed static library.
// SPDX-License-Identifier: MIT
#include <loglens/loglens.hpp>

#include <cstdio>

#ifndef LOGLENS_COMPILED_LIB
#error "linking loglens::loglens_compiled defines LOGLENS_COMPILED_LIB"
#endif

int main() {
    loglens::default_pipeline p;
    p.ingest_text(
        "airflow-scheduler-1  | [2025-11-03T20:36:40.123+0000] {scheduler_job.py:1} ERROR - disk full\n"
        "airflow-scheduler-1  | [2025-11-03T20:36:41.123+0000] {scheduler_job.py:1} ERROR - disk full\n",
        {"compose.log", ""});
    const auto r = p.analyse();
    const auto probe = loglens::probe_llm({});  // backend none: answered without a network
    std::printf("loglens %s (compiled): %zu problem(s); %s\n", LOGLENS_VERSION_STRING, r.problems.size(),
                probe.message.c_str());
    return (r.problems.size() == 1 && r.problems[0].group.count == 2 && !probe.usable()) ? 0 : 1;
}
