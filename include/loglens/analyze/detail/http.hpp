#pragma once
// A minimal async HTTP/1.1 client on Boost.Beast for the LLM backends: TLS, three timeouts, cancellation, streamed bodies.
// SPDX-License-Identifier: MIT

#include <loglens/core/severity.hpp>
#include <loglens/detail/ascii.hpp>
#include <loglens/version.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <openssl/ssl.h>

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <stop_token>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

LOGLENS_NAMESPACE_BEGIN
namespace detail {

/// Where an HTTP backend lives: `http[s]://host[:port][/base]`.
struct http_endpoint {
    std::string host;
    std::string port = "80";
    std::string base;                                        ///< path prefix without trailing slash, e.g. `` or `/ollama`
    std::string url;                                         ///< as given (validated: printable ASCII only), for messages
    bool tls = false;                                        ///< https://
    std::shared_ptr<boost::asio::ssl::context> tls_context;  ///< set by the client for https://
};

/// @brief The one URL validator of the LLM settings: `http://` or `https://`, a host, a port from 1 to 65535,
/// an optional path, and nothing else. On failure returns nullopt and fills `error` with a message naming
/// `setting` (e.g. `OLLAMA_BASE_URL (from .env line 3)`).
///
/// Control characters are refused anywhere: a CR/LF in a URL would split the HTTP request it ends up in.
inline std::optional<http_endpoint> parse_http_url(std::string_view url, std::string_view setting, std::string& error) {
    const auto shown = [&] {  // the value itself may hold the very characters we refuse to print
        std::string out;
        for (const unsigned char c : url.substr(0, 200)) {
            if (c >= 0x20 && c < 0x7f) out += static_cast<char>(c);
            else {
                static constexpr char hex[] = "0123456789abcdef";
                out += "\\x";
                out += hex[c >> 4];
                out += hex[c & 15];
            }
        }
        return out;
    };
    const auto fail = [&](const std::string& why) {
        error = "invalid " + std::string(setting) + ": '" + shown() + "' " + why;
        return std::nullopt;
    };
    for (std::size_t i = 0; i < url.size(); ++i) {
        const auto c = static_cast<unsigned char>(url[i]);
        if (c < 0x20 || c == 0x7f)
            return fail("holds a control character at byte " + std::to_string(i + 1) +
                        " (CR/LF would split the HTTP request); remove it");
        if (c >= 0x80 || c == ' ')
            return fail("holds a space or a non-ASCII byte at byte " + std::to_string(i + 1) +
                        "; write the host in ASCII (punycode) and percent-encode the path");
    }
    const auto starts = [&](std::string_view p) { return url.size() >= p.size() && iequals(url.substr(0, p.size()), p); };
    http_endpoint ep;
    std::string_view rest;
    if (starts("https://")) {
        ep.tls = true;
        ep.port = "443";
        rest = url.substr(8);
    } else if (starts("http://")) {
        rest = url.substr(7);
    } else {
        return fail("is not an http:// or https:// URL; write it as http://host:port, e.g. http://localhost:11434");
    }
    const auto slash = rest.find('/');
    std::string_view authority = rest.substr(0, slash);
    std::string_view path = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash);
    if (path.find_first_of("?#") != std::string_view::npos)
        return fail("has a query or fragment; give only scheme, host, port and path");
    while (!path.empty() && path.back() == '/') path.remove_suffix(1);
    if (authority.find('@') != std::string_view::npos)
        return fail("holds credentials; pass the API key through its own setting (OPENAI_API_KEY)");
    ep.url = std::string(url);
    ep.base = std::string(path);
    std::string_view port;
    if (authority.starts_with('[')) {  // IPv6 literal
        const auto close = authority.find(']');
        if (close == std::string_view::npos) return fail("has an unterminated IPv6 address");
        ep.host = std::string(authority.substr(1, close - 1));
        if (ep.host.find_first_not_of("0123456789abcdefABCDEF:.") != std::string::npos)
            return fail("has an invalid IPv6 address");
        if (close + 1 < authority.size()) {
            if (authority[close + 1] != ':') return fail("has text after the IPv6 address");
            port = authority.substr(close + 2);
            if (port.empty()) return fail("has an empty port");
        }
    } else {
        const auto colon = authority.find(':');
        ep.host = std::string(authority.substr(0, colon));
        if (colon != std::string_view::npos) {
            port = authority.substr(colon + 1);
            if (port.empty()) return fail("has an empty port");
        }
        for (const char c : ep.host)
            if (!(is_alpha(c) || is_digit(c) || c == '.' || c == '-' || c == '_'))
                return fail("has an invalid host name; use letters, digits, '.', '-' or an [IPv6] address");
    }
    if (ep.host.empty()) return fail("has no host name");
    if (!port.empty()) {
        unsigned long n = 0;
        if (port.size() > 5 || port.find_first_not_of("0123456789") != std::string_view::npos)
            return fail("has an invalid port; use a number from 1 to 65535");
        for (const char c : port) n = n * 10 + static_cast<unsigned long>(c - '0');
        if (n < 1 || n > 65535) return fail("has port " + std::string(port) + "; use a number from 1 to 65535");
        ep.port = std::to_string(n);
    }
    return ep;
}

