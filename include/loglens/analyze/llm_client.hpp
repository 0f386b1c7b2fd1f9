#pragma once
// LLM clients over HTTP: Ollama's native API and the OpenAI-compatible chat completions API.
// SPDX-License-Identifier: MIT

#include <loglens/analyze/detail/http.hpp>
#include <loglens/analyze/llm_options.hpp>
#include <loglens/core/concepts.hpp>
#include <loglens/core/file_permissions.hpp>
#include <loglens/core/severity.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/json.hpp>

#include <algorithm>
#include <chrono>
#include <concepts>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

LOGLENS_NAMESPACE_BEGIN

namespace detail {

inline std::string default_url(llm_backend b) {
    return b == llm_backend::openai ? "http://localhost:8080" : "http://localhost:11434";
}

inline std::string url_setting(const llm_options& o) {
    if (!o.url_setting.empty()) return o.url_setting;
    return o.backend == llm_backend::openai ? "OPENAI_BASE_URL" : "OLLAMA_BASE_URL";
}

/// The server's address from the options. A trailing `/v1` is dropped: both clients add their own routes.
inline http_endpoint endpoint_of(const llm_options& o) {
    std::string err;
    auto ep = parse_http_url(o.url.empty() ? default_url(o.backend) : o.url, url_setting(o), err);
    if (!ep) throw std::invalid_argument(err);
    if (ep->base.size() >= 3 && iequals(std::string_view(ep->base).substr(ep->base.size() - 3), "/v1"))
        ep->base.resize(ep->base.size() - 3);
    if (ep->tls) ep->tls_context = make_tls_context(o.insecure, o.ca_file);
    return *ep;
}

/// Ollama compares tags: a model named without one is `:latest`.
inline std::string with_tag(std::string_view model) {
    std::string m(model);
    const auto slash = m.rfind('/');
    if (m.find(':', slash == std::string::npos ? 0 : slash) == std::string::npos) m += ":latest";
    return m;
}

/// @brief Text from the server made safe to store and print: printable ASCII kept, every other byte shown as
/// `?`, at most `max` bytes. Servers are not trusted (issue: a version string that retitles the terminal).
inline std::string server_text(std::string_view s, std::size_t max = 300) {
    std::string out;
    for (const unsigned char c : s) {
        if (out.size() >= max) {
            out += "...";
            break;
        }
        out += (c >= 0x20 && c < 0x7f) ? static_cast<char>(c) : (c == '\n' || c == '\t' || c == '\r') ? ' ' : '?';
    }
    return out;
}

/// A model or version name from the server, or empty when it is not a plausible one (kept out of messages).
inline std::string server_name(std::string_view s) {
    if (s.empty() || s.size() > 200) return {};
    for (const char c : s)
        if (!(is_alpha(c) || is_digit(c) || c == '.' || c == '-' || c == '_' || c == ':' || c == '/' || c == '+' ||
              c == '@'))
            return {};
    return std::string(s);
}

inline std::string error_text(std::string_view body) {
    boost::system::error_code ec;
    auto v = boost::json::parse(body, ec);
    if (!ec && v.is_object()) {
        const auto& o = v.as_object();
        if (auto* e = o.if_contains("error")) {
            if (e->is_string()) return server_text(e->as_string());
            if (e->is_object())
                if (auto* m = e->as_object().if_contains("message"); m && m->is_string())
                    return server_text(m->as_string());
        }
    }
    return server_text(body.substr(0, 200));
}

inline std::uint64_t uint_field(const boost::json::object& o, std::string_view k) {
    if (auto* v = o.if_contains(k)) {
        if (v->is_uint64()) return v->as_uint64();
        if (v->is_int64() && v->as_int64() > 0) return static_cast<std::uint64_t>(v->as_int64());
    }
    return 0;
}

inline boost::json::object parse_object(std::string_view text, std::string_view what) {
    boost::system::error_code ec;
    auto v = boost::json::parse(text, ec);
    if (ec || !v.is_object())
        throw llm_error(llm_error::kind::bad_reply,
                        std::string(what) + " is not a JSON object: " + server_text(text.substr(0, 120)));
    return std::move(v.as_object());
}

/// A 400 that says the prompt does not fit (llama.cpp's exceed_context_size_error, vLLM's and others' wording).
inline std::optional<llm_error> context_error(unsigned status, std::string_view body, std::string_view who) {
    if (status != 400) return std::nullopt;
    const std::string text = error_text(body);
    const bool typed = body.find("exceed_context_size") != std::string_view::npos;
    if (!typed && text.find("context size") == std::string::npos && text.find("context length") == std::string::npos &&
        text.find("context window") == std::string::npos)
        return std::nullopt;
    llm_error e(llm_error::kind::context_exceeded,
                std::string(who) + " refused the prompt as longer than its context (HTTP 400: " + text +
                    "); give the server a larger context (llama.cpp: -c, shared by its --parallel slots) or lower "
                    "--num-predict",
                400);
    boost::system::error_code ec;
    if (auto v = boost::json::parse(body, ec); !ec && v.is_object())
        if (auto* er = v.as_object().if_contains("error"); er && er->is_object()) {
            e.n_prompt_tokens = static_cast<int>(
                std::min<std::uint64_t>(uint_field(er->as_object(), "n_prompt_tokens"), 1u << 30));
            e.n_ctx = static_cast<int>(std::min<std::uint64_t>(uint_field(er->as_object(), "n_ctx"), 1u << 30));
        }
    return e;
}

/// @brief The retry loop shared by both clients: connection errors, 5xx and 429 are retried with exponential
/// backoff, each retry with the next seed (an answer the server itself could not handle is not resent as is).
template <class Attempt>
boost::asio::awaitable<llm_reply> with_retries(const llm_options& o, std::stop_token stop, const generate_hooks& hooks,
                                               Attempt attempt) {
    for (int n = 0;; ++n) {
        const int seed = o.seed + hooks.seed_offset + n;
        std::optional<llm_error> failure;
        try {
            co_return co_await attempt(seed);
        } catch (const llm_error& e) {
            failure = e;
        }
        const bool go_on = !hooks.on_failure || hooks.on_failure(*failure);
        if (!failure->retryable() || n >= o.retries || !go_on) {
            if (n == 0) throw *failure;
            llm_error last(failure->what_kind,
                           std::string(failure->what()) + " (after " + std::to_string(n + 1) + " attempts, seeds " +
                               std::to_string(o.seed + hooks.seed_offset) + ".." + std::to_string(seed) +
                               (go_on ? "" : "; stopped: the server is unreachable") + ")",
                           failure->status);
            last.n_prompt_tokens = failure->n_prompt_tokens;
            last.n_ctx = failure->n_ctx;
            throw last;
        }
        const auto delay = std::min<std::chrono::milliseconds>(o.backoff * (1LL << std::min(n, 16)),
                                                               std::chrono::seconds(30));
        if (!co_await cancellable_sleep(delay, stop))
            throw llm_error(llm_error::kind::cancelled,
                            "cancelled while waiting to retry: " + std::string(failure->what()));
    }
}

inline llm_error from_http_error(const http_error& e, std::string_view backend) {
    switch (e.kind) {
        case http_failure::timeout:
        case http_failure::first_byte: return {llm_error::kind::timeout, std::string(backend) + ": " + e.what()};
        case http_failure::cancelled: return {llm_error::kind::cancelled, e.what()};
        case http_failure::protocol: return {llm_error::kind::bad_reply, std::string(backend) + ": " + e.what()};
        default: return {llm_error::kind::unreachable, std::string(backend) + " unreachable: " + e.what()};
    }
}

inline boost::asio::awaitable<http_response> exchange(const http_endpoint& ep, http_request_spec spec, std::stop_token stop,
                                                      std::string_view backend) {
    std::optional<llm_error> err;
    try {
        co_return co_await http_exchange(ep, std::move(spec), stop);
    } catch (const http_error& e) {
        err = from_http_error(e, backend);
    }
    throw *err;
}

/// "a, b, c (and N more)" of validated model names, for "model missing" messages.
inline std::string list_models(const std::vector<std::string>& models) {
    if (models.empty()) return "none";
    std::string out;
    for (std::size_t i = 0; i < models.size() && i < 10; ++i) out += (i ? ", " : "") + models[i];
    if (models.size() > 10) out += " (and " + std::to_string(models.size() - 10) + " more)";
    return out;
}

/// What both clients share: their settings, the parsed server address, and one generation with retries
/// around the client's own `request_body` and `attempt`.
template <class Derived>
class llm_client_base {
public:
    [[nodiscard]] const llm_options& options() const noexcept { return opts_; }
    [[nodiscard]] const http_endpoint& endpoint() const noexcept { return ep_; }

