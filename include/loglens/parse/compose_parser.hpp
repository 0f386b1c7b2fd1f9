#pragma once
// loglens::compose_parser: the default parser. Demultiplexes docker compose output per container and folds multi-line events.
// SPDX-License-Identifier: MIT

#include <loglens/core/concepts.hpp>
#include <loglens/parse/detail/formats.hpp>
#include <loglens/parse/detail/source_name.hpp>
#include <loglens/parse/detail/timestamp.hpp>
#include <loglens/parse/detail/wrappers.hpp>
#include <loglens/parse/line_format.hpp>
#include <loglens/parse/line_splitter.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

LOGLENS_NAMESPACE_BEGIN

/// Reasons `compose_parser` counts in `ingest_stats` (besides the line splitter's).
namespace reason {
inline constexpr std::string_view compose_meta = "compose-meta";          ///< skipped: `Attaching to`, `exited with code 0`
inline constexpr std::string_view binary_input = "binary-input";          ///< skipped: lines of a mostly-binary stream
inline constexpr std::string_view continuation_cap = "continuation-cap";  ///< skipped: lines past an entry's bound
inline constexpr std::string_view ansi_escape = "ansi-escape";            ///< altered: colour codes removed
inline constexpr std::string_view stream_evicted = "stream-evicted";      ///< altered: too many containers at once
inline constexpr std::string_view blank_prefixed = "blank";               ///< skipped: blank (prefixed) line
inline constexpr std::string_view wrapper_meta = "wrapper-meta";  ///< skipped: journalctl's `-- Boot --`, Grafana's header
inline constexpr std::string_view partial_record = "partial-record";  ///< altered: a split record joined to the next
/// A traceback or stack trace tail without its head: folded into its exception (altered) or, with none, dropped (skipped).
inline constexpr std::string_view headless_trace = "headless-trace";
inline constexpr std::string_view terminal_wrap = "terminal-wrap";  ///< altered: a piece of a line a terminal cut, joined
}  // namespace reason

/// How `compose_parser` reads its input. The defaults detect everything.
struct compose_options {
    /// `automatic` recognises every built-in format per container; any other value accepts only that
    /// format's header lines and folds every other line into the entry before it.
    log_format format = log_format::automatic;
    /// A user line format (`<Date> <Time> <Level> <Component>: <Content>`): when set, a line that matches
    /// it starts an entry and every other line continues the one before. Fields named Date, Time,
    /// Timestamp, Level, Component and Content are understood.
    std::optional<line_format> user_format;
    /// The compose project, removed from v2 container names (`mlops-redis-1` -> `redis`). Empty: taken
    /// from compose's `Attaching to ...` line when all containers share one prefix.
    std::string project;
    std::size_t max_line = line_splitter::default_max_line;  ///< longer lines are cut with a marker
    std::size_t max_continuation_lines = 500;                ///< per entry; more are counted and dropped
    std::size_t max_entry_bytes = 256 * 1024;                ///< per entry, continuation included
    std::size_t max_streams = 256;                           ///< containers open at once
    bool detect_binary = true;                               ///< skip mostly-binary input (counted)
    /// The layout wrapping the containers' lines (Docker json-file, journald, syslog, Loki, ...); empty: detected
    /// per input from its first lines. `wrapper_format::none` reads every line as it is.
    std::optional<wrapper_format> wrapper;
    /// Records held to put a newest-first export (Loki, Grafana) back in time order, a window at a time.
    std::size_t reorder_window = 4096;
};

namespace detail {

/// A line of compose output split into container name, `-t` timestamp and the container's own text.
struct compose_line {
    std::string_view container;  ///< empty when the line has no prefix
    std::string_view text;
    std::string_view docker_ts_text;
    std::optional<time_point> docker_ts;
    std::optional<severity> wrapper_level;  ///< the wrapper's own priority, for a line with no level of its own
    bool prefixed = false;
    bool record_rest = false;  ///< a line after the first of one wrapper record: it continues that record's entry
};

// A table, not five comparisons: asked of every byte of every compose prefix.
inline constexpr struct container_chars {
    bool in[256]{};
    constexpr container_chars() {
        for (int c = 0; c < 256; ++c) in[c] = is_word_char(static_cast<char>(c)) || c == '-' || c == '.';
    }
} container_char_table{};

inline bool is_container_char(char c) noexcept { return container_char_table.in[static_cast<unsigned char>(c)]; }

/// `name   | text`, `name  |` (empty line), podman's `[name] | text` and `kubectl logs --prefix`'s
/// `[pod/web-7d9c/container] text`.
inline bool split_compose_prefix(std::string_view s, compose_line& out) noexcept {
    std::size_t i = 0;
    std::string_view name;
    if (!s.empty() && s[0] == '[') {
        const auto e = s.find(']');
        if (e == std::string_view::npos || e < 2 || e > 256) return false;
        name = s.substr(1, e - 1);
        for (char c : name)
            if (!is_container_char(c) && c != '/') return false;
        i = e + 1;
        if (name.starts_with("pod/") && i < s.size() && s[i] == ' ') {
            out.container = name;
            out.text = s.substr(i + 1);
            out.prefixed = true;
            return true;
        }
        if (name.find('/') != std::string_view::npos) return false;
    } else {
        while (i < s.size() && i < 128 && is_container_char(s[i])) ++i;
        if (i == 0) return false;
        name = s.substr(0, i);
    }
    const std::size_t blanks = i;
    while (i < s.size() && s[i] == ' ') ++i;
    if (i == blanks || i >= s.size() || s[i] != '|') return false;
    ++i;
    if (i < s.size() && s[i] != ' ') return false;
    if (i < s.size()) ++i;
    out.container = name;
    out.text = s.substr(i);
    out.prefixed = true;
    return true;
}

/// Columns of a line as a terminal shows it, or 0 when that cannot be told (tabs, control or wide characters).
inline std::size_t terminal_columns(std::string_view s) noexcept {
    std::size_t n = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x20 || c == 0x7f || c >= 0xE1) return 0;  // from U+1000 on, some characters take two columns
        n += (c & 0xC0) != 0x80;
    }
    return n;
}

/// A line that begins a line of its own: a compose prefix or a timestamp (bracketed or not).
inline bool starts_own_line(std::string_view s) noexcept {
    compose_line cl;
    if (split_compose_prefix(s, cl)) return true;
    if (!s.empty() && s[0] == '[') s.remove_prefix(1);
    return read_any_timestamp(s).length != 0;
}