/// @brief A TLS client context: the system's CA store (OpenSSL's default paths, which honour `SSL_CERT_FILE`
/// and `SSL_CERT_DIR`), plus `ca_file` when given; TLS 1.2 or newer. `insecure` turns certificate checks off.
inline std::shared_ptr<boost::asio::ssl::context> make_tls_context(bool insecure, const std::string& ca_file) {
    namespace ssl = boost::asio::ssl;
    auto ctx = std::make_shared<ssl::context>(ssl::context::tls_client);
    ::SSL_CTX_set_min_proto_version(ctx->native_handle(), TLS1_2_VERSION);
    boost::system::error_code ec;
    ctx->set_default_verify_paths(ec);  // a host without a CA store still works with ca_file
    if (!ca_file.empty()) {
        ctx->load_verify_file(ca_file, ec);
        if (ec) throw std::invalid_argument("cannot read the CA file " + ca_file + " (" + ec.message() + ")");
    }
    ctx->set_verify_mode(insecure ? ssl::verify_none : ssl::verify_peer);
    return ctx;
}

/// Cancels an I/O object from any thread: the cancel runs on the object's own executor, if it still exists.
/// Used as a `std::stop_callback`: a stop requested on another thread never touches the object concurrently.
template <class IoObject, class Fn>
auto cancel_on_executor(const std::shared_ptr<IoObject>& obj, Fn fn) {
    return [w = std::weak_ptr<IoObject>(obj), ex = obj->get_executor(), fn] {
        boost::asio::post(ex, [w, fn] {
            if (auto o = w.lock()) fn(*o);
        });
    };
}

/// Why an HTTP exchange failed; decides whether it is worth retrying, and what the circuit breaker counts.
enum class http_failure {
    connect,          ///< no connection: refused, reset, DNS, TLS handshake, the server went away
    connect_timeout,  ///< no connection within the connect timeout
    first_byte,       ///< connected and sent, but no first byte of the answer within the first-byte timeout
    timeout,          ///< the whole answer took longer than the overall timeout
    cancelled,
    protocol,  ///< a broken or oversized reply, or a certificate that does not verify
};

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
    std::chrono::steady_clock::time_point deadline;   ///< the whole exchange
    std::chrono::milliseconds connect_timeout{5000};  ///< resolve, connect and TLS handshake
    std::chrono::milliseconds first_byte_timeout{0};  ///< 0: only the deadline; else the wait for the reply head
    std::size_t body_limit = 16 * 1024 * 1024;
    /// Called for each complete line of a 200 body as it arrives (streaming); return false to stop reading.
    std::function<bool(std::string_view)> on_line;
};

inline std::string seconds_text(std::chrono::milliseconds d) {
    const auto ms = d.count();
    return ms % 1000 == 0 ? std::to_string(ms / 1000) + " s" : std::to_string(ms) + " ms";
}

