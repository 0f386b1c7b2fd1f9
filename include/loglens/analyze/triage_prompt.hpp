#pragma once
// The LLM triage of templates the rules neither flag nor know: its batches, prompt, answer schema and validation.
// SPDX-License-Identifier: MIT

#include <loglens/analyze/incident_prompt.hpp>
#include <loglens/analyze/prompt.hpp>
#include <loglens/analyze/triage_outcome.hpp>
#include <loglens/core/types.hpp>

#include <boost/json.hpp>

#include <algorithm>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

LOGLENS_NAMESPACE_BEGIN

/// Bumped whenever the triage prompt or its schema changes, so cached triage verdicts are not reused.
inline constexpr int triage_prompt_version = 1;

/// Lengths the triage schema asks for and validation enforces by trimming.
struct triage_limits {
    static constexpr std::size_t reason = 200;         ///< one sentence per flagged template
    static constexpr std::size_t template_text = 240;  ///< of each template in the prompt
    static constexpr std::size_t per_call = 40;        ///< templates in one call, whatever the context
    static constexpr int tokens_per_flag = 70;         ///< what one flagged item costs the answer, generously
};

namespace detail {

/// The item ids of a batch of `n`: `t1` ... `tn`, short so that they cost few tokens.
inline std::string triage_id(std::size_t i) { return "t" + std::to_string(i + 1); }

/// One template as the prompt lists it.
inline std::string triage_line(const log_group& g, std::size_t i, std::size_t template_bytes) {
    std::string one = triage_id(i) + " [" + clip(g.service, 60) + "] " + std::string(to_string(g.level)) + " x" +
                      std::to_string(g.count) + ": " + clip(g.template_text, template_bytes);
    if (!g.exception.empty()) one += " (" + clip(g.exception, 80) + ")";
    for (auto& c : one)
        if (c == '\n' || c == '\r') c = ' ';  // one template, one line: the ids stay at line starts
    return one + "\n";
}

inline std::string triage_system(language lang, std::size_t max_flags) {
    const std::string n = std::to_string(max_flags);
    return lang == language::ru
               ? "Ты — SRE, разбирающий логи стека MLOps (Airflow, Spark, Redis, MinIO, Postgres) под docker compose. "
                 "Дан список шаблонов сообщений, записанных с уровнем ниже порога (INFO, NOTICE и т. п.); <*> — "
                 "переменные части. Почти все они обычны. Назови только те, что показывают сбой или состояние, "
                 "требующее действий инженера: компонент потерян, убит или завершился; ожидание без прогресса; "
                 "потеря мощности или данных; ошибка конфигурации; удалённая опция. Не называй обычный запуск, "
                 "прогресс, проверки здоровья и удавшиеся повторы. Ответь ТОЛЬКО JSON-объектом {\"flagged\": [{\"id\": "
                 "id шаблона, \"severity\": minor|major|critical, \"reason\": одно предложение на русском}]}, не более " +
                     n + " элементов; пустой список, если таких нет. Секреты заменены на <redacted:...>."
               : "You are an SRE reading the logs of an MLOps stack (Airflow, Spark, Redis, MinIO, Postgres) under docker "
                 "compose. Given: message templates logged below the threshold (INFO, NOTICE and the like); <*> marks "
                 "variable parts. Almost all are routine. Name only those that show a failure or a condition an "
                 "engineer must act on: a component lost, killed or exited; waiting without progress; capacity or "
                 "data lost; a misconfiguration; a removed option. Do not name routine start-up, progress, health "
                 "checks or retries that succeeded. Answer ONLY with a JSON object {\"flagged\": [{\"id\": the "
                 "template's id, \"severity\": minor|major|critical, \"reason\": one sentence in English}]}, at most " +
                     n + " items; an empty list when there are none. Secrets were replaced by <redacted:...>.";
}

}  // namespace detail