    /// Sets the context and answer budget the preflight settled on; call before the first `generate`.
    void set_budget(int num_ctx, int num_predict) {
        opts_.num_ctx = num_ctx;
        opts_.num_predict = num_predict;
    }

    /// One generation, with retries. Throws `llm_error`.
    boost::asio::awaitable<llm_reply> generate(std::vector<llm_message> msgs, boost::json::object schema,
                                               std::stop_token stop, generate_hooks hooks = {}) const {
        const auto& self = static_cast<const Derived&>(*this);
        // named, not a temporary: GCC 12 mishandles temporaries with destructors inside co_await expressions
        const auto one = [&](int seed) -> boost::asio::awaitable<llm_reply> {
            if (hooks.on_request) hooks.on_request();
            const std::string body = boost::json::serialize(self.request_body(msgs, schema, seed));
            co_return co_await self.attempt(body, stop, hooks);
        };
        co_return co_await with_retries(opts_, stop, hooks, one);
    }

protected:
    explicit llm_client_base(llm_options o) : opts_(std::move(o)), ep_(endpoint_of(opts_)) {}

    http_request_spec get(std::string target, std::chrono::steady_clock::time_point deadline) const {
        http_request_spec s;
        s.target = std::move(target);
        s.deadline = deadline;
        s.connect_timeout = opts_.connect_timeout;
        return s;
    }

