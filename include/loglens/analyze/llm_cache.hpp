#pragma once
// The on-disk cache of LLM answers: one versioned JSON file per key, never executable state.
// SPDX-License-Identifier: MIT

#include <loglens/analyze/incident_prompt.hpp>
#include <loglens/analyze/llm_client.hpp>
#include <loglens/analyze/prompt.hpp>
#include <loglens/analyze/triage_prompt.hpp>
#include <loglens/detail/atomic_write.hpp>
#include <loglens/detail/hash.hpp>
#include <loglens/group/identity.hpp>

#include <boost/json.hpp>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <optional>
#include <span>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

LOGLENS_NAMESPACE_BEGIN

/// How much the cache keeps: the newest `max_entries` answers, none older than `max_age` (by last use).
struct llm_cache_limits {
    std::size_t max_entries = 10000;
    std::chrono::hours max_age{24 * 90};
};

/// @brief Answers keyed by what determines them: the problem's identity (`log_group::id`), its masked template
/// and exception type, the backend, model, prompt version, language and sampling options. Counts, times and
/// which samples happened to be kept are not in the key, so a re-run over a longer log still hits. The store
/// is bounded (`llm_cache_limits`, applied when the cache opens; a hit counts as a use). Unreadable or foreign
/// files are ignored, never trusted.
class llm_cache {
public:
    static constexpr int format_version = 2;

    explicit llm_cache(std::filesystem::path dir, llm_cache_limits limits = {}, file_permissions perms = {})
        : dir_(std::move(dir)),
          limits_(limits),
          perms_(perms) {
        prune();
    }

    [[nodiscard]] static std::string key(const log_group& g, const llm_options& o, language lang) {
        std::string k = settings_key("p" + std::to_string(prompt_version), o, lang);
        field(k, g.id);
        field(k, g.template_text);
        field(k, detail::exception_type(g.exception));
        return hashed(k);
    }

    /// @brief An incident's answer is keyed by its identity: its id (from the first cause's problem id) and
    /// its members in order of first appearance, each by what keys a problem's answer (id, masked template,
    /// exception type). Counts and times are not in it, so the same cascade in a longer log still hits.
    [[nodiscard]] static std::string incident_key(const incident& inc, std::span<const problem* const> members,
                                                  const llm_options& o, language lang) {
        std::string k = settings_key("i" + std::to_string(incident_prompt_version), o, lang);
        field(k, inc.id);
        for (const problem* p : members) {
            field(k, p->group.id);
            field(k, p->group.template_text);
            field(k, detail::exception_type(p->group.exception));
        }
        return hashed(k);
    }

    /// A template's triage verdict is keyed by what keys its analysis (id, masked template, exception type):
    /// the verdict is the template's, not the batch's it was asked in, so a later run asks only about new ones.
    [[nodiscard]] static std::string triage_key(const log_group& g, const llm_options& o, language lang) {
        std::string k = settings_key("t" + std::to_string(triage_prompt_version), o, lang);
        field(k, g.id);
        field(k, g.template_text);
        field(k, detail::exception_type(g.exception));
        return hashed(k);
    }

    [[nodiscard]] std::optional<analysis> load(const std::string& key) const {
        const auto ans = load_value(key);
        if (!ans) return std::nullopt;
        std::string err;
        return validate_answer(boost::json::serialize(*ans), err);
    }

    /// The stored answer of `key` as JSON, for the caller to validate; a hit counts as a use.
    [[nodiscard]] std::optional<boost::json::value> load_value(const std::string& key) const {
        std::ifstream in(path(key), std::ios::binary);
        if (!in) return std::nullopt;
        std::stringstream ss;
        ss << in.rdbuf();
        boost::system::error_code ec;
        auto v = boost::json::parse(ss.str(), ec);
        if (ec || !v.is_object()) return std::nullopt;
        const auto& o = v.as_object();
        const auto* fmt = o.if_contains("format");
        const auto* ver = o.if_contains("version");
        const auto* k = o.if_contains("key");
        const auto* ans = o.if_contains("answer");
        if (!fmt || !fmt->is_string() || fmt->as_string() != "loglens-llm-cache" || !ver || !ver->is_int64() ||
            ver->as_int64() != format_version || !k || !k->is_string() || k->as_string() != key || !ans)
            return std::nullopt;
        std::error_code touch;  // the age bound counts from the last use
        std::filesystem::last_write_time(path(key), std::filesystem::file_time_type::clock::now(), touch);
        return *ans;
    }

