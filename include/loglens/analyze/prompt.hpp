#pragma once
// The LLM prompt for one group, sized to the model's context, and the JSON schema and validation of the answer.
// SPDX-License-Identifier: MIT

#include <loglens/analyze/knowledge_base.hpp>
#include <loglens/analyze/llm_client.hpp>
#include <loglens/detail/time.hpp>

#include <boost/json.hpp>

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

LOGLENS_NAMESPACE_BEGIN

/// Bumped whenever the prompt or schema changes, so cached answers of an older prompt are not reused.
inline constexpr int prompt_version = 2;

namespace detail {

/// A conservative token estimate: ~3 bytes per token for ASCII, ~2 for other UTF-8 (Cyrillic, ...).
inline std::size_t estimate_tokens(std::string_view s) {
    std::size_t ascii = 0, other = 0;
    for (unsigned char c : s) (c < 0x80 ? ascii : other)++;
    return (ascii + 2) / 3 + (other + 1) / 2;
}

/// Cuts `s` to at most `max` bytes on a UTF-8 boundary, marking the cut.
inline std::string clip(std::string_view s, std::size_t max) {
    if (s.size() <= max) return std::string(s);
    std::size_t n = max > 3 ? max - 3 : 0;
    while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
    return std::string(s.substr(0, n)) + "...";
}

/// A traceback trimmed to `max` bytes: its head and its tail, where the exception is.
inline std::string clip_lines(const std::vector<std::string>& lines, std::size_t max) {
    std::string all;
    for (const auto& l : lines) (all += l) += '\n';
    if (all.size() <= max) return all;
    const std::size_t head = max / 3, tail = max - head;
    std::string out = clip(all, head);
    out += "\n[...]\n";
    std::size_t from = all.size() - tail;
    while (from < all.size() && (static_cast<unsigned char>(all[from]) & 0xC0) == 0x80) ++from;
    out += all.substr(from);
    return out;
}

/// Bytes the user message may take so that the whole prompt stays within `num_ctx - num_predict`, less room for
/// the chat template; `scale` (below 1) shrinks it when the server counted more tokens than estimated.
inline std::size_t prompt_bytes_left(std::string_view system, int num_ctx, int num_predict, double scale) {
    // the schema travels as a grammar, not as prompt text; the chat template and the estimate's error do not
    const long reserve = 48 + num_ctx / 16;
    const long budget_tokens = std::max<long>(
        24, static_cast<long>(num_ctx) - num_predict - reserve - static_cast<long>(estimate_tokens(system)));
    // bytes are what we can cut; 2 bytes per token is the pessimistic side of estimate_tokens
    return static_cast<std::size_t>(static_cast<double>(budget_tokens) * 2 * std::clamp(scale, 0.05, 1.0));
}

}  // namespace detail

/// Lengths the schema asks for and validation enforces (by trimming): they also bound the answer's tokens.
struct answer_limits {
    static constexpr std::size_t description = 400, root_cause = 700, recommendation = 240, recommendations = 4;
};

/// @brief The JSON schema the model must answer with (Ollama `format`, OpenAI `response_format.json_schema.schema`).
///
/// `confidence` is an integer percentage: grammar-constrained servers (llama.cpp, Ollama) enforce integer
/// ranges but drop `minimum`/`maximum` on numbers, and a random or small model then answers 2.5.
inline boost::json::object analysis_schema() {
    boost::json::array classes;
    for (auto c : detail::classification_names) classes.emplace_back(c);
    using L = answer_limits;
    const auto text = [](std::size_t max) {
        return boost::json::object{{"type", "string"}, {"minLength", 1}, {"maxLength", max}};
    };
    return boost::json::object{
        {"type", "object"},
        {"properties",
         boost::json::object{{"classification", boost::json::object{{"type", "string"}, {"enum", classes}}},
                             {"description", text(L::description)},
                             {"root_cause", text(L::root_cause)},
                             {"recommendations", boost::json::object{{"type", "array"},
                                                                     {"items", text(L::recommendation)},
                                                                     {"minItems", 1},
                                                                     {"maxItems", L::recommendations}}},
                             {"confidence", boost::json::object{{"type", "integer"}, {"minimum", 0}, {"maximum", 100}}}}},
        {"required", boost::json::array{"classification", "description", "root_cause", "recommendations", "confidence"}},
        {"additionalProperties", false}};
}

/// What validation repaired in an answer instead of rejecting it, by kind (counted in the report).
using answer_repairs = std::map<std::string, std::uint64_t>;

