#pragma once
// Recognises the variable parts of log text (numbers, addresses, ids, paths, times, sizes) without regex.
// SPDX-License-Identifier: MIT

#include <loglens/detail/ascii.hpp>

#include <array>
#include <cstdint>
#include <string_view>

LOGLENS_NAMESPACE_BEGIN
namespace detail {

/// What kind of variable a piece of text is; `none` means it is part of the template.
enum class var_kind : std::uint8_t {
    none,
    num,        ///< 42, -3.5, 1e9
    hex,        ///< 0x7f3a, or a long run of hex digits
    ipv4,       ///< 10.0.0.1, 10.0.0.1:8080
    ipv6,       ///< fe80::1, [::1]:80
    mac,        ///< 00:1b:44:11:3a:b7
    uuid,       ///< 123e4567-e89b-12d3-a456-426614174000
    path,       ///< /opt/airflow/dags/x.py, C:\Windows\x.dll
    url,        ///< https://host/x?y
    host_port,  ///< proxy.example.org:5070
    duration,   ///< 5ms, 3.2s, 00:01 (also `<1 sec`)
    size,       ///< 10MB, 1.5 KiB, 450 bytes
    time,       ///< 12:30:45, 12:30:45.123
    date,       ///< 2025-11-03, 2025/11/03, 2025-11-03T20:36:40Z
    block_id,   ///< blk_-123456
    task_id,    ///< attempt_..., task_..., container_..., application_..., job_...
    quoted,     ///< a quoted value of key="..."
    kv_value,   ///< the value of key=value
    other,      ///< anything else that carries a digit
};

inline constexpr std::string_view var_kind_names[] = {
    "<*>",   "<NUM>",  "<HEX>",  "<IP>",   "<IP>",  "<MAC>", "<UUID>", "<PATH>", "<URL>", "<HOST>",
    "<DUR>", "<SIZE>", "<TIME>", "<DATE>", "<BLK>", "<ID>",  "<STR>",  "<*>",    "<*>",
};

constexpr std::string_view name_of(var_kind k) noexcept { return var_kind_names[static_cast<std::size_t>(k)]; }


constexpr bool has_digit(std::string_view s) noexcept {
    for (char c : s)
        if (is_digit(c)) return true;
    return false;
}

constexpr bool all_of_digits(std::string_view s) noexcept {
    if (s.empty()) return false;
    for (char c : s)
        if (!is_digit(c)) return false;
    return true;
}

constexpr bool starts_with_icase(std::string_view s, std::string_view p) noexcept {
    if (s.size() < p.size()) return false;
    for (std::size_t i = 0; i < p.size(); ++i) {
        char a = s[i];
        if (a >= 'A' && a <= 'Z') a = static_cast<char>(a + 32);
        if (a != p[i]) return false;
    }
    return true;
}

constexpr bool iequal(std::string_view a, std::string_view b) noexcept {
    return a.size() == b.size() && starts_with_icase(a, b);
}

/// Length of a decimal number at the start of `s` (sign, digits, fraction, exponent); 0 if none.
constexpr std::size_t number_prefix(std::string_view s) noexcept {
    std::size_t i = 0;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
    const std::size_t d0 = i;
    while (i < s.size() && is_digit(s[i])) ++i;
    if (i == d0) return 0;
    if (i + 1 < s.size() && s[i] == '.' && is_digit(s[i + 1])) {
        ++i;
        while (i < s.size() && is_digit(s[i])) ++i;
    }
    if (i + 1 < s.size() && (s[i] == 'e' || s[i] == 'E') && (is_digit(s[i + 1]) || s[i + 1] == '-' || s[i + 1] == '+')) {
        std::size_t j = i + 1;
        if (s[j] == '-' || s[j] == '+') ++j;
        const std::size_t e0 = j;
        while (j < s.size() && is_digit(s[j])) ++j;
        if (j > e0) i = j;
    }
    return i;
}

// Units that make a number a size or a duration (compared case-blind).
inline constexpr std::string_view size_units[] = {"b",    "kb",   "mb",  "gb",  "tb",     "pb",    "k",     "m",
                                                  "g",    "kib",  "mib", "gib", "tib",    "byte",  "bytes", "kbps",
                                                  "mbps", "gbps", "bps", "%",   "kbytes", "mbytes"};
inline constexpr std::string_view duration_units[] = {
    "ns",  "us",   "µs",     "ms",      "s",    "sec",   "secs",         "second",       "seconds",
    "min", "mins", "minute", "minutes", "h",    "hr",    "hrs",          "hour",         "hours",
    "d",   "day",  "days",   "millis",  "msec", "msecs", "milliseconds", "microseconds", "nanoseconds"};

/// A unit word after a number: `size` or `duration`, else `none`. Case-insensitive, common spellings only.
constexpr var_kind unit_kind(std::string_view u) noexcept {
    if (u.empty() || u.size() > 12) return var_kind::none;
    const char c0 = static_cast<char>(u[0] | 0x20);
    for (auto s : size_units)
        if (s.size() == u.size() && s[0] == c0 && iequal(u, s)) return var_kind::size;
    for (auto d : duration_units)
        if (d.size() == u.size() && (d[0] == c0 || d[0] == '\xc2') && iequal(u, d)) return var_kind::duration;
    return var_kind::none;
}

constexpr bool is_ipv4(std::string_view s) noexcept {
    int parts = 0;
    std::size_t i = 0;
    while (true) {
        std::size_t d = 0;
        while (i < s.size() && is_digit(s[i]) && d < 4) ++i, ++d;
        if (d == 0 || d > 3) return false;
        ++parts;
        if (parts == 4) break;
        if (i >= s.size() || s[i] != '.') return false;
        ++i;
    }
    if (i == s.size()) return true;
    if (s[i] == ':' || s[i] == '/') return all_of_digits(s.substr(i + 1));  // port or CIDR prefix
    return false;
}

constexpr bool is_ipv6_or_mac(std::string_view s, bool& mac) noexcept {
    if (!s.empty() && s.front() == '[') {  // [::1]:80
        const auto close = s.find(']');
        if (close == std::string_view::npos) return false;
        auto rest = s.substr(close + 1);
        if (!rest.empty() && !(rest.front() == ':' && all_of_digits(rest.substr(1)))) return false;
        s = s.substr(1, close - 1);
    }
    int colons = 0, group_len = 0, max_group = 0;
    bool double_colon = false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (c == ':') {
            ++colons;
            if (i > 0 && s[i - 1] == ':') double_colon = true;
            group_len = 0;
        } else if (is_hex(c)) {
            if (++group_len > 4) return false;
            if (group_len > max_group) max_group = group_len;
        } else if (c == '.') {
            // an embedded IPv4 tail (::ffff:10.0.0.1)
            const auto tail_start = s.rfind(':', i);
            return colons >= 2 && tail_start != std::string_view::npos && is_ipv4(s.substr(tail_start + 1));
        } else {
            return false;
        }
    }
    mac = colons == 5 && !double_colon && s.size() == 17;
    return colons >= 2 && (double_colon || colons == 7 || mac);
}

