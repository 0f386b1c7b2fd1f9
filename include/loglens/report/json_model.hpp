#pragma once
// One description per report type of its JSON fields, used both to write and to read (Boost.JSON value_from/value_to).
// SPDX-License-Identifier: MIT

#include <loglens/core/report_model.hpp>
#include <loglens/detail/time.hpp>
#include <loglens/detail/utf8.hpp>
#include <loglens/report/detail/summary.hpp>

#include <boost/json.hpp>

#include <climits>

#include <charconv>
#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

LOGLENS_NAMESPACE_BEGIN

/// A JSON report that cannot be read: says where (`problems[3].count`) and what was expected.
class report_error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

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

/// `2025-11-03T20:36:40.060Z` (any number of fraction digits, `Z` or no zone): the form the writer uses.
inline std::optional<time_point> parse_rfc3339(std::string_view s) noexcept {
    const auto num = [&](std::size_t at, std::size_t n, int& out) {
        if (at + n > s.size()) return false;
        const auto r = std::from_chars(s.data() + at, s.data() + at + n, out);
        return r.ec == std::errc{} && r.ptr == s.data() + at + n;
    };
    int y, mo, d, h, mi, sec;
    if (s.size() < 19 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != ' ') || s[13] != ':' || s[16] != ':' ||
        !num(0, 4, y) || !num(5, 2, mo) || !num(8, 2, d) || !num(11, 2, h) || !num(14, 2, mi) || !num(17, 2, sec))
        return std::nullopt;
    using namespace std::chrono;
    const year_month_day ymd{year(y), month(static_cast<unsigned>(mo)), day(static_cast<unsigned>(d))};
    if (y < detail::first_timestamp_year || y > detail::last_timestamp_year || !ymd.ok() || h > 23 || mi > 59 || sec > 60)
        return std::nullopt;
    std::int64_t ns = 0;
    std::size_t i = 19;
    if (i < s.size() && s[i] == '.') {
        std::int64_t scale = 100000000;
        for (++i; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i, scale /= 10) ns += (s[i] - '0') * scale;
    }
    if (i < s.size() && s[i] == 'Z') ++i;
    if (i != s.size()) return std::nullopt;
    return time_point(sys_days(ymd).time_since_epoch() + hours(h) + minutes(mi) + seconds(sec) + nanoseconds(ns));
}

/// A string written as null when empty (`analysis.error`, `inputs[].error`).
template <class S>
struct nullable {
    S& text;
};
/// The distinct-value sketch as 512 hex digits, or null when no value was dropped.
template <class V>
struct sketch_hex {
    V& words;
};
template <class S>
nullable(S&) -> nullable<S>;
template <class V>
sketch_hex(V&) -> sketch_hex<V>;

[[noreturn]] inline void bad(const std::string& path, std::string_view expected) {
    throw report_error(path + ": expected " + std::string(expected));
}

template <class T>
struct is_vector : std::false_type {};
template <class T>
struct is_vector<std::vector<T>> : std::true_type {};
template <class T>
struct is_optional : std::false_type {};
template <class T>
struct is_optional<std::optional<T>> : std::true_type {};

// ---- writing -------------------------------------------------------------------------------------------

struct json_out {
    boost::json::object& o;

    template <class T>
    void operator()(std::string_view key, const T& v) {
        o[key] = encode(v);
    }
    template <class F>
    void object(std::string_view key, F&& fill) {
        boost::json::object sub;
        json_out io{sub};
        fill(io);
        o[key] = std::move(sub);
    }
    template <class F>
    void derived(std::string_view key, F&& make) {
        o[key] = make();
    }
    void constant(std::string_view key, const boost::json::value& v) { o[key] = v; }