inline http_error to_http_error(const boost::system::error_code& ec, std::stop_token stop, const http_endpoint& ep,
                                std::string_view step) {
    namespace beast = boost::beast;
    const std::string where = " (" + std::string(step) + " " + ep.url + ")";
    if (stop.stop_requested()) return {http_failure::cancelled, "cancelled" + where};
    if (ec == beast::error::timeout) return {http_failure::timeout, "timed out" + where};
    if (ec == boost::beast::http::error::body_limit)
        return {http_failure::protocol, "the reply is larger than the body limit" + where};
    if (ec.category() == boost::asio::error::get_ssl_category()) {
        std::string why = ec.message();
        if (why.find("certificate verify failed") != std::string::npos)
            why += ": the server's certificate is not signed by a CA this system trusts, or does not name " + ep.host +
                   " (set SSL_CERT_FILE to its CA, or --insecure to skip the check)";
        return {http_failure::protocol, "TLS: " + why + where};
    }
    return {http_failure::connect, ec.message() + where};
}

/// The request and the reply on a connected (and, for https, handshaken) stream.
template <class Stream>
boost::asio::awaitable<http_response> exchange_on(Stream& stream, const http_endpoint& ep, http_request_spec& spec,
                                                  std::stop_token stop) {
    namespace net = boost::asio;
    namespace beast = boost::beast;
    namespace http = beast::http;
    constexpr auto tok = net::as_tuple(net::use_awaitable);
    auto& tcp = beast::get_lowest_layer(stream);

    tcp.expires_at(spec.deadline);
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
    auto [wec, wn] = co_await http::async_write(stream, req, tok);
    (void)wn;
    if (wec) throw to_http_error(wec, stop, ep, "sending to");

    beast::flat_buffer buf;
    http::response_parser<http::string_body> parser;
    parser.body_limit(spec.body_limit);
    const auto first_byte_by = spec.first_byte_timeout.count() > 0
                                   ? std::chrono::steady_clock::now() + spec.first_byte_timeout
                                   : spec.deadline;
    const bool first_byte_limits = first_byte_by < spec.deadline;
    tcp.expires_at(std::min(first_byte_by, spec.deadline));
    auto [hec, hn] = co_await http::async_read_header(stream, buf, parser, tok);
    (void)hn;
    if (hec == beast::error::timeout && !stop.stop_requested())
        throw first_byte_limits
            ? http_error(http_failure::first_byte,
                         "timed out: no first byte of the answer within the first-byte timeout of " +
                             seconds_text(spec.first_byte_timeout) + " (" + ep.url + ")")
            : http_error(http_failure::timeout, "timed out: no answer within the timeout (" + ep.url + ")");
    if (hec) throw to_http_error(hec, stop, ep, "reading the reply of");
    tcp.expires_at(spec.deadline);

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
        auto [rec2, n] = co_await http::async_read_some(stream, buf, parser, tok);
        (void)n;
        if (rec2 == http::error::need_buffer) continue;
        // a TLS peer that closes without close_notify after a body that ends at EOF
        if (rec2 == net::ssl::error::stream_truncated && parser.is_done()) break;
        if (rec2 == beast::error::timeout && !stop.stop_requested())
            throw http_error(http_failure::timeout,
                             "timed out: the whole answer took longer than the timeout (" + ep.url + ")");
        if (rec2) throw to_http_error(rec2, stop, ep, "reading the reply of");
        feed_lines(false);
    }
    feed_lines(true);
    out.body = std::move(parser.get().body());
    beast::error_code ignore;
    tcp.socket().shutdown(net::ip::tcp::socket::shutdown_both, ignore);
    co_return out;
}

