#pragma once
// What a summariser (an LLM) said about one incident, and how the incident shows it: cheap, no Asio.
// SPDX-License-Identifier: MIT

#include <loglens/core/report_model.hpp>

#include <optional>
#include <string>
#include <vector>

LOGLENS_NAMESPACE_BEGIN

/// What an LLM said about one incident, validated: every step names a member of that incident.
struct incident_answer {
    std::string summary;
    std::string root_cause;
    std::vector<incident_step> steps;
};

/// The outcome of one incident's LLM summary: an answer, or why there is none (empty both: no LLM asked).
struct incident_outcome {
    std::optional<incident_answer> answer;
    std::string error;
};

/// The answer as the incident shows it: summary, root cause and fix order from the LLM.
inline void apply_incident_answer(incident& inc, const incident_answer& a) {
    inc.summary = a.summary;
    inc.root_cause = a.root_cause;
    inc.fix_steps = a.steps;
    inc.fix_order.clear();
    for (const auto& s : a.steps) inc.fix_order.push_back(s.action);
    inc.summary_source = analysis_source::llm;
    inc.llm_error.clear();
}

LOGLENS_NAMESPACE_END