constexpr bool is_uuid(std::string_view s) noexcept {
    if (s.size() != 36) return false;
    for (std::size_t i = 0; i < 36; ++i) {
        const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? s[i] != '-' : !is_hex(s[i])) return false;
    }
    return true;
}

/// hh:mm, hh:mm:ss, hh:mm:ss.fff, hh:mm:ss,fff (also mm:ss durations like `00:01`).
constexpr bool is_clock(std::string_view s) noexcept {
    std::size_t i = 0;
    int fields = 0;
    while (true) {
        std::size_t d = 0;
        while (i < s.size() && is_digit(s[i])) ++i, ++d;
        if (d == 0 || d > 2 + (fields == 0 ? 1 : 0)) return false;
        ++fields;
        if (i == s.size()) return fields >= 2;
        if (s[i] == ':' && fields < 3) {
            ++i;
            continue;
        }
        if ((s[i] == '.' || s[i] == ',') && fields >= 2) return all_of_digits(s.substr(i + 1));
        return false;
    }
}

/// yyyy-mm-dd or yyyy/mm/dd, optionally followed by `T`/`-`/`_` and a clock and a zone.
constexpr bool is_date(std::string_view s) noexcept {
    if (s.size() < 8 || !is_digit(s[0])) return false;
    std::size_t i = 0;
    while (i < s.size() && is_digit(s[i])) ++i;
    if (i != 4 && i != 2) return false;
    if (i >= s.size() || (s[i] != '-' && s[i] != '/' && s[i] != '.')) return false;
    const char sep = s[i];
    std::size_t j = i + 1, d = 0;
    while (j < s.size() && is_digit(s[j])) ++j, ++d;
    if (d == 0 || d > 2 || j >= s.size() || s[j] != sep) return false;
    std::size_t k = j + 1, e = 0;
    while (k < s.size() && is_digit(s[k])) ++k, ++e;
    if (e == 0 || e > 4) return false;
    if (k == s.size()) return true;
    // a date glued to a time: the rest must be only digits and clock punctuation or a zone
    for (std::size_t m = k; m < s.size(); ++m) {
        const char c = s[m];
        if (!(is_digit(c) || c == 'T' || c == 'Z' || c == ':' || c == '.' || c == ',' || c == '-' || c == '+' || c == '_'))
            return false;
    }
    return true;
}

