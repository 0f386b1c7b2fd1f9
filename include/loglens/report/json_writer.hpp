#pragma once
// The JSON report writer: the whole report model, machine-readable, with a versioned schema.

#include <loglens/core/concepts.hpp>
#include <loglens/detail/time.hpp>

#include <boost/json.hpp>

#include <ostream>
#include <string_view>

LOGLENS_NAMESPACE_BEGIN

namespace detail {

inline boost::json::value time_or_null(const std::optional<time_point>& t) {
    if (!t) return nullptr;
    return boost::json::value(format_rfc3339(*t));
}

inline boost::json::object entry_to_json(const log_entry& e) {
    boost::json::array cont;
    for (const auto& l : e.continuation) cont.emplace_back(l);
    return {{"source", e.source},       {"line", e.line},          {"timestamp", time_or_null(e.timestamp)},
            {"level", to_string(e.level)}, {"raw", e.raw},         {"message", e.message},
            {"exception", e.exception}, {"continuation", std::move(cont)}};
}

inline boost::json::object analysis_to_json(const analysis& a) {
    boost::json::array recs;
    for (const auto& r : a.recommendations) recs.emplace_back(r);
    boost::json::object o{{"source", to_string(a.source)},       {"classification", to_string(a.verdict)},
                          {"description", a.description},         {"root_cause", a.root_cause},
                          {"recommendations", std::move(recs)},   {"confidence", a.confidence},
                          {"benign", a.benign},                   {"signature", a.signature}};
    o["error"] = a.error.empty() ? boost::json::value(nullptr) : boost::json::value(a.error);
    return o;
}

inline boost::json::object problem_to_json(const problem& p) {
    const auto& g = p.group;
    boost::json::array samples, params;
    for (const auto& s : g.samples) samples.emplace_back(entry_to_json(s));
    for (const auto& ps : g.params) {
        boost::json::array values;
        for (const auto& v : ps.values) values.emplace_back(boost::json::object{{"value", v.value}, {"count", v.count}});
        params.emplace_back(boost::json::object{
            {"name", ps.name}, {"values", std::move(values)}, {"distinct_dropped", ps.distinct_dropped}});
    }
    boost::json::array occ;
    for (const auto& t : g.occurrences) occ.emplace_back(format_rfc3339(t));
    return {{"id", g.id},
            {"service", g.service},
            {"component", g.component},
            {"severity", to_string(g.level)},
            {"classification", to_string(p.result.verdict)},
            {"count", g.count},
            {"first_seen", time_or_null(g.first_seen)},
            {"last_seen", time_or_null(g.last_seen)},
            {"template", g.template_text},
            {"exception", g.exception},
            {"samples", std::move(samples)},
            {"parameters", std::move(params)},
            {"occurrences", std::move(occ)},
            {"analysis", analysis_to_json(p.result)}};
}

inline boost::json::object counts_to_json(const std::map<std::string, std::uint64_t>& m) {
    boost::json::object o;
    for (const auto& [k, v] : m) o[k] = v;
    return o;
}

}  // namespace detail

/// Writes `report` as JSON (schema version 1). Field names are stable; new fields only get added.
struct json_writer {
    using stage_category = writer_tag;
    static constexpr int schema_version = 1;

    [[nodiscard]] std::string_view extension() const noexcept { return "json"; }

    [[nodiscard]] static boost::json::object to_json(const report& r) {
        using namespace detail;
        boost::json::array inputs, problems, noise;
        for (const auto& i : r.inputs) {
            boost::json::object o{{"path", i.path}, {"lines", i.lines}, {"bytes", i.bytes}};
            o["error"] = i.error.empty() ? boost::json::value(nullptr) : boost::json::value(i.error);
            inputs.emplace_back(std::move(o));
        }
        for (const auto& p : r.problems) problems.emplace_back(problem_to_json(p));
        for (const auto& p : r.noise) noise.emplace_back(problem_to_json(p));
        const auto& l = r.llm;
        return {{"schema_version", schema_version},
                {"tool", {{"name", "loglens"}, {"version", r.tool_version}}},
                {"generated_at", format_rfc3339(r.generated_at)},
                {"language", to_string(r.lang)},
                {"min_severity", to_string(r.min_severity)},
                {"partial", r.partial},
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
                 {{"backend", l.backend},
                  {"model", l.model},
                  {"url", l.url},
                  {"server_version", l.server_version},
                  {"calls", l.calls},
                  {"failures", l.failures},
                  {"cache_hits", l.cache_hits},
                  {"prompt_tokens", l.prompt_tokens},
                  {"completion_tokens", l.completion_tokens},
                  {"wall_seconds", l.wall_seconds},
                  {"note", l.note}}},
                {"problems", std::move(problems)},
                {"noise", std::move(noise)}};
    }

    void write(const report& r, std::ostream& out) const { out << boost::json::serialize(to_json(r)) << '\n'; }
};

LOGLENS_NAMESPACE_END
