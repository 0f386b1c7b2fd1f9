#pragma once
// Making untrusted text (from logs or an LLM) safe for each output format: UTF-8, HTML, Markdown, terminal.
// SPDX-License-Identifier: MIT

#include <loglens/detail/terminal_text.hpp>
#include <loglens/detail/utf8.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

LOGLENS_NAMESPACE_BEGIN
namespace detail {

/// Control characters that would let text move a cursor, recolour a terminal or upset a parser.
/// Tab and newline are kept; the caller decides what a newline means in its context.
constexpr bool is_unsafe_control(char32_t c) noexcept {
    return (c < 0x20 && c != '\t' && c != '\n') || c == 0x7F || (c >= 0x80 && c <= 0x9F);
}

/// Valid UTF-8 with no unsafe control characters: invalid bytes and controls become U+FFFD, `\r` is dropped.
inline std::string clean_text(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for_each_char32(s, [&](char32_t c, std::string_view bytes) {
        if (c == '\r') return;
        out += is_unsafe_control(c) ? u_fffd : bytes;
    });
    return out;
}

/// For text nodes and quoted attribute values alike.
inline std::string html_escape(std::string_view s) {
    std::string out;
    out.reserve(s.size() + s.size() / 8);
    for (char c : clean_text(s)) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            default: out += c;
        }
    }
    return out;
}

/// JSON text for a `<script type="application/json">` block: nothing in it can close the element
/// or start a comment, and the separators JavaScript once treated as newlines are escaped too.
inline std::string script_safe_json(std::string_view json) {
    std::string out;
    out.reserve(json.size());
    for (std::size_t i = 0; i < json.size(); ++i) {
        const char c = json[i];
        if (c == '<') out += "\\u003c";
        else if (c == '>') out += "\\u003e";
        else if (c == '&') out += "\\u0026";
        else if (c == '\xE2' && i + 2 < json.size() && json[i + 1] == '\x80' &&
                 (json[i + 2] == '\xA8' || json[i + 2] == '\xA9')) {
            out += json[i + 2] == '\xA8' ? "\\u2028" : "\\u2029";
            i += 2;
        } else out += c;
    }
    return out;
}

/// One line of inline Markdown that renders as exactly the given text: newlines become spaces, the
/// characters CommonMark/GFM give a meaning anywhere are backslash-escaped (so `<script>` shows as text),
/// and so are those that matter only at the start of a line (`#`, `-`, `1.`), since callers may put the
/// text there. Plain words stay readable because `.`, `(`, `-` elsewhere are left alone.
inline std::string markdown_inline(std::string_view s) {
    static constexpr std::string_view anywhere = "\\`*_[]<>|~&$";  // `$`: GitHub renders $...$ as math
    static constexpr std::string_view at_start = "#-+=>";
    std::string out;
    out.reserve(s.size() + s.size() / 4);
    bool space = false;
    std::size_t digits = 0;  // digits since the start, while nothing else came: `12.` would start a list
    for (char c : clean_text(s)) {
        if (c == '\n' || c == '\t' || c == ' ') {
            space = !out.empty();
            digits = 0;
            continue;
        }
        if (space) out += ' ';
        const bool first = out.empty();
        if (anywhere.find(c) != std::string_view::npos || (first && at_start.find(c) != std::string_view::npos) ||
            ((c == '.' || c == ')') && digits > 0 && digits == out.size()))
            out += '\\';
        space = false;
        digits = (c >= '0' && c <= '9' && digits == out.size()) ? digits + 1 : 0;
        out += c;
    }
    return out;
}

/// Multi-line Markdown prose: each line escaped as inline text and ended with a hard break, blank lines
/// kept as paragraph breaks, so a log line starting with `#`, `-` or `1.` never becomes a heading or list.
inline std::string markdown_block(std::string_view s) {
    std::string out;
    std::string text = clean_text(s);
    std::size_t pos = 0;
    bool pending_break = false, blank = false;
    while (pos <= text.size()) {
        const std::size_t nl = std::min(text.find('\n', pos), text.size());
        const std::string line = markdown_inline(std::string_view(text).substr(pos, nl - pos));
        pos = nl + 1;
        if (line.empty()) {
            blank = pending_break;
            continue;
        }
        if (blank) out += "\n\n";
        else if (pending_break) out += "\\\n";
        blank = false;
        out += line;
        pending_break = true;
    }
    return out;
}

inline std::size_t longest_backtick_run(std::string_view content) noexcept {
    std::size_t longest = 0, run = 0;
    for (char c : content) {
        run = c == '`' ? run + 1 : 0;
        longest = std::max(longest, run);
    }
    return longest;
}

/// A backtick fence longer than any backtick run in `content` (and at least three), so content can't close it.
inline std::string markdown_fence(std::string_view content) {
    return std::string(std::max<std::size_t>(3, longest_backtick_run(content) + 1), '`');
}

/// Columns a code point takes in a terminal: 0 for combining marks, 2 for East Asian wide and emoji.
constexpr int display_width(char32_t c) noexcept {
    if ((c >= 0x0300 && c <= 0x036F) || c == 0x200B || (c >= 0xFE00 && c <= 0xFE0F)) return 0;
    if ((c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0xA4CF) || (c >= 0xAC00 && c <= 0xD7A3) ||
        (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) ||
        (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x1F300 && c <= 0x1F64F) || (c >= 0x1F900 && c <= 0x1F9FF) ||
        (c >= 0x20000 && c <= 0x3FFFD))
        return 2;
    return 1;
}

inline std::size_t display_width(std::string_view s) {
    std::size_t w = 0;
    for_each_char32(s, [&](char32_t c, std::string_view) { w += static_cast<std::size_t>(display_width(c)); });
    return w;
}

/// One terminal line of at most `columns` columns: line breaks and tabs become spaces, every other control or
/// hidden character is shown visibly (`terminal_text`), cut with `…` when too long.
inline std::string fit_columns(std::string_view s, std::size_t columns) {
    std::string spaced(s);
    for (char& c : spaced)
        if (c == '\n' || c == '\t' || c == '\r') c = ' ';
    const std::string flat = terminal_text(spaced);
    if (display_width(flat) <= columns) return flat;
    std::string out;
    std::size_t w = 0;
    bool full = false;
    for_each_char32(flat, [&](char32_t c, std::string_view bytes) {
        const auto cw = static_cast<std::size_t>(display_width(c));
        if (full || w + cw + 1 > columns) {
            full = true;
            return;
        }
        out += bytes;
        w += cw;
    });
    return columns == 0 ? std::string{} : out + "\xE2\x80\xA6";  // U+2026
}

}  // namespace detail
LOGLENS_NAMESPACE_END
