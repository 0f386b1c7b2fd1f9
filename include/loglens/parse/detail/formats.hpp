#pragma once
// Header-line recognisers for the formats of an MLOps compose stack: Airflow, Spark/log4j, Redis, MinIO, gunicorn, generic.
// SPDX-License-Identifier: MIT

#include <loglens/core/severity.hpp>
#include <loglens/parse/detail/timestamp.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

LOGLENS_NAMESPACE_BEGIN

/// The line formats `compose_parser` recognises; `automatic` detects them per container by content.
enum class log_format : std::uint8_t { automatic, airflow, spark, redis, minio, gunicorn, generic, user };

inline constexpr std::string_view to_string(log_format f) noexcept {
    constexpr std::string_view names[] = {"auto", "airflow", "spark", "redis", "minio", "gunicorn", "generic", "user"};
    return names[static_cast<std::size_t>(f)];
}

/// Reads a format name as a user writes it (`auto`, `airflow`, `spark`, `log4j`, `redis`, `minio`, ...).
inline std::optional<log_format> parse_log_format(std::string_view w) noexcept {
    using detail::iequals;
    if (iequals(w, "auto") || iequals(w, "automatic")) return log_format::automatic;
    if (iequals(w, "airflow") || iequals(w, "python")) return log_format::airflow;
    if (iequals(w, "spark") || iequals(w, "log4j") || iequals(w, "jvm")) return log_format::spark;
    if (iequals(w, "redis")) return log_format::redis;
    if (iequals(w, "minio")) return log_format::minio;
    if (iequals(w, "gunicorn") || iequals(w, "access")) return log_format::gunicorn;
    if (iequals(w, "generic")) return log_format::generic;
    return std::nullopt;
}

