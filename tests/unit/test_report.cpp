// Report writers: golden Markdown and JSON in both languages, escaping of hostile text, HTML and terminal
// output, and schema validation of every report written here.
// SPDX-License-Identifier: MIT
//
// Goldens live in tests/data/report/golden/. After an intended change of the output, regenerate them with
//     LOGLENS_UPDATE_GOLDEN=1 build/tests/loglens_tests --run_test=report_writers
// and review the diff before committing.
#include <loglens/loglens.hpp>

#include "support/example_logs.hpp"
#include "support/json_schema.hpp"

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

using namespace loglens;
using namespace std::chrono_literals;

namespace {

time_point at(std::chrono::sys_seconds t) { return std::chrono::time_point_cast<std::chrono::nanoseconds>(t); }

// 2025-11-03T20:00:00Z, the base of every time in the fixed report
const time_point base = at(std::chrono::sys_days{std::chrono::November / 3 / 2025} + 20h);

log_entry entry(std::string service, std::string raw, std::uint64_t line, time_point t,
                std::vector<std::string> continuation = {}) {
    log_entry e;
    e.service = std::move(service);
    e.raw = raw;
    e.message = std::move(raw);
    e.line = line;
    e.timestamp = t;
    e.source = "compose.log";
    e.continuation = std::move(continuation);
    e.level = severity::error;
    return e;
}

problem make_problem(std::string id, std::string service, std::string component, severity level, std::string templ,
                     std::uint64_t count, time_point first, std::chrono::seconds spread, analysis a) {
    problem p;
    auto& g = p.group;
    g.id = std::move(id);
    g.service = std::move(service);
    g.component = std::move(component);
    g.level = level;
    g.template_text = std::move(templ);
    g.count = count;
    g.first_seen = first;
    g.last_seen = first + spread;
    for (std::uint64_t i = 0; i < std::min<std::uint64_t>(count, 6); ++i)
        g.occurrences.push_back(first +
                                spread * static_cast<long>(i) /
                                    static_cast<long>(std::max<std::uint64_t>(1, std::min<std::uint64_t>(count, 6) - 1)));
    p.result = std::move(a);
    return p;
}

/// A fixed report with every feature the writers show: inputs with an error, skipped and altered lines,
/// redactions, an LLM block, each analysis source, an LLM failure, parameters, a traceback, and noise.
report fixed_report(language lang) {
    const bool ru = lang == language::ru;
    report r;
    r.tool_version = "0.1.0";
    r.generated_at = base + 40min;
    r.lang = lang;
    r.inputs = {{"compose.log", 1200, 98765, ""}, {"missing.log", 0, 0, "cannot open: No such file or directory"}};
    r.ingest.bytes = 98765;
    r.ingest.lines = 1200;
    r.ingest.entries = 950;
    r.ingest.skipped = {{"blank", 3}, {"compose-meta", 2}};
    r.ingest.altered = {{"invalid-utf8", 1}};
    r.entries_below_threshold = 700;
    r.redactions = {{"url-password", 2}};
    r.llm.backend = "ollama";
    r.llm.model = "mistral";
    r.llm.url = "http://localhost:11434";
    r.llm.server_version = "0.5.7";
    r.llm.calls = 3;
    r.llm.failures = 1;
    r.llm.cache_hits = 1;
    r.llm.prompt_tokens = 2400;
    r.llm.completion_tokens = 610;
    r.llm.wall_seconds = 12.5;

    analysis kb;
    kb.verdict = classification::critical;
    kb.source = analysis_source::knowledge_base;
    kb.signature = "airflow.broken_dag.import_error";
    kb.confidence = 0.9;
    kb.description = ru ? "DAG не загружается: импорт модуля падает." : "The DAG cannot be loaded: a module import fails.";
    kb.root_cause = ru ? "В образе планировщика нет пакета pandas." : "The scheduler image lacks the pandas package.";
    kb.recommendations = {ru ? "Добавьте pandas в requirements.txt образа" : "Add pandas to the image's requirements.txt",
                          ru ? "Перезапустите airflow-scheduler" : "Restart airflow-scheduler"};
    auto p1 = make_problem("a1b2c3d4e5f60718", "airflow-scheduler", "dagbag.py", severity::error,
                           "Failed to import: /opt/airflow/dags/<*>.py", 12, base + 5min, 30min, kb);
    p1.group.exception = "ModuleNotFoundError: No module named 'pandas'";
    p1.group.samples.push_back(
        entry("airflow-scheduler",
              "[2025-11-03T20:05:00.000+0000] {dagbag.py:346} ERROR - Failed to import: /opt/airflow/dags/etl.py", 17,
              base + 5min,
              {"Traceback (most recent call last):", "  File \"/opt/airflow/dags/etl.py\", line 3, in <module>",
               "    import pandas as pd", "ModuleNotFoundError: No module named 'pandas'"}));
    p1.group.params.push_back({"<*>", {{"etl", 9}, {"report", 3}}, 0});

    analysis llm;
    llm.verdict = classification::major;
    llm.source = analysis_source::llm;
    llm.confidence = 0.75;
    llm.description = ru ? "Исполнителю Spark не хватает памяти." : "A Spark executor runs out of memory.";
    llm.root_cause = ru ? "spark.executor.memory меньше объема партиции."
                        : "spark.executor.memory is below the partition size.";
    llm.recommendations = {ru ? "Увеличьте spark.executor.memory до 4g" : "Raise spark.executor.memory to 4g",
                           ru ? "Перезапустите airflow-scheduler" : "Restart airflow-scheduler"};
    auto p2 = make_problem("0f1e2d3c4b5a6978", "spark-worker", "Executor", severity::error,
                           "Exception in task <NUM> in stage <NUM>: java.lang.OutOfMemoryError: Java heap space", 5,
                           base + 10min, 20min, llm);
    p2.group.params.push_back({"<NUM>", {{"7.0", 3}, {"12.0", 2}}, 4});

    analysis failed;
    failed.verdict = classification::major;
    failed.source = analysis_source::heuristic;
    failed.confidence = 0.4;
    failed.description = ru ? "Redis отказывает в подключении." : "Redis refuses connections.";
    failed.recommendations = {ru ? "Проверьте, что контейнер redis запущен" : "Check that the redis container runs"};
    failed.error = "ollama: timed out after 120 s (OLLAMA_TIMEOUT); raise it or use a smaller model";
    auto p3 = make_problem("9988776655443322", "airflow-worker", "celery", severity::error,
                           "Error 111 connecting to redis:6379. Connection refused.", 40, base + 12min, 2min, failed);

    analysis none;
    none.verdict = classification::warning;
    none.source = analysis_source::none;
    auto p4 = make_problem("1122334455667788", "minio", "", severity::warning, "Disk <*> is almost full", 1, base + 30min,
                           0s, none);

    analysis benign;
    benign.verdict = classification::info;
    benign.source = analysis_source::knowledge_base;
    benign.benign = true;
    benign.description = ru ? "Известное предупреждение об устаревании, безвредно."
                            : "A known deprecation warning, harmless.";
    auto n1 = make_problem("aaaabbbbccccdddd", "airflow-webserver", "warnings.py", severity::warning,
                           "DeprecationWarning: <*> is deprecated", 120, base, 38min, benign);

    r.problems = {p1, p2, p3, p4};
    r.noise = {n1};
    return r;
}

/// The fixed report with its two problems folded into one incident whose summary an LLM wrote, hostile text in it.
report llm_incident_report() {
    report r = fixed_report(language::en);
    incident inc;
    inc.id = "inc-" + r.problems.at(0).group.id;
    inc.verdict = classification::critical;
    inc.title = "first";
    inc.first_cause = r.problems.at(0).group.id;
    inc.first_cause_kind = "redis.write-refused";
    inc.evidence = "rule";
    for (auto& p : r.problems) {
        inc.members.push_back({p.group.id, "rule", 0.8});
        inc.services.push_back(p.group.service);
        p.incident = inc.id;
    }
    incident_answer a;
    a.summary = "<script>alert(1)</script>\n## not a heading";
    a.root_cause = "root | cause";
    a.steps = {{r.problems.at(1).group.id, "check `it` <b>now</b>"}, {r.problems.at(0).group.id, "fix it"}};
    apply_incident_answer(inc, a);
    r.incidents.push_back(std::move(inc));
    r.llm.incident_answers = 1;
    return r;
}

template <class Writer>
std::string write_with(const report& r) {
    std::ostringstream out;
    Writer{}.write(r, out);
    return out.str();
}

std::string read_file(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

void check_golden(const std::string& name, const std::string& actual) {
    const auto path = std::filesystem::path(LOGLENS_TEST_DATA_DIR) / "report" / "golden" / name;
    if (const char* upd = std::getenv("LOGLENS_UPDATE_GOLDEN"); upd && *upd && std::string(upd) != "0") {
        std::filesystem::create_directories(path.parent_path());
        std::ofstream(path, std::ios::binary) << actual;
        BOOST_TEST_MESSAGE("updated golden " << path.string());
        return;
    }
    BOOST_REQUIRE_MESSAGE(std::filesystem::exists(path),
                          path.string() << " is missing; create it with LOGLENS_UPDATE_GOLDEN=1 (see test_report.cpp)");
    const std::string expected = read_file(path);
    if (expected == actual) return;
    std::size_t line = 1, i = 0;
    while (i < expected.size() && i < actual.size() && expected[i] == actual[i]) line += expected[i++] == '\n';
    BOOST_ERROR(name << " differs from the golden file at line " << line
                     << "; if the change is intended, rerun with LOGLENS_UPDATE_GOLDEN=1 and review the diff");
}

/// Lines of Markdown that are structure (headings, table rows, list items) outside fenced code blocks.
/// Hostile text must never add to these; fences are matched as CommonMark does (a closing fence is at least
/// as long as the opening one).
std::vector<std::string> markdown_structure(const std::string& md, const std::string& prefix) {
    std::vector<std::string> out;
    std::istringstream in(md);
    std::string line;
    std::size_t open = 0;
    while (std::getline(in, line)) {
        std::size_t ticks = 0;
        while (ticks < line.size() && line[ticks] == '`') ++ticks;
        if (open == 0 && ticks >= 3) {
            open = ticks;
            continue;
        }
        if (open > 0) {
            if (ticks >= open && line.find_first_not_of('`') == std::string::npos) open = 0;
            continue;
        }
        if (line.rfind(prefix, 0) == 0) out.push_back(line);
    }
    BOOST_TEST(open == 0u, "a fenced block is left open");
    return out;
}

/// Unescaped `|` in a Markdown table row: the number of cell borders.
std::size_t table_pipes(const std::string& row) {
    std::size_t n = 0;
    for (std::size_t i = 0; i < row.size(); ++i) {
        if (row[i] == '\\') ++i;
        else if (row[i] == '|') ++n;
    }
    return n;
}

const std::string hostile =
    "```\n# Owned heading\n```\n<script>window.__pwned=1</script> <img src=x onerror=\"window.__pwned=1\"> "
    "| a | b |\n1. not a list\n- nor this\n=====\n[link](javascript:alert(1)) **bold** &amp; ~~strike~~ `code`";

/// The fixed report with `text` in every field a log or an LLM fills.
report hostile_report(language lang, const std::string& text = hostile) {
    report r = fixed_report(lang);
    auto& a = r.problems[0].result;
    a.description = text;
    a.root_cause = text;
    a.recommendations = {text, "plain"};
    a.error = text;
    r.problems[0].group.template_text = "tmpl ```` fence " + text;
    r.problems[0].group.component = "comp|<b>x</b>";
    r.problems[0].group.samples[0].raw = "````\n# not a heading\n`````" + text;
    r.problems[0].group.samples[0].continuation.push_back("\x1b[31mred\x1b[0m \x01 \xff\xfe bad utf8");
    r.noise[0].result.description = text;
    r.noise[0].group.template_text = "a | b | c";
    r.llm.note = text;
    r.inputs[1].error = text;
    return r;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(report_writers)

BOOST_AUTO_TEST_CASE(markdown_golden_ru) {
    check_golden("report.ru.md", write_with<markdown_writer>(fixed_report(language::ru)));
}
BOOST_AUTO_TEST_CASE(markdown_golden_en) {
    check_golden("report.en.md", write_with<markdown_writer>(fixed_report(language::en)));
}
BOOST_AUTO_TEST_CASE(json_golden_ru) {
    check_golden("report.ru.json", write_with<json_writer>(fixed_report(language::ru)));
}
BOOST_AUTO_TEST_CASE(json_golden_en) {
    check_golden("report.en.json", write_with<json_writer>(fixed_report(language::en)));
}

BOOST_AUTO_TEST_CASE(markdown_has_the_reference_layout) {
    const auto md = write_with<markdown_writer>(fixed_report(language::ru));
    const auto h2 = markdown_structure(md, "## ");
    const std::vector<std::string> expected{"## Краткое резюме (Summary)",
                                            "## Входные данные (Inputs)",
                                            "## Анализ LLM",
                                            "## Проблемы по компонентам (Issues by Component)",
                                            "## Известный шум (Benign noise)",
                                            "## Топ рекомендации (Top Recommendations)",
                                            "## Задачи (Action Items)"};
    BOOST_TEST(h2 == expected, boost::test_tools::per_element());
    BOOST_TEST(md.rfind("# Отчет анализа логов (Log Analysis Report)\n", 0) == 0u);
    BOOST_TEST(md.find("- **CRITICAL:** 1\n- **MAJOR:** 2\n- **MINOR:** 0\n- **WARNING:** 1\n") != std::string::npos);
    BOOST_TEST(md.find("*Уверенность анализа: 90%*") != std::string::npos);
    // the recommendation two problems share comes first, counted
    BOOST_TEST(md.find("1. Перезапустите airflow\\-scheduler (×2)") == std::string::npos);
    BOOST_TEST(md.find("1. Перезапустите airflow-scheduler (×2)") != std::string::npos);
    // action items: critical and major problems only, never the warning
    BOOST_TEST(md.find("- [ ] **airflow-scheduler / dagbag.py:** Добавьте pandas") != std::string::npos);
    BOOST_TEST(md.find("- [ ] **minio") == std::string::npos);
    BOOST_TEST(md.find("**Ошибка LLM:** ollama: timed out") != std::string::npos);
    BOOST_TEST(md.find("Источник анализа:** нет") != std::string::npos);
    BOOST_TEST(md.find("ЧАСТИЧНЫЙ") == std::string::npos);
    // the traceback is inside a fenced block
    BOOST_TEST(md.find("```text\n[2025-11-03T20:05:00.000+0000] {dagbag.py:346} ERROR - Failed to import: "
                       "/opt/airflow/dags/etl.py\nTraceback (most recent call last):") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(markdown_partial_banner_and_offline_note) {
    report r = fixed_report(language::en);
    r.partial = true;
    r.llm = {};
    r.llm.note = "Ollama at http://localhost:11434 did not answer; ran offline";
    const auto md = write_with<markdown_writer>(r);
    BOOST_TEST(md.find("> **⚠ PARTIAL REPORT:") != std::string::npos);
    BOOST_TEST(md.find("No LLM was used (offline)") != std::string::npos);
    BOOST_TEST(md.find("- **Note:** Ollama at http://localhost:11434 did not answer; ran offline") != std::string::npos);
    BOOST_TEST(md.find("**Backend:**") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(markdown_inline_escaping) {
    using detail::markdown_inline;
    BOOST_TEST(markdown_inline("<script>alert(1)</script>") == "\\<script\\>alert(1)\\</script\\>");
    BOOST_TEST(markdown_inline("a|b") == "a\\|b");
    BOOST_TEST(markdown_inline("# title") == "\\# title");
    BOOST_TEST(markdown_inline("12. item") == "12\\. item");
    BOOST_TEST(markdown_inline("version 1.2.3 - ok") == "version 1.2.3 - ok");
    BOOST_TEST(markdown_inline("two\nlines\r\n  here") == "two lines here");
    BOOST_TEST(markdown_inline("&amp; `x` *y* _z_ [l](u) ~s~") == "\\&amp; \\`x\\` \\*y\\* \\_z\\_ \\[l\\](u) \\~s\\~");
    BOOST_TEST(markdown_inline("cost $5 $HOME") == "cost \\$5 \\$HOME");
    BOOST_TEST(detail::markdown_fence("a ```` b ` c") == "`````");
    BOOST_TEST(detail::markdown_fence("plain") == "```");
}

BOOST_AUTO_TEST_CASE(markdown_hostile_text_cannot_change_structure) {
    for (const auto lang : {language::ru, language::en}) {
        const report clean = hostile_report(lang, "plain words");
        const report bad = hostile_report(lang);
        const auto md_clean = write_with<markdown_writer>(clean);
        const auto md = write_with<markdown_writer>(bad);
        // same headings and lists as the clean report, apart from the renamed component
        const auto count_of = [](const std::vector<std::string>& v) { return v.size(); };
        BOOST_TEST(count_of(markdown_structure(md, "#")) == count_of(markdown_structure(md_clean, "#")));
        BOOST_TEST(count_of(markdown_structure(md, "- ")) == count_of(markdown_structure(md_clean, "- ")));
        BOOST_TEST(count_of(markdown_structure(md, "1. ")) == count_of(markdown_structure(md_clean, "1. ")));
        for (const auto& h : markdown_structure(md, "#")) BOOST_TEST(h.find("Owned") == std::string::npos);
        // tables keep their columns: inputs 5 borders, noise 5 borders
        for (const auto& row : markdown_structure(md, "|")) BOOST_TEST(table_pipes(row) == 5u, row);
        // no raw HTML survives outside code blocks, and no terminal escapes or invalid UTF-8 anywhere
        for (const auto& l : markdown_structure(md, "")) {
            for (std::size_t i = 0; i < l.size(); ++i) {
                if (l[i] == '\\') {
                    ++i;
                } else if (l[i] == '`') {  // a code span shows its text literally: skip to its closing run
                    std::size_t n = 0;
                    while (i + n < l.size() && l[i + n] == '`') ++n;
                    const std::string run(n, '`');
                    auto close = l.find(run, i + n);
                    while (close != std::string::npos && close + n < l.size() && l[close + n] == '`')
                        close = l.find(run, close + n + 1);
                    BOOST_TEST_REQUIRE(close != std::string::npos, "unclosed code span: " << l);
                    i = close + n - 1;
                } else {
                    BOOST_TEST((l[i] != '<' && l[i] != '&'), l);
                }
            }
        }
        BOOST_TEST(md.find('\x1b') == std::string::npos);
        BOOST_TEST(md.find('\x01') == std::string::npos);
        BOOST_TEST(detail::valid_utf8(md));
        // the text is still all there, escaped
        BOOST_TEST(md.find("\\<script\\>window") != std::string::npos);
        // the sample holds a run of 8 backticks (5 of its own + the text's 3), so its fence has 9
        BOOST_TEST(md.find("\n`````````text\n````\n# not a heading\n````````\\<script") == std::string::npos);
        BOOST_TEST(md.find("\n`````````text\n````\n# not a heading\n````````\n# Owned heading") != std::string::npos);
    }
}

BOOST_AUTO_TEST_CASE(json_holds_everything_and_validates) {
    const auto text = write_with<json_writer>(fixed_report(language::en));
    BOOST_TEST(loglens_test::report_schema_errors(text) == "");
    const auto doc = boost::json::parse(text).as_object();
    BOOST_TEST(doc.at("schema_version").as_int64() == json_writer::schema_version);
    BOOST_TEST(doc.at("summary").at("by_classification").at("major").as_int64() == 2);
    const auto& p0 = doc.at("problems").at(0).as_object();
    BOOST_TEST(p0.at("analysis").at("source").as_string() == "knowledge_base");
    BOOST_TEST(p0.at("analysis").at("confidence").as_double() == 0.9);
    BOOST_TEST(p0.at("samples").at(0).at("continuation").as_array().size() == 4u);
    BOOST_TEST(doc.at("problems").at(2).at("analysis").at("error").as_string().starts_with("ollama: timed out"));
    BOOST_TEST(doc.at("problems").at(0).at("analysis").at("error").is_null());
    BOOST_TEST(doc.at("noise").as_array().size() == 1u);
    BOOST_TEST(doc.at("stats").at("redactions").at("url-password").as_int64() == 2);
    BOOST_TEST(doc.at("llm").at("wall_seconds").as_double() == 12.5);
    BOOST_TEST(text.find("\"confidence\": 0.9,") != std::string::npos);  // shortest form, not 9E-1
}

BOOST_AUTO_TEST_CASE(every_kind_of_report_validates) {
    std::vector<std::pair<std::string, report>> cases;
    cases.emplace_back("empty", report{});
    cases.emplace_back("fixed ru", fixed_report(language::ru));
    cases.emplace_back("fixed en", fixed_report(language::en));
    report partial = fixed_report(language::ru);
    partial.partial = true;
    for (auto& p : partial.problems) p.result.error = "not analysed: the run was interrupted";
    cases.emplace_back("partial", partial);
    report only_noise = fixed_report(language::en);
    only_noise.problems.clear();
    cases.emplace_back("noise only", only_noise);
    report llm_errors = fixed_report(language::en);
    for (auto& p : llm_errors.problems) p.result.error = "HTTP 500 from http://localhost:11434/api/chat";
    llm_errors.llm.failures = llm_errors.llm.calls;
    cases.emplace_back("llm errors", llm_errors);
    cases.emplace_back("hostile ru", hostile_report(language::ru));
    cases.emplace_back("hostile en", hostile_report(language::en));
    report no_times = fixed_report(language::en);
    for (auto& p : no_times.problems) {
        p.group.first_seen.reset();
        p.group.last_seen.reset();
        p.group.occurrences.clear();
        for (auto& s : p.group.samples) s.timestamp.reset();
    }
    cases.emplace_back("no timestamps", no_times);
    cases.emplace_back("llm incident", llm_incident_report());

    for (const auto& [name, r] : cases) {
        const auto text = write_with<json_writer>(r);
        BOOST_TEST(loglens_test::report_schema_errors(text) == "", name);
        // what is written reads back to the same report (one description of each type for both)
        BOOST_TEST(write_with<json_writer>(parse_report(text, name)) == text, name);
        // the other writers take every case without throwing and produce something
        BOOST_TEST(!write_with<markdown_writer>(r).empty(), name);
        BOOST_TEST(!write_with<html_writer>(r).empty(), name);
    }
}

BOOST_AUTO_TEST_CASE(pipeline_reports_validate) {
    pipeline<plain_parser, exact_grouper, null_analyzer, writers<json_writer, markdown_writer, html_writer>> p;
    p.ingest_text("ERROR disk full on /dev/sda1\nWARN slow <b>request</b>\nCRITICAL down \xff\n\n", {"a.log", "app"});
    const report r = p.analyse();
    const auto dir = std::filesystem::temp_directory_path() / "loglens_report_test";
    std::filesystem::remove_all(dir);
    const auto written = p.write(r, dir);
    BOOST_TEST(written.size() == 3u);
    BOOST_TEST(loglens_test::report_schema_errors(read_file(dir / "log_analysis_report.json")) == "");
    BOOST_TEST(read_file(dir / "log_analysis_report.md").find("\\<b\\>request\\</b\\>") != std::string::npos);
    BOOST_TEST(read_file(dir / "log_analysis_report.html").find("&lt;b&gt;request&lt;/b&gt;") != std::string::npos);
    std::filesystem::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(schema_validator_rejects_what_it_should) {
    const auto good = boost::json::parse(write_with<json_writer>(fixed_report(language::en)));
    const auto& schema = loglens_test::report_schema();
    BOOST_TEST(schema.validate(good).empty());
    const auto broken = [&](auto&& edit) {
        boost::json::value v = good;
        edit(v.as_object());
        return schema.validate(v);
    };
    BOOST_TEST(!broken([](auto& o) { o.erase("llm"); }).empty());                        // required
    BOOST_TEST(!broken([](auto& o) { o["surprise"] = 1; }).empty());                     // additionalProperties
    BOOST_TEST(!broken([](auto& o) { o["schema_version"] = 5; }).empty());               // const
    BOOST_TEST(!broken([](auto& o) { o["language"] = "de"; }).empty());                  // enum
    BOOST_TEST(!broken([](auto& o) { o["partial"] = "yes"; }).empty());                  // type
    BOOST_TEST(!broken([](auto& o) { o["stats"].as_object()["lines"] = -1; }).empty());  // minimum via $ref
    BOOST_TEST(!broken([](auto& o) { o["stats"].as_object()["skipped"].as_object()["x"] = "a"; }).empty());
    BOOST_TEST(!broken([](auto& o) { o["generated_at"] = "yesterday"; }).empty());  // format
    BOOST_TEST(!broken([](auto& o) {
                    o["problems"].as_array()[0].as_object()["analysis"].as_object()["confidence"] = 1.5;
                }).empty());  // maximum
    BOOST_TEST(!broken([](auto& o) { o["problems"].as_array()[0].as_object()["first_seen"] = 5; }).empty());
    BOOST_TEST(broken([](auto& o) { o["problems"].as_array()[0].as_object()["first_seen"] = nullptr; }).empty());
    const auto errors = broken([](auto& o) { o["problems"].as_array()[1].as_object()["severity"] = "loud"; });
    BOOST_REQUIRE_EQUAL(errors.size(), 1u);
    BOOST_TEST(errors[0].rfind("/problems/1/severity:", 0) == 0u, errors[0]);
    BOOST_TEST(!loglens_test::validate_report_json("{not json").empty());
    BOOST_TEST(!loglens_test::validate_report_json("{\"a\":\"\xff\"}").empty());
    // a keyword the validator does not implement is an error, not a silent pass
    loglens_test::json_schema odd(boost::json::parse(R"({"type":"string","pattern":"^a"})"));
    BOOST_TEST(!odd.validate(boost::json::value("b")).empty());
}

BOOST_AUTO_TEST_CASE(read_report_checks_versions_and_says_where_it_breaks) {
    const auto dir = std::filesystem::temp_directory_path() / "loglens_read_report_test";
    std::filesystem::create_directories(dir);
    const auto written = write_with<json_writer>(fixed_report(language::en));
    std::ofstream(dir / "r.json", std::ios::binary) << written;
    const report back = read_report(dir / "r.json");
    BOOST_TEST(back.problems.size() == fixed_report(language::en).problems.size());
    BOOST_TEST(back.problems[0].group.id == fixed_report(language::en).problems[0].group.id);
    BOOST_TEST((back.problems[0].group.first_seen == fixed_report(language::en).problems[0].group.first_seen));
    const auto error_of = [&](const std::string& text) {
        std::ofstream(dir / "bad.json", std::ios::binary) << text;
        try {
            (void)read_report(dir / "bad.json");
        } catch (const report_error& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    const auto newer = error_of(R"({"schema_version": 99, "problems": []})");
    BOOST_TEST(newer.find("bad.json") != std::string::npos, newer);
    BOOST_TEST(newer.find("schema_version 99") != std::string::npos, newer);
    BOOST_TEST(error_of("{\"schema_version\": 2, \"problems\": [{\"count\": -3}]}").find("problems[0].count") !=
               std::string::npos);
    BOOST_TEST(error_of("{\"schema_version\": 2, \"problems\": [{\"severity\": \"loud\"}]}").find("'loud'") !=
               std::string::npos);
    BOOST_TEST(error_of("not json").find("not a JSON document") != std::string::npos);
    // year 9999 fits the text but not a nanosecond time point (1678..2262): named, never an overflow
    const auto far = error_of("{\"schema_version\": 2, \"generated_at\": \"9999-01-01T00:00:00Z\", \"problems\": []}");
    BOOST_TEST(far.find("generated_at") != std::string::npos, far);
    BOOST_TEST(far.find("9999-01-01") != std::string::npos, far);
    const auto early = error_of("{\"schema_version\": 2, \"generated_at\": \"1900-01-01T00:00:00Z\", \"problems\": []}");
    BOOST_TEST(early.find("1900-01-01") != std::string::npos, early);
    BOOST_TEST(error_of("{\"problems\": []}").find("no schema_version") != std::string::npos);
    std::string missing;
    try {
        (void)read_report(dir / "absent.json");
    } catch (const report_error& e) {
        missing = e.what();
    }
    BOOST_TEST(missing.find("absent.json: cannot open") != std::string::npos, missing);
    // a report of schema version 1 (written before aliases and sketches) still reads
    const auto v1 = read_report(std::filesystem::path(LOGLENS_TEST_DATA_DIR) / "report" / "schema_v1_report.json");
    BOOST_TEST(v1.problems.size() == back.problems.size());
    BOOST_TEST(v1.problems[0].group.aliases.empty());
    BOOST_TEST(v1.problems[0].group.count == back.problems[0].group.count);
    std::filesystem::remove_all(dir);
}

// A report of generated events: `counts[k]` events of problem kind k (absent when 0), spread over one hour.
report generated_run(const std::vector<std::uint64_t>& counts, std::uint64_t seed) {
    const auto word = [](std::size_t k, char salt) {
        std::string w(1, salt);
        for (std::size_t i = 0; i < 3; ++i, k /= 26) w += static_cast<char>('a' + k % 26);
        return w;
    };
    std::vector<log_entry> events;
    const auto start = time_point{} + std::chrono::hours(24 * 400);
    for (int tick : {0, 3600}) {  // both runs span exactly one hour
        log_entry e;
        e.service = "clock";
        e.level = severity::warning;
        e.message = "heartbeat tick missed";
        e.timestamp = start + std::chrono::seconds(tick);
        events.push_back(std::move(e));
    }
    for (std::size_t k = 0; k < counts.size(); ++k)
        for (std::uint64_t i = 0; i < counts[k]; ++i) {
            log_entry e;
            e.service = seed == 1 ? "worker-1" : "worker_2";  // another replica of the same service
            e.level = severity::error;
            e.message = word(k, 'q') + " failed while " + word(k, 'x') + " was " + word(k, 'z') + " after " +
                        std::to_string((i * 7919 + seed) % 1000) + " ms";
            e.timestamp = start + std::chrono::seconds(((i + 1) * 3599) / (counts[k] + 1));
            events.push_back(std::move(e));
        }
    std::mt19937 rng(static_cast<std::uint32_t>(seed));
    std::shuffle(events.begin(), events.end(), rng);
    template_miner m;
    for (auto& e : events) m.add(std::move(e));
    report r;
    r.tool_version = "0.1.0";
    for (auto& g : m.groups()) r.problems.push_back({std::move(g), {}, {}});
    return r;
}

BOOST_AUTO_TEST_CASE(baseline_marks_generated_changes_exactly) {
    std::mt19937 rng(16);
    for (int round = 0; round < 20; ++round) {
        std::vector<std::uint64_t> before(40), after(40);
        std::map<std::string, std::string> expected;  // by the problem's template
        std::vector<std::string_view> kind(40);
        for (std::size_t k = 0; k < 40; ++k) {
            const auto base = 10 + rng() % 40;
            switch (rng() % 5) {
                case 0: before[k] = base, after[k] = 0, kind[k] = change::gone; break;
                case 1: before[k] = 0, after[k] = 1 + rng() % 30, kind[k] = change::new_problem; break;
                case 2: before[k] = base, after[k] = base * 3 + rng() % 30, kind[k] = change::spiking; break;
                case 3: before[k] = base * 3 + rng() % 30, after[k] = base, kind[k] = change::calmer; break;
                default: before[k] = base, after[k] = base + rng() % base, kind[k] = change::recurring; break;
            }
        }
        // the baseline comes back from its JSON, as `--baseline` reads it
        const auto old = parse_report(write_with<json_writer>(generated_run(before, 1)), "old.json");
        auto now = generated_run(after, 2);
        const auto s = mark_changes(now, old, "old.json");
        std::map<std::string_view, std::uint64_t> want;
        for (auto k : kind) ++want[k];
        ++want[change::recurring];  // the heartbeat
        BOOST_TEST(s.new_problems == want[change::new_problem]);
        BOOST_TEST(s.gone == want[change::gone]);
        BOOST_TEST(s.spiking == want[change::spiking]);
        BOOST_TEST(s.calmer == want[change::calmer]);
        BOOST_TEST(s.recurring == want[change::recurring]);
        BOOST_TEST(now.gone.size() == want[change::gone]);
        const auto kind_of = [&](const problem& p) {
            if (p.group.service == "clock") return change::recurring;
            const auto k = static_cast<std::size_t>(p.group.template_text[1] - 'a') +
                           26 * static_cast<std::size_t>(p.group.template_text[2] - 'a') +
                           676 * static_cast<std::size_t>(p.group.template_text[3] - 'a');
            return kind[k];
        };
        for (const auto& p : now.problems) BOOST_TEST(p.change == kind_of(p), p.group.template_text);
        for (const auto& p : now.gone) BOOST_TEST(kind_of(p) == change::gone, p.group.template_text);
        // a spike needs ten events: three times one event is not one
        auto few = generated_run({1}, 3);
        mark_changes(few, parse_report(write_with<json_writer>(generated_run({0, 0}, 3)), "x"));
        auto three = generated_run({3}, 4);
        mark_changes(three, few);
        for (const auto& p : three.problems) BOOST_TEST(p.change == change::recurring);
        now.baseline = s;
        const auto text = write_with<json_writer>(now);
        BOOST_TEST(loglens_test::report_schema_errors(text) == "");
        const auto back = parse_report(text, "now.json");
        BOOST_TEST(back.gone.size() == now.gone.size());
        BOOST_TEST((back.baseline && back.baseline->spiking == s.spiking));
        // the Markdown leads with what is new, before the problems themselves
        const auto md = write_with<markdown_writer>(now);
        const auto lead = md.find("С момента базового запуска"), first_new = md.find("- **new**");
        BOOST_TEST((lead != std::string::npos && lead < md.find("####")));
        if (want[change::new_problem]) BOOST_TEST((first_new != std::string::npos && first_new < md.find("####")));
    }
}

// The report of one run of the miner over `events` (no analysis), as the pipeline orders it.
report mined_report(const std::vector<log_entry>& events) {
    template_miner m;
    for (auto e : events) m.add(std::move(e));
    report r;
    r.tool_version = "0.1.0";
    for (auto& g : m.groups()) r.problems.push_back({std::move(g), {}, {}});
    std::sort(r.problems.begin(), r.problems.end(), more_urgent);
    return r;
}

BOOST_AUTO_TEST_CASE(merged_parts_equal_the_whole_in_any_order_and_grouping) {
    const auto events = loglens_test::growing_stream(loglens_test::example_entries("compose.log"), 3000);
    const auto whole = mined_report(events);
    std::mt19937 rng(16);
    std::size_t compared = 0, exact_params = 0;
    for (int round = 0; round < 6; ++round) {
        const std::size_t k = 2 + rng() % 4;
        std::vector<std::vector<log_entry>> split(k);
        for (const auto& e : events) split[rng() % k].push_back(e);
        std::vector<report> parts;
        for (const auto& s : split) parts.push_back(mined_report(s));
        const auto merged = merge_reports(parts);
        const auto text = write_with<json_writer>(merged);
        BOOST_TEST(loglens_test::report_schema_errors(text) == "");
        // commutative: any order of the parts; associative: any grouping of them
        auto shuffled = parts;
        std::shuffle(shuffled.begin(), shuffled.end(), rng);
        BOOST_TEST(write_with<json_writer>(merge_reports(shuffled)) == text);
        const auto cut = 1 + rng() % (k - 1);
        const std::vector<report> left(shuffled.begin(), shuffled.begin() + static_cast<std::ptrdiff_t>(cut));
        const std::vector<report> right(shuffled.begin() + static_cast<std::ptrdiff_t>(cut), shuffled.end());
        BOOST_TEST(write_with<json_writer>(merge_reports({merge_reports(left), merge_reports(right)})) == text);
        // and through JSON, as `loglens merge` reads them
        std::vector<report> read;
        for (const auto& p : shuffled) read.push_back(parse_report(write_with<json_writer>(p), "part"));
        BOOST_TEST(write_with<json_writer>(merge_reports(read)) == text);
        // equal to the whole run
        std::uint64_t total_whole = 0, total_merged = 0;
        for (const auto& p : whole.problems) total_whole += p.group.count;
        for (const auto& p : merged.problems) total_merged += p.group.count;
        BOOST_TEST(total_merged == total_whole);
        for (const auto& w : whole.problems) {
            const auto it = std::find_if(merged.problems.begin(), merged.problems.end(),
                                         [&](const problem& p) { return p.group.id == w.group.id; });
            BOOST_REQUIRE_MESSAGE(it != merged.problems.end(), w.group.template_text << " is missing from the merge");
            const auto& g = it->group;
            BOOST_TEST_CONTEXT(w.group.template_text) {
                BOOST_TEST(g.count == w.group.count);
                BOOST_TEST((g.first_seen == w.group.first_seen));
                BOOST_TEST((g.last_seen == w.group.last_seen));
                BOOST_TEST((g.level == w.group.level));
                if (w.group.occurrences.size() < 256) BOOST_TEST((g.occurrences == w.group.occurrences));
                // where every part mined the whole run's template, the parameters agree value for value
                const bool same_template = std::all_of(parts.begin(), parts.end(), [&](const report& r) {
                    return std::all_of(r.problems.begin(), r.problems.end(), [&](const problem& p) {
                        return p.group.id != w.group.id || p.group.template_text == w.group.template_text;
                    });
                });
                if (!same_template) continue;
                ++compared;
                BOOST_TEST(g.template_text == w.group.template_text);
                BOOST_REQUIRE(g.params.size() == w.group.params.size());
                for (std::size_t i = 0; i < g.params.size(); ++i) {
                    if (w.group.params[i].distinct_dropped) continue;  // beyond ten values: see docs/merge.md
                    ++exact_params;
                    std::map<std::string, std::uint64_t> want, got;
                    for (const auto& v : w.group.params[i].values) want[v.value] = v.count;
                    for (const auto& v : g.params[i].values) got[v.value] = v.count;
                    BOOST_TEST((got == want));
                    BOOST_TEST(g.params[i].distinct_dropped == 0u);
                }
            }
        }
    }
    BOOST_TEST_MESSAGE("merge: " << compared << " problems and " << exact_params << " parameters compared exactly");
    BOOST_TEST(compared > 100u);
}

BOOST_AUTO_TEST_CASE(merged_sketches_are_the_sketch_of_the_union) {
    // one position with many distinct values, split over three parts that each saw the same first ten: the
    // OR of the parts' sketches is the sketch of the whole run
    const auto run = [](int repeat_first, std::uint64_t from, std::uint64_t to) {
        template_miner m;
        const auto login = [&](std::uint64_t i) {
            log_entry e;
            e.service = "svc";
            e.level = severity::error;
            e.message = "login failed for user u" + std::to_string(i);
            m.add(std::move(e));
        };
        for (int r = 0; r < repeat_first; ++r)
            for (std::uint64_t i = 0; i < 10; ++i) login(i);
        for (std::uint64_t i = from; i < to; ++i) login(i);
        report out;
        for (auto& g : m.groups()) out.problems.push_back({std::move(g), {}, {}});
        return out;
    };
    const auto whole = run(3, 10, 400);
    const auto merged = merge_reports({run(1, 10, 150), run(1, 150, 260), run(1, 260, 400)});
    BOOST_REQUIRE(whole.problems.size() == 1u);
    BOOST_REQUIRE(merged.problems.size() == 1u);
    const auto& w = whole.problems[0].group.params.at(0);
    const auto& m = merged.problems[0].group.params.at(0);
    BOOST_TEST(w.distinct_dropped > 300u);
    BOOST_TEST(m.sketch == w.sketch);
    BOOST_TEST(m.distinct_dropped == w.distinct_dropped);
    BOOST_TEST(m.values.size() == 10u);
    for (const auto& v : m.values) BOOST_TEST(v.count == 3u);
    BOOST_TEST(merged.problems[0].group.count == whole.problems[0].group.count);
}

BOOST_AUTO_TEST_CASE(json_replaces_invalid_utf8) {
    report r = fixed_report(language::en);
    r.problems[0].group.template_text = "bad \xc3\x28 and \xed\xa0\x80 surrogate";
    const auto text = write_with<json_writer>(r);
    BOOST_TEST(loglens_test::report_schema_errors(text) == "");
    const auto doc = boost::json::parse(text);
    BOOST_TEST(doc.at("problems").at(0).at("template").as_string() ==
               "bad \xEF\xBF\xBD( and \xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD surrogate");
}

BOOST_AUTO_TEST_CASE(html_escapes_every_context) {
    for (const auto lang : {language::ru, language::en}) {
        const auto html = write_with<html_writer>(hostile_report(lang));
        // exactly our own script element, and no element the payload could have made
        std::size_t scripts = 0;
        for (auto i = html.find("<script"); i != std::string::npos; i = html.find("<script", i + 1)) ++scripts;
        BOOST_TEST(scripts == 1u);
        BOOST_TEST(html.find("<img") == std::string::npos);
        BOOST_TEST(html.find("<b>x</b>") == std::string::npos);
        BOOST_TEST(html.find("&lt;script&gt;window.__pwned=1&lt;/script&gt;") != std::string::npos);
        BOOST_TEST(html.find("onerror=&quot;window.__pwned=1&quot;") != std::string::npos);
        // attribute context: the component goes into data-component="..."
        BOOST_TEST(html.find("data-component=\"airflow-scheduler / comp|&lt;b&gt;x&lt;/b&gt;\"") != std::string::npos);
        BOOST_TEST(html.find('\x1b') == std::string::npos);
        BOOST_TEST(detail::valid_utf8(html));
        BOOST_TEST(html.find("src=\"") == std::string::npos);  // nothing is loaded, not even an image
        BOOST_TEST(html.find("href=\"http") == std::string::npos);
        BOOST_TEST(html.find("<link") == std::string::npos);
        BOOST_TEST(html.find("lang=\"" + std::string(to_string(lang)) + "\"") != std::string::npos);
    }
}

BOOST_AUTO_TEST_CASE(html_shows_everything_and_pins_its_script) {
    const report r = fixed_report(language::en);
    const auto html = write_with<html_writer>(r);
    for (const auto& p : r.problems) {
        BOOST_TEST(html.find("id=\"p-" + p.group.id + "\"") != std::string::npos, p.group.id);
        BOOST_TEST(html.find("href=\"#p-" + p.group.id + "\"") != std::string::npos, p.group.id);  // timeline link
    }
    BOOST_TEST(html.find("<svg class=\"timeline\"") != std::string::npos);
    BOOST_TEST(html.find("<details><summary>Log samples (1)</summary>") != std::string::npos);
    BOOST_TEST(html.find("data-sort=\"count\"") != std::string::npos);
    BOOST_TEST(html.find("Benign noise (1)") != std::string::npos);
    // the CSP hash is the hash of the script that is in the page
    const auto start = html.find("<script>") + 8;
    const auto script = html.substr(start, html.find("</script>") - start);
    const auto hash = detail::base64(detail::sha256(script));
    BOOST_TEST(html.find("script-src 'sha256-" + hash + "'") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(sha256_and_base64_known_answers) {
    BOOST_TEST(detail::base64(detail::sha256("")) == "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
    BOOST_TEST(detail::base64(detail::sha256("abc")) == "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=");
    const std::string million(1000000, 'a');
    BOOST_TEST(detail::base64(detail::sha256(million)) == "zcduXJkU+5KBocfihNc+Z/GAmkiklyAOBG05zMcRLNA=");
    BOOST_TEST(detail::base64(std::string("ab")) == "YWI=");
    BOOST_TEST(detail::base64(std::string("a")) == "YQ==");
}

BOOST_AUTO_TEST_CASE(script_json_escaping) {
    BOOST_TEST(detail::script_safe_json("{\"a\":\"</script><!--&\xE2\x80\xA8\xE2\x80\xA9\"}") ==
               "{\"a\":\"\\u003c/script\\u003e\\u003c!--\\u0026\\u2028\\u2029\"}");
}

BOOST_AUTO_TEST_CASE(terminal_summary_fits_and_colours_only_on_request) {
    report r = hostile_report(language::en);
    r.partial = true;
    for (int i = 0; i < 12; ++i) {
        auto p = r.problems[3];
        p.group.id = "extra" + std::to_string(i);
        p.group.component = std::string(60, 'c') + "\xe4\xb8\xad\xe6\x96\x87";  // wide characters at the cut
        r.problems.push_back(p);
    }
    std::ostringstream plain, coloured;
    print_terminal_summary(r, plain, {});
    print_terminal_summary(r, coloured, terminal_style{.color = true});
    BOOST_TEST(plain.str().find('\x1b') == std::string::npos);  // log escapes stripped, none of ours
    BOOST_TEST(coloured.str().find("\x1b[1;31mCRITICAL") != std::string::npos);
    std::istringstream lines(plain.str());
    std::string line;
    int n = 0, llm_lines = 0;
    while (std::getline(lines, line)) {
        ++n;
        BOOST_TEST(detail::display_width(line) <= 100u, line);
        if (n == 14) BOOST_TEST(line.find("LLM: ") != std::string::npos, line);
        if (n > 14) BOOST_TEST(line.rfind("  ", 0) == 0, line);  // the cause, wrapped whole, never cut
        llm_lines += n >= 14;
    }
    BOOST_TEST(n == 1 + 1 + 10 + 1 + llm_lines);  // counts, partial, 10 problems, "… 6 more", LLM outcome
    BOOST_TEST(llm_lines >= 1);
    BOOST_TEST(plain.str().find("6 more in the report") != std::string::npos);
    BOOST_TEST(plain.str().find("PARTIAL REPORT") != std::string::npos);
    BOOST_TEST(plain.str().find("(1 critical, 2 major, 13 warning)") != std::string::npos);

    BOOST_TEST(terminal_style::for_stream(true, nullptr).color);
    BOOST_TEST(terminal_style::for_stream(true, "").color);
    BOOST_TEST(!terminal_style::for_stream(true, "1").color);
    BOOST_TEST(!terminal_style::for_stream(false, nullptr).color);

    std::ostringstream empty;
    print_terminal_summary(report{}, empty, {});
    BOOST_TEST(empty.str().find("проблем не найдено") != std::string::npos);
    BOOST_TEST(empty.str().find("LLM: офлайн") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(terminal_lines_show_escapes_visibly) {
    BOOST_TEST(detail::fit_columns("a\x1b[2Jb\nc\xe2\x80\xae", 80) == "a^[[2Jb c<U+202E>");
    BOOST_TEST(detail::fit_columns("\x1b]0;t\x07 long tail", 8) == "^[]0;t^\xE2\x80\xA6");
}

BOOST_AUTO_TEST_CASE(writers_model_the_concept) {
    static_assert(report_writer<markdown_writer>);
    static_assert(report_writer<html_writer>);
    static_assert(report_writer<json_writer>);
    BOOST_TEST(markdown_writer{}.extension() == "md");
    BOOST_TEST(html_writer{}.extension() == "html");
}

BOOST_AUTO_TEST_CASE(every_report_says_why_and_which_failure_a_group_restates) {
    report r = fixed_report(language::en);
    BOOST_REQUIRE_GE(r.problems.size(), 2u);
    r.problems[0].group.level = severity::info;
    r.problems[0].result.reason = "logged at INFO, but: repeats every 5 s for 3 min with no progress <b>";
    r.problems[1].result.duplicate_of = r.problems[0].group.id;
    const auto md = write_with<markdown_writer>(r);
    BOOST_TEST(md.find("**Why a problem:** logged at INFO, but: repeats every 5 s for 3 min") != std::string::npos);
    BOOST_TEST(md.find("**Same failure as:** `" + r.problems[0].group.id + "`") != std::string::npos);
    const auto html = write_with<html_writer>(r);
    BOOST_TEST(html.find("repeats every 5 s for 3 min with no progress &lt;b&gt;") != std::string::npos);
    BOOST_TEST(html.find("<b>") != std::string::npos);
    BOOST_TEST(html.find("no progress <b>") == std::string::npos, "reasons are escaped");
    const auto json = write_with<json_writer>(r);
    const auto doc = boost::json::parse(json);
    BOOST_TEST(doc.at("problems").at(0).at("analysis").at("reason").as_string().starts_with("logged at INFO, but"));
    BOOST_TEST(doc.at("problems").at(1).at("analysis").at("duplicate_of").as_string() == r.problems[0].group.id);
    BOOST_TEST(doc.at("problems").at(1).at("analysis").at("reason").is_null());  // no reason of its own
    BOOST_TEST(loglens_test::report_schema_errors(json) == "");
    std::ostringstream term;
    print_terminal_summary(r, term, {});
    BOOST_TEST(term.str().find("\xE2\x86\xB3 logged at INFO, but: repeats every 5 s") != std::string::npos, term.str());
}

BOOST_AUTO_TEST_CASE(llm_incident_summary_in_every_writer) {
    const report r = llm_incident_report();
    const auto& steps = r.incidents.at(0).fix_steps;
    const auto back = parse_report(write_with<json_writer>(r), "llm.json");
    BOOST_REQUIRE_EQUAL(back.incidents.size(), 1u);
    BOOST_TEST((back.incidents[0].summary_source == analysis_source::llm));
    BOOST_TEST(back.incidents[0].fix_steps.at(0).problem_id == steps.at(0).problem_id);
    BOOST_TEST(back.incidents[0].root_cause == "root | cause");
    const std::string md = write_with<markdown_writer>(r);
    BOOST_TEST(md.find("**Summary (LLM):**") != std::string::npos);
    BOOST_TEST(md.find("1. check \\`it\\` \\<b\\>now\\</b\\> (`" + steps[0].problem_id + "`") != std::string::npos, md);
    BOOST_TEST(md.find("\n## not a heading") == std::string::npos);
    const std::string html = write_with<html_writer>(r);
    BOOST_TEST(html.find("<script>alert") == std::string::npos);
    BOOST_TEST(html.find("<a href=\"#" + detail::html_anchor(steps[0].problem_id) + "\"><code>") != std::string::npos);
    std::ostringstream term;
    print_terminal_summary(r, term);
    BOOST_TEST(term.str().find("Fix first: check `it` <b>now</b>") != std::string::npos, term.str());
}

BOOST_AUTO_TEST_SUITE_END()