constexpr bool is_host_port(std::string_view s) noexcept {
    const auto colon = s.rfind(':');
    if (colon == std::string_view::npos || colon == 0 || !all_of_digits(s.substr(colon + 1))) return false;
    bool dot = false;
    for (std::size_t i = 0; i < colon; ++i) {
        const char c = s[i];
        if (c == '.') dot = true;
        else if (!(is_alpha(c) || is_digit(c) || c == '-' || c == '_')) return false;
    }
    return dot || s.substr(0, colon) == "localhost";
}

constexpr bool is_path(std::string_view s) noexcept {
    if (s.size() < 2) return false;
    if (s[0] == '/' && s[1] != '/') return true;
    if (s.starts_with("./") || s.starts_with("../") || s.starts_with("~/")) return true;
    if (s.size() >= 3 && is_alpha(s[0]) && s[1] == ':' && s[2] == '\\') return true;
    return s.find('\\') != std::string_view::npos && s.find(' ') == std::string_view::npos;
}

constexpr bool is_url(std::string_view s) noexcept {
    const auto p = s.find("://");
    if (p == std::string_view::npos || p == 0 || p + 3 >= s.size()) return false;
    for (std::size_t i = 0; i < p; ++i)
        if (!(is_alpha(s[i]) || s[i] == '+' || s[i] == '-' || s[i] == '.')) return false;
    return true;
}

inline constexpr std::string_view task_id_prefixes[] = {"attempt_",     "task_",       "container_",
                                                        "application_", "appattempt_", "job_"};

constexpr bool is_task_id(std::string_view s) noexcept {
    for (auto p : task_id_prefixes)
        if (s.starts_with(p) && s.size() > p.size() && is_digit(s[p.size()])) return true;
    return false;
}

// Month, weekday and time-zone names grouped by their first letter, so a word is compared with a handful at most.
inline constexpr std::string_view date_words_by_letter[26][9] = {
    /*A*/ {"Apr", "Aug", "April", "August"},
    /*B*/ {"BST"},
    /*C*/ {"CST", "CDT", "CET", "CEST"},
    /*D*/ {"Dec", "December"},
    /*E*/ {"EST", "EDT"},
    /*F*/ {"Fri", "Feb", "Friday", "February"},
    /*G*/ {"GMT"},
    /*H*/ {},
    /*I*/ {"IST"},
    /*J*/ {"Jan", "Jun", "Jul", "January", "June", "July", "JST"},
    /*K*/ {},
    /*L*/ {},
    /*M*/ {"Mon", "Mar", "May", "Monday", "March", "MST", "MDT", "MSK"},
    /*N*/ {"Nov", "November"},
    /*O*/ {"Oct", "October"},
    /*P*/ {"PST", "PDT"},
    /*Q*/ {},
    /*R*/ {},
    /*S*/ {"Sat", "Sun", "Sep", "Sept", "Saturday", "Sunday", "September"},
    /*T*/ {"Tue", "Thu", "Tuesday", "Thursday"},
    /*U*/ {"UTC"},
    /*V*/ {},
    /*W*/ {"Wed", "Wednesday"},
    /*X*/ {},
    /*Y*/ {},
    /*Z*/ {},
};

/// Month, weekday and time-zone names: the words of a written-out date (`Fri Jun 17 20:55:07 PDT 2005`).
/// Capitalised spellings only, so the verb `may` stays a word.
constexpr bool is_date_word(std::string_view s) noexcept {
    if (s.size() < 3 || s.size() > 9 || !(s[0] >= 'A' && s[0] <= 'Z')) return false;
    for (auto n : date_words_by_letter[s[0] - 'A']) {
        if (n.empty()) return false;
        if (n == s) return true;
    }
    return false;
}

/// A lower-case DNS name with at least three labels (`ns1.example.org`): a host, hence a value.
constexpr bool is_hostname(std::string_view s) noexcept {
    int dots = 0;
    std::size_t label = 0, last_start = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (c == '.') {
            if (label == 0) return false;
            ++dots;
            label = 0;
            last_start = i + 1;
        } else if ((c >= 'a' && c <= 'z') || is_digit(c) || c == '-') {
            ++label;
        } else {
            return false;
        }
    }
    if (dots < 2 || label < 2 || label > 6) return false;
    for (std::size_t i = last_start; i < s.size(); ++i)
        if (!(s[i] >= 'a' && s[i] <= 'z')) return false;
    return true;
}

