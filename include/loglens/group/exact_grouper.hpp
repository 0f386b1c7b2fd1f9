#pragma once
// The simplest grouper: entries with exactly the same service and message form one group.
// SPDX-License-Identifier: MIT

#include <loglens/core/concepts.hpp>
#include <loglens/detail/hash.hpp>

#include <algorithm>
#include <string>
#include <unordered_map>
#include <vector>

LOGLENS_NAMESPACE_BEGIN

/// Groups by exact text. Memory grows with distinct messages; samples per group are bounded.
class exact_grouper {
public:
    using stage_category = grouper_tag;

    exact_grouper() = default;
    explicit exact_grouper(std::size_t max_samples) : max_samples_(max_samples < 2 ? 2 : max_samples) {}

    std::size_t add(log_entry&& e) {
        std::string key = e.service;
        key += '\x1f';
        key += e.message;
        auto [it, inserted] = index_.try_emplace(std::move(key), groups_.size());
        if (inserted) {
            log_group g;
            g.id = detail::short_id(detail::fnv1a(it->first));
            g.service = e.service;
            g.component = e.component;
            g.template_text = e.message;
            g.exception = e.exception;
            groups_.push_back(std::move(g));
        }
        fold(groups_[it->second], std::move(e));
        return it->second;
    }

    [[nodiscard]] std::vector<log_group> groups() const { return groups_; }
    [[nodiscard]] std::size_t resolve(std::size_t key) const noexcept { return key; }

private:
    void fold(log_group& g, log_entry&& e) {
        ++g.count;
        g.level = std::max(g.level, e.level);
        if (e.timestamp) {
            if (!g.first_seen || *e.timestamp < *g.first_seen) g.first_seen = e.timestamp;
            if (!g.last_seen || *e.timestamp > *g.last_seen) g.last_seen = e.timestamp;
            if (g.occurrences.size() < 512) g.occurrences.push_back(*e.timestamp);
        }
        // keep the first samples, and let the last slot always hold the latest entry
        if (g.samples.size() < max_samples_) g.samples.push_back(std::move(e));
        else g.samples.back() = std::move(e);
    }

    std::size_t max_samples_ = 3;
    std::unordered_map<std::string, std::size_t> index_;
    std::vector<log_group> groups_;
};

LOGLENS_NAMESPACE_END
