#pragma once
// `loglens diff OLD.json NEW.json`: what changed between two runs, from their JSON reports alone.
// SPDX-License-Identifier: MIT

#include "baseline.hpp"
#include "inputs.hpp"
#include "settings.hpp"

#include <loglens/loglens.hpp>

#include <boost/program_options.hpp>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

namespace loglens_cli {

inline boost::program_options::options_description diff_options() {
    boost::program_options::options_description o("options of `loglens diff`", 110, 60);
    o.add_options()("json", boost::program_options::value<std::string>()->value_name("FILE"),
                    "also write NEW with a change per problem (and the gone ones) as a JSON report")(
        "fail-on", boost::program_options::value<std::string>()->value_name("RULE"),
        "exit 1 on: new | new:CLASS (a new problem at least CLASS) | CLASS")(
        "quiet,q", "print nothing; only the exit code and --json")("help,h", "show this help");
    return o;
}

inline void print_diff_help(const boost::program_options::options_description& o) {
    std::cout << "usage: loglens diff [OPTIONS] OLD.json NEW.json\n\n"
                 "Compares two JSON reports of loglens analyze: each problem of NEW is new, recurring, spiking\n"
                 "(rate up at least 3x, at least 10 events) or calmer; problems of OLD not in NEW are gone.\n"
                 "Problems are matched by id or alias (docs/grouping.md), so replicas and hosts match too.\n\n"
              << o
              << "\nexamples:\n"
                 "  loglens diff yesterday/log_analysis_report.json today/log_analysis_report.json\n"
                 "  loglens diff base.json run.json --fail-on new:major      # CI: fail only on new trouble\n\n"
                 "exit codes: 0 done, 1 --fail-on reached, 2 usage error, 3 a report cannot be read\n";
}

/// Runs `diff` on parsed options; `inputs` are the two report paths. Returns the exit code.
inline int run_diff(const boost::program_options::variables_map& vm, const std::vector<std::string>& inputs) {
    if (inputs.size() != 2)
        throw usage_error("diff takes two reports, OLD.json and NEW.json (got " + std::to_string(inputs.size()) +
                          "); see `loglens diff --help`");
    std::optional<fail_rule> rule;
    if (vm.count("fail-on")) rule = fail_rule::parse(vm["fail-on"].as<std::string>());
    const auto before = read_baseline(inputs[0], "OLD");
    auto now = read_baseline(inputs[1], "NEW");
    now.baseline = loglens::mark_changes(now, before, inputs[0]);
    const bool quiet = vm.count("quiet") != 0;
    if (!quiet) {
        if (before.tool_version != now.tool_version)
            std::cout << "note: OLD was written by loglens " << before.tool_version << ", NEW by " << now.tool_version
                      << "\n";
        print_baseline_lead(std::cout, now, static_cast<std::size_t>(-1));
    }
    if (vm.count("json")) {
        const auto path = vm["json"].as<std::string>();
        std::ofstream out(path, std::ios::binary);
        if (out) loglens::json_writer{}.write(now, out);
        if (!out) throw input_error("cannot write " + path + "; choose a writable path for --json");
    }
    if (rule)
        if (const auto* p = rule->reached(now)) {
            if (!quiet) std::cerr << "loglens: " << rule->describe(*p) << '\n';
            return 1;
        }
    return 0;
}

}  // namespace loglens_cli