    http_request_spec post(std::string target, std::string body) const {
        http_request_spec s;
        s.method = boost::beast::http::verb::post;
        s.target = std::move(target);
        s.body = std::move(body);
        s.deadline = std::chrono::steady_clock::now() + opts_.timeout;
        s.connect_timeout = opts_.connect_timeout;
        if (opts_.streaming()) s.first_byte_timeout = opts_.first_byte_timeout;
        return s;
    }

    llm_options opts_;
    http_endpoint ep_;
};

}  // namespace detail

/// @brief An LLM backend that an analyser can drive: one wire protocol over HTTP.
///
/// Requirements on `C`:
/// 1. `C::stage_category` is `loglens::llm_client_tag` (an explicit opt-in).
/// 2. `c.options()` and `c.endpoint()` return the settings and the parsed server address.
/// 3. `c.generate(messages, schema, stop)` is an awaitable `llm_reply`: one answer constrained to the JSON
///    `schema`, with the retries `options()` allows; failures throw `llm_error`. A stop requested on the
///    `std::stop_token` `stop` (from any thread) closes its sockets and timers: it ends with `kind::cancelled`.
/// 4. `c.check(stop, bound)` is an awaitable `llm_server_info`: the preflight, proving within `bound` per
///    request that the server answers, accepts the credentials and serves the model; failures throw
///    `llm_error` of a kind that says which (`wrong_url`, `auth`, `loading`, `model_missing`, ...).
template <class C>
concept llm_client = detail::declares_stage<C, llm_client_tag> &&
    requires(const C& c, std::vector<llm_message> msgs, boost::json::object schema, std::stop_token stop,
             std::chrono::milliseconds bound) {
    { c.options() } -> std::convertible_to<const llm_options&>;
    { c.endpoint() } -> std::convertible_to<const detail::http_endpoint&>;
    { c.generate(std::move(msgs), std::move(schema), stop) } -> std::same_as<boost::asio::awaitable<llm_reply>>;
    { c.check(stop, bound) } -> std::same_as<boost::asio::awaitable<llm_server_info>>;
};

