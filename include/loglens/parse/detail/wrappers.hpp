#pragma once
// Readers for the layouts that wrap container output (Docker json-file, CRI, journald, syslog, Loki/Grafana exports).
// SPDX-License-Identifier: MIT

#include <loglens/core/severity.hpp>
#include <loglens/parse/detail/formats.hpp>
#include <loglens/parse/detail/json_line.hpp>
#include <loglens/parse/detail/timestamp.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

LOGLENS_NAMESPACE_BEGIN

/// What wraps the containers' own lines in an input; `none` is plain or compose output.
enum class wrapper_format : std::uint8_t {
    none,
    docker_json,    ///< Docker's json-file driver: `{"log":"...\n","stream":"stderr","time":"..."}`
    cri,            ///< Kubernetes node logs (containerd, CRI-O): `2026-05-11T00:12:33.1Z stderr F msg`
    journal_json,   ///< `journalctl -o json`
    journal_short,  ///< `journalctl -o short-iso`: `2026-05-11T00:12:33+0000 host tag[pid]: msg`
    syslog,         ///< RFC 3164 / `journalctl -o short`: `May 11 00:12:33 host tag[pid]: msg`
    syslog5424,     ///< RFC 5424: `<34>1 2026-05-11T00:12:33Z host app procid msgid - msg`
    loki_json,      ///< `logcli query -o jsonl`: `{"labels":{...},"line":"...","timestamp":"..."}`
    loki_text,      ///< `logcli query`: `2026-05-11T00:12:33Z {container="x"} msg`
    grafana_text,   ///< Grafana's "Download logs" text: a header, then `2026-05-11T00:12:33+02:00<TAB>msg`
};

inline constexpr std::string_view to_string(wrapper_format f) noexcept {
    constexpr std::string_view names[] = {"none",   "docker-json", "cri",       "journal-json", "journal-short",
                                          "syslog", "syslog5424",  "loki-json", "loki-text",    "grafana-text"};
    return names[static_cast<std::size_t>(f)];
}

