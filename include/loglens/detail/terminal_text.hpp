#pragma once
// The one function that makes untrusted text (logs, file names, server replies) safe to print on a terminal.
// SPDX-License-Identifier: MIT

#include <loglens/detail/utf8.hpp>

#include <cstdio>
#include <string>
#include <string_view>

LOGLENS_NAMESPACE_BEGIN
namespace detail {

/// Characters a terminal obeys or hides rather than shows: C0/C1 controls and DEL (cursor moves, colours,
/// OSC titles and links), bidi embeddings, overrides and isolates (text that reads differently than it is),
/// zero-width and invisible formatting characters, and the Unicode line and paragraph separators.
constexpr bool hides_or_steers(char32_t c) noexcept {
    return c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F) || c == 0x061C || c == 0x180E ||
           (c >= 0x200B && c <= 0x200F) || (c >= 0x2028 && c <= 0x202E) || (c >= 0x2060 && c <= 0x2069) || c == 0xFEFF;
}

/// Text as it may reach a terminal: every character a terminal would obey or hide is shown visibly instead,
/// C0 controls in caret notation (ESC as `^[`, BEL as `^G`, newline as `^J`), DEL as `^?`, other code points as
/// `<U+202E>`, and bytes that are not UTF-8 as `\xNN`. Printable text, including non-ASCII, is kept as it is.
inline std::string terminal_text(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    char buf[16];
    for (std::size_t i = 0; i < s.size();) {
        const std::size_t n = utf8_length_at(s, i);
        if (n == 0) {
            std::snprintf(buf, sizeof buf, "\\x%02X", static_cast<unsigned>(static_cast<unsigned char>(s[i])));
            out += buf;
            ++i;
            continue;
        }
        const char32_t c = decode_utf8_at(s, i, n);
        if (c < 0x20 || c == 0x7F) {
            out += '^';
            out += static_cast<char>(c ^ 0x40);
        } else if (hides_or_steers(c)) {
            std::snprintf(buf, sizeof buf, "<U+%04X>", static_cast<unsigned>(c));
            out += buf;
        } else {
            out.append(s.substr(i, n));
        }
        i += n;
    }
    return out;
}

}  // namespace detail
LOGLENS_NAMESPACE_END