namespace detail {

/// The statuses every preflight request treats alike: 401/403, 503 and other 5xx. `who` starts the message.
inline void throw_common_status(const http_response& r, const std::string& who, std::string_view route,
                                std::string_view auth_hint) {
    const std::string err = error_text(r.body);
    if (r.status == 401 || r.status == 403)
        throw llm_error(llm_error::kind::auth,
                        who + " refused the request to " + std::string(route) + " (HTTP " + std::to_string(r.status) +
                            ": " + err + "): " + std::string(auth_hint),
                        r.status);
    if (r.status == 503)
        throw llm_error(llm_error::kind::loading,
                        who + " is not ready (HTTP 503 to " + std::string(route) + ": " + err + ")", 503);
    if (r.status >= 500)
        throw llm_error(llm_error::kind::http_status,
                        who + " failed (HTTP " + std::to_string(r.status) + " to " + std::string(route) + ": " + err + ")",
                        r.status);
}

inline boost::json::object parse_or_empty(std::string_view body) {
    boost::system::error_code ec;
    auto v = boost::json::parse(body, ec);
    if (ec || !v.is_object()) return {};
    return std::move(v.as_object());
}

inline int int_field(const boost::json::object& o, std::string_view k) {
    return static_cast<int>(std::min<std::uint64_t>(uint_field(o, k), 1u << 24));
}

}  // namespace detail

/// @brief Ollama's native API: `POST /api/chat` (or `/api/generate`); the preflight asks `GET /api/version`,
/// `GET /api/tags` and `POST /api/show` (the model's context length).
///
/// Sampling settings go inside `options` (Ollama silently ignores them at the top level), `think` is false so
/// reasoning models answer with the JSON only, and `format` carries the JSON schema of the answer.
class ollama_client : public detail::llm_client_base<ollama_client> {
public:
    using stage_category = llm_client_tag;

    explicit ollama_client(llm_options o) : llm_client_base(std::move(o)) {}

    /// The request body, exactly as sent.
    [[nodiscard]] boost::json::object request_body(const std::vector<llm_message>& msgs, const boost::json::object& schema,
                                                   int seed) const {
        boost::json::object body{{"model", opts_.model}};
        if (opts_.use_generate) {
            std::string system, prompt;
            for (const auto& m : msgs) {
                if (m.role == "system") system += m.content;
                else prompt += (prompt.empty() ? "" : "\n\n") + m.content;
            }
            body["system"] = system;
            body["prompt"] = prompt;
        } else {
            boost::json::array arr;
            for (const auto& m : msgs) arr.push_back(boost::json::object{{"role", m.role}, {"content", m.content}});
            body["messages"] = std::move(arr);
        }
        body["stream"] = opts_.streaming();
        body["format"] = schema;
        body["options"] = boost::json::object{{"temperature", opts_.temperature},
                                              {"seed", seed},
                                              {"num_ctx", opts_.num_ctx > 0 ? opts_.num_ctx : 8192},
                                              {"num_predict", opts_.num_predict}};
        body["think"] = false;
        body["keep_alive"] = opts_.keep_alive;
        return body;
    }
    [[nodiscard]] boost::json::object request_body(const std::vector<llm_message>& msgs,
                                                   const boost::json::object& schema) const {
        return request_body(msgs, schema, opts_.seed);
    }

