#pragma once
// LLM clients over HTTP: Ollama's native API and the OpenAI-compatible chat completions API.

#include <loglens/analyze/detail/http.hpp>
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
    std::string url;             ///< empty: http://localhost:11434 (ollama) or http://localhost:8080 (openai)
    std::string model = "mistral";
    std::chrono::milliseconds timeout{120000};        ///< one HTTP exchange, all included (OLLAMA_TIMEOUT)
    std::chrono::milliseconds connect_timeout{5000};  ///< reaching the server
    int retries = 3;                                  ///< extra attempts on connection errors and 5xx (OLLAMA_RETRIES)
    std::chrono::milliseconds backoff{500};           ///< first retry delay; doubles each time, capped at 30 s
    std::string api_key;         ///< openai: empty means the OPENAI_API_KEY environment variable
    std::string cache_dir;       ///< empty: no cache
    file_permissions cache_permissions;  ///< modes of cache files and of the cache folders created (0600/0700)
    std::size_t cache_max_entries = 10000;  ///< answers the cache keeps, least recently used dropped first
    std::chrono::hours cache_max_age{24 * 90};  ///< answers unused this long are dropped
    int num_ctx = 8192;          ///< the context the prompt must fit, in tokens
    int num_predict = 768;       ///< answer budget, in tokens
    double temperature = 0.1;
    int seed = 42;
    bool stream = false;         ///< stream replies (NDJSON / SSE) instead of one JSON body
    std::string keep_alive = "10m";  ///< ollama: how long the model stays loaded
    bool use_generate = false;   ///< ollama: /api/generate instead of /api/chat
    std::size_t parallel = 1;    ///< LLM requests in flight at once (Ollama's default OLLAMA_NUM_PARALLEL is 1)
    bool ask_about_benign = false;  ///< also send groups the knowledge base knows to be harmless
    std::chrono::milliseconds probe_timeout{3000};  ///< bound of `probe_llm` and of the first health check
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

/// What the health check learnt about the server.
struct llm_server_info {
    std::string version;
    bool model_present = false;
    std::vector<std::string> models;
};

/// Why an LLM call failed, and whether retrying could help.
struct llm_error : std::runtime_error {
    enum class kind { unreachable, timeout, cancelled, http_status, model_missing, bad_reply };
    kind what_kind;
    unsigned status = 0;
    llm_error(kind k, const std::string& msg, unsigned st = 0) : std::runtime_error(msg), what_kind(k), status(st) {}
    [[nodiscard]] bool retryable() const noexcept {
        return what_kind == kind::unreachable || (what_kind == kind::http_status && (status >= 500 || status == 429));
    }
};

