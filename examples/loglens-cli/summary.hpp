#pragma once
// The end-of-run lines on standard output: where the reports are and the most urgent problems, one per line.
// SPDX-License-Identifier: MIT

#include <loglens/loglens.hpp>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

namespace loglens_cli {

/// Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org).
inline bool use_colour(int fd) {
    const char* no = std::getenv("NO_COLOR");
    return (no == nullptr || *no == '\0') && ::isatty(fd) == 1;
}

namespace detail {

inline const char* colour_of(loglens::classification c) {
    switch (c) {
        case loglens::classification::critical: return "\x1b[1;31m";
        case loglens::classification::major: return "\x1b[31m";
        case loglens::classification::minor: return "\x1b[33m";
        case loglens::classification::warning: return "\x1b[36m";
        default: return "\x1b[2m";
    }
}

}  // namespace detail

/// Prints where the reports are, then the library's terminal summary of the most urgent problems.
inline void print_summary(std::ostream& out, const loglens::report& r, const std::vector<std::filesystem::path>& files,
                          bool colour) {
    out << (r.partial ? "partial report (interrupted):\n" : "reports:\n");
    for (const auto& f : files) out << "  " << loglens::detail::terminal_text(f.string()) << '\n';
    loglens::terminal_style style;
    style.color = colour;
    loglens::print_terminal_summary(r, out, style);
}

}  // namespace loglens_cli
