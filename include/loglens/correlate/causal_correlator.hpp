#pragma once
// loglens::causal_correlator: folds problems into incidents by the stack's causal knowledge and by timing.
// SPDX-License-Identifier: MIT

#include <loglens/core/report_model.hpp>
#include <loglens/core/stage_tags.hpp>
#include <loglens/correlate/causal_knowledge.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <numeric>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

LOGLENS_NAMESPACE_BEGIN

/// How close in time two problems must start to be linked.
struct correlation_options {
    /// An effect may be logged this long before its cause (clocks of two containers, buffered output).
    std::chrono::seconds slack{10};
    /// An effect must start within this long after its cause's last occurrence.
    std::chrono::seconds window{300};
    /// Occurrences further apart than this start a new burst.
    std::chrono::seconds burst_gap{60};
    /// Without a rule, two problems are linked when each burst of one starts this soon after a burst of the
    /// other, in at least `min_repeats` bursts.
    std::chrono::seconds timing_window{30};
    std::size_t min_repeats = 2;
};

namespace detail {

struct corr_problem {
    std::size_t index = 0;       // into the problems span
    int kind = -1;               // into correlate::failure_kinds
    std::uint32_t mentions = 0;  // bit set of domains the text names
    time_point first{};
    time_point last{};
    std::vector<time_point> bursts;
};

inline constexpr std::string_view corr_domains[] = {"redis", "db", "s3", "spark", "host", "airflow"};
inline constexpr std::string_view corr_domain_words[] = {
    "redis|misconf|celery|kombu|broker",
    "psycopg|sqlalchemy|postgres|mysql|operationalerror|database",
    "s3a|s3://|s3hook|amazons3|botocore|minio|bucket|xminio",
    "spark|executor",
    "",
    "airflow|dag ",
};

inline bool has_any(std::string_view text, std::string_view alternatives) {
    while (!alternatives.empty()) {
        const auto bar = alternatives.find('|');
        const auto word = alternatives.substr(0, bar);
        if (!word.empty() && text.find(word) != std::string_view::npos) return true;
        if (bar == std::string_view::npos) break;
        alternatives.remove_prefix(bar + 1);
    }
    return false;
}

inline bool starts_with_any(std::string_view text, std::string_view alternatives) {
    if (text.empty()) return false;
    while (!alternatives.empty()) {
        const auto bar = alternatives.find('|');
        const auto word = alternatives.substr(0, bar);
        if (!word.empty() && text.starts_with(word)) return true;
        if (bar == std::string_view::npos) break;
        alternatives.remove_prefix(bar + 1);
    }
    return false;
}

inline int domain_index(std::string_view d) {
    for (std::size_t i = 0; i < std::size(corr_domains); ++i)
        if (corr_domains[i] == d) return static_cast<int>(i);
    return -1;
}

// What the kind rules read: the template, the exception and the samples' messages and exceptions, in lower
// case; never the analysis prose, which names other services while explaining.
inline std::string problem_text(const problem& p) {
    std::string t = p.group.template_text + '\n' + p.group.exception;
    for (std::size_t i = 0; i < p.group.samples.size() && i < 3; ++i)
        t += '\n' + p.group.samples[i].message + '\n' + p.group.samples[i].exception;
    for (auto& c : t) c = ascii_lower(c);
    return t;
}

// The words first, over every kind: a signature names the failure's domain (Postgres' own "password
// authentication failed" carries Airflow's signature), the words say who is speaking.
inline int kind_of(std::string_view text, std::string_view signature) {
    for (int pass = 0; pass < 2; ++pass)
        for (std::size_t k = 0; k < std::size(correlate::failure_kinds); ++k) {
            const auto& fk = correlate::failure_kinds[k];
            if (!fk.unless.empty() && has_any(text, fk.unless)) continue;
            if (pass == 0 ? has_any(text, fk.words) : starts_with_any(signature, fk.signatures)) return static_cast<int>(k);
        }
    return -1;
}

inline constexpr std::size_t kind_count = std::size(correlate::failure_kinds);

constexpr int kind_index(std::string_view id) {
    for (std::size_t k = 0; k < kind_count; ++k)
        if (correlate::failure_kinds[k].id == id) return static_cast<int>(k);
    return -1;
}

// The links as a matrix, built at compile time: a link naming an unknown kind does not compile.
inline constexpr auto cause_matrix = [] {
    std::array<std::array<bool, kind_count>, kind_count> m{};
    for (const auto& l : correlate::causal_links) {
        const int c = kind_index(l.cause), e = kind_index(l.effect);
        if (c < 0 || e < 0) throw "loglens: a causal link names a failure kind that is not in the table";
        m[static_cast<std::size_t>(c)][static_cast<std::size_t>(e)] = true;
    }
    return m;
}();

inline bool causes(int cause, int effect) {
    if (cause < 0 || effect < 0) return false;
    return cause_matrix[static_cast<std::size_t>(cause)][static_cast<std::size_t>(effect)];
}

inline std::vector<time_point> burst_starts(const log_group& g, std::chrono::seconds gap) {
    std::vector<time_point> occ = g.occurrences;
    if (occ.empty() && g.first_seen) occ.push_back(*g.first_seen);
    std::sort(occ.begin(), occ.end());
    std::vector<time_point> starts;
    for (std::size_t i = 0; i < occ.size(); ++i)
        if (i == 0 || occ[i] - occ[i - 1] > gap) starts.push_back(occ[i]);
    return starts;
}

inline std::string seconds_text(std::chrono::nanoseconds d) {
    const auto tenths = std::chrono::duration_cast<std::chrono::milliseconds>(d).count() / 100;
    const auto a = tenths < 0 ? -tenths : tenths;
    return std::to_string(a / 10) + "." + std::to_string(a % 10) + " s";
}

class union_forest {
public:
    explicit union_forest(std::size_t n) : root_(n) { std::iota(root_.begin(), root_.end(), std::size_t{0}); }
    std::size_t find(std::size_t i) {
        while (root_[i] != i) i = root_[i] = root_[root_[i]];
        return i;
    }
    void join(std::size_t parent, std::size_t child) { root_[find(child)] = find(parent); }

private:
    std::vector<std::size_t> root_;
};

}  // namespace detail

