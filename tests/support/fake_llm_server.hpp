#pragma once
// A real loopback HTTP server that speaks Ollama's and the OpenAI-compatible wire formats, with injectable faults.

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/json.hpp>

#include <algorithm>
#include <atomic>
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
    http_500,      ///< 500 {"error": "llama runner process has terminated"}
    busy_503,      ///< 503 server busy (queue full)
    model_404,     ///< 404 model not found, and /api/tags lists no model
    not_json,      ///< 200 with an HTML body
    bad_schema,    ///< a well-formed reply whose content breaks the answer schema
    reset,         ///< reads the request, then resets the connection
    hang,          ///< reads the request and never answers
    slow_drip,     ///< sends a valid reply one byte at a time, slower than any sane timeout
    mid_stream,    ///< streaming: a first piece, then an {"error":...} line (status stays 200)
};

inline std::optional<fake_fault> parse_fake_fault(std::string_view s) {
    static const std::map<std::string_view, fake_fault> names{
        {"none", fake_fault::none},         {"500", fake_fault::http_500},      {"503", fake_fault::busy_503},
        {"404", fake_fault::model_404},     {"not-json", fake_fault::not_json}, {"bad-schema", fake_fault::bad_schema},
        {"reset", fake_fault::reset},       {"hang", fake_fault::hang},         {"slow", fake_fault::slow_drip},
        {"mid-stream", fake_fault::mid_stream}};
    auto it = names.find(s);
    if (it == names.end()) return std::nullopt;
    return it->second;
}

struct fake_llm_config {
    fake_fault fault = fake_fault::none;
    int fail_first = -1;  ///< >= 0: only the first N generation requests get the fault, later ones succeed
    std::chrono::milliseconds delay{0};  ///< every generation reply waits this long (lets requests overlap)
    std::chrono::milliseconds drip_interval{300};
    std::string version = "0.12.6";
    std::vector<std::string> models{"mistral:latest", "qwen2.5:3b"};
    /// The model's answer (a JSON document as text); empty: a valid answer of the loglens schema.
    std::string answer;
    /// Non-empty: every request is also appended to this file as it arrives.
    std::string record_path;
};