    static boost::json::value encode(const std::string& s) { return json_text(s); }
    static boost::json::value encode(std::uint64_t n) { return n; }
    static boost::json::value encode(int n) { return n; }
    static boost::json::value encode(double d) { return d; }
    static boost::json::value encode(bool b) { return b; }
    static boost::json::value encode(time_point t) { return boost::json::string(format_rfc3339(t)); }
    static boost::json::value encode(const std::optional<time_point>& t) { return time_or_null(t); }
    static boost::json::value encode(severity s) { return boost::json::string(to_string(s)); }
    static boost::json::value encode(classification c) { return boost::json::string(to_string(c)); }
    static boost::json::value encode(analysis_source s) { return boost::json::string(to_string(s)); }
    static boost::json::value encode(language l) { return boost::json::string(to_string(l)); }
    template <class S>
    static boost::json::value encode(const nullable<S>& n) {
        return text_or_null(n.text);
    }
    template <class V>
    static boost::json::value encode(const sketch_hex<V>& s) {
        if (s.words.empty()) return nullptr;
        static constexpr char hex[] = "0123456789abcdef";
        std::string out;
        for (std::uint64_t w : s.words)
            for (int i = 15; i >= 0; --i) out += hex[(w >> (4 * i)) & 0xf];
        return boost::json::string(out);
    }
    template <class T>
    static boost::json::value encode(const std::optional<T>& x) {
        if (!x) return nullptr;
        return encode(*x);
    }
    static boost::json::value encode(const std::map<std::string, std::uint64_t>& m) {
        boost::json::object o;
        for (const auto& [k, v] : m) o[json_text(k)] = v;
        return o;
    }
    template <class T>
    static boost::json::value encode(const std::vector<T>& v) {
        boost::json::array a;
        for (const auto& x : v) a.push_back(encode(x));
        return a;
    }
    template <class T>
        requires(!std::is_arithmetic_v<T> && !std::is_enum_v<T> && !is_vector<T>::value && !is_optional<T>::value)
    static boost::json::value encode(const T& x) {
        boost::json::object o;
        json_out io{o};
        describe(io, x);
        return o;
    }
};

// ---- reading -------------------------------------------------------------------------------------------

struct json_in {
    const boost::json::object& o;
    std::string path;

    // A field missing is left as it was (older reports lack newer fields); a field of the wrong type is an error.
    // Wrappers (nullable, sketch_hex) come as temporaries, hence the forwarding reference.
    template <class T>
    void operator()(std::string_view key, T&& v) const {
        if (const auto* x = o.if_contains(key)) decode(*x, v, join(key));
    }
    template <class F>
    void object(std::string_view key, F&& fill) const {
        const auto* x = o.if_contains(key);
        if (!x) return;
        const auto sub = join(key);
        if (!x->is_object()) bad(sub, "an object");
        json_in io{x->get_object(), sub};
        fill(io);
    }
    [[nodiscard]] std::string join(std::string_view key) const {
        return path.empty() ? std::string(key) : path + "." + std::string(key);
    }
    template <class F>
    void derived(std::string_view, F&&) const {}  // computed from the rest when written; nothing to read
    void constant(std::string_view, const boost::json::value&) const {}

