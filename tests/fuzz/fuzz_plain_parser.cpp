// libFuzzer target: plain_parser (the foundation's simplest stage) on arbitrary bytes in arbitrary chunks.
// SPDX-License-Identifier: MIT
#include <loglens/parse/plain_parser.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return 0;
    const std::size_t chunk = 1 + data[0] % 64;
    const std::string_view in(reinterpret_cast<const char*>(data + 1), size - 1);
    loglens::plain_parser p(128);
    p.start({"fuzz.log", "fuzz"});
    std::uint64_t entries = 0;
    const auto sink = [&](loglens::log_entry&& e) {
        ++entries;
        if (e.raw.empty() || e.raw.size() > 3 * 128 + 80) std::abort();  // U+FFFD takes 3 bytes
    };
    for (std::size_t i = 0; i < in.size(); i += chunk) p.feed(in.substr(i, chunk), sink);
    p.finish(sink);
    if (p.stats().entries != entries) std::abort();
    return 0;
}