namespace detail {

inline std::string default_url(llm_backend b) {
    return b == llm_backend::openai ? "http://localhost:8080" : "http://localhost:11434";
}

inline std::string_view url_setting(llm_backend b) { return b == llm_backend::openai ? "OPENAI_BASE_URL" : "OLLAMA_BASE_URL"; }

inline http_endpoint endpoint_of(const llm_options& o) {
    std::string err;
    auto ep = parse_http_url(o.url.empty() ? default_url(o.backend) : o.url, url_setting(o.backend), err);
    if (!ep) throw std::invalid_argument(err);
    return *ep;
}

/// Ollama compares tags: a model named without one is `:latest`.
inline std::string with_tag(std::string_view model) {
    std::string m(model);
    const auto slash = m.rfind('/');
    if (m.find(':', slash == std::string::npos ? 0 : slash) == std::string::npos) m += ":latest";
    return m;
}

inline std::string error_text(std::string_view body) {
    boost::system::error_code ec;
    auto v = boost::json::parse(body, ec);
    if (!ec && v.is_object()) {
        const auto& o = v.as_object();
        if (auto* e = o.if_contains("error")) {
            if (e->is_string()) return std::string(e->as_string());
            if (e->is_object())
                if (auto* m = e->as_object().if_contains("message"); m && m->is_string()) return std::string(m->as_string());
        }
    }
    std::string s(body.substr(0, 200));
    for (auto& c : s)
        if (c == '\n' || c == '\r') c = ' ';
    return s;
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
        throw llm_error(llm_error::kind::bad_reply, std::string(what) + " is not a JSON object: " +
                                                        std::string(text.substr(0, 120)));
    return std::move(v.as_object());
}

/// The retry loop shared by both clients: connection errors, 5xx and 429 are retried with exponential backoff.
template <class Attempt>
boost::asio::awaitable<llm_reply> with_retries(const llm_options& o, std::shared_ptr<cancel_registry> reg,
                                               Attempt attempt) {
    for (int n = 0;; ++n) {
        std::optional<llm_error> failure;
        try {
            co_return co_await attempt();
        } catch (const llm_error& e) {
            if (!e.retryable() || n >= o.retries) throw;
            failure = e;
        }
        const auto delay = std::min<std::chrono::milliseconds>(o.backoff * (1LL << std::min(n, 16)), std::chrono::seconds(30));
        if (!co_await cancellable_sleep(delay, reg))
            throw llm_error(llm_error::kind::cancelled, "cancelled while waiting to retry: " + std::string(failure->what()));
    }
}

inline llm_error from_http_error(const http_error& e, std::string_view backend) {
    switch (e.kind) {
        case http_failure::timeout: return {llm_error::kind::timeout, std::string(backend) + ": " + e.what()};
        case http_failure::cancelled: return {llm_error::kind::cancelled, e.what()};
        case http_failure::protocol: return {llm_error::kind::bad_reply, std::string(backend) + ": " + e.what()};
        default:
            return {llm_error::kind::unreachable,
                    std::string(backend) + " unreachable: " + e.what()};
    }
}

inline boost::asio::awaitable<http_response> exchange(const http_endpoint& ep, http_request_spec spec,
                                                      std::shared_ptr<cancel_registry> reg, std::string_view backend) {
    std::optional<llm_error> err;
    try {
        co_return co_await http_exchange(ep, std::move(spec), reg);
    } catch (const http_error& e) {
        err = from_http_error(e, backend);
    }
    throw *err;
}

/// What both clients share: their settings, the parsed server address, and one generation with retries
/// around the client's own `request_body` and `attempt`.
template <class Derived>
class llm_client_base {
public:
    [[nodiscard]] const llm_options& options() const noexcept { return opts_; }
    [[nodiscard]] const http_endpoint& endpoint() const noexcept { return ep_; }

    /// One generation, with retries. Throws `llm_error`.
    boost::asio::awaitable<llm_reply> generate(std::vector<llm_message> msgs, boost::json::object schema,
                                               std::shared_ptr<cancel_registry> reg,
                                               std::function<void()> on_request = {}) const {
        const auto& self = static_cast<const Derived&>(*this);
        const std::string body = boost::json::serialize(self.request_body(msgs, schema));
        // named, not a temporary: GCC 12 mishandles temporaries with destructors inside co_await expressions
        const auto one = [&]() -> boost::asio::awaitable<llm_reply> {
            if (on_request) on_request();
            co_return co_await self.attempt(body, reg);
        };
        co_return co_await with_retries(opts_, reg, one);
    }

protected:
    explicit llm_client_base(llm_options o) : opts_(std::move(o)), ep_(endpoint_of(opts_)) {}

    llm_options opts_;
    http_endpoint ep_;
};

}  // namespace detail

/// @brief An LLM backend that an analyser can drive: one wire protocol over HTTP.
///
/// Requirements on `C`:
/// 1. `C::stage_category` is `loglens::llm_client_tag` (an explicit opt-in).
/// 2. `c.options()` and `c.endpoint()` return the settings and the parsed server address.
/// 3. `c.generate(messages, schema, registry)` is an awaitable `llm_reply`: one answer constrained to the JSON
///    `schema`, with the retries `options()` allows; failures throw `llm_error`, cancellation goes through
///    `registry`.
/// 4. `c.check(registry, bound)` is an awaitable `llm_server_info`: whether the server answers within `bound`
///    and serves the model.
template <class C>
concept llm_client = detail::declares_stage<C, llm_client_tag> &&
    requires(const C& c, std::vector<llm_message> msgs, boost::json::object schema,
             std::shared_ptr<detail::cancel_registry> reg, std::chrono::milliseconds bound) {
        { c.options() } -> std::convertible_to<const llm_options&>;
        { c.endpoint() } -> std::convertible_to<const detail::http_endpoint&>;
        { c.generate(std::move(msgs), std::move(schema), reg) } -> std::same_as<boost::asio::awaitable<llm_reply>>;
        { c.check(reg, bound) } -> std::same_as<boost::asio::awaitable<llm_server_info>>;
    };

