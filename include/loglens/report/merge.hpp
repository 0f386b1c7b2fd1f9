#pragma once
// Merging the reports of shards or hosts into one: problems matched by identity, counts and sketches combined.
// SPDX-License-Identifier: MIT

#include <loglens/core/concepts.hpp>
#include <loglens/core/report_model.hpp>
#include <loglens/detail/hash.hpp>
#include <loglens/group/template_miner.hpp>

#include <algorithm>
#include <map>
#include <numeric>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

LOGLENS_NAMESPACE_BEGIN

/// Bounds of a merged group: the same as the miner's, so a merged report is no bigger than a report of one run.
struct merge_limits {
    std::size_t max_samples = 5;
    std::size_t max_param_values = 10;
    std::size_t max_occurrences = 512;
};

namespace detail {

// Ranks analyses so the merge keeps the best explanation whatever the order: an LLM's over the knowledge base's
// over a heuristic; then the more urgent; then a fixed order of the text.
inline auto analysis_rank(const analysis& a) {
    return std::make_tuple(a.error.empty(), static_cast<int>(a.source), static_cast<int>(a.verdict), a.benign, a.confidence,
                           a.description, a.root_cause, a.signature);
}

inline auto sample_order(const log_entry& e) {
    return std::make_tuple(e.timestamp.value_or(time_point::max()), e.source, e.line, e.message);
}

inline std::size_t variables(const log_group& g) {
    std::size_t n = 0;
    for (auto at = g.template_text.find("<*>"); at != std::string::npos; at = g.template_text.find("<*>", at + 3)) ++n;
    return n;
}

// `b`'s id is among `a`'s aliases: `a` is the wider template.
inline bool absorbs(const log_group& a, const log_group& b) {
    return std::find(a.aliases.begin(), a.aliases.end(), b.id) != a.aliases.end();
}

// The problem that names a merged group: the one whose aliases hold most of the others' ids (the widest
// template), then the one with most variables, then the smallest id, then template: a total order, so the
// choice never depends on the order of the parts.
inline const problem& naming(const std::vector<const problem*>& ps) {
    const auto rank = [&](const problem* p) {
        std::size_t absorbed = 0;
        for (const auto* q : ps) absorbed += absorbs(p->group, q->group);
        return std::make_tuple(absorbed, variables(p->group));
    };
    const auto better = [&](const problem* a, const problem* b) {
        const auto ra = rank(a), rb = rank(b);
        if (ra != rb) return ra > rb;
        return std::tie(a->group.id, a->group.template_text, a->group.exception) <
               std::tie(b->group.id, b->group.template_text, b->group.exception);
    };
    return **std::min_element(ps.begin(), ps.end(), better);
}

// Occurrences of all parts, thinned evenly as the miner thins them (every 2nd, 4th, ...) while over the bound.
inline std::vector<time_point> merged_occurrences(const std::vector<const problem*>& ps, std::size_t max) {
    std::vector<time_point> out;
    for (const auto* p : ps) out.insert(out.end(), p->group.occurrences.begin(), p->group.occurrences.end());
    std::sort(out.begin(), out.end());
    while (out.size() >= max && out.size() > 1) {
        std::size_t w = 0;
        for (std::size_t i = 0; i < out.size(); i += 2) out[w++] = out[i];
        out.resize(w);
    }
    return out;
}

// One variable position over all parts: counts add up; the most frequent values are kept, the others go into
// the sketch (hashed as the miner hashes them), and the sketches are OR-ed, so the distinct estimate is that of
// the union.
inline param_stats merged_param(const std::vector<const param_stats*>& ps, std::size_t max_values) {
    param_stats out;
    out.name = ps.empty() ? std::string("<*>") : ps.front()->name;
    std::map<std::string, std::uint64_t> counts;
    distinct_sketch sketch;
    for (const auto* p : ps) {
        if (p->name != out.name) out.name = "<*>";
        for (const auto& v : p->values) counts[v.value] += v.count;
        if (p->sketch.size() == 32)
            for (std::size_t i = 0; i < 32; ++i) sketch.bits[i] |= p->sketch[i];
    }
    for (auto& [v, n] : counts) out.values.push_back({v, n});
    std::stable_sort(out.values.begin(), out.values.end(), [](const auto& a, const auto& b) { return a.count > b.count; });
    for (std::size_t i = max_values; i < out.values.size(); ++i) sketch.add(quick_hash(out.values[i].value));
    if (out.values.size() > max_values) out.values.resize(max_values);
    out.distinct_dropped = sketch.estimate();
    if (out.distinct_dropped) out.sketch.assign(std::begin(sketch.bits), std::end(sketch.bits));
    return out;
}

// Samples of all parts: the earliest ones and the latest one.
inline std::vector<log_entry> merged_samples(const std::vector<const problem*>& ps, std::size_t max) {
    std::vector<log_entry> out;
    for (const auto* p : ps) out.insert(out.end(), p->group.samples.begin(), p->group.samples.end());
    const auto less = [](const auto& a, const auto& b) { return sample_order(a) < sample_order(b); };
    const auto same = [](const auto& a, const auto& b) { return sample_order(a) == sample_order(b); };
    std::sort(out.begin(), out.end(), less);
    out.erase(std::unique(out.begin(), out.end(), same), out.end());
    if (out.size() > max && max > 0) {
        auto last = std::move(out.back());
        out.resize(max - 1);
        out.push_back(std::move(last));
    }
    return out;
}

// The problems of all parts that are one problem, as one.
inline problem merge_cluster(const std::vector<const problem*>& ps, const merge_limits& lim) {
    const problem& name = naming(ps);
    problem out;
    auto& g = out.group;
    g.id = name.group.id;
    g.template_text = name.group.template_text;
    g.exception = name.group.exception;
    g.service = name.group.service;
    g.component = name.group.component;
    g.level = name.group.level;
    out.result = name.result;
    for (const auto* p : ps) {
        const auto& q = p->group;
        g.count += q.count;
        g.level = std::max(g.level, q.level);
        if (q.first_seen && (!g.first_seen || *q.first_seen < *g.first_seen)) g.first_seen = q.first_seen;
        if (q.last_seen && (!g.last_seen || *q.last_seen > *g.last_seen)) g.last_seen = q.last_seen;
        if (q.service < g.service) g.service = q.service;
        if (!q.component.empty() && (g.component.empty() || q.component < g.component)) g.component = q.component;
        if (q.id != g.id) g.aliases.push_back(q.id);
        for (const auto& a : q.aliases)
            if (a != g.id) g.aliases.push_back(a);
        if (analysis_rank(out.result) < analysis_rank(p->result)) out.result = p->result;
    }
    std::sort(g.aliases.begin(), g.aliases.end());
    g.aliases.erase(std::unique(g.aliases.begin(), g.aliases.end()), g.aliases.end());
    if (g.aliases.size() > max_aliases) g.aliases.resize(max_aliases);
    g.occurrences = merged_occurrences(ps, lim.max_occurrences);
    g.samples = merged_samples(ps, lim.max_samples);
    // parameters line up only between parts with the naming template
    for (std::size_t i = 0; i < name.group.params.size(); ++i) {
        std::vector<const param_stats*> at;
        for (const auto* p : ps)
            if (p->group.template_text == g.template_text && p->group.params.size() == name.group.params.size())
                at.push_back(&p->group.params[i]);
        g.params.push_back(merged_param(at, lim.max_param_values));
    }
    return out;
}

}  // namespace detail