namespace detail {

/// One record of a wrapper, as views into the line or into the reader's scratch buffers.
struct wrapped {
    std::string_view key;      ///< the container or service it names; empty: the source's own
    std::string_view channel;  ///< `stdout`/`stderr`: split records join within one key and channel
    std::string_view ts_text;
    std::optional<time_point> ts;
    std::string_view payload;       ///< the container's text; several lines when it holds `\n`
    std::optional<severity> level;  ///< the wrapper's priority, only where it says something (see journal_json)
    bool partial = false;           ///< the payload goes on in the next record of its key and channel
    bool meta = false;              ///< the wrapper's own line (`-- Boot ... --`, Grafana's header): skipped
};

/// Buffers a reader decodes into; reused from line to line.
struct unwrap_scratch {
    std::string payload;
    std::string key;
    std::string ts_text;
    json_decode_notes notes;
};

inline bool is_level_name(std::string_view w) noexcept { return level_word(w).has_value(); }

/// `tag[pid]: msg`, `tag: msg` (and macOS's `tag[pid] (detail): msg`) after the host. `need_pid` refuses `tag:`
/// (except the kernel's), for layouts whose timestamp alone says too little.
inline bool read_syslog_tag(std::string_view rest, wrapped& w, bool need_pid) noexcept {
    std::size_t n = 0;
    while (n < rest.size() && n <= 128 && rest[n] != '[' && rest[n] != ':' && !is_blank(rest[n])) ++n;
    if (n == 0 || n > 128 || n >= rest.size()) return false;
    auto tag = rest.substr(0, n);
    std::size_t i = n;
    bool pid = false;
    if (rest[i] == '[') {
        const auto e = rest.find(']', i);
        if (e == std::string_view::npos || e == i + 1 || e > i + 12) return false;
        for (std::size_t k = i + 1; k < e; ++k)
            if (!is_digit(rest[k])) return false;
        i = e + 1;
        pid = true;
    }
    if (need_pid && !pid && tag != "kernel") return false;
    if (i < rest.size() && rest[i] == ':') {
        ++i;
    } else if (!(pid && i < rest.size() && rest[i] == ' ')) {
        return false;
    }
    if (i < rest.size() && rest[i] == ' ') ++i;
    if (tag.starts_with("docker/")) tag.remove_prefix(7);  // rsyslog's usual `tag="docker/{{.Name}}"`
    w.key = tag;
    w.payload = rest.substr(i);
    return true;
}

/// `host tag...` after a syslog or journal timestamp and its blank.
inline bool read_host_and_tag(std::string_view rest, wrapped& w, bool need_pid) noexcept {
    if (rest.empty() || rest[0] != ' ') return false;
    rest.remove_prefix(1);
    const auto sp = rest.find(' ');
    if (sp == 0 || sp == std::string_view::npos || sp > 255) return false;
    const auto host = rest.substr(0, sp);
    if (is_level_name(host) || host.front() == '[' || host.back() == ':')
        return false;  // `INFO main: ...` is an app's own line
    return read_syslog_tag(rest.substr(sp + 1), w, need_pid);
}

/// RFC 3164 as files and `journalctl -o short[-precise]` write it, with an optional `<PRI>`.
inline bool read_syslog_record(std::string_view s, wrapped& w) noexcept {
    if (s.starts_with('<')) {
        const auto e = s.find('>');
        if (e == std::string_view::npos || e < 2 || e > 4) return false;
        s.remove_prefix(e + 1);
    }
    const auto t = read_syslog(s);
    if (!t.length) return false;
    w.ts_text = s.substr(0, t.length);
    w.ts = std::nullopt;  // no year: the inner line's own timestamp is used when it has one
    return read_host_and_tag(s.substr(t.length), w, false);
}

/// An RFC 3339 time with a `T` and a zone at the start of `s` (what every wrapper below writes).
inline timestamp_read read_rfc3339(std::string_view s) noexcept {
    if (s.size() < 20 || s[10] != 'T') return {};
    const auto t = read_iso(s);
    if (!t.length) return {};
    const char z = s[t.length - 1];
    if (z != 'Z' && !is_digit(z)) return {};
    if (t.length < 22 && z != 'Z') return {};  // `+0000` or `+00:00` must be there
    return t;
}

/// `journalctl -o short-iso[-precise]`.
inline bool read_journal_short(std::string_view s, wrapped& w) noexcept {
    const auto t = read_rfc3339(s);
    if (!t.length || t.length >= s.size()) return false;
    w.ts_text = s.substr(0, t.length);
    w.ts = t.time;
    return read_host_and_tag(s.substr(t.length), w, true);
}

/// RFC 5424: `<PRI>1 TIMESTAMP HOST APP-NAME PROCID MSGID STRUCTURED-DATA [MSG]`.
inline bool read_syslog5424(std::string_view s, wrapped& w) noexcept {
    if (s.size() < 16 || s[0] != '<') return false;
    const auto e = s.find('>');
    if (e == std::string_view::npos || e < 2 || e > 4 || s.substr(e + 1, 2) != "1 ") return false;
    auto rest = s.substr(e + 3);
    auto field = [&rest]() {
        const auto sp = rest.find(' ');
        const auto f = rest.substr(0, sp);
        rest = sp == std::string_view::npos ? std::string_view{} : rest.substr(sp + 1);
        return f;
    };
    const auto ts = field();
    if (ts != "-") {
        const auto t = read_iso(ts);
        if (t.length != ts.size()) return false;
        w.ts = t.time;
        w.ts_text = ts;
    }
    const auto host = field(), app = field(), procid = field(), msgid = field();
    if (host.empty() || app.empty() || procid.empty() || msgid.empty()) return false;
    if (rest.starts_with('-')) {
        rest.remove_prefix(rest.size() > 1 && rest[1] == ' ' ? 2 : 1);
    } else if (rest.starts_with('[')) {  // structured data: `[id k="v \] w"][id2]`
        std::size_t i = 0;
        while (i < rest.size() && rest[i] == '[') {
            bool quoted = false;
            for (++i; i < rest.size(); ++i) {
                if (rest[i] == '\\') ++i;
                else if (rest[i] == '"') quoted = !quoted;
                else if (rest[i] == ']' && !quoted) break;
            }
            if (i >= rest.size()) return false;
            ++i;
        }
        rest = rest.substr(std::min(rest.size(), i + 1));
    } else if (!rest.empty()) {
        return false;
    }
    if (rest.starts_with("\xEF\xBB\xBF")) rest.remove_prefix(3);  // the BOM RFC 5424 allows before MSG
    w.key = app != "-" ? app : host;
    w.payload = rest;
    return true;
}

/// CRI: `TIMESTAMP stdout|stderr F|P text`; `P` marks a line the runtime split.
inline bool read_cri(std::string_view s, wrapped& w) noexcept {
    const auto t = read_rfc3339(s);
    if (!t.length || s.size() < t.length + 10 || s[t.length] != ' ') return false;
    auto rest = s.substr(t.length + 1);
    if (!rest.starts_with("stdout ") && !rest.starts_with("stderr ")) return false;
    const char tag = rest[7];
    if ((tag != 'F' && tag != 'P') || (rest.size() > 8 && rest[8] != ' ')) return false;
    w.ts_text = s.substr(0, t.length);
    w.ts = t.time;
    w.channel = rest.substr(0, 6);
    w.partial = tag == 'P';
    w.payload = rest.size() > 9 ? rest.substr(9) : std::string_view{};
    return true;
}

/// The value of the first of the usual container labels in Loki's `{k="v", ...}` or `{"k":"v", ...}`.
inline std::string_view label_value(std::string_view labels) noexcept {
    static constexpr std::array<std::string_view, 8> keys = {
        "container", "container_name", "compose_service", "service_name", "service", "app", "pod", "job"};
    std::size_t best = keys.size();
    std::string_view value;
    std::size_t i = 1;
    while (i < labels.size()) {
        while (i < labels.size() && (labels[i] == ' ' || labels[i] == ',')) ++i;
        const bool json = i < labels.size() && labels[i] == '"';
        const std::size_t kb = i + json;
        std::size_t ke = kb;
        while (ke < labels.size() && (is_word_char(labels[ke]) || labels[ke] == '.')) ++ke;
        std::size_t v = ke + json;
        if (v >= labels.size() || labels[v] != (json ? ':' : '=')) break;
        ++v;
        if (v >= labels.size() || labels[v] != '"') break;
        const auto ve = json_string_end(labels, v);
        if (ve == std::string_view::npos) break;
        const auto k = labels.substr(kb, ke - kb);
        for (std::size_t r = 0; r < best; ++r)
            if (keys[r] == k) {
                best = r;
                value = labels.substr(v + 1, ve - v - 2);
            }
        i = ve;
    }
    while (value.starts_with('/')) value.remove_prefix(1);  // docker service discovery's `/name`
    return value;
}

/// `logcli query`: `TIMESTAMP {labels} text`.
inline bool read_loki_text(std::string_view s, wrapped& w) noexcept {
    const auto t = read_rfc3339(s);
    if (!t.length || s.size() < t.length + 4 || s[t.length] != ' ' || s[t.length + 1] != '{') return false;
    const auto lb = t.length + 1;
    if (!is_alpha(s[lb + 1]) && s[lb + 1] != '_' && s[lb + 1] != '}') return false;
    const auto le = s.find("} ", lb);
    const auto labels = s.substr(lb, (le == std::string_view::npos ? s.size() - 1 : le) + 1 - lb);
    if (labels.size() > 2 && labels.find("=\"") == std::string_view::npos) return false;
    w.ts_text = s.substr(0, t.length);
    w.ts = t.time;
    w.key = label_value(labels);
    w.payload = le == std::string_view::npos ? std::string_view{} : s.substr(le + 2);
    return true;
}

/// A row of Grafana's text download: `TIMESTAMP<TAB>text`.
inline bool read_grafana_row(std::string_view s, wrapped& w) noexcept {
    const auto t = read_rfc3339(s);
    if (!t.length || t.length >= s.size() || s[t.length] != '\t') return false;
    w.ts_text = s.substr(0, t.length);
    w.ts = t.time;
    w.payload = s.substr(t.length + 1);
    return true;
}

/// The header Grafana writes before the rows: `Common labels: {...}`, `Line limit: ...`, a blank line.
inline bool is_grafana_header(std::string_view s) noexcept {
    const auto c = s.find(": ");
    if (c == std::string_view::npos || c == 0 || c > 40 || !is_upper(s[0])) return false;
    return std::all_of(s.begin(), s.begin() + static_cast<std::ptrdiff_t>(c),
                       [](char ch) { return is_alpha(ch) || ch == ' '; });
}

/// `journalctl`'s own lines: `-- Logs begin at ...`, `-- Boot 0a1b... --`, `-- No entries --`, `-- Reboot --`.
inline bool is_journal_meta(std::string_view s) noexcept { return s.starts_with("-- ") && s.size() < 200; }

inline std::optional<time_point> epoch_micros(std::string_view v) noexcept {
    // journald's microseconds since the epoch; 2001..2200 keeps the nanosecond time_point from overflowing.
    if (v.size() != 16) return std::nullopt;
    std::int64_t us = 0;
    for (char c : v) {
        if (!is_digit(c)) return std::nullopt;
        us = us * 10 + (c - '0');
    }
    if (us < 1000000000000000 || us > 7258118400000000) return std::nullopt;
    return time_point{std::chrono::microseconds{us}};
}

/// Reads the members a wrapper's JSON record is told by; false when `s` is not such a record.
inline bool read_json_record(wrapper_format f, std::string_view s, wrapped& w, unwrap_scratch& sc) {
    std::string_view payload, ts, key, alt_key, channel, prio, partial, attrs;
    char payload_kind = 0;
    bool container = false;
    const bool ok = for_each_json_member(s, [&](const json_member& m) {
        const auto k = m.key;
        if (f == wrapper_format::docker_json) {
            if (k == "log" && m.kind == '"') payload = m.value, payload_kind = '"';
            else if (k == "time" && m.kind == '"') ts = m.value;
            else if (k == "stream" && m.kind == '"') channel = m.value;
            else if (k == "attrs" && m.kind == '{') attrs = m.value;
        } else if (f == wrapper_format::journal_json) {
            if (k == "MESSAGE" && (m.kind == '"' || m.kind == '[')) payload = m.value, payload_kind = m.kind;
            else if (k == "__REALTIME_TIMESTAMP" && m.kind == '"') ts = m.value;
            else if (k == "CONTAINER_NAME" && m.kind == '"') key = m.value, container = true;
            else if (k == "SYSLOG_IDENTIFIER" && m.kind == '"') alt_key = m.value;
            else if (k == "PRIORITY" && m.kind == '"') prio = m.value;
            else if (k == "CONTAINER_PARTIAL_MESSAGE" && m.kind == '"') partial = m.value;
            else if (k == "CONTAINER_ID" || k == "CONTAINER_ID_FULL") container = true;
        } else {  // loki_json
            if (k == "line" && m.kind == '"') payload = m.value, payload_kind = '"';
            else if (k == "timestamp" && m.kind == '"') ts = m.value;
            else if (k == "labels" && m.kind == '{') attrs = m.value;
        }
        return true;
    });
    if (!ok || payload_kind == 0) return false;
    sc.payload.clear();
    if (payload_kind == '[') {
        if (!json_byte_array(payload, sc.payload, sc.notes)) return false;
    } else {
        json_unescape(payload, sc.payload, sc.notes);
    }
    w.payload = sc.payload;
    if (f == wrapper_format::journal_json) {
        w.ts = epoch_micros(ts);
        if (w.ts) {  // written as RFC 3339 so the report shows a readable time
            const auto secs = std::chrono::floor<std::chrono::seconds>(*w.ts);
            const auto dp = std::chrono::floor<std::chrono::days>(secs);
            const std::chrono::year_month_day ymd{dp};
            const std::chrono::hh_mm_ss hms{secs - dp};
            char buf[40];
            const auto us = (w.ts->time_since_epoch().count() / 1000) % 1000000;
            const int n = std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02ld:%02ld:%02ld.%06lldZ", int(ymd.year()),
                                        unsigned(ymd.month()), unsigned(ymd.day()), long(hms.hours().count()),
                                        long(hms.minutes().count()), long(hms.seconds().count()),
                                        static_cast<long long>(us));
            sc.ts_text.assign(buf, static_cast<std::size_t>(std::max(n, 0)));
            w.ts_text = sc.ts_text;
        }
        w.key = key.empty() ? alt_key : key;
        w.partial = partial == "true";
        // docker's journald driver writes every stderr line at priority 3: only other sources' priority counts
        if (!container && prio.size() == 1 && prio[0] >= '0' && prio[0] <= '7') {
            constexpr severity by_prio[] = {severity::critical, severity::critical, severity::critical, severity::error,
                                            severity::warning,  severity::notice,   severity::info,     severity::debug};
            w.level = by_prio[prio[0] - '0'];
        }
        return true;
    }
    const auto t = read_iso(ts);
    if (t.length == ts.size() && t.length) {
        w.ts = t.time;
        w.ts_text = ts;
    }
    w.channel = channel;
    if (f == wrapper_format::docker_json) {
        if (!attrs.empty()) {  // `--log-opt labels=...` / `tag=...`
            std::string_view svc, tag;
            for_each_json_member(attrs, [&](const json_member& m) {
                if (m.kind == '"' && m.key == "com.docker.compose.service") svc = m.value;
                else if (m.kind == '"' && m.key == "tag") tag = m.value;
                return true;
            });
            w.key = svc.empty() ? tag : svc;
        }
        // a line longer than 16 KiB comes in records without the final newline
        if (!w.payload.empty() && w.payload.back() == '\n') w.payload.remove_suffix(1);
        else w.partial = true;
    } else {
        w.key = label_value(attrs);
    }
    return true;
}