/// How many flagged items an answer of `num_predict` tokens has room for (the schema's `maxItems`).
inline std::size_t triage_max_flags(int num_predict) {
    return static_cast<std::size_t>(std::clamp((num_predict - 24) / triage_limits::tokens_per_flag, 1, 40));
}

/// @brief The schema of a triage answer for a batch of `n`: each flagged id one of the batch's (an `enum`,
/// which grammar-constrained servers enforce; validation checks it again for those that do not).
inline boost::json::object triage_schema(std::size_t n, std::size_t max_flags) {
    boost::json::array ids;
    for (std::size_t i = 0; i < n; ++i) ids.emplace_back(detail::triage_id(i));
    boost::json::object item{
        {"type", "object"},
        {"properties",
         boost::json::object{
             {"id", boost::json::object{{"type", "string"}, {"enum", std::move(ids)}}},
             {"severity",
              boost::json::object{{"type", "string"}, {"enum", boost::json::array{"minor", "major", "critical"}}}},
             {"reason", boost::json::object{{"type", "string"}, {"minLength", 1}, {"maxLength", triage_limits::reason}}}}},
        {"required", boost::json::array{"id", "severity", "reason"}},
        {"additionalProperties", false}};
    return boost::json::object{
        {"type", "object"},
        {"properties",
         boost::json::object{
             {"flagged", boost::json::object{{"type", "array"}, {"items", std::move(item)}, {"maxItems", max_flags}}}}},
        {"required", boost::json::array{"flagged"}},
        {"additionalProperties", false}};
}

/// @brief Checks a triage answer for a batch of `n`. Returns the flags (indices into the batch), or fills
/// `error` with every problem.
///
/// Strict about the shape (an object whose `flagged` is an array of {id, severity, reason}); tolerant about
/// what a server could not constrain: an id outside the batch, a repeated id or a severity that is no problem
/// (`info`, `warning`) drops that item, and an over-long reason is trimmed, each counted in `repairs`.
inline std::optional<std::vector<triage_flag>> validate_triage_answer(std::string_view text, std::size_t n,
                                                                      std::string& error, answer_repairs& repairs) {
    const auto b = text.find('{');
    const auto e = text.rfind('}');
    boost::system::error_code ec;
    boost::json::value v;
    if (b != std::string_view::npos && e != std::string_view::npos && e > b)
        v = boost::json::parse(text.substr(b, e - b + 1), ec);
    const auto* flagged = !ec && v.is_object() ? v.as_object().if_contains("flagged") : nullptr;
    if (!flagged || !flagged->is_array()) {
        error = ec || !v.is_object() ? "the answer is not a JSON object" : "\"flagged\" must be an array";
        return std::nullopt;
    }
    std::vector<triage_flag> out;
    std::vector<std::string> problems;
    answer_repairs found;
    std::vector<bool> seen(n, false);
    const auto& arr = flagged->as_array();
    for (std::size_t i = 0; i < arr.size(); ++i) {
        const auto* o = arr[i].if_object();
        const auto* id = o ? o->if_contains("id") : nullptr;
        const auto* sev = o ? o->if_contains("severity") : nullptr;
        const auto* why = o ? o->if_contains("reason") : nullptr;
        if (!id || !id->is_string() || !sev || !sev->is_string() || !why || !why->is_string() ||
            detail::blank_text(why->as_string())) {
            problems.push_back("\"flagged\"[" + std::to_string(i) + "] must be {id, severity, reason} with a reason");
            continue;
        }
        const std::string_view sid = id->as_string();
        std::size_t at = n;
        if (sid.size() > 1 && sid.size() < 8 && sid[0] == 't' &&
            std::all_of(sid.begin() + 1, sid.end(), [](char c) { return c >= '0' && c <= '9'; }))
            at = static_cast<std::size_t>(std::stoul(std::string(sid.substr(1)))) - 1;
        if (at >= n || seen[at]) {
            ++found[at >= n ? "triage_unknown_id" : "triage_repeated_id"];
            continue;
        }
        const auto c = parse_classification(sev->as_string());
        if (!c || *c < classification::minor) {
            ++found["triage_not_a_problem"];
            continue;
        }
        seen[at] = true;
        out.push_back({at, *c, detail::trimmed(why->as_string(), triage_limits::reason, found)});
    }
    if (!problems.empty()) {
        error.clear();
        for (const auto& p : problems) error += (error.empty() ? "" : "; ") + p;
        return std::nullopt;
    }
    for (const auto& [k, count] : found) repairs[k] += count;
    return out;
}

