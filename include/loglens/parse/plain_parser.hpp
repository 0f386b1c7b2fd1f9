#pragma once
// The simplest parser: every non-blank line is one entry, its level read from a level word near the start.
// SPDX-License-Identifier: MIT

#include <loglens/core/concepts.hpp>
#include <loglens/parse/line_splitter.hpp>

#include <string>
#include <string_view>
#include <utility>

LOGLENS_NAMESPACE_BEGIN

namespace reason {
inline constexpr std::string_view blank_line = "blank";
}

/// One line, one entry. Useful for logs with no multi-line structure and as the smallest model of `log_parser`.
class plain_parser {
public:
    using stage_category = parser_tag;

    plain_parser() = default;
    explicit plain_parser(std::size_t max_line) : lines_(max_line) {}

    void start(const source_info& src) {
        source_ = src;
        line_no_ = 0;
    }

    void feed(std::string_view chunk, entry_sink out) {
        lines_.feed(chunk, [&](std::string_view line) { on_line(line, out); });
    }

    void finish(entry_sink out) {
        lines_.finish([&](std::string_view line) { on_line(line, out); });
    }

    [[nodiscard]] const ingest_stats& stats() const noexcept { return lines_.stats(); }

    /// Every line is an entry at once: nothing is ever held open, so an idle input has nothing to close.
    void close_idle(live_time, std::chrono::nanoseconds, entry_sink) const noexcept {}

    /// Tells `obs` of every skipped line.
    void observe_lines(line_observer obs) { observer_ = std::move(obs); }

private:
    void on_line(std::string_view line, entry_sink& out) {
        ++line_no_;
        if (line.find_first_not_of(" \t") == std::string_view::npos) {
            ++lines_.stats().skipped[std::string(reason::blank_line)];
            if (observer_) observer_(line_no_, 0, reason::blank_line);
            return;
        }
        log_entry e;
        e.service = source_.service;
        e.source = source_.path;
        e.line = line_no_;
        e.raw = std::string(line);
        e.message = e.raw;
        e.level = level_of(line);
        ++lines_.stats().entries;
        out(std::move(e));
    }

    // Only the first few words: a level word deep inside a message ("0 errors") says nothing.
    static severity level_of(std::string_view line) {
        std::size_t pos = 0;
        for (int word = 0; word < 4 && pos < line.size(); ++word) {
            const auto start = line.find_first_not_of(" \t[]:|-", pos);
            if (start == std::string_view::npos) break;
            auto end = line.find_first_of(" \t[]:|", start);
            if (end == std::string_view::npos) end = line.size();
            if (auto s = parse_severity(line.substr(start, end - start))) return *s;
            pos = end;
        }
        return severity::info;
    }

    line_splitter lines_;
    source_info source_;
    line_observer observer_;
    std::uint64_t line_no_ = 0;
};

LOGLENS_NAMESPACE_END
