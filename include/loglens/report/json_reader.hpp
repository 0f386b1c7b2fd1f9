#pragma once
// Reading a JSON report back (`read_report`): the state a later run compares with or merges.
// SPDX-License-Identifier: MIT

#include <loglens/report/json_model.hpp>
#include <loglens/report/json_writer.hpp>

#include <boost/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

LOGLENS_NAMESPACE_BEGIN

/// Reads the text of a report `json_writer` wrote; `name` (a path) starts every error message. Refuses a report of
/// a schema_version newer than this loglens writes; reads older ones (fields they lack stay empty) and says which
/// version it read in `*schema_version`.
[[nodiscard]] inline report parse_report(std::string_view text, const std::string& name, int* schema_version = nullptr) {
    boost::system::error_code ec;
    const auto doc = boost::json::parse(text, ec);
    if (ec) throw report_error(name + ": not a JSON document (" + ec.message() + ")");
    if (!doc.is_object()) throw report_error(name + ": not a loglens report (a JSON object is expected)");
    const auto* version = doc.get_object().if_contains("schema_version");
    if (!version || !version->is_int64())
        throw report_error(name +
                           ": not a loglens report (no schema_version); write it with `loglens analyze --format json`");
    const auto v = version->get_int64();
    if (v < 1 || v > json_writer::schema_version)
        throw report_error(name + ": report schema_version " + std::to_string(v) + " is unknown to loglens " +
                           LOGLENS_VERSION_STRING + ", which reads versions 1 to " +
                           std::to_string(json_writer::schema_version) +
                           "; read it with the loglens that wrote it, or write the report again with this one");
    if (schema_version) *schema_version = static_cast<int>(v);
    try {
        return boost::json::value_to<report>(doc);
    } catch (const report_error& e) {
        throw report_error(name + ": " + e.what());
    }
}

/// Reads the JSON report at `path` (see `parse_report`); a file that cannot be read is a `report_error` too.
[[nodiscard]] inline report read_report(const std::filesystem::path& path, int* schema_version = nullptr) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw report_error(path.string() + ": cannot open the report (does the file exist and is it readable?)");
    std::stringstream text;
    text << in.rdbuf();
    if (in.bad()) throw report_error(path.string() + ": cannot read the report");
    return parse_report(text.str(), path.string(), schema_version);
}

LOGLENS_NAMESPACE_END