/// The width of the terminal a copied log was cut at, or 0. It is taken only when it is unambiguous: many
/// lines are exactly the widest one's width, the line after such a line (a piece) never starts a line of its
/// own, and nearly every other line does.
inline std::size_t sniff_terminal_width(std::string_view text, bool at_end) {
    std::vector<std::string_view> lines;
    while (lines.size() < 200 && !text.empty()) {
        const auto nl = text.find('\n');
        if (nl == std::string_view::npos && !at_end) break;
        auto line = text.substr(0, nl);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        lines.push_back(line);
        text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    }
    std::size_t width = 0, full = 0;
    for (auto l : lines) width = std::max(width, terminal_columns(l));
    if (width < 40 || width > 512) return 0;
    std::size_t pieces = 0, own = 0, heads = 0;
    for (std::size_t i = 0; i + 1 < lines.size(); ++i) {
        const bool cut = terminal_columns(lines[i]) == width;
        if (cut) {
            ++full;
            pieces += !starts_own_line(lines[i + 1]);
        }
        if (i == 0 || terminal_columns(lines[i - 1]) != width) {  // a line, or a cut line's first piece
            ++heads;
            own += starts_own_line(lines[i]);
        }
    }
    if (full < 3 || full * 10 < lines.size() || pieces * 10 < full * 9 || heads < 3 || own * 10 < heads * 9) return 0;
    return width;
}

/// Docker's `-t` stamp (RFC 3339 with `Z`, nanoseconds with trailing zeros trimmed) and the blank after it.
inline bool split_docker_ts(compose_line& l, iso_memo& memo) noexcept {
    const auto s = l.text;
    if (s.size() < 21 || !is_digit(s[0]) || s[10] != 'T') return false;
    const auto t = read_iso(s, memo);
    if (!t.length || s[t.length - 1] != 'Z' || (t.length < s.size() && s[t.length] != ' ')) return false;
    l.docker_ts_text = s.substr(0, t.length);
    l.docker_ts = t.time;
    l.text = t.length < s.size() ? s.substr(t.length + 1) : std::string_view{};
    return true;
}

inline bool split_docker_ts(compose_line& l) noexcept {
    iso_memo memo;
    return split_docker_ts(l, memo);
}

/// Compose's own lines: `Attaching to a-1, b-1`, `a-1 exited with code 1`, `Gracefully stopping...`.
/// Sets `exited`/`code` for an exit line.
inline bool is_compose_meta(std::string_view s, std::string_view& exited, int& code) noexcept {
    exited = {};
    if (s.starts_with("Attaching to ") || s.starts_with("Gracefully stopping") ||
        s.starts_with("Aborting on container exit") || s.starts_with("[+] ") || s.starts_with(" Container ") ||
        s.starts_with(" Network ") || s.starts_with(" Volume ") || s.starts_with("Gracefully Stopping"))
        return true;
    const auto p = s.find(" exited with code ");
    if (p == std::string_view::npos || p == 0 || p > 128) return false;
    for (char c : s.substr(0, p))
        if (!is_container_char(c)) return false;
    auto num = s.substr(p + 18);
    std::size_t n = 0;
    int v = 0;
    while (n < num.size() && n < 6 && is_digit(num[n])) v = v * 10 + (num[n++] - '0');
    if (n == 0) return false;
    exited = s.substr(0, p);
    code = v;
    return true;
}

/// Removes ANSI escape sequences (CSI colours, OSC titles, two-byte escapes) from `s` into `out`.
inline void strip_ansi(std::string_view s, std::string& out) {
    out.clear();
    for (std::size_t i = 0; i < s.size();) {
        if (s[i] != '\x1b') {
            out += s[i++];
            continue;
        }
        ++i;
        if (i >= s.size()) break;
        if (s[i] == '[') {
            ++i;
            while (i < s.size() && !(s[i] >= 0x40 && s[i] <= 0x7e)) ++i;
            ++i;
        } else if (s[i] == ']') {
            while (i < s.size() && s[i] != '\x07' && !(s[i] == '\x1b' && i + 1 < s.size() && s[i + 1] == '\\')) ++i;
            i += (i < s.size() && s[i] == '\x1b') ? 2 : 1;
        } else {
            ++i;
        }
    }
}

/// A Python traceback's final line or a JVM exception line: `KeyError: 'x'`, `java.lang.IllegalStateException: boom`.
inline bool is_exception_line(std::string_view s) noexcept {
    std::size_t n = 0;
    while (n < s.size() && (is_word_char(s[n]) || s[n] == '.' || s[n] == '$')) ++n;
    if (n < 3 || !is_alpha(s[0])) return false;
    if (n < s.size() && !(s[n] == ':' && (n + 1 == s.size() || s[n + 1] == ' '))) return false;
    const auto name = s.substr(0, n);
    for (std::string_view suffix :
         {"Error", "Exception", "Exit", "Interrupt", "Warning", "Failure", "Timeout", "Throwable", "Fault", "Iteration"})
        if (name.ends_with(suffix)) return true;
    return n < s.size() && name.find('.') != std::string_view::npos && is_lower(s[0]);
}

/// The final line of a traceback that raised a class without a message: `cryptography.fernet.InvalidToken`.
inline bool is_bare_exception_name(std::string_view s) noexcept {
    const auto dot = s.rfind('.');
    if (dot == std::string_view::npos || dot + 1 >= s.size() || !is_upper(s[dot + 1]) || !is_alpha(s[0])) return false;
    for (char c : s)
        if (!is_word_char(c) && c != '.') return false;
    return true;
}

/// Lines that continue the message of a Python exception after its final line (SQLAlchemy, py4j).
inline bool is_exception_epilogue(std::string_view s) noexcept {
    return s.starts_with("(Background on this error at:") || s.starts_with("[SQL: ") || s.starts_with("[parameters: ");
}

/// PostgreSQL's lines that belong to the message before them.
inline bool is_postgres_detail(std::string_view message) noexcept {
    for (std::string_view k : {"DETAIL:  ", "HINT:  ", "STATEMENT:  ", "CONTEXT:  ", "QUERY:  ", "LOCATION:  "})
        if (message.starts_with(k)) return true;
    return false;
}

/// No letter at all: separators and ASCII art (`=====`, `____  /| |_`), never an event of their own.
inline bool has_no_letter(std::string_view s) noexcept {
    return std::none_of(s.begin(), s.end(), [](char c) { return is_alpha(c); });
}