namespace detail {

/// What a header line says, as views into the line.
struct header {
    log_format format = log_format::generic;
    std::string_view ts_text;
    std::optional<time_point> ts;
    std::optional<severity> level;
    std::string_view component;
    std::string_view message;
    bool minio_block = false;       ///< an `API: ...` line that opens a MinIO error block
    bool redis_bug_report = false;  ///< a Redis line that opens a crash report
};

constexpr bool is_word_char(char c) noexcept { return is_alpha(c) || is_digit(c) || c == '_'; }

inline std::string_view skip_spaces(std::string_view s) noexcept {
    std::size_t i = 0;
    while (i < s.size() && is_blank(s[i])) ++i;
    return s.substr(i);
}

inline std::string_view trim_spaces(std::string_view s) noexcept {
    s = skip_spaces(s);
    while (!s.empty() && (is_blank(s.back()) || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

/// The word at the start of `s` (up to a blank), and `s` after it.
inline std::string_view take_word(std::string_view& s) noexcept {
    std::size_t n = 0;
    while (n < s.size() && !is_blank(s[n])) ++n;
    const auto w = s.substr(0, n);
    s.remove_prefix(n);
    return w;
}

// A level word as written by the formats of the stack (upper or lower case, short words only).
inline std::optional<severity> level_word(std::string_view w) noexcept {
    if (w.size() < 3 || w.size() > 8) return std::nullopt;
    return parse_severity(w);
}

/// `[2025-11-03T20:36:40.060+0000] {dagbag.py:387} ERROR - msg`.
inline bool read_airflow_classic(std::string_view s, header& h, iso_memo* memo = nullptr) noexcept {
    if (s.size() < 24 || s[0] != '[') return false;
    const auto t = memo ? read_iso(s.substr(1), *memo) : read_iso(s.substr(1));
    if (!t.length || 1 + t.length >= s.size() || s[1 + t.length] != ']') return false;
    auto rest = s.substr(t.length + 2);
    if (rest.size() < 2 || rest[0] != ' ' || rest[1] != '{') return false;
    const auto close = rest.find('}');
    if (close == std::string_view::npos) return false;
    auto loc = rest.substr(2, close - 2);
    rest.remove_prefix(close + 1);
    rest = skip_spaces(rest);
    const auto lvl = level_word(take_word(rest));
    if (!lvl) return false;
    rest = skip_spaces(rest);
    if (rest.size() >= 2 && rest[0] == '-' && rest[1] == ' ') rest.remove_prefix(2);
    else if (rest == "-") rest = {};
    h.format = log_format::airflow;
    h.ts_text = s.substr(1, t.length);
    h.ts = t.time;
    h.level = lvl;
    h.component = loc.substr(0, loc.find(':'));
    h.message = rest;
    return true;
}

/// Airflow 3 / structlog console: `2025-11-03T20:36:40.060123Z [error    ] msg [airflow.models.dagbag] k=v`.
inline bool read_structlog(std::string_view s, const timestamp_read& t, header& h) noexcept {
    auto rest = s.substr(t.length);
    if (rest.size() < 4 || rest[0] != ' ' || rest[1] != '[') return false;
    const auto close = rest.find(']');
    if (close == std::string_view::npos || close > 14) return false;
    const auto lvl = level_word(trim_spaces(rest.substr(2, close - 2)));
    if (!lvl) return false;
    rest = skip_spaces(rest.substr(close + 1));
    // the logger is the last `[name]` that has no blank in it
    std::string_view component;
    for (auto p = rest.rfind(" ["); p != std::string_view::npos;
         p = p == 0 ? std::string_view::npos : rest.rfind(" [", p - 1)) {
        const auto e = rest.find(']', p);
        if (e == std::string_view::npos) continue;
        const auto name = rest.substr(p + 2, e - p - 2);
        if (name.empty() || name.find(' ') != std::string_view::npos) continue;
        component = name;
        rest = trim_spaces(rest.substr(0, p));
        break;
    }
    h.format = log_format::airflow;
    h.ts_text = s.substr(0, t.length);
    h.ts = t.time;
    h.level = lvl;
    h.component = component;
    h.message = rest;
    return true;
}

/// Celery (Airflow's workers): `[2025-11-03 20:36:44,377: INFO/MainProcess] Connected to redis://redis:6379/0`.
inline bool read_celery(std::string_view s, header& h) noexcept {
    if (s.size() < 26 || s[0] != '[') return false;
    const auto t = read_iso(s.substr(1));
    if (!t.length || s.substr(1 + t.length, 2) != ": ") return false;
    auto rest = s.substr(t.length + 3);
    const auto slash = rest.find('/');
    const auto close = rest.find(']');
    if (slash == std::string_view::npos || close == std::string_view::npos || slash > close) return false;
    const auto lvl = level_word(rest.substr(0, slash));
    if (!lvl) return false;
    h.format = log_format::airflow;
    h.ts_text = s.substr(1, t.length);
    h.ts = t.time;
    h.level = lvl;
    h.component = rest.substr(slash + 1, close - slash - 1);
    h.message = skip_spaces(rest.substr(close + 1));
    return true;
}

/// gunicorn's error log: `[2025-11-03 20:36:40 +0000] [45] [INFO] Booting worker with pid: 45`.
inline bool read_gunicorn_error(std::string_view s, header& h) noexcept {
    if (s.size() < 24 || s[0] != '[') return false;
    const auto t = read_iso(s.substr(1));
    if (!t.length || 1 + t.length >= s.size() || s[1 + t.length] != ']') return false;
    auto rest = s.substr(t.length + 2);
    if (rest.size() < 4 || rest[0] != ' ' || rest[1] != '[' || !is_digit(rest[2])) return false;
    const auto pid_end = rest.find(']');
    if (pid_end == std::string_view::npos) return false;
    rest.remove_prefix(pid_end + 1);
    if (rest.size() < 4 || rest[0] != ' ' || rest[1] != '[') return false;
    const auto lvl_end = rest.find(']');
    if (lvl_end == std::string_view::npos) return false;
    const auto lvl = level_word(rest.substr(2, lvl_end - 2));
    if (!lvl) return false;
    h.format = log_format::gunicorn;
    h.ts_text = s.substr(1, t.length);
    h.ts = t.time;
    h.level = lvl;
    h.component = "gunicorn";
    h.message = skip_spaces(rest.substr(lvl_end + 1));
    return true;
}

/// Access log (common/combined): `172.18.0.1 - - [03/Nov/2025:20:36:40 +0000] "GET /health HTTP/1.1" 200 318 ...`.
/// 5xx answers are errors; everything else is information.
inline bool read_access(std::string_view s, header& h) noexcept {
    const auto open = s.substr(0, 66).find(" [");  // the client, two fields, then the time: never far in
    if (open == std::string_view::npos || open > 64) return false;
    const auto t = read_clf(s.substr(open + 2));
    if (!t.length) return false;
    const std::size_t after = open + 2 + t.length;
    if (s.substr(after, 3) != "] \"") return false;
    const auto req_end = s.find('"', after + 3);
    if (req_end == std::string_view::npos) return false;
    const int status = read_digits(s, req_end + 2, 3);
    if (status < 100 || s[req_end + 1] != ' ') return false;
    h.format = log_format::gunicorn;
    h.ts_text = s.substr(open + 2, t.length);
    h.ts = t.time;
    h.level = status >= 500 ? severity::error : severity::info;
    h.component = "access";
    h.message = s.substr(after + 2);
    return true;
}

/// Redis: `1:M 03 Nov 2025 20:36:35.123 # msg`; the mark is the level (`.` debug, `-` verbose, `*` notice, `#` warning).
inline bool read_redis_line(std::string_view s, header& h) noexcept {
    std::size_t i = 0;
    while (i < s.size() && i < 8 && is_digit(s[i])) ++i;
    if (i == 0 || i + 3 >= s.size() || s[i] != ':' || s[i + 2] != ' ') return false;
    const char role = s[i + 1];
    std::string_view component;
    switch (role) {
        case 'M': component = "master"; break;
        case 'S': component = "replica"; break;
        case 'C': component = "child"; break;
        case 'X': component = "sentinel"; break;
        default: return false;
    }
    const auto rest = s.substr(i + 3);
    const auto t = read_redis(rest);
    if (!t.length || t.length + 2 > rest.size() || rest[t.length] != ' ') return false;
    const char mark = rest[t.length + 1];
    severity lvl;
    switch (mark) {
        case '.': lvl = severity::debug; break;
        case '-': lvl = severity::info; break;
        case '*': lvl = severity::notice; break;
        case '#': lvl = severity::warning; break;
        default: return false;
    }
    if (t.length + 2 < rest.size() && rest[t.length + 2] != ' ') return false;
    h.format = log_format::redis;
    h.ts_text = rest.substr(0, t.length);
    h.ts = t.time;
    h.level = lvl;
    h.component = component;
    h.message = t.length + 3 <= rest.size() ? rest.substr(t.length + 3) : std::string_view{};
    h.redis_bug_report = h.message.starts_with("=== REDIS BUG REPORT START");
    if (h.redis_bug_report) h.level = severity::critical;
    return true;
}

/// After a log4j timestamp: `WARN  [main] org.apache.X: msg`, `[main] INFO  org.x.Y - msg`, `INFO SparkContext: msg`.
inline bool read_log4j_rest(std::string_view s, const timestamp_read& t, header& h) noexcept {
    auto rest = skip_spaces(s.substr(t.length));
    if (rest.size() == s.size() - t.length) return false;  // a blank must follow the time
    auto word = take_word(rest);
    std::optional<severity> lvl = level_word(word);
    if (!lvl && word.starts_with('[') && word.ends_with(']')) {  // `[thread] LEVEL`
        rest = skip_spaces(rest);
        lvl = level_word(take_word(rest));
    }
    if (!lvl) return false;
    rest = skip_spaces(rest);
    if (rest.starts_with('[')) {  // `[thread]` after the level
        const auto e = rest.find("] ");
        if (e != std::string_view::npos && e < 80) rest = skip_spaces(rest.substr(e + 2));
    }
    std::string_view component;
    auto probe = rest;
    const auto w = take_word(probe);
    if (w.size() > 1 && w.back() == ':' && is_alpha(w[0])) {
        component = w.substr(0, w.size() - 1);
        rest = skip_spaces(probe);
    } else if (!w.empty() && is_alpha(w[0]) && probe.starts_with(" - ")) {
        component = w;
        rest = probe.substr(3);
    }
    h.format = log_format::spark;
    h.ts_text = s.substr(0, t.length);
    h.ts = t.time;
    h.level = lvl;
    h.component = component;
    h.message = rest;
    return true;
}

/// bitnami entrypoints: `spark 20:36:30.12 INFO  ==> Welcome to the Bitnami spark container` (no date).
inline bool read_bitnami(std::string_view s, header& h) noexcept {
    auto rest = s;
    const auto app = take_word(rest);
    if (app.empty() || app.size() > 32 || !is_lower(app[0]) || rest.size() < 12 || rest[0] != ' ') return false;
    rest.remove_prefix(1);
    int hh, mi, sec;
    std::int64_t nanos;
    const std::size_t end = read_clock(rest, 0, hh, mi, sec, nanos);
    if (end == 0) return false;
    const auto ts_text = rest.substr(0, end);
    rest = skip_spaces(rest.substr(end));
    const auto lvl = level_word(take_word(rest));
    if (!lvl) return false;
    rest = skip_spaces(rest);
    if (!rest.starts_with("==>")) return false;
    h.format = log_format::generic;
    h.ts_text = ts_text;
    h.ts = std::nullopt;
    h.level = lvl;
    h.component = app;
    h.message = skip_spaces(rest.substr(3));
    return true;
}

/// An `API: ...` line of a MinIO error block (the start-up banner's `API: http://...` is not one).
inline bool read_minio_api(std::string_view s, header& h) noexcept {
    if (!s.starts_with("API: ")) return false;
    const auto api = trim_spaces(s.substr(5));
    if (api.find("://") != std::string_view::npos || api.find('(') == std::string_view::npos) return false;
    h.format = log_format::minio;
    h.level = severity::error;  // confirmed by the block's `Error:` line; kept when the block has none
    h.component = api.substr(0, api.find('('));
    h.message = s;
    h.minio_block = true;
    return true;
}

/// Keys of the lines inside a MinIO error block.
inline bool is_minio_block_line(std::string_view s) noexcept {
    for (std::string_view k : {"Time: ", "DeploymentID: ", "RequestID: ", "RemoteHost: ", "Host: ", "UserAgent: ",
                               "Error: ", "Bucket: ", "Object: ", "Source: "})
        if (s.starts_with(k)) return true;
    return false;
}

// The level a failure word names (`error`, `fatal`, `warning`, ...), any case; its length and first letter rule
// out nearly every word of a line before a comparison.
inline std::optional<severity> failure_level(std::string_view w) noexcept {
    const char c = ascii_lower(w[0]);
    switch (w.size()) {
        case 4:
            if (c == 'w' && iequals(w, "warn")) return severity::warning;
            break;
        case 5:
            if (c == 'e' && iequals(w, "error")) return severity::error;
            if ((c == 'f' && iequals(w, "fatal")) || (c == 'p' && iequals(w, "panic"))) return severity::critical;
            break;
        case 6:
            if (c == 'f' && iequals(w, "failed")) return severity::error;
            break;
        case 7:
            if (c == 'f' && iequals(w, "failure")) return severity::error;
            if (c == 'w' && iequals(w, "warning")) return severity::warning;
            break;
        case 9:
            if ((c == 'e' && iequals(w, "exception")) || (c == 't' && iequals(w, "traceback"))) return severity::error;
            break;
        case 10:
            if (c == 'd' && iequals(w, "deprecated")) return severity::warning;
            break;
        default: break;
    }
    return std::nullopt;
}

/// True for a word that calls something a failure on its own: `ERROR`, `Exception`, `failed`, `FATAL`.
/// Words glued to more (`error_log=`, `ErrorHandler`, `errors`) or counted as zero (`0 errors`) say nothing.
inline std::optional<severity> guess_severity(std::string_view s) noexcept {
    std::optional<severity> best;
    std::string_view prev;
    std::size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && !is_word_char(s[i])) ++i;
        const std::size_t b = i;
        while (i < s.size() && is_word_char(s[i])) ++i;
        const auto w = s.substr(b, i - b);
        if (w.empty()) break;
        if (const auto here = failure_level(w); here && (!best || *here > *best)) {
            const auto glue = [](char c) { return c == '=' || c == '_' || c == '.' || c == '/' || c == '-'; };
            const bool glued = (i < s.size() && glue(s[i])) || (b > 0 && glue(s[b - 1]));
            const bool negated = prev == "0" || iequals(prev, "no") || iequals(prev, "without") || iequals(prev, "zero");
            if (!glued && !negated) {
                best = here;
                if (*best == severity::critical) break;  // nothing ranks above it
            }
        }
        prev = w;
    }
    return best;
}

/// A level field in the first words (`ERROR`, `[error]`, `level=warn`, `"level":"error"`).
inline std::optional<severity> level_field(std::string_view s, std::string_view& after) noexcept {
    // byte classes as tables: `find_first_of` with a set searches the set once per byte of the line
    struct byte_set {
        bool in[256]{};
        constexpr explicit byte_set(std::string_view chars) {
            for (const char c : chars) in[static_cast<unsigned char>(c)] = true;
        }
        constexpr bool operator()(char c) const { return in[static_cast<unsigned char>(c)]; }
    };
    static constexpr byte_set before_word(" \t[]<>:|-"), word_end(" \t[]<>:|,");
    std::size_t pos = 0;
    for (int word = 0; word < 3 && pos < s.size(); ++word) {
        std::size_t start = pos;
        while (start < s.size() && before_word(s[start])) ++start;
        if (start == s.size()) break;
        std::size_t end = start;
        while (end < s.size() && !word_end(s[end])) ++end;
        const auto w = s.substr(start, end - start);
        // past the first word only a shouted or bracketed level counts: "no error detected" has none
        const bool shouted = std::all_of(w.begin(), w.end(), [](char c) { return !is_lower(c); });
        const bool bracketed = start > 0 && (s[start - 1] == '[' || s[start - 1] == '<');
        if (word > 0 && !shouted && !bracketed) {
            pos = end;
            continue;
        }
        if (auto lvl = level_word(w)) {
            std::size_t a = end;
            while (a < s.size() && (s[a] == ']' || s[a] == ':' || s[a] == '>' || s[a] == '|')) ++a;
            after = skip_spaces(s.substr(a));
            if (after.starts_with("- ")) after.remove_prefix(2);
            return lvl;
        }
        pos = end;
    }
    // every key has an `eve` or `lvl` in it: most lines have neither, and one search for `v` tells
    const auto key_near = [](std::string_view t) {
        for (auto v = t.find('v', 1); v != std::string_view::npos && v + 1 < t.size(); v = t.find('v', v + 1))
            if ((t[v - 1] == 'e' && t[v + 1] == 'e') || (t[v - 1] == 'l' && t[v + 1] == 'l')) return true;
        return false;
    };
    if (!key_near(s)) return std::nullopt;
    for (std::string_view key : {"level=", "\"level\":\"", "\"levelname\":\"", "\"severity\":\"", "lvl="}) {
        const auto p = s.find(key);
        if (p == std::string_view::npos || (p > 0 && is_word_char(s[p - 1]))) continue;
        auto v = s.substr(p + key.size());
        std::size_t n = 0;
        while (n < v.size() && is_alpha(v[n])) ++n;
        if (auto lvl = level_word(v.substr(0, n))) {
            after = s;
            return lvl;
        }
    }
    return std::nullopt;
}

/// The fallback: a timestamp in a common layout (optionally in brackets) and a level word near the start.
inline void read_generic(std::string_view s, header& h) noexcept {
    h = header{};
    h.format = log_format::generic;
    auto rest = s;
    const bool bracket = !rest.empty() && rest[0] == '[';
    auto t = read_any_timestamp(bracket ? rest.substr(1) : rest);
    if (t.length) {
        h.ts_text = rest.substr(bracket ? 1 : 0, t.length);
        h.ts = t.time;
        rest.remove_prefix(t.length + (bracket ? 1 : 0));
        if (bracket && !rest.empty() && rest[0] == ']') rest.remove_prefix(1);
        while (!rest.empty() && (is_blank(rest[0]) || rest[0] == '|' || rest[0] == ',')) rest.remove_prefix(1);
        if (rest.starts_with("- ")) rest.remove_prefix(2);
    }
    // PostgreSQL: `2025-11-03 20:36:38.099 UTC [61] FATAL:  password authentication failed`
    if (h.ts && rest.size() > 3 && rest[0] == '[' && is_digit(rest[1])) {
        const auto e = rest.find("] ");
        if (e != std::string_view::npos && e < 12) {
            auto pg = rest.substr(e + 2);
            const auto colon = pg.find(":  ");
            if (colon != std::string_view::npos && colon < 10) {
                const auto word = pg.substr(0, colon);
                if (word == "LOG" || word == "STATEMENT" || word == "DETAIL" || word == "HINT" || word == "CONTEXT" ||
                    word == "QUERY" || word == "LOCATION") {
                    h.level = severity::info;
                    h.message = word == "LOG" ? pg.substr(colon + 3) : pg;  // DETAIL etc. keep their key to fold
                    return;
                }
                // PostgreSQL's FATAL ends one session (an error); only PANIC takes the server down
                if (word == "FATAL" || word == "ERROR" || word == "WARNING" || word == "PANIC" || word == "NOTICE") {
                    h.level = word == "PANIC"     ? severity::critical
                              : word == "WARNING" ? severity::warning
                              : word == "NOTICE"  ? severity::notice
                                                  : severity::error;
                    h.message = pg.substr(colon + 3);
                    return;
                }
            }
        }
    }
    std::string_view after;
    if (auto lvl = level_field(rest, after)) {
        h.level = lvl;
        // `LEVEL message` or `LEVEL component: message`: keep only the message when the level came first
        if (after.data() != rest.data()) rest = after;
    }
    h.message = rest;
}

/// Recognises a header line. `primary` (the stream's usual format) is tried first; `memo`, when given, spares
/// the lines of one second reading their date and clock again.
/// Returns false only when no specific format matched; `h` then holds the generic reading.
inline bool read_header(std::string_view s, log_format primary, header& h, iso_memo* memo = nullptr) noexcept {
    h = header{};
    if (s.empty()) return false;
    const char c = s[0];
    if (primary == log_format::redis && is_digit(c) && read_redis_line(s, h)) return true;
    if (c == '[') {
        if (read_airflow_classic(s, h, memo) || read_gunicorn_error(s, h) || read_celery(s, h)) return true;
    } else if (is_digit(c)) {
        if (read_redis_line(s, h)) return true;
        if (auto t = read_log4j_short(s); t.length && read_log4j_rest(s, t, h)) return true;
        if (auto t = read_iso(s); t.length) {
            if (read_structlog(s, t, h) || read_log4j_rest(s, t, h)) return true;
        }
    } else if (c == 'A' && read_minio_api(s, h)) {
        return true;
    } else if (is_lower(c) && read_bitnami(s, h)) {
        return true;
    }
    if ((is_digit(c) || is_alpha(c)) && read_access(s, h)) return true;
    read_generic(s, h);
    return false;
}

}  // namespace detail
LOGLENS_NAMESPACE_END