/// @brief Ollama's native API: `POST /api/chat` (or `/api/generate`), `GET /api/version`, `GET /api/tags`.
///
/// Sampling settings go inside `options` (Ollama silently ignores them at the top level), `think` is false so
/// reasoning models answer with the JSON only, and `format` carries the JSON schema of the answer.
class ollama_client : public detail::llm_client_base<ollama_client> {
public:
    using stage_category = llm_client_tag;

    explicit ollama_client(llm_options o) : llm_client_base(std::move(o)) {}

    /// The request body, exactly as sent.
    [[nodiscard]] boost::json::object request_body(const std::vector<llm_message>& msgs,
                                                   const boost::json::object& schema) const {
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
        body["stream"] = opts_.stream;
        body["format"] = schema;
        body["options"] = boost::json::object{{"temperature", opts_.temperature},
                                              {"seed", opts_.seed},
                                              {"num_ctx", opts_.num_ctx},
                                              {"num_predict", opts_.num_predict}};
        body["think"] = false;
        body["keep_alive"] = opts_.keep_alive;
        return body;
    }

    /// `GET /api/version` and `GET /api/tags`: is the server there, and is the model pulled?
    boost::asio::awaitable<llm_server_info> check(std::shared_ptr<detail::cancel_registry> reg,
                                                  std::chrono::milliseconds bound) const {
        llm_server_info info;
        const auto deadline = std::chrono::steady_clock::now() + bound;
        auto vspec = get("/api/version", deadline);
        auto v = co_await detail::exchange(ep_, std::move(vspec), reg, "Ollama");
        if (v.status != 200)
            throw llm_error(llm_error::kind::http_status,
                            "Ollama at " + ep_.url + " answered " + std::to_string(v.status) +
                                " to /api/version: is this URL an Ollama server?",
                            v.status);
        boost::system::error_code ec;
        if (auto j = boost::json::parse(v.body, ec); !ec && j.is_object())
            if (auto* s = j.as_object().if_contains("version"); s && s->is_string()) info.version = std::string(s->as_string());
        auto tspec = get("/api/tags", deadline);
        auto t = co_await detail::exchange(ep_, std::move(tspec), reg, "Ollama");
        if (t.status == 200) {
            auto j = boost::json::parse(t.body, ec);
            const std::string want = detail::with_tag(opts_.model);
            if (!ec && j.is_object())
                if (auto* ms = j.as_object().if_contains("models"); ms && ms->is_array())
                    for (const auto& m : ms->as_array()) {
                        if (!m.is_object()) continue;
                        const auto* name = m.as_object().if_contains("name");
                        if (!name || !name->is_string()) name = m.as_object().if_contains("model");
                        if (!name || !name->is_string()) continue;
                        info.models.emplace_back(name->as_string());
                        if (detail::with_tag(info.models.back()) == want) info.model_present = true;
                    }
        }
        co_return info;
    }

private:
    detail::http_request_spec get(std::string target, std::chrono::steady_clock::time_point deadline) const {
        detail::http_request_spec s;
        s.target = std::move(target);
        s.deadline = deadline;
        s.connect_timeout = opts_.connect_timeout;
        return s;
    }

