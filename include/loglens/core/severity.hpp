#pragma once
// The two ordered scales of loglens: severity (what the log said) and classification (what the analysis concluded).
// SPDX-License-Identifier: MIT

#include <loglens/version.hpp>

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

LOGLENS_NAMESPACE_BEGIN

/// How severe a log entry claims to be, from its own level field (or, as a last resort, its words).
/// Ordered: a larger value is more severe, so `a >= severity::warning` filters.
enum class severity : std::uint8_t { trace, debug, info, notice, warning, error, critical };

/// What an analysis concluded about a whole group; ordered from least to most urgent.
enum class classification : std::uint8_t { info, warning, minor, major, critical };

/// Where an analysis came from. `none` means nothing explained the group (it still appears in reports).
enum class analysis_source : std::uint8_t { none, heuristic, knowledge_base, llm };

/// The language reports and explanations are written in.
enum class language : std::uint8_t { ru, en };

namespace detail {
inline constexpr std::array<std::string_view, 7> severity_names{"trace",   "debug", "info",    "notice",
                                                                "warning", "error", "critical"};
inline constexpr std::array<std::string_view, 5> classification_names{"info", "warning", "minor", "major", "critical"};
inline constexpr std::array<std::string_view, 4> source_names{"none", "heuristic", "knowledge_base", "llm"};

constexpr char ascii_lower(char c) noexcept { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

constexpr bool iequals(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
    return true;
}
}  // namespace detail

constexpr std::string_view to_string(severity s) noexcept { return detail::severity_names[static_cast<std::size_t>(s)]; }
constexpr std::string_view to_string(classification c) noexcept {
    return detail::classification_names[static_cast<std::size_t>(c)];
}
constexpr std::string_view to_string(analysis_source s) noexcept {
    return detail::source_names[static_cast<std::size_t>(s)];
}
constexpr std::string_view to_string(language l) noexcept { return l == language::ru ? "ru" : "en"; }

/// Reads a level word as logging frameworks spell it (case-insensitive): WARN, WARNING, ERR, FATAL, ...
constexpr std::optional<severity> parse_severity(std::string_view w) noexcept {
    using detail::iequals;
    if (iequals(w, "trace") || iequals(w, "finest") || iequals(w, "finer")) return severity::trace;
    if (iequals(w, "debug") || iequals(w, "fine") || iequals(w, "dbug")) return severity::debug;
    if (iequals(w, "info") || iequals(w, "information") || iequals(w, "informational")) return severity::info;
    if (iequals(w, "notice")) return severity::notice;
    if (iequals(w, "warn") || iequals(w, "warning")) return severity::warning;
    if (iequals(w, "error") || iequals(w, "err") || iequals(w, "severe")) return severity::error;
    if (iequals(w, "critical") || iequals(w, "crit") || iequals(w, "fatal") || iequals(w, "panic") || iequals(w, "alert") ||
        iequals(w, "emerg") || iequals(w, "emergency"))
        return severity::critical;
    return std::nullopt;
}

constexpr std::optional<classification> parse_classification(std::string_view w) noexcept {
    for (std::size_t i = 0; i < detail::classification_names.size(); ++i)
        if (detail::iequals(w, detail::classification_names[i])) return static_cast<classification>(i);
    return std::nullopt;
}

constexpr std::optional<language> parse_language(std::string_view w) noexcept {
    if (detail::iequals(w, "ru")) return language::ru;
    if (detail::iequals(w, "en")) return language::en;
    return std::nullopt;
}

/// The classification an unexplained group gets from its severity alone.
constexpr classification classification_for(severity s) noexcept {
    switch (s) {
        case severity::critical: return classification::critical;
        case severity::error: return classification::major;
        case severity::warning: return classification::warning;
        default: return classification::info;
    }
}

LOGLENS_NAMESPACE_END
