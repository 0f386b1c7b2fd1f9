#pragma once
// CLI settings: values resolved from flags, environment, a `.env` file and defaults, each remembering its origin.
// SPDX-License-Identifier: MIT

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace loglens_cli {

/// A usage error: bad flag, bad setting. Exit code 2. The text names the setting and its origin.
struct usage_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// A setting's value and where it came from, so an error can say "OLLAMA_TIMEOUT (from .env line 4)".
struct setting {
    std::string value;
    std::string origin = "default";  ///< `default`, `flag --timeout`, `environment`, `.env line N`
    std::string key;                 ///< the environment name, or the flag

    [[nodiscard]] std::string describe() const {
        if (origin == "default") return key + " (default)";
        if (origin.rfind("flag", 0) == 0) return key;  // "--timeout" says it all
        return key + " (from " + origin + ")";
    }
};

/// The `.env` file of the working directory: KEY=VALUE lines, `#` comments, quotes, an optional `export `.
class dotenv {
public:
    struct value {
        std::string text;
        std::size_t line = 0;
    };

    /// Largest `.env` read: a settings file is a few lines; anything bigger is a mistake or a trap.
    static constexpr std::size_t max_size = 64 * 1024;

    /// Reads `path` if it exists. Only a regular file (or a link to one) of at most `max_size` bytes is read:
    /// a named pipe, a device such as /dev/zero or a folder is a usage error naming it, and opening never blocks.
    /// A line that is not KEY=VALUE is a usage error naming the line.
    static dotenv load(const std::string& path) {
        dotenv env;
        env.path_ = path;
        std::string text;
        if (!read_settings_file(path, text)) return env;
        std::size_t no = 0;
        for (std::size_t pos = 0; pos < text.size();) {
            const auto nl = std::min(text.find('\n', pos), text.size());
            std::string_view line(text.data() + pos, nl - pos);
            pos = nl + 1;
            ++no;
            if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
            env.parse_line(line, no);
        }
        return env;
    }

    [[nodiscard]] const value* find(const std::string& key) const {
        const auto it = values_.find(key);
        return it == values_.end() ? nullptr : &it->second;
    }
    [[nodiscard]] const std::string& path() const noexcept { return path_; }

    /// Parses one line (public for the tests of the format).
    void parse_line(std::string_view line, std::size_t no) {
        line = trim(line);
        if (line.empty() || line.front() == '#') return;
        if (line.substr(0, 7) == "export ") line = trim(line.substr(7));
        const auto eq = line.find('=');
        const auto key = trim(line.substr(0, eq == std::string_view::npos ? line.size() : eq));
        if (eq == std::string_view::npos || key.empty() || !valid_key(key))
            throw usage_error(path_ + " line " + std::to_string(no) +
                              ": expected KEY=VALUE (a name of letters, digits and _); fix or remove the line");
        values_[std::string(key)] = {unquote(trim(line.substr(eq + 1)), no), no};
    }

private:
    static const char* kind_of(mode_t m) {
        if (S_ISFIFO(m)) return "a named pipe";
        if (S_ISCHR(m) || S_ISBLK(m)) return "a device";
        if (S_ISDIR(m)) return "a folder";
        if (S_ISSOCK(m)) return "a socket";
        return "not a regular file";
    }

    // False when the file does not exist; throws usage_error for anything that is not a small regular file.
    static bool read_settings_file(const std::string& path, std::string& text) {
        const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
        if (fd < 0 && errno == ENOENT) return false;
        const auto fail = [&](const std::string& why) {
            return usage_error("cannot read settings from " + path + ": " + why +
                               "; make it a regular file of KEY=VALUE lines or remove it");
        };
        if (fd < 0) throw fail(std::strerror(errno));
        struct closer {
            int fd;
            ~closer() { ::close(fd); }
        } guard{fd};
        struct stat st {};
        if (::fstat(fd, &st) != 0) throw fail(std::strerror(errno));
        if (!S_ISREG(st.st_mode)) throw fail(std::string("it is ") + kind_of(st.st_mode));
        const auto too_big = [&] { return fail("it is larger than " + std::to_string(max_size / 1024) + " KiB"); };
        if (static_cast<std::uint64_t>(st.st_size) > max_size) throw too_big();
        text.resize(max_size + 1);
        std::size_t got = 0;
        while (got < text.size()) {
            const auto n = ::read(fd, text.data() + got, text.size() - got);
            if (n < 0 && errno == EINTR) continue;
            if (n < 0) throw fail(std::strerror(errno));
            if (n == 0) break;
            got += static_cast<std::size_t>(n);
        }
        if (got > max_size) throw too_big();  // it grew while we read
        text.resize(got);
        return true;
    }

    static std::string_view trim(std::string_view s) {
        const auto b = s.find_first_not_of(" \t");
        if (b == std::string_view::npos) return {};
        return s.substr(b, s.find_last_not_of(" \t") - b + 1);
    }

    static bool valid_key(std::string_view k) {
        for (const char c : k)
            if (!(c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) return false;
        return !(k.front() >= '0' && k.front() <= '9');
    }

    // Double quotes understand \n, \" and \\; single quotes are literal; an unquoted value ends at ` #`.
    std::string unquote(std::string_view v, std::size_t no) const {
        if (!v.empty() && (v.front() == '"' || v.front() == '\'')) {
            const char q = v.front();
            std::string out;
            std::size_t i = 1;
            for (; i < v.size() && v[i] != q; ++i) {
                if (q == '"' && v[i] == '\\' && i + 1 < v.size()) {
                    const char n = v[++i];
                    out += n == 'n' ? '\n' : n == 't' ? '\t' : n;
                } else {
                    out += v[i];
                }
            }
            if (i >= v.size())
                throw usage_error(path_ + " line " + std::to_string(no) + ": the quoted value has no closing " +
                                  std::string(1, q) + "; close the quote");
            return out;
        }
        const auto hash = v.find(" #");
        return std::string(trim(hash == std::string_view::npos ? v : v.substr(0, hash)));
    }

    std::string path_ = ".env";
    std::map<std::string, value, std::less<>> values_;
};

/// Resolves one setting: the flag if given, else the environment, else `.env`, else the default.
inline setting resolve(const std::optional<std::string>& flag, std::string_view flag_name, const std::string& env_key,
                       const dotenv& file, std::string fallback) {
    if (flag) return {*flag, "flag " + std::string(flag_name), std::string(flag_name)};
    if (!env_key.empty()) {
        if (const char* v = std::getenv(env_key.c_str()); v && *v) return {v, "environment", env_key};
        if (const auto* v = file.find(env_key)) return {v->text, file.path() + " line " + std::to_string(v->line), env_key};
    }
    return {std::move(fallback), "default", env_key.empty() ? std::string(flag_name) : env_key};
}

/// A whole number in [lo, hi], or a usage error naming the setting and where it came from.
inline std::uint64_t to_number(const setting& s, std::uint64_t lo, std::uint64_t hi, std::string_view unit) {
    std::uint64_t v = 0;
    bool ok = !s.value.empty() && s.value.size() < 19;
    for (const char c : s.value) {
        if (c < '0' || c > '9') {
            ok = false;
            break;
        }
        v = v * 10 + static_cast<std::uint64_t>(c - '0');
    }
    if (!ok || v < lo || v > hi)
        throw usage_error("invalid " + s.describe() + ": '" + s.value + "' is not a whole number of " + std::string(unit) +
                          " from " + std::to_string(lo) + " to " + std::to_string(hi));
    return v;
}

}  // namespace loglens_cli
