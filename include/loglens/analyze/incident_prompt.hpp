#pragma once
// The LLM prompt for one incident (its members' templates, counts and timeline), the answer's JSON schema and its validation.
// SPDX-License-Identifier: MIT

#include <loglens/analyze/prompt.hpp>
#include <loglens/core/report_model.hpp>
#include <loglens/correlate/incident_answer.hpp>
#include <loglens/detail/time.hpp>

#include <boost/json.hpp>

#include <algorithm>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

LOGLENS_NAMESPACE_BEGIN

/// Bumped whenever the incident prompt or its schema changes, so cached incident answers are not reused.
inline constexpr int incident_prompt_version = 1;

/// Lengths the incident schema asks for and validation enforces by trimming; steps beyond `steps` are dropped.
struct incident_limits {
    static constexpr std::size_t summary = 600, root_cause = 700, action = 240, steps = 6;
};

/// @brief The schema of the answer for `inc`: the fix steps may only name its members (an `enum`, which
/// grammar-constrained servers enforce; validation checks it again for those that do not).
inline boost::json::object incident_schema(const incident& inc) {
    boost::json::array ids;
    for (const auto& m : inc.members) ids.emplace_back(m.problem_id);
    using L = incident_limits;
    const auto text = [](std::size_t max) {
        return boost::json::object{{"type", "string"}, {"minLength", 1}, {"maxLength", max}};
    };
    boost::json::object step{
        {"type", "object"},
        {"properties", boost::json::object{{"problem", boost::json::object{{"type", "string"}, {"enum", ids}}},
                                           {"action", text(L::action)}}},
        {"required", boost::json::array{"problem", "action"}},
        {"additionalProperties", false}};
    return boost::json::object{
        {"type", "object"},
        {"properties", boost::json::object{{"summary", text(L::summary)},
                                           {"root_cause", text(L::root_cause)},
                                           {"fix_steps", boost::json::object{{"type", "array"},
                                                                             {"items", std::move(step)},
                                                                             {"minItems", 1},
                                                                             {"maxItems", L::steps}}}}},
        {"required", boost::json::array{"summary", "root_cause", "fix_steps"}},
        {"additionalProperties", false}};
}

namespace detail {

inline bool blank_text(std::string_view s) { return s.find_first_not_of(" \t\r\n") == std::string_view::npos; }

inline bool is_member(const incident& inc, std::string_view id) {
    return std::any_of(inc.members.begin(), inc.members.end(), [&](const auto& m) { return m.problem_id == id; });
}

/// The steps of an answer: each an object naming a member, with a non-empty action. Appends what is wrong.
inline std::vector<incident_step> read_steps(const boost::json::value* v, const incident& inc,
                                             std::vector<std::string>& problems, answer_repairs& found) {
    std::vector<incident_step> steps;
    if (!v || !v->is_array() || v->as_array().empty()) {
        problems.emplace_back("\"fix_steps\" must be a non-empty array of {problem, action}");
        return steps;
    }
    const auto& arr = v->as_array();
    for (std::size_t i = 0; i < arr.size(); ++i) {
        const std::string at = "\"fix_steps\"[" + std::to_string(i) + "]";
        const auto* o = arr[i].if_object();
        const auto* id = o ? o->if_contains("problem") : nullptr;
        const auto* action = o ? o->if_contains("action") : nullptr;
        if (!id || !id->is_string() || !action || !action->is_string() || blank_text(action->as_string())) {
            problems.push_back(at + " must be an object with a problem id and a non-empty action");
            continue;
        }
        if (!is_member(inc, id->as_string())) {
            // the id is quoted only when it is a plausible one: an answer is not trusted text
            const std::string shown = server_name(id->as_string());
            problems.push_back(at + ".problem " + (shown.empty() ? std::string("(not an id)") : "'" + shown + "'") +
                               " is not a problem of this incident");
            continue;
        }
        if (steps.size() == incident_limits::steps) {
            ++found["steps_dropped"];
            continue;
        }
        steps.push_back({std::string(id->as_string()), trimmed(action->as_string(), incident_limits::action, found)});
    }
    return steps;
}

}  // namespace detail