    boost::asio::awaitable<llm_reply> attempt(const std::string& body, std::shared_ptr<detail::cancel_registry> reg) const {
        detail::http_request_spec s;
        s.method = boost::beast::http::verb::post;
        s.target = opts_.use_generate ? "/api/generate" : "/api/chat";
        s.body = body;
        s.deadline = std::chrono::steady_clock::now() + opts_.timeout;
        s.connect_timeout = opts_.connect_timeout;
        llm_reply reply;
        bool done = false;
        std::optional<std::string> stream_error;
        if (opts_.stream)
            s.on_line = [&](std::string_view line) {
                if (line.find_first_not_of(" \t\r") == std::string_view::npos) return true;
                boost::system::error_code ec;
                auto v = boost::json::parse(line, ec);
                if (ec || !v.is_object()) {
                    stream_error = "a streamed line is not JSON: " + std::string(line.substr(0, 120));
                    return false;
                }
                const auto& o = v.as_object();
                if (auto* e = o.if_contains("error")) {
                    stream_error = e->is_string() ? std::string(e->as_string()) : boost::json::serialize(*e);
                    return false;
                }
                take(o, reply);
                if (auto* d = o.if_contains("done"); d && d->is_bool() && d->as_bool()) done = true;
                return !done;
            };
        auto r = co_await detail::exchange(ep_, std::move(s), reg, "Ollama");
        if (r.status == 404 && detail::error_text(r.body).find("not found") != std::string::npos)
            throw llm_error(llm_error::kind::model_missing,
                            "model '" + opts_.model + "' not found on Ollama at " + ep_.url + ": run `ollama pull " +
                                opts_.model + "` (or set OLLAMA_MODEL to a pulled model)",
                            404);
        if (r.status != 200)
            throw llm_error(llm_error::kind::http_status,
                            "Ollama at " + ep_.url + " answered HTTP " + std::to_string(r.status) + ": " +
                                detail::error_text(r.body),
                            r.status);
        if (opts_.stream) {
            // a mid-stream error keeps status 200; it is a server failure, so it is retried like a 500
            if (stream_error)
                throw llm_error(llm_error::kind::http_status, "Ollama at " + ep_.url + " failed mid-stream: " + *stream_error, 500);
            if (!done) throw llm_error(llm_error::kind::bad_reply, "Ollama's stream ended before done:true");
        } else {
            const auto o = detail::parse_object(r.body, "Ollama's reply");
            if (auto* e = o.if_contains("error"); e && e->is_string())
                throw llm_error(llm_error::kind::http_status, "Ollama error: " + std::string(e->as_string()), 500);
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
        if (auto* d = o.if_contains("done_reason"); d && d->is_string()) reply.done_reason = std::string(d->as_string());
    }

    friend class detail::llm_client_base<ollama_client>;
};

/// @brief An OpenAI-compatible server (llama.cpp, vLLM, LM Studio, Ollama's /v1): `POST /v1/chat/completions`.
///
/// `temperature` is always sent (Ollama's /v1 forces 1.0 when it is missing) and `response_format` uses the
/// nested `json_schema.schema` form, the only one every server reads.
class openai_client : public detail::llm_client_base<openai_client> {
public:
    using stage_category = llm_client_tag;

    explicit openai_client(llm_options o) : llm_client_base(std::move(o)) {
        if (opts_.api_key.empty())
            if (const char* k = std::getenv("OPENAI_API_KEY")) opts_.api_key = k;
    }

    [[nodiscard]] boost::json::object request_body(const std::vector<llm_message>& msgs,
                                                   const boost::json::object& schema) const {
        boost::json::array arr;
        for (const auto& m : msgs) arr.push_back(boost::json::object{{"role", m.role}, {"content", m.content}});
        boost::json::object body{{"model", opts_.model},
                                 {"messages", std::move(arr)},
                                 {"temperature", opts_.temperature},
                                 {"seed", opts_.seed},
                                 {"max_tokens", opts_.num_predict},
                                 {"stream", opts_.stream}};
        if (opts_.stream) body["stream_options"] = boost::json::object{{"include_usage", true}};
        body["response_format"] = boost::json::object{
            {"type", "json_schema"},
            {"json_schema", boost::json::object{{"name", "log_group_analysis"}, {"strict", true}, {"schema", schema}}}};
        return body;
    }

