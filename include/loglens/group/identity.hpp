#pragma once
// Stable problem identity: the id of a group from what does not change between runs, hosts and replicas.
// SPDX-License-Identifier: MIT

#include <loglens/core/types.hpp>
#include <loglens/detail/ascii.hpp>
#include <loglens/detail/hash.hpp>
#include <loglens/group/detail/tokenize.hpp>

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

LOGLENS_NAMESPACE_BEGIN
namespace detail {

// Kubernetes writes pod and replica-set hashes in this alphabet (no vowels, no 0, 1, 3), so a suffix made
// of it is a generated name, not wording.
inline bool is_generated_suffix(std::string_view s) noexcept {
    constexpr std::string_view alphabet = "bcdfghjklmnpqrstvwxz2456789";
    if (s.size() != 5 && (s.size() < 8 || s.size() > 10)) return false;
    return std::all_of(s.begin(), s.end(), [&](char c) { return alphabet.find(c) != std::string_view::npos; });
}

inline bool is_digits(std::string_view s) noexcept {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

/// The kind of a service: its name without replica suffixes (`spark-worker-2`, `worker_1`, `web-7d9f8b6c4-x2klm`
/// are `spark-worker`, `worker`, `web`), so every replica of a service names the same problems.
inline std::string service_kind(std::string_view s) {
    for (;;) {
        const auto cut = s.find_last_of("-_.");
        if (cut == std::string_view::npos || cut == 0) break;
        const auto tail = s.substr(cut + 1);
        if (!is_digits(tail) && !(s[cut] == '-' && is_generated_suffix(tail))) break;
        s = s.substr(0, cut);
    }
    return std::string(s);
}

/// The wording of masked text: its words with the variables taken out, words of only punctuation dropped.
/// A mask that reads a value differently (one `<*>` or two) does not change it.
inline std::string wording(std::string_view text) {
    std::string out;
    std::size_t i = 0;
    while (i < text.size()) {
        const auto end = std::min(text.find(' ', i), text.size());
        std::string w;
        for (std::size_t k = i; k < end; ++k) {
            if (text.compare(k, 3, "<*>") == 0) {
                k += 2;
                continue;
            }
            w += text[k];
        }
        if (std::any_of(w.begin(), w.end(), [](char c) { return is_alpha(c); })) {
            if (!out.empty()) out += ' ';
            out += w;
        }
        i = end + 1;
    }
    return out;
}

/// A word as the miner masks it (`VM-42` reads `VM-<*>`), for the templates a generalised template absorbed.
inline std::string masked_word(std::string_view word) {
    tokenizer tok;
    tok.run(word);
    tok.finish();
    std::string out;
    for (const auto& pc : tok.pieces) out += pc.kind == var_kind::none ? std::string(pc.text) : std::string("<*>");
    return out;
}

/// The type of an exception line: `ValueError: bad <*>` -> `ValueError`; JVM `java.net.ConnectException: ...`.
inline std::string_view exception_type(std::string_view exception) noexcept {
    const auto colon = exception.find(':');
    auto t = exception.substr(0, colon);
    while (!t.empty() && t.back() == ' ') t.remove_suffix(1);
    return t;
}

/// Digits in a component are line numbers or thread numbers (`dagbag.py:123`, `worker-3`), not identity.
inline std::string component_kind(std::string_view c) {
    std::string out;
    for (char ch : c)
        if (ch < '0' || ch > '9') out += ch;
    return out;
}

inline std::string identity_of(std::string_view kind, std::string_view component, std::string_view message_wording,
                               std::string_view exception) {
    std::string key = "id1";
    for (std::string_view part : {kind, component, message_wording}) {
        key += '\x1f';
        key += part;
    }
    if (!exception.empty()) {
        key += '\x1e';
        key += exception_type(exception);
        key += '\x1f';
        key += wording(exception);
    }
    return short_id(fnv1a(key));
}

}  // namespace detail

/// Most aliases one group carries: every kept value of each generalised word (ten per word), bounded.
inline constexpr std::size_t max_aliases = 32;

/// @brief Sets `g.id` and `g.aliases` from what does not change between runs (see docs/grouping.md):
/// the service kind, the component without digits, the wording of the template (never its variables) and the
/// exception's type and wording. A word that became a variable keeps, as aliases, the ids the templates it
/// absorbed had (rebuilt from the values kept at that word), so yesterday's `changed to Started` is found in
/// today's `changed to <*>`.
inline void assign_identity(log_group& g) {
    const auto kind = detail::service_kind(g.service);
    const auto component = detail::component_kind(g.component);
    g.id = detail::identity_of(kind, component, detail::wording(g.template_text), g.exception);
    g.aliases.clear();
    // words of the template, and the index of the first variable in each
    std::vector<std::string_view> words;
    std::string_view t = g.template_text;
    for (std::size_t i = 0; i <= t.size();) {
        const auto end = std::min(t.find(' ', i), t.size());
        words.push_back(t.substr(i, end - i));
        i = end + 1;
    }
    std::size_t param = 0;
    for (std::size_t w = 0; w < words.size() && g.aliases.size() < max_aliases; ++w) {
        std::size_t holes = 0;
        for (auto at = words[w].find("<*>"); at != std::string_view::npos; at = words[w].find("<*>", at + 3)) ++holes;
        const auto label = words[w].substr(0, words[w].size() >= 3 ? words[w].size() - 3 : 0);
        const bool whole = holes == 1 && words[w].ends_with("<*>") && param < g.params.size();
        if (whole) {
            for (const auto& v : g.params[param].values) {
                const auto masked = detail::masked_word(v.value);
                if (masked.find("<*>") == 0 && masked.size() == 3) continue;  // a plain value: no template had it
                std::string text;
                for (std::size_t k = 0; k < words.size(); ++k) {
                    if (k) text += ' ';
                    text += k == w ? std::string(label) + masked : std::string(words[k]);
                }
                auto id = detail::identity_of(kind, component, detail::wording(text), g.exception);
                if (id != g.id && g.aliases.size() < max_aliases) g.aliases.push_back(std::move(id));
            }
        }
        param += holes;
    }
    std::sort(g.aliases.begin(), g.aliases.end());
    g.aliases.erase(std::unique(g.aliases.begin(), g.aliases.end()), g.aliases.end());
}

/// True when two groups name the same problem: the same id, or one's id among the other's aliases.
[[nodiscard]] inline bool same_problem(const log_group& a, const log_group& b) noexcept {
    if (a.id == b.id) return true;
    const auto has = [](const log_group& g, const std::string& id) {
        return std::find(g.aliases.begin(), g.aliases.end(), id) != g.aliases.end();
    };
    return has(a, b.id) || has(b, a.id);
}

LOGLENS_NAMESPACE_END
