#pragma once
// Turns the command line's INPUT arguments into a list of readable sources: files, directories, `-` for stdin.
// SPDX-License-Identifier: MIT

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace loglens_cli {

/// An input that cannot be read. Exit code 3. The text names the path and what to do.
struct input_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct input {
    std::filesystem::path path;  ///< empty for standard input
    std::uint64_t size = 0;      ///< 0 when unknown
    std::string skip;            ///< non-empty: not read at all, and why (the report lists it)
    [[nodiscard]] bool is_stdin() const noexcept { return path.empty(); }
    [[nodiscard]] std::string name() const { return is_stdin() ? "<stdin>" : path.string(); }
};

namespace detail {

inline bool is_log_file(const std::filesystem::path& p) {
    const auto ext = p.extension().string();
    return ext == ".log" || ext == ".txt";
}

/// Why a folder entry named like a log is not read, or empty when it is a regular file (or a link to one).
/// A named pipe in a folder is skipped: with no writer, reading it would wait for ever.
inline std::string why_not_a_log_file(const std::filesystem::path& p) {
    namespace fs = std::filesystem;
    std::error_code ec;
    const auto st = fs::status(p, ec);
    switch (st.type()) {
        case fs::file_type::regular: return {};
        case fs::file_type::directory: return "a folder, not a log file; skipped";
        case fs::file_type::fifo: return "a named pipe; only files are read from a folder (pass the pipe itself)";
        case fs::file_type::not_found: return "a symbolic link to nothing (its target does not exist)";
        default: break;
    }
    return ec ? "cannot read: " + ec.message() : "not a regular file; skipped";
}

inline void add_directory(const std::filesystem::path& dir, std::vector<input>& out) {
    std::error_code ec;
    std::vector<std::filesystem::path> files;
    for (auto it = std::filesystem::directory_iterator(dir, ec); !ec && it != std::filesystem::directory_iterator();
         it.increment(ec)) {
        if (is_log_file(it->path())) files.push_back(it->path());
    }
    if (ec) throw input_error("cannot list " + dir.string() + ": " + ec.message() + "; check the folder's permissions");
    if (files.empty())
        throw input_error(dir.string() +
                          " holds no *.log or *.txt file; pass the log files themselves, or `-` to "
                          "read standard input");
    std::sort(files.begin(), files.end());  // the same folder gives the same report in every run
    for (auto& f : files) {
        auto why = why_not_a_log_file(f);
        const auto size = why.empty() ? std::filesystem::file_size(f, ec) : 0;
        out.push_back({f, ec ? 0 : size, std::move(why)});
    }
}

}  // namespace detail

/// Expands `args` (or `logs_dir` when there are none) into inputs. A path that does not exist fails now, so
/// that a typo fails in a second rather than after minutes of analysis; a file that exists but cannot be read
/// is read with the rest and listed in the report as unread.
inline std::vector<input> expand_inputs(const std::vector<std::string>& args, const std::string& logs_dir,
                                        const std::string& logs_dir_origin) {
    std::vector<input> out;
    if (args.empty()) {
        std::error_code ec;
        if (!std::filesystem::is_directory(logs_dir, ec))
            throw input_error("no input given and the logs folder " + logs_dir + " (" + logs_dir_origin +
                              ") does not exist; pass files or folders, `-` for standard input, or set LOGS_DIR");
        detail::add_directory(logs_dir, out);
        return out;
    }
    bool seen_stdin = false;
    for (const auto& a : args) {
        if (a == "-") {
            if (seen_stdin) continue;  // standard input can be read only once
            seen_stdin = true;
            out.push_back({});
            continue;
        }
        const std::filesystem::path p(a);
        std::error_code ec;
        const auto st = std::filesystem::status(p, ec);
        if (!std::filesystem::exists(st))
            throw input_error("cannot read " + a + ": no such file or folder; check the path");
        if (std::filesystem::is_directory(st)) {
            detail::add_directory(p, out);
        } else if (std::filesystem::is_regular_file(st)) {
            const auto size = std::filesystem::file_size(p, ec);
            out.push_back({p, ec ? 0 : size});
        } else {
            out.push_back({p, 0});  // a pipe such as <(zcat x.gz): opening it twice would lose data
        }
    }
    return out;
}

}  // namespace loglens_cli
