#pragma once
// Readers for the timestamp layouts of container logs (RFC 3339, log4j, Redis, syslog, Apache, epoch), locale-free.
// SPDX-License-Identifier: MIT

#include <loglens/core/types.hpp>
#include <loglens/detail/ascii.hpp>
#include <loglens/detail/time.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string_view>

LOGLENS_NAMESPACE_BEGIN
namespace detail {

/// A timestamp read at the start of some text: the time (when the text holds a full date) and its length.
struct timestamp_read {
    std::optional<time_point> time;  ///< empty when the layout has no date (a time of day only, syslog's year)
    std::size_t length = 0;          ///< bytes of the text the timestamp took; 0 when none was read
};


/// Reads exactly `n` digits at `s[i]`; -1 when they are not all digits.
inline int read_digits(std::string_view s, std::size_t i, std::size_t n) noexcept {
    if (i + n > s.size()) return -1;
    int v = 0;
    for (std::size_t k = 0; k < n; ++k) {
        const char c = s[i + k];
        if (!is_digit(c)) return -1;
        v = v * 10 + (c - '0');
    }
    return v;
}

/// 1..12 for `Jan`..`Dec` at `s[i]`, 0 otherwise.
inline int read_month_name(std::string_view s, std::size_t i) noexcept {
    // asked of the first word of every line without a known header: three bytes as one number, no compare calls
    constexpr auto key = [](char a, char b, char c) {
        return (static_cast<std::uint32_t>(static_cast<unsigned char>(a)) << 16) |
               (static_cast<std::uint32_t>(static_cast<unsigned char>(b)) << 8) | static_cast<unsigned char>(c);
    };
    static constexpr std::uint32_t keys[12] = {key('J', 'a', 'n'), key('F', 'e', 'b'), key('M', 'a', 'r'),
                                               key('A', 'p', 'r'), key('M', 'a', 'y'), key('J', 'u', 'n'),
                                               key('J', 'u', 'l'), key('A', 'u', 'g'), key('S', 'e', 'p'),
                                               key('O', 'c', 't'), key('N', 'o', 'v'), key('D', 'e', 'c')};
    if (i + 3 > s.size()) return 0;
    const auto k = key(s[i], s[i + 1], s[i + 2]);
    for (int m = 0; m < 12; ++m)
        if (keys[m] == k) return m + 1;
    return 0;
}

/// A civil UTC date and time; nullopt when a field is out of range.
inline std::optional<time_point> make_time(int y, int mo, int d, int h, int mi, int sec, std::int64_t nanos) noexcept {
    using namespace std::chrono;
    if (y < first_timestamp_year || y > last_timestamp_year || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 ||
        sec > 60 || h < 0 || mi < 0 || sec < 0)
        return std::nullopt;
    const year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
    if (!ymd.ok()) return std::nullopt;
    return time_point{sys_days{ymd}} + hours{h} + minutes{mi} + seconds{sec} + nanoseconds{nanos};
}

/// Two-digit years as POSIX `%y` reads them: 69..99 are 1969..1999, 00..68 are 2000..2068.
inline int expand_two_digit_year(int yy) noexcept { return yy >= 69 ? 1900 + yy : 2000 + yy; }

/// An optional `.fff` / `,fff` fraction of a second at `s[i]`, in nanoseconds. Returns its end (`i` when none).
inline std::size_t read_fraction(std::string_view s, std::size_t i, std::int64_t& nanos) noexcept {
    nanos = 0;
    if (i + 1 < s.size() && (s[i] == '.' || s[i] == ',') && is_digit(s[i + 1])) {
        // digits past the ninth (below a nanosecond) are read over and dropped
        static constexpr std::int64_t scale[10] = {1000000000, 100000000, 10000000, 1000000, 100000,
                                                   10000,      1000,      100,      10,      1};
        ++i;
        std::size_t n = 0;
        for (; i < s.size() && is_digit(s[i]); ++i, ++n)
            if (n < 9) nanos = nanos * 10 + (s[i] - '0');
        nanos *= scale[n < 9 ? n : 9];
    }
    return i;
}

/// `HH:MM:SS` at `s[i]`, then an optional `.fff` / `,fff` fraction. Returns the end, or 0 when not there.
inline std::size_t read_clock(std::string_view s, std::size_t i, int& h, int& mi, int& sec, std::int64_t& nanos) noexcept {
    h = read_digits(s, i, 2);
    mi = read_digits(s, i + 3, 2);
    sec = read_digits(s, i + 6, 2);
    if (h < 0 || mi < 0 || sec < 0 || s[i + 2] != ':' || s[i + 5] != ':') return 0;
    return read_fraction(s, i + 8, nanos);
}

/// A zone after a time: `Z`, `+00:00`, `+0000`, `-05`, optionally after one space (` +0000`). Sets the
/// offset in minutes east of UTC and returns the end; returns `i` unchanged when there is none.
inline std::size_t read_zone(std::string_view s, std::size_t i, int& offset_min) noexcept {
    offset_min = 0;
    if (i < s.size() && s[i] == 'Z') return i + 1;
    if (s.substr(i, 4) == " UTC" || s.substr(i, 4) == " GMT") return i + 4;  // PostgreSQL, MinIO
    std::size_t j = i;
    if (j < s.size() && s[j] == ' ') ++j;
    if (j >= s.size() || (s[j] != '+' && s[j] != '-')) return i;
    const int sign = s[j] == '-' ? -1 : 1;
    const int hh = read_digits(s, j + 1, 2);
    if (hh < 0 || hh > 14) return i;
    j += 3;
    int mm = 0;
    if (j < s.size() && s[j] == ':') {
        mm = read_digits(s, j + 1, 2);
        if (mm < 0) return i;
        j += 3;
    } else if (read_digits(s, j, 2) >= 0) {
        mm = read_digits(s, j, 2);
        j += 2;
    }
    if (j < s.size() && is_digit(s[j])) return i;  // not a zone: more digits follow
    offset_min = sign * (hh * 60 + mm);
    return j;
}

inline std::optional<time_point> shift_zone(std::optional<time_point> t, int offset_min) noexcept {
    if (t) *t -= std::chrono::minutes{offset_min};
    return t;
}

/// The clock at `at` on the date `y-mo-d`, then a zone when `zoned`: how most readers below end.
inline timestamp_read clock_on(std::string_view s, std::size_t at, int y, int mo, int d, bool zoned) noexcept {
    int h, mi, sec;
    std::int64_t nanos;
    std::size_t end = read_clock(s, at, h, mi, sec, nanos);
    if (end == 0) return {};
    int off = 0;
    if (zoned) end = read_zone(s, end, off);
    auto t = shift_zone(make_time(y, mo, d, h, mi, sec, nanos), off);
    if (!t) return {};
    return {t, end};
}

/// ISO 8601 / RFC 3339: `2025-11-03T20:36:40.060803460Z`, `2025-11-03 20:36:40,060`, `2025-11-03T20:36:40.060+0000`.
/// A time without zone is taken as UTC (containers run in UTC unless told otherwise).
inline timestamp_read read_iso(std::string_view s) noexcept {
    if (s.size() < 19) return {};
    const int y = read_digits(s, 0, 4), mo = read_digits(s, 5, 2), d = read_digits(s, 8, 2);
    if (y < 0 || mo < 0 || d < 0 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != ' ')) return {};
    return clock_on(s, 11, y, mo, d, true);
}

