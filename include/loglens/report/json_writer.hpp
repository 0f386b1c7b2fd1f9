#pragma once
// The JSON report writer: the whole report model, machine-readable, with a versioned schema.
// SPDX-License-Identifier: MIT

#include <loglens/core/concepts.hpp>
#include <loglens/detail/time.hpp>
#include <loglens/report/json_model.hpp>

#include <boost/json.hpp>

#include <charconv>
#include <cmath>
#include <ostream>
#include <string>
#include <string_view>

LOGLENS_NAMESPACE_BEGIN

namespace detail {

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

/// Writes `report` as JSON (schema version 2). Field names are stable; new fields only get added.
struct json_writer {
    using stage_category = writer_tag;
    static constexpr int schema_version = 4;

    [[nodiscard]] std::string_view extension() const noexcept { return "json"; }

    /// The report as JSON: `schema_version`, then the fields `describe(io, report)` lists (report/json_model.hpp),
    /// the same description `read_report` reads.
    [[nodiscard]] static boost::json::object to_json(const report& r) {
        boost::json::object o{{"schema_version", schema_version}};
        detail::json_out io{o};
        describe(io, r);
        return o;
    }

    void write(const report& r, std::ostream& out) const {
        detail::write_json_pretty(out, to_json(r));
        out << '\n';
    }
};

LOGLENS_NAMESPACE_END
