// The pipeline end to end with the simplest stages: ingest, group, analyse, report, write.
#include <loglens/loglens.hpp>

#include <boost/asio/steady_timer.hpp>
#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include "support/json_schema.hpp"

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <thread>

using namespace loglens;

namespace {
using simple_pipeline = pipeline<plain_parser, exact_grouper>;

struct counting_progress {
    using stage_category = progress_tag;
    std::map<phase, int>* seen;
    void on_progress(const progress_event& e) { ++(*seen)[e.phase]; }
};

/// Answers each group after a delay on the executor, recording how many calls overlapped.
struct overlapping_analyzer {
    using stage_category = analyzer_tag;
    std::shared_ptr<int> in_flight = std::make_shared<int>(0);
    std::shared_ptr<int> peak = std::make_shared<int>(0);
    std::shared_ptr<bool> cancelled = std::make_shared<bool>(false);
    void async_analyze(const log_group& g, const analysis_context& ctx, analysis_handler done) {
        *peak = std::max(*peak, ++*in_flight);
        auto timer = std::make_shared<boost::asio::steady_timer>(ctx.executor, std::chrono::milliseconds(5));
        timer->async_wait([this, timer, done = std::move(done), benign = g.template_text.find("noise") != std::string::npos](auto) {
            --*in_flight;
            analysis a;
            a.verdict = classification::minor;
            a.source = analysis_source::heuristic;
            a.benign = benign;
            done(a);
        });
    }
    void cancel() { *cancelled = true; }
};
}  // namespace

BOOST_AUTO_TEST_SUITE(pipeline_end_to_end)

BOOST_AUTO_TEST_CASE(groups_filter_and_sort) {
    simple_pipeline p;
    p.ingest_text("ERROR disk full\nINFO started\nWARN slow\nERROR disk full\nCRITICAL down\n\n", {"a.log", "app"});
    const report r = p.analyse();
    BOOST_REQUIRE_EQUAL(r.problems.size(), 3u);
    BOOST_TEST(r.problems[0].group.template_text == "CRITICAL down");
    BOOST_TEST((r.problems[0].result.verdict == classification::critical));
    BOOST_TEST(r.problems[1].group.count == 2u);
    BOOST_TEST(r.entries_below_threshold == 1u);
    BOOST_TEST(r.ingest.lines == 6u);
    BOOST_TEST(r.ingest.skipped.at("blank") == 1u);
    BOOST_TEST(r.inputs.size() == 1u);
    BOOST_TEST(r.problems[1].group.samples.front().line == 1u);
}

BOOST_AUTO_TEST_CASE(streams_from_istream_in_small_chunks) {
    simple_pipeline p({.min_severity = severity::trace, .read_chunk = 7});
    std::istringstream in("ERROR a\nERROR b\nERROR a");
    BOOST_TEST(p.ingest(in, {"<stdin>", "svc"}));
    const report r = p.analyse();
    BOOST_TEST(r.problems.size() == 2u);
    BOOST_TEST(r.ingest.altered.at("no-final-newline") == 1u);
}

