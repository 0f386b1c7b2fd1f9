// Writes the HTML (and JSON, Markdown) reports the browser and Markdown-render tests open: a realistic demo report, and one whose
// SPDX-License-Identifier: MIT
// description, root cause, template and samples carry script-injection payloads.
#include <loglens/loglens.hpp>

#include "support/json_schema.hpp"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <type_traits>
#include <string>
#include <vector>

using namespace loglens;
using namespace std::chrono_literals;

namespace {

const time_point base = std::chrono::time_point_cast<std::chrono::nanoseconds>(
    std::chrono::sys_days{std::chrono::November / 3 / 2025} + 20h);

problem make(std::string id, std::string service, std::string component, severity level, classification verdict,
             std::string templ, std::vector<std::chrono::seconds> at, analysis_source source, double confidence,
             std::string description, std::string root_cause, std::vector<std::string> recs) {
    problem p;
    auto& g = p.group;
    g.id = std::move(id);
    g.service = std::move(service);
    g.component = std::move(component);
    g.level = level;
    g.template_text = std::move(templ);
    for (const auto s : at) g.occurrences.push_back(base + s);
    g.count = at.size() * 3;
    g.first_seen = g.occurrences.front();
    g.last_seen = g.occurrences.back();
    log_entry e;
    e.service = g.service;
    e.source = "compose.log";
    e.line = 100 + at.size();
    e.timestamp = g.first_seen;
    e.level = level;
    e.raw = g.template_text;
    e.message = g.template_text;
    g.samples.push_back(e);
    p.result.verdict = verdict;
    p.result.source = source;
    p.result.confidence = confidence;
    p.result.description = std::move(description);
    p.result.root_cause = std::move(root_cause);
    p.result.recommendations = std::move(recs);
    return p;
}

std::vector<std::chrono::seconds> spread(int from_min, int to_min, int n) {
    std::vector<std::chrono::seconds> v;
    for (int i = 0; i < n; ++i)
        v.push_back(
            std::chrono::seconds(from_min * 60 + (to_min - from_min) * 60 * i / std::max(1, n - 1) + (i * 37) % 50));
    return v;
}

report demo_report() {
    report r;
    r.tool_version = LOGLENS_VERSION_STRING;
    r.generated_at = base + 61min;
    r.lang = language::en;
    r.inputs = {{"compose.log", 48211, 6120334, ""}};
    r.ingest.lines = 48211;
    r.ingest.bytes = 6120334;
    r.ingest.entries = 39870;
    r.ingest.skipped = {{"blank", 14}};
    r.ingest.altered = {{"invalid-utf8", 2}};
    r.entries_below_threshold = 38112;
    r.redactions = {{"url-password", 6}, {"aws-secret-key", 1}};
    r.llm.backend = "ollama";
    r.llm.model = "qwen2.5:7b";
    r.llm.url = "http://localhost:11434";
    r.llm.server_version = "0.5.7";
    r.llm.calls = 6;
    r.llm.cache_hits = 2;
    r.llm.failures = 1;
    r.llm.prompt_tokens = 9120;
    r.llm.completion_tokens = 2210;
    r.llm.wall_seconds = 41.3;

    auto dag = make("3f9c1a7e52d04b18", "airflow-scheduler", "dagbag.py", severity::error, classification::critical,
                    "Failed to import: /opt/airflow/dags/<*>.py", spread(2, 58, 14), analysis_source::knowledge_base, 0.92,
                    "Airflow cannot load a DAG file: importing it raises ModuleNotFoundError, so the DAG and all its runs "
                    "are missing from the scheduler.",
                    "The scheduler image does not have the `pandas` package the DAG imports.",
                    {"Add pandas to the image's requirements.txt and rebuild airflow-scheduler and airflow-worker",
                     "Run `airflow dags list-import-errors` after the rebuild to confirm"});
    dag.group.exception = "ModuleNotFoundError: No module named 'pandas'";
    dag.group.samples[0].continuation = {
        "Traceback (most recent call last):", "  File \"/opt/airflow/dags/etl_daily.py\", line 4, in <module>",
        "    import pandas as pd", "ModuleNotFoundError: No module named 'pandas'"};
    dag.group.params.push_back({"<*>", {{"etl_daily", 9}, {"reports_weekly", 5}}, 0});
    auto oom = make(
        "a07be3c9d1f24e65", "spark-worker", "Executor", severity::error, classification::major,
        "Exception in task <NUM> in stage <NUM> (TID <NUM>): java.lang.OutOfMemoryError: Java heap space",
        spread(21, 34, 9), analysis_source::llm, 0.78,
        "Spark executors run out of heap while shuffling a large partition; the tasks are retried and the "
        "stage fails after 4 attempts.",
        "spark.executor.memory (1g) is below the size of the skewed partition.",
        {"Raise spark.executor.memory to 4g in spark-defaults.conf", "Repartition the input by a better-distributed key"});
    auto redis = make("c4e8f01b2a93d756", "airflow-worker", "celery", severity::error, classification::major,
                      "Error 111 connecting to redis:6379. Connection refused.", spread(40, 44, 20),
                      analysis_source::heuristic, 0.55, "Celery workers cannot reach Redis, so queued tasks stay queued.",
                      "", {"Check that the redis container is running: `docker compose ps redis`"});
    redis.result.error = "ollama: timed out after 120 s (OLLAMA_TIMEOUT)";
    auto minio = make("5d2a9b7c0e61f384", "minio", "", severity::warning, classification::minor,
                      "Disk <PATH> is <NUM>% full", spread(10, 55, 5), analysis_source::knowledge_base, 0.8,
                      "A MinIO drive is almost full; writes fail once it is.", "Old artefacts are never deleted.",
                      {"Add a lifecycle rule to expire old objects"});
    auto slow = make("e19f6c3b8a2d7045", "airflow-webserver", "app.py", severity::warning, classification::warning,
                     "Request took <NUM> ms: GET /api/v1/dags", spread(0, 60, 12), analysis_source::none, 0, "", "", {});
    auto noise = make("77aa01bc29de3f10", "airflow-webserver", "warnings.py", severity::warning, classification::info,
                      "DeprecationWarning: <*> is deprecated", spread(0, 60, 30), analysis_source::knowledge_base, 0.95,
                      "A known deprecation warning from a provider package; harmless.", "", {});
    noise.result.benign = true;
    r.problems = {dag, oom, redis, minio, slow};
    r.noise = {noise};
    return r;
}

report hostile_report() {
    report r = demo_report();
    const std::string payload =
        "<script>window.__pwned=1</script><img src=x onerror=\"window.__pwned=1\">"
        "<script>document.documentElement.setAttribute('data-pwned','script')</script>"
        "<img src=x onerror=\"document.documentElement.setAttribute('data-pwned','onerror')\">"
        "\"><svg onload=\"window.__pwned=1\"></svg>' onmouseover='window.__pwned=1' "
        "</pre></details></article><iframe src=\"javascript:window.__pwned=1\"></iframe>\xe2\x80\xa8</script>"
        // and what would break Markdown: a fence, a heading, a table row, a list, a setext underline
        "\n```\n# Owned heading\n| x | y |\n1. list\n=====\n[link](javascript:alert(1)) ````";
    for (auto& p : r.problems) {
        p.result.description = "Malicious description: " + payload;
        p.result.root_cause = payload;
        p.result.recommendations.push_back(payload);
        p.result.error = payload;
        p.group.component += payload;
        p.group.samples[0].raw += payload;
        p.group.samples[0].continuation.push_back(payload);
    }
    r.problems[0].group.template_text = payload;
    r.problems[1].group.exception = payload;
    r.noise[0].result.description = payload;
    r.llm.note = payload;
    r.inputs[0].path = payload;
    return r;
}

template <class W>
void write(const report& r, const std::filesystem::path& path) {
    std::ostringstream text;
    W{}.write(r, text);
    // every JSON report the test suite writes is checked against docs/report-schema.json
    if constexpr (std::is_same_v<W, json_writer>) {
        const auto errors = loglens_test::report_schema_errors(text.str());
        if (!errors.empty()) throw std::runtime_error(path.string() + " does not follow the report schema:\n" + errors);
    }
    std::ofstream out(path, std::ios::binary);
    out << text.str();
    if (!out) throw std::runtime_error("cannot write " + path.string());
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: loglens_html_page OUT_DIR (writes demo and hostile reports, .html/.json/.md, there)\n";
        return 2;
    }
    const std::filesystem::path dir = argv[1];
    std::filesystem::create_directories(dir);
    try {
        const auto demo = demo_report();
        const auto bad = hostile_report();
        write<html_writer>(demo, dir / "demo.html");
        write<markdown_writer>(demo, dir / "demo.md");
        write<markdown_writer>(bad, dir / "hostile.md");
        write<json_writer>(demo, dir / "demo.json");
        write<html_writer>(bad, dir / "hostile.html");
        write<json_writer>(bad, dir / "hostile.json");
        report ru = demo;
        ru.lang = language::ru;
        write<html_writer>(ru, dir / "demo.ru.html");
        write<json_writer>(ru, dir / "demo.ru.json");
    } catch (const std::exception& e) {
        std::cerr << "loglens_html_page: " << e.what() << '\n';
        return 1;
    }
    return 0;
}