/// rsyslog writes control characters as `#` and three octal digits (`#011` a tab, `#012` a newline): undone.
inline void unescape_rsyslog(wrapped& w, unwrap_scratch& sc) {
    const auto p = w.payload.find("#0");
    if (p == std::string_view::npos) return;
    sc.payload.assign(w.payload.substr(0, p));
    const auto s = w.payload;
    for (std::size_t i = p; i < s.size(); ++i) {
        if (s[i] == '#' && i + 3 < s.size() && s[i + 1] >= '0' && s[i + 1] <= '1' && s[i + 2] >= '0' && s[i + 2] <= '7' &&
            s[i + 3] >= '0' && s[i + 3] <= '7') {
            const int v = (s[i + 1] - '0') * 64 + (s[i + 2] - '0') * 8 + (s[i + 3] - '0');
            if (v < 32 && v != 0) {
                sc.payload += static_cast<char>(v);
                i += 3;
                continue;
            }
        }
        sc.payload += s[i];
    }
    w.payload = sc.payload;
}

/// Reads one line of input in the layout `f`. False when the line is not in that layout.
inline bool unwrap_line(wrapper_format f, std::string_view s, wrapped& w, unwrap_scratch& sc) {
    w = wrapped{};
    switch (f) {
        case wrapper_format::none: return false;
        case wrapper_format::docker_json:
        case wrapper_format::journal_json:
        case wrapper_format::loki_json: return !s.empty() && s[0] == '{' && read_json_record(f, s, w, sc);
        case wrapper_format::cri: return read_cri(s, w);
        case wrapper_format::journal_short:
            if (is_journal_meta(s)) return w.meta = true;
            return read_journal_short(s, w);
        case wrapper_format::syslog:
            if (is_journal_meta(s)) return w.meta = true;
            if (!read_syslog_record(s, w)) return false;
            unescape_rsyslog(w, sc);
            return true;
        case wrapper_format::syslog5424:
            if (!read_syslog5424(s, w)) return false;
            unescape_rsyslog(w, sc);
            return true;
        case wrapper_format::loki_text: return read_loki_text(s, w);
        case wrapper_format::grafana_text: return read_grafana_row(s, w);
    }
    return false;
}

