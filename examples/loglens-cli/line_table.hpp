#pragma once
// `loglens templates`: which entry (or skip reason) every input line went to, and CSV cells safe for spreadsheets.
// SPDX-License-Identifier: MIT

#include <loglens/detail/utf8.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace loglens_cli {

/// One CSV cell, always quoted (RFC 4180), that a spreadsheet shows as text and a terminal prints inertly:
/// control characters (C0 with tab, CR and LF, DEL, C1) and bidi overrides are shown as `\xHH` / `\uHHHH`, so
/// a row is one physical line; a cell from a log that starts with `= + - @`, tab or CR is prefixed with `'`
/// (OWASP's defence against formula injection). `from_log` false is for the tool's own values only.
inline std::string csv_cell(std::string_view s, bool from_log = true) {
    std::string out = "\"";
    if (from_log && !s.empty() && std::string_view("=+-@\t\r").find(s.front()) != std::string_view::npos) out += '\'';
    static constexpr char hex[] = "0123456789abcdef";
    loglens::detail::for_each_char32(s, [&](char32_t c, std::string_view bytes) {
        const bool bidi = (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
        if (c < 0x20 || c == 0x7F) {
            out += "\\x";
            out += hex[(c >> 4) & 0xF];
            out += hex[c & 0xF];
        } else if ((c >= 0x80 && c <= 0x9F) || bidi) {
            out += "\\u";
            for (int shift = 12; shift >= 0; shift -= 4) out += hex[(c >> shift) & 0xF];
        } else if (c == '"') {
            out += "\"\"";
        } else {
            out += bytes;  // invalid bytes arrive as U+FFFD
        }
    });
    return out + '"';
}

/// Where each line of one input went: to the entry that starts at some line, or skipped for a reason.
/// Eight bytes a line until the end of the run: the final group of a line is known only after the last one.
class line_table {
public:
    explicit line_table(std::string source) : source_(std::move(source)) {}

    [[nodiscard]] const std::string& source() const noexcept { return source_; }
    [[nodiscard]] std::uint64_t lines() const noexcept { return cells_.size(); }

    /// `line` starts an entry whose group key is `key`.
    void entry(std::uint64_t line, std::size_t key) {
        set(line, line);
        keys_[line] = key;
    }

    /// `line` continues the entry starting at `entry_line`, or (`entry_line` 0) was skipped for `reason`.
    void other(std::uint64_t line, std::uint64_t entry_line, std::string_view reason) {
        set(line, entry_line != 0 ? entry_line : skip_bit | reason_index(reason));
    }

    /// What line `line` (1-based) became: the group key of its entry, or the reason it was skipped.
    struct fate {
        std::optional<std::size_t> key;
        std::string_view reason;
    };
    [[nodiscard]] fate at(std::uint64_t line) const {
        const auto c = cells_[line - 1];
        if (c == 0) return {std::nullopt, "unaccounted"};  // a parser that reports less than every line
        if (c & skip_bit) return {std::nullopt, reasons_[c & ~skip_bit]};
        const auto it = keys_.find(c);
        if (it == keys_.end()) return {std::nullopt, "not-grouped"};
        return {it->second, {}};
    }

private:
    static constexpr std::uint64_t skip_bit = std::uint64_t{1} << 63;

    void set(std::uint64_t line, std::uint64_t cell) {
        if (line == 0) return;
        if (cells_.size() < line) cells_.resize(line, 0);
        cells_[line - 1] = cell;
    }

    std::uint64_t reason_index(std::string_view reason) {
        for (std::size_t i = 0; i < reasons_.size(); ++i)
            if (reasons_[i] == reason) return i;
        reasons_.emplace_back(reason);
        return reasons_.size() - 1;
    }

    std::string source_;
    std::vector<std::uint64_t> cells_;                     // entry's first line, or skip_bit | reason
    std::unordered_map<std::uint64_t, std::size_t> keys_;  // entry's first line -> group key
    std::vector<std::string> reasons_;
};

}  // namespace loglens_cli
