#pragma once
// Every fixed string of the human-readable reports, in Russian and English, in one table.
// SPDX-License-Identifier: MIT

#include <loglens/core/severity.hpp>

#include <string_view>

LOGLENS_NAMESPACE_BEGIN
namespace detail {

/// The words of one report language. Classification names stay in English capitals in both languages
/// (CRITICAL, MAJOR...), as in the reference report users know.
struct report_strings {
    std::string_view title;
    std::string_view partial_banner;
    std::string_view analysis_time;
    std::string_view total_problems;
    std::string_view tool_version;
    std::string_view min_severity;
    std::string_view summary;
    std::string_view noise_groups;
    std::string_view occurrences_total;
    std::string_view inputs;
    std::string_view input_file;
    std::string_view lines;
    std::string_view bytes;
    std::string_view input_error;
    std::string_view input_ok;
    std::string_view lines_read;
    std::string_view entries;
    std::string_view below_threshold;
    std::string_view skipped;
    std::string_view altered;
    std::string_view redactions;
    std::string_view nothing;
    std::string_view llm_block;
    std::string_view llm_offline;
    std::string_view backend;
    std::string_view model;
    std::string_view server;
    std::string_view calls;
    std::string_view failures;
    std::string_view cache_hits;
    std::string_view tokens;
    std::string_view prompt_completion;
    std::string_view wall_time;
    std::string_view triage;
    std::string_view note;
    std::string_view by_component;
    std::string_view no_problems;
    std::string_view service;
    std::string_view component;
    std::string_view log_level;
    std::string_view count;
    std::string_view first_seen;
    std::string_view last_seen;
    std::string_view unknown_time;
    std::string_view template_label;
    std::string_view exception;
    std::string_view description;
    std::string_view root_cause;
    std::string_view recommendations;
    std::string_view confidence;
    std::string_view source;
    std::string_view llm_error;
    std::string_view why;           ///< why the judgement calls the group a problem
    std::string_view duplicate_of;  ///< the group whose failure this one restates
    std::string_view parameters;
    std::string_view more_values;
    std::string_view samples;
    std::string_view sample_at;
    std::string_view not_explained;
    std::string_view noise;
    std::string_view noise_intro;
    std::string_view top_recommendations;
    std::string_view action_items;
    std::string_view no_action_items;
    std::string_view timeline;
    std::string_view no_timestamps;
    std::string_view sort_by;
    std::string_view sort_urgency;
    std::string_view filter_placeholder;
    std::string_view problems;
    std::string_view more_in_report;
    std::string_view no_problems_short;
    std::string_view offline_short;
    std::string_view source_names[4];  ///< indexed by analysis_source
    std::string_view bounds;           ///< the section on caps that were reached
    std::string_view bounds_intro;
    std::string_view overflow_line;  ///< "{service}: {messages} messages, about {distinct} distinct, beyond the {cap} cap"
    std::string_view services_beyond;  ///< "{n} more services beyond the cap of {cap}"
    std::string_view lines_cut;        ///< "{n} messages longer than a template keeps (cut)"
    std::string_view more_problems;    ///< the table of groups beyond the full listing
    std::string_view more_problems_intro;
    std::string_view unlisted;  ///< "{n} more groups ({entries} entries) are only counted"
};

inline constexpr report_strings strings_ru{
    .title = "Отчет анализа логов (Log Analysis Report)",
    .partial_banner = "ЧАСТИЧНЫЙ ОТЧЕТ: запуск был прерван, не все группы проанализированы.",
    .analysis_time = "Время анализа",
    .total_problems = "Всего найдено проблем",
    .tool_version = "Версия loglens",
    .min_severity = "Минимальный уровень",
    .summary = "Краткое резюме (Summary)",
    .noise_groups = "Известный безвредный шум, групп",
    .occurrences_total = "Всего событий в проблемах",
    .inputs = "Входные данные (Inputs)",
    .input_file = "Файл",
    .lines = "Строк",
    .bytes = "Байт",
    .input_error = "Состояние",
    .input_ok = "прочитан",
    .lines_read = "Прочитано строк",
    .entries = "Записей",
    .below_threshold = "Записей ниже минимального уровня",
    .skipped = "Пропущено строк (по причинам)",
    .altered = "Изменено строк (по причинам)",
    .redactions = "Скрыто секретов (по видам)",
    .nothing = "нет",
    .llm_block = "Анализ LLM",
    .llm_offline = "LLM не использовалась (офлайн): объяснения взяты из базы знаний и эвристик.",
    .backend = "Бэкенд",
    .model = "Модель",
    .server = "Сервер",
    .calls = "Запросов",
    .failures = "Ошибок",
    .cache_hits = "Из кэша",
    .tokens = "Токенов",
    .prompt_completion = "запрос / ответ",
    .wall_time = "Время",
    .triage = "Триаж LLM",
    .note = "Примечание",
    .by_component = "Проблемы по компонентам (Issues by Component)",
    .no_problems = "Проблем не найдено.",
    .service = "Сервис",
    .component = "Компонент",
    .log_level = "Уровень в логах",
    .count = "Количество ошибок",
    .first_seen = "Первое появление",
    .last_seen = "Последнее появление",
    .unknown_time = "неизвестно",
    .template_label = "Шаблон",
    .exception = "Исключение",
    .description = "Описание проблемы",
    .root_cause = "Корневая причина",
    .recommendations = "Рекомендации",
    .confidence = "Уверенность анализа",
    .source = "Источник анализа",
    .llm_error = "Ошибка LLM",
    .why = "Почему это проблема",
    .duplicate_of = "Тот же сбой, что и",
    .parameters = "Частые значения параметров",
    .more_values = "еще значений",
    .samples = "Примеры из логов",
    .sample_at = "строка",
    .not_explained = "Объяснения нет: группа показана по уровню из логов.",
    .noise = "Известный шум (Benign noise)",
    .noise_intro = "Эти группы распознаны как безвредные; они не считаются проблемами, но и не скрыты.",
    .top_recommendations = "Топ рекомендации (Top Recommendations)",
    .action_items = "Задачи (Action Items)",
    .no_action_items = "Критических и серьезных проблем нет.",
    .timeline = "Хронология по компонентам",
    .no_timestamps = "В логах нет меток времени: хронологию построить нельзя.",
    .sort_by = "Сортировка",
    .sort_urgency = "Срочность",
    .filter_placeholder = "Фильтр: компонент, текст…",
    .problems = "Проблемы",
    .more_in_report = "еще в отчете",
    .no_problems_short = "проблем не найдено",
    .offline_short = "офлайн",
    .source_names = {"нет", "эвристика", "база знаний", "LLM"},
    .bounds = "Достигнуты ограничения (Caps reached)",
    .bounds_intro =
        "Запуск достиг предела памяти или размера и продолжил работу в упрощенном режиме; ничего не потеряно без учета.",
    .overflow_line =
        "{service}: {messages} сообщений, около {distinct} различных, сверх предела {cap} (учтены в одной группе переполнения)",
    .services_beyond = "еще около {n} сервисов сверх предела в {cap} сервисов (учтены в одной группе переполнения)",
    .lines_cut = "{n} сообщений длиннее, чем хранит шаблон; их шаблоны оканчиваются на [...]",
    .more_problems = "Остальные группы",
    .more_problems_intro = "Выше полностью показаны самые срочные группы; остальные — по одной строке.",
    .unlisted = "Еще {n} групп ({entries} событий), наименее срочные, только подсчитаны.",
};

inline constexpr report_strings strings_en{
    .title = "Log Analysis Report",
    .partial_banner = "PARTIAL REPORT: the run was interrupted before every group was analysed.",
    .analysis_time = "Analysis time",
    .total_problems = "Problems found",
    .tool_version = "loglens version",
    .min_severity = "Minimum level",
    .summary = "Summary",
    .noise_groups = "Known benign noise, groups",
    .occurrences_total = "Events in problems",
    .inputs = "Inputs",
    .input_file = "File",
    .lines = "Lines",
    .bytes = "Bytes",
    .input_error = "Status",
    .input_ok = "read",
    .lines_read = "Lines read",
    .entries = "Entries",
    .below_threshold = "Entries below the minimum level",
    .skipped = "Lines skipped (by reason)",
    .altered = "Lines altered (by reason)",
    .redactions = "Secrets redacted (by kind)",
    .nothing = "none",
    .llm_block = "LLM analysis",
    .llm_offline = "No LLM was used (offline): explanations come from the knowledge base and heuristics.",
    .backend = "Backend",
    .model = "Model",
    .server = "Server",
    .calls = "Calls",
    .failures = "Failures",
    .cache_hits = "Cache hits",
    .tokens = "Tokens",
    .prompt_completion = "prompt / completion",
    .wall_time = "Wall time",
    .triage = "LLM triage",
    .note = "Note",
    .by_component = "Issues by Component",
    .no_problems = "No problems found.",
    .service = "Service",
    .component = "Component",
    .log_level = "Log level",
    .count = "Occurrences",
    .first_seen = "First seen",
    .last_seen = "Last seen",
    .unknown_time = "unknown",
    .template_label = "Template",
    .exception = "Exception",
    .description = "Description",
    .root_cause = "Root cause",
    .recommendations = "Recommendations",
    .confidence = "Confidence",
    .source = "Analysis source",
    .llm_error = "LLM error",
    .why = "Why a problem",
    .duplicate_of = "Same failure as",
    .parameters = "Frequent parameter values",
    .more_values = "more values",
    .samples = "Log samples",
    .sample_at = "line",
    .not_explained = "No explanation: the group is ranked by its log level.",
    .noise = "Benign noise",
    .noise_intro = "These groups are known to be harmless; they are not counted as problems, but not hidden either.",
    .top_recommendations = "Top Recommendations",
    .action_items = "Action Items",
    .no_action_items = "No critical or major problems.",
    .timeline = "Timeline by component",
    .no_timestamps = "The logs carry no timestamps, so there is no timeline.",
    .sort_by = "Sort by",
    .sort_urgency = "Urgency",
    .filter_placeholder = "Filter: component, text…",
    .problems = "Problems",
    .more_in_report = "more in the report",
    .no_problems_short = "no problems found",
    .offline_short = "offline",
    .source_names = {"none", "heuristic", "knowledge base", "LLM"},
    .bounds = "Caps reached",
    .bounds_intro =
        "The run reached a bound of memory or size and degraded instead of failing; nothing was dropped uncounted.",
    .overflow_line =
        "{service}: {messages} messages, about {distinct} distinct, beyond the {cap} cap (counted in one overflow group)",
    .services_beyond = "about {n} more services beyond the cap of {cap} services (counted in one overflow group)",
    .lines_cut = "{n} messages had more words than a template keeps; their templates end in [...]",
    .more_problems = "More groups",
    .more_problems_intro = "Listed in full above are the most urgent groups; these follow, one row each.",
    .unlisted = "{n} more groups ({entries} entries), the least urgent, are only counted.",
};

inline const report_strings& strings_for(language l) noexcept { return l == language::en ? strings_en : strings_ru; }

inline std::string_view source_label(const report_strings& s, analysis_source src) noexcept {
    return s.source_names[static_cast<std::size_t>(src)];
}

}  // namespace detail
LOGLENS_NAMESPACE_END
