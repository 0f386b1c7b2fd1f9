#pragma once
// The settings, messages, replies and errors of the LLM clients: plain types, without the HTTP code.
// SPDX-License-Identifier: MIT

#include <loglens/core/file_permissions.hpp>
#include <loglens/version.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

LOGLENS_NAMESPACE_BEGIN

enum class llm_backend : std::uint8_t { none, ollama, openai };

constexpr std::string_view to_string(llm_backend b) noexcept {
    return b == llm_backend::ollama ? "ollama" : b == llm_backend::openai ? "openai" : "none";
}
constexpr std::optional<llm_backend> parse_llm_backend(std::string_view w) noexcept {
    if (detail::iequals(w, "none")) return llm_backend::none;
    if (detail::iequals(w, "ollama")) return llm_backend::ollama;
    if (detail::iequals(w, "openai")) return llm_backend::openai;
    return std::nullopt;
}

/// Settings of the LLM analysis. Names follow the reference design's OLLAMA_* settings where they exist.
struct llm_options {
    llm_backend backend = llm_backend::none;
    std::string url;          ///< empty: http://localhost:11434 (ollama) or http://localhost:8080 (openai); a
                              ///< trailing `/v1` is accepted (the OpenAI SDKs want it) and dropped
    std::string url_setting;  ///< how to name the URL in messages, e.g. `--url`; empty: the environment name
    std::string model = "mistral";
    std::chrono::milliseconds timeout{120000};            ///< one HTTP exchange, all included (OLLAMA_TIMEOUT)
    std::chrono::milliseconds connect_timeout{5000};      ///< reaching the server (and the TLS handshake)
    std::chrono::milliseconds first_byte_timeout{60000};  ///< streaming: the wait for the first byte of the answer
    int retries = 3;                                      ///< extra attempts on connection errors and 5xx (OLLAMA_RETRIES)
    std::chrono::milliseconds backoff{500};               ///< first retry delay; doubles each time, capped at 30 s
    int breaker_after = 3;  ///< consecutive connection failures that stop all further calls (0: never)
    /// an open breaker lets one call through after this long, and closes when it is answered (a restarted
    /// server is used again, which a watch of hours needs); 0: it stays open for the rest of the run
    std::chrono::milliseconds breaker_cooldown{30000};
    std::string api_key;                        ///< openai: empty means the OPENAI_API_KEY environment variable
    std::string cache_dir;                      ///< empty: no cache
    file_permissions cache_permissions;         ///< modes of cache files and of the cache folders created (0600/0700)
    std::size_t cache_max_entries = 10000;      ///< answers the cache keeps, least recently used dropped first
    std::chrono::hours cache_max_age{24 * 90};  ///< answers unused this long are dropped
    int num_ctx = 0;        ///< the context, in tokens; 0: what the server reports (Ollama: at most 8192)
    int num_predict = 768;  ///< answer budget, in tokens
    double temperature = 0.1;
    int seed = 42;                    ///< the first attempt's seed; each retry uses the next one
    bool stream = false;              ///< stream replies (NDJSON / SSE) instead of one JSON body
    int stream_above = 1024;          ///< also stream when num_predict exceeds this (0: only when `stream`)
    std::string keep_alive = "10m";   ///< ollama: how long the model stays loaded
    bool use_generate = false;        ///< ollama: /api/generate instead of /api/chat
    std::size_t parallel = 1;         ///< LLM requests in flight at once (Ollama's default OLLAMA_NUM_PARALLEL is 1)
    bool ask_about_benign = false;    ///< also send groups the knowledge base knows to be harmless
    std::size_t incident_calls = 20;  ///< incidents (of more than one problem) summarised by the LLM, most urgent first
    /// Calls of the triage that asks which templates below the threshold are problems after all; 0: no triage.
    std::size_t triage_calls = 3;
    std::chrono::milliseconds probe_timeout{3000};  ///< bound of each request of the preflight
    std::chrono::milliseconds load_wait{120000};    ///< how long the preflight waits for a server that is loading
    bool insecure = false;                          ///< https: do not verify the server's certificate (only when asked for)
    std::string ca_file;  ///< https: also trust this PEM file (besides the system CAs and SSL_CERT_FILE)
    /// Progress lines of the preflight (the loading countdown); called on the caller's thread of `probe_llm`.
    std::function<void(const std::string&)> on_notice;

    /// Whether replies are streamed: on request, or for long answers (where the first-byte timeout matters).
    [[nodiscard]] bool streaming() const noexcept { return stream || (stream_above > 0 && num_predict > stream_above); }
};

/// One message of a chat.
struct llm_message {
    std::string role;  ///< `system`, `user`, `assistant`
    std::string content;
};

/// What one generation returned.
struct llm_reply {
    std::string content;  ///< the model's text (here: a JSON document as a string)
    std::uint64_t prompt_tokens = 0;
    std::uint64_t completion_tokens = 0;
    std::string done_reason;
};

/// What the preflight learnt about the server.
struct llm_server_info {
    std::string version;
    std::string api;  ///< `ollama` or `openai-compatible`
    bool model_present = false;
    std::vector<std::string> models;  ///< validated names, at most 50
    int n_ctx = 0;                    ///< the context the server reports for the model (per slot), 0: unknown
};

/// Why an LLM call failed, and whether retrying could help.
struct llm_error : std::runtime_error {
    enum class kind {
        unreachable,  ///< no connection (refused, reset, DNS, connect timeout): what the circuit breaker counts
        timeout,      ///< connected, but no first byte or no whole answer in time
        cancelled,
        http_status,  ///< any other HTTP status (`status`)
        model_missing,
        bad_reply,
        wrong_url,         ///< 404 on a route every server of the kind has
        auth,              ///< 401/403
        loading,           ///< 503 while the server loads the model
        context_exceeded,  ///< 400: the prompt does not fit the server's context
    };
    kind what_kind;
    unsigned status = 0;
    int n_prompt_tokens = 0;  ///< context_exceeded: what the server counted, when it says
    int n_ctx = 0;            ///< context_exceeded: the server's context, when it says
    llm_error(kind k, const std::string& msg, unsigned st = 0) : std::runtime_error(msg), what_kind(k), status(st) {}
    [[nodiscard]] bool retryable() const noexcept {
        return what_kind == kind::unreachable || (what_kind == kind::http_status && (status >= 500 || status == 429));
    }
};

/// What a generation needs besides its messages: the seed of the first attempt, and hooks for counting.
struct generate_hooks {
    std::function<void()> on_request;  ///< before each attempt
    /// After each failed attempt; returning false stops the retries (the circuit breaker opened).
    std::function<bool(const llm_error&)> on_failure;
    int seed_offset = 0;  ///< added to `llm_options::seed` for the first attempt
};

LOGLENS_NAMESPACE_END
