#pragma once
// Runs compared with a baseline: reading it, the --fail-on rule (class, new, new:CLASS), and the lines that lead.
// SPDX-License-Identifier: MIT

#include "inputs.hpp"
#include "settings.hpp"
#include "summary.hpp"

#include <loglens/detail/terminal_text.hpp>
#include <loglens/loglens.hpp>

#include <optional>
#include <ostream>
#include <string>

namespace loglens_cli {

/// `--fail-on`: a class (`major`: any problem at least major), `new` (any problem new since the baseline) or
/// `new:CLASS` (any new problem at least CLASS). Known-harmless noise never counts.
struct fail_rule {
    std::optional<loglens::classification> at_least;
    bool only_new = false;

    [[nodiscard]] static fail_rule parse(const std::string& text) {
        fail_rule r;
        std::string cls = text;
        if (text == "new" || text.rfind("new:", 0) == 0) {
            r.only_new = true;
            cls = text.size() > 4 ? text.substr(4) : "";
        }
        if (!cls.empty()) {
            r.at_least = loglens::parse_classification(cls);
            if (!r.at_least)
                throw usage_error("invalid --fail-on: '" + text +
                                  "'; use info, warning, minor, major, critical, new or new:CLASS (e.g. new:major)");
        }
        return r;
    }

    /// The first problem that makes the run fail, if any.
    [[nodiscard]] const loglens::problem* reached(const loglens::report& r) const {
        for (const auto& p : r.problems) {
            if (only_new && p.change != loglens::change::new_problem) continue;
            if (at_least && p.result.verdict < *at_least) continue;
            return &p;
        }
        return nullptr;
    }

    [[nodiscard]] std::string describe(const loglens::problem& p) const {
        return std::string("--fail-on ") + (only_new ? "new" : "") + (only_new && at_least ? ":" : "") +
               (at_least ? std::string(loglens::to_string(*at_least)) : "") + " reached: a " + (only_new ? "new " : "") +
               std::string(loglens::to_string(p.result.verdict)) + " problem (" + p.group.id + ") was found";
    }
};

/// Reads a baseline (or any report to compare): unreadable, foreign or too new is an input error that says why.
/// Reports of schema version 1 named problems by a hash that changed as templates generalised, so their ids
/// cannot be compared; they are refused rather than reported as all new.
inline loglens::report read_baseline(const std::string& path, const char* role) {
    try {
        int version = 0;
        auto r = loglens::read_report(path, &version);
        if (version < 2)
            throw input_error(path + " (" + role + ") was written by loglens with report schema_version " +
                              std::to_string(version) +
                              ", whose problem ids change from run to run; write it again with this loglens "
                              "(loglens analyze --format json) and compare with that");
        return r;
    } catch (const loglens::report_error& e) {
        throw input_error(std::string(e.what()) + " (" + role + ")");
    }
}

/// What changed since the baseline, first of all: the new problems by urgency, then spikes, then the counts.
inline void print_baseline_lead(std::ostream& out, const loglens::report& r, std::size_t max_lines = 10) {
    if (!r.baseline) return;
    const auto& b = *r.baseline;
    out << "since " << loglens::detail::terminal_text(b.path) << ": " << b.new_problems << " new, " << b.spiking
        << " spiking, " << b.calmer << " calmer, " << b.gone << " gone, " << b.recurring << " recurring\n";
    std::size_t shown = 0;
    for (const auto* kind : {&loglens::change::new_problem, &loglens::change::spiking})
        for (const auto& p : r.problems) {
            if (p.change != *kind || shown++ >= max_lines) continue;
            out << "  " << p.change << "  [" << loglens::to_string(p.result.verdict) << "] "
                << loglens::detail::terminal_text(loglens::detail::problem_title(p, 100)) << " (" << p.group.id << ")\n";
        }
    for (const auto& p : r.gone) {
        if (shown++ >= max_lines) break;
        out << "  gone  [" << loglens::to_string(p.result.verdict) << "] "
            << loglens::detail::terminal_text(loglens::detail::problem_title(p, 100)) << " (" << p.group.id << ")\n";
    }
}

}  // namespace loglens_cli