    /// The preflight: `/api/version` (is this Ollama?), `/api/tags` (is the model pulled?), `/api/show` (context).
    boost::asio::awaitable<llm_server_info> check(std::stop_token stop, std::chrono::milliseconds bound) const {
        llm_server_info info;
        info.api = "ollama";
        const std::string who = "Ollama at " + ep_.url;
        auto vspec = get("/api/version", deadline(bound));  // named: see generate()
        auto v = co_await detail::exchange(ep_, std::move(vspec), stop, "Ollama");
        if (v.status == 404)
            throw llm_error(llm_error::kind::wrong_url,
                            who + " answered 404 to GET " + ep_.base +
                                "/api/version: is this the base URL of an Ollama "
                                "server? Give it without any path (a trailing /v1 is fine); for an OpenAI-compatible "
                                "server use --backend openai",
                            404);
        detail::throw_common_status(v, who, "/api/version",
                                    "a proxy in front of Ollama wants credentials; loglens sends OPENAI_API_KEY only to "
                                    "OpenAI-compatible servers, so use --backend openai with that key");
        if (v.status != 200)
            throw llm_error(
                llm_error::kind::http_status,
                who + " answered " + std::to_string(v.status) + " to /api/version: is this URL an Ollama server?",
                v.status);
        const auto vo = detail::parse_or_empty(v.body);
        const auto* ver = vo.if_contains("version");
        if (!ver || !ver->is_string())
            throw llm_error(llm_error::kind::wrong_url,
                            who + " answered /api/version without a version: is this URL an Ollama server?", 200);
        info.version = detail::server_name(ver->as_string());
        if (info.version.empty()) info.version = "unknown (the server sent an invalid version string)";

        auto tspec = get("/api/tags", deadline(bound));
        auto t = co_await detail::exchange(ep_, std::move(tspec), stop, "Ollama");
        detail::throw_common_status(t, who, "/api/tags", "check the proxy's credentials");
        const std::string want = detail::with_tag(opts_.model);
        const auto tags = detail::parse_or_empty(t.body);  // named: `ms` points into it
        if (auto* ms = tags.if_contains("models"); t.status == 200 && ms && ms->is_array())
            for (const auto& m : ms->as_array()) {
                if (!m.is_object()) continue;
                const auto* name = m.as_object().if_contains("name");
                if (!name || !name->is_string()) name = m.as_object().if_contains("model");
                if (!name || !name->is_string()) continue;
                std::string n = detail::server_name(name->as_string());
                if (n.empty() || info.models.size() >= 50) continue;
                if (detail::with_tag(n) == want) info.model_present = true;
                info.models.push_back(std::move(n));
            }
        if (!info.model_present) co_return info;

        auto sh = detail::http_request_spec(get("/api/show", deadline(bound)));
        sh.method = boost::beast::http::verb::post;
        sh.body = boost::json::serialize(boost::json::object{{"model", opts_.model}});
        auto r = co_await detail::exchange(ep_, std::move(sh), stop, "Ollama");
        const auto shown = detail::parse_or_empty(r.body);
        if (auto* mi = shown.if_contains("model_info"); r.status == 200 && mi && mi->is_object())
            for (const auto& [k, val] : mi->as_object())
                if (std::string_view(k).ends_with(".context_length") && val.is_number())
                    info.n_ctx = static_cast<int>(std::clamp(val.to_number<double>(), 0.0, double(1 << 24)));
        co_return info;
    }

private:
    static std::chrono::steady_clock::time_point deadline(std::chrono::milliseconds bound) {
        return std::chrono::steady_clock::now() + bound;
    }

    boost::asio::awaitable<llm_reply> attempt(const std::string& body, std::stop_token stop, const generate_hooks&) const {
        auto s = post(opts_.use_generate ? "/api/generate" : "/api/chat", body);
        llm_reply reply;
        bool done = false;
        std::optional<std::string> stream_error;
        if (opts_.streaming())
            s.on_line = [&](std::string_view line) {
                if (line.find_first_not_of(" \t\r") == std::string_view::npos) return true;
                boost::system::error_code ec;
                auto v = boost::json::parse(line, ec);
                if (ec || !v.is_object()) {
                    stream_error = "a streamed line is not JSON: " + detail::server_text(line.substr(0, 120));
                    return false;
                }
                const auto& o = v.as_object();
                if (auto* e = o.if_contains("error")) {
                    stream_error = detail::server_text(e->is_string() ? std::string_view(e->as_string())
                                                                      : std::string_view(boost::json::serialize(*e)));
                    return false;
                }
                take(o, reply);
                if (auto* d = o.if_contains("done"); d && d->is_bool() && d->as_bool()) done = true;
                return !done;
            };
        auto r = co_await detail::exchange(ep_, std::move(s), stop, "Ollama");
        if (r.status == 404 && detail::error_text(r.body).find("not found") != std::string::npos)
            throw llm_error(llm_error::kind::model_missing,
                            "model '" + opts_.model + "' not found on Ollama at " + ep_.url + ": run `ollama pull " +
                                opts_.model + "` (or set OLLAMA_MODEL to a pulled model)",
                            404);
        if (auto ce = detail::context_error(r.status, r.body, "Ollama at " + ep_.url)) throw *ce;
        if (r.status != 200)
            throw llm_error(
                llm_error::kind::http_status,
                "Ollama at " + ep_.url + " answered HTTP " + std::to_string(r.status) + ": " + detail::error_text(r.body),
                r.status);
        if (opts_.streaming()) {
            // a mid-stream error keeps status 200; it is a server failure, so it is retried like a 500
            if (stream_error)
                throw llm_error(llm_error::kind::http_status,
                                "Ollama at " + ep_.url + " failed mid-stream: " + *stream_error, 500);
            if (!done) throw llm_error(llm_error::kind::bad_reply, "Ollama's stream ended before done:true");
        } else {
            const auto o = detail::parse_object(r.body, "Ollama's reply");
            if (auto* e = o.if_contains("error"); e && e->is_string())
                throw llm_error(llm_error::kind::http_status, "Ollama error: " + detail::server_text(e->as_string()), 500);
            take(o, reply);
        }
        co_return reply;
    }

