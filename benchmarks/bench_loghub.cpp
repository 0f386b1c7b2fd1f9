// Grouping accuracy of template_miner on the 16 Loghub-2k datasets, one configuration for all, next to the peers.
// SPDX-License-Identifier: MIT
// Usage: bench_loghub [DATASET]   (with a dataset name: also list the true templates it got wrong)
#include <loglens/loglens.hpp>

#include "../tests/support/loghub.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace {

struct run_result {
    std::vector<std::size_t> predicted;
    std::vector<loglens::log_group> groups;
};

// The Content field of every raw line, split by the dataset's header format.
std::vector<std::string> split_contents(const loglens_test::loghub_data& d, std::size_t& unmatched) {
    const auto fmt = loglens::line_format::compile(d.format);
    const auto content = fmt.index_of("Content");
    std::vector<std::string_view> fields;
    std::vector<std::string> out;
    for (const auto& line : d.raw) {
        if (content && fmt.split(line, fields)) {
            out.emplace_back(fields[*content]);
        } else {
            ++unmatched;
            out.push_back(line);
        }
    }
    return out;
}

run_result run(const std::vector<std::string>& contents) {
    loglens::template_miner miner;
    std::vector<std::size_t> keys;
    keys.reserve(contents.size());
    for (std::size_t i = 0; i < contents.size(); ++i) {
        loglens::log_entry e;
        e.message = contents[i];
        e.line = i + 1;
        keys.push_back(miner.add(std::move(e)));
    }
    run_result r;
    for (auto k : keys) r.predicted.push_back(miner.resolve(k));
    r.groups = miner.groups();
    return r;
}

void explain(const loglens_test::loghub_data& d, const run_result& r) {
    std::map<std::string, std::map<std::size_t, std::size_t>> by_truth;  // truth -> predicted -> lines
    std::map<std::size_t, std::map<std::string, std::size_t>> by_pred;
    for (std::size_t i = 0; i < d.truth.size(); ++i) {
        ++by_truth[d.truth[i]][r.predicted[i]];
        ++by_pred[r.predicted[i]][d.truth[i]];
    }
    for (const auto& [t, preds] : by_truth) {
        bool ok = preds.size() == 1 && by_pred[preds.begin()->first].size() == 1;
        if (ok) continue;
        std::size_t n = 0;
        for (auto& [p, c] : preds) n += c;
        std::printf("TRUE (%zu) %s\n", n, t.c_str());
        for (auto& [p, c] : preds)
            std::printf("   %4zu -> [%zu lines, %zu truths] %s\n", c, static_cast<std::size_t>(r.groups[p].count),
                        by_pred[p].size(), r.groups[p].template_text.c_str());
    }
}

}  // namespace

int main(int argc, char** argv) {
    const std::string root = LOGLENS_LOGHUB_DIR;
    const std::string only = argc > 1 ? argv[1] : "";
    std::printf("| Dataset | GA | FGA | groups (true) | best univ peer GA | best univ peer FGA | GA gap |\n");
    std::printf("|---|---|---|---|---|---|---|\n");
    double sum_ga = 0, sum_fga = 0;
    int n = 0;
    for (std::size_t i = 0; i < std::size(loglens_test::loghub_datasets); ++i) {
        const auto& spec = loglens_test::loghub_datasets[i];
        if (!only.empty() && only != spec.name) continue;
        const auto d = loglens_test::load_loghub(root, spec);
        std::size_t unmatched = 0, differ = 0;
        const auto contents = split_contents(d, unmatched);
        for (std::size_t k = 0; k < contents.size() && k < d.content.size(); ++k) {
            std::string_view a = contents[k], b = d.content[k];  // the CSV drops trailing spaces
            while (!a.empty() && a.back() == ' ') a.remove_suffix(1);
            while (!b.empty() && b.back() == ' ') b.remove_suffix(1);
            differ += a != b;
        }
        if (unmatched || differ || contents.size() != d.content.size())
            std::printf("(%s: %zu lines, %zu rows; header format unmatched on %zu lines, Content differs on %zu)\n",
                        spec.name, contents.size(), d.content.size(), unmatched, differ);
        const auto r = run(contents);
        const auto s = loglens_test::score_grouping(r.predicted, d.truth);
        const auto& p = loglens_test::loghub_peers[i];
        const double peer_ga = std::max(p.drain_ga, p.brain_ga), peer_fga = std::max(p.drain_fga, p.brain_fga);
        std::printf("| %s | %.4f | %.3f | %zu (%zu) | %.4f | %.3f | %+.4f%s |\n", spec.name, s.ga, s.fga,
                    s.predicted_groups, s.true_groups, peer_ga, peer_fga, s.ga - peer_ga,
                    s.ga < peer_ga - 0.05 ? " LOW" : "");
        sum_ga += s.ga;
        sum_fga += s.fga;
        ++n;
        if (!only.empty()) explain(d, r);
    }
    std::printf("| **mean** | **%.4f** | **%.3f** | | | | |\n", sum_ga / n, sum_fga / n);
    return 0;
}
