#pragma once
// The one place where the CLI chooses its pipeline's stages and turns settings into analyser options.

#include "progress.hpp"

#include <loglens/loglens.hpp>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstdint>
#include <string>

namespace loglens_cli {

/// The stages of `loglens analyze`. Swap a stage here and nowhere else.
using cli_parser = loglens::compose_parser;
using cli_grouper = loglens::template_miner;
using cli_analyzer = loglens::null_analyzer;
using cli_writers = loglens::writers<loglens::markdown_writer, loglens::json_writer, loglens::html_writer>;
using cli_pipeline = loglens::pipeline<cli_parser, cli_grouper, cli_analyzer, cli_writers, progress_bar>;

/// `loglens templates`: the same parser and grouper, nothing else.
using templates_pipeline = loglens::pipeline<cli_parser, cli_grouper>;

/// What the user asked of the analysis stage, resolved from flags, environment and `.env`.
struct llm_settings {
    std::string backend = "auto";  ///< auto | ollama | openai | none
    std::string url;
    std::string model;
    std::uint64_t timeout = 120;  ///< seconds per LLM call
    std::uint64_t retries = 3;
    std::string api_key;
    std::string cache_dir;  ///< empty: no cache
};

/// The backend a run will use, and the one line to tell the user about it.
struct backend_choice {
    std::string backend = "none";
    std::string note;    ///< e.g. why the run is offline; empty when there is nothing to say
    std::string error;   ///< non-empty: the LLM was required and is not usable (exit 4)
};

namespace detail {

/// Host and port of `http://host[:port][/...]`; empty host when the URL is not of that form.
struct host_port {
    std::string host, port;
};

inline host_port split_url(const std::string& url) {
    const auto scheme = url.find("://");
    if (scheme == std::string::npos) return {};
    const std::string proto = url.substr(0, scheme);
    auto rest = url.substr(scheme + 3);
    rest = rest.substr(0, rest.find('/'));
    const auto colon = rest.rfind(':');
    if (colon != std::string::npos && rest.find(']', colon) == std::string::npos)
        return {rest.substr(0, colon), rest.substr(colon + 1)};
    return {rest, proto == "https" ? "443" : "80"};
}

/// Whether something accepts TCP connections at the URL within `timeout`; `why` says what failed.
inline bool answers(const std::string& url, std::chrono::milliseconds timeout, std::string& why) {
    const auto hp = split_url(url);
    if (hp.host.empty()) {
        why = "it is not an http:// URL";
        return false;
    }
    boost::asio::io_context ioc;
    boost::asio::ip::tcp::resolver resolver(ioc);
    boost::asio::ip::tcp::socket socket(ioc);
    boost::asio::steady_timer timer(ioc, timeout);
    boost::system::error_code result = boost::asio::error::timed_out;
    resolver.async_resolve(hp.host, hp.port, [&](boost::system::error_code ec, const auto& endpoints) {
        if (ec) {
            result = ec;
            timer.cancel();
            return;
        }
        boost::asio::async_connect(socket, endpoints, [&](boost::system::error_code cec, const auto&) {
            result = cec;
            timer.cancel();
        });
    });
    timer.async_wait([&](boost::system::error_code ec) {
        if (ec) return;  // cancelled: the connect finished first
        resolver.cancel();
        boost::system::error_code ignored;
        socket.close(ignored);
        result = boost::asio::error::timed_out;
    });
    ioc.run();
    why = result ? result.message() : "";
    return !result;
}

}  // namespace detail

/// Decides the backend: `auto` uses the LLM when it answers and falls back to offline in one line;
/// `ollama`/`openai` make an unreachable server an error.
inline backend_choice choose_backend(const llm_settings& s) {
    if (s.backend == "none") return {"none", "", ""};
    std::string why;
    const bool up = detail::answers(s.url, std::chrono::milliseconds(3000), why);
    const std::string what = s.backend == "openai" ? "the OpenAI-compatible server" : "Ollama";
    if (s.backend == "auto") {
        if (!up)
            return {"none",
                    what + " at " + s.url + " did not answer (" + why +
                        "); running offline. Start it (`ollama serve`), set OLLAMA_BASE_URL, or pass --backend none.",
                    ""};
        // This build has no LLM client yet: say so rather than pretend the model was asked.
        return {"none", what + " answers at " + s.url + ", but this build has no LLM analyser; running offline.", ""};
    }
    if (!up)
        return {s.backend, "",
                what + " at " + s.url + " is not reachable (" + why + "). Start it, check --url/OLLAMA_BASE_URL, "
                "or run offline with --backend none."};
    return {s.backend, "", ""};
}

/// The analyser for the chosen backend.
inline cli_analyzer make_analyzer(const llm_settings&, const backend_choice&) { return cli_analyzer{}; }

}  // namespace loglens_cli