/// A line of a JVM stack trace after the exception line.
inline bool is_jvm_trace_line(std::string_view s) noexcept {
    const auto t = skip_spaces(s);
    if (t.size() == s.size() && !t.starts_with("Caused by: ")) return false;  // frames are indented
    return t.starts_with("at ") || t.starts_with("Caused by: ") || t.starts_with("... ") || t.starts_with("Suppressed: ") ||
           t.starts_with("Caused by:");
}

/// A line that only ever continues a traceback or stack trace: a frame (indented), `Caused by:`, SQLAlchemy's
/// epilogue, Python's chaining sentences. Met with no entry open, it is the tail of an event whose head is gone.
inline bool is_trace_tail_line(std::string_view s) noexcept {
    return is_blank(s[0]) || is_jvm_trace_line(s) || is_exception_epilogue(s) ||
           s.starts_with("During handling of the above exception") ||
           s.starts_with("The above exception was the direct cause");
}

/// The exception named by `Exception in thread "main" java.lang.X: msg`, or empty.
inline std::string_view jvm_uncaught(std::string_view s) noexcept {
    if (!s.starts_with("Exception in thread \"")) return {};
    const auto q = s.find("\" ", 21);
    return q == std::string_view::npos ? std::string_view{} : s.substr(q + 2);
}

}  // namespace detail

/// @brief The default parser: docker compose / docker / kubectl output of Airflow, Spark, Redis and MinIO.
///
/// Per line: ANSI colours and the compose prefix (v2 `project-service-1  | `, v1 `service_1  | `,
/// podman `[service] | `) are removed, the `-t` timestamp is read, and the line goes to its container's
/// stream. Each stream detects its format by content and folds multi-line events (Python tracebacks,
/// JVM stack traces, MinIO error blocks, Redis crash reports and banners, indented continuations) into
/// one entry. Memory holds one open entry per container, bounded by `compose_options`.
class compose_parser {
public:
    using stage_category = parser_tag;

    compose_parser() : compose_parser(compose_options{}) {}
    explicit compose_parser(compose_options opts) : opts_(std::move(opts)), lines_(opts_.max_line) {
        if (opts_.user_format) user_fields_ = user_fields::of(*opts_.user_format);
    }

    void start(const source_info& src) {
        source_ = src;
        if (source_.path.empty()) source_.path = "<stdin>";
        if (source_.path != "<stdin>" &&
            (source_.service.empty() || source_.service == std::filesystem::path(source_.path).stem()))
            source_.service = detail::service_from_path(source_.path, std::move(source_.service));
        lines_ = line_splitter(opts_.max_line);
        wrap_ = opts_.wrapper.value_or(wrapper_format::none);
        newest_first_ = false;
        partials_.clear();
        window_.clear();
        carry_.clear();
        last_key_.clear();
        default_key_.clear();
        records_ = 0;
        term_width_ = 0;
        term_line_.clear();
        term_pieces_ = 0;
        streams_.clear();
        sniff_.clear();
        sniffed_ = !opts_.detect_binary && opts_.wrapper.has_value();
        sniff_seen_ = 0;
        binary_ = false;
        binary_partial_ = false;
        line_no_ = 0;
        tick_ = 0;
        project_ = opts_.project;
    }

    void feed(std::string_view chunk, entry_sink out) {
        if (!sniffed_) {
            const std::size_t take = std::min(chunk.size(), sniff_size - sniff_.size());
            sniff_.append(chunk.substr(0, take));
            chunk.remove_prefix(take);
            if (sniff_.size() < sniff_size) return;
            decide_binary(out);
        }
        consume(chunk, out);
    }

    void finish(entry_sink out) {
        if (!sniffed_) decide_binary(out);
        if (binary_) {
            if (binary_partial_) count_binary_line();
        } else {
            lines_.finish([&](std::string_view line) { on_line(line, out); });
            flush_terminal_piece(out);
        }
        finish_wrapper(out);
        for (auto& st : streams_) close_entry(st, out);
    }

    [[nodiscard]] const ingest_stats& stats() const noexcept { return lines_.stats(); }
    [[nodiscard]] const compose_options& options() const noexcept { return opts_; }

    /// Emits the open entry of every container that printed no line for `gap` before `now`, as told by the calls
    /// before: a live stream's last event (a quiet container's traceback) is closed by time, not held until other
    /// containers print thousands of lines. Call it every fraction of `gap` with a steady clock's time.
    void close_idle(live_time now, std::chrono::nanoseconds gap, entry_sink out) {
        // a live input may never fill the 8 KiB the binary check reads: once it stalls, decide on what came
        if (!sniffed_ && !sniff_.empty() && std::exchange(sniff_seen_, sniff_.size()) == sniff_.size()) decide_binary(out);
        for (auto& st : streams_) {
            if (st.last_use != st.use_seen || !st.idle_since) {
                st.use_seen = st.last_use;
                st.idle_since = now;
            } else if (st.open && now - *st.idle_since >= gap) {
                close_entry(st, out);
            }
        }
    }

    /// Tells `obs` where every line that starts no entry went.
    void observe_lines(line_observer obs) { observer_ = std::move(obs); }
    /// The layout found wrapping the input (`none` for plain and compose output), known after the first 8 KiB.
    [[nodiscard]] wrapper_format detected_wrapper() const noexcept { return wrap_; }
    /// True when the wrapper's records go back in time (a Loki or Grafana export, newest first).
    [[nodiscard]] bool newest_first() const noexcept { return newest_first_; }

    /// The format detected for each container seen so far (service, format), in order of appearance;
    /// `generic` when no specific format was recognised. Containers dropped by `max_streams` are gone.
    [[nodiscard]] std::vector<std::pair<std::string, log_format>> detected_formats() const {
        std::vector<std::pair<std::string, log_format>> out;
        out.reserve(streams_.size());
        for (const auto& st : streams_)
            out.emplace_back(st.service, st.primary == log_format::automatic ? log_format::generic : st.primary);
        return out;
    }

private:
    static constexpr std::size_t sniff_size = 8192;
    // A container silent for this many lines of the others has its open entry emitted, so a live
    // stream (`logs -f`) does not hold a finished event back indefinitely.
    static constexpr std::uint64_t idle_lines = 4096;

    enum class block : std::uint8_t { none, traceback, jvm, minio, redis_crash, fragment, pem };

