#pragma once
// A minimal reader for one-line JSON objects (Docker json-file, journald, Loki records): members as views, strings decoded.
// SPDX-License-Identifier: MIT

#include <loglens/detail/ascii.hpp>
#include <loglens/detail/utf8.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

LOGLENS_NAMESPACE_BEGIN
namespace detail {

/// One member of a JSON object: its key as written (keys we look for need no unescaping) and its value's text.
/// For a string, `value` is what lies between the quotes, escapes not decoded.
struct json_member {
    std::string_view key;
    std::string_view value;
    char kind = 0;  ///< `"` string, `{` object, `[` array, `v` number/true/false/null
};

inline std::size_t json_skip_ws(std::string_view s, std::size_t i) noexcept {
    while (i < s.size() && is_space(s[i])) ++i;
    return i;
}

/// The index just past the closing quote of the string whose opening quote is at `s[i]`, or npos.
inline std::size_t json_string_end(std::string_view s, std::size_t i) noexcept {
    for (++i; i < s.size(); ++i) {
        if (s[i] == '\\') ++i;
        else if (s[i] == '"') return i + 1;
    }
    return std::string_view::npos;
}

/// The index just past the object or array opened at `s[i]`, or npos. Depth is bounded: hostile input stays cheap.
inline std::size_t json_nested_end(std::string_view s, std::size_t i) noexcept {
    int depth = 0;
    for (; i < s.size(); ++i) {
        const char c = s[i];
        if (c == '"') {
            i = json_string_end(s, i);
            if (i == std::string_view::npos) return i;
            --i;
        } else if (c == '{' || c == '[') {
            if (++depth > 64) return std::string_view::npos;
        } else if (c == '}' || c == ']') {
            if (--depth == 0) return i + 1;
        }
    }
    return std::string_view::npos;
}

/// Calls `on(const json_member&)` for each top-level member of the object `s` (`on` returns false to stop).
/// Returns false when `s` is not an object whose members could all be read.
template <class OnMember>
bool for_each_json_member(std::string_view s, OnMember&& on) {
    std::size_t i = json_skip_ws(s, 0);
    if (i >= s.size() || s[i] != '{') return false;
    i = json_skip_ws(s, i + 1);
    if (i < s.size() && s[i] == '}') return true;
    while (i < s.size()) {
        if (s[i] != '"') return false;
        const auto kend = json_string_end(s, i);
        if (kend == std::string_view::npos) return false;
        json_member m;
        m.key = s.substr(i + 1, kend - i - 2);
        i = json_skip_ws(s, kend);
        if (i >= s.size() || s[i] != ':') return false;
        i = json_skip_ws(s, i + 1);
        if (i >= s.size()) return false;
        std::size_t vend;
        if (s[i] == '"') {
            vend = json_string_end(s, i);
            if (vend == std::string_view::npos) return false;
            m.kind = '"';
            m.value = s.substr(i + 1, vend - i - 2);
        } else if (s[i] == '{' || s[i] == '[') {
            vend = json_nested_end(s, i);
            if (vend == std::string_view::npos) return false;
            m.kind = s[i];
            m.value = s.substr(i, vend - i);
        } else {
            vend = i;
            while (vend < s.size() && s[vend] != ',' && s[vend] != '}' && !is_space(s[vend])) ++vend;
            if (vend == i) return false;
            m.kind = 'v';
            m.value = s.substr(i, vend - i);
        }
        if (!on(m)) return true;
        i = json_skip_ws(s, vend);
        if (i >= s.size()) return false;
        if (s[i] == '}') return true;
        if (s[i] != ',') return false;
        i = json_skip_ws(s, i + 1);
    }
    return false;
}

inline void append_utf8(std::string& out, char32_t c) {
    if (c < 0x80) {
        out += static_cast<char>(c);
    } else if (c < 0x800) {
        out += static_cast<char>(0xC0 | (c >> 6));
        out += static_cast<char>(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
        out += static_cast<char>(0xE0 | (c >> 12));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (c & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (c >> 18));
        out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (c & 0x3F));
    }
}

inline int json_hex4(std::string_view s, std::size_t i) noexcept {
    if (i + 4 > s.size()) return -1;
    int v = 0;
    for (std::size_t k = i; k < i + 4; ++k) {
        const char c = s[k];
        if (!is_hex(c)) return -1;
        v = v * 16 + (is_digit(c) ? c - '0' : (c | 0x20) - 'a' + 10);
    }
    return v;
}

/// What decoding a JSON string changed, so the parser can count it.
struct json_decode_notes {
    bool invalid = false;  ///< a bad escape or a lone surrogate, written as U+FFFD
    bool nul = false;      ///< `\u0000`, written as U+FFFD (lines never hold NUL)
};

/// Appends the decoded text of a JSON string's raw contents (between the quotes) to `out`.
inline void json_unescape(std::string_view raw, std::string& out, json_decode_notes& notes) {
    out.reserve(out.size() + raw.size());
    for (std::size_t i = 0; i < raw.size(); ++i) {
        const char c = raw[i];
        if (c != '\\') {
            out += c;
            continue;
        }
        if (++i >= raw.size()) {
            notes.invalid = true;
            break;
        }
        switch (raw[i]) {
            case '"': out += '"'; break;
            case '\\': out += '\\'; break;
            case '/': out += '/'; break;
            case 'b': out += '\b'; break;
            case 'f': out += '\f'; break;
            case 'n': out += '\n'; break;
            case 'r': out += '\r'; break;
            case 't': out += '\t'; break;
            case 'u': {
                int v = json_hex4(raw, i + 1);
                if (v < 0) {
                    notes.invalid = true;
                    out += u_fffd;
                    break;
                }
                i += 4;
                char32_t cp = static_cast<char32_t>(v);
                if (v >= 0xD800 && v <= 0xDBFF) {  // a high surrogate wants its low half next
                    const int lo = raw.substr(i + 1, 2) == "\\u" ? json_hex4(raw, i + 3) : -1;
                    if (lo >= 0xDC00 && lo <= 0xDFFF) {
                        cp = 0x10000 + ((static_cast<char32_t>(v) - 0xD800) << 10) + (static_cast<char32_t>(lo) - 0xDC00);
                        i += 6;
                    } else {
                        cp = 0xFFFD;
                        notes.invalid = true;
                    }
                } else if (v >= 0xDC00 && v <= 0xDFFF) {
                    cp = 0xFFFD;
                    notes.invalid = true;
                } else if (v == 0) {
                    cp = 0xFFFD;
                    notes.nul = true;
                }
                append_utf8(out, cp);
                break;
            }
            default: notes.invalid = true; out += u_fffd;
        }
    }
}

/// The text of a journald field written as an array of bytes (`"MESSAGE":[72,105]`, for non-UTF-8 messages).
/// Invalid UTF-8 and NUL bytes become U+FFFD.
inline bool json_byte_array(std::string_view arr, std::string& out, json_decode_notes& notes) {
    std::string bytes;
    std::size_t i = 1;
    while (i < arr.size()) {
        i = json_skip_ws(arr, i);
        if (i < arr.size() && arr[i] == ']') break;
        int v = 0, n = 0;
        while (i < arr.size() && is_digit(arr[i]) && n < 4) v = v * 10 + (arr[i++] - '0'), ++n;
        if (n == 0 || v > 255) return false;
        bytes += static_cast<char>(v);
        i = json_skip_ws(arr, i);
        if (i < arr.size() && arr[i] == ',') ++i;
    }
    for (std::size_t k = 0; k < bytes.size();) {
        const std::size_t n = bytes[k] == '\0' ? 0 : utf8_length_at(bytes, k);
        if (n == 0) {
            (bytes[k] == '\0' ? notes.nul : notes.invalid) = true;
            out += u_fffd;
            ++k;
            continue;
        }
        out.append(bytes, k, n);
        k += n;
    }
    return true;
}

}  // namespace detail
LOGLENS_NAMESPACE_END