/// The second the last RFC 3339 stamp read fell in, by its first 19 bytes (`2025-11-03T20:36:40`): the lines of
/// one second, most lines of a busy log, then read only their fraction and zone.
struct iso_memo {
    char key[19]{};
    time_point second{};
    bool valid = false;
};

/// `read_iso` through a memo: the same result, the date and the clock read once a second.
inline timestamp_read read_iso(std::string_view s, iso_memo& memo) noexcept {
    if (s.size() < 19) return {};
    if (!memo.valid || std::memcmp(s.data(), memo.key, 19) != 0) {
        const int y = read_digits(s, 0, 4), mo = read_digits(s, 5, 2), d = read_digits(s, 8, 2);
        const int h = read_digits(s, 11, 2), mi = read_digits(s, 14, 2), sec = read_digits(s, 17, 2);
        if (y < 0 || mo < 0 || d < 0 || h < 0 || mi < 0 || sec < 0 || s[4] != '-' || s[7] != '-' ||
            (s[10] != 'T' && s[10] != ' ') || s[13] != ':' || s[16] != ':')
            return {};
        const auto t = make_time(y, mo, d, h, mi, sec, 0);
        if (!t) return {};
        std::memcpy(memo.key, s.data(), 19);
        memo.second = *t;
        memo.valid = true;
    }
    std::int64_t nanos;
    int off = 0;
    const std::size_t end = read_zone(s, read_fraction(s, 19, nanos), off);
    return {memo.second + std::chrono::nanoseconds{nanos} - std::chrono::minutes{off}, end};
}

/// log4j 1 / Spark default: `25/11/03 20:36:37` (two-digit year).
inline timestamp_read read_log4j_short(std::string_view s) noexcept {
    if (s.size() < 17 || s[2] != '/' || s[5] != '/' || s[8] != ' ') return {};
    const int yy = read_digits(s, 0, 2), mo = read_digits(s, 3, 2), d = read_digits(s, 6, 2);
    if (yy < 0 || mo < 0 || d < 0) return {};
    return clock_on(s, 9, expand_two_digit_year(yy), mo, d, false);
}

/// Redis: `03 Nov 2025 20:36:35.123`.
inline timestamp_read read_redis(std::string_view s) noexcept {
    if (s.size() < 20 || s[2] != ' ' || s[6] != ' ' || s[11] != ' ') return {};
    const int d = read_digits(s, 0, 2), mo = read_month_name(s, 3), y = read_digits(s, 7, 4);
    if (d < 0 || mo == 0 || y < 0) return {};
    return clock_on(s, 12, y, mo, d, false);
}