/// @brief The correlation stage: problems in, incidents out.
///
/// Each problem gets at most one parent, the problem that most plausibly caused it: by a causal rule of the
/// stack (`correlate::causal_links`, cause of one kind, effect of another, starting within the window), by
/// being the same failure seen again (same kind, later), or, without any rule, by timing (its bursts start
/// just after the other's, in at least two repeats; weaker). The parent must start earlier (up to `slack`),
/// and links never form a cycle, so every incident is a tree whose root is the probable first cause.
/// A generic symptom (an Airflow task failure) is linked only to a cause whose domain its text names, or
/// names none. Deterministic: the same problems give the same incidents, ids and order.
class causal_correlator {
public:
    using stage_category = correlator_tag;

    causal_correlator() = default;
    explicit causal_correlator(correlation_options opts) : opts_(opts) {}

    [[nodiscard]] std::vector<incident> correlate(std::span<problem> problems, language lang) const {
        auto items = describe(problems);
        std::vector<std::size_t> order(items.size());
        std::iota(order.begin(), order.end(), std::size_t{0});
        std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
            if (items[a].first != items[b].first) return items[a].first < items[b].first;
            return problems[items[a].index].group.id < problems[items[b].index].group.id;
        });
        std::vector<std::size_t> rank(items.size());
        for (std::size_t r = 0; r < order.size(); ++r) rank[order[r]] = r;

        detail::union_forest forest(items.size());
        std::vector<std::optional<std::size_t>> parent(items.size());
        std::vector<std::string> evidence(items.size());
        std::vector<double> confidence(items.size(), 0.0);
        for (const std::size_t e : order) {
            if (auto p = rule_parent(items, rank, forest, e)) {
                link(forest, parent, *p, e);
                const bool same = items[*p].kind == items[e].kind;
                evidence[e] = same ? "same failure: " + kind_id(items[e].kind)
                                   : "rule " + kind_id(items[*p].kind) + " -> " + kind_id(items[e].kind);
                confidence[e] = same ? 0.9 : 0.8;
            }
        }
        for (const std::size_t e : order) {
            if (parent[e]) continue;
            if (auto p = timing_parent(items, forest, e)) {
                link(forest, parent, p->first, e);
                evidence[e] = "timing: starts within " + detail::seconds_text(p->second) + " after it in " +
                              std::to_string(items[e].bursts.size()) + " of " + std::to_string(items[e].bursts.size()) +
                              " bursts";
                confidence[e] = 0.5;
            }
        }
        return assemble(problems, items, order, forest, parent, evidence, confidence, lang);
    }