    /// `GET /v1/models`: is the server there, and does it list the model (single-model servers may not)?
    boost::asio::awaitable<llm_server_info> check(std::shared_ptr<detail::cancel_registry> reg,
                                                  std::chrono::milliseconds bound) const {
        llm_server_info info;
        detail::http_request_spec s;
        s.target = "/v1/models";
        s.deadline = std::chrono::steady_clock::now() + bound;
        s.connect_timeout = opts_.connect_timeout;
        add_auth(s);
        auto r = co_await detail::exchange(ep_, std::move(s), reg, "OpenAI-compatible server");
        if (r.status == 401 || r.status == 403)
            throw llm_error(llm_error::kind::http_status,
                            "the server at " + ep_.url + " refused the API key (HTTP " + std::to_string(r.status) +
                                "): set OPENAI_API_KEY",
                            r.status);
        info.version = "openai-compatible";
        boost::system::error_code ec;
        if (auto j = boost::json::parse(r.body, ec); r.status == 200 && !ec && j.is_object())
            if (auto* d = j.as_object().if_contains("data"); d && d->is_array())
                for (const auto& m : d->as_array())
                    if (m.is_object())
                        if (auto* id = m.as_object().if_contains("id"); id && id->is_string()) {
                            info.models.emplace_back(id->as_string());
                            // Ollama's /v1/models lists `name:tag`; the same `:latest` rule applies
                            if (info.models.back() == opts_.model || detail::with_tag(info.models.back()) == detail::with_tag(opts_.model))
                                info.model_present = true;
                        }
        // a single-model server (llama.cpp) answers for whatever model is named
        if (info.models.size() <= 1) info.model_present = true;
        co_return info;
    }

private:
    void add_auth(detail::http_request_spec& s) const {
        if (!opts_.api_key.empty()) s.headers.emplace_back("Authorization", "Bearer " + opts_.api_key);
    }

    boost::asio::awaitable<llm_reply> attempt(const std::string& body, std::shared_ptr<detail::cancel_registry> reg) const {
        detail::http_request_spec s;
        s.method = boost::beast::http::verb::post;
        s.target = "/v1/chat/completions";
        s.body = body;
        s.deadline = std::chrono::steady_clock::now() + opts_.timeout;
        s.connect_timeout = opts_.connect_timeout;
        add_auth(s);
        llm_reply reply;
        bool done = false;
        std::optional<std::string> stream_error;
        if (opts_.stream)
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
                    stream_error = "a streamed event is not JSON: " + std::string(line.substr(0, 120));
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
        auto r = co_await detail::exchange(ep_, std::move(s), reg, "OpenAI-compatible server");
        const std::string err = r.status == 200 ? std::string{} : detail::error_text(r.body);
        if (r.status == 404 && err.find("not found") != std::string::npos)
            throw llm_error(llm_error::kind::model_missing,
                            "model '" + opts_.model + "' not found on the server at " + ep_.url +
                                ": load it there or name one it serves",
                            404);
        if (r.status == 401 || r.status == 403)
            throw llm_error(llm_error::kind::http_status,
                            "the server at " + ep_.url + " refused the API key (HTTP " + std::to_string(r.status) +
                                "): set OPENAI_API_KEY",
                            r.status);
        if (r.status != 200)
            throw llm_error(llm_error::kind::http_status,
                            "the server at " + ep_.url + " answered HTTP " + std::to_string(r.status) + ": " + err, r.status);
        if (opts_.stream) {
            if (stream_error)
                throw llm_error(llm_error::kind::http_status, "the server at " + ep_.url + " failed mid-stream: " + *stream_error, 500);
            if (!done) throw llm_error(llm_error::kind::bad_reply, "the event stream ended before data: [DONE]");
        } else {
            take(detail::parse_object(r.body, "the server's reply"), reply, "message");
        }
        co_return reply;
    }

    static void take(const boost::json::object& o, llm_reply& reply, std::string_view part) {
        if (auto* cs = o.if_contains("choices"); cs && cs->is_array() && !cs->as_array().empty() && cs->as_array()[0].is_object()) {
            const auto& c0 = cs->as_array()[0].as_object();
            if (auto* m = c0.if_contains(part); m && m->is_object())
                if (auto* c = m->as_object().if_contains("content"); c && c->is_string()) reply.content += c->as_string();
            if (auto* f = c0.if_contains("finish_reason"); f && f->is_string()) reply.done_reason = std::string(f->as_string());
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
