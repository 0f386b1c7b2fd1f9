#pragma once
// The end-of-run lines on standard output: where the reports are and the most urgent problems, one per line.

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

/// Log text may hold terminal escapes; only printable text reaches the user's terminal.
inline std::string printable(std::string_view s, std::size_t max) {
    std::string out;
    for (const char c : s) {
        if (out.size() >= max) {
            out += "...";
            break;
        }
        out += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? ' ' : c;
    }
    return out;
}

}  // namespace detail

/// Prints the report paths, then the top problems. The real terminal summary replaces the second half.
inline void print_summary(std::ostream& out, const loglens::report& r, const std::vector<std::filesystem::path>& files,
                          bool colour, std::size_t top = 10) {
    const auto paint = [&](const char* c, const std::string& s) { return colour ? c + s + "\x1b[0m" : s; };
    out << (r.partial ? "partial report (interrupted):\n" : "reports:\n");
    for (const auto& f : files) out << "  " << f.string() << '\n';
    out << r.problems.size() << " problem(s) in " << r.ingest.lines << " line(s) from " << r.inputs.size()
        << " input(s)";
    if (!r.noise.empty()) out << ", " << r.noise.size() << " known-harmless";
    out << '\n';
    for (std::size_t i = 0; i < r.problems.size() && i < top; ++i) {
        const auto& p = r.problems[i];
        std::string tag = "[" + std::string(loglens::to_string(p.result.verdict)) + "]";
        tag.resize(11, ' ');
        out << "  " << paint(detail::colour_of(p.result.verdict), tag) << ' ' << detail::printable(p.group.service, 24)
            << "  x" << p.group.count << "  " << detail::printable(p.group.template_text, 100) << '\n';
    }
    if (r.problems.size() > top) out << "  ... and " << r.problems.size() - top << " more in the report\n";
}

}  // namespace loglens_cli
