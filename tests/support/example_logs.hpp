#pragma once
// The example stack's logs (examples/logs) parsed as the CLI parses them, and a longer stream grown from them.
// SPDX-License-Identifier: MIT

#include <loglens/offline.hpp>

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace loglens_test {

inline std::vector<loglens::log_entry> example_entries(const std::string& name, const std::string& service = {}) {
    const auto path = std::string(LOGLENS_SOURCE_DIR) + "/examples/logs/" + name;
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    loglens::compose_parser parser;
    parser.start({path, service});
    std::vector<loglens::log_entry> out;
    const auto sink = [&](loglens::log_entry&& e) { out.push_back(std::move(e)); };
    parser.feed(text.str(), sink);
    parser.finish(sink);
    BOOST_REQUIRE(out.size() > 10u);
    return out;
}

// Every run of digits in `s` shifted by `k` (the same width or wider), as values move on in a longer log.
inline std::string shift_numbers(const std::string& s, std::uint64_t k) {
    std::string out;
    for (std::size_t i = 0; i < s.size();) {
        if (s[i] < '0' || s[i] > '9') {
            out += s[i++];
            continue;
        }
        std::size_t j = i;
        while (j < s.size() && s[j] >= '0' && s[j] <= '9') ++j;
        const auto digits = s.substr(i, j - i);
        out += digits.size() > 15 ? digits : std::to_string(std::stoull(digits) + k * 7);
        i = j;
    }
    return out;
}

// The first `lines` lines (entries whole) of a stream that replays `events` pass after pass, an hour apart,
// each pass with other values in its messages, exceptions and tracebacks.
inline std::vector<loglens::log_entry> growing_stream(const std::vector<loglens::log_entry>& events, std::uint64_t lines) {
    std::vector<loglens::log_entry> out;
    std::uint64_t n = 0;
    for (std::uint64_t pass = 0;; ++pass)
        for (auto e : events) {
            if (n >= lines) return out;
            if (e.timestamp) *e.timestamp += std::chrono::hours(pass);
            e.line = n + 1;
            if (pass) {
                e.message = shift_numbers(e.message, pass);
                e.exception = shift_numbers(e.exception, pass);
                for (auto& l : e.continuation) l = shift_numbers(l, pass);
            }
            n += 1 + e.continuation.size();
            out.push_back(std::move(e));
        }
}

}  // namespace loglens_test
