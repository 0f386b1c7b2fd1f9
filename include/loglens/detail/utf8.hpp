#pragma once
// UTF-8 decoding shared by the line splitter (repairs input) and the report writers (escape output).
// SPDX-License-Identifier: MIT

#include <loglens/version.hpp>

#include <cstddef>
#include <string_view>

LOGLENS_NAMESPACE_BEGIN
namespace detail {

/// Length of the valid UTF-8 sequence at `s[i]`, or 0 when it is not one (overlongs and surrogates included).
inline std::size_t utf8_length_at(std::string_view s, std::size_t i) noexcept {
    const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char c = b(i);
    if (c < 0x80) return 1;
    std::size_t n = 0;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) n = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        if (c == 0xE0) lo = 0xA0;
        if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        if (c == 0xF0) lo = 0x90;
        if (c == 0xF4) hi = 0x8F;
    } else return 0;
    if (i + n > s.size()) return 0;
    if (b(i + 1) < lo || b(i + 1) > hi) return 0;
    for (std::size_t k = 2; k < n; ++k)
        if (b(i + k) < 0x80 || b(i + k) > 0xBF) return 0;
    return n;
}

/// Decodes the code point of a valid sequence of length `n` at `s[i]`.
inline char32_t decode_utf8_at(std::string_view s, std::size_t i, std::size_t n) noexcept {
    const auto b = [&](std::size_t k) { return static_cast<char32_t>(static_cast<unsigned char>(s[i + k])); };
    switch (n) {
        case 1: return b(0);
        case 2: return ((b(0) & 0x1F) << 6) | (b(1) & 0x3F);
        case 3: return ((b(0) & 0x0F) << 12) | ((b(1) & 0x3F) << 6) | (b(2) & 0x3F);
        default: return ((b(0) & 0x07) << 18) | ((b(1) & 0x3F) << 12) | ((b(2) & 0x3F) << 6) | (b(3) & 0x3F);
    }
}

inline constexpr std::string_view u_fffd = "\xEF\xBF\xBD";  // U+FFFD

/// Calls `f(code_point, bytes)` for each character; an invalid byte comes as U+FFFD with its one byte.
template <class F>
void for_each_char32(std::string_view s, F&& f) {
    for (std::size_t i = 0; i < s.size();) {
        const std::size_t n = utf8_length_at(s, i);
        if (n == 0) {
            f(char32_t{0xFFFD}, u_fffd);
            ++i;
            continue;
        }
        f(decode_utf8_at(s, i, n), s.substr(i, n));
        i += n;
    }
}

inline bool valid_utf8(std::string_view s) noexcept {
    for (std::size_t i = 0; i < s.size();) {
        const std::size_t n = utf8_length_at(s, i);
        if (n == 0) return false;
        i += n;
    }
    return true;
}

}  // namespace detail
LOGLENS_NAMESPACE_END
