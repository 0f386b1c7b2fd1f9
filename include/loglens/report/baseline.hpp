#pragma once
// Comparing a run with a baseline run: which problems are new, recurring, gone, spiking or calmer.
// SPDX-License-Identifier: MIT

#include <loglens/core/report_model.hpp>
#include <loglens/group/identity.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

LOGLENS_NAMESPACE_BEGIN

/// What `mark_changes` decides for each problem (`problem::change`; `report::gone` holds the `gone` ones).
namespace change {
inline constexpr std::string_view new_problem = "new";
inline constexpr std::string_view recurring = "recurring";
inline constexpr std::string_view gone = "gone";
inline constexpr std::string_view spiking = "spiking";
inline constexpr std::string_view calmer = "calmer";
}  // namespace change

/// A problem spikes when its rate grew at least this much with at least `spike_min_events` events; it is calmer
/// when its rate fell as much.
inline constexpr std::uint64_t spike_factor = 3;
inline constexpr std::uint64_t spike_min_events = 10;

namespace detail {

/// The time a run covers: first to last event over all its groups (0 when it has fewer than two timestamps).
inline std::chrono::nanoseconds run_span(const report& r) {
    std::optional<time_point> first, last;
    for (const auto* list : {&r.problems, &r.noise})
        for (const auto& p : *list) {
            if (p.group.first_seen && (!first || *p.group.first_seen < *first)) first = p.group.first_seen;
            if (p.group.last_seen && (!last || *p.group.last_seen > *last)) last = p.group.last_seen;
        }
    return first && last ? *last - *first : std::chrono::nanoseconds{0};
}

/// `a` events over `span_a` at least `factor` times the rate of `b` events over `span_b`, in exact integer
/// arithmetic (a rate of exactly three times is a spike); plain counts when either run has no span.
inline bool rate_at_least(std::uint64_t a, std::chrono::nanoseconds span_a, std::uint64_t b,
                          std::chrono::nanoseconds span_b, std::uint64_t factor) {
    if (span_a.count() <= 0 || span_b.count() <= 0) return a >= factor * b;
    __extension__ using wide = unsigned __int128;
    return wide(a) * wide(static_cast<std::uint64_t>(span_b.count())) >=
           wide(factor) * wide(b) * wide(static_cast<std::uint64_t>(span_a.count()));
}

// Index of problems by id and alias, so a problem is found whichever side generalised.
class problem_index {
public:
    explicit problem_index(const std::vector<const problem*>& ps) : ps_(ps) {
        for (std::size_t i = 0; i < ps.size(); ++i) {
            by_id_.emplace(ps[i]->group.id, i);
            for (const auto& a : ps[i]->group.aliases) by_id_.emplace(a, i);
        }
    }
    [[nodiscard]] std::optional<std::size_t> find(const log_group& g) const {
        if (auto it = by_id_.find(g.id); it != by_id_.end()) return it->second;
        for (const auto& a : g.aliases)
            if (auto it = by_id_.find(a); it != by_id_.end()) return it->second;
        return std::nullopt;
    }

private:
    const std::vector<const problem*>& ps_;
    std::unordered_multimap<std::string, std::size_t> by_id_;
};

inline std::vector<const problem*> all_problems(const report& r) {
    std::vector<const problem*> out;
    for (const auto& p : r.problems) out.push_back(&p);
    for (const auto& p : r.noise) out.push_back(&p);
    return out;
}

}  // namespace detail

/// The heading of what changed since the baseline, in the report's language.
inline std::string_view since_baseline_title(language l) noexcept {
    return l == language::en ? "Since the baseline" : "С момента базового запуска";
}

/// `new 2, spiking 1, calmer 0, gone 3, recurring 14`: the counts every report shows first.
inline std::string change_counts(const baseline_summary& b) {
    return "new " + std::to_string(b.new_problems) + ", spiking " + std::to_string(b.spiking) + ", calmer " +
           std::to_string(b.calmer) + ", gone " + std::to_string(b.gone) + ", recurring " + std::to_string(b.recurring);
}

/// What leads a report compared with a baseline: new problems, then spiking ones, then the gone ones.
inline std::vector<const problem*> leading_changes(const report& r) {
    std::vector<const problem*> out;
    for (const auto kind : {change::new_problem, change::spiking})
        for (const auto& p : r.problems)
            if (p.change == kind) out.push_back(&p);
    for (const auto& p : r.gone) out.push_back(&p);
    return out;
}

/// @brief Marks every problem and noise group of `now` with its change since `before` (matched by id or alias,
/// docs/grouping.md), and lists in `now.gone` the problems of `before` that did not occur again. Rates are
/// events per second over each run's span (first to last event), or plain counts when a run has no span.
inline baseline_summary mark_changes(report& now, const report& before, std::string path = {}) {
    baseline_summary s;
    s.path = std::move(path);
    s.tool_version = before.tool_version;
    s.generated_at = before.generated_at;
    const auto old = detail::all_problems(before);
    const detail::problem_index index(old);
    auto span_now = detail::run_span(now), span_old = detail::run_span(before);
    if (span_now.count() <= 0 || span_old.count() <= 0) span_now = span_old = {};  // compare counts
    std::vector<bool> seen(old.size(), false);
    for (auto* list : {&now.problems, &now.noise})
        for (auto& p : *list) {
            const auto at = index.find(p.group);
            if (!at) {
                p.change = change::new_problem;
                ++s.new_problems;
                continue;
            }
            seen[*at] = true;
            const auto n_now = p.group.count, n_old = old[*at]->group.count;
            if (n_now >= spike_min_events && detail::rate_at_least(n_now, span_now, n_old, span_old, spike_factor)) {
                p.change = change::spiking;
                ++s.spiking;
            } else if (n_old >= spike_min_events && detail::rate_at_least(n_old, span_old, n_now, span_now, spike_factor)) {
                p.change = change::calmer;
                ++s.calmer;
            } else {
                p.change = change::recurring;
                ++s.recurring;
            }
        }
    now.gone.clear();
    for (std::size_t i = 0; i < old.size(); ++i)
        if (!seen[i] && !old[i]->result.benign) {
            now.gone.push_back(*old[i]);
            now.gone.back().change = change::gone;
            ++s.gone;
        }
    return s;
}

LOGLENS_NAMESPACE_END