    void take(const boost::json::object& o, llm_reply& reply) const {
        if (auto* m = o.if_contains("message"); m && m->is_object())
            if (auto* c = m->as_object().if_contains("content"); c && c->is_string()) reply.content += c->as_string();
        if (auto* c = o.if_contains("response"); c && c->is_string()) reply.content += c->as_string();
        reply.prompt_tokens += detail::uint_field(o, "prompt_eval_count");
        reply.completion_tokens += detail::uint_field(o, "eval_count");
        if (auto* d = o.if_contains("done_reason"); d && d->is_string())
            reply.done_reason = detail::server_text(d->as_string(), 40);
    }

    friend class detail::llm_client_base<ollama_client>;
};

/// @brief An OpenAI-compatible server (llama.cpp, vLLM, LM Studio, Ollama's /v1): `POST /v1/chat/completions`.
///
/// `temperature` is always sent (Ollama's /v1 forces 1.0 when it is missing) and `response_format` uses the
/// nested `json_schema.schema` form, the only one every server reads. The preflight lists `GET /v1/models`
/// (llama.cpp serves it without a key, and reports the per-slot context as `meta.n_ctx`), then makes one
/// one-token completion: the cheapest request that proves the key and the model.
class openai_client : public detail::llm_client_base<openai_client> {
public:
    using stage_category = llm_client_tag;

    explicit openai_client(llm_options o) : llm_client_base(std::move(o)) {
        if (opts_.api_key.empty())
            if (const char* k = std::getenv("OPENAI_API_KEY")) opts_.api_key = k;
    }

    [[nodiscard]] boost::json::object request_body(const std::vector<llm_message>& msgs, const boost::json::object& schema,
                                                   int seed) const {
        boost::json::array arr;
        for (const auto& m : msgs) arr.push_back(boost::json::object{{"role", m.role}, {"content", m.content}});
        boost::json::object body{
            {"model", opts_.model}, {"messages", std::move(arr)},      {"temperature", opts_.temperature},
            {"seed", seed},         {"max_tokens", opts_.num_predict}, {"stream", opts_.streaming()}};
        if (opts_.streaming()) body["stream_options"] = boost::json::object{{"include_usage", true}};
        body["response_format"] = boost::json::object{
            {"type", "json_schema"},
            {"json_schema", boost::json::object{{"name", "log_group_analysis"}, {"strict", true}, {"schema", schema}}}};
        return body;
    }
    [[nodiscard]] boost::json::object request_body(const std::vector<llm_message>& msgs,
                                                   const boost::json::object& schema) const {
        return request_body(msgs, schema, opts_.seed);
    }

