#pragma once
// The CLI's progress sink: one redrawn line on standard error (bar, counts, ETA) when it is a terminal.
// SPDX-License-Identifier: MIT

#include <loglens/loglens.hpp>

#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

namespace loglens_cli {

/// Draws at most ten times a second and only on a TTY; silent (and nearly free) otherwise.
class progress_bar {
public:
    using stage_category = loglens::progress_tag;
    using clock = std::chrono::steady_clock;

    progress_bar() = default;
    explicit progress_bar(bool enabled) : enabled_(enabled) {}

    /// On when standard error is a terminal and the user did not ask for quiet.
    static progress_bar for_stderr(bool quiet) { return progress_bar(!quiet && ::isatty(STDERR_FILENO) == 1); }

    /// The total bytes of every input, so the bar spans all files rather than restarting per file.
    void set_total_bytes(std::uint64_t total) noexcept { total_bytes_ = total; }

    void on_progress(const loglens::progress_event& e) {
        if (!enabled_) return;
        if (e.phase != phase_) {
            phase_ = e.phase;
            phase_start_ = clock::now();
            if (e.phase == loglens::phase::writing || e.phase == loglens::phase::done) clear();
        }
        if (e.phase == loglens::phase::reading) track_reading(e);
        if (e.phase != loglens::phase::reading && e.phase != loglens::phase::analysing) return;
        const auto now = clock::now();
        const bool last = e.total != 0 && e.done >= e.total;
        if (!last && now - last_draw_ < std::chrono::milliseconds(100)) return;
        last_draw_ = now;
        if (e.phase == loglens::phase::reading)
            draw("reading", read_base_ + e.done, total_bytes_ ? total_bytes_ : e.total, true);
        else draw("analysing", e.done, e.total, false);
    }

    /// Removes the bar so that normal output starts on a clean line.
    void clear() {
        if (drawn_) std::fputs("\r\x1b[K", stderr);
        drawn_ = false;
    }

private:
    void track_reading(const loglens::progress_event& e) {
        if (std::string(e.item) != item_) {  // a new input: what the last one read is now behind us
            read_base_ += item_done_;
            item_ = std::string(e.item);
        }
        item_done_ = e.done;
    }

    void draw(const char* what, std::uint64_t done, std::uint64_t total, bool bytes) {
        constexpr int width = 28;
        std::string line = "\r\x1b[K";
        line += what;
        if (total) {
            const double frac = std::min(1.0, static_cast<double>(done) / static_cast<double>(total));
            const int filled = static_cast<int>(frac * width);
            line += " [" + std::string(static_cast<std::size_t>(filled), '#') +
                    std::string(static_cast<std::size_t>(width - filled), '.') + "] ";
        } else {
            line += " ";
        }
        line += bytes ? human_bytes(done) : std::to_string(done);
        if (total) line += "/" + (bytes ? human_bytes(total) : std::to_string(total));
        if (!bytes) line += " groups";
        if (total && done && done < total) {
            const auto spent = std::chrono::duration<double>(clock::now() - phase_start_).count();
            const double left = spent * static_cast<double>(total - done) / static_cast<double>(done);
            line += "  ETA " + human_seconds(left);
        }
        std::fputs(line.c_str(), stderr);
        std::fflush(stderr);
        drawn_ = true;
    }

    static std::string human_bytes(std::uint64_t n) {
        char buf[32];
        if (n < 1024 * 1024) std::snprintf(buf, sizeof buf, "%.1f KB", static_cast<double>(n) / 1024.0);
        else std::snprintf(buf, sizeof buf, "%.1f MB", static_cast<double>(n) / (1024.0 * 1024.0));
        return buf;
    }

    static std::string human_seconds(double s) {
        const auto t = static_cast<long>(s + 0.5);
        char buf[32];
        if (t >= 60) std::snprintf(buf, sizeof buf, "%ldm%02lds", t / 60, t % 60);
        else std::snprintf(buf, sizeof buf, "%lds", t);
        return buf;
    }

    bool enabled_ = false;
    bool drawn_ = false;
    loglens::phase phase_ = loglens::phase::done;
    clock::time_point phase_start_{};
    clock::time_point last_draw_{};
    std::uint64_t total_bytes_ = 0;
    std::uint64_t read_base_ = 0;
    std::uint64_t item_done_ = 0;
    std::string item_;
};

}  // namespace loglens_cli
