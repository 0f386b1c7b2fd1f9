#pragma once
// The offline knowledge base: known failure signatures of Airflow, Spark, Redis, MinIO and their neighbours, and its analyser.
// SPDX-License-Identifier: MIT

#include <loglens/analyze/analysis_context.hpp>
#include <loglens/analyze/kb/airflow.hpp>
#include <loglens/analyze/kb/minio.hpp>
#include <loglens/analyze/kb/neighbours.hpp>
#include <loglens/analyze/kb/redis.hpp>
#include <loglens/analyze/kb/signature.hpp>
#include <loglens/analyze/kb/spark.hpp>
#include <loglens/core/concepts.hpp>
#include <loglens/detail/config.hpp>

#include <boost/asio/post.hpp>
#include <boost/regex.hpp>

#include <algorithm>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

LOGLENS_NAMESPACE_BEGIN

namespace detail {
inline std::string lower_ascii(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = ascii_lower(c);
    return out;
}

inline bool contains_icase(std::string_view hay, std::string_view needle) {
    return lower_ascii(hay).find(lower_ascii(needle)) != std::string::npos;
}

/// The text a signature is matched against: exceptions, template, samples with the head and tail of their
/// tracebacks. Every piece is bounded, so a 10 MB line costs no more than a short one.
inline std::string match_text(const log_group& g) {
    std::string t;
    const auto add = [&](std::string_view s) {
        if (s.empty()) return;
        t.append(s.substr(0, 2048));
        t += '\n';
    };
    add(g.exception);
    add(g.template_text);
    for (const auto& s : g.samples) {
        add(s.exception);
        add(s.message);
        const std::size_t n = s.continuation.size();
        for (std::size_t i = 0; i < n; ++i)
            if (i < 40 || i + 10 >= n) add(s.continuation[i]);
    }
    return t;
}

inline analysis analysis_from(const kb_signature& s, language lang) {
    const kb_text& t = lang == language::en ? s.en : s.ru;
    analysis a;
    a.verdict = s.verdict;
    a.description = std::string(t.description);
    a.root_cause = std::string(t.root_cause);
    for (auto r : t.recommendations)
        if (!r.empty()) a.recommendations.emplace_back(r);
    a.confidence = s.confidence;
    a.source = analysis_source::knowledge_base;
    a.benign = s.benign;
    a.signature = std::string(s.id);
    return a;
}
}  // namespace detail

/// @brief A set of compiled signatures, matched service-aware and first-match-wins.
///
/// The default instance (`knowledge_base::builtin()`) holds every table under `analyze/kb/`. To add your own,
/// build one from spans of `kb_signature` (your tables first so they win); the strings must outlive it.
class knowledge_base {
public:
    explicit knowledge_base(std::vector<std::span<const kb_signature>> tables) {
        for (auto t : tables)
            for (const auto& s : t) add(s);
    }

    /// Every built-in table, compiled once per process (defined below the class).
    static const knowledge_base& builtin();

    /// Adds one signature at the end. Throws std::invalid_argument naming the signature if its pattern is invalid.
    void add(const kb_signature& s) {
        try {
            entries_.push_back(
                {&s, boost::regex(s.pattern.begin(), s.pattern.end(), boost::regex::perl | boost::regex::icase)});
        } catch (const boost::regex_error& e) {
            throw std::invalid_argument("knowledge base signature " + std::string(s.id) + ": invalid pattern: " + e.what());
        }
        if (std::find(families_.begin(), families_.end(), s.service) == families_.end()) families_.push_back(s.service);
    }

    /// The first signature that matches the group, or nullptr.
    [[nodiscard]] const kb_signature* match(const log_group& g) const {
        const std::string text = detail::match_text(g);
        const std::string svc = detail::lower_ascii(g.service);
        const bool known_family = std::any_of(families_.begin(), families_.end(),
                                              [&](std::string_view f) { return svc.find(f) != std::string::npos; });
        for (const auto& e : entries_) {
            if (known_family && !e.sig->seen_in_clients && svc.find(e.sig->service) == std::string::npos) continue;
            try {
                if (boost::regex_search(text, e.re)) return e.sig;
            } catch (const std::runtime_error&) {  // a user's pattern too costly for this text: no match here
            }
        }
        return nullptr;
    }

    /// The signature with this id, or nullptr.
    [[nodiscard]] const kb_signature* find(std::string_view id) const {
        for (const auto& e : entries_)
            if (e.sig->id == id) return e.sig;
        return nullptr;
    }

