#pragma once
// UTC time points: the years a timestamp may have, and RFC 3339 text without locale or time-zone state.
// SPDX-License-Identifier: MIT

#include <loglens/core/types.hpp>

#include <chrono>
#include <cstdio>
#include <string>

LOGLENS_NAMESPACE_BEGIN
namespace detail {

/// Years a timestamp read from a log or a report may have. Nanosecond time points span 1678..2262; within
/// 1970..2200 the difference of any two (a run's span, the gap between two problems) fits a nanosecond duration too.
inline constexpr int first_timestamp_year = 1970;
inline constexpr int last_timestamp_year = 2200;

/// `2025-11-03T20:36:40.060Z`: millisecond precision is what people read; the JSON keeps it exact enough.
inline std::string format_rfc3339(time_point t, bool with_millis = true) {
    using namespace std::chrono;
    const auto day = floor<days>(t);
    const year_month_day ymd{day};
    const hh_mm_ss hms{floor<milliseconds>(t - day)};
    char buf[40];
    const int n = with_millis
                      ? std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", static_cast<int>(ymd.year()),
                                      static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                                      static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                                      static_cast<int>(hms.seconds().count()), static_cast<int>(hms.subseconds().count()))
                      : std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02dZ", static_cast<int>(ymd.year()),
                                      static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                                      static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                                      static_cast<int>(hms.seconds().count()));
    return std::string(buf, static_cast<std::size_t>(n > 0 ? n : 0));
}

inline std::string format_rfc3339(const std::optional<time_point>& t) { return t ? format_rfc3339(*t) : std::string{}; }

}  // namespace detail
LOGLENS_NAMESPACE_END