namespace detail {

/// A confidence as the model gave it, as a fraction 0..1. Integers 0..100 are percentages (what the schema
/// asks); fractions 0..1 are taken as they are; out-of-range numbers are clamped, non-integers above 1 rescaled.
inline std::optional<double> repair_confidence(const boost::json::value& v, answer_repairs& repairs) {
    if (!v.is_number()) return std::nullopt;
    const double c = v.to_number<double>();
    if (!(c == c)) return std::nullopt;  // NaN cannot be repaired
    const bool integral = v.is_int64() || v.is_uint64() || (c == static_cast<double>(static_cast<long long>(c)) && c > 1);
    if (c < 0) {
        ++repairs["confidence_clamped"];
        return 0.0;
    }
    if (c > 100) {
        ++repairs["confidence_clamped"];
        return 1.0;
    }
    if (integral) return c / 100.0;
    if (c <= 1.0) return c;
    ++repairs["confidence_rescaled"];  // e.g. 2.5: a percentage written with a decimal point
    return c / 100.0;
}

/// Trims `s` to `max` bytes on a UTF-8 boundary, counting the repair.
inline std::string trimmed(std::string_view s, std::size_t max, answer_repairs& repairs) {
    if (s.size() <= max) return std::string(s);
    ++repairs["text_trimmed"];
    return clip(s, max);
}

}  // namespace detail

/// @brief Checks a model's answer against the schema. Returns the analysis, or fills `error` with every problem.
///
/// Tolerates what small models add around the JSON (code fences, a sentence before it), and repairs what a
/// server could not constrain (out-of-range confidence, over-long text, too many recommendations), counting
/// each repair in `repairs`. What cannot be repaired (missing fields, a class outside the enum, no text) is
/// rejected.
inline std::optional<analysis> validate_answer(std::string_view text, std::string& error, answer_repairs& repairs) {
    const auto b = text.find('{');
    const auto e = text.rfind('}');
    if (b == std::string_view::npos || e == std::string_view::npos || e < b) {
        error = "the answer is not a JSON object";
        return std::nullopt;
    }
    boost::system::error_code ec;
    auto v = boost::json::parse(text.substr(b, e - b + 1), ec);
    if (ec || !v.is_object()) {
        error = "the answer is not valid JSON (" + ec.message() + ")";
        return std::nullopt;
    }
    const auto& o = v.as_object();
    std::vector<std::string> problems;
    answer_repairs found;
    analysis a;
    a.source = analysis_source::llm;
    const auto blank = [](std::string_view s) { return s.find_first_not_of(" \t\r\n") == std::string_view::npos; };
    const auto text_field = [&](std::string_view k, std::string& out, std::size_t max) {
        const auto* f = o.if_contains(k);
        if (!f || !f->is_string() || blank(f->as_string()))
            problems.push_back("\"" + std::string(k) + "\" must be a non-empty string");
        else out = detail::trimmed(f->as_string(), max, found);
    };
    if (const auto* c = o.if_contains("classification"); c && c->is_string()) {
        if (auto cl = parse_classification(std::string_view(c->as_string()))) a.verdict = *cl;
        else problems.push_back("\"classification\" must be one of critical, major, minor, warning, info");
    } else problems.push_back("\"classification\" must be one of critical, major, minor, warning, info");
    text_field("description", a.description, answer_limits::description);
    text_field("root_cause", a.root_cause, answer_limits::root_cause);
    if (const auto* r = o.if_contains("recommendations"); r && r->is_array() && !r->as_array().empty()) {
        std::size_t bad = 0;
        for (const auto& x : r->as_array()) {
            if (!x.is_string() || blank(x.as_string())) {
                ++bad;
                continue;
            }
            if (a.recommendations.size() == answer_limits::recommendations) {
                ++found["recommendations_dropped"];
                continue;
            }
            a.recommendations.push_back(detail::trimmed(x.as_string(), answer_limits::recommendation, found));
        }
        if (bad) problems.push_back("\"recommendations\" must hold only non-empty strings");
    } else problems.push_back("\"recommendations\" must be a non-empty array of strings");
    const auto* conf_field = o.if_contains("confidence");
    if (const auto conf = conf_field ? detail::repair_confidence(*conf_field, found) : std::nullopt) a.confidence = *conf;
    else problems.push_back("\"confidence\" must be an integer from 0 to 100");
    if (!problems.empty()) {
        error.clear();
        for (const auto& p : problems) error += (error.empty() ? "" : "; ") + p;
        return std::nullopt;
    }
    for (const auto& [k, n] : found) repairs[k] += n;
    return a;
}

inline std::optional<analysis> validate_answer(std::string_view text, std::string& error) {
    answer_repairs ignored;
    return validate_answer(text, error, ignored);
}

