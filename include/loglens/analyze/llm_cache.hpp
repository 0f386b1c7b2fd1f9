#pragma once
// The on-disk cache of LLM answers: one versioned JSON file per key, never executable state.
// SPDX-License-Identifier: MIT

#include <loglens/analyze/llm_client.hpp>
#include <loglens/analyze/prompt.hpp>
#include <loglens/detail/atomic_write.hpp>
#include <loglens/detail/hash.hpp>
#include <loglens/group/identity.hpp>

#include <boost/json.hpp>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <optional>
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
        : dir_(std::move(dir)), limits_(limits), perms_(perms) {
        prune();
    }

    [[nodiscard]] static std::string key(const log_group& g, const llm_options& o, language lang) {
        std::string k = "v" + std::to_string(format_version) + "/p" + std::to_string(prompt_version);
        const auto field = [&](std::string_view s) {
            k += '\x1f';
            k += s;
        };
        field(to_string(o.backend));
        field(o.model);
        field(to_string(lang));
        field(std::to_string(o.temperature));
        field(std::to_string(o.seed));
        field(std::to_string(o.num_ctx));
        field(std::to_string(o.num_predict));
        field(o.use_generate ? "generate" : "chat");
        field(g.id);
        field(g.template_text);
        field(detail::exception_type(g.exception));
        return detail::short_id(detail::fnv1a(k)) + detail::short_id(detail::fnv1a(k, 0x9e3779b97f4a7c15ull)) +
               detail::short_id(k.size());
    }

    [[nodiscard]] std::optional<analysis> load(const std::string& key) const {
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
        std::string err;
        auto a = validate_answer(boost::json::serialize(*ans), err);
        if (a) {  // a hit is a use: the age bound counts from it
            std::error_code touch;
            std::filesystem::last_write_time(path(key), std::filesystem::file_time_type::clock::now(), touch);
        }
        return a;
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
            detail::create_folders(dir_, perms_.folder);
            boost::json::array recs;
            for (const auto& r : a.recommendations) recs.emplace_back(r);
            boost::json::object doc{{"format", "loglens-llm-cache"},
                                    {"version", format_version},
                                    {"key", key},
                                    {"prompt_version", prompt_version},
                                    {"backend", to_string(o.backend)},
                                    {"model", o.model},
                                    {"answer", boost::json::object{{"classification", to_string(a.verdict)},
                                                                   {"description", a.description},
                                                                   {"root_cause", a.root_cause},
                                                                   {"recommendations", std::move(recs)},
                                                                   {"confidence", a.confidence}}}};
            detail::atomic_write(
                path(key), [&](std::ostream& out) { out << boost::json::serialize(doc) << '\n'; }, perms_.file);
        } catch (...) {
        }
    }

    [[nodiscard]] std::filesystem::path path(const std::string& key) const { return dir_ / (key + ".json"); }

private:
    [[nodiscard]] static bool is_key_file(const std::filesystem::path& p) {
        const auto stem = p.stem().string();
        return p.extension() == ".json" && stem.size() == 36 &&
               std::all_of(stem.begin(), stem.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
    }

    std::filesystem::path dir_;
    llm_cache_limits limits_;
    file_permissions perms_;
};

LOGLENS_NAMESPACE_END
