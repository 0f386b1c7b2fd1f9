#pragma once
// A minimal async HTTP/1.1 client on Boost.Beast for the LLM backends: deadlines, cancellation, streamed bodies.

#include <loglens/version.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

LOGLENS_NAMESPACE_BEGIN
namespace detail {

/// Where an HTTP backend lives: `http://host[:port][/base]`.
struct http_endpoint {
    std::string host;
    std::string port = "80";
    std::string base;  ///< path prefix without trailing slash, e.g. `` or `/ollama`
    std::string url;   ///< as given, for messages
};

/// Parses an http:// URL. On failure returns nullopt and fills `error` with a message naming `setting`.
inline std::optional<http_endpoint> parse_http_url(std::string_view url, std::string_view setting, std::string& error) {
    const auto fail = [&](std::string why) {
        error = std::string(setting) + "=" + std::string(url) + ": " + why;
        return std::nullopt;
    };
    if (url.starts_with("https://"))
        return fail("https:// is not supported (loglens has no TLS dependency); use http:// to a local server, or "
                    "an http reverse proxy in front of the remote one");
    if (!url.starts_with("http://")) return fail("the URL must start with http://, e.g. http://localhost:11434");
    std::string_view rest = url.substr(7);
    const auto slash = rest.find('/');
    std::string_view authority = rest.substr(0, slash);
    std::string_view path = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash);
    while (!path.empty() && path.back() == '/') path.remove_suffix(1);
    if (authority.find('@') != std::string_view::npos)
        return fail("credentials in the URL are not supported; pass the API key through its own setting");
    http_endpoint ep;
    ep.url = std::string(url);
    ep.base = std::string(path);
    if (authority.starts_with('[')) {  // IPv6 literal
        const auto close = authority.find(']');
        if (close == std::string_view::npos) return fail("unterminated IPv6 address");
        ep.host = std::string(authority.substr(1, close - 1));
        if (close + 1 < authority.size() && authority[close + 1] == ':') ep.port = std::string(authority.substr(close + 2));
    } else {
        const auto colon = authority.rfind(':');
        ep.host = std::string(authority.substr(0, colon));
        if (colon != std::string_view::npos) ep.port = std::string(authority.substr(colon + 1));
    }
    if (ep.host.empty()) return fail("no host name");
    if (ep.port.empty() || ep.port.find_first_not_of("0123456789") != std::string::npos || ep.port.size() > 5)
        return fail("invalid port");
    return ep;
}

/// Lets `cancel_all()` (from any thread) abort every socket and timer registered by operations in flight.
class cancel_registry {
public:
    using canceller = std::function<void()>;

    /// Registers `f`; returns a token for `remove`. If already cancelled, `f` runs at once.
    std::size_t add(canceller f) {
        std::unique_lock lock(mutex_);
        if (cancelled_) {
            lock.unlock();
            f();
            return 0;
        }
        const std::size_t id = ++next_;
        items_.emplace(id, std::move(f));
        return id;
    }
    void remove(std::size_t id) {
        std::lock_guard lock(mutex_);
        items_.erase(id);
    }
    void cancel_all() {
        std::map<std::size_t, canceller> items;
        {
            std::lock_guard lock(mutex_);
            cancelled_ = true;
            items.swap(items_);
        }
        for (auto& [id, f] : items) f();
    }
    [[nodiscard]] bool cancelled() const {
        std::lock_guard lock(mutex_);
        return cancelled_;
    }

private:
    mutable std::mutex mutex_;
    bool cancelled_ = false;
    std::size_t next_ = 0;
    std::map<std::size_t, canceller> items_;
};

/// Removes a registration when an operation ends, however it ends.
class cancel_scope {
public:
    cancel_scope(std::shared_ptr<cancel_registry> reg, cancel_registry::canceller f)
        : reg_(std::move(reg)), id_(reg_->add(std::move(f))) {}
    cancel_scope(const cancel_scope&) = delete;
    cancel_scope& operator=(const cancel_scope&) = delete;
    ~cancel_scope() { reg_->remove(id_); }

private:
    std::shared_ptr<cancel_registry> reg_;
    std::size_t id_;
};

/// Cancels an I/O object from any thread: the cancel runs on the object's own executor, if it still exists.
template <class IoObject, class Fn>
cancel_registry::canceller cancel_on_executor(const std::shared_ptr<IoObject>& obj, Fn fn) {
    return [w = std::weak_ptr<IoObject>(obj), ex = obj->get_executor(), fn] {
        boost::asio::post(ex, [w, fn] {
            if (auto o = w.lock()) fn(*o);
        });
    };
}

/// Why an HTTP exchange failed; decides whether it is worth retrying.
enum class http_failure { connect, timeout, cancelled, protocol };

struct http_error : std::runtime_error {
    http_failure kind;
    http_error(http_failure k, const std::string& what) : std::runtime_error(what), kind(k) {}
};

struct http_response {
    unsigned status = 0;
    std::string body;
    std::string content_type;
};

struct http_request_spec {
    boost::beast::http::verb method = boost::beast::http::verb::get;
    std::string target;  ///< path after the endpoint's base, e.g. `/api/chat`
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
    std::chrono::steady_clock::time_point deadline;
    std::chrono::milliseconds connect_timeout{5000};
    std::size_t body_limit = 16 * 1024 * 1024;
    /// Called for each complete line of a 200 body as it arrives (streaming); return false to stop reading.
    std::function<bool(std::string_view)> on_line;
};

