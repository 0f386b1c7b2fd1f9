#pragma once
// A stable 64-bit hash (FNV-1a) for ids that must not change between runs, platforms or builds.
// SPDX-License-Identifier: MIT

#include <loglens/version.hpp>

#include <cstdint>
#include <string>
#include <string_view>

LOGLENS_NAMESPACE_BEGIN
namespace detail {

constexpr std::uint64_t fnv1a(std::string_view s, std::uint64_t h = 1469598103934665603ull) noexcept {
    for (unsigned char c : s) {
        h ^= c;
        h *= 1099511628211ull;
    }
    return h;
}

/// 12 hex digits: short enough to read aloud, long enough not to collide in one report.
inline std::string short_id(std::uint64_t h) {
    static constexpr char hex[] = "0123456789abcdef";
    std::string out(12, '0');
    for (int i = 11; i >= 0; --i, h >>= 4) out[static_cast<std::size_t>(i)] = hex[h & 0xf];
    return out;
}

}  // namespace detail
LOGLENS_NAMESPACE_END