BOOST_AUTO_TEST_CASE(unreadable_file_is_reported_not_thrown) {
    simple_pipeline p;
    BOOST_TEST(!p.ingest_file("/nonexistent/dir/x.log"));
    const report r = p.analyse();
    BOOST_REQUIRE_EQUAL(r.inputs.size(), 1u);
    BOOST_TEST(r.inputs[0].error.find("cannot open") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(secrets_are_redacted_before_analysis_and_in_reports) {
    simple_pipeline p;
    p.ingest_text("ERROR cannot connect postgresql://airflow:hunter2@db:5432/airflow\n", {"a", "airflow"});
    const report r = p.analyse();
    std::ostringstream out;
    json_writer{}.write(r, out);
    BOOST_TEST(out.str().find("hunter2") == std::string::npos);
    BOOST_TEST(loglens_test::report_schema_errors(out.str()) == "");
    BOOST_TEST(r.redactions.at("url-password") >= 1u);
}

BOOST_AUTO_TEST_CASE(templates_and_parameter_values_are_made_of_redacted_text) {
    pipeline<plain_parser, template_miner> p;
    std::string text;
    for (int i = 0; i < 8; ++i)
        text += "ERROR login to sftp failed user=etl password=Pw-" + std::to_string(1000 + i) + "-Secret host=ftp\n";
    p.ingest_text(text, {"a", "worker"});
    const report r = p.analyse();
    std::ostringstream out;
    json_writer{}.write(r, out);
    BOOST_TEST(out.str().find("-Secret") == std::string::npos);
    BOOST_REQUIRE_EQUAL(r.problems.size(), 1u);
    const auto& g = r.problems[0].group;
    BOOST_TEST(g.count == 8u);  // different secrets, one template
    BOOST_TEST(g.template_text.find("Secret") == std::string::npos);
    bool placeholder_values = false;
    for (const auto& prm : g.params)
        for (const auto& v : prm.values) {
            BOOST_TEST(v.value.find("Secret") == std::string::npos);
            placeholder_values = placeholder_values || v.value.find("<redacted:password:") != std::string::npos;
        }
    BOOST_TEST(placeholder_values);
    BOOST_TEST(r.redactions.at("password") == 8u);
    pipeline<plain_parser, template_miner> raw({.redact = false});
    raw.ingest_text(text, {"a", "worker"});
    std::ostringstream raw_out;
    json_writer{}.write(raw.analyse(), raw_out);
    BOOST_TEST(raw_out.str().find("-Secret") != std::string::npos);  // without redaction they would be there
}

BOOST_AUTO_TEST_CASE(bounded_concurrency_and_benign_noise_kept_apart) {
    pipeline<plain_parser, exact_grouper, overlapping_analyzer> p({.concurrency = 3});
    std::string text;
    for (int i = 0; i < 10; ++i) text += "ERROR problem " + std::to_string(i) + "\n";
    text += "WARN noise\n";
    p.ingest_text(text, {"a", "svc"});
    const report r = p.analyse();
    BOOST_TEST(r.problems.size() == 10u);
    BOOST_TEST(r.noise.size() == 1u);
    BOOST_TEST(*p.analyzer().peak == 3);
    for (const auto& pr : r.problems) BOOST_TEST((pr.result.source == analysis_source::heuristic));
}

BOOST_AUTO_TEST_CASE(stop_marks_partial_and_keeps_every_group) {
    pipeline<plain_parser, exact_grouper, overlapping_analyzer> p;
    p.ingest_text("ERROR a\nERROR b\nERROR c\n", {"a", "svc"});
    std::thread stopper([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
        p.request_stop();
    });
    const report r = p.analyse();
    stopper.join();
    BOOST_TEST(r.partial);
    BOOST_TEST(r.problems.size() == 3u);  // interrupted groups still appear
}

BOOST_AUTO_TEST_CASE(writes_json_atomically_and_reports_progress) {
    std::map<phase, int> seen;
    pipeline<plain_parser, exact_grouper, null_analyzer, writers<json_writer>, counting_progress> p(
        {}, {}, {}, {}, {}, counting_progress{&seen});
    std::istringstream in("ERROR x\n");
    p.ingest(in, {"in.log", "svc"});
    const report r = p.analyse();
    const auto dir = std::filesystem::temp_directory_path() / "loglens-test-write";
    std::filesystem::remove_all(dir);
    const auto paths = p.write(r, dir);
    BOOST_REQUIRE_EQUAL(paths.size(), 1u);
    BOOST_TEST(paths[0].filename() == "log_analysis_report.json");
    BOOST_TEST(!std::filesystem::exists(paths[0].string() + ".tmp"));
    std::ifstream f(paths[0]);
    std::stringstream ss;
    ss << f.rdbuf();
    BOOST_TEST(loglens_test::report_schema_errors(ss.str()) == "");
    const auto doc = boost::json::parse(ss.str()).as_object();
    BOOST_TEST(doc.at("schema_version").as_int64() == 1);
    BOOST_TEST(doc.at("problems").as_array().size() == 1u);
    BOOST_TEST(seen[phase::reading] >= 1);
    BOOST_TEST(seen[phase::writing] == 1);
    BOOST_TEST(seen[phase::done] == 1);
    std::filesystem::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(entry_observer_sees_every_grouped_line) {
    simple_pipeline p({.min_severity = severity::trace});
    std::vector<std::pair<std::uint64_t, std::size_t>> seen;
    p.set_entry_observer([&](const std::string&, std::uint64_t line, std::size_t key) { seen.emplace_back(line, key); });
    p.ingest_text("a\nb\na\n", {"x", "svc"});
    BOOST_REQUIRE_EQUAL(seen.size(), 3u);
    BOOST_TEST(p.grouper().resolve(seen[0].second) == p.grouper().resolve(seen[2].second));
    BOOST_TEST(p.grouper().resolve(seen[0].second) != p.grouper().resolve(seen[1].second));
}

BOOST_AUTO_TEST_SUITE_END()