/// Resolves, connects and (for a TLS stream) handshakes, then runs the exchange; every step is cancellable.
template <class Stream>
boost::asio::awaitable<http_response> connect_and_exchange(std::shared_ptr<Stream> stream, const http_endpoint& ep,
                                                           http_request_spec spec, std::stop_token stop) {
    namespace net = boost::asio;
    namespace beast = boost::beast;
    constexpr auto tok = net::as_tuple(net::use_awaitable);
    constexpr bool tls = !std::is_same_v<Stream, beast::tcp_stream>;

    auto ex = stream->get_executor();
    auto& tcp = beast::get_lowest_layer(*stream);
    auto resolver = std::make_shared<net::ip::tcp::resolver>(ex);
    std::stop_callback s1(stop,
                          cancel_on_executor(stream, [](Stream& st) { beast::get_lowest_layer(st).socket().close(); }));
    std::stop_callback s2(stop, cancel_on_executor(resolver, [](net::ip::tcp::resolver& r) { r.cancel(); }));
    if (stop.stop_requested()) throw http_error(http_failure::cancelled, "cancelled (" + ep.url + ")");

    // a resolver has no deadline of its own; a DNS lookup that hangs must not outlive the connect timeout
    const auto connect_by = std::min(spec.deadline, std::chrono::steady_clock::now() + spec.connect_timeout);
    const auto connect_timed_out = [&] {
        return http_error(http_failure::connect_timeout, "timed out: no connection within the connect timeout of " +
                                                             seconds_text(spec.connect_timeout) + " (" + ep.url + ")");
    };
    net::steady_timer resolve_deadline(ex, connect_by);
    auto resolve_timed_out = std::make_shared<bool>(false);  // shared: the handler may run after this frame ends
    resolve_deadline.async_wait([w = std::weak_ptr<net::ip::tcp::resolver>(resolver), resolve_timed_out](auto ec) {
        if (ec) return;
        *resolve_timed_out = true;
        if (auto r = w.lock()) r->cancel();
    });
    auto [rec, results] = co_await resolver->async_resolve(ep.host, ep.port, tok);
    resolve_deadline.cancel();
    if (*resolve_timed_out) throw connect_timed_out();
    if (rec) throw to_http_error(rec, stop, ep, "resolving");

    tcp.expires_at(connect_by);
    auto [cec, endpoint] = co_await tcp.async_connect(results, tok);
    (void)endpoint;
    if (cec == beast::error::timeout && !stop.stop_requested()) throw connect_timed_out();
    if (cec) throw to_http_error(cec, stop, ep, "connecting to");
    if constexpr (tls) {
        boost::system::error_code addr_ec;
        (void)net::ip::make_address(ep.host, addr_ec);
        if (addr_ec) ::SSL_set_tlsext_host_name(stream->native_handle(), ep.host.c_str());  // SNI names hosts, not IPs
        stream->set_verify_callback(net::ssl::host_name_verification(ep.host));
        auto [hec] = co_await stream->async_handshake(net::ssl::stream_base::client, tok);
        if (hec == beast::error::timeout && !stop.stop_requested()) throw connect_timed_out();
        if (hec) throw to_http_error(hec, stop, ep, "TLS handshake with");
    }
    co_return co_await exchange_on(*stream, ep, spec, stop);
}

/// @brief One HTTP/1.1 exchange on a fresh connection, over TLS for https:// (SNI, certificate and host name
/// verified unless the context says otherwise). Throws `http_error`; any HTTP status is a result, not an error.
inline boost::asio::awaitable<http_response> http_exchange(const http_endpoint& ep, http_request_spec spec,
                                                           std::stop_token stop) {
    namespace beast = boost::beast;
    auto ex = co_await boost::asio::this_coro::executor;
    if (!ep.tls)
        co_return co_await connect_and_exchange(std::make_shared<beast::tcp_stream>(ex), ep, std::move(spec), stop);
    if (!ep.tls_context) throw http_error(http_failure::protocol, "https:// without a TLS context (" + ep.url + ")");
    co_return co_await connect_and_exchange(std::make_shared<beast::ssl_stream<beast::tcp_stream>>(ex, *ep.tls_context), ep,
                                            std::move(spec), stop);
}

/// Waits `d` on a timer that a stop request cuts short. Returns false when cancelled.
inline boost::asio::awaitable<bool> cancellable_sleep(std::chrono::steady_clock::duration d, std::stop_token stop) {
    namespace net = boost::asio;
    auto timer = std::make_shared<net::steady_timer>(co_await net::this_coro::executor, d);
    std::stop_callback scope(stop, cancel_on_executor(timer, [](net::steady_timer& t) { t.cancel(); }));
    auto [ec] = co_await timer->async_wait(net::as_tuple(net::use_awaitable));
    co_return !ec && !stop.stop_requested();
}

}  // namespace detail
LOGLENS_NAMESPACE_END
