// libFuzzer target: template_miner on arbitrary lines. A line `service\tmessage\texception` sets the other fields.
// Every entry must be counted in exactly one group, every key must resolve, and ids must be unique.
#include <loglens/group/template_miner.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view rest(reinterpret_cast<const char*>(data), size);
    loglens::template_miner miner(loglens::template_miner_limits{.max_samples = 3, .max_param_values = 2,
                                                                 .max_occurrences = 4, .shape_cache = 8});
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
    }
    const auto groups = miner.groups();
    if (groups.size() != miner.size()) std::abort();
    std::uint64_t counted = 0;
    std::set<std::string> ids;
    for (const auto& g : groups) {
        counted += g.count;
        if (g.count == 0 || g.samples.empty() || g.samples.size() > 3) std::abort();
        if (!ids.insert(g.id).second) std::abort();
        for (const auto& p : g.params)
            if (p.values.size() > 2) std::abort();
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
    return 0;
}