    struct stream {
        std::string key;  // the container name as prefixed, empty for unprefixed lines
        std::string service;
        std::array<std::uint32_t, 8> seen{};  // header lines per format
        log_format primary = log_format::automatic;
        bool docker_t = false;  // unprefixed `docker logs -t` output
        bool decided_t = false;
        bool open = false;
        bool own_level = false;                        // the open entry's level came from its format
        bool tb_final = false;                         // the traceback's final line was read
        log_format open_format = log_format::generic;  // the format of the open entry's header
        block state = block::none;
        log_entry entry;
        std::size_t entry_bytes = 0;
        std::uint64_t dropped = 0;
        std::uint64_t last_use = 0;
        std::uint64_t use_seen = 0;           // `last_use` at the last `close_idle`
        std::optional<live_time> idle_since;  // when `close_idle` first saw it unchanged
    };

    // Positions of the understood fields of a user format.
    struct user_fields {
        std::optional<std::size_t> date, time, timestamp, level, component, content;
        static user_fields of(const line_format& f) {
            return {f.index_of("Date"),  f.index_of("Time"),      f.index_of("Timestamp"),
                    f.index_of("Level"), f.index_of("Component"), f.index_of("Content")};
        }
    };

    void consume(std::string_view chunk, entry_sink& out) {
        if (binary_) {
            lines_.stats().bytes += chunk.size();
            for (char c : chunk) {
                if (c == '\n') count_binary_line();
                else binary_partial_ = true;
            }
            return;
        }
        lines_.feed(chunk, [&](std::string_view line) { on_line(line, out); });
    }

    void count_binary_line() {
        ++lines_.stats().lines;
        ++line_no_;
        skip(reason::binary_input);
        binary_partial_ = false;
    }

