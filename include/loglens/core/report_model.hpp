#pragma once
// The report model: everything a run found, in the form every report writer reads.

#include <loglens/core/types.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

LOGLENS_NAMESPACE_BEGIN

/// One input as the run read it.
struct input_summary {
    std::string path;
    std::uint64_t lines = 0;
    std::uint64_t bytes = 0;
    std::string error;  ///< non-empty when the input could not be read (and why)
};

/// What the analysis stage spent and how it went; all zero when no LLM was used.
struct llm_summary {
    std::string backend = "none";  ///< `none`, `ollama`, `openai`
    std::string model;
    std::string url;
    std::string server_version;
    std::uint64_t calls = 0;
    std::uint64_t failures = 0;
    std::uint64_t cache_hits = 0;
    std::uint64_t prompt_tokens = 0;
    std::uint64_t completion_tokens = 0;
    double wall_seconds = 0.0;
    std::string note;  ///< one line for the user, e.g. why the run went offline
    std::string first_error;  ///< the first failure's reason, the cause when there is no note
    std::uint64_t retries = 0;         ///< extra attempts (each with the next seed)
    int num_ctx = 0;                   ///< the context the prompts were packed for, in tokens (0: no call)
    int num_predict = 0;               ///< the answer budget sent, in tokens
    std::map<std::string, std::uint64_t> repairs;  ///< answers repaired rather than rejected, by kind
    std::uint64_t not_analysed = 0;    ///< groups never sent: the circuit breaker had opened
    std::vector<std::string> not_analysed_groups;  ///< their ids
};

/// A group together with what the analysis said about it.
struct problem {
    log_group group;
    analysis result;
};

/// Everything a run found. Problems are sorted most urgent first; benign known noise is kept apart.
struct report {
    std::string tool_version;
    time_point generated_at{};
    language lang = language::ru;
    severity min_severity = severity::warning;
    bool partial = false;  ///< true when the run was interrupted before every group was analysed
    std::vector<input_summary> inputs;
    ingest_stats ingest;
    std::uint64_t entries_below_threshold = 0;        ///< entries read but under `min_severity`
    std::map<std::string, std::uint64_t> redactions;  ///< secret kind -> values redacted
    llm_summary llm;
    std::vector<problem> problems;
    std::vector<problem> noise;
};

LOGLENS_NAMESPACE_END