    [[nodiscard]] std::vector<const kb_signature*> signatures() const {
        std::vector<const kb_signature*> out;
        for (const auto& e : entries_) out.push_back(e.sig);
        return out;
    }

private:
    struct entry {
        const kb_signature* sig;
        boost::regex re;
    };
    std::vector<entry> entries_;
    std::vector<std::string_view> families_;
};

// Its regular expressions are built here; in compiled mode, once in loglens::loglens_compiled, not in every caller.
#if !defined(LOGLENS_COMPILED_LIB) || defined(LOGLENS_COMPILED_LIB_SOURCE)
LOGLENS_INLINE const knowledge_base& knowledge_base::builtin() {
    static const knowledge_base kb({kb::airflow, kb::spark, kb::redis, kb::minio, kb::neighbours});
    return kb;
}
#endif

/// A classification for a group nothing in the knowledge base explains: from its severity, count and exception
/// type. Marked `heuristic` with a low confidence, and says so in its text.
inline analysis heuristic_analysis(const log_group& g, language lang) {
    analysis a;
    a.source = analysis_source::heuristic;
    a.verdict = classification_for(g.level);
    a.confidence = 0.3;
    const std::string exc = detail::lower_ascii(g.exception.empty() && !g.samples.empty() ? g.samples.front().exception
                                                                                          : g.exception);
    const bool fatal_exc = exc.find("outofmemory") != std::string::npos || exc.find("memoryerror") != std::string::npos ||
                           exc.find("segmentation") != std::string::npos || exc.find("fatal") != std::string::npos;
    if (fatal_exc) a.verdict = classification::critical;
    else if (!exc.empty() && a.verdict < classification::major) a.verdict = classification::major;
    // many repeats of a warning are worth more attention than one
    if (a.verdict == classification::warning && g.count >= 100) a.verdict = classification::minor;
    const bool ru = lang == language::ru;
    const std::string svc = g.service.empty() ? std::string(ru ? "неизвестный сервис" : "unknown service") : g.service;
    const std::string level(to_string(g.level));
    if (ru) {
        a.description = "Сообщение уровня " + level + " в сервисе " + svc + " (" + std::to_string(g.count) +
                        " раз); нет в базе знаний, оценка эвристическая.";
        a.root_cause = exc.empty() ? "Причина не определена: сигнатура неизвестна, анализ LLM не выполнялся."
                                   : "Исключение: " + (g.exception.empty() ? g.samples.front().exception : g.exception) +
                                         ". Точная причина не определена без LLM.";
        a.recommendations = {"Посмотрите примеры записей группы и строки вокруг первого появления.",
                             "Запустите анализ с LLM (--backend ollama) для объяснения."};
    } else {
        const bool vowel = !level.empty() && std::string_view("aeiou").find(level.front()) != std::string_view::npos;
        a.description = (vowel ? "An " : "A ") + level + " message in service " + svc + " (" + std::to_string(g.count) +
                        " times); not in the knowledge base, a heuristic estimate.";
        a.root_cause = exc.empty() ? "Unknown: no known signature matched and no LLM analysis was done."
                                   : "Exception: " + (g.exception.empty() ? g.samples.front().exception : g.exception) +
                                         ". The exact cause needs an LLM analysis.";
        a.recommendations = {"Read the group's samples and the lines around its first occurrence.",
                             "Run with an LLM (--backend ollama) for an explanation."};
    }
    return a;
}

/// The knowledge base's analysis of a group if a signature matches, else the heuristic one.
inline analysis offline_analysis(const log_group& g, language lang, const knowledge_base& kb = knowledge_base::builtin()) {
    if (const auto* s = kb.match(g)) return detail::analysis_from(*s, lang);
    return heuristic_analysis(g, lang);
}

/// @brief The offline analyser: the knowledge base, then heuristics. Instant, needs no network.
class knowledge_base_analyzer {
public:
    using stage_category = analyzer_tag;

    knowledge_base_analyzer() : kb_(&knowledge_base::builtin()) {}
    explicit knowledge_base_analyzer(const knowledge_base& kb) : kb_(&kb) {}

    void async_analyze(const log_group& g, const analysis_context& ctx, analysis_handler done) const {
        analysis a = offline_analysis(g, ctx.lang, *kb_);
        boost::asio::post(ctx.executor, [a = std::move(a), done = std::move(done)]() mutable { done(std::move(a)); });
    }

private:
    const knowledge_base* kb_;
};

LOGLENS_NAMESPACE_END
