#pragma once
// `loglens merge a.json b.json ... -o all.json`: one report from the reports of shards or hosts.
// SPDX-License-Identifier: MIT

#include "baseline.hpp"
#include "inputs.hpp"
#include "settings.hpp"

#include <loglens/loglens.hpp>
#include <loglens/report/merge.hpp>

#include <boost/program_options.hpp>

#include <fstream>
#include <iostream>
#include <string>
#include <vector>

namespace loglens_cli {

inline boost::program_options::options_description merge_options() {
    boost::program_options::options_description o("options of `loglens merge`", 110, 60);
    o.add_options()("out,o", boost::program_options::value<std::string>()->value_name("FILE"),
                    "the merged JSON report (required)")("quiet,q", "do not print what was merged")("help,h",
                                                                                                    "show this help");
    return o;
}

inline void print_merge_help(const boost::program_options::options_description& o) {
    std::cout << "usage: loglens merge [OPTIONS] REPORT.json... -o ALL.json\n\n"
                 "Combines JSON reports of parts of the logs (shards, hosts, days) into the report of the whole:\n"
                 "problems with the same id or alias become one, counts add up, first/last seen widen, and\n"
                 "parameter values and their distinct-value sketches merge. The order of the reports does not\n"
                 "matter. No LLM is asked; each problem keeps the best analysis a part had. Incidents are found\n"
                 "again over the merged problems, so a cause on one host and its effects on another are one.\n"
                 "(docs/merge.md)\n\n"
              << o
              << "\nexample:\n"
                 "  loglens merge host-*/log_analysis_report.json -o all.json\n\n"
                 "exit codes: 0 done, 2 usage error, 3 a report cannot be read or the output written\n";
}

inline int run_merge(const boost::program_options::variables_map& vm, const std::vector<std::string>& inputs) {
    if (inputs.empty()) throw usage_error("merge needs at least one report; see `loglens merge --help`");
    if (!vm.count("out")) throw usage_error("merge needs -o FILE for the merged report; see `loglens merge --help`");
    std::vector<loglens::report> parts;
    parts.reserve(inputs.size());
    for (const auto& path : inputs) parts.push_back(read_baseline(path, "a report to merge"));
    for (const auto& r : parts)
        if (r.lang != parts.front().lang && vm.count("quiet") == 0) {
            std::cerr << "loglens: note: the reports are in different languages; the merged one keeps each "
                         "problem's best explanation, in whichever language it was written\n";
            break;
        }
    const auto merged = loglens::merge_reports(parts, loglens::causal_correlator{});
    const auto path = vm["out"].as<std::string>();
    std::ofstream out(path, std::ios::binary);
    if (out) loglens::json_writer{}.write(merged, out);
    if (!out) throw input_error("cannot write " + path + "; choose a writable path for -o");
    if (!vm.count("quiet"))
        std::cout << "merged " << parts.size() << " reports: " << merged.problems.size() << " problems, "
                  << merged.noise.size() << " noise groups, " << merged.incidents.size() << " incidents -> " << path
                  << '\n';
    return 0;
}

}  // namespace loglens_cli
