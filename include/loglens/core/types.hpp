#pragma once
// The values that flow between stages: log entries, groups of entries, and the analysis of a group.
// SPDX-License-Identifier: MIT

#include <loglens/core/severity.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

LOGLENS_NAMESPACE_BEGIN

/// UTC time with nanosecond resolution (docker's `-t` timestamps carry nanoseconds).
using time_point = std::chrono::sys_time<std::chrono::nanoseconds>;

/// The time a live run is told (`tick`, `close_idle`): steady, and free to run fast-forward in tests and benchmarks.
using live_time = std::chrono::steady_clock::time_point;

/// One real event of a log: a header line plus the lines that belong to it (a traceback, a stack trace, ...).
struct log_entry {
    std::string service;                  ///< compose service or file stem: `airflow-scheduler`, `redis`
    std::string component;                ///< logger/class/module within the service: `dagbag.py`, `NativeCodeLoader`
    std::optional<time_point> timestamp;  ///< UTC; empty when the line had none that could be read
    std::string timestamp_text;           ///< the timestamp exactly as written
    severity level = severity::info;
    std::string message;    ///< the header line's message, without prefix, timestamp and level
    std::string exception;  ///< for tracebacks: the final `Type: text` line (Python) or the root cause (JVM)
    std::vector<std::string> continuation;  ///< the lines after the header (traceback, stack trace, block)
    std::string raw;                        ///< the header line as written, compose prefix removed
    std::string source;                     ///< input file path, or `<stdin>`
    std::uint64_t line = 0;                 ///< 1-based number of the header line in `source`
    /// The tail of a traceback or stack trace whose head is not in the input (an excerpt, a `--since` window, a
    /// rotated file): `message` is the exception it ends with.
    bool fragment = false;
};

/// Where a stream of bytes comes from, given to a parser before its first chunk.
struct source_info {
    std::string path;     ///< as the user named it; `<stdin>` for standard input
    std::string service;  ///< a service name to assume when the lines carry none (from the file name)
};

/// What ingestion read, and everything it skipped or altered, counted by reason so reports can say so.
struct ingest_stats {
    std::uint64_t bytes = 0;
    std::uint64_t lines = 0;
    std::uint64_t entries = 0;
    std::map<std::string, std::uint64_t> skipped;  ///< reason -> lines dropped (e.g. "blank", "compose-meta")
    std::map<std::string, std::uint64_t> altered;  ///< reason -> lines changed (e.g. "invalid-utf8", "truncated")

    ingest_stats& operator+=(const ingest_stats& o) {
        bytes += o.bytes;
        lines += o.lines;
        entries += o.entries;
        for (const auto& [k, v] : o.skipped) skipped[k] += v;
        for (const auto& [k, v] : o.altered) altered[k] += v;
        return *this;
    }
};

/// One value a template's variable took, and how often.
struct param_value {
    std::string value;
    std::uint64_t count = 0;
};

/// The values seen at one variable position of a template (a bounded sample: the most frequent first).
struct param_stats {
    std::string name;  ///< `<*>`, or a mask kind such as `<NUM>`, `<PATH>`
    std::vector<param_value> values;
    std::uint64_t distinct_dropped = 0;  ///< distinct values not kept because the sample was full
    /// The linear-counting sketch (32 words) of the values not kept, so parts of a log merge exactly; empty: none
    std::vector<std::uint64_t> sketch;
};

/// A template: every entry that is "the same problem", with bounded memory whatever the count.
struct log_group {
    std::string id;                    ///< stable across runs and hosts: see `assign_identity` (group/identity.hpp)
    std::vector<std::string> aliases;  ///< ids of the narrower templates this one absorbed, for matching runs
    std::string service;               ///< the service of the entries (the first one's, for mixed groups)
    std::string component;
    severity level = severity::info;  ///< the highest severity seen in the group
    std::string template_text;        ///< the message with variables replaced by `<*>` or a mask
    std::string exception;            ///< the exception shared by the group's entries, if any
    std::uint64_t count = 0;
    std::optional<time_point> first_seen;
    std::optional<time_point> last_seen;
    std::vector<log_entry> samples;   ///< a few representative entries (first, last, distinct variants)
    std::vector<param_stats> params;  ///< one per variable position, in template order
    /// Occurrence times for timelines: all of them up to a bound, then thinned evenly (every 2nd, 4th, ...).
    std::vector<time_point> occurrences;
};

/// A group as a snapshot shows it: what a live view and the analysis stage need to tell what changed, without
/// the samples, values and timelines that `groups()` copies.
struct group_digest {
    std::string id;  ///< as `groups()` gives it: when the id changes, the group's identity changed
    std::string service;
    std::string template_text;
    std::string exception;
    severity level = severity::info;
    std::uint64_t count = 0;
    std::optional<time_point> first_seen;
    std::optional<time_point> last_seen;
    std::size_t key = 0;  ///< the grouper's key of the group, to export it whole (`group(digest)`)
};

/// Every group of a grouper at one moment, in the order of `groups()`. A value: it stays valid while the grouper
/// is fed on.
struct group_snapshot {
    std::vector<group_digest> groups;
    std::uint64_t entries = 0;  ///< entries filed so far
};

/// What an analyser concluded about one group.
struct analysis {
    classification verdict = classification::info;
    std::string description;
    std::string root_cause;
    std::vector<std::string> recommendations;
    double confidence = 0.0;  ///< 0..1
    analysis_source source = analysis_source::none;
    bool benign = false;          ///< known harmless noise: reported apart from problems, never dropped
    std::string signature;        ///< the knowledge-base signature that matched, if any
    std::string error;            ///< why the LLM could not explain this group, if it failed
    std::string reason;           ///< why the judgement calls the group a problem ("logged at INFO, but: ...")
    std::string duplicate_of;     ///< id of the group whose failure this one restates (reported with it, not apart)
    bool flagged_by_llm = false;  ///< logged below the threshold, and a problem because the LLM triage said so
};

LOGLENS_NAMESPACE_END
