#pragma once
// Locale-free ASCII character classes shared by the parsers and the template miner (hot paths).
// SPDX-License-Identifier: MIT

#include <loglens/version.hpp>

LOGLENS_NAMESPACE_BEGIN
namespace detail {

constexpr bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }
constexpr bool is_upper(char c) noexcept { return c >= 'A' && c <= 'Z'; }
constexpr bool is_lower(char c) noexcept { return c >= 'a' && c <= 'z'; }
constexpr bool is_alpha(char c) noexcept { return is_upper(c) || is_lower(c); }
constexpr bool is_hex(char c) noexcept { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
/// Any ASCII white space.
constexpr bool is_space(char c) noexcept {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}
/// Space or tab only: what separates fields within one line.
constexpr bool is_blank(char c) noexcept { return c == ' ' || c == '\t'; }

}  // namespace detail
LOGLENS_NAMESPACE_END