    /// The preflight: `GET /v1/models`, then a one-token completion with the model and the key.
    boost::asio::awaitable<llm_server_info> check(std::stop_token stop, std::chrono::milliseconds bound) const {
        llm_server_info info;
        info.api = "openai-compatible";
        info.version = "openai-compatible";
        const std::string who = "the server at " + ep_.url;
        auto s = get("/v1/models", std::chrono::steady_clock::now() + bound);
        add_auth(s);
        auto r = co_await detail::exchange(ep_, std::move(s), stop, "OpenAI-compatible server");
        if (r.status == 404) throw wrong_base_url("GET /v1/models");
        detail::throw_common_status(r, who, "/v1/models", key_hint(r.status));
        if (r.status != 200)
            throw llm_error(
                llm_error::kind::http_status,
                who + " answered HTTP " + std::to_string(r.status) + " to /v1/models: " + detail::error_text(r.body),
                r.status);
        const auto listing = detail::parse_or_empty(r.body);
        const auto* data = listing.if_contains("data");
        if (!data || !data->is_array())
            throw llm_error(llm_error::kind::wrong_url,
                            who + " answered /v1/models without a model list: is this an OpenAI-compatible server?", 200);
        int first_ctx = 0;
        for (const auto& m : data->as_array()) {
            if (!m.is_object()) continue;
            const auto& mo = m.as_object();
            const auto* id = mo.if_contains("id");
            if (!id || !id->is_string()) continue;
            std::string n = detail::server_name(id->as_string());
            int ctx = 0;
            if (auto* meta = mo.if_contains("meta"); meta && meta->is_object())
                ctx = detail::int_field(meta->as_object(), "n_ctx");
            if (first_ctx == 0) first_ctx = ctx;
            // Ollama's /v1/models lists `name:tag`; the same `:latest` rule applies
            if (!n.empty() && (n == opts_.model || detail::with_tag(n) == detail::with_tag(opts_.model))) {
                info.model_present = true;
                if (ctx > 0) info.n_ctx = ctx;
            }
            if (!n.empty() && info.models.size() < 50) info.models.push_back(std::move(n));
        }
        if (info.n_ctx == 0) info.n_ctx = first_ctx;
        // a single-model server (llama.cpp) answers for whatever model is named
        if (info.models.size() <= 1) info.model_present = true;
        if (!info.model_present) co_return info;
        if (info.n_ctx == 0) {
            auto props = props_context(stop, bound);
            info.n_ctx = co_await std::move(props);
        }

        // the cheapest request that proves the key and the model: one token
        auto p = get("/v1/chat/completions", std::chrono::steady_clock::now() + bound);
        p.method = boost::beast::http::verb::post;
        p.body = boost::json::serialize(boost::json::object{
            {"model", opts_.model},
            {"messages", boost::json::array{boost::json::object{{"role", "user"}, {"content", "Say OK."}}}},
            {"max_tokens", 1},
            {"temperature", 0}});
        add_auth(p);
        auto c = co_await detail::exchange(ep_, std::move(p), stop, "OpenAI-compatible server");
        const std::string err = detail::error_text(c.body);
        if (c.status == 404 && err.find("not found") != std::string::npos)
            throw llm_error(llm_error::kind::model_missing,
                            who + " does not serve model '" + opts_.model + "' (HTTP 404: " + err + "); it lists " +
                                detail::list_models(info.models) + ": set OLLAMA_MODEL or --model to one of them",
                            404);
        if (c.status == 404) throw wrong_base_url("POST /v1/chat/completions");
        detail::throw_common_status(c, who, "/v1/chat/completions", key_hint(c.status));
        if (c.status != 200)
            throw llm_error(llm_error::kind::http_status,
                            who + " refused a one-token completion with model '" + opts_.model + "' (HTTP " +
                                std::to_string(c.status) + ": " + err + ")",
                            c.status);
        co_return info;
    }

private:
    [[nodiscard]] llm_error wrong_base_url(std::string_view request) const {
        const auto sp = request.find(' ');
        return {llm_error::kind::wrong_url,
                "the server at " + ep_.url + " answered 404 to " + std::string(request.substr(0, sp + 1)) + ep_.base +
                    std::string(request.substr(sp + 1)) +
                    ": is this the base URL? drop or add the path before /v1 (loglens accepts the URL with or without /v1)",
                404};
    }

    /// llama.cpp's `/props`: the context of a slot, when `/v1/models` has no `meta`.
    boost::asio::awaitable<int> props_context(std::stop_token stop, std::chrono::milliseconds bound) const {
        auto s = get("/props", std::chrono::steady_clock::now() + bound);
        add_auth(s);
        auto r = co_await detail::exchange(ep_, std::move(s), stop, "OpenAI-compatible server");
        if (r.status != 200) co_return 0;
        const auto o = detail::parse_or_empty(r.body);
        if (auto* d = o.if_contains("default_generation_settings"); d && d->is_object())
            co_return detail::int_field(d->as_object(), "n_ctx");
        co_return 0;
    }

