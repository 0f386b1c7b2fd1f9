// SPDX-License-Identifier: MIT
#include <loglens/loglens.hpp>

#include <cstdio>

int main() {
    loglens::pipeline<loglens::plain_parser, loglens::exact_grouper> p;
    p.ingest_text("ERROR disk full\nINFO ok\nERROR disk full\n", {"consumer", "app"});
    const auto r = p.analyse();
    std::printf("loglens %s: %zu problem(s)\n", LOGLENS_VERSION_STRING, r.problems.size());
    return (r.problems.size() == 1 && r.problems[0].group.count == 2) ? 0 : 1;
}
