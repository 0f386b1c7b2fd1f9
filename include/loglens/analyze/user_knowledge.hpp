#pragma once
// Knowledge users add at run time: signatures and benign noise read from JSON files, checked at load.
// SPDX-License-Identifier: MIT

#include <loglens/analyze/knowledge_base.hpp>

#include <boost/json.hpp>

#include <algorithm>
#include <deque>
#include <filesystem>
#include <fstream>
#include <span>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

LOGLENS_NAMESPACE_BEGIN

/// A knowledge file that cannot be used; the message names the file, the line or entry, the field and the fix.
class knowledge_file_error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// @brief Signatures read from JSON files (`--kb FILE`, `$XDG_CONFIG_HOME/loglens/kb/*.json`); owns their text.
///
/// A file holds `{"signatures": [ ... ]}`; each entry:
/// `{"id": "acme.etl-quota", "service": "airflow", "match": ["quota", "exceeded"] | "regex": "...",
///   "severity": "major", "benign": false, "confidence": 0.8, "seen_in_clients": false,
///   "en": {"description": "...", "root_cause": "...", "recommendations": ["...", ...]}, "ru": {...}}`.
/// `match` words must all appear (any order, any case); `regex` is Perl syntax, case-insensitive. At least one
/// of `en`/`ru`; the other language falls back to it. Unknown fields are errors (a typo would silently do
/// nothing). User signatures come before the built-in ones, so they win.
class user_knowledge {
public:
    static constexpr std::size_t max_file_bytes = 4u << 20;
    static constexpr std::size_t max_text = 2000;  ///< characters of one description, cause or recommendation

    /// Reads one file. Throws knowledge_file_error; on error nothing of the file is kept.
    void load_file(const std::filesystem::path& path) {
        std::ifstream in(path, std::ios::binary);
        if (!in)
            throw knowledge_file_error("knowledge file " + path.string() +
                                       ": cannot be read; check the path given to --kb");
        std::string text(max_file_bytes + 1, '\0');
        in.read(text.data(), static_cast<std::streamsize>(text.size()));
        text.resize(static_cast<std::size_t>(in.gcount()));
        if (text.size() > max_file_bytes)
            throw knowledge_file_error("knowledge file " + path.string() + ": larger than 4 MiB; split it");
        load_text(text, path.string());
    }

    /// Reads every `*.json` of a folder, in name order; a missing folder is no error (it is optional).
    void load_folder(const std::filesystem::path& dir) {
        std::error_code ec;
        if (!std::filesystem::is_directory(dir, ec)) return;
        std::vector<std::filesystem::path> files;
        for (const auto& e : std::filesystem::directory_iterator(dir, ec))
            if (e.path().extension() == ".json" && e.is_regular_file(ec)) files.push_back(e.path());
        std::sort(files.begin(), files.end());
        for (const auto& f : files) load_file(f);
    }

    /// Reads one document; `origin` names it in errors.
    void load_text(std::string_view text, const std::string& origin) {
        const boost::json::value doc = parse(text, origin);
        const auto* root = doc.if_object();
        const auto* list = root ? root->if_contains("signatures") : nullptr;
        if (!list || !list->is_array())
            throw knowledge_file_error("knowledge file " + origin + ": expected {\"signatures\": [ ... ]} at the top");
        for (const auto& [key, v] : *root)
            if (key != "signatures")
                throw knowledge_file_error("knowledge file " + origin + ": unknown top-level field '" + std::string(key) +
                                           "'");
        std::vector<kb_signature> read;
        std::size_t index = 0;
        for (const auto& v : list->as_array()) read.push_back(entry(v, origin, ++index));
        for (auto& s : read) signatures_.push_back(s);
        files_.push_back(origin);
    }

    [[nodiscard]] std::span<const kb_signature> signatures() const noexcept { return signatures_; }
    [[nodiscard]] const std::vector<std::string>& files() const noexcept { return files_; }