/// @brief How many of `groups`, from the first, one triage call takes: as many as their lines fit within
/// `num_ctx - num_predict` (less room for the chat template), at most `triage_limits::per_call`, at least one.
inline std::size_t triage_batch(std::span<const log_group* const> groups, language lang, int num_ctx, int num_predict,
                                double scale = 1.0) {
    const auto system = detail::triage_system(lang, triage_max_flags(num_predict));
    std::size_t left = detail::prompt_bytes_left(system, num_ctx, num_predict, scale), n = 0;
    for (; n < groups.size() && n < triage_limits::per_call; ++n) {
        const auto line = detail::triage_line(*groups[n], n, triage_limits::template_text).size();
        if (line > left && n > 0) break;
        left -= std::min(left, line);
    }
    return std::max<std::size_t>(n, groups.empty() ? 0 : 1);
}

/// @brief The messages of one triage call over `batch`: one line per template (id, service, level, count,
/// template, exception). Each line is cut so that the whole stays within the context; `scale` shrinks it further.
inline std::vector<llm_message> build_triage_prompt(std::span<const log_group* const> batch, language lang, int num_ctx,
                                                    int num_predict, double scale = 1.0) {
    const bool ru = lang == language::ru;
    std::string system = detail::triage_system(lang, triage_max_flags(num_predict));
    std::size_t left = detail::prompt_bytes_left(system, num_ctx, num_predict, scale);
    std::string user = ru ? "Шаблоны (id [сервис] уровень xчисло: шаблон):\n"
                          : "Templates (id [service] level xcount: template):\n";
    left -= std::min(left, user.size());
    for (std::size_t i = 0; i < batch.size(); ++i) {
        const std::size_t share = left / (batch.size() - i);
        const std::size_t head = detail::triage_line(*batch[i], i, 0).size();  // all but the template
        std::string one = detail::triage_line(*batch[i], i,
                                              std::min(triage_limits::template_text, share > head ? share - head : 8));
        user += one;
        left -= std::min(left, one.size());
    }
    user += ru ? "Ответь JSON-объектом." : "Answer with the JSON object.";
    return {{"system", std::move(system)}, {"user", std::move(user)}};
}

/// A triage verdict as the cache keeps it, per template: flagged or not, and why.
inline boost::json::object triage_verdict_json(const triage_flag* f) {
    if (!f) return {{"flagged", false}};
    return {{"flagged", true}, {"severity", to_string(f->verdict)}, {"reason", f->reason}};
}

/// A cached verdict read back, validated as an answer is: none when it is unreadable; `flagged` empty when the
/// template was found no problem.
inline std::optional<std::optional<triage_flag>> read_triage_verdict(const boost::json::value& v, std::size_t index) {
    const auto* o = v.if_object();
    const auto* f = o ? o->if_contains("flagged") : nullptr;
    if (!f || !f->is_bool()) return std::nullopt;
    if (!f->as_bool()) return std::optional<triage_flag>{};
    const auto* sev = o->if_contains("severity");
    const auto* why = o->if_contains("reason");
    if (!sev || !sev->is_string() || !why || !why->is_string() || detail::blank_text(why->as_string()) ||
        why->as_string().size() > triage_limits::reason)
        return std::nullopt;
    const auto c = parse_classification(sev->as_string());
    if (!c || *c < classification::minor) return std::nullopt;
    return std::optional<triage_flag>{triage_flag{index, *c, std::string(why->as_string())}};
}

LOGLENS_NAMESPACE_END
