#pragma once
// Comparing a run with a baseline run: which problems are new, recurring, gone, spiking or calmer.

#include <loglens/core/report_model.hpp>
#include <loglens/group/identity.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
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
inline constexpr double spike_factor = 3.0;
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

/// Events per second of the run, or the count itself when either run has no time span (runs of equal length).
inline double rate(std::uint64_t count, std::chrono::nanoseconds span, bool both_timed) {
    if (!both_timed) return static_cast<double>(count);
    return static_cast<double>(count) / std::chrono::duration<double>(span).count();
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
    const auto span_now = detail::run_span(now), span_old = detail::run_span(before);
    const bool timed = span_now.count() > 0 && span_old.count() > 0;
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
            const double r_now = detail::rate(p.group.count, span_now, timed);
            const double r_old = detail::rate(old[*at]->group.count, span_old, timed);
            if (p.group.count >= spike_min_events && r_now >= spike_factor * r_old) {
                p.change = change::spiking;
                ++s.spiking;
            } else if (old[*at]->group.count >= spike_min_events && r_old >= spike_factor * r_now) {
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