    /// A knowledge base of these signatures first, then every built-in table.
    [[nodiscard]] knowledge_base combined() const {
        return knowledge_base({signatures(), kb::airflow, kb::spark, kb::redis, kb::minio, kb::neighbours});
    }

private:
    static boost::json::value parse(std::string_view text, const std::string& origin) {
        boost::json::stream_parser p;
        boost::system::error_code ec;
        const std::size_t used = p.write_some(text.data(), text.size(), ec);
        if (!ec) p.finish(ec);
        if (ec) {
            const auto upto = text.substr(0, std::min(used, text.size()));
            const auto line = 1 + std::count(upto.begin(), upto.end(), '\n');
            throw knowledge_file_error("knowledge file " + origin + ", line " + std::to_string(line) +
                                       ": not valid JSON (" + ec.message() + ")");
        }
        return p.release();
    }

    // Keeps a copy whose characters stay put: signatures point into it.
    std::string_view keep(std::string_view s) { return text_.emplace_back(s); }

    // Throws with the entry's place in front of what is wrong with it.
    struct failure {
        const std::string* where;
        [[noreturn]] void operator()(const std::string& what) const { throw knowledge_file_error(*where + ": " + what); }
    };

    kb_signature entry(const boost::json::value& v, const std::string& origin, std::size_t index) {
        std::string where = "knowledge file " + origin + ", signature #" + std::to_string(index);
        const failure fail{&where};
        const auto* o = v.if_object();
        if (!o) fail("expected an object");
        static constexpr std::string_view fields[] = {"id",     "service",    "match",           "regex", "severity",
                                                      "benign", "confidence", "seen_in_clients", "en",    "ru"};
        for (const auto& [key, value] : *o)
            if (std::find(std::begin(fields), std::end(fields), std::string_view(key)) == std::end(fields))
                fail("unknown field '" + std::string(key) +
                     "' (known: id, service, match, regex, severity, benign, "
                     "confidence, seen_in_clients, en, ru)");
        kb_signature s;
        const std::string id = string_field(*o, "id", fail, true);
        if (id.empty() || !std::all_of(id.begin(), id.end(), [](char c) {
                return detail::is_lower(c) || detail::is_digit(c) || c == '.' || c == '-' || c == '_';
            }))
            fail("field 'id': '" + id + "' must be non-empty lower-case letters, digits and . - _ (like acme.etl-quota)");
        where += " (" + id + ")";
        if (std::any_of(signatures_.begin(), signatures_.end(), [&](const kb_signature& k) { return k.id == id; }) ||
            knowledge_base::builtin().find(id))
            fail("id '" + id + "' is already taken; give each signature its own id");
        s.id = keep(id);
        std::string service = string_field(*o, "service", fail, true);
        for (auto& c : service) c = detail::ascii_lower(c);
        if (service.empty()) fail("field 'service' is empty: name the service family, e.g. airflow or my-api");
        s.service = keep(service);
        s.pattern = keep(pattern(*o, fail));
        try {
            boost::regex(s.pattern.begin(), s.pattern.end(), boost::regex::perl | boost::regex::icase);
        } catch (const boost::regex_error& e) {
            fail(std::string("field 'regex': not a valid regular expression (") + e.what() + ")");
        }
        if (o->contains("severity")) {
            const auto c = parse_classification(string_field(*o, "severity", fail, true));
            if (!c) fail("field 'severity': one of info, warning, minor, major, critical");
            s.verdict = *c;
        }
        s.benign = bool_field(*o, "benign", fail);
        if (s.benign && !o->contains("severity")) s.verdict = classification::info;
        s.seen_in_clients = bool_field(*o, "seen_in_clients", fail);
        if (const auto* c = o->if_contains("confidence")) {
            if (!c->is_number()) fail("field 'confidence': a number from 0 to 1");
            s.confidence = c->to_number<double>();
            if (!(s.confidence >= 0.0 && s.confidence <= 1.0)) fail("field 'confidence': a number from 0 to 1");
        } else {
            s.confidence = 0.8;
        }
        const bool has_en = o->contains("en"), has_ru = o->contains("ru");
        if (!has_en && !has_ru) fail("no explanation: give \"en\" or \"ru\" (or both) with a description");
        if (has_en) s.en = text_of(o->at("en"), "en", fail);
        if (has_ru) s.ru = text_of(o->at("ru"), "ru", fail);
        if (!has_en) s.en = s.ru;
        if (!has_ru) s.ru = s.en;
        return s;
    }