    [[nodiscard]] std::string key_hint(unsigned status) const {
        if (status != 401 && status != 403) return {};
        return opts_.api_key.empty() ? "set OPENAI_API_KEY to the server's API key"
                                     : "the key in OPENAI_API_KEY was refused; set it to the server's API key";
    }

    void add_auth(detail::http_request_spec& s) const {
        if (!opts_.api_key.empty()) s.headers.emplace_back("Authorization", "Bearer " + opts_.api_key);
    }

    boost::asio::awaitable<llm_reply> attempt(const std::string& body, std::stop_token stop, const generate_hooks&) const {
        auto s = post("/v1/chat/completions", body);
        add_auth(s);
        llm_reply reply;
        bool done = false;
        std::optional<std::string> stream_error;
        if (opts_.streaming())
            s.on_line = [&](std::string_view line) {
                if (line.ends_with('\r')) line.remove_suffix(1);
                if (!line.starts_with("data:")) return true;  // SSE comments, event names, blank separators
                line.remove_prefix(5);
                while (line.starts_with(' ')) line.remove_prefix(1);
                if (line == "[DONE]") {
                    done = true;
                    return false;
                }
                boost::system::error_code ec;
                auto v = boost::json::parse(line, ec);
                if (ec || !v.is_object()) {
                    stream_error = "a streamed event is not JSON: " + detail::server_text(line.substr(0, 120));
                    return false;
                }
                const auto& o = v.as_object();
                if (o.contains("error")) {
                    stream_error = detail::error_text(line);
                    return false;
                }
                take(o, reply, "delta");
                return true;
            };
        auto r = co_await detail::exchange(ep_, std::move(s), stop, "OpenAI-compatible server");
        const std::string err = r.status == 200 ? std::string{} : detail::error_text(r.body);
        const std::string who = "the server at " + ep_.url;
        if (r.status == 404 && err.find("not found") != std::string::npos)
            throw llm_error(llm_error::kind::model_missing,
                            "model '" + opts_.model + "' not found on " + who + ": load it there or name one it serves",
                            404);
        if (r.status == 401 || r.status == 403)
            throw llm_error(llm_error::kind::auth,
                            who + " refused the API key (HTTP " + std::to_string(r.status) + "): " + key_hint(r.status),
                            r.status);
        if (auto ce = detail::context_error(r.status, r.body, who)) throw *ce;
        if (r.status != 200)
            throw llm_error(llm_error::kind::http_status, who + " answered HTTP " + std::to_string(r.status) + ": " + err,
                            r.status);
        if (opts_.streaming()) {
            if (stream_error)
                throw llm_error(llm_error::kind::http_status, who + " failed mid-stream: " + *stream_error, 500);
            if (!done) throw llm_error(llm_error::kind::bad_reply, "the event stream ended before data: [DONE]");
        } else {
            take(detail::parse_object(r.body, "the server's reply"), reply, "message");
        }
        co_return reply;
    }

    static void take(const boost::json::object& o, llm_reply& reply, std::string_view part) {
        if (auto* cs = o.if_contains("choices");
            cs && cs->is_array() && !cs->as_array().empty() && cs->as_array()[0].is_object()) {
            const auto& c0 = cs->as_array()[0].as_object();
            if (auto* m = c0.if_contains(part); m && m->is_object())
                if (auto* c = m->as_object().if_contains("content"); c && c->is_string()) reply.content += c->as_string();
            if (auto* f = c0.if_contains("finish_reason"); f && f->is_string())
                reply.done_reason = detail::server_text(f->as_string(), 40);
        }
        if (auto* u = o.if_contains("usage"); u && u->is_object()) {
            reply.prompt_tokens = detail::uint_field(u->as_object(), "prompt_tokens");
            reply.completion_tokens = detail::uint_field(u->as_object(), "completion_tokens");
        }
    }

    friend class detail::llm_client_base<openai_client>;
};

static_assert(llm_client<ollama_client> && llm_client<openai_client>, "both built-in clients model llm_client");

LOGLENS_NAMESPACE_END