/// @brief Runs on its own thread and io_context, bound to 127.0.0.1 on a free port.
///
/// Counts requests per path, records generation request bodies and headers, and tracks the peak number of
/// generation requests in flight at once.
class fake_llm_server {
public:
    explicit fake_llm_server(fake_llm_config cfg = {}) : cfg_(std::move(cfg)), acceptor_(ioc_) {
        namespace net = boost::asio;
        net::ip::tcp::endpoint ep(net::ip::make_address("127.0.0.1"), 0);
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
    [[nodiscard]] std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

    /// Requests to /api/chat, /api/generate and /v1/chat/completions.
    [[nodiscard]] std::size_t generations() const { return generations_.load(); }
    [[nodiscard]] std::size_t requests(const std::string& path) const {
        std::lock_guard lock(m_);
        auto it = paths_.find(path);
        return it == paths_.end() ? 0 : it->second;
    }
    [[nodiscard]] std::size_t max_in_flight() const { return peak_.load(); }
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
    template <class T>
    using awaitable = boost::asio::awaitable<T>;

    awaitable<void> accept_loop() {
        namespace net = boost::asio;
        while (true) {
            auto [ec, sock] = co_await acceptor_.async_accept(net::as_tuple(net::use_awaitable));
            if (ec) co_return;
            net::co_spawn(ioc_, serve(std::move(sock)), net::detached);
        }
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

    awaitable<void> send(tcp::socket& s, const std::string& data) {
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
            choice["delta"] = finish ? boost::json::object{} : boost::json::object{{"role", "assistant"}, {"content", content}};
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

    awaitable<void> serve(tcp::socket sock) {
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
        const bool is_gen = target == "/api/chat" || target == "/api/generate" || target == "/v1/chat/completions";
        if (!is_gen) {
            {
            const std::string out_ = info_reply(target);
            co_await send(sock, out_);
        }
            co_return;
        }
        const std::size_t index = generations_++;
        {
            std::lock_guard lock(m_);
            bodies_.push_back(req.body());
            auth_.emplace_back(req[http::field::authorization]);
        }
        const std::size_t now = ++in_flight_;
        std::size_t prev = peak_.load();
        while (now > prev && !peak_.compare_exchange_weak(prev, now)) {
        }
        co_await generate(sock, target, req.body(), index);
        --in_flight_;
    }

    std::string info_reply(const std::string& target) const {
        if (target == "/") return full(200, "OK", "text/plain; charset=utf-8", "Ollama is running");
        if (target == "/api/version")
            return full(200, "OK", "application/json", boost::json::serialize(boost::json::object{{"version", cfg_.version}}));
        if (target == "/api/tags") {
            boost::json::array ms;
            if (cfg_.fault != fake_fault::model_404)
                for (const auto& m : cfg_.models)
                    ms.push_back(boost::json::object{{"name", m},
                                                     {"model", m},
                                                     {"modified_at", "2025-05-04T17:37:44.706015396-07:00"},
                                                     {"size", 2019393189},
                                                     {"digest", "a80c4f17acd55265feec403c7aef86be0c25983ab279d83f3bcd3abbcb5b8b72"}});
            return full(200, "OK", "application/json", boost::json::serialize(boost::json::object{{"models", ms}}));
        }
        if (target == "/v1/models") {
            boost::json::array ms;
            if (cfg_.fault != fake_fault::model_404)
                for (const auto& m : cfg_.models)
                    ms.push_back(boost::json::object{{"id", m}, {"object", "model"}, {"created", 1686935002}, {"owned_by", "library"}});
            return full(200, "OK", "application/json",
                        boost::json::serialize(boost::json::object{{"object", "list"}, {"data", ms}}));
        }
        return full(404, "Not Found", "text/plain", "404 page not found");
    }

    awaitable<void> generate(tcp::socket& sock, const std::string& target, const std::string& body, std::size_t index) {
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
                if (auto* iu = so->as_object().if_contains("include_usage"); iu && iu->is_bool()) include_usage = iu->as_bool();
        }
        if (cfg_.delay.count() > 0) {
            net::steady_timer t(sock.get_executor(), cfg_.delay);
            co_await t.async_wait(net::as_tuple(net::use_awaitable));
        }
        const bool faulty = cfg_.fail_first < 0 || index < static_cast<std::size_t>(cfg_.fail_first);
        const fake_fault f = faulty ? cfg_.fault : fake_fault::none;
        const auto err_body = [&](std::string_view msg, std::string_view type) {
            if (!openai) return boost::json::serialize(boost::json::object{{"error", msg}});
            return boost::json::serialize(boost::json::object{
                {"error", boost::json::object{{"message", msg}, {"type", type}, {"param", nullptr}, {"code", nullptr}}}});
        };
        switch (f) {
            case fake_fault::http_500:
                {
            const std::string out_ = full(500, "Internal Server Error", "application/json",
                                         err_body("llama runner process has terminated: signal: killed", "api_error"));
            co_await send(sock, out_);
        }
                co_return;
            case fake_fault::busy_503:
                {
            const std::string out_ = full(503, "Service Unavailable", "application/json",
                                         err_body("server busy, please try again.  maximum pending requests exceeded", "api_error"));
            co_await send(sock, out_);
        }
                co_return;
            case fake_fault::model_404:
                {
            const std::string out_ = full(404, "Not Found", "application/json",
                                         err_body("model '" + model + "' not found", "not_found_error"));
            co_await send(sock, out_);
        }
                co_return;
            case fake_fault::not_json:
                {
            const std::string out_ = full(200, "OK", "text/html", "<html><body>Bad gateway</body></html>");
            co_await send(sock, out_);
        }
                co_return;
            case fake_fault::reset: {
                sock.set_option(net::socket_base::linger(true, 0));
                boost::system::error_code ignore;
                sock.close(ignore);
                co_return;
            }
            case fake_fault::hang: {
                net::steady_timer t(sock.get_executor(), std::chrono::hours(1));
                co_await t.async_wait(net::as_tuple(net::use_awaitable));
                co_return;
            }
            default: break;
        }
        const std::string answer = f == fake_fault::bad_schema
                                       ? R"({"classification":"catastrophic","description":"","recommendations":[],"confidence":7})"
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
                net::steady_timer t(sock.get_executor(), cfg_.drip_interval);
                co_await t.async_wait(net::as_tuple(net::use_awaitable));
            }
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
            if (f == fake_fault::mid_stream && i == 1) {
                {
            const std::string out_ = chunk(openai ? "data: " + err_body("an error was encountered while running the model", "api_error") + "\n\n"
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
            const std::string out_ = chunk(openai ? "data: " + openai_reply(model, pieces[i], true, false, 0, 0) + "\n\n"
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
                boost::json::object u{{"id", "chatcmpl-123"},
                                      {"object", "chat.completion.chunk"},
                                      {"created", 1733446018},
                                      {"model", model},
                                      {"choices", boost::json::array{}},
                                      {"usage", boost::json::object{{"prompt_tokens", ptok},
                                                                    {"completion_tokens", etok},
                                                                    {"total_tokens", ptok + etok}}}};
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
};

}  // namespace loglens_test