/// syslog: `Nov  3 20:36:40`. It has no year, so only the length is read (the time stays empty).
inline timestamp_read read_syslog(std::string_view s) noexcept {
    if (s.size() < 15 || read_month_name(s, 0) == 0 || s[3] != ' ') return {};
    const std::size_t dpos = s[4] == ' ' ? 5 : 4;
    int d = read_digits(s, dpos, dpos == 5 ? 1 : 2);
    if (d < 1 || d > 31 || s[dpos + (dpos == 5 ? 1 : 2)] != ' ') return {};
    int h, mi, sec;
    std::int64_t nanos;
    const std::size_t end = read_clock(s, 7, h, mi, sec, nanos);
    if (end == 0) return {};
    return {std::nullopt, end};
}

/// Apache/nginx access: `03/Nov/2025:20:36:40 +0000`.
inline timestamp_read read_clf(std::string_view s) noexcept {
    if (s.size() < 20 || s[2] != '/' || s[6] != '/' || s[11] != ':') return {};
    const int d = read_digits(s, 0, 2), mo = read_month_name(s, 3), y = read_digits(s, 7, 4);
    if (d < 0 || mo == 0 || y < 0) return {};
    return clock_on(s, 12, y, mo, d, true);
}

/// Apache error log / ctime: `Sun Dec 04 04:47:44 2005` (optionally with `.micro` seconds).
inline timestamp_read read_ctime(std::string_view s) noexcept {
    if (s.size() < 24 || s[3] != ' ' || s[7] != ' ' || s[10] != ' ') return {};
    const int mo = read_month_name(s, 4);
    int d = read_digits(s, 8, 2);
    if (d < 0 && s[8] == ' ') d = read_digits(s, 9, 1);
    if (mo == 0 || d < 0) return {};
    int h, mi, sec;
    std::int64_t nanos;
    std::size_t end = read_clock(s, 11, h, mi, sec, nanos);
    if (end == 0 || end >= s.size() || s[end] != ' ') return {};
    const int y = read_digits(s, end + 1, 4);
    if (y < 0) return {};
    auto t = make_time(y, mo, d, h, mi, sec, nanos);
    if (!t) return {};
    return {t, end + 5};
}

/// Unix epoch seconds (10 digits, optional fraction) or milliseconds (13 digits), 2001..2200.
inline timestamp_read read_epoch(std::string_view s) noexcept {
    std::size_t n = 0;
    while (n < s.size() && is_digit(s[n])) ++n;
    if (n != 10 && n != 13) return {};
    if (n < s.size() && s[n] != ' ' && s[n] != '.' && s[n] != '\t' && s[n] != ']' && s[n] != ',') return {};
    std::int64_t v = 0;
    for (std::size_t k = 0; k < n; ++k) v = v * 10 + (s[k] - '0');
    std::int64_t nanos = 0;
    std::size_t end = n;
    if (n == 13) {
        nanos = (v % 1000) * 1000000;
        v /= 1000;
    } else if (end + 1 < s.size() && s[end] == '.' && is_digit(s[end + 1])) {
        ++end;
        std::int64_t scale = 100000000;
        while (end < s.size() && is_digit(s[end])) {
            nanos += (s[end] - '0') * scale;
            scale /= 10;
            ++end;
        }
    }
    if (v < 1000000000 || v > 7258118400) return {};  // 2001-09-09 .. 2200-01-01
    return {time_point{std::chrono::seconds{v}} + std::chrono::nanoseconds{nanos}, end};
}

/// MinIO's error blocks: `20:36:40 UTC 11/03/2025`.
inline timestamp_read read_minio(std::string_view s) noexcept {
    int h, mi, sec;
    std::int64_t nanos;
    const std::size_t end = read_clock(s, 0, h, mi, sec, nanos);
    if (end == 0 || s.substr(end, 5) != " UTC ") return {};
    const std::size_t p = end + 5;
    const int mo = read_digits(s, p, 2), d = read_digits(s, p + 3, 2), y = read_digits(s, p + 6, 4);
    if (mo < 0 || d < 0 || y < 0 || s[p + 2] != '/' || s[p + 5] != '/') return {};
    auto t = make_time(y, mo, d, h, mi, sec, nanos);
    if (!t) return {};
    return {t, p + 10};
}

/// Any of the layouts above at the start of `s` (ISO first: it is the most common and the most specific).
inline timestamp_read read_any_timestamp(std::string_view s) noexcept {
    if (s.empty()) return {};
    if (is_digit(s[0])) {
        if (auto r = read_iso(s); r.length) return r;
        if (auto r = read_log4j_short(s); r.length) return r;
        if (auto r = read_redis(s); r.length) return r;
        if (auto r = read_clf(s); r.length) return r;
        if (auto r = read_epoch(s); r.length) return r;
        return {};
    }
    if (auto r = read_syslog(s); r.length) return r;
    if (auto r = read_ctime(s); r.length) return r;
    return {};
}

}  // namespace detail
LOGLENS_NAMESPACE_END