    /// Removes answers unused for longer than `max_age`, then the least recently used beyond `max_entries`.
    /// Only files named like keys are touched, so a cache folder shared with other files stays safe.
    void prune() const noexcept {
        try {
            std::vector<std::pair<std::filesystem::file_time_type, std::filesystem::path>> files;
            std::error_code ec;
            for (const auto& f : std::filesystem::directory_iterator(dir_, ec))
                if (is_key_file(f.path())) files.emplace_back(f.last_write_time(ec), f.path());
            const auto oldest = std::filesystem::file_time_type::clock::now() - limits_.max_age;
            std::sort(files.begin(), files.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
            for (std::size_t i = 0; i < files.size(); ++i)
                if (i >= limits_.max_entries || files[i].first < oldest) std::filesystem::remove(files[i].second, ec);
        } catch (...) {
        }
    }

    /// Best effort: a cache that cannot be written only costs a later call.
    void store(const std::string& key, const analysis& a, const llm_options& o) const noexcept {
        try {
            boost::json::array recs;
            for (const auto& r : a.recommendations) recs.emplace_back(r);
            store_value(key,
                        boost::json::object{{"classification", to_string(a.verdict)},
                                            {"description", a.description},
                                            {"root_cause", a.root_cause},
                                            {"recommendations", std::move(recs)},
                                            {"confidence", a.confidence}},
                        o);
        } catch (...) {
        }
    }

    /// Stores any validated answer (an incident's, ...) under `key`; best effort, as `store`.
    void store_value(const std::string& key, boost::json::value answer, const llm_options& o) const noexcept {
        try {
            detail::create_folders(dir_, perms_.folder);
            boost::json::object doc{
                {"format", "loglens-llm-cache"},    {"version", format_version},       {"key", key},
                {"prompt_version", prompt_version}, {"backend", to_string(o.backend)}, {"model", o.model},
                {"answer", std::move(answer)}};
            detail::atomic_write(
                path(key), [&](std::ostream& out) { out << boost::json::serialize(doc) << '\n'; }, perms_.file);
        } catch (...) {
        }
    }

    [[nodiscard]] std::filesystem::path path(const std::string& key) const { return dir_ / (key + ".json"); }

private:
    static void field(std::string& k, std::string_view s) {
        k += '\x1f';
        k += s;
    }

    /// What keys every answer besides its subject: cache format, prompt, backend, model, language, sampling.
    static std::string settings_key(const std::string& prompt, const llm_options& o, language lang) {
        std::string k = "v" + std::to_string(format_version) + "/" + prompt;
        field(k, to_string(o.backend));
        field(k, o.model);
        field(k, to_string(lang));
        field(k, std::to_string(o.temperature));
        field(k, std::to_string(o.seed));
        field(k, std::to_string(o.num_ctx));
        field(k, std::to_string(o.num_predict));
        field(k, o.use_generate ? "generate" : "chat");
        return k;
    }

    static std::string hashed(const std::string& k) {
        return detail::short_id(detail::fnv1a(k)) + detail::short_id(detail::fnv1a(k, 0x9e3779b97f4a7c15ull)) +
               detail::short_id(k.size());
    }

    [[nodiscard]] static bool is_key_file(const std::filesystem::path& p) {
        const auto stem = p.stem().string();
        return p.extension() == ".json" && stem.size() == 36 && std::all_of(stem.begin(), stem.end(), [](char c) {
                   return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
               });
    }

    std::filesystem::path dir_;
    llm_cache_limits limits_;
    file_permissions perms_;
};

LOGLENS_NAMESPACE_END