private:
    static std::string kind_id(int k) {
        return k < 0 ? std::string("unknown") : std::string(correlate::failure_kinds[static_cast<std::size_t>(k)].id);
    }

    std::vector<detail::corr_problem> describe(std::span<problem> problems) const {
        std::vector<detail::corr_problem> items;
        items.reserve(problems.size());
        for (std::size_t i = 0; i < problems.size(); ++i) {
            const auto& g = problems[i].group;
            detail::corr_problem c;
            c.index = i;
            const std::string text = detail::problem_text(problems[i]);
            c.kind = detail::kind_of(text, problems[i].result.signature);
            for (std::size_t d = 0; d < std::size(detail::corr_domains); ++d)
                if (detail::has_any(text, detail::corr_domain_words[d])) c.mentions |= 1u << d;
            c.first = g.first_seen.value_or(time_point{});
            c.last = g.last_seen.value_or(c.first);
            c.bursts = detail::burst_starts(g, opts_.burst_gap);
            items.push_back(std::move(c));
        }
        return items;
    }

    // A generic symptom names what it failed on; a cause of another domain cannot explain it.
    static bool domain_fits(const detail::corr_problem& cause, const detail::corr_problem& effect) {
        if (cause.kind < 0) return false;
        const int d = detail::domain_index(correlate::failure_kinds[static_cast<std::size_t>(cause.kind)].domain);
        if (d < 0 || detail::corr_domains[static_cast<std::size_t>(d)] == "host") return true;
        const std::uint32_t own = effect.kind < 0
                                      ? 0u
                                      : 1u << detail::domain_index(
                                            correlate::failure_kinds[static_cast<std::size_t>(effect.kind)].domain);
        const std::uint32_t others = effect.mentions & ~own;
        return others == 0 || (others & (1u << d)) != 0 || (own & (1u << d)) != 0;
    }

    static std::uint32_t others(const detail::corr_problem& p) {
        if (p.kind < 0) return p.mentions;
        const int d = detail::domain_index(correlate::failure_kinds[static_cast<std::size_t>(p.kind)].domain);
        return p.mentions & ~(d < 0 ? 0u : 1u << d);
    }

    // Two task failures are the same failure only when they failed on the same thing.
    static bool same_subject(const detail::corr_problem& a, const detail::corr_problem& b) {
        const auto x = others(a), y = others(b);
        return x == 0 || y == 0 || (x & y) != 0;
    }

    bool in_window(const detail::corr_problem& cause, const detail::corr_problem& effect) const {
        return effect.first + opts_.slack >= cause.first && effect.first <= cause.last + opts_.window;
    }

    // The latest-starting plausible cause: the proximate one, so chains keep their order.
    std::optional<std::size_t> rule_parent(const std::vector<detail::corr_problem>& items,
                                           const std::vector<std::size_t>& rank, detail::union_forest& forest,
                                           std::size_t e) const {
        const auto& eff = items[e];
        if (eff.kind < 0) return std::nullopt;
        std::optional<std::size_t> best;
        for (std::size_t c = 0; c < items.size(); ++c) {
            if (c == e || forest.find(c) == forest.find(e)) continue;
            const auto& cause = items[c];
            const bool same = cause.kind == eff.kind && rank[c] < rank[e];
            if (!same && !detail::causes(cause.kind, eff.kind)) continue;
            if (!in_window(cause, eff) || !(same ? same_subject(cause, eff) : domain_fits(cause, eff))) continue;
            // a cause logged after its effect is believed only when the effect cannot explain it instead
            if (cause.first > eff.first && detail::causes(eff.kind, cause.kind)) continue;
            if (!best || better_parent(items, rank, c, *best, e)) best = c;
        }
        return best;
    }

    static bool better_parent(const std::vector<detail::corr_problem>& items, const std::vector<std::size_t>& rank,
                              std::size_t a, std::size_t b, std::size_t e) {
        // a cause of another kind explains more than a repeat of the same failure
        const bool a_rule = items[a].kind != items[e].kind, b_rule = items[b].kind != items[e].kind;
        if (a_rule != b_rule) return a_rule;
        const bool a_before = items[a].first <= items[e].first, b_before = items[b].first <= items[e].first;
        if (a_before != b_before) return a_before;
        return a_before ? rank[a] > rank[b] : rank[a] < rank[b];
    }

    std::optional<std::pair<std::size_t, std::chrono::nanoseconds>> timing_parent(
        const std::vector<detail::corr_problem>& items, detail::union_forest& forest, std::size_t e) const {
        const auto& eff = items[e];
        if (eff.bursts.size() < opts_.min_repeats) return std::nullopt;
        std::optional<std::pair<std::size_t, std::chrono::nanoseconds>> best;
        for (std::size_t c = 0; c < items.size(); ++c) {
            if (c == e || forest.find(c) == forest.find(e)) continue;
            const auto& cause = items[c];
            if (cause.bursts.size() != eff.bursts.size()) continue;
            std::chrono::nanoseconds worst{0};
            bool all = true;
            for (std::size_t i = 0; i < eff.bursts.size() && all; ++i) {
                const auto d = eff.bursts[i] - cause.bursts[i];
                all = d >= std::chrono::nanoseconds{0} && d <= opts_.timing_window &&
                      (d > std::chrono::nanoseconds{0} || c < e);
                worst = std::max(worst, d);
            }
            if (all && (!best || worst < best->second)) best = std::pair{c, worst};
        }
        return best;
    }

    static void link(detail::union_forest& forest, std::vector<std::optional<std::size_t>>& parent, std::size_t p,
                     std::size_t e) {
        parent[e] = p;
        forest.join(p, e);
    }

    std::vector<incident> assemble(std::span<problem> problems, const std::vector<detail::corr_problem>& items,
                                   const std::vector<std::size_t>& order, detail::union_forest& forest,
                                   const std::vector<std::optional<std::size_t>>& parent,
                                   const std::vector<std::string>& evidence, const std::vector<double>& confidence,
                                   language lang) const {
        std::vector<incident> out;
        std::vector<std::size_t> slot(items.size(), SIZE_MAX);
        for (const std::size_t i : order) {  // members in order of first appearance
            std::size_t root = i;
            while (parent[root]) root = *parent[root];
            if (slot[root] == SIZE_MAX) {
                slot[root] = out.size();
                out.push_back(open_incident(problems[items[root].index], items[root], items, parent, root, lang));
            }
            auto& inc = out[slot[root]];
            const auto& p = problems[items[i].index];
            inc.members.push_back(
                {p.group.id, i == root ? std::string("first cause") : evidence[i], i == root ? 1.0 : confidence[i]});
            inc.verdict = std::max(inc.verdict, p.result.verdict);
            if (p.group.first_seen && (!inc.start || *p.group.first_seen < *inc.start)) inc.start = p.group.first_seen;
            if (p.group.last_seen && (!inc.end || *p.group.last_seen > *inc.end)) inc.end = p.group.last_seen;
            if (std::find(inc.services.begin(), inc.services.end(), p.group.service) == inc.services.end())
                inc.services.push_back(p.group.service);
        }
        (void)forest;
        for (auto& inc : out) finish_incident(inc, problems, items, lang);
        for (std::size_t i = 0; i < items.size(); ++i) {
            std::size_t root = i;
            while (parent[root]) root = *parent[root];
            problems[items[i].index].incident = out[slot[root]].id;
        }
        std::stable_sort(out.begin(), out.end(), [](const incident& a, const incident& b) {
            if (a.verdict != b.verdict) return a.verdict > b.verdict;
            if (a.members.size() != b.members.size()) return a.members.size() > b.members.size();
            if (a.start != b.start) return a.start < b.start;
            return a.id < b.id;
        });
        return out;
    }

    static incident open_incident(const problem& root, const detail::corr_problem& item,
                                  const std::vector<detail::corr_problem>& items,
                                  const std::vector<std::optional<std::size_t>>& parent, std::size_t root_index,
                                  language lang) {
        incident inc;
        inc.id = "inc-" + root.group.id;
        inc.first_cause = root.group.id;
        inc.first_cause_kind = kind_id(item.kind);
        inc.title = root.result.description.empty() ? root.group.template_text : first_sentence(root.result.description);
        std::size_t children = 0;
        bool by_rule = false;
        for (std::size_t i = 0; i < items.size(); ++i)
            if (parent[i] && *parent[i] == root_index) {
                ++children;
                by_rule = by_rule || items[i].kind >= 0;
            }
        if (children == 0)
            inc.evidence = lang == language::ru ? "не связана с другими проблемами" : "no other problem linked";
        else if (lang == language::ru)
            inc.evidence = by_rule ? "самая ранняя проблема, которой по причинной связи стека объясняются остальные"
                                   : "самая ранняя проблема; остальные начинаются сразу после неё (по времени)";
        else
            inc.evidence = by_rule ? "the earliest problem that explains the others by a causal rule of the stack"
                                   : "the earliest problem; the others start right after it (by timing)";
        return inc;
    }

    static std::string first_sentence(const std::string& s) {
        const auto dot = s.find(". ");
        return dot == std::string::npos ? s : s.substr(0, dot + 1);
    }

    // Without an LLM the summary comes from the causal knowledge: the chain of failure kinds, in order.
    void finish_incident(incident& inc, std::span<problem> problems, const std::vector<detail::corr_problem>& items,
                         language lang) const {
        const bool ru = lang == language::ru;
        std::vector<std::string> chain;
        std::vector<std::string> seen_kinds;
        for (const auto& m : inc.members) {
            const auto it = std::find_if(items.begin(), items.end(),
                                         [&](const auto& c) { return problems[c.index].group.id == m.problem_id; });
            if (it == items.end()) continue;
            const problem* p = &problems[it->index];
            const int k = it->kind;
            const std::string key = k < 0 ? p->group.id : kind_id(k);
            if (std::find(seen_kinds.begin(), seen_kinds.end(), key) != seen_kinds.end()) continue;
            seen_kinds.push_back(key);
            std::string words = k < 0 ? (p->group.template_text.size() > 80 ? p->group.template_text.substr(0, 80) + "…"
                                                                            : p->group.template_text)
                                      : std::string(ru ? correlate::failure_kinds[static_cast<std::size_t>(k)].ru
                                                       : correlate::failure_kinds[static_cast<std::size_t>(k)].en);
            chain.push_back(words + " (" + p->group.service + ")");
            for (const auto& rec : p->result.recommendations) {
                if (inc.fix_order.size() >= 5) break;
                if (std::find(inc.fix_order.begin(), inc.fix_order.end(), rec) == inc.fix_order.end()) {
                    inc.fix_order.push_back(rec);
                    inc.fix_steps.push_back({p->group.id, rec});
                    break;  // one step per failure kind, the first cause's first
                }
            }
        }
        std::string s;
        for (std::size_t i = 0; i < chain.size(); ++i) s += (i == 0 ? "" : " → ") + chain[i];
        if (inc.members.size() > 1)
            s += ru ? ". Проблем в инциденте: " + std::to_string(inc.members.size()) +
                          ", сервисов: " + std::to_string(inc.services.size()) + "."
                    : ". " + std::to_string(inc.members.size()) + " problems in " + std::to_string(inc.services.size()) +
                          (inc.services.size() == 1 ? " service." : " services.");
        inc.summary = std::move(s);
    }

    correlation_options opts_;
};

/// The correlator that does nothing: every problem is an incident of its own (for pipelines that want none).
class null_correlator {
public:
    using stage_category = correlator_tag;
    [[nodiscard]] std::vector<incident> correlate(std::span<problem>, language) const { return {}; }
};

LOGLENS_NAMESPACE_END