    static void decode(const boost::json::value& v, std::string& s, const std::string& path) {
        if (!v.is_string()) bad(path, "a string");
        s.assign(v.get_string().data(), v.get_string().size());
    }
    static void decode(const boost::json::value& v, std::uint64_t& n, const std::string& path) {
        if (v.is_uint64()) n = v.get_uint64();
        else if (v.is_int64() && v.get_int64() >= 0) n = static_cast<std::uint64_t>(v.get_int64());
        else bad(path, "a count (an integer of at least 0)");
    }
    static void decode(const boost::json::value& v, int& n, const std::string& path) {
        if (v.is_int64() && v.get_int64() >= INT_MIN && v.get_int64() <= INT_MAX) n = static_cast<int>(v.get_int64());
        else if (v.is_uint64() && v.get_uint64() <= static_cast<std::uint64_t>(INT_MAX))
            n = static_cast<int>(v.get_uint64());
        else bad(path, "an integer");
    }
    static void decode(const boost::json::value& v, double& d, const std::string& path) {
        if (v.is_null()) d = 0.0;  // the writer writes NaN and infinity as null
        else if (v.is_number()) d = v.to_number<double>();
        else bad(path, "a number");
    }
    static void decode(const boost::json::value& v, bool& b, const std::string& path) {
        if (!v.is_bool()) bad(path, "true or false");
        b = v.get_bool();
    }
    static void decode(const boost::json::value& v, time_point& t, const std::string& path) {
        std::string s;
        decode(v, s, path);
        const auto p = parse_rfc3339(s);
        if (!p) bad(path, "an RFC 3339 time such as 2025-11-03T20:36:40.060Z, not '" + s + "'");
        t = *p;
    }
    static void decode(const boost::json::value& v, std::optional<time_point>& t, const std::string& path) {
        if (v.is_null()) {
            t.reset();
            return;
        }
        time_point p;
        decode(v, p, path);
        t = p;
    }
    template <class E, std::size_t N>
    static void decode_enum(const boost::json::value& v, E& e, const std::array<std::string_view, N>& names,
                            const std::string& path) {
        std::string s;
        decode(v, s, path);
        for (std::size_t i = 0; i < N; ++i)
            if (names[i] == s) {
                e = static_cast<E>(i);
                return;
            }
        std::string list;
        for (auto n : names) list += (list.empty() ? "" : ", ") + std::string(n);
        bad(path, "one of " + list + ", not '" + s + "'");
    }
    static void decode(const boost::json::value& v, severity& e, const std::string& p) {
        decode_enum(v, e, severity_names, p);
    }
    static void decode(const boost::json::value& v, classification& e, const std::string& p) {
        decode_enum(v, e, classification_names, p);
    }
    static void decode(const boost::json::value& v, analysis_source& e, const std::string& p) {
        decode_enum(v, e, source_names, p);
    }
    static void decode(const boost::json::value& v, language& e, const std::string& p) {
        decode_enum(v, e, std::array<std::string_view, 2>{"ru", "en"}, p);
    }
    template <class S>
    static void decode(const boost::json::value& v, nullable<S>& n, const std::string& path) {
        if (v.is_null()) n.text.clear();
        else decode(v, n.text, path);
    }
    template <class V>
    static void decode(const boost::json::value& v, sketch_hex<V>& s, const std::string& path) {
        s.words.clear();
        if (v.is_null()) return;
        std::string h;
        decode(v, h, path);
        if (h.size() != 512) bad(path, "512 hex digits");
        for (std::size_t w = 0; w < 32; ++w) {
            std::uint64_t x = 0;
            const auto r = std::from_chars(h.data() + w * 16, h.data() + w * 16 + 16, x, 16);
            if (r.ec != std::errc{} || r.ptr != h.data() + w * 16 + 16) bad(path, "512 hex digits");
            s.words.push_back(x);
        }
    }
    template <class T>
    static void decode(const boost::json::value& v, std::optional<T>& x, const std::string& path) {
        if (v.is_null()) {
            x.reset();
            return;
        }
        x.emplace();
        decode(v, *x, path);
    }
    static void decode(const boost::json::value& v, std::map<std::string, std::uint64_t>& m, const std::string& path) {
        if (!v.is_object()) bad(path, "an object of counts");
        m.clear();
        for (const auto& kv : v.get_object())
            decode(kv.value(), m[std::string(kv.key())], path + "." + std::string(kv.key()));
    }
    template <class T>
    static void decode(const boost::json::value& v, std::vector<T>& out, const std::string& path) {
        if (!v.is_array()) bad(path, "an array");
        out.clear();
        const auto& a = v.get_array();
        out.resize(a.size());
        for (std::size_t i = 0; i < a.size(); ++i) decode(a[i], out[i], path + "[" + std::to_string(i) + "]");
    }
    template <class T>
        requires(!std::is_arithmetic_v<T> && !std::is_enum_v<T> && !is_vector<T>::value && !is_optional<T>::value)
    static void decode(const boost::json::value& v, T& x, const std::string& path) {
        if (!v.is_object()) bad(path.empty() ? "the report" : path, "an object");
        json_in io{v.get_object(), path};
        describe(io, x);
    }
};

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

}  // namespace detail

// ---- the descriptions: field names and order of the JSON report (docs/report-schema.json) ----------------
// Each takes the object const (writing) or not (reading); one list, so writer and reader cannot drift.

template <class Io, class E>
    requires std::is_same_v<std::remove_const_t<E>, log_entry>
void describe(Io& io, E& e) {
    io("source", e.source);
    io("line", e.line);
    io("timestamp", e.timestamp);
    io("level", e.level);
    io("raw", e.raw);
    io("message", e.message);
    io("exception", e.exception);
    io("continuation", e.continuation);
}