    static std::string string_field(const boost::json::object& o, std::string_view key, const failure& fail,
                                    bool required) {
        const auto* v = o.if_contains(key);
        if (!v) {
            if (required) fail("field '" + std::string(key) + "' is missing");
            return {};
        }
        if (!v->is_string()) fail("field '" + std::string(key) + "': expected a string");
        return std::string(v->as_string());
    }

    static bool bool_field(const boost::json::object& o, std::string_view key, const failure& fail) {
        const auto* v = o.if_contains(key);
        if (!v) return false;
        if (!v->is_bool()) fail("field '" + std::string(key) + "': expected true or false");
        return v->as_bool();
    }

    // `match` words become look-aheads, so all must appear in any order; `regex` is taken as it is.
    static std::string pattern(const boost::json::object& o, const failure& fail) {
        const auto* words = o.if_contains("match");
        const auto* re = o.if_contains("regex");
        if ((words != nullptr) == (re != nullptr)) fail("give exactly one of 'match' (a list of words) and 'regex'");
        if (re) {
            if (!re->is_string() || re->as_string().empty()) fail("field 'regex': expected a non-empty string");
            return std::string(re->as_string());
        }
        if (!words->is_array() || words->as_array().empty()) fail("field 'match': expected a non-empty list of words");
        std::string out = "\\A";  // anchored: each look-ahead reads the text once, not from every position
        for (const auto& w : words->as_array()) {
            if (!w.is_string() || w.as_string().empty()) fail("field 'match': every word must be a non-empty string");
            out += "(?=[\\s\\S]*?\\Q";
            for (char c : std::string_view(w.as_string())) {
                if (c == '\\') out += "\\E\\\\\\Q";  // a backslash cannot sit inside \Q...\E's end marker
                else out += c;
            }
            out += "\\E)";
        }
        return out;
    }

    kb_text text_of(const boost::json::value& v, std::string_view lang, const failure& fail) {
        const auto* o = v.if_object();
        const std::string f = "field '" + std::string(lang) + "'";
        if (!o) fail(f + ": expected an object with description, root_cause, recommendations");
        for (const auto& [key, value] : *o)
            if (key != "description" && key != "root_cause" && key != "recommendations")
                fail(f + ": unknown field '" + std::string(key) + "' (known: description, root_cause, recommendations)");
        const auto text = [&](std::string_view key, bool required) {
            std::string s = string_field(*o, key, fail, required);
            if (s.size() > max_text) fail(f + "." + std::string(key) + ": longer than 2000 characters");
            return keep(s);
        };
        kb_text t;
        t.description = text("description", true);
        if (t.description.empty()) fail(f + ".description is empty");
        t.root_cause = text("root_cause", false);
        if (const auto* r = o->if_contains("recommendations")) {
            if (!r->is_array() || r->as_array().size() > t.recommendations.size())
                fail(f + ".recommendations: a list of at most 4 strings");
            std::size_t k = 0;
            for (const auto& item : r->as_array()) {
                if (!item.is_string()) fail(f + ".recommendations: a list of at most 4 strings");
                if (item.as_string().size() > max_text) fail(f + ".recommendations: one is longer than 2000 characters");
                t.recommendations[k++] = keep(item.as_string());
            }
        }
        return t;
    }

    std::deque<std::string> text_;
    std::vector<kb_signature> signatures_;
    std::vector<std::string> files_;
};

LOGLENS_NAMESPACE_END