inline http_error to_http_error(const boost::system::error_code& ec, const cancel_registry& reg,
                                const http_endpoint& ep, std::string_view step) {
    namespace beast = boost::beast;
    const std::string where = " (" + std::string(step) + " " + ep.url + ")";
    if (reg.cancelled()) return {http_failure::cancelled, "cancelled" + where};
    if (ec == beast::error::timeout) return {http_failure::timeout, "timed out" + where};
    if (ec == boost::beast::http::error::body_limit)
        return {http_failure::protocol, "the reply is larger than the body limit" + where};
    return {http_failure::connect, ec.message() + where};
}

/// One HTTP/1.1 exchange on a fresh connection. Throws `http_error`; any HTTP status is a result, not an error.
inline boost::asio::awaitable<http_response> http_exchange(const http_endpoint& ep, http_request_spec spec,
                                                           std::shared_ptr<cancel_registry> reg) {
    namespace net = boost::asio;
    namespace beast = boost::beast;
    namespace http = beast::http;
    constexpr auto tok = net::as_tuple(net::use_awaitable);

    auto ex = co_await net::this_coro::executor;
    auto stream = std::make_shared<beast::tcp_stream>(ex);
    auto resolver = std::make_shared<net::ip::tcp::resolver>(ex);
    cancel_scope s1(reg, cancel_on_executor(stream, [](beast::tcp_stream& st) { st.socket().close(); }));
    cancel_scope s2(reg, cancel_on_executor(resolver, [](net::ip::tcp::resolver& r) { r.cancel(); }));
    if (reg->cancelled()) throw http_error(http_failure::cancelled, "cancelled (" + ep.url + ")");

    auto [rec, results] = co_await resolver->async_resolve(ep.host, ep.port, tok);
    if (rec) throw to_http_error(rec, *reg, ep, "resolving");

    const auto now = std::chrono::steady_clock::now();
    stream->expires_at(std::min(spec.deadline, now + spec.connect_timeout));
    auto [cec, endpoint] = co_await stream->async_connect(results, tok);
    (void)endpoint;
    if (cec) throw to_http_error(cec, *reg, ep, "connecting to");

    stream->expires_at(spec.deadline);
    http::request<http::string_body> req{spec.method, ep.base + spec.target, 11};
    req.set(http::field::host, ep.host + ":" + ep.port);
    req.set(http::field::user_agent, "loglens/" LOGLENS_VERSION_STRING);
    req.set(http::field::accept, "application/json, application/x-ndjson, text/event-stream");
    for (const auto& [k, v] : spec.headers) req.set(k, v);
    if (spec.method != http::verb::get) {
        req.set(http::field::content_type, "application/json");
        req.body() = std::move(spec.body);
    }
    req.keep_alive(false);
    req.prepare_payload();
    auto [wec, wn] = co_await http::async_write(*stream, req, tok);
    (void)wn;
    if (wec) throw to_http_error(wec, *reg, ep, "sending to");

    beast::flat_buffer buf;
    http::response_parser<http::string_body> parser;
    parser.body_limit(spec.body_limit);
    auto [hec, hn] = co_await http::async_read_header(*stream, buf, parser, tok);
    (void)hn;
    if (hec) throw to_http_error(hec, *reg, ep, "reading the reply of");

    http_response out;
    out.status = parser.get().result_int();
    out.content_type = std::string(parser.get()[http::field::content_type]);
    std::size_t line_start = 0;
    bool stopped = false;
    const auto feed_lines = [&](bool final) {
        if (!spec.on_line || out.status != 200 || stopped) return;
        const std::string& b = parser.get().body();
        while (!stopped) {
            const auto nl = b.find('\n', line_start);
            if (nl == std::string::npos) break;
            stopped = !spec.on_line(std::string_view(b).substr(line_start, nl - line_start));
            line_start = nl + 1;
        }
        if (final && !stopped && line_start < b.size()) {
            stopped = !spec.on_line(std::string_view(b).substr(line_start));
            line_start = b.size();
        }
    };
    while (!parser.is_done() && !stopped) {
        auto [rec2, n] = co_await http::async_read_some(*stream, buf, parser, tok);
        (void)n;
        if (rec2 == http::error::need_buffer) continue;
        if (rec2) throw to_http_error(rec2, *reg, ep, "reading the reply of");
        feed_lines(false);
    }
    feed_lines(true);
    out.body = std::move(parser.get().body());
    beast::error_code ignore;
    stream->socket().shutdown(net::ip::tcp::socket::shutdown_both, ignore);
    co_return out;
}

/// Waits `d` on a timer that `reg` can cancel. Returns false when cancelled.
inline boost::asio::awaitable<bool> cancellable_sleep(std::chrono::steady_clock::duration d,
                                                      std::shared_ptr<cancel_registry> reg) {
    namespace net = boost::asio;
    auto timer = std::make_shared<net::steady_timer>(co_await net::this_coro::executor, d);
    cancel_scope scope(reg, cancel_on_executor(timer, [](net::steady_timer& t) { t.cancel(); }));
    auto [ec] = co_await timer->async_wait(net::as_tuple(net::use_awaitable));
    co_return !ec && !reg->cancelled();
}

}  // namespace detail
LOGLENS_NAMESPACE_END
