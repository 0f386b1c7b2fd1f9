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
    // asked of a word of nearly every line: one pass to fold the case, then only the words of its length
    if (w.size() < 3 || w.size() > 13) return std::nullopt;
    char buf[13]{};
    for (std::size_t i = 0; i < w.size(); ++i) buf[i] = detail::ascii_lower(w[i]);
    const std::string_view l(buf, w.size());
    switch (l.size()) {
        case 3:
            if (l == "err") return severity::error;
            break;
        case 4:
            if (l == "info") return severity::info;
            if (l == "warn") return severity::warning;
            if (l == "fine" || l == "dbug") return severity::debug;
            if (l == "crit") return severity::critical;
            break;
        case 5:
            if (l == "error") return severity::error;
            if (l == "debug") return severity::debug;
            if (l == "trace" || l == "finer") return severity::trace;
            if (l == "fatal" || l == "panic" || l == "alert" || l == "emerg") return severity::critical;
            break;
        case 6:
            if (l == "notice") return severity::notice;
            if (l == "severe") return severity::error;
            if (l == "finest") return severity::trace;
            break;
        case 7:
            if (l == "warning") return severity::warning;
            break;
        case 8:
            if (l == "critical") return severity::critical;
            break;
        case 9:
            if (l == "emergency") return severity::critical;
            break;
        case 11:
            if (l == "information") return severity::info;
            break;
        case 13:
            if (l == "informational") return severity::info;
            break;
        default: break;
    }
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
