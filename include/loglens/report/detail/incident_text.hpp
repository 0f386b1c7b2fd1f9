#pragma once
// The words and lookups every report writer uses for incidents, in Russian and English.
// SPDX-License-Identifier: MIT

#include <loglens/core/report_model.hpp>

#include <string>
#include <string_view>

LOGLENS_NAMESPACE_BEGIN
namespace detail {

struct incident_strings {
    std::string_view incidents;   ///< section title
    std::string_view count_line;  ///< "{N} incidents from {M} problems": the words after N, then after M
    std::string_view from_problems;
    std::string_view first_cause;
    std::string_view evidence;
    std::string_view chain;
    std::string_view when;
    std::string_view services;
    std::string_view fix_first;
    std::string_view members;
    std::string_view incident;
    std::string_view summary_llm;  ///< the summary's label when an LLM wrote it
    std::string_view root_cause;
    std::string_view llm_note;  ///< why the LLM summary is missing
};

inline constexpr incident_strings incident_strings_ru{"Инциденты",
                                                      "инцидентов из проблем:",
                                                      "",
                                                      "Первопричина",
                                                      "Почему",
                                                      "Цепочка",
                                                      "Время",
                                                      "Сервисы",
                                                      "Что исправить сначала",
                                                      "Проблемы инцидента",
                                                      "Инцидент",
                                                      "Сводка (LLM)",
                                                      "Корневая причина (LLM)",
                                                      "Сводка LLM"};
inline constexpr incident_strings incident_strings_en{
    "Incidents", "incidents from", "problems",         "First cause", "Why",
    "Chain",     "Time",           "Services",         "Fix first",   "Problems in this incident",
    "Incident",  "Summary (LLM)",  "Root cause (LLM)", "LLM summary"};

inline const incident_strings& incident_strings_for(language lang) noexcept {
    return lang == language::ru ? incident_strings_ru : incident_strings_en;
}

/// "5 incidents from 31 problems" / "5 инцидентов из проблем: 31".
inline std::string incident_count_line(const report& r) {
    const auto& t = incident_strings_for(r.lang);
    std::string s = std::to_string(r.incidents.size()) + " " + std::string(t.count_line) + " " +
                    std::to_string(r.problems.size());
    if (!t.from_problems.empty()) s += " " + std::string(t.from_problems);
    return s;
}

/// The label of an incident's summary: the chain from the causal knowledge, or the LLM's summary.
inline std::string_view summary_label(const incident& inc, const incident_strings& t) {
    return inc.summary_source == analysis_source::llm ? t.summary_llm : t.chain;
}

inline const problem* problem_by_id(const report& r, std::string_view id) {
    for (const auto& p : r.problems)
        if (p.group.id == id) return &p;
    return nullptr;
}

/// 1-based position of an incident in the report, for "incident 3" links; 0 when it is not there.
inline std::size_t incident_number(const report& r, std::string_view id) {
    for (std::size_t i = 0; i < r.incidents.size(); ++i)
        if (r.incidents[i].id == id) return i + 1;
    return 0;
}

}  // namespace detail
LOGLENS_NAMESPACE_END
