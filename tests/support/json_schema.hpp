#pragma once
// A small JSON Schema (draft 2020-12 subset) validator on Boost.JSON, and the check of loglens JSON reports.
// SPDX-License-Identifier: MIT
//
// Supported: type (one name or an array, so ["string", "null"] is nullable), required, properties,
// additionalProperties (boolean or schema), items, enum, const, minimum, maximum, format "date-time",
// and $ref to "#/$defs/NAME". Annotations ($schema, $id, title, description, $comment, $defs) are read
// and ignored. Any other keyword is reported as an error, so the schema can never promise a check this
// validator does not make.
//
// Any suite can check a report it wrote:
//     BOOST_TEST(loglens_test::report_schema_errors(json_text) == "");

#include <boost/json.hpp>

#include <cmath>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace loglens_test {

class json_schema {
public:
    explicit json_schema(boost::json::value schema) : root_(std::move(schema)) {}

    static json_schema from_file(const std::string& path) {
        std::ifstream in(path, std::ios::binary);
        if (!in) throw std::runtime_error("cannot read JSON schema " + path);
        std::stringstream ss;
        ss << in.rdbuf();
        return json_schema(boost::json::parse(ss.str()));
    }

    /// Every violation, as `/json/pointer: what is wrong`; empty when `doc` is valid.
    [[nodiscard]] std::vector<std::string> validate(const boost::json::value& doc) const {
        std::vector<std::string> errors;
        check(root_, doc, "", errors, 0);
        return errors;
    }

private:
    static bool is_date_time(std::string_view s) {
        // YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)
        const auto digits = [&](std::size_t from, std::size_t n) {
            if (from + n > s.size()) return false;
            for (std::size_t i = from; i < from + n; ++i)
                if (s[i] < '0' || s[i] > '9') return false;
            return true;
        };
        if (!(digits(0, 4) && s.size() > 19 && s[4] == '-' && digits(5, 2) && s[7] == '-' && digits(8, 2) &&
              (s[10] == 'T' || s[10] == 't') && digits(11, 2) && s[13] == ':' && digits(14, 2) && s[16] == ':' &&
              digits(17, 2)))
            return false;
        std::size_t i = 19;
        if (s[i] == '.') {
            const std::size_t start = ++i;
            while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
            if (i == start) return false;
        }
        if (i < s.size() && (s[i] == 'Z' || s[i] == 'z')) return i + 1 == s.size();
        return i + 6 == s.size() && (s[i] == '+' || s[i] == '-') && digits(i + 1, 2) && s[i + 3] == ':' && digits(i + 4, 2);
    }

    static bool has_type(const boost::json::value& v, std::string_view t) {
        using boost::json::kind;
        if (t == "null") return v.is_null();
        if (t == "boolean") return v.is_bool();
        if (t == "object") return v.is_object();
        if (t == "array") return v.is_array();
        if (t == "string") return v.is_string();
        if (t == "number") return v.is_number();
        if (t == "integer") {
            if (v.is_int64() || v.is_uint64()) return true;
            return v.is_double() && std::isfinite(v.get_double()) && std::floor(v.get_double()) == v.get_double();
        }
        return false;
    }

    static double as_number(const boost::json::value& v) {
        if (v.is_int64()) return static_cast<double>(v.get_int64());
        if (v.is_uint64()) return static_cast<double>(v.get_uint64());
        return v.get_double();
    }

    const boost::json::value* resolve(std::string_view ref) const {
        constexpr std::string_view prefix = "#/$defs/";
        if (ref.substr(0, prefix.size()) != prefix) return nullptr;
        const auto* defs = root_.as_object().if_contains("$defs");
        if (!defs || !defs->is_object()) return nullptr;
        return defs->as_object().if_contains(ref.substr(prefix.size()));
    }

