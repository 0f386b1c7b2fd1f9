// libFuzzer target: template_miner on arbitrary lines. A line `service\tmessage\texception` sets the other fields.
// SPDX-License-Identifier: MIT
// Every entry must be counted in exactly one group, every key must resolve, and ids must be unique. Then the
// input seeds a stream of distinct messages (words drawn from its bytes) past small caps: the work of every
// line (candidate templates and index probes) must stay a few probes per word whatever the number of
// templates, and the overflow must be counted.
#include <loglens/group/template_miner.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace {

constexpr std::size_t work_slack = 8;  // one unit per loop that stops at the budget

void check(const loglens::template_miner& miner, const std::vector<std::size_t>& keys, std::size_t max_samples,
           std::size_t max_values) {
    const auto groups = miner.groups();
    if (groups.size() != miner.size()) std::abort();
    std::uint64_t counted = 0;
    std::set<std::string> ids;
    for (const auto& g : groups) {
        counted += g.count;
        if (g.count == 0 || g.samples.empty() || g.samples.size() > max_samples) std::abort();
        if (!ids.insert(g.id).second) std::abort();
        for (const auto& p : g.params)
            if (p.values.size() > max_values) std::abort();
    }
    if (counted != keys.size()) std::abort();
    std::vector<std::uint64_t> per_group(groups.size());
    for (auto k : keys) {
        const auto i = miner.resolve(k);
        if (i >= groups.size()) std::abort();
        ++per_group[i];
    }
    for (std::size_t i = 0; i < groups.size(); ++i)
        if (per_group[i] != groups[i].count) std::abort();
}

// Distinct messages built from the input's bytes: short words of them, a few services, many templates.
void distinct_stream(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return;
    constexpr std::size_t cap = 200, max_words = 24;
    loglens::template_miner miner(loglens::template_miner_limits{.max_samples = 3,
                                                                 .max_param_values = 2,
                                                                 .shape_cache = 16,
                                                                 .max_words = max_words,
                                                                 .max_templates_per_service = cap,
                                                                 .max_services = 3});
    std::vector<std::size_t> keys;
    std::uint64_t state = size;
    for (std::size_t i = 0; i < 600; ++i) {
        loglens::log_entry e;
        e.line = i + 1;
        e.service = "s" + std::to_string(i % 4);
        const std::size_t words = 1 + data[i % size] % 8;
        for (std::size_t w = 0; w < words; ++w) {
            state = state * 6364136223846793005ull + data[(i + w) % size] + 1;
            if (w) e.message += ' ';
            const auto b = data[(state >> 33) % size];
            e.message += static_cast<char>(b < 0x20 || b == 0x7f ? 'a' + b % 26 : b);
            for (int k = 0; k < 3; ++k) e.message += static_cast<char>('a' + (state >> (40 + 5 * k)) % 26);
        }
        keys.push_back(miner.add(std::move(e)));
        // a few probes per word, however many templates there are (a scan would cost one per template)
        if (miner.last_line_work() > 4 * (max_words + 1)) std::abort();
    }
    check(miner, keys, 3, 2);
    const auto b = miner.bounds();
    std::uint64_t over = 0;
    for (const auto& o : b.overflow) over += o.messages;
    std::uint64_t in_templates = 0;
    for (const auto& g : miner.groups())
        if (g.template_text != loglens::template_miner::overflow_template) in_templates += g.count;
    if (over + in_templates != keys.size()) std::abort();
    // at most `cap` live templates a service, three services mined, the fourth an overflow group
    if (miner.size() > 3 * (cap + 1) + 1) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view rest(reinterpret_cast<const char*>(data), size);
    loglens::template_miner miner(
        loglens::template_miner_limits{.max_samples = 3, .max_param_values = 2, .max_occurrences = 4, .shape_cache = 8});
    std::vector<std::size_t> keys;
    while (!rest.empty()) {
        const auto e = rest.find('\n');
        std::string_view line = rest.substr(0, e);
        rest = e == std::string_view::npos ? std::string_view{} : rest.substr(e + 1);
        loglens::log_entry entry;
        entry.line = keys.size() + 1;
        if (const auto t = line.find('\t'); t != std::string_view::npos && t < 8) {
            entry.service = std::string(line.substr(0, t));
            line.remove_prefix(t + 1);
        }
        if (const auto t = line.find('\t'); t != std::string_view::npos) {
            entry.exception = std::string(line.substr(t + 1));
            line = line.substr(0, t);
        }
        entry.message = std::string(line);
        keys.push_back(miner.add(std::move(entry)));
        if (miner.last_line_work() > loglens::template_miner_limits{}.max_work_per_line + work_slack) std::abort();
    }
    check(miner, keys, 3, 2);
    distinct_stream(data, size);
    return 0;
}
