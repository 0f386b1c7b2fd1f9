#pragma once
// A real loopback HTTP(S) server that speaks Ollama's and the OpenAI-compatible wire formats, with injectable
// SPDX-License-Identifier: MIT
// faults and the behaviours of a real llama.cpp llama-server (wrong paths, keyless model lists, loading 503,
// unenforced number bounds, context-size 400s, length-cut 500s, dying mid-run).

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/stream_traits.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/json.hpp>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace loglens_test {

/// What the server does wrong when asked to generate.
enum class fake_fault {
    none,
    http_500,    ///< 500 {"error": "llama runner process has terminated"}
    busy_503,    ///< 503 server busy (queue full)
    model_404,   ///< 404 model not found, and /api/tags lists no model
    not_json,    ///< 200 with an HTML body
    bad_schema,  ///< a well-formed reply whose content breaks the answer schema
    reset,       ///< reads the request, then resets the connection
    hang,        ///< reads the request and never answers
    slow_drip,   ///< sends a valid reply one byte at a time, slower than any sane timeout
    mid_stream,  ///< streaming: a first piece, then an {"error":...} line (status stays 200)
    length_500,  ///< llama.cpp when its parser rejects the final answer (seen on nonsense output): HTTP 500 (streaming,
                 ///< from its source: an error event after the first deltas, status 200)
    length_cut,  ///< llama.cpp when an answer reaches max_tokens, grammar or not: 200, finish_reason "length", cut text
};

inline std::optional<fake_fault> parse_fake_fault(std::string_view s) {
    static const std::map<std::string_view, fake_fault> names{{"none", fake_fault::none},
                                                              {"500", fake_fault::http_500},
                                                              {"503", fake_fault::busy_503},
                                                              {"404", fake_fault::model_404},
                                                              {"not-json", fake_fault::not_json},
                                                              {"bad-schema", fake_fault::bad_schema},
                                                              {"reset", fake_fault::reset},
                                                              {"hang", fake_fault::hang},
                                                              {"slow", fake_fault::slow_drip},
                                                              {"mid-stream", fake_fault::mid_stream},
                                                              {"length-500", fake_fault::length_500},
                                                              {"length-cut", fake_fault::length_cut}};
    auto it = names.find(s);
    if (it == names.end()) return std::nullopt;
    return it->second;
}

struct fake_llm_config {
    fake_fault fault = fake_fault::none;
    int fail_first = -1;                 ///< >= 0: only the first N generation requests get the fault, later ones succeed
    std::chrono::milliseconds delay{0};  ///< every generation reply waits this long (lets requests overlap)
    std::chrono::milliseconds drip_interval{300};
    std::string version = "0.12.6";
    std::vector<std::string> models{"mistral:latest", "qwen2.5:3b"};
    /// The model's answer (a JSON document as text); empty: a valid answer of the loglens schema.
    std::string answer;
    /// The answer to incident requests (their schema has `fix_steps`); empty: a valid one naming the first and
    /// the last problem id the schema's enum allows, as a grammar-constrained server would.
    std::string incident_answer;
    /// The answer to triage requests (their schema has `flagged`); empty: every listed template whose line holds
    /// one of `triage_flag` (any case) is flagged `major`, as a model that reads the lines would.
    std::string triage_answer;
    std::vector<std::string> triage_flag;
    /// llama.cpp instead of Ollama: only /v1/*, /health and /props; /api/* and unknown paths 404 with its body.
    bool llama = false;
    std::string api_key;  ///< non-empty: every route but /health and /v1/models wants `Bearer <key>` (llama.cpp)
    std::chrono::milliseconds loading{0};  ///< every route answers 503 "Loading model" for this long after start
    int n_ctx = 0;  ///< > 0: reported (/v1/models meta.n_ctx, /api/show), and longer prompts get llama.cpp's 400
    double bytes_per_token = 2.0;  ///< how the fake counts prompt tokens against n_ctx
    unsigned short port = 0;       ///< 0: a free port; else this one (a server restarted where it was)
    int die_after = -1;            ///< >= 0: after this many generation requests the server stops listening (a kill)
    bool tls = false;              ///< https with a certificate for localhost and 127.0.0.1 made at start (see `cert_pem`)
    /// Non-empty: every request is also appended to this file as it arrives.
    std::string record_path;
};

/// A self-signed certificate (EC P-256, SAN localhost and 127.0.0.1) and its key, PEM, made in-process.
struct test_certificate {
    std::string cert_pem, key_pem;

    static test_certificate make() {
        EVP_PKEY* key = EVP_EC_gen("P-256");
        X509* x = X509_new();
        X509_set_version(x, 2);
        ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
        X509_gmtime_adj(X509_getm_notBefore(x), -3600);
        X509_gmtime_adj(X509_getm_notAfter(x), 24 * 3600);
        X509_set_pubkey(x, key);
        X509_NAME* name = X509_get_subject_name(x);
        X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("localhost"), -1, -1,
                                   0);
        X509_set_issuer_name(x, name);
        X509V3_CTX ctx;
        X509V3_set_ctx_nodb(&ctx);
        X509V3_set_ctx(&ctx, x, x, nullptr, nullptr, 0);
        for (auto [nid, value] : {std::pair{NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1"},
                                  std::pair{NID_basic_constraints, "critical,CA:TRUE"}}) {
            X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
            X509_add_ext(x, ext, -1);
            X509_EXTENSION_free(ext);
        }
        X509_sign(x, key, EVP_sha256());
        test_certificate out;
        const auto pem = [](auto write) {
            BIO* b = BIO_new(BIO_s_mem());
            write(b);
            char* data = nullptr;
            const long n = BIO_get_mem_data(b, &data);
            std::string s(data, static_cast<std::size_t>(n));
            BIO_free(b);
            return s;
        };
        out.cert_pem = pem([&](BIO* b) { PEM_write_bio_X509(b, x); });
        out.key_pem = pem([&](BIO* b) { PEM_write_bio_PrivateKey(b, key, nullptr, nullptr, 0, nullptr, nullptr); });
        X509_free(x);
        EVP_PKEY_free(key);
        return out;
    }
};

/// @brief Runs on its own thread and io_context, bound to 127.0.0.1 on a free port.
///
/// Counts requests per path, records generation request bodies and headers, and tracks the peak number of
/// generation requests in flight at once.
class fake_llm_server {
public:
    explicit fake_llm_server(fake_llm_config cfg = {})
        : cfg_(std::move(cfg)),
          acceptor_(ioc_),
          tls_(boost::asio::ssl::context::tls_server),
          started_(std::chrono::steady_clock::now()) {
        namespace net = boost::asio;
        if (cfg_.tls) {
            cert_ = test_certificate::make();
            tls_.use_certificate_chain(net::buffer(cert_.cert_pem));
            tls_.use_private_key(net::buffer(cert_.key_pem), net::ssl::context::pem);
        }
        net::ip::tcp::endpoint ep(net::ip::make_address("127.0.0.1"), cfg_.port);
        acceptor_.open(ep.protocol());
        acceptor_.set_option(net::socket_base::reuse_address(true));
        acceptor_.bind(ep);
        acceptor_.listen();
        port_ = acceptor_.local_endpoint().port();
        net::co_spawn(ioc_, accept_loop(), net::detached);
        thread_ = std::thread([this] { ioc_.run(); });
    }
    fake_llm_server(const fake_llm_server&) = delete;
    fake_llm_server& operator=(const fake_llm_server&) = delete;
    ~fake_llm_server() {
        ioc_.stop();
        thread_.join();
    }

    [[nodiscard]] unsigned short port() const noexcept { return port_; }
    [[nodiscard]] std::string url() const {
        return std::string(cfg_.tls ? "https" : "http") + "://127.0.0.1:" + std::to_string(port_);
    }
    /// The certificate of a TLS server (PEM), to trust in a test.
    [[nodiscard]] const std::string& cert_pem() const noexcept { return cert_.cert_pem; }
    /// The SNI host names TLS clients sent (empty entries: none sent).
    [[nodiscard]] std::vector<std::string> server_names() const {
        std::lock_guard lock(m_);
        return sni_;
    }

    /// Requests to /api/chat, /api/generate and /v1/chat/completions.
    [[nodiscard]] std::size_t generations() const { return generations_.load(); }
    [[nodiscard]] std::size_t requests(const std::string& path) const {
        std::lock_guard lock(m_);
        auto it = paths_.find(path);
        return it == paths_.end() ? 0 : it->second;
    }
    [[nodiscard]] std::size_t max_in_flight() const { return peak_.load(); }
    /// Generation requests whose schema was the incident summary's.
    [[nodiscard]] std::size_t incident_requests() const { return incident_requests_.load(); }
    /// Generation requests whose schema was the triage's.
    [[nodiscard]] std::size_t triage_requests() const { return triage_requests_.load(); }
    [[nodiscard]] std::vector<std::string> bodies() const {
        std::lock_guard lock(m_);
        return bodies_;
    }
    [[nodiscard]] std::vector<std::string> authorizations() const {
        std::lock_guard lock(m_);
        return auth_;
    }
    /// Everything any request carried (targets, headers, bodies), for "the secret never reached the server".
    [[nodiscard]] std::string everything_received() const {
        std::lock_guard lock(m_);
        return all_;
    }

    static std::string valid_answer() {
        return R"({"classification":"major","description":"fake description","root_cause":"fake root cause",)"
               R"("recommendations":["fake fix one","fake fix two"],"confidence":0.75})";
    }

private:
    using tcp = boost::asio::ip::tcp;
    using tls_stream = boost::asio::ssl::stream<tcp::socket>;
    template <class T>
    using awaitable = boost::asio::awaitable<T>;

    awaitable<void> accept_loop() {
        namespace net = boost::asio;
        while (true) {
            auto [ec, sock] = co_await acceptor_.async_accept(net::as_tuple(net::use_awaitable));
            if (ec) co_return;
            if (!cfg_.tls) {
                net::co_spawn(ioc_, serve(std::move(sock)), net::detached);
                continue;
            }
            net::co_spawn(ioc_, serve_tls(std::move(sock)), net::detached);
        }
    }

    awaitable<void> serve_tls(tcp::socket sock) {
        namespace net = boost::asio;
        tls_stream s(std::move(sock), tls_);
        auto [ec] = co_await s.async_handshake(net::ssl::stream_base::server, net::as_tuple(net::use_awaitable));
        if (ec) co_return;  // e.g. a client that refused the certificate
        {
            const char* sni = SSL_get_servername(s.native_handle(), TLSEXT_NAMETYPE_host_name);
            std::lock_guard lock(m_);
            sni_.emplace_back(sni ? sni : "");
        }
        co_await handle(s);
    }

    static std::string http_head(int status, std::string_view reason, std::string_view type, std::string_view extra) {
        std::string h = "HTTP/1.1 " + std::to_string(status) + " " + std::string(reason) + "\r\n";
        h += "Content-Type: " + std::string(type) + "\r\nConnection: close\r\n";
        h += extra;
        h += "\r\n";
        return h;
    }
    static std::string full(int status, std::string_view reason, std::string_view type, const std::string& body) {
        return http_head(status, reason, type, "Content-Length: " + std::to_string(body.size()) + "\r\n") + body;
    }
    static std::string chunk(std::string_view data) {
        char len[32];
        std::snprintf(len, sizeof len, "%zx\r\n", data.size());
        return std::string(len) + std::string(data) + "\r\n";
    }
    /// What llama.cpp 81ff7ab says when a grammar-constrained answer was cut at max_tokens (its chat parser's
    /// exception for the final, no longer partial, text).
    static constexpr std::string_view length_cut_message =
        "The model produced output that does not match the expected peg-native format";

    /// llama.cpp's middleware errors (404, 401, 503 while loading) put the code last, as it sends them.
    static std::string llama_route_error(int code, std::string_view msg, std::string_view type) {
        return "{\"error\":{\"message\":" + boost::json::serialize(boost::json::value(msg)) + ",\"type\":\"" +
               std::string(type) + "\",\"code\":" + std::to_string(code) + "}}";
    }

    /// llama.cpp's error body: {"error":{"code":N,"message":...,"type":...}}.
    static std::string llama_error(int code, std::string_view msg, std::string_view type, boost::json::object extra = {}) {
        boost::json::object e{{"code", code}, {"message", msg}, {"type", type}};
        for (auto& [k, v] : extra) e[k] = v;
        return boost::json::serialize(boost::json::object{{"error", e}});
    }

    template <class Stream>
    awaitable<void> send(Stream& s, const std::string& data) {
        namespace net = boost::asio;
        co_await net::async_write(s, net::buffer(data), net::as_tuple(net::use_awaitable));
    }

    std::string ollama_reply(bool chat, const std::string& model, std::string_view content, bool done,
                             std::size_t prompt_tokens, std::size_t eval_tokens) const {
        boost::json::object o{{"model", model}, {"created_at", "2026-08-04T19:22:45.499127Z"}};
        if (chat) o["message"] = boost::json::object{{"role", "assistant"}, {"content", content}};
        else o["response"] = content;
        o["done"] = done;
        if (done) {
            o["done_reason"] = "stop";
            o["total_duration"] = 1075509083;
            o["prompt_eval_count"] = prompt_tokens;
            o["eval_count"] = eval_tokens;
            o["eval_duration"] = 269000000;
        }
        return boost::json::serialize(o);
    }

    std::string openai_reply(const std::string& model, std::string_view content, bool stream_chunk, bool finish,
                             std::size_t prompt_tokens, std::size_t eval_tokens) const {
        boost::json::object o{{"id", "chatcmpl-123"},
                              {"object", stream_chunk ? "chat.completion.chunk" : "chat.completion"},
                              {"created", 1733446018},
                              {"model", model},
                              {"system_fingerprint", "fp_ollama"}};
        boost::json::object choice{{"index", 0}};
        if (stream_chunk) {
            choice["delta"] = finish ? boost::json::object{}
                                     : boost::json::object{{"role", "assistant"}, {"content", content}};
        } else {
            choice["message"] = boost::json::object{{"role", "assistant"}, {"content", content}};
        }
        choice["finish_reason"] = finish ? boost::json::value("stop") : boost::json::value(nullptr);
        o["choices"] = boost::json::array{choice};
        if (!stream_chunk)
            o["usage"] = boost::json::object{{"prompt_tokens", prompt_tokens},
                                             {"completion_tokens", eval_tokens},
                                             {"total_tokens", prompt_tokens + eval_tokens}};
        return boost::json::serialize(o);
    }

    awaitable<void> serve(tcp::socket sock) { co_await handle(sock); }

    template <class Stream>
    awaitable<void> handle(Stream& sock) {
        namespace net = boost::asio;
        namespace http = boost::beast::http;
        boost::beast::flat_buffer buf;
        http::request<http::string_body> req;
        auto [ec, n] = co_await http::async_read(sock, buf, req, net::as_tuple(net::use_awaitable));
        (void)n;
        if (ec) co_return;
        const std::string target(req.target());
        {
            std::lock_guard lock(m_);
            ++paths_[target];
            all_ += std::string(req.method_string()) + " " + target + "\n";
            const std::size_t from = all_.size();
            for (const auto& f : req) all_ += std::string(f.name_string()) + ": " + std::string(f.value()) + "\n";
            all_ += req.body() + "\n";
            if (!cfg_.record_path.empty()) {
                std::ofstream rec(cfg_.record_path, std::ios::binary | std::ios::app);
                rec << std::string(req.method_string()) << ' ' << target << '\n' << all_.substr(from);
            }
        }
        if (std::chrono::steady_clock::now() - started_ < cfg_.loading) {
            const std::string out_ = full(503, "Service Unavailable", "application/json; charset=utf-8",
                                          llama_route_error(503, "Loading model", "unavailable_error"));
            co_await send(sock, out_);
            co_return;
        }
        const bool is_public = target == "/health" || target == "/v1/health" || target == "/v1/models" ||
                               target == "/models" || (cfg_.llama && target == "/");
        if (!cfg_.api_key.empty() && !is_public &&
            std::string(req[http::field::authorization]) != "Bearer " + cfg_.api_key) {
            const std::string out_ = full(401, "Unauthorized", "application/json; charset=utf-8",
                                          llama_route_error(401, "Invalid API Key", "authentication_error"));
            co_await send(sock, out_);
            co_return;
        }
        const bool is_gen = target == "/v1/chat/completions" ||
                            (!cfg_.llama && (target == "/api/chat" || target == "/api/generate"));
        if (!is_gen) {
            const std::string out_ = info_reply(target, req.body());
            co_await send(sock, out_);
            co_return;
        }
        const std::size_t index = generations_++;
        {
            std::lock_guard lock(m_);
            bodies_.push_back(req.body());
            auth_.emplace_back(req[http::field::authorization]);
        }
        if (cfg_.die_after >= 0 && index + 1 >= static_cast<std::size_t>(cfg_.die_after)) {
            // a killed server: this request is cut off, and nothing listens on the port any more
            boost::system::error_code ignore;
            acceptor_.close(ignore);
            if (index + 1 > static_cast<std::size_t>(cfg_.die_after)) co_return;
        }
        const std::size_t now = ++in_flight_;
        std::size_t prev = peak_.load();
        while (now > prev && !peak_.compare_exchange_weak(prev, now)) {
        }
        co_await generate(sock, target, req.body(), index);
        --in_flight_;
    }

    std::string info_reply(const std::string& target, const std::string& body) const {
        if (target == "/health" || target == "/v1/health") return full(200, "OK", "application/json", R"({"status":"ok"})");
        if ((target == "/v1/models" || target == "/models") && cfg_.llama) return llama_models();
        if (target == "/v1/models") {
            boost::json::array ms;
            if (cfg_.fault != fake_fault::model_404)
                for (const auto& m : cfg_.models) {
                    boost::json::object o{{"id", m}, {"object", "model"}, {"created", 1686935002}, {"owned_by", "library"}};
                    if (cfg_.n_ctx > 0) o["meta"] = boost::json::object{{"n_ctx", cfg_.n_ctx}, {"n_ctx_train", 8192}};
                    ms.push_back(std::move(o));
                }
            return full(200, "OK", "application/json",
                        boost::json::serialize(boost::json::object{{"object", "list"}, {"data", ms}}));
        }
        if (cfg_.llama) {
            if (target == "/props")
                return full(200, "OK", "application/json",
                            boost::json::serialize(boost::json::object{
                                {"default_generation_settings", boost::json::object{{"n_ctx", cfg_.n_ctx}}}}));
            return full(404, "Not Found", "application/json; charset=utf-8",
                        llama_route_error(404, "File Not Found", "not_found_error"));
        }
        if (target == "/") return full(200, "OK", "text/plain; charset=utf-8", "Ollama is running");
        if (target == "/api/version")
            return full(200, "OK", "application/json",
                        boost::json::serialize(boost::json::object{{"version", cfg_.version}}));
        if (target == "/api/tags") {
            boost::json::array ms;
            if (cfg_.fault != fake_fault::model_404)
                for (const auto& m : cfg_.models)
                    ms.push_back(boost::json::object{
                        {"name", m},
                        {"model", m},
                        {"modified_at", "2025-05-04T17:37:44.706015396-07:00"},
                        {"size", 2019393189},
                        {"digest", "a80c4f17acd55265feec403c7aef86be0c25983ab279d83f3bcd3abbcb5b8b72"}});
            return full(200, "OK", "application/json", boost::json::serialize(boost::json::object{{"models", ms}}));
        }
        if (target == "/api/show" && cfg_.n_ctx > 0) {
            boost::system::error_code ec;
            (void)boost::json::parse(body, ec);
            return full(200, "OK", "application/json",
                        boost::json::serialize(boost::json::object{
                            {"model_info", boost::json::object{{"general.architecture", "llama"},
                                                               {"llama.context_length", cfg_.n_ctx}}}}));
        }
        return full(404, "Not Found", "text/plain", "404 page not found");
    }

    /// llama.cpp's `/v1/models` (also `/models`, without a key): an Ollama-like `models` list and the OpenAI
    /// `data` list of its one model, whose `meta.n_ctx` is the context of one slot (-c divided by --parallel).
    std::string llama_models() const {
        const std::string name = cfg_.models.empty() ? std::string("tiny.gguf") : cfg_.models.front();
        const int n_ctx = cfg_.n_ctx > 0 ? cfg_.n_ctx : 8192;
        boost::json::object ollama_like{{"name", name},
                                        {"model", name},
                                        {"modified_at", ""},
                                        {"size", ""},
                                        {"digest", ""},
                                        {"type", "model"},
                                        {"description", ""},
                                        {"tags", boost::json::array{""}},
                                        {"capabilities", boost::json::array{"completion"}},
                                        {"parameters", ""}};
        boost::json::object meta{{"vocab_type", 1}, {"n_vocab", 32000},    {"n_ctx", n_ctx},   {"n_ctx_train", 8192},
                                 {"n_embd", 64},    {"n_params", 4260096}, {"size", 17039360}, {"ftype", 0}};
        boost::json::object data{{"id", name},
                                 {"aliases", boost::json::array{}},
                                 {"tags", boost::json::array{}},
                                 {"object", "model"},
                                 {"created", 1764640000},
                                 {"owned_by", "llamacpp"},
                                 {"meta", std::move(meta)}};
        return full(200, "OK", "application/json; charset=utf-8",
                    boost::json::serialize(boost::json::object{{"models", boost::json::array{std::move(ollama_like)}},
                                                               {"object", "list"},
                                                               {"data", boost::json::array{std::move(data)}}}));
    }

    /// The schema a generation request carries: `response_format.json_schema.schema` or Ollama's `format`.
    static const boost::json::object* request_schema(const boost::json::object& o) {
        if (auto* f = o.if_contains("format"); f && f->is_object()) return &f->as_object();
        if (auto* rf = o.if_contains("response_format"); rf && rf->is_object())
            if (auto* js = rf->as_object().if_contains("json_schema"); js && js->is_object())
                if (auto* sc = js->as_object().if_contains("schema"); sc && sc->is_object()) return &sc->as_object();
        return nullptr;
    }

    /// The ids an incident schema allows for `fix_steps[].problem`; empty when it is not an incident schema.
    static std::vector<std::string> incident_ids(const boost::json::object* schema) {
        std::vector<std::string> ids;
        if (!schema) return ids;
        const auto* props = schema->if_contains("properties");
        const auto* steps = props && props->is_object() ? props->as_object().if_contains("fix_steps") : nullptr;
        if (!steps || !steps->is_object()) return ids;
        const auto* en = steps->as_object().if_contains("items");
        if (en && en->is_object()) en = en->as_object().if_contains("properties");
        if (en && en->is_object()) en = en->as_object().if_contains("problem");
        if (en && en->is_object()) en = en->as_object().if_contains("enum");
        if (en && en->is_array())
            for (const auto& id : en->as_array())
                if (id.is_string()) ids.emplace_back(id.as_string());
        if (ids.empty()) ids.emplace_back("?");  // an incident schema without an enum still gets an answer
        return ids;
    }

    static bool is_triage_schema(const boost::json::object* schema) {
        const auto* props = schema ? schema->if_contains("properties") : nullptr;
        return props && props->is_object() && props->as_object().contains("flagged");
    }

    /// The triage answer: the prompt's lines `tN [service] ...` that hold a configured word, flagged.
    std::string triage_reply(const boost::json::object& request) const {
        if (!cfg_.triage_answer.empty()) return cfg_.triage_answer;
        std::string text;
        if (auto* ms = request.if_contains("messages"); ms && ms->is_array())
            for (const auto& m : ms->as_array())
                if (m.is_object())
                    if (auto* c = m.as_object().if_contains("content"); c && c->is_string())
                        (text += c->as_string()) += '\n';
        if (auto* p = request.if_contains("prompt"); p && p->is_string()) text += p->as_string();
        const auto lower = [](std::string v) {
            for (auto& c : v) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            return v;
        };
        boost::json::array flagged;
        std::size_t at = 0;
        while (at < text.size()) {
            const auto end = std::min(text.find('\n', at), text.size());
            const std::string line = lower(text.substr(at, end - at));
            at = end + 1;
            const auto sp = line.find(' ');
            if (line.size() < 2 || line[0] != 't' || sp == std::string::npos || sp < 2 ||
                line.find_first_not_of("0123456789", 1) != sp)
                continue;
            for (const auto& w : cfg_.triage_flag)
                if (!w.empty() && line.find(lower(w)) != std::string::npos) {
                    flagged.push_back(boost::json::object{{"id", line.substr(0, sp)},
                                                          {"severity", "major"},
                                                          {"reason", "fake triage: '" + w + "' shows a failure"}});
                    break;
                }
        }
        return boost::json::serialize(boost::json::object{{"flagged", std::move(flagged)}});
    }

    std::string incident_reply(const std::vector<std::string>& ids) const {
        if (!cfg_.incident_answer.empty()) return cfg_.incident_answer;
        return boost::json::serialize(boost::json::object{
            {"summary", "fake incident summary"},
            {"root_cause", "fake incident root cause"},
            {"fix_steps",
             boost::json::array{
                 boost::json::object{{"problem", ids.front()}, {"action", "fake fix of the first cause"}},
                 boost::json::object{{"problem", ids.back()}, {"action", "fake check of the last symptom"}}}}});
    }

    /// The prompt's size in the fake's tokens: every message's text.
    std::size_t prompt_tokens(const boost::json::object& o) const {
        std::size_t bytes = 0;
        if (auto* ms = o.if_contains("messages"); ms && ms->is_array())
            for (const auto& m : ms->as_array())
                if (m.is_object())
                    if (auto* c = m.as_object().if_contains("content"); c && c->is_string()) bytes += c->as_string().size();
        if (auto* p = o.if_contains("prompt"); p && p->is_string()) bytes += p->as_string().size();
        if (auto* p = o.if_contains("system"); p && p->is_string()) bytes += p->as_string().size();
        return static_cast<std::size_t>(static_cast<double>(bytes) / cfg_.bytes_per_token) + 1;
    }

    template <class Stream>
    awaitable<void> generate(Stream& sock, const std::string& target, const std::string& body, std::size_t index) {
        namespace net = boost::asio;
        const bool openai = target == "/v1/chat/completions";
        const bool chat = target != "/api/generate";
        boost::system::error_code jec;
        auto jv = boost::json::parse(body, jec);
        std::string model = "mistral";
        bool stream = !openai;  // Ollama streams unless told not to; OpenAI does not unless told to
        bool include_usage = false;
        if (!jec && jv.is_object()) {
            const auto& o = jv.as_object();
            if (auto* m = o.if_contains("model"); m && m->is_string()) model = std::string(m->as_string());
            if (auto* s = o.if_contains("stream"); s && s->is_bool()) stream = s->as_bool();
            if (auto* so = o.if_contains("stream_options"); so && so->is_object())
                if (auto* iu = so->as_object().if_contains("include_usage"); iu && iu->is_bool())
                    include_usage = iu->as_bool();
        }
        if (cfg_.n_ctx > 0 && openai && !jec && jv.is_object()) {
            const std::size_t n = prompt_tokens(jv.as_object());
            if (n >= static_cast<std::size_t>(cfg_.n_ctx)) {
                const std::string out_ = full(
                    400, "Bad Request", "application/json; charset=utf-8",
                    llama_error(400,
                                "request (" + std::to_string(n) + " tokens) exceeds the available context size (" +
                                    std::to_string(cfg_.n_ctx) + " tokens), try increasing it",
                                "exceed_context_size_error", {{"n_prompt_tokens", n}, {"n_ctx", cfg_.n_ctx}}));
                co_await send(sock, out_);
                co_return;
            }
        }
        if (cfg_.delay.count() > 0) {
            net::steady_timer t(ioc_, cfg_.delay);
            co_await t.async_wait(net::as_tuple(net::use_awaitable));
        }
        const bool faulty = cfg_.fail_first < 0 || index < static_cast<std::size_t>(cfg_.fail_first);
        fake_fault f = faulty ? cfg_.fault : fake_fault::none;
        // llama.cpp cuts a grammar-constrained answer at max_tokens and then cannot parse it: needs a grammar
        if (f == fake_fault::length_500 && !(!jec && jv.is_object() && jv.as_object().contains("response_format")))
            f = fake_fault::none;
        const auto err_body = [&](std::string_view msg, std::string_view type) {
            if (!openai) return boost::json::serialize(boost::json::object{{"error", msg}});
            return boost::json::serialize(boost::json::object{
                {"error", boost::json::object{{"message", msg}, {"type", type}, {"param", nullptr}, {"code", nullptr}}}});
        };
        switch (f) {
            case fake_fault::http_500: {
                const std::string out_ = full(500, "Internal Server Error", "application/json",
                                              err_body("llama runner process has terminated: signal: killed", "api_error"));
                co_await send(sock, out_);
            }
                co_return;
            case fake_fault::busy_503: {
                const std::string out_ = full(
                    503, "Service Unavailable", "application/json",
                    err_body("server busy, please try again.  maximum pending requests exceeded", "api_error"));
                co_await send(sock, out_);
            }
                co_return;
            case fake_fault::model_404: {
                const std::string out_ = full(404, "Not Found", "application/json",
                                              err_body("model '" + model + "' not found", "not_found_error"));
                co_await send(sock, out_);
            }
                co_return;
            case fake_fault::not_json: {
                const std::string out_ = full(200, "OK", "text/html", "<html><body>Bad gateway</body></html>");
                co_await send(sock, out_);
            }
                co_return;
            case fake_fault::length_500: {
                if (stream) break;  // streamed: the error comes as an event after the first deltas, below
                // llama.cpp 81ff7ab parses the whole answer against the schema's grammar once generation stops
                // (common_chat_peg_parse, is_partial false); a cut answer throws, and ex_wrapper makes it a 500
                const std::string out_ = full(500, "Internal Server Error", "application/json; charset=utf-8",
                                              llama_error(500, length_cut_message, "server_error"));
                co_await send(sock, out_);
                co_return;
            }
            case fake_fault::reset: {
                auto& low = boost::beast::get_lowest_layer(sock);
                low.set_option(net::socket_base::linger(true, 0));
                boost::system::error_code ignore;
                low.close(ignore);
                co_return;
            }
            case fake_fault::hang: {
                net::steady_timer t(ioc_, std::chrono::hours(1));
                co_await t.async_wait(net::as_tuple(net::use_awaitable));
                co_return;
            }
            default: break;
        }
        const auto* schema = !jec && jv.is_object() ? request_schema(jv.as_object()) : nullptr;
        const auto ids = incident_ids(schema);
        const bool triage = is_triage_schema(schema);
        if (!ids.empty()) ++incident_requests_;
        if (triage) ++triage_requests_;
        const std::string answer =
            f == fake_fault::bad_schema
                ? R"({"classification":"catastrophic","description":"","recommendations":[],"confidence":7})"
            : !ids.empty() ? incident_reply(ids)
            : triage       ? triage_reply(jv.as_object())
                           : (cfg_.answer.empty() ? valid_answer() : cfg_.answer);
        const std::size_t ptok = body.size() / 4 + 1, etok = answer.size() / 4 + 1;
        if (f == fake_fault::slow_drip) {
            const std::string whole = full(200, "OK", "application/json",
                                           openai ? openai_reply(model, answer, false, true, ptok, etok)
                                                  : ollama_reply(chat, model, answer, true, ptok, etok));
            for (char c : whole) {
                {
                    const std::string out_ = std::string(1, c);
                    co_await send(sock, out_);
                }
                net::steady_timer t(ioc_, cfg_.drip_interval);
                co_await t.async_wait(net::as_tuple(net::use_awaitable));
            }
            co_return;
        }
        if (f == fake_fault::length_cut && openai && !stream) {
            // a third of the answer, as far as max_tokens let it get
            auto o = boost::json::parse(openai_reply(model, std::string_view(answer).substr(0, answer.size() / 3), false,
                                                     true, ptok, etok))
                         .as_object();
            o["choices"].as_array()[0].as_object()["finish_reason"] = "length";
            const std::string out_ = full(200, "OK", "application/json; charset=utf-8", boost::json::serialize(o));
            co_await send(sock, out_);
            co_return;
        }
        if (!stream) {
            {
                const std::string out_ = full(200, "OK", "application/json",
                                              openai ? openai_reply(model, answer, false, true, ptok, etok)
                                                     : ollama_reply(chat, model, answer, true, ptok, etok));
                co_await send(sock, out_);
            }
            co_return;
        }
        // streaming: the answer in three pieces, each flushed as its own chunk
        {
            const std::string out_ = http_head(200, "OK", openai ? "text/event-stream" : "application/x-ndjson",
                                               "Transfer-Encoding: chunked\r\n");
            co_await send(sock, out_);
        }
        const std::size_t third = answer.size() / 3;
        const std::string_view a(answer);
        const std::string_view pieces[] = {a.substr(0, third), a.substr(third, third), a.substr(2 * third)};
        for (std::size_t i = 0; i < 3; ++i) {
            if (f == fake_fault::length_500 && openai && i == 1) {
                // llama.cpp's stream: the partial deltas went out, then the final parse fails: one error event,
                // no finish_reason and no [DONE]
                const std::string out_ = chunk("data: " + llama_error(500, length_cut_message, "server_error") + "\n\n");
                co_await send(sock, out_);
                const std::string end_ = chunk("");
                co_await send(sock, end_);
                co_return;
            }
            if (f == fake_fault::mid_stream && i == 1) {
                {
                    const std::string out_ = chunk(
                        openai
                            ? "data: " + err_body("an error was encountered while running the model", "api_error") + "\n\n"
                            : err_body("an error was encountered while running the model", "") + "\n");
                    co_await send(sock, out_);
                }
                {
                    const std::string out_ = chunk("");
                    co_await send(sock, out_);
                }
                co_return;
            }
            {
                const std::string out_ = chunk(openai
                                                   ? "data: " + openai_reply(model, pieces[i], true, false, 0, 0) + "\n\n"
                                                   : ollama_reply(chat, model, pieces[i], false, 0, 0) + "\n");
                co_await send(sock, out_);
            }
        }
        if (openai) {
            {
                const std::string out_ = chunk("data: " + openai_reply(model, "", true, true, 0, 0) + "\n\n");
                co_await send(sock, out_);
            }
            if (include_usage) {
                boost::json::object u{
                    {"id", "chatcmpl-123"},
                    {"object", "chat.completion.chunk"},
                    {"created", 1733446018},
                    {"model", model},
                    {"choices", boost::json::array{}},
                    {"usage", boost::json::object{
                                  {"prompt_tokens", ptok}, {"completion_tokens", etok}, {"total_tokens", ptok + etok}}}};
                {
                    const std::string out_ = chunk("data: " + boost::json::serialize(u) + "\n\n");
                    co_await send(sock, out_);
                }
            }
            {
                const std::string out_ = chunk("data: [DONE]\n\n");
                co_await send(sock, out_);
            }
        } else {
            {
                const std::string out_ = chunk(ollama_reply(chat, model, "", true, ptok, etok) + "\n");
                co_await send(sock, out_);
            }
        }
        {
            const std::string out_ = chunk("");
            co_await send(sock, out_);
        }
    }

    fake_llm_config cfg_;
    boost::asio::io_context ioc_;
    tcp::acceptor acceptor_;
    boost::asio::ssl::context tls_;
    test_certificate cert_;
    std::chrono::steady_clock::time_point started_;
    std::vector<std::string> sni_;
    unsigned short port_ = 0;
    std::thread thread_;
    mutable std::mutex m_;
    std::map<std::string, std::size_t> paths_;
    std::vector<std::string> bodies_;
    std::vector<std::string> auth_;
    std::string all_;
    std::atomic<std::size_t> generations_{0};
    std::atomic<std::size_t> in_flight_{0};
    std::atomic<std::size_t> peak_{0};
    std::atomic<std::size_t> incident_requests_{0};
    std::atomic<std::size_t> triage_requests_{0};
};

}  // namespace loglens_test