/// Most urgent first: classification, then severity, then count, then id (the order of every report).
inline bool more_urgent(const problem& a, const problem& b) {
    return std::make_tuple(b.result.verdict, b.group.level, b.group.count, a.group.id) <
           std::make_tuple(a.result.verdict, a.group.level, a.group.count, b.group.id);
}

/// @brief Combines reports of parts of the logs (shards, hosts, days) into the report of the whole. Problems are
/// the same when their ids or aliases meet (docs/grouping.md); their counts add up, first/last seen widen,
/// occurrences and parameter values combine and the distinct-value sketches are OR-ed, so the result does not
/// depend on the order or grouping of the parts. Each problem keeps the best analysis any part had; none is
/// asked for again. The parts' incidents are dropped (they do not hold for the whole); the overload with a
/// correlator finds them again. See docs/merge.md for what is exact.
inline report merge_reports(const std::vector<report>& parts, merge_limits lim = {}) {
    report out;
    std::vector<problem> all;
    for (const auto& r : parts) {
        if (out.tool_version < r.tool_version) out.tool_version = r.tool_version;
        if (out.generated_at < r.generated_at) out.generated_at = r.generated_at;
        out.partial = out.partial || r.partial;
        out.inputs.insert(out.inputs.end(), r.inputs.begin(), r.inputs.end());
        out.ingest += r.ingest;
        out.entries_below_threshold += r.entries_below_threshold;
        for (const auto& [k, v] : r.redactions) out.redactions[k] += v;
        out.llm.calls += r.llm.calls;
        out.llm.failures += r.llm.failures;
        out.llm.cache_hits += r.llm.cache_hits;
        out.llm.prompt_tokens += r.llm.prompt_tokens;
        out.llm.completion_tokens += r.llm.completion_tokens;
        out.llm.wall_seconds += r.llm.wall_seconds;
        for (const auto* list : {&r.problems, &r.noise}) all.insert(all.end(), list->begin(), list->end());
    }
    if (!parts.empty()) {
        out.lang = parts.front().lang;
        out.min_severity = parts.front().min_severity;
        for (const auto& r : parts) out.min_severity = std::max(out.min_severity, r.min_severity);
    }
    std::sort(out.inputs.begin(), out.inputs.end(), [](const auto& a, const auto& b) {
        return std::tie(a.path, a.lines, a.bytes, a.error) < std::tie(b.path, b.lines, b.bytes, b.error);
    });
    // union-find over problems whose id or aliases meet
    std::vector<std::size_t> parent(all.size());
    std::iota(parent.begin(), parent.end(), std::size_t{0});
    const auto find = [&](std::size_t i) {
        while (parent[i] != i) i = parent[i] = parent[parent[i]];
        return i;
    };
    std::unordered_map<std::string, std::size_t> owner;
    for (std::size_t i = 0; i < all.size(); ++i) {
        const auto& g = all[i].group;
        std::vector<const std::string*> names{&g.id};
        for (const auto& a : g.aliases) names.push_back(&a);
        for (const auto* n : names) {
            const auto [it, fresh] = owner.emplace(*n, i);
            if (!fresh) parent[find(i)] = find(it->second);
        }
    }
    std::map<std::size_t, std::vector<std::size_t>> members;
    for (std::size_t i = 0; i < all.size(); ++i) members[find(i)].push_back(i);
    for (const auto& cluster : members) {
        std::vector<const problem*> ps;
        for (auto i : cluster.second) ps.push_back(&all[i]);
        auto p = detail::merge_cluster(ps, lim);
        p.incident.clear();  // the parts' incidents do not hold for the whole: see the overload below
        (p.result.benign ? out.noise : out.problems).push_back(std::move(p));
    }
    std::sort(out.problems.begin(), out.problems.end(), more_urgent);
    std::sort(out.noise.begin(), out.noise.end(), more_urgent);
    return out;
}

/// The merge with its incidents found again over the merged problems: a cascade whose cause was logged on one
/// host and whose effects on another becomes one incident, as in a run over all the logs at once.
template <incident_correlator Correlator>
report merge_reports(const std::vector<report>& parts, const Correlator& correlator, merge_limits lim = {}) {
    report out = merge_reports(parts, lim);
    out.incidents = correlator.correlate(out.problems, out.lang);
    return out;
}

LOGLENS_NAMESPACE_END