/// @brief Builds the messages for one group. The estimate of the whole prompt stays within
/// `num_ctx - num_predict` minus room for the chat template, whatever the size of the group's text.
/// `scale` (below 1) shrinks the text further when the server counted more tokens than the estimate did.
inline std::vector<llm_message> build_prompt(const log_group& g, const analysis& known, language lang, int num_ctx,
                                             int num_predict, double scale = 1.0) {
    const bool ru = lang == language::ru;
    std::string system =
        ru ? "Ты — эксперт по MLOps (Airflow, Spark, Redis, MinIO), Docker и отладке распределённых систем. "
             "Проанализируй группу похожих записей лога. Ответь ТОЛЬКО JSON-объектом с полями: "
             "classification (одно из critical, major, minor, warning, info), description (1-2 предложения), "
             "root_cause (2-3 предложения), recommendations (2-4 конкретных действия), confidence (целое 0..100). "
             "Весь текст — на русском языке. Секреты в логах заменены на <redacted:...>."
           : "You are an expert in MLOps (Airflow, Spark, Redis, MinIO), Docker and debugging distributed systems. "
             "Analyse a group of similar log entries. Answer ONLY with a JSON object with the fields: "
             "classification (one of critical, major, minor, warning, info), description (1-2 sentences), "
             "root_cause (2-3 sentences), recommendations (2-4 concrete actions), confidence (integer 0..100). "
             "Write all text in English. Secrets in the logs were replaced by <redacted:...>.";

    std::size_t left = detail::prompt_bytes_left(system, num_ctx, num_predict, scale);
    std::string user;
    const auto put = [&](std::string_view s) {
        if (s.size() > left) s = s.substr(0, 0);
        user += s;
        left -= s.size();
    };
    const auto put_clipped = [&](std::string_view s, std::size_t max) { put(detail::clip(s, std::min(max, left))); };

    put(ru ? "Сервис: " : "Service: ");
    put_clipped(g.service.empty() ? "?" : g.service, 80);
    if (!g.component.empty()) {
        put(ru ? " (компонент: " : " (component: ");
        put_clipped(g.component, 80);
        put(")");
    }
    put("\n");
    std::string counts = (ru ? "Уровень: " : "Level: ") + std::string(to_string(g.level)) +
                         (ru ? "; повторений: " : "; occurrences: ") + std::to_string(g.count);
    if (g.first_seen)
        counts += (ru ? "; период: " : "; from ") + detail::format_rfc3339(*g.first_seen) + (ru ? " — " : " to ") +
                  detail::format_rfc3339(g.last_seen ? *g.last_seen : *g.first_seen);
    put(counts + "\n");
    put(ru ? "Шаблон: " : "Template: ");
    put_clipped(g.template_text, 600);
    put("\n");
    if (!g.exception.empty()) {
        put(ru ? "Исключение: " : "Exception: ");
        put_clipped(g.exception, 300);
        put("\n");
    }
    std::string kbtext;
    if (known.source == analysis_source::knowledge_base)
        kbtext = (ru ? "База знаний (сигнатура " : "Knowledge base (signature ") + known.signature +
                 "): " + known.description + " " + known.root_cause + "\n";
    else kbtext = ru ? "База знаний: совпадений нет.\n" : "Knowledge base: no known signature.\n";
    put_clipped(kbtext, 700);

    std::string params;
    std::size_t shown = 0;
    for (std::size_t i = 0; i < g.params.size() && shown < 3; ++i) {
        const auto& p = g.params[i];
        if (p.values.empty()) continue;
        ++shown;
        params += "  " + p.name + " #" + std::to_string(i + 1) + ": ";
        for (std::size_t k = 0; k < p.values.size() && k < 5; ++k)
            params += (k ? ", " : "") + detail::clip(p.values[k].value, 60) + " (" + std::to_string(p.values[k].count) +
                      ")";
        params += "\n";
    }
    if (!params.empty()) put_clipped((ru ? "Частые значения параметров:\n" : "Top parameter values:\n") + params, 600);

    const std::size_t n = std::min<std::size_t>(g.samples.size(), 3);
    if (n > 0) put(ru ? "Примеры записей:\n" : "Sample entries:\n");
    for (std::size_t i = 0; i < n; ++i) {
        const auto& s = g.samples[i];
        const std::size_t share = left / (n - i);
        std::string one = "--- " + std::to_string(i + 1) + ": ";
        one += detail::clip(s.raw.empty() ? s.message : s.raw, std::min<std::size_t>(500, share / 2 + 1));
        one += "\n";
        if (!s.continuation.empty() && share > one.size() + 40)
            one += detail::clip_lines(s.continuation, std::min<std::size_t>(1800, share - one.size() - 20));
        put_clipped(one, share);
    }
    put(ru ? "Ответь JSON-объектом." : "Answer with the JSON object.");
    return {{"system", std::move(system)}, {"user", std::move(user)}};
}

/// The message that asks the model to fix an invalid answer (the one retry).
inline llm_message correction_message(const std::string& error, language lang) {
    return {"user",
            lang == language::ru
                ? "Ответ не прошёл проверку: " + error + ". Ответь ещё раз только JSON-объектом по схеме."
                : "The answer failed validation: " + error + ". Answer again with only the JSON object of the schema."};
}

LOGLENS_NAMESPACE_END
