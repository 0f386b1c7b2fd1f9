#pragma once
// The on-disk cache of LLM answers: one versioned JSON file per key, never executable state.

#include <loglens/analyze/llm_client.hpp>
#include <loglens/analyze/prompt.hpp>
#include <loglens/detail/atomic_write.hpp>
#include <loglens/detail/hash.hpp>

#include <boost/json.hpp>

#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>

LOGLENS_NAMESPACE_BEGIN

/// @brief Answers keyed by what determines them: the group's template, exception and samples (redacted), the
/// backend, model, prompt version, language and sampling options. Counts and times are not in the key, so a
/// re-run over a longer log still hits. Unreadable or foreign files are ignored, never trusted.
class llm_cache {
public:
    static constexpr int format_version = 1;

    explicit llm_cache(std::filesystem::path dir, file_permissions perms = {}) : dir_(std::move(dir)), perms_(perms) {}

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
        field(g.service);
        field(g.template_text);
        field(g.exception);
        for (const auto& s : g.samples) {
            field(s.message);
            field(s.exception);
            for (const auto& l : s.continuation) field(l);
        }
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
        return validate_answer(boost::json::serialize(*ans), err);
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
    std::filesystem::path dir_;
    file_permissions perms_;
};

LOGLENS_NAMESPACE_END