    // Mostly-binary input (NUL and control bytes, invalid UTF-8) is skipped whole, counted by lines.
    void decide_binary(entry_sink& out) {
        sniffed_ = true;
        std::size_t bad = 0;
        const std::string_view s = sniff_;
        for (std::size_t i = 0; i < s.size();) {
            const auto c = static_cast<unsigned char>(s[i]);
            if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' && c != 0x1b) {
                ++bad;
                ++i;
            } else if (c < 0x80) {
                ++i;
            } else if (const auto n = detail::utf8_length_at(s, i); n != 0) {
                i += n;
            } else if (s.size() - i < 4 && s.size() == sniff_size) {
                break;  // a sequence cut by the sniff window
            } else {
                ++bad;
                ++i;
            }
        }
        binary_ = opts_.detect_binary && s.size() >= 16 && bad * 10 > s.size();
        if (!binary_ && !opts_.wrapper) wrap_ = detail::sniff_wrapper(s, s.size() < sniff_size, newest_first_);
        if (!binary_) term_width_ = detail::sniff_terminal_width(s, s.size() < sniff_size);
        std::string buffered = std::move(sniff_);
        sniff_.clear();
        consume(buffered, out);
    }

    // Joins the pieces of lines a terminal cut at its width (a copy from a terminal), then reads the line.
    void on_line(std::string_view line, entry_sink& out) {
        if (term_width_ == 0) {
            on_whole_line(line, out);
            return;
        }
        if (!term_line_.empty()) {
            if (!detail::starts_own_line(line)) {
                term_line_ += line;
                ++term_pieces_;
                ++lines_.stats().altered[std::string(reason::terminal_wrap)];
                if (detail::terminal_columns(line) != term_width_) flush_terminal_piece(out);
                return;
            }
            flush_terminal_piece(out);
        }
        if (detail::terminal_columns(line) == term_width_) {
            term_line_.assign(line);
            term_pieces_ = 0;
            return;
        }
        on_whole_line(line, out);
    }

    void flush_terminal_piece(entry_sink& out) {
        if (term_line_.empty()) return;
        const std::string whole = std::move(term_line_);
        term_line_.clear();
        on_whole_line(whole, out);
        line_no_ += term_pieces_;
        term_pieces_ = 0;
    }

    void on_whole_line(std::string_view line, entry_sink& out) {
        ++line_no_;
        if ((line_no_ & (idle_lines - 1)) == 0) close_idle(out);
        if (wrap_ != wrapper_format::none) {
            on_wrapped_line(line, out);
            return;
        }
        if (line.find('\x1b') != std::string_view::npos) {
            detail::strip_ansi(line, ansi_);
            line = ansi_;
            ++lines_.stats().altered[std::string(reason::ansi_escape)];
        }
        detail::compose_line cl;
        if (!detail::split_compose_prefix(line, cl)) {
            std::string_view exited;
            int code = 0;
            if (detail::is_compose_meta(line, exited, code)) {
                on_meta(line, exited, code, out);
                return;
            }
            cl.text = line;
        }
        stream& st = stream_for(cl.container, out);
        if (!st.decided_t && !detail::trim_spaces(cl.text).empty()) decide_docker_t(st, cl);
        if (st.docker_t) detail::split_docker_ts(cl, docker_memo_);
        if (detail::trim_spaces(cl.text).empty()) {
            skip(reason::blank_prefixed);
            return;
        }
        process(st, cl, out);
    }

    // `-t` output is told from a log's own RFC 3339 stamp on a stream's first line: docker writes
    // nanoseconds (7+ digits unless trailing zeros were trimmed), and the container's text follows.
    static void decide_docker_t(stream& st, const detail::compose_line& cl) {
        st.decided_t = true;
        detail::compose_line probe = cl;
        if (!detail::split_docker_ts(probe)) return;
        detail::header h;
        st.docker_t = probe.docker_ts_text.size() >= 28 || detail::read_header(probe.text, log_format::automatic, h) ||
                      h.ts.has_value();
    }

    void on_meta(std::string_view line, std::string_view exited, int code, entry_sink& out) {
        if (line.starts_with("Attaching to ") && project_.empty()) guess_project(line.substr(13));
        if (exited.empty() || code == 0) {
            skip(reason::compose_meta);
            return;
        }
        stream& st = stream_for(exited, out);
        close_entry(st, out);
        log_entry e;
        e.service = st.service;
        e.component = "compose";
        e.level = severity::error;
        e.message = "container exited with code " + std::to_string(code);
        e.raw = std::string(line);
        e.source = source_.path;
        e.line = line_no_;
        ++lines_.stats().entries;
        out(std::move(e));
    }

    // The project is the prefix every container of `Attaching to a, b, c` shares, up to a `-` or `_`;
    // with fewer than three containers a shared prefix is as likely part of the service names.
    void guess_project(std::string_view list) {
        std::vector<std::string_view> names;
        while (!list.empty()) {
            const auto comma = list.find(',');
            names.push_back(detail::trim_spaces(list.substr(0, comma)));
            if (comma == std::string_view::npos) break;
            list.remove_prefix(comma + 1);
        }
        if (names.size() < 3) return;
        std::string_view common = names[0];
        for (auto n : names) {
            std::size_t k = 0;
            while (k < common.size() && k < n.size() && common[k] == n[k]) ++k;
            common = common.substr(0, k);
        }
        const auto cut = common.find_last_of("-_");
        if (cut == std::string_view::npos || cut == 0) return;
        project_ = std::string(common.substr(0, cut));
        for (auto& st : streams_) st.service = service_of(st.key);
    }

    // `mlops-airflow-scheduler-1` -> `airflow-scheduler`: the replica number and the project go.
    [[nodiscard]] std::string service_of(std::string_view container) const {
        if (container.empty()) return source_.service;
        auto name = container;
        if (const auto slash = name.rfind('/'); slash != std::string_view::npos) return std::string(name.substr(slash + 1));
        const auto sep = name.find_last_of("-_");
        if (sep != std::string_view::npos && sep + 1 < name.size() &&
            std::all_of(name.begin() + static_cast<std::ptrdiff_t>(sep + 1), name.end(), detail::is_digit))
            name = name.substr(0, sep);
        if (!project_.empty() && name.size() > project_.size() + 1 && name.starts_with(project_) &&
            (name[project_.size()] == '-' || name[project_.size()] == '_'))
            name.remove_prefix(project_.size() + 1);
        return std::string(name);
    }

    stream& stream_for(std::string_view key, entry_sink& out) {
        ++tick_;
        if (last_ < streams_.size() && streams_[last_].key == key) {
            streams_[last_].last_use = tick_;
            return streams_[last_];
        }
        for (std::size_t i = 0; i < streams_.size(); ++i) {
            if (streams_[i].key == key) {
                last_ = i;
                streams_[i].last_use = tick_;
                return streams_[i];
            }
        }
        if (streams_.size() >= opts_.max_streams) {  // forget the stream idle longest, after emitting its entry
            auto lru = std::min_element(streams_.begin(), streams_.end(),
                                        [](const stream& a, const stream& b) { return a.last_use < b.last_use; });
            close_entry(*lru, out);
            ++lines_.stats().altered[std::string(reason::stream_evicted)];
            streams_.erase(lru);
        }
        stream st;
        st.key = std::string(key);
        st.service = service_of(key);
        st.last_use = tick_;
        if (opts_.format != log_format::automatic) st.primary = opts_.format;
        streams_.push_back(std::move(st));
        last_ = streams_.size() - 1;
        return streams_.back();
    }

    void close_idle(entry_sink& out) {
        for (auto& st : streams_)
            if (st.open && tick_ - st.last_use >= idle_lines) close_entry(st, out);
    }

    // ---- wrappers: records of Docker, journald, syslog, Loki, ... --------------------------------

    // A record as held for reordering or joining: owned copies of what `detail::wrapped` viewed.
    struct held_record {
        std::string key, channel, ts_text, payload;
        std::optional<time_point> ts;
        std::optional<severity> level;
        std::uint64_t line = 0;
        bool partial = false;
        bool cut = false;  // longer than max_line once joined: the rest was dropped
    };

    void on_wrapped_line(std::string_view line, entry_sink& out) {
        detail::wrapped w;
        wsc_.notes = {};
        if (!detail::unwrap_line(wrap_, line, w, wsc_)) {
            if (wrap_ == wrapper_format::grafana_text && records_ == 0) {
                if (line.starts_with("Common labels: ")) default_key_ = std::string(detail::label_value(line.substr(15)));
                skip(reason::wrapper_meta);
                return;
            }
            // not a record: the rest of a multi-line one (Grafana, logcli) or a line of its own; it goes on the
            // stream of the record before it
            if (newest_first_ && !window_.empty()) {
                auto& held = window_.back().payload;
                if (held.size() + line.size() >= opts_.max_entry_bytes) {
                    skip(reason::continuation_cap);
                    return;
                }
                held += '\n';
                held += line;
                return;
            }
            w.key = last_key_;
            w.payload = line;
        } else if (w.meta) {
            skip(reason::wrapper_meta);
            return;
        } else {
            ++records_;
            if (wsc_.notes.invalid) ++lines_.stats().altered[std::string(reason::invalid_utf8)];
            if (wsc_.notes.nul) ++lines_.stats().altered[std::string(reason::nul_byte)];
            if (w.key.empty()) w.key = default_key_;
            if (w.key != last_key_) last_key_.assign(w.key);
        }
        if (!newest_first_ && !w.partial && partials_.empty()) {
            deliver_lines(w, line_no_, out);  // the common case: no copy
            return;
        }
        held_record r{std::string(w.key),
                      std::string(w.channel),
                      std::string(w.ts_text),
                      std::string(w.payload),
                      w.ts,
                      w.level,
                      line_no_,
                      w.partial};
        if (!newest_first_) {
            deliver(r, out);
            return;
        }
        window_.push_back(std::move(r));
        if (window_.size() >= opts_.reorder_window) flush_window(false, out);
    }

    void finish_wrapper(entry_sink& out) {
        if (!window_.empty() || !carry_.empty()) flush_window(true, out);
        for (auto& p : partials_) {  // split records whose last part never came
            p.partial = false;
            held_record r = std::move(p);
            deliver_lines(r, out);
        }
        partials_.clear();
    }

    // The window holds records newest first: reversed, they are in time order and come before the lines held
    // back from the newer window. A stream's lines before its first header (the tail of an event whose head is
    // older) are held back in turn, so that no event is cut at a window's edge.
    void flush_window(bool final, entry_sink& out) {
        std::vector<held_record> forward;
        forward.reserve(window_.size() + carry_.size());
        for (auto it = window_.rbegin(); it != window_.rend(); ++it) forward.push_back(std::move(*it));
        for (auto& r : carry_) forward.push_back(std::move(r));
        window_.clear();
        carry_.clear();
        std::vector<std::string_view> headed;
        for (auto& r : forward) {
            const bool seen = std::find(headed.begin(), headed.end(), r.key) != headed.end();
            if (!final && !seen && carry_.size() < opts_.max_continuation_lines && is_tail_record(r)) {
                carry_.push_back(std::move(r));
                continue;
            }
            if (!seen) headed.push_back(r.key);
            deliver(r, out);
        }
        for (auto& st : streams_) close_entry(st, out);  // the next window starts every stream with a header
    }

    static bool is_tail_record(const held_record& r) {
        const auto first = std::string_view(r.payload).substr(0, r.payload.find('\n'));
        if (detail::trim_spaces(first).empty()) return true;
        return detail::is_trace_tail_line(first) || first.starts_with("Traceback (most recent call last)") ||
               detail::is_exception_line(first) || detail::is_bare_exception_name(first);
    }

    // Joins split records (docker's 16 KiB pieces, CRI's `P`, journald's partial messages), then delivers.
    void deliver(held_record& r, entry_sink& out) {
        auto slot = std::find_if(partials_.begin(), partials_.end(),
                                 [&](const held_record& p) { return p.key == r.key && p.channel == r.channel; });
        if (slot == partials_.end() && !r.partial) {
            deliver_lines(r, out);
            return;
        }
        if (slot == partials_.end()) {
            if (partials_.size() >= opts_.max_streams) {
                deliver_lines(partials_.front(), out);
                partials_.erase(partials_.begin());
            }
            partials_.push_back(std::move(r));
            return;
        }
        ++lines_.stats().altered[std::string(reason::partial_record)];
        const std::size_t room = opts_.max_line > slot->payload.size() ? opts_.max_line - slot->payload.size() : 0;
        if (r.payload.size() > room && !slot->cut) {
            ++lines_.stats().altered[std::string(reason::overlong_line)];
            slot->cut = true;
        }
        slot->payload.append(r.payload, 0, std::min(room, r.payload.size()));
        if (r.partial) return;
        held_record whole = std::move(*slot);
        partials_.erase(slot);
        deliver_lines(whole, out);
    }

    // A record's payload, line by line, to its container's stream.
    void deliver_lines(const held_record& h, entry_sink& out) {
        detail::wrapped r;
        r.key = h.key;
        r.ts_text = h.ts_text;
        r.ts = h.ts;
        r.payload = h.payload;
        r.level = h.level;
        deliver_lines(r, h.line, out);
    }

    void deliver_lines(const detail::wrapped& r, std::uint64_t line, entry_sink& out) {
        const auto saved_line = line_no_;
        line_no_ = line;
        std::string_view rest = r.payload;
        bool first = true;
        while (true) {
            const auto nl = rest.find('\n');
            auto piece = rest.substr(0, nl);
            if (!piece.empty() && piece.back() == '\r') {
                piece.remove_suffix(1);
                ++lines_.stats().altered[std::string(reason::crlf)];
            }
            if (piece.find('\x1b') != std::string_view::npos) {
                detail::strip_ansi(piece, ansi_);
                piece = ansi_;
                ++lines_.stats().altered[std::string(reason::ansi_escape)];
            }
            detail::compose_line cl;
            cl.container = r.key;
            cl.text = piece;
            cl.docker_ts_text = r.ts_text;
            cl.docker_ts = r.ts;
            cl.wrapper_level = r.level;
            cl.prefixed = !r.key.empty();
            cl.record_rest = !first;
            first = false;
            stream& st = stream_for(r.key, out);
            st.decided_t = true;  // the wrapper's time is the record's; the text keeps its own
            if (detail::trim_spaces(piece).empty()) skip(reason::blank_prefixed);
            else process(st, cl, out);
            if (nl == std::string_view::npos) break;
            rest.remove_prefix(nl + 1);
        }
        line_no_ = saved_line;
    }

    // ---- per-stream folding -------------------------------------------------------------------

    void process(stream& st, const detail::compose_line& cl, entry_sink& out) {
        const std::string_view s = cl.text;
        if (st.open && continue_block(st, s)) return;
        if (!st.open && detail::is_trace_tail_line(s)) {
            open_fragment(st, cl, out);
            return;
        }
        if (opts_.user_format) {
            process_user(st, cl, out);
            return;
        }
        detail::header h;
        const bool known = detail::read_header(s, st.primary, h, &header_memo_);
        if (opts_.format != log_format::automatic) {
            if (known && h.format == opts_.format) {
                open_entry(st, cl, h, true, out);
            } else if (st.open && !starts_block(st, s, out, cl)) {
                append(st, s);
            } else if (!st.open) {
                detail::read_generic(s, h);
                open_entry(st, cl, h, h.level.has_value(), out);
            }
            return;
        }
        if (known) {
            note_format(st, h.format);
            if (h.message.empty() && h.format == log_format::generic) {  // bitnami's `==> ` spacer lines
                close_entry(st, out);
                skip(reason::blank_prefixed);
                return;
            }
            open_entry(st, cl, h, true, out);
            return;
        }
        if (starts_block(st, s, out, cl)) return;
        if (st.open && (cl.record_rest || fold_generic(st, s, h))) {
            append(st, s);
            return;
        }
        const bool own = h.level.has_value();
        if (!h.level) h.level = cl.wrapper_level ? cl.wrapper_level : detail::guess_severity(h.message);
        open_entry(st, cl, h, own, out);
    }

    // Lines that always belong to the entry before them when one is open.
    bool fold_generic(const stream& st, std::string_view s, const detail::header& h) const {
        if (detail::is_blank(s[0])) return true;            // indented continuation, a stack frame
        if (detail::is_exception_epilogue(s)) return true;  // never an event of its own
        if (detail::is_jvm_trace_line(s)) return true;
        if (detail::is_postgres_detail(h.message)) return true;
        if (h.level || h.ts) return false;
        if (st.primary == log_format::redis || detail::has_no_letter(s)) return true;  // banners, ASCII art
        // the second line of a multi-line warning or error of a known format (`Celery Task ID: ...`)
        return st.open_format != log_format::generic && st.entry.level >= severity::warning &&
               st.entry.continuation.empty() && st.entry.exception.empty();
    }

    // Multi-line structures that open (or join) a block: tracebacks, JVM exceptions.
    bool starts_block(stream& st, std::string_view s, entry_sink& out, const detail::compose_line& cl) {
        if (s.starts_with("Traceback (most recent call last)")) {
            if (st.open && joins_exception(st)) {
                append(st, s);
            } else {
                detail::header h;
                h.level = severity::error;
                h.message = s;
                open_entry(st, cl, h, true, out);
            }
            st.state = block::traceback;
            st.tb_final = false;
            return true;
        }
        if (s.starts_with("-----BEGIN ")) {  // a PEM key or certificate printed under its entry: one entry, so
            if (st.open) {                   // that redaction sees the whole block and nothing else
                append(st, s);
            } else {
                detail::header h;
                h.message = s;
                open_entry(st, cl, h, false, out);
            }
            st.state = block::pem;
            return true;
        }
        if (const auto ex = detail::jvm_uncaught(s); !ex.empty()) {
            detail::header h;
            h.level = severity::error;
            h.message = s;
            open_entry(st, cl, h, true, out);
            st.entry.exception = std::string(ex);
            st.state = block::jvm;
            return true;
        }
        if (st.open && joins_exception(st) && st.entry.continuation.empty() && detail::is_exception_line(s)) {
            append(st, s);
            st.entry.exception = std::string(s);
            st.state = block::jvm;
            return true;
        }
        return false;
    }

    // base64 and the RFC 1421 headers of an encrypted key (`Proc-Type: 4,ENCRYPTED`, `DEK-Info: ...`)
    static bool pem_body_line(std::string_view s) {
        if (s.starts_with("Proc-Type:") || s.starts_with("DEK-Info:") || s.starts_with("Comment:")) return true;
        for (const char c : s)
            if (!(detail::is_alpha(c) || detail::is_digit(c) || c == '+' || c == '/' || c == '=' || detail::is_space(c)))
                return false;
        return true;
    }

    // A traceback or exception line right after a warning/error header is that header's stack trace.
    static bool joins_exception(const stream& st) {
        return st.open && st.entry.exception.empty() &&
               (st.entry.level >= severity::warning || st.entry.message.ends_with(':'));
    }

    // Inside a block, lines that continue it; returns false when the block has ended.
    bool continue_block(stream& st, std::string_view s) {
        switch (st.state) {
            case block::none: return false;
            case block::redis_crash: {
                append(st, s);
                if (s.find("=== REDIS BUG REPORT END") != std::string_view::npos) st.state = block::none;
                else if (const auto p = s.find("crashed by signal");
                         p != std::string_view::npos && st.entry.exception.empty())
                    st.entry.exception = std::string(detail::trim_spaces(redis_message(s)));
                else if (const auto q = s.find("ASSERTION FAILED");
                         q != std::string_view::npos && st.entry.exception.empty())
                    st.entry.exception = std::string(detail::trim_spaces(redis_message(s)));
                return true;
            }
            case block::traceback:
                if (detail::is_blank(s[0]) || s.starts_with("Traceback (most recent call last)")) {
                    if (!detail::is_blank(s[0])) st.tb_final = false;
                    append(st, s);
                    return true;
                }
                if (s.starts_with("During handling of the above exception") ||
                    s.starts_with("The above exception was the direct cause")) {
                    append(st, s);
                    return true;
                }
                if (take_final_exception(st, s)) return true;
                if (st.tb_final && detail::is_exception_epilogue(s)) {
                    append(st, s);
                    return true;
                }
                if (st.tb_final && s.starts_with(": ") && detail::is_exception_line(s.substr(2))) {
                    append(st, s);  // py4j: the Java exception behind a Py4JJavaError, its frames follow
                    st.state = block::jvm;
                    return true;
                }
                st.state = block::none;
                return false;
            case block::jvm:
                if (detail::is_jvm_trace_line(s) || detail::is_blank(s[0]) || s.starts_with("Driver stacktrace:")) {
                    append(st, s);
                    const auto t = detail::skip_spaces(s);
                    if (t.starts_with("Caused by: ")) st.entry.exception = std::string(t.substr(11));
                    return true;
                }
                st.state = block::none;
                return false;
            case block::fragment: return continue_fragment(st, s);
            case block::pem:
                if (s.starts_with("-----END ")) st.state = block::none;
                else if (!pem_body_line(s)) {
                    st.state = block::none;
                    return false;
                }
                append(st, s);
                return true;
            case block::minio:
                if (detail::is_minio_block_line(s) || detail::is_blank(s[0])) {
                    append(st, s);
                    if (s.starts_with("Error: ")) {
                        const auto err = detail::trim_spaces(s.substr(7));
                        st.entry.message = std::string(err);
                        st.entry.exception = std::string(err);
                    } else if (s.starts_with("Time: ") && !st.entry.timestamp) {
                        const auto t = detail::read_minio(s.substr(6));
                        if (t.length) {
                            st.entry.timestamp = t.time;
                            st.entry.timestamp_text = std::string(s.substr(6, t.length));
                        }
                    }
                    return true;
                }
                st.state = block::none;
                return false;
        }
        return false;
    }

    // A stream's first lines are the tail of a traceback or stack trace: held as one entry named by the
    // exception it ends with (or dropped when it has none), never a problem of its own.
    void open_fragment(stream& st, const detail::compose_line& cl, entry_sink& out) {
        detail::header h;
        h.level = severity::error;
        h.message = cl.text;
        open_entry(st, cl, h, true, out);
        st.entry.fragment = true;
        st.state = block::fragment;
        if (const auto t = detail::skip_spaces(cl.text); t.starts_with("Caused by: "))
            st.entry.exception = std::string(t.substr(11));
    }

    bool continue_fragment(stream& st, std::string_view s) {
        const auto t = detail::skip_spaces(s);
        if (s.starts_with("Traceback (most recent call last)") && !st.entry.continuation.empty() &&
            detail::is_trace_tail_line(st.entry.continuation.back()) &&
            !detail::is_blank(st.entry.continuation.back()[0])) {
            append(st, s);  // the next traceback of a chain ("During handling of the above exception ...")
            st.state = block::traceback;
            st.tb_final = false;
            return true;
        }
        if (detail::is_trace_tail_line(s)) {
            append(st, s);
            if (t.starts_with("Caused by: ")) st.entry.exception = std::string(t.substr(11));
            return true;
        }
        if (take_final_exception(st, s)) return true;
        st.state = block::none;
        return false;
    }

    // A Python traceback's last line, `Type: message` or a bare type: the exception the entry is named by.
    bool take_final_exception(stream& st, std::string_view s) {
        if (st.tb_final || !(detail::is_exception_line(s) || detail::is_bare_exception_name(s))) return false;
        append(st, s);
        st.entry.exception = std::string(s);
        st.tb_final = true;
        return true;
    }

    // A tail that shows a frame, a `raise` or an epilogue is a trace's; a few indented lines alone may be anything.
    static bool looks_like_trace(const log_entry& e) {
        const auto is_trace = [](std::string_view l) {
            const auto t = detail::skip_spaces(l);
            return t.starts_with("File \"") || t.starts_with("raise ") || t.starts_with("at ") ||
                   (detail::is_trace_tail_line(l) && !detail::is_blank(l[0]));
        };
        return is_trace(e.raw) || std::any_of(e.continuation.begin(), e.continuation.end(), is_trace);
    }

    // The message of a Redis line, or the line itself when it has no Redis header.
    static std::string_view redis_message(std::string_view s) {
        detail::header h;
        return detail::read_redis_line(s, h) ? h.message : s;
    }

    void note_format(stream& st, log_format f) {
        auto& n = st.seen[static_cast<std::size_t>(f)];
        ++n;
        if (st.primary == log_format::automatic || (f != st.primary && n > st.seen[static_cast<std::size_t>(st.primary)]))
            st.primary = f;
    }

    void process_user(stream& st, const detail::compose_line& cl, entry_sink& out) {
        const auto& f = *opts_.user_format;
        if (!f.split(cl.text, fields_)) {
            if (st.open) {
                append(st, cl.text);
            } else {
                detail::header h;
                detail::read_generic(cl.text, h);
                open_entry(st, cl, h, h.level.has_value(), out);
            }
            return;
        }
        const auto& u = user_fields_;
        detail::header h;
        h.format = log_format::user;
        const auto field = [&](const std::optional<std::size_t>& i) { return i ? fields_[*i] : std::string_view{}; };
        if (u.level) h.level = parse_severity(detail::trim_spaces(field(u.level)));
        h.component = field(u.component);
        h.message = u.content ? field(u.content) : cl.text;
        if (u.date && u.time) {
            ts_buf_.assign(field(u.date));
            ts_buf_ += ' ';
            ts_buf_.append(field(u.time));
        } else {
            ts_buf_.assign(field(u.timestamp.has_value() ? u.timestamp : (u.time ? u.time : u.date)));
        }
        const auto t = detail::read_any_timestamp(ts_buf_);
        h.ts = t.time;
        open_entry(st, cl, h, h.level.has_value(), out);
        // ts_text must outlive this call: open_entry copied it already
    }

    void open_entry(stream& st, const detail::compose_line& cl, const detail::header& h, bool own_level, entry_sink& out) {
        close_entry(st, out);
        // Every field is assigned in place: an entry the session let go (below the threshold, most of a busy log)
        // keeps its strings' memory for the next one, so a line costs no allocation.
        log_entry& e = st.entry;
        e.service.assign(st.service);
        e.component.assign(h.component);
        e.level = h.level.value_or(severity::info);
        e.message.assign(h.message);
        e.exception.clear();
        e.continuation.clear();
        e.raw.assign(cl.text);
        e.source.assign(source_.path);
        e.line = line_no_;
        e.fragment = false;
        if (h.format == log_format::user && !ts_buf_.empty()) e.timestamp_text.assign(ts_buf_);
        else e.timestamp_text.assign(h.ts_text);
        e.timestamp = h.ts;
        if (cl.docker_ts) e.timestamp = cl.docker_ts;
        if (e.timestamp_text.empty()) e.timestamp_text = std::string(cl.docker_ts_text);  // syslog's, without a year
        st.open = true;
        st.open_format = h.format;
        st.own_level = own_level;
        st.entry_bytes = cl.text.size();
        st.dropped = 0;
        st.state = h.minio_block ? block::minio : h.redis_bug_report ? block::redis_crash : block::none;
        st.tb_final = false;
    }

    // Without an observer, one well-predicted branch per skipped or continuation line.
    void skip(std::string_view why) {
        ++lines_.stats().skipped[std::string(why)];
        if (observer_) observer_(line_no_, 0, why);
    }

    void append(stream& st, std::string_view s) {
        if (st.entry.continuation.size() >= opts_.max_continuation_lines ||
            st.entry_bytes + s.size() > opts_.max_entry_bytes) {
            ++st.dropped;
            skip(reason::continuation_cap);
            return;
        }
        if (observer_) observer_(line_no_, st.entry.line, {});
        st.entry_bytes += s.size();
        st.entry.continuation.emplace_back(s);
    }

    void close_entry(stream& st, entry_sink& out) {
        if (!st.open) return;
        st.open = false;
        log_entry& e = st.entry;
        if (e.fragment) {
            const std::uint64_t n = 1 + e.continuation.size() + st.dropped;
            if (!e.exception.empty()) {
                lines_.stats().altered[std::string(reason::headless_trace)] += n;
                e.message = e.exception;
            } else if (looks_like_trace(e)) {
                lines_.stats().skipped[std::string(reason::headless_trace)] += n;
                if (observer_) observer_(e.line, 0, reason::headless_trace);  // its continuations then read not-grouped
                st.state = block::none;
                return;
            } else {  // indented lines that are no trace: an ordinary entry
                e.fragment = false;
                e.level = detail::guess_severity(e.message).value_or(severity::info);
            }
        }
        if (!e.exception.empty()) {
            if (!st.own_level && e.level < severity::error) e.level = severity::error;
            // a bare traceback is named by its exception, not by its first line
            if (e.message.starts_with("Traceback (most recent call last)") ||
                e.message.starts_with("=== REDIS BUG REPORT START"))
                e.message = e.exception;
        }
        if (st.dropped)
            e.continuation.push_back("[loglens: " + std::to_string(st.dropped) + " more lines of this entry dropped]");
        st.state = block::none;
        ++lines_.stats().entries;
        out(std::move(e));
    }

    compose_options opts_;
    line_splitter lines_;
    source_info source_;
    std::vector<stream> streams_;
    std::size_t last_ = 0;
    std::string project_;
    std::string sniff_;
    std::size_t sniff_seen_ = 0;  // its size at the last `close_idle`
    std::string ansi_;
    std::string ts_buf_;
    detail::iso_memo docker_memo_, header_memo_;  // the second of the last `-t` stamp, of the last header's
    std::vector<std::string_view> fields_;
    user_fields user_fields_;
    line_observer observer_;
    wrapper_format wrap_ = wrapper_format::none;
    bool newest_first_ = false;
    std::size_t term_width_ = 0;  // the width a terminal cut the lines at, 0 when they were not
    std::string term_line_;       // a line cut at that width, waiting for its next piece
    std::uint64_t term_pieces_ = 0;
    detail::unwrap_scratch wsc_;
    std::vector<held_record> partials_, window_, carry_;
    std::string last_key_, default_key_;
    std::uint64_t records_ = 0;
    bool sniffed_ = false;
    bool binary_ = false;
    bool binary_partial_ = false;
    std::uint64_t line_no_ = 0;
    std::uint64_t tick_ = 0;
};

LOGLENS_NAMESPACE_END
