// libFuzzer target: compose_parser on arbitrary bytes, in arbitrary chunks, with every format forced or detected.
// SPDX-License-Identifier: MIT
#include <loglens/parse/compose_parser.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2) return 0;
    // byte 0 picks the format and small bounds (so the bounds themselves get exercised), byte 1 the chunk size
    loglens::compose_options opts;
    opts.format = static_cast<loglens::log_format>(data[0] % 7);
    opts.max_line = 64 + (data[0] >> 3) * 16;
    opts.max_continuation_lines = 1 + (data[0] & 7);
    opts.max_entry_bytes = 256;
    opts.max_streams = 3;
    opts.detect_binary = (data[1] & 0x80) == 0;
    const std::size_t chunk = 1 + (data[1] & 0x7f);
    const std::string_view in(reinterpret_cast<const char*>(data + 2), size - 2);

    loglens::compose_parser p(opts);
    p.start({"fuzz.log", "fuzz"});
    std::uint64_t entries = 0;
    const auto sink = [&](loglens::log_entry&& e) {
        ++entries;
        // every entry respects the bounds it was given
        if (e.continuation.size() > opts.max_continuation_lines + 1) std::abort();
        if (e.raw.size() > 3 * opts.max_line + 80) std::abort();  // U+FFFD takes 3 bytes
        if (e.line == 0) std::abort();
    };
    for (std::size_t i = 0; i < in.size(); i += chunk) p.feed(in.substr(i, chunk), sink);
    p.finish(sink);
    if (p.stats().entries != entries || p.stats().bytes != in.size()) std::abort();
    return 0;
}
