#pragma once
// The report model: everything a run found, in the form every report writer reads.
// SPDX-License-Identifier: MIT

#include <loglens/core/types.hpp>

#include <cstdint>
#include <map>
#include <optional>
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

/// What the LLM triage of the templates below the threshold did; all zero when there was none.
struct triage_summary {
    std::uint64_t candidates = 0;  ///< templates below the threshold the rules neither flag nor know as harmless
    std::uint64_t asked = 0;       ///< of those, whose verdict the LLM gave (in `calls` calls, or from the cache)
    std::uint64_t cache_hits = 0;
    std::uint64_t calls = 0;
    std::uint64_t flagged = 0;    ///< of those asked, the templates the LLM called problems: reported as such
    std::uint64_t not_asked = 0;  ///< left below the threshold without a verdict (call limit, failed call, stop)
    std::string error;            ///< why some were not triaged; empty when all were
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
    std::string note;                              ///< one line for the user, e.g. why the run went offline
    std::string first_error;                       ///< the first failure's reason, the cause when there is no note
    std::uint64_t retries = 0;                     ///< extra attempts (each with the next seed)
    int num_ctx = 0;                               ///< the context the prompts were packed for, in tokens (0: no call)
    int num_predict = 0;                           ///< the answer budget sent, in tokens
    std::map<std::string, std::uint64_t> repairs;  ///< answers repaired rather than rejected, by kind
    std::uint64_t not_analysed = 0;                ///< groups never sent: the circuit breaker had opened
    std::vector<std::string> not_analysed_groups;  ///< their ids
    std::uint64_t incident_answers = 0;            ///< incidents summarised by the LLM (cache hits included)
    std::uint64_t incident_cache_hits = 0;
    std::uint64_t incident_failures = 0;  ///< incidents whose LLM summary failed or was invalid: knowledge kept
    triage_summary triage;
};

/// A service whose further distinct messages went to its overflow group because a cap was reached.
struct overflow_note {
    std::string service;
    std::string reason;          ///< the cap: `templates` (per service), `memory` (the budget), `services`
    std::uint64_t messages = 0;  ///< entries counted in the overflow group
    std::uint64_t distinct = 0;  ///< distinct messages among them (estimated; 0 for `services`)
};

/// The bounds of a run: caps of the grouper, which were reached, and how much of the report is listed in full.
struct bounds_summary {
    std::uint64_t max_templates_per_service = 0;
    std::uint64_t max_services = 0;
    std::uint64_t memory_budget = 0;  ///< bytes the grouper may use (estimated)
    std::uint64_t memory_used = 0;
    std::uint64_t long_lines_cut = 0;       ///< messages with more words than a template keeps
    std::uint64_t services_beyond_cap = 0;  ///< distinct services whose entries overflowed (estimated)
    std::vector<overflow_note> overflow;
    std::uint64_t problems_in_full = 0;    ///< the listing limit: problems beyond it are rows of a table
    std::uint64_t problem_rows_limit = 0;  ///< rows beyond it are only counted
};

/// A group beyond the report's full listing, as one row of a table.
struct problem_row {
    std::string id;
    std::string service;
    std::string template_text;  ///< cut to a line
    severity level = severity::info;
    classification verdict = classification::info;
    std::uint64_t count = 0;
    bool benign = false;
};

/// A group together with what the analysis said about it.
struct problem {
    log_group group;
    analysis result;
    std::string change;    ///< since the baseline: new, recurring, gone, spiking, calmer; empty without one
    std::string incident;  ///< id of the incident this problem belongs to (empty before correlation)
};

/// The run a report was compared with (`--baseline`, `loglens diff`), and what changed, by kind.
struct baseline_summary {
    std::string path;          ///< the baseline report as the user named it
    std::string tool_version;  ///< loglens that wrote the baseline
    time_point generated_at{};
    std::uint64_t new_problems = 0, recurring = 0, spiking = 0, calmer = 0, gone = 0;
};

/// Why one problem belongs to its incident.
struct incident_member {
    std::string problem_id;
    std::string evidence;     ///< `first cause`, `rule CAUSE -> EFFECT`, `same failure`, or `timing ...`
    double confidence = 0.0;  ///< how sure the link is: a rule of the stack (high) or timing alone (weaker)
};

/// One step of an incident's fix order: what to do, and the member problem it is about.
struct incident_step {
    std::string problem_id;
    std::string action;
};

/// Problems that are one failure seen from several services, with the member that probably came first.
struct incident {
    std::string id;                                 ///< stable across runs: derived from the first cause's problem id
    classification verdict = classification::info;  ///< the most urgent member's
    std::string title;                              ///< the first cause's title
    std::string first_cause;                        ///< problem id of the probable first cause
    std::string first_cause_kind;                   ///< failure kind of the first cause (`redis.write-refused`)
    std::string evidence;                           ///< why it is the first cause
    std::vector<incident_member> members;           ///< in order of first appearance, first cause included
    std::optional<time_point> start;
    std::optional<time_point> end;
    std::vector<std::string> services;     ///< services touched, in order of first appearance
    std::string summary;                   ///< one paragraph: what failed and what followed from it
    std::vector<std::string> fix_order;    ///< what to fix first, then next
    std::vector<incident_step> fix_steps;  ///< the same order, each step with the member problem it is about
    std::string root_cause;                ///< the LLM's account of the root cause; empty from the knowledge
    /// Who wrote summary and fix order: `knowledge_base` (the causal knowledge and the members' analyses) or `llm`.
    analysis_source summary_source = analysis_source::knowledge_base;
    std::string llm_error;  ///< why the LLM summary was not used, when one was asked for
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
    std::vector<incident> incidents;  ///< most urgent first; every problem is in exactly one
    std::vector<problem> problems;
    std::vector<problem> noise;
    std::optional<baseline_summary> baseline;  ///< set when the run was compared with an earlier one
    std::vector<problem> gone;                 ///< the baseline's problems that did not occur in this run
    bounds_summary bounds;
    std::vector<problem_row> more_problems;  ///< problems and noise beyond the full listing, most urgent first
    std::uint64_t unlisted_problems = 0;     ///< beyond the table too: only counted
    std::uint64_t unlisted_entries = 0;      ///< entries of those
};

LOGLENS_NAMESPACE_END
