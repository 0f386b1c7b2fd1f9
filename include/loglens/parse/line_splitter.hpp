#pragma once
// Splits a byte stream into clean lines: CRLF, invalid UTF-8, NUL bytes and over-long lines are repaired and counted.
// SPDX-License-Identifier: MIT

#include <loglens/core/types.hpp>
#include <loglens/detail/utf8.hpp>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

LOGLENS_NAMESPACE_BEGIN

/// Reasons the splitter counts in `ingest_stats::altered`.
namespace reason {
inline constexpr std::string_view invalid_utf8 = "invalid-utf8";
inline constexpr std::string_view nul_byte = "nul-byte";
inline constexpr std::string_view overlong_line = "overlong-line";
inline constexpr std::string_view no_final_newline = "no-final-newline";
inline constexpr std::string_view crlf = "crlf";  ///< a Windows line end; the `\r` is removed
}  // namespace reason

namespace detail {

/// True when every byte is printable-safe ASCII or valid UTF-8 and there is no NUL: the common case, no copy.
inline bool is_clean_text(std::string_view s) noexcept {
    // any byte >= 0x80, or any zero byte, sends the word to the slow path
    const auto plain = [&](std::size_t at) {
        std::uint64_t w;
        std::memcpy(&w, s.data() + at, 8);
        return (w & 0x8080808080808080ull) == 0 && ((w - 0x0101010101010101ull) & ~w & 0x8080808080808080ull) == 0;
    };
    std::size_t i = 0;
    while (i + 8 <= s.size() && plain(i)) i += 8;
    // the last bytes as one word that overlaps the plain ones before it, not one by one
    if (i < s.size() && i + 8 > s.size() && s.size() >= 8 && plain(s.size() - 8)) return true;
    while (i < s.size()) {
        if (s[i] == '\0') return false;
        const std::size_t n = utf8_length_at(s, i);
        if (n == 0) return false;
        i += n;
    }
    return true;
}

}  // namespace detail

/// Turns arbitrary chunks into whole, valid UTF-8 lines. Memory is bounded by `max_line` whatever the input.
class line_splitter {
public:
    static constexpr std::size_t default_max_line = 64 * 1024;

    explicit line_splitter(std::size_t max_line = default_max_line) : max_line_(max_line) {}

    /// Calls `on_line(std::string_view)` for every complete line in `chunk` (and the pending part before it).
    template <class OnLine>
    void feed(std::string_view chunk, OnLine&& on_line) {
        stats_.bytes += chunk.size();
        while (!chunk.empty()) {
            const auto nl = chunk.find('\n');
            if (nl == std::string_view::npos) {
                append_pending(chunk);
                return;
            }
            if (pending_.empty() && !dropping_) {
                emit(chunk.substr(0, nl), on_line);
            } else {
                append_pending(chunk.substr(0, nl));
                emit(std::string_view(pending_), on_line);
                pending_.clear();
            }
            chunk.remove_prefix(nl + 1);
        }
    }

    /// Emits a last line that had no newline.
    template <class OnLine>
    void finish(OnLine&& on_line) {
        if (!pending_.empty() || dropping_) {
            ++stats_.altered[std::string(reason::no_final_newline)];
            emit(std::string_view(pending_), on_line);
            pending_.clear();
        }
    }

    [[nodiscard]] const ingest_stats& stats() const noexcept { return stats_; }
    [[nodiscard]] ingest_stats& stats() noexcept { return stats_; }

private:
    void append_pending(std::string_view part) {
        if (dropping_) {
            dropped_ += part.size();
            return;
        }
        const std::size_t room = max_line_ > pending_.size() ? max_line_ - pending_.size() : 0;
        if (part.size() <= room) {
            pending_.append(part);
            return;
        }
        pending_.append(part.substr(0, room));
        dropped_ = part.size() - room;
        dropping_ = true;
    }

    template <class OnLine>
    void emit(std::string_view line, OnLine& on_line) {
        ++stats_.lines;
        if (!line.empty() && line.back() == '\r') {
            line.remove_suffix(1);
            ++stats_.altered[std::string(reason::crlf)];
        }
        if (line.size() > max_line_) {  // a long line that arrived whole in one chunk
            dropped_ = line.size() - max_line_;
            dropping_ = true;
            line = line.substr(0, max_line_);
        }
        if (!dropping_ && detail::is_clean_text(line)) {
            on_line(line);
            return;
        }
        repaired_.clear();
        repair(line, repaired_);
        if (dropping_) {
            ++stats_.altered[std::string(reason::overlong_line)];
            repaired_ += " [loglens: line cut, " + std::to_string(dropped_) + " more bytes dropped]";
            dropping_ = false;
            dropped_ = 0;
        }
        on_line(std::string_view(repaired_));
    }

    void repair(std::string_view line, std::string& out) {
        bool bad_utf8 = false, nul = false;
        out.reserve(line.size() + 8);
        for (std::size_t i = 0; i < line.size();) {
            if (line[i] == '\0') {
                out += detail::u_fffd;
                nul = true;
                ++i;
                continue;
            }
            const std::size_t n = detail::utf8_length_at(line, i);
            if (n == 0) {
                out += detail::u_fffd;
                bad_utf8 = true;
                ++i;
                continue;
            }
            out.append(line.substr(i, n));
            i += n;
        }
        if (bad_utf8) ++stats_.altered[std::string(reason::invalid_utf8)];
        if (nul) ++stats_.altered[std::string(reason::nul_byte)];
    }

    std::size_t max_line_;
    std::string pending_;
    std::string repaired_;
    bool dropping_ = false;
    std::uint64_t dropped_ = 0;
    ingest_stats stats_;
};

LOGLENS_NAMESPACE_END
