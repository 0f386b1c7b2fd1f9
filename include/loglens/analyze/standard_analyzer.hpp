#pragma once
// loglens::standard_analyzer: the knowledge base first, then a local LLM (Ollama or OpenAI-compatible), never losing a group.
// SPDX-License-Identifier: MIT
//
// This header only declares; the coroutines, the HTTP clients and the cache are in standard_analyzer-inl.hpp,
// included below in header-only mode and compiled once into loglens::loglens_compiled with LOGLENS_COMPILED_LIB.

#include <loglens/analyze/analysis_context.hpp>
#include <loglens/analyze/knowledge_base.hpp>
#include <loglens/analyze/llm_options.hpp>
#include <loglens/analyze/triage_outcome.hpp>
#include <loglens/core/concepts.hpp>
#include <loglens/core/report_model.hpp>
#include <loglens/correlate/incident_answer.hpp>
#include <loglens/detail/config.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>

LOGLENS_NAMESPACE_BEGIN

/// What `probe_llm` found out, for `--backend auto` and for the report's note.
struct probe_result {
    bool reachable = false;
    bool model_present = false;
    llm_backend backend = llm_backend::none;  ///< the API that answered (`probe_auto` may find either)
    std::string server_version;
    int n_ctx = 0;                           ///< the context the server reports, 0: unknown
    std::optional<llm_error::kind> failure;  ///< why it is not usable, when it is not
    std::string message;                     ///< one line: what was found and what to do
    [[nodiscard]] bool usable() const noexcept { return reachable && model_present; }
};

/// Checks, synchronously, whether the configured LLM can be used: the preflight of `check_server`.
probe_result probe_llm(const llm_options& opts);

/// @brief `--backend auto`: Ollama's routes first, then the OpenAI-compatible ones, at the same URL. The result
/// names the API found (`backend`); when neither answers, the message says what each said.
probe_result probe_auto(llm_options opts);

/// @brief The analyser most runs want: known signatures from the knowledge base, explained further by an LLM
/// when one is configured, cached on disk, and always falling back to the knowledge base or heuristics.
///
/// Every group gets exactly one analysis. When the LLM fails (unreachable, model not pulled, HTTP errors after
/// retries, timeouts, answers that break the schema twice), the group keeps its offline analysis and
/// `analysis::error` says what went wrong. Copies share one state (cache, counters, cancellation).
class standard_analyzer {
public:
    using stage_category = analyzer_tag;

    standard_analyzer();
    explicit standard_analyzer(llm_options opts, const knowledge_base& kb = knowledge_base::builtin());

    [[nodiscard]] const llm_options& options() const noexcept;

    void async_analyze(const log_group& g, const analysis_context& ctx, analysis_handler done);

    /// The outcome of one incident's summary, as `async_summarize` reports it.
    using incident_handler = std::function<void(incident_outcome)>;

    /// @brief One LLM call for an incident: summary, root cause and fix order over its members (found in
    /// `problems` by id), validated against the incident, cached by its identity. Bounded like the groups'
    /// calls (same slots, same circuit breaker); at most `llm_options::incident_calls` incidents are asked, in
    /// the order they come (most urgent first). `done` gets no answer and no error when no LLM is configured,
    /// and an error (the incident keeps its summary from the causal knowledge) when the call failed.
    void async_summarize(const incident& inc, std::span<const problem> problems, const analysis_context& ctx,
                         incident_handler done);

    /// The outcome of the triage, as `async_triage` reports it.
    using triage_handler = std::function<void(triage_outcome)>;

    /// Whether `async_triage` asks anything: an LLM is configured and `llm_options::triage_calls` is not 0.
    [[nodiscard]] bool triages() const noexcept;

    /// @brief Asks the LLM which of `candidates` (templates below the threshold that the rules neither flag nor
    /// know as harmless) are problems: cached verdicts first, then batched calls within the context, at most
    /// `llm_options::triage_calls`, validated against each batch. `done` gets the flagged ones by index; a call
    /// that fails flags nothing, and the outcome says why.
    void async_triage(std::span<const log_group> candidates, const analysis_context& ctx, triage_handler done);

    /// Abandons every LLM call in flight and every one not yet started; each still completes with its fallback.
    void cancel();

    [[nodiscard]] llm_summary summary() const;

private:
    struct state;  ///< shared by copies: options, clients, cache, counters and the coroutines of a call
    std::shared_ptr<state> s_;
};

LOGLENS_NAMESPACE_END

#ifndef LOGLENS_COMPILED_LIB
#include <loglens/analyze/standard_analyzer-inl.hpp>
#endif
