#pragma once
// The JSON report writer: the whole report model, machine-readable, with a versioned schema.

#include <loglens/core/concepts.hpp>
#include <loglens/detail/time.hpp>
#include <loglens/report/detail/escape.hpp>
#include <loglens/report/detail/summary.hpp>

#include <boost/json.hpp>

#include <charconv>
#include <cmath>
#include <ostream>
#include <string>
#include <string_view>

LOGLENS_NAMESPACE_BEGIN

namespace detail {

/// Text from a log or an LLM as a JSON string: Boost.JSON writes bytes as given, so invalid UTF-8 is
/// replaced here (U+FFFD per bad byte) or the report would not parse. Control characters are escaped by
/// the serializer and kept.
inline boost::json::string json_text(std::string_view s) {
    if (valid_utf8(s)) return boost::json::string(s);
    std::string out;
    for_each_char32(s, [&](char32_t, std::string_view bytes) { out += bytes; });
    return boost::json::string(out);
}

inline boost::json::value text_or_null(std::string_view s) {
    if (s.empty()) return nullptr;
    return json_text(s);
}

inline boost::json::value time_or_null(const std::optional<time_point>& t) {
    if (!t) return nullptr;
    return boost::json::value(format_rfc3339(*t));
}

inline boost::json::object entry_to_json(const log_entry& e) {
    boost::json::array cont;
    for (const auto& l : e.continuation) cont.emplace_back(json_text(l));
    return {{"source", json_text(e.source)},
            {"line", e.line},
            {"timestamp", time_or_null(e.timestamp)},
            {"level", to_string(e.level)},
            {"raw", json_text(e.raw)},
            {"message", json_text(e.message)},
            {"exception", json_text(e.exception)},
            {"continuation", std::move(cont)}};
}

inline boost::json::object analysis_to_json(const analysis& a) {
    boost::json::array recs;
    for (const auto& r : a.recommendations) recs.emplace_back(json_text(r));
    return {{"source", to_string(a.source)},
            {"classification", to_string(a.verdict)},
            {"description", json_text(a.description)},
            {"root_cause", json_text(a.root_cause)},
            {"recommendations", std::move(recs)},
            {"confidence", a.confidence},
            {"benign", a.benign},
            {"signature", json_text(a.signature)},
            {"error", text_or_null(a.error)}};
}

inline boost::json::object problem_to_json(const problem& p) {
    const auto& g = p.group;
    boost::json::array samples, params;
    for (const auto& s : g.samples) samples.emplace_back(entry_to_json(s));
    for (const auto& ps : g.params) {
        boost::json::array values;
        for (const auto& v : ps.values) values.emplace_back(boost::json::object{{"value", json_text(v.value)}, {"count", v.count}});
        params.emplace_back(boost::json::object{
            {"name", json_text(ps.name)}, {"values", std::move(values)}, {"distinct_dropped", ps.distinct_dropped}});
    }
    boost::json::array occ;
    for (const auto& t : g.occurrences) occ.emplace_back(format_rfc3339(t));
    return {{"id", json_text(g.id)},
            {"service", json_text(g.service)},
            {"component", json_text(g.component)},
            {"severity", to_string(g.level)},
            {"classification", to_string(p.result.verdict)},
            {"count", g.count},
            {"first_seen", time_or_null(g.first_seen)},
            {"last_seen", time_or_null(g.last_seen)},
            {"template", json_text(g.template_text)},
            {"exception", json_text(g.exception)},
            {"samples", std::move(samples)},
            {"parameters", std::move(params)},
            {"occurrences", std::move(occ)},
            {"analysis", analysis_to_json(p.result)}};
}

inline boost::json::object counts_to_json(const std::map<std::string, std::uint64_t>& m) {
    boost::json::object o;
    for (const auto& [k, v] : m) o[json_text(k)] = v;
    return o;
}

inline boost::json::array string_array(const std::vector<std::string>& v) {
    boost::json::array a;
    for (const auto& x : v) a.emplace_back(json_text(x));
    return a;
}

/// Problem counts by classification, every class present (0 when empty), for CI gates such as
/// `jq '.summary.by_classification.critical'`.
inline boost::json::object summary_to_json(const report& r) {
    const auto n = count_by_classification(r.problems);
    boost::json::object by;
    for (const auto c : classifications_by_urgency) by[to_string(c)] = n[static_cast<std::size_t>(c)];
    return {{"problems", r.problems.size()},
            {"noise", r.noise.size()},
            {"occurrences", total_occurrences(r.problems)},
            {"by_classification", std::move(by)}};
}

/// Pretty JSON (two-space indent) so reports diff well and read in a pager; doubles in their shortest
/// round-trip form (`0.85`, not `8.5E-1`), and NaN or infinity, which JSON cannot hold, as null.
inline void write_json_pretty(std::ostream& out, const boost::json::value& v, int depth = 0) {
    const auto indent = [&](int d) { out << '\n' << std::string(static_cast<std::size_t>(d) * 2, ' '); };
    switch (v.kind()) {
        case boost::json::kind::object: {
            const auto& o = v.get_object();
            if (o.empty()) {
                out << "{}";
                return;
            }
            out << '{';
            bool first = true;
            for (const auto& kv : o) {
                if (!first) out << ',';
                first = false;
                indent(depth + 1);
                out << boost::json::serialize(boost::json::string_view(kv.key())) << ": ";
                write_json_pretty(out, kv.value(), depth + 1);
            }
            indent(depth);
            out << '}';
            return;
        }
        case boost::json::kind::array: {
            const auto& a = v.get_array();
            if (a.empty()) {
                out << "[]";
                return;
            }
            out << '[';
            for (std::size_t i = 0; i < a.size(); ++i) {
                if (i) out << ',';
                indent(depth + 1);
                write_json_pretty(out, a[i], depth + 1);
            }
            indent(depth);
            out << ']';
            return;
        }
        case boost::json::kind::double_: {
            const double d = v.get_double();
            if (!std::isfinite(d)) {
                out << "null";
                return;
            }
            char buf[64];
            const auto res = std::to_chars(buf, buf + sizeof buf, d);
            std::string_view text(buf, static_cast<std::size_t>(res.ptr - buf));
            out << text;
            // keep it a JSON number that reads back as a double, as Boost.JSON would write it
            if (text.find_first_of(".eE") == std::string_view::npos) out << ".0";
            return;
        }
        default: out << boost::json::serialize(v);
    }
}

}  // namespace detail

