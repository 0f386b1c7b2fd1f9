#pragma once
// The one place where the CLI chooses its pipeline's stages and turns settings into analyser options.
// SPDX-License-Identifier: MIT

#include "progress.hpp"

#include <loglens/loglens.hpp>

#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <iostream>
#include <memory>
#include <string>

namespace loglens_cli {

/// The stages of `loglens analyze`. Swap a stage here and nowhere else.
using cli_parser = loglens::compose_parser;
using cli_grouper = loglens::template_miner;
using cli_analyzer = loglens::standard_analyzer;
using cli_writers = loglens::default_writers;
using cli_pipeline = loglens::basic_default_pipeline<progress_bar>;

/// `loglens watch`: the same stages, the analyser apart (it runs in the background, `incremental_analysis`).
using watch_pipeline = loglens::pipeline<cli_parser, cli_grouper, loglens::null_analyzer, cli_writers>;

/// `loglens templates`: the same parser and grouper, nothing else.
using templates_pipeline = loglens::pipeline<cli_parser, cli_grouper>;

/// What the user asked of the analysis stage, resolved from flags, environment and `.env`.
struct llm_settings {
    std::string backend = "auto";  ///< auto | ollama | openai | none
    std::string url;
    std::string model;
    std::uint64_t timeout = 120;  ///< seconds per LLM call
    std::uint64_t retries = 3;
    std::uint64_t retry_server_after = 30;  ///< seconds before a server that stopped answering is tried again
    std::uint64_t incident_calls = 20;      ///< incidents of several problems summarised by the LLM
    std::uint64_t triage_calls = 3;         ///< calls of the triage of templates below the threshold
    std::uint64_t concurrency = 1;
    std::string api_key;
    std::string cache_dir;  ///< empty: no cache
    loglens::file_permissions cache_permissions;
    std::uint64_t cache_max_entries = 10000;
    std::uint64_t cache_max_age_days = 90;
    std::string url_setting;    ///< the URL's setting and origin, for messages
    std::uint64_t num_ctx = 0;  ///< 0: what the server reports
    std::uint64_t num_predict = 768;
    bool stream = false;
    bool insecure = false;
    bool notices = true;  ///< print the preflight's countdown on stderr
};

/// The backend a run will use, and the one line to tell the user about it.
struct backend_choice {
    loglens::llm_backend backend = loglens::llm_backend::none;
    std::string note;   ///< e.g. why the run is offline; empty when there is nothing to say
    std::string error;  ///< non-empty: the LLM was required and is not usable (exit 4)
};

/// The analyser's options for `backend`, from the resolved settings.
inline loglens::llm_options make_llm_options(const llm_settings& s, loglens::llm_backend backend) {
    loglens::llm_options o;
    o.backend = backend;
    o.url = s.url;
    o.model = s.model;
    o.timeout = std::chrono::seconds(s.timeout);
    o.retries = static_cast<int>(s.retries);
    o.breaker_cooldown = std::chrono::seconds(s.retry_server_after);
    o.incident_calls = static_cast<std::size_t>(s.incident_calls);
    o.triage_calls = static_cast<std::size_t>(s.triage_calls);
    o.parallel = static_cast<std::size_t>(s.concurrency);
    o.api_key = s.api_key;
    o.cache_dir = s.cache_dir;
    o.cache_permissions = s.cache_permissions;
    o.cache_max_entries = static_cast<std::size_t>(s.cache_max_entries);
    o.cache_max_age = std::chrono::hours(24 * s.cache_max_age_days);
    o.url_setting = s.url_setting;
    o.num_ctx = static_cast<int>(s.num_ctx);
    o.num_predict = static_cast<int>(s.num_predict);
    o.stream = s.stream;
    o.insecure = s.insecure;
    return o;
}

/// The preflight's countdown on stderr: redrawn in place on a terminal, one line per 10 s otherwise.
inline std::function<void(const std::string&)> stderr_notices() {
    const bool tty = ::isatty(STDERR_FILENO) == 1;
    auto count = std::make_shared<int>(0);
    return [tty, count](const std::string& line) {
        if (tty) std::cerr << "\r\x1b[2Kloglens: " << line << std::flush;
        else if ((*count)++ % 10 == 0) std::cerr << "loglens: " << line << '\n';
    };
}

/// @brief Decides the backend by a preflight. `auto` tries Ollama's routes, then the OpenAI-compatible ones,
/// and says which it found, or runs offline and says why in one line; `ollama`/`openai` make a failed
/// preflight an error (exit 4) with its cause.
inline backend_choice choose_backend(const llm_settings& s) {
    if (s.backend == "none") return {};
    const auto wanted = s.backend == "openai" ? loglens::llm_backend::openai : loglens::llm_backend::ollama;
    auto opts = make_llm_options(s, wanted);
    if (s.notices) opts.on_notice = stderr_notices();
    const auto probe = s.backend == "auto" ? loglens::probe_auto(opts) : loglens::probe_llm(opts);
    if (s.notices && ::isatty(STDERR_FILENO) == 1) std::cerr << "\r\x1b[2K" << std::flush;  // end the countdown line
    if (probe.usable()) {
        if (s.backend != "auto") return {wanted, "", ""};
        return {probe.backend, "found " + probe.message, ""};
    }
    if (s.backend == "auto")
        return {loglens::llm_backend::none,
                probe.message + "; running offline with the built-in knowledge base (--backend none hides this)", ""};
    return {wanted, "", probe.message + "; or run offline with --backend none"};
}

/// The analyser for the chosen backend.
inline cli_analyzer make_analyzer(const llm_settings& s, const backend_choice& c,
                                  const loglens::knowledge_base& kb = loglens::knowledge_base::builtin()) {
    return cli_analyzer(make_llm_options(s, c.backend), kb);
}

}  // namespace loglens_cli