template <class Io, class V>
    requires std::is_same_v<std::remove_const_t<V>, param_value>
void describe(Io& io, V& v) {
    io("value", v.value);
    io("count", v.count);
}

template <class Io, class P>
    requires std::is_same_v<std::remove_const_t<P>, param_stats>
void describe(Io& io, P& p) {
    io("name", p.name);
    io("values", p.values);
    io("distinct_dropped", p.distinct_dropped);
    io("sketch", detail::sketch_hex{p.sketch});
}

template <class Io, class A>
    requires std::is_same_v<std::remove_const_t<A>, analysis>
void describe(Io& io, A& a) {
    io("source", a.source);
    io("classification", a.verdict);
    io("description", a.description);
    io("root_cause", a.root_cause);
    io("recommendations", a.recommendations);
    io("confidence", a.confidence);
    io("benign", a.benign);
    io("signature", a.signature);
    io("error", detail::nullable{a.error});
    io("reason", detail::nullable{a.reason});
    io("duplicate_of", detail::nullable{a.duplicate_of});
    io("flagged_by_llm", a.flagged_by_llm);
}

template <class Io, class P>
    requires std::is_same_v<std::remove_const_t<P>, problem>
void describe(Io& io, P& p) {
    auto& g = p.group;
    io("id", g.id);
    io("aliases", g.aliases);
    io("change", detail::nullable{p.change});
    io("service", g.service);
    io("component", g.component);
    io("severity", g.level);
    io("classification", p.result.verdict);
    io("count", g.count);
    io("first_seen", g.first_seen);
    io("last_seen", g.last_seen);
    io("template", g.template_text);
    io("exception", g.exception);
    io("samples", g.samples);
    io("parameters", g.params);
    io("occurrences", g.occurrences);
    io("analysis", p.result);
    io("incident", detail::nullable{p.incident});
}

template <class Io, class M>
    requires std::is_same_v<std::remove_const_t<M>, incident_member>
void describe(Io& io, M& m) {
    io("problem", m.problem_id);
    io("evidence", m.evidence);
    io("confidence", m.confidence);
}

template <class Io, class S>
    requires std::is_same_v<std::remove_const_t<S>, incident_step>
void describe(Io& io, S& s) {
    io("problem", s.problem_id);
    io("action", s.action);
}

template <class Io, class N>
    requires std::is_same_v<std::remove_const_t<N>, incident>
void describe(Io& io, N& i) {
    io("id", i.id);
    io("classification", i.verdict);
    io("title", i.title);
    io("first_cause", i.first_cause);
    io("first_cause_kind", i.first_cause_kind);
    io("evidence", i.evidence);
    io("start", i.start);
    io("end", i.end);
    io("services", i.services);
    io("members", i.members);
    io("summary", i.summary);
    io("fix_order", i.fix_order);
    io("fix_steps", i.fix_steps);
    io("root_cause", detail::nullable{i.root_cause});
    io("summary_source", i.summary_source);
    io("llm_error", detail::nullable{i.llm_error});
}

template <class Io, class B>
    requires std::is_same_v<std::remove_const_t<B>, baseline_summary>
void describe(Io& io, B& b) {
    io("path", b.path);
    io("tool_version", b.tool_version);
    io("generated_at", b.generated_at);
    io("new", b.new_problems);
    io("recurring", b.recurring);
    io("spiking", b.spiking);
    io("calmer", b.calmer);
    io("gone", b.gone);
}

template <class Io, class O>
    requires std::is_same_v<std::remove_const_t<O>, overflow_note>
void describe(Io& io, O& o) {
    io("service", o.service);
    io("reason", o.reason);
    io("messages", o.messages);
    io("distinct", o.distinct);
}

template <class Io, class W>
    requires std::is_same_v<std::remove_const_t<W>, problem_row>
void describe(Io& io, W& w) {
    io("id", w.id);
    io("service", w.service);
    io("template", w.template_text);
    io("level", w.level);
    io("classification", w.verdict);
    io("count", w.count);
    io("benign", w.benign);
}

template <class Io, class I>
    requires std::is_same_v<std::remove_const_t<I>, input_summary>