/// How the first lines of an input are wrapped: the layout most of them are in (at least 60% of the lines
/// that are not the wrapper's own headers), or `none`. Sets `newest_first` when the records go back in time.
inline wrapper_format sniff_wrapper(std::string_view text, bool at_end, bool& newest_first) {
    constexpr std::size_t max_lines = 24;
    static constexpr wrapper_format kinds[] = {
        wrapper_format::docker_json, wrapper_format::journal_json, wrapper_format::loki_json,
        wrapper_format::cri,         wrapper_format::syslog5424,   wrapper_format::journal_short,
        wrapper_format::loki_text,   wrapper_format::grafana_text, wrapper_format::syslog};
    std::array<std::size_t, std::size(kinds)> hits{}, back{}, forth{};
    std::array<std::optional<time_point>, std::size(kinds)> last{};
    std::size_t lines = 0;
    bool grafana_header = false;
    unwrap_scratch sc;
    wrapped w;
    while (lines < max_lines && !text.empty()) {
        const auto nl = text.find('\n');
        if (nl == std::string_view::npos && !at_end) break;  // a cut line says nothing
        auto line = text.substr(0, nl);
        text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (trim_spaces(line).empty() || is_journal_meta(line)) continue;
        if (lines == 0 && is_grafana_header(line) && line.starts_with("Common labels: ")) grafana_header = true;
        if (grafana_header && hits[7] == 0 && is_grafana_header(line)) continue;
        ++lines;
        for (std::size_t k = 0; k < std::size(kinds); ++k) {
            if (!unwrap_line(kinds[k], line, w, sc) || w.meta) continue;
            ++hits[k];
            if (w.ts && last[k]) {
                if (*w.ts < *last[k]) ++back[k];
                else if (*w.ts > *last[k]) ++forth[k];
            }
            if (w.ts) last[k] = w.ts;
        }
    }
    if (lines == 0 && !at_end) {  // one record longer than the window: its opening tells
        if (text.starts_with("{\"log\":\"")) return wrapper_format::docker_json;
        if (text.starts_with("{\"__CURSOR\":\"") || text.starts_with("{\"__REALTIME_TIMESTAMP\":\""))
            return wrapper_format::journal_json;
    }
    std::size_t best = 0;
    for (std::size_t k = 1; k < std::size(kinds); ++k)
        if (hits[k] > hits[best]) best = k;
    if (lines == 0 || hits[best] * 10 < lines * 6) return wrapper_format::none;
    // Loki and Grafana list the newest first unless told otherwise; equal times (Grafana keeps seconds) say nothing
    const bool export_kind = kinds[best] == wrapper_format::loki_json || kinds[best] == wrapper_format::loki_text ||
                             kinds[best] == wrapper_format::grafana_text;
    newest_first = back[best] > forth[best] || (export_kind && back[best] == forth[best]);
    return kinds[best];
}

}  // namespace detail
LOGLENS_NAMESPACE_END
