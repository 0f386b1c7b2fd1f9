#pragma once
// What every human-readable report derives from the model the same way: counts, titles, top recommendations.
// SPDX-License-Identifier: MIT

#include <loglens/core/report_model.hpp>
#include <loglens/detail/time.hpp>
#include <loglens/report/detail/escape.hpp>
#include <loglens/report/detail/i18n.hpp>

#include <algorithm>
#include <array>
#include <cstdio>
#include <initializer_list>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

LOGLENS_NAMESPACE_BEGIN
namespace detail {

inline constexpr std::size_t classification_count = classification_names.size();

/// Problems per classification, indexed by the enum's value.
inline std::array<std::size_t, classification_count> count_by_classification(const std::vector<problem>& ps) {
    std::array<std::size_t, classification_count> n{};
    for (const auto& p : ps) ++n[static_cast<std::size_t>(p.result.verdict)];
    return n;
}

/// Classifications from most to least urgent, the order reports list them in.
inline constexpr std::array<classification, classification_count> classifications_by_urgency{
    classification::critical, classification::major, classification::minor, classification::warning, classification::info};

/// What the LLM triage did, in one phrase (empty when there was nothing to triage); its error last, so that a
/// failed call is said wherever the triage is.
inline std::string triage_phrase(const triage_summary& t, language lang) {
    if (t.candidates == 0) return {};
    const bool ru = lang == language::ru;
    // "label: number" throughout, so no count needs a plural form in either language
    const auto n = [](std::uint64_t v) { return std::to_string(v); };
    std::string out = ru ? "шаблонов ниже порога: " + n(t.candidates) + ", проверено: " + n(t.asked)
                         : "templates below the threshold: " + n(t.candidates) + ", triaged: " + n(t.asked);
    if (t.cache_hits > 0) out += ru ? " (из кэша: " + n(t.cache_hits) + ")" : " (from the cache: " + n(t.cache_hits) + ")";
    out += ru ? ", вызовов LLM: " + n(t.calls) + ", отмечено проблемами: " + n(t.flagged)
              : ", LLM calls: " + n(t.calls) + ", flagged as problems: " + n(t.flagged);
    if (!t.error.empty()) out += "; " + t.error;
    return out;
}

inline std::string upper_ascii(std::string_view s) {
    std::string out(s);
    for (auto& c : out)
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
    return out;
}

/// `service / component`, or whichever of the two is known; groups problems into report sections.
inline std::string component_label(const log_group& g) {
    if (g.component.empty() || g.component == g.service) return g.service.empty() ? std::string("-") : g.service;
    if (g.service.empty()) return g.component;
    return g.service + " / " + g.component;
}

/// The first line of `s`, at most `max_chars` code points long (cut with `…`).
inline std::string first_line(std::string_view s, std::size_t max_chars = 120) {
    s = s.substr(0, std::min(s.find('\n'), s.size()));
    std::size_t i = 0, chars = 0;
    while (i < s.size() && chars < max_chars) {
        const std::size_t n = utf8_length_at(s, i);
        i += n == 0 ? 1 : n;
        ++chars;
    }
    return i < s.size() ? std::string(s.substr(0, i)) + "\xE2\x80\xA6" : std::string(s);
}

/// A short name for a problem: its exception when it has one, else its template.
inline std::string problem_title(const problem& p, std::size_t max_chars = 120) {
    const auto& g = p.group;
    if (!g.exception.empty()) return first_line(g.exception, max_chars);
    if (!g.template_text.empty()) return first_line(g.template_text, max_chars);
    return g.id;
}

/// `2025-11-03 20:36:40 UTC`: what people read; the JSON report keeps milliseconds.
inline std::string human_time(const std::optional<time_point>& t, std::string_view unknown) {
    if (!t) return std::string(unknown);
    auto s = format_rfc3339(*t, false);
    s[10] = ' ';
    s.back() = ' ';
    return s + "UTC";
}

inline std::string percent(double ratio) {
    const double clamped = std::clamp(ratio, 0.0, 1.0);
    return std::to_string(static_cast<int>(clamped * 100.0 + 0.5)) + "%";
}

inline std::string fixed(double v, int digits) {
    char buf[64];
    const int n = std::snprintf(buf, sizeof buf, "%.*f", digits, v);
    return std::string(buf, static_cast<std::size_t>(n > 0 ? n : 0));
}

/// Recommendations of every problem, the most repeated first (ties: the order of the first problem that
/// gave them, which is urgency order). Exact duplicates count once per problem.
inline std::vector<std::pair<std::string, std::size_t>> top_recommendations(const std::vector<problem>& ps,
                                                                            std::size_t limit = 10) {
    std::vector<std::pair<std::string, std::size_t>> recs;
    std::unordered_map<std::string, std::size_t> index;
    for (const auto& p : ps) {
        for (const auto& r : p.result.recommendations) {
            if (r.empty()) continue;
            const auto [it, added] = index.try_emplace(r, recs.size());
            if (added) recs.emplace_back(r, 0);
            ++recs[it->second].second;
        }
    }
    std::stable_sort(recs.begin(), recs.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    if (recs.size() > limit) recs.resize(limit);
    return recs;
}

/// `[component] recommendation` for every critical and major problem, as the reference's action items.
inline std::vector<std::pair<std::string, std::string>> action_items(const std::vector<problem>& ps) {
    std::vector<std::pair<std::string, std::string>> items;
    for (const auto& p : ps) {
        if (p.result.verdict < classification::major) continue;
        for (const auto& r : p.result.recommendations)
            if (!r.empty()) items.emplace_back(component_label(p.group), r);
    }
    return items;
}

/// Indices of `ps` by component label, sections in order of their most urgent problem (ps is sorted so).
inline std::vector<std::pair<std::string, std::vector<std::size_t>>> problems_by_component(const std::vector<problem>& ps) {
    std::vector<std::pair<std::string, std::vector<std::size_t>>> sections;
    std::unordered_map<std::string, std::size_t> index;
    for (std::size_t i = 0; i < ps.size(); ++i) {
        auto label = component_label(ps[i].group);
        const auto [it, added] = index.try_emplace(label, sections.size());
        if (added) sections.emplace_back(std::move(label), std::vector<std::size_t>{});
        sections[it->second].second.push_back(i);
    }
    return sections;
}

/// `text` with each `{name}` replaced by its value.
inline std::string fill(std::string_view text, std::initializer_list<std::pair<std::string_view, std::string>> values) {
    std::string out(text);
    for (const auto& [name, value] : values) {
        const std::string key = "{" + std::string(name) + "}";
        for (auto at = out.find(key); at != std::string::npos; at = out.find(key, at + value.size()))
            out.replace(at, key.size(), value);
    }
    return out;
}

/// One line of plain text per cap the run reached (writers escape them); empty when none was.
inline std::vector<std::string> bounds_lines(const report& r, const report_strings& s) {
    std::vector<std::string> out;
    const auto& b = r.bounds;
    for (const auto& o : b.overflow) {
        if (o.reason == "services") continue;
        const auto cap = o.reason == "memory" ? std::to_string(b.memory_budget >> 20) + " MiB memory"
                                              : std::to_string(b.max_templates_per_service) + " templates";
        out.push_back(fill(s.overflow_line, {{"service", o.service},
                                             {"messages", std::to_string(o.messages)},
                                             {"distinct", std::to_string(o.distinct)},
                                             {"cap", cap}}));
    }
    if (b.services_beyond_cap > 0)
        out.push_back(fill(s.services_beyond,
                           {{"n", std::to_string(b.services_beyond_cap)}, {"cap", std::to_string(b.max_services)}}));
    if (b.long_lines_cut > 0) out.push_back(fill(s.lines_cut, {{"n", std::to_string(b.long_lines_cut)}}));
    if (r.unlisted_problems > 0)
        out.push_back(fill(s.unlisted,
                           {{"n", std::to_string(r.unlisted_problems)}, {"entries", std::to_string(r.unlisted_entries)}}));
    return out;
}

inline std::uint64_t total_occurrences(const std::vector<problem>& ps) {
    std::uint64_t n = 0;
    for (const auto& p : ps) n += p.group.count;
    return n;
}

}  // namespace detail
LOGLENS_NAMESPACE_END