/// @brief Checks a model's answer about `inc`. Returns it, or fills `error` with every problem.
///
/// Strict where a wrong answer would mislead: every step must name a member of this incident (an unknown or
/// foreign id rejects the answer); tolerant where the server could not constrain: over-long text is trimmed
/// and steps beyond the limit dropped, each repair counted in `repairs`.
inline std::optional<incident_answer> validate_incident_answer(std::string_view text, const incident& inc,
                                                               std::string& error, answer_repairs& repairs) {
    const auto b = text.find('{');
    const auto e = text.rfind('}');
    boost::system::error_code ec;
    boost::json::value v;
    if (b != std::string_view::npos && e != std::string_view::npos && e > b)
        v = boost::json::parse(text.substr(b, e - b + 1), ec);
    if (b == std::string_view::npos || e == std::string_view::npos || e < b || ec || !v.is_object()) {
        error = "the answer is not a JSON object";
        return std::nullopt;
    }
    const auto& o = v.as_object();
    std::vector<std::string> problems;
    answer_repairs found;
    incident_answer a;
    const auto text_field = [&](std::string_view k, std::string& out, std::size_t max) {
        const auto* f = o.if_contains(k);
        if (!f || !f->is_string() || detail::blank_text(f->as_string()))
            problems.push_back("\"" + std::string(k) + "\" must be a non-empty string");
        else out = detail::trimmed(f->as_string(), max, found);
    };
    text_field("summary", a.summary, incident_limits::summary);
    text_field("root_cause", a.root_cause, incident_limits::root_cause);
    a.steps = detail::read_steps(o.if_contains("fix_steps"), inc, problems, found);
    if (!problems.empty()) {
        error.clear();
        for (const auto& p : problems) error += (error.empty() ? "" : "; ") + p;
        return std::nullopt;
    }
    for (const auto& [k, n] : found) repairs[k] += n;
    return a;
}

/// The answer as the cache keeps it (validated again against the incident when it is read).
inline boost::json::object incident_answer_json(const incident_answer& a) {
    boost::json::array steps;
    for (const auto& s : a.steps) steps.push_back(boost::json::object{{"problem", s.problem_id}, {"action", s.action}});
    return {{"summary", a.summary}, {"root_cause", a.root_cause}, {"fix_steps", std::move(steps)}};
}

/// @brief The messages for one incident: its first cause and its members in order of first appearance, each
/// with its id, service, count, time span, template, exception and the analysis it already has. The estimate
/// stays within `num_ctx - num_predict` (less room for the chat template); `scale` shrinks it further.
inline std::vector<llm_message> build_incident_prompt(const incident& inc, std::span<const problem* const> members,
                                                      language lang, int num_ctx, int num_predict, double scale = 1.0) {
    const bool ru = lang == language::ru;
    std::string system =
        ru ? "Ты — SRE, разбирающий инцидент в стеке MLOps (Airflow, Spark, Redis, MinIO, Postgres) под docker compose. "
             "Дан инцидент: несколько проблем, которые, вероятно, являются одним сбоем, в порядке появления, с "
             "вероятной первопричиной. Ответь ТОЛЬКО JSON-объектом: summary (2-3 предложения: что сломалось и что "
             "из этого последовало), root_cause (1-3 предложения), fix_steps (1-6 шагов в порядке исправления, "
             "каждый {problem: id проблемы из списка, action: конкретное действие}). Весь текст — на русском. "
             "Секреты в логах заменены на <redacted:...>."
           : "You are an SRE triaging an incident in an MLOps stack (Airflow, Spark, Redis, MinIO, Postgres) under "
             "docker compose. Given: several problems that are probably one failure, in order of first appearance, "
             "with the probable first cause. Answer ONLY with a JSON object: summary (2-3 sentences: what broke and "
             "what followed from it), root_cause (1-3 sentences), fix_steps (1-6 steps in the order to fix them, each "
             "{problem: a problem id from the list, action: one concrete action}). Write all text in English. "
             "Secrets in the logs were replaced by <redacted:...>.";
    std::size_t left = detail::prompt_bytes_left(system, num_ctx, num_predict, scale);
    std::string user;
    const auto put = [&](const std::string& s) {
        if (left <= 3) return;  // a cut is marked with three bytes
        const std::string c = detail::clip(s, left);
        user += c;
        left -= std::min(left, c.size());
    };
    put((ru ? "Первопричина (вероятная): " : "Probable first cause: ") + inc.first_cause + " (" + inc.first_cause_kind +
        "; " + detail::clip(inc.evidence, 160) + ")\n");
    put(ru ? "Проблемы в порядке появления:\n" : "Problems in order of first appearance:\n");
    for (std::size_t i = 0; i < members.size(); ++i) {
        const problem& p = *members[i];
        const auto& g = p.group;
        const auto m = std::find_if(inc.members.begin(), inc.members.end(),
                                    [&](const auto& x) { return x.problem_id == g.id; });
        std::string one = std::to_string(i + 1) + ". id=" + g.id + " service=" + detail::clip(g.service, 60) +
                          " level=" + std::string(to_string(g.level)) + " count=" + std::to_string(g.count);
        if (g.first_seen)
            one += " from=" + detail::format_rfc3339(*g.first_seen) +
                   " to=" + detail::format_rfc3339(g.last_seen ? *g.last_seen : *g.first_seen);
        if (m != inc.members.end()) one += " link=" + detail::clip(m->evidence, 80);
        one += "\n   template: " + detail::clip(g.template_text, 300) + "\n";
        if (!g.exception.empty()) one += "   exception: " + detail::clip(g.exception, 160) + "\n";
        if (!p.result.description.empty()) one += "   known: " + detail::clip(p.result.description, 240) + "\n";
        put(detail::clip(one, left / (members.size() - i)));
    }
    put(ru ? "Ответь JSON-объектом." : "Answer with the JSON object.");
    return {{"system", std::move(system)}, {"user", std::move(user)}};
}

LOGLENS_NAMESPACE_END