    void check(const boost::json::value& schema, const boost::json::value& v, const std::string& at,
               std::vector<std::string>& errors, int depth) const {
        const auto fail = [&](const std::string& what) { errors.push_back((at.empty() ? "/" : at) + ": " + what); };
        if (depth > 64) return fail("schema $ref nesting too deep");
        if (schema.is_bool()) {
            if (!schema.get_bool()) fail("no value is allowed here");
            return;
        }
        if (!schema.is_object()) return fail("schema is not an object");
        for (const auto& kv : schema.get_object()) {
            const std::string_view key = kv.key();
            const auto& arg = kv.value();
            if (key == "$schema" || key == "$id" || key == "title" || key == "description" || key == "$comment" ||
                key == "$defs") {
                continue;
            } else if (key == "$ref") {
                const auto* target = arg.is_string() ? resolve(arg.get_string()) : nullptr;
                if (!target) fail("unresolvable $ref " + boost::json::serialize(arg));
                else check(*target, v, at, errors, depth + 1);
            } else if (key == "type") {
                bool ok = false;
                if (arg.is_string()) ok = has_type(v, arg.get_string());
                else if (arg.is_array())
                    for (const auto& t : arg.get_array()) ok = ok || (t.is_string() && has_type(v, t.get_string()));
                if (!ok) fail("expected type " + boost::json::serialize(arg) + ", got " + boost::json::serialize(v));
            } else if (key == "const") {
                if (v != arg) fail("expected " + boost::json::serialize(arg) + ", got " + boost::json::serialize(v));
            } else if (key == "enum") {
                bool ok = false;
                for (const auto& e : arg.as_array()) ok = ok || v == e;
                if (!ok) fail("expected one of " + boost::json::serialize(arg) + ", got " + boost::json::serialize(v));
            } else if (key == "minimum") {
                if (v.is_number() && as_number(v) < as_number(arg)) fail("below minimum " + boost::json::serialize(arg));
            } else if (key == "maximum") {
                if (v.is_number() && as_number(v) > as_number(arg)) fail("above maximum " + boost::json::serialize(arg));
            } else if (key == "format") {
                if (arg.is_string() && arg.get_string() == "date-time") {
                    if (v.is_string() && !is_date_time(v.get_string())) fail("not an RFC 3339 date-time");
                } else fail("unsupported format " + boost::json::serialize(arg));
            } else if (key == "required") {
                if (!v.is_object()) continue;
                for (const auto& name : arg.as_array())
                    if (!v.get_object().contains(name.as_string()))
                        fail("missing required field " + boost::json::serialize(name));
            } else if (key == "properties") {
                if (!v.is_object()) continue;
                for (const auto& p : arg.as_object())
                    if (const auto* child = v.get_object().if_contains(p.key()))
                        check(p.value(), *child, at + "/" + std::string(p.key()), errors, depth);
            } else if (key == "additionalProperties") {
                if (!v.is_object()) continue;
                const auto* props = schema.as_object().if_contains("properties");
                for (const auto& m : v.get_object()) {
                    if (props && props->as_object().contains(m.key())) continue;
                    if (arg.is_bool() && !arg.get_bool()) fail("unexpected field \"" + std::string(m.key()) + "\"");
                    else check(arg, m.value(), at + "/" + std::string(m.key()), errors, depth);
                }
            } else if (key == "items") {
                if (!v.is_array()) continue;
                const auto& a = v.get_array();
                for (std::size_t i = 0; i < a.size(); ++i) check(arg, a[i], at + "/" + std::to_string(i), errors, depth);
            } else {
                fail("schema keyword \"" + std::string(key) + "\" is not supported by this validator");
            }
        }
    }

    boost::json::value root_;
};

#ifdef LOGLENS_SOURCE_DIR
/// The report schema of this source tree, read once.
inline const json_schema& report_schema() {
    static const json_schema s = json_schema::from_file(std::string(LOGLENS_SOURCE_DIR) + "/docs/report-schema.json");
    return s;
}

/// Every way `json_text` is not a valid loglens report: it must parse as JSON (which also checks UTF-8)
/// and follow docs/report-schema.json.
inline std::vector<std::string> validate_report_json(std::string_view json_text) {
    boost::system::error_code ec;
    const auto doc = boost::json::parse(json_text, ec);
    if (ec) return {"not valid JSON: " + ec.message()};
    return report_schema().validate(doc);
}

/// The same, as one string (empty when valid), so a failing BOOST_TEST shows every violation.
inline std::string report_schema_errors(std::string_view json_text) {
    std::string out;
    for (const auto& e : validate_report_json(json_text)) out += e + "\n";
    return out;
}
#endif

}  // namespace loglens_test