/// Writes `report` as JSON (schema version 1). Field names are stable; new fields only get added.
struct json_writer {
    using stage_category = writer_tag;
    static constexpr int schema_version = 2;

    [[nodiscard]] std::string_view extension() const noexcept { return "json"; }

    [[nodiscard]] static boost::json::object to_json(const report& r) {
        using namespace detail;
        boost::json::array inputs, problems, noise;
        for (const auto& i : r.inputs) {
            inputs.emplace_back(boost::json::object{
                {"path", json_text(i.path)}, {"lines", i.lines}, {"bytes", i.bytes}, {"error", text_or_null(i.error)}});
        }
        for (const auto& p : r.problems) problems.emplace_back(problem_to_json(p));
        for (const auto& p : r.noise) noise.emplace_back(problem_to_json(p));
        const auto& l = r.llm;
        return {{"schema_version", schema_version},
                {"tool", {{"name", "loglens"}, {"version", json_text(r.tool_version)}}},
                {"generated_at", format_rfc3339(r.generated_at)},
                {"language", to_string(r.lang)},
                {"min_severity", to_string(r.min_severity)},
                {"partial", r.partial},
                {"summary", summary_to_json(r)},
                {"inputs", std::move(inputs)},
                {"stats",
                 {{"bytes", r.ingest.bytes},
                  {"lines", r.ingest.lines},
                  {"entries", r.ingest.entries},
                  {"entries_below_threshold", r.entries_below_threshold},
                  {"skipped", counts_to_json(r.ingest.skipped)},
                  {"altered", counts_to_json(r.ingest.altered)},
                  {"redactions", counts_to_json(r.redactions)}}},
                {"llm",
                 {{"backend", json_text(l.backend)},
                  {"model", json_text(l.model)},
                  {"url", json_text(l.url)},
                  {"server_version", json_text(l.server_version)},
                  {"calls", l.calls},
                  {"failures", l.failures},
                  {"cache_hits", l.cache_hits},
                  {"prompt_tokens", l.prompt_tokens},
                  {"completion_tokens", l.completion_tokens},
                  {"wall_seconds", l.wall_seconds},
                  {"note", json_text(l.note)},
                  {"first_error", json_text(l.first_error)},
                  {"retries", l.retries},
                  {"num_ctx", l.num_ctx},
                  {"num_predict", l.num_predict},
                  {"repairs", counts_to_json(l.repairs)},
                  {"not_analysed", l.not_analysed},
                  {"not_analysed_groups", string_array(l.not_analysed_groups)}}},
                {"problems", std::move(problems)},
                {"noise", std::move(noise)}};
    }

    void write(const report& r, std::ostream& out) const {
        detail::write_json_pretty(out, to_json(r));
        out << '\n';
    }
};

LOGLENS_NAMESPACE_END