/// Character classes for one table lookup per byte on the hot path.
enum char_bits : std::uint8_t {
    cb_space = 1,
    cb_delim = 2,
    cb_digit = 4,
    cb_colon = 8,
    cb_slash = 16,
    cb_backslash = 32,
    cb_dot = 64
};

inline constexpr auto char_table = [] {
    std::array<std::uint8_t, 256> t{};
    for (int c = 0; c < 256; ++c) {
        const char ch = static_cast<char>(c);
        std::uint8_t b = 0;
        if (is_space(ch)) b |= cb_space;
        if (is_digit(ch)) b |= cb_digit;
        switch (ch) {
            case '=':
            case ',':
            case ';':
            case '(':
            case ')':
            case '[':
            case ']':
            case '{':
            case '}':
            case '"':
            case '\'':
            case '<':
            case '>':
            case '|': b |= cb_delim; break;
            case ':': b |= cb_colon; break;
            case '/': b |= cb_slash; break;
            case '\\': b |= cb_backslash; break;
            case '.': b |= cb_dot; break;
            default: break;
        }
        t[static_cast<std::size_t>(c)] = b;
    }
    return t;
}();

constexpr std::uint8_t char_class(char c) noexcept { return char_table[static_cast<unsigned char>(c)]; }

/// The union of the classes of the characters of `s`.
constexpr unsigned classes_of(std::string_view s) noexcept {
    unsigned f = 0;
    for (char c : s) f |= char_class(c);
    return f;
}

constexpr var_kind classify_atom(std::string_view s, unsigned flags) noexcept;

/// Classifies one atom (text between spaces and structural punctuation). Trailing sentence dots are ignored.
/// Atoms that are not recognised but carry a digit are `other`: in logs, a token with a digit in it is
/// almost always a value (ids, counters, versions), never the wording of a message.
constexpr var_kind classify_atom(std::string_view s) noexcept { return classify_atom(s, classes_of(s)); }

/// The same, given `classes_of(s)` (or a superset of it) already computed by the caller while scanning.
constexpr var_kind classify_atom(std::string_view s, unsigned flags) noexcept {
    while (s.size() > 1 && (s.back() == '.' || s.back() == ':')) s.remove_suffix(1);
    if (s.empty()) return var_kind::none;
    const bool digit = flags & cb_digit, colon = flags & cb_colon, slash = flags & cb_slash,
               backslash = flags & cb_backslash;
    if (!digit) {
        if (!colon && !slash && !backslash) {
            if (!(flags & cb_dot)) return var_kind::none;
            int dot = 0;
            for (char c : s) dot += c == '.';
            return dot > 1 && is_hostname(s) ? var_kind::host_port : var_kind::none;
        }
        if (is_url(s)) return var_kind::url;
        if (is_path(s)) return var_kind::path;
        bool mac = false;
        if (s.find("::") != std::string_view::npos && is_ipv6_or_mac(s, mac)) return var_kind::ipv6;
        return var_kind::none;
    }
    const char c0 = s[0];
    if (is_digit(c0)) {
        if (s.size() > 2 && c0 == '0' && (s[1] == 'x' || s[1] == 'X')) return var_kind::hex;
        if (s.size() == 36 && is_uuid(s)) return var_kind::uuid;
        if (is_ipv4(s)) return var_kind::ipv4;
        if (is_date(s)) return var_kind::date;
    } else {
        if (c0 == 'b' && s.starts_with("blk_")) return var_kind::block_id;
        if ((c0 == 'a' || c0 == 't' || c0 == 'c' || c0 == 'j') && is_task_id(s)) return var_kind::task_id;
        if (colon && is_url(s)) return var_kind::url;
        if (s.size() == 36 && is_uuid(s)) return var_kind::uuid;
    }
    if (colon) {
        if (is_clock(s)) return var_kind::time;
        bool mac = false;
        if (is_ipv6_or_mac(s, mac)) return mac ? var_kind::mac : var_kind::ipv6;
    }
    if ((slash || backslash) && is_path(s)) return var_kind::path;
    if (colon && is_host_port(s)) return var_kind::host_port;
    if (const auto n = number_prefix(s); n > 0) {
        if (n == s.size()) return var_kind::num;
        const auto u = unit_kind(s.substr(n));
        if (u != var_kind::none) return u;
    }
    return var_kind::other;
}

}  // namespace detail
LOGLENS_NAMESPACE_END
