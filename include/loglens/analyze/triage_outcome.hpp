#pragma once
// What the LLM triage of templates below the threshold said, and how the pipeline shows it: cheap, no Asio.
// SPDX-License-Identifier: MIT

#include <loglens/core/report_model.hpp>

#include <cstddef>
#include <string>
#include <vector>

LOGLENS_NAMESPACE_BEGIN

/// One template the LLM calls a problem, by its index among the templates asked.
struct triage_flag {
    std::size_t index = 0;
    classification verdict = classification::minor;
    std::string reason;
};

/// What the triage of one run gave: the templates flagged (indices into the candidates) and how it went.
struct triage_outcome {
    std::vector<triage_flag> flagged;
    std::size_t candidates = 0;  ///< templates below the threshold that the rules neither flag nor know
    std::size_t asked = 0;       ///< of those, sent to the LLM (in `calls` calls)
    std::size_t cache_hits = 0;  ///< of those, whose verdict came from the cache
    std::size_t calls = 0;
    std::size_t not_asked = 0;  ///< left out: the call limit was reached, a call failed, or the run stopped
    std::string error;          ///< non-empty: why some were not triaged; they stay below the threshold
};

/// The report's account of a triage.
inline triage_summary summarize(const triage_outcome& o) {
    return {o.candidates, o.asked, o.cache_hits, o.calls, o.flagged.size(), o.not_asked, o.error};
}

/// The reason a flagged template shows in every report, after the level it was logged at.
inline std::string triage_reason(severity level, const std::string& why, language lang) {
    const std::string lvl(to_string(level));
    std::string upper;
    for (char c : lvl) upper += static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c);
    return lang == language::ru ? "записано с уровнем " + upper + ", но отмечено LLM: " + why
                                : "logged at " + upper + ", but flagged by the LLM: " + why;
}

LOGLENS_NAMESPACE_END