void describe(Io& io, I& i) {
    io("path", i.path);
    io("lines", i.lines);
    io("bytes", i.bytes);
    io("error", detail::nullable{i.error});
}

template <class Io, class T>
void io_triage(Io& io, T& t) {
    io("candidates", t.candidates);
    io("asked", t.asked);
    io("cache_hits", t.cache_hits);
    io("calls", t.calls);
    io("flagged", t.flagged);
    io("not_asked", t.not_asked);
    io("error", t.error);
}

template <class Io, class L>
    requires std::is_same_v<std::remove_const_t<L>, llm_summary>
void describe(Io& io, L& l) {
    io("backend", l.backend);
    io("model", l.model);
    io("url", l.url);
    io("server_version", l.server_version);
    io("calls", l.calls);
    io("failures", l.failures);
    io("cache_hits", l.cache_hits);
    io("prompt_tokens", l.prompt_tokens);
    io("completion_tokens", l.completion_tokens);
    io("wall_seconds", l.wall_seconds);
    io("note", l.note);
    io("first_error", l.first_error);
    io("retries", l.retries);
    io("num_ctx", l.num_ctx);
    io("num_predict", l.num_predict);
    io("repairs", l.repairs);
    io("not_analysed", l.not_analysed);
    io("not_analysed_groups", l.not_analysed_groups);
    io("incident_answers", l.incident_answers);
    io("incident_cache_hits", l.incident_cache_hits);
    io("incident_failures", l.incident_failures);
    io.object("triage", [&](auto& t) { io_triage(t, l.triage); });
}

/// The report's own fields; `schema_version` and the derived `summary` are added by `json_writer`, and
/// checked by `read_report`.
template <class Io, class R>
    requires std::is_same_v<std::remove_const_t<R>, report>
void describe(Io& io, R& r) {
    io.object("tool", [&](auto& t) {
        t.constant("name", "loglens");
        t("version", r.tool_version);
    });
    io("generated_at", r.generated_at);
    io("language", r.lang);
    io("min_severity", r.min_severity);
    io("partial", r.partial);
    io.derived("summary", [&] { return detail::summary_to_json(r); });
    io("inputs", r.inputs);
    io.object("stats", [&](auto& s) {
        s("bytes", r.ingest.bytes);
        s("lines", r.ingest.lines);
        s("entries", r.ingest.entries);
        s("entries_below_threshold", r.entries_below_threshold);
        s("skipped", r.ingest.skipped);
        s("altered", r.ingest.altered);
        s("redactions", r.redactions);
    });
    io("llm", r.llm);
    io("baseline", r.baseline);
    io("incidents", r.incidents);
    io("problems", r.problems);
    io("noise", r.noise);
    io("gone", r.gone);
    // The caps of the run, what overflowed, and the groups beyond the full listing.
    io.object("bounds", [&](auto& b) {
        b("max_templates_per_service", r.bounds.max_templates_per_service);
        b("max_services", r.bounds.max_services);
        b("memory_budget", r.bounds.memory_budget);
        b("memory_used", r.bounds.memory_used);
        b("long_lines_cut", r.bounds.long_lines_cut);
        b("services_beyond_cap", r.bounds.services_beyond_cap);
        b("overflow", r.bounds.overflow);
        b("problems_in_full", r.bounds.problems_in_full);
        b("more_problems", r.more_problems);
        b("unlisted_problems", r.unlisted_problems);
        b("unlisted_entries", r.unlisted_entries);
    });
}

// Boost.JSON customisation points: `boost::json::value_from(report)` and `value_to<report>(v)` (and of each part).
template <class T>
    requires requires(detail::json_out& o, const T& x) { describe(o, x); }
void tag_invoke(boost::json::value_from_tag, boost::json::value& v, const T& x) {
    auto& o = v.emplace_object();
    detail::json_out io{o};
    describe(io, x);
}

template <class T>
    requires requires(detail::json_in& i, T& x) { describe(i, x); }
T tag_invoke(boost::json::value_to_tag<T>, const boost::json::value& v) {
    T x{};
    detail::json_in::decode(v, x, "");
    return x;
}

LOGLENS_NAMESPACE_END
