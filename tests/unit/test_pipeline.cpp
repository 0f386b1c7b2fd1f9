// The pipeline end to end with the simplest stages: ingest, group, analyse, report, write.
// SPDX-License-Identifier: MIT
#include <loglens/loglens.hpp>

#include <boost/asio/steady_timer.hpp>
#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include "support/json_schema.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <sstream>
#include <thread>

using namespace loglens;

namespace {
using simple_pipeline = pipeline<plain_parser, exact_grouper>;

/// An input that never ends: `ERROR line` again and again, as from `tail -f` of a busy log.
struct endless_buf : std::streambuf {
    std::string text;
    endless_buf() {
        for (int i = 0; i < 1000; ++i) text += "ERROR line " + std::to_string(i % 7) + "\n";
    }
    int_type underflow() override {
        setg(text.data(), text.data(), text.data() + text.size());
        return traits_type::to_int_type(text[0]);
    }
};

unsigned mode_of(const std::filesystem::path& p) {
    struct stat st {};
    ::lstat(p.c_str(), &st);
    return st.st_mode & 0777u;
}

std::string slurp(const std::filesystem::path& p) {
    std::ifstream f(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(f), {}};
}

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
        timer->async_wait(
            [this, timer, done = std::move(done), benign = g.template_text.find("noise") != std::string::npos](auto) {
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
    BOOST_TEST(doc.at("schema_version").as_int64() == json_writer::schema_version);
    BOOST_TEST(doc.at("problems").as_array().size() == 1u);
    BOOST_TEST(seen[phase::reading] >= 1);
    BOOST_TEST(seen[phase::writing] == 1);
    BOOST_TEST(seen[phase::done] == 1);
    std::filesystem::remove_all(dir);
}

// The configuration the CLI runs; with loglens::loglens_compiled it is the instantiation inside the library.
BOOST_AUTO_TEST_CASE(default_pipeline_reads_compose_logs_and_writes_every_report) {
    default_pipeline p;
    BOOST_REQUIRE(p.ingest_file(std::string(LOGLENS_SOURCE_DIR) + "/examples/logs/compose.log"));
    const report r = p.analyse();
    BOOST_TEST(r.llm.backend == "none");
    BOOST_REQUIRE(!r.problems.empty());
    std::size_t airflow = 0;
    for (const auto& pr : r.problems) {
        BOOST_TEST(pr.group.count > 0u);
        airflow += pr.group.service.find("airflow") != std::string::npos;
    }
    BOOST_TEST(airflow > 0u);
    const auto dir = std::filesystem::temp_directory_path() / "loglens-test-default-pipeline";
    std::filesystem::remove_all(dir);
    const auto paths = p.write(r, dir);
    BOOST_REQUIRE_EQUAL(paths.size(), 3u);
    for (const auto& path : paths) BOOST_TEST(std::filesystem::file_size(path) > 0u);
    BOOST_TEST(loglens_test::report_schema_errors(slurp(dir / "log_analysis_report.json")) == "");
    std::filesystem::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(reports_list_problems_in_full_up_to_a_limit_and_say_what_overflowed) {
    pipeline_options opts;
    opts.max_problems_in_full = 3;
    opts.max_problem_rows = 4;
    opts.lang = language::en;
    pipeline<plain_parser, template_miner, null_analyzer, writers<markdown_writer, json_writer, html_writer>> p(
        opts, {}, template_miner(template_miner_limits{.max_templates_per_service = 9}));
    std::string text;
    const char* words[] = {"disk", "queue", "cache", "socket", "token", "table", "index", "shard", "lease", "quota"};
    for (int i = 0; i < 10; ++i)
        for (int j = 0; j <= i; ++j)
            text += std::string("ERROR ") + words[i] + " broke in the " + words[9 - i] + " layer\n";
    p.ingest_text(text, {"a.log", "app"});
    const report r = p.analyse();
    // 9 templates and one overflow group: 3 in full, 4 rows, 3 only counted
    BOOST_REQUIRE_EQUAL(r.problems.size(), 3u);
    BOOST_REQUIRE_EQUAL(r.more_problems.size(), 4u);
    BOOST_TEST(r.unlisted_problems == 3u);
    std::uint64_t total = r.unlisted_entries;
    for (const auto& x : r.problems) total += x.group.count;
    for (const auto& x : r.more_problems) total += x.count;
    BOOST_TEST(total == 55u);
    BOOST_TEST(r.problems[0].group.count == 10u);  // the overflow group (the tenth message) is the biggest
    BOOST_TEST(r.problems[0].group.template_text == std::string(template_miner::overflow_template));
    BOOST_REQUIRE_EQUAL(r.bounds.overflow.size(), 1u);
    BOOST_TEST(r.bounds.overflow[0].messages == 10u);
    BOOST_TEST(r.bounds.overflow[0].distinct == 1u);
    std::ostringstream md, json, html;
    markdown_writer{}.write(r, md);
    json_writer{}.write(r, json);
    html_writer{}.write(r, html);
    BOOST_TEST(loglens_test::report_schema_errors(json.str()) == "");
    const auto doc = boost::json::parse(json.str()).as_object();
    BOOST_TEST(doc.at("bounds").at("more_problems").as_array().size() == 4u);
    BOOST_TEST(doc.at("bounds").at("unlisted_problems").as_int64() == 3);
    BOOST_TEST(doc.at("bounds").at("overflow").at(0).at("reason").as_string() == "templates");
    for (const auto& out : {md.str(), html.str()}) {
        BOOST_TEST(out.find("app: 10 messages, about 1 distinct, beyond the 9 templates cap") != std::string::npos);
        BOOST_TEST(out.find("3 more groups") != std::string::npos);
    }
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

BOOST_AUTO_TEST_CASE(a_stop_from_another_thread_ends_an_endless_input) {
    simple_pipeline p;
    endless_buf buf;
    std::istream in(&buf);
    std::chrono::steady_clock::time_point asked;
    std::thread stopper([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        asked = std::chrono::steady_clock::now();
        p.request_stop();
    });
    const bool whole = p.ingest(in, {"endless", "svc"});
    const auto latency = std::chrono::steady_clock::now() - asked;
    stopper.join();
    BOOST_TEST(!whole);
    BOOST_TEST(p.stop_token().stop_requested());
    // a loose bound: timing is the benchmark's business (bench_stop), this only proves the stop is seen at all
    BOOST_TEST(latency < std::chrono::seconds(2));
    const report r = p.analyse();
    BOOST_TEST(r.partial);
    BOOST_TEST(r.ingest.lines > 0u);
}

BOOST_AUTO_TEST_CASE(unreadable_files_are_recorded_with_why_and_never_block) {
    namespace fs = std::filesystem;
    const auto dir = fs::temp_directory_path() / ("loglens-test-unreadable-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir / "folder.log");
    BOOST_REQUIRE(::mkfifo((dir / "fifo.log").c_str(), 0600) == 0);  // no writer: a blocking open would hang
    std::ofstream(dir / "good.log") << "ERROR a\n";
    simple_pipeline p;
    BOOST_TEST(!p.ingest_file(dir / "folder.log"));
    BOOST_TEST(!p.ingest_file(dir / "missing.log"));
    BOOST_TEST(!p.ingest_file("/proc/self/mem"));  // reading it fails with EIO, even for root
    BOOST_TEST(p.ingest_file(dir / "good.log"));
    // a named pipe waits for its writer, as `cat` does, but a stop ends the wait
    std::thread stopper([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        p.request_stop();
    });
    p.ingest_file(dir / "fifo.log");
    stopper.join();
    const report r = p.analyse();
    BOOST_REQUIRE_EQUAL(r.inputs.size(), 5u);
    BOOST_TEST(r.inputs[0].error == "a folder, not a log file");
    BOOST_TEST(r.inputs[1].error == "cannot open: No such file or directory");
    BOOST_TEST(r.inputs[2].error == "read error: Input/output error");
    BOOST_TEST(r.inputs[3].error == "");
    BOOST_TEST(r.inputs[4].error == "");
    BOOST_TEST(r.problems.size() == 1u);
    fs::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(reports_are_private_and_planted_links_are_not_followed) {
    namespace fs = std::filesystem;
    const auto root = fs::temp_directory_path() / ("loglens-test-private-" + std::to_string(::getpid()));
    fs::remove_all(root);
    fs::create_directories(root);
    std::ofstream(root / "victim") << "precious";
    pipeline<plain_parser, exact_grouper, null_analyzer, writers<json_writer, markdown_writer>> p;
    p.ingest_text("ERROR x\n", {"in.log", "svc"});
    const auto r = p.analyse();
    const auto out = root / "a" / "reports";
    fs::create_directories(out);
    fs::create_symlink(root / "victim", out / "log_analysis_report.json.tmp");  // the old fixed temporary name
    fs::create_symlink(root / "victim", out / "log_analysis_report.md");        // a link in place of the report
    const auto old_umask = ::umask(0);
    const auto written = p.write(r, root / "b" / "c");
    p.write(r, out);
    ::umask(old_umask);
    BOOST_TEST(slurp(root / "victim") == "precious");
    BOOST_TEST(fs::is_symlink(out / "log_analysis_report.json.tmp"));
    BOOST_TEST(!fs::is_symlink(out / "log_analysis_report.md"));
    BOOST_TEST(slurp(out / "log_analysis_report.md").find("x") != std::string::npos);
    BOOST_REQUIRE_EQUAL(written.size(), 2u);
    BOOST_TEST(mode_of(root / "b") == 0700u);
    BOOST_TEST(mode_of(root / "b" / "c") == 0700u);
    for (const auto& f : written) BOOST_TEST(mode_of(f) == 0600u);
    std::size_t entries = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(root / "b" / "c")) ++entries;
    BOOST_TEST(entries == 2u);  // no temporary file left behind

    // a writer that fails half-way leaves the old report and no temporary file
    BOOST_CHECK_THROW(detail::atomic_write(out / "log_analysis_report.md",
                                           [](std::ostream& o) {
                                               o << "half";
                                               throw std::runtime_error("disk gone");
                                           }),
                      std::runtime_error);
    BOOST_TEST(slurp(out / "log_analysis_report.md").find("half") == std::string::npos);
    std::size_t temps = 0;
    for (const auto& e : fs::directory_iterator(out))
        if (e.path().filename().string().front() == '.') ++temps;
    BOOST_TEST(temps == 0u);

    BOOST_TEST(file_permissions::for_file_mode(0600).folder == 0700u);
    BOOST_TEST(file_permissions::for_file_mode(0640).folder == 0750u);
    BOOST_TEST(file_permissions::for_file_mode(0644).folder == 0755u);
    fs::remove_all(root);
}

namespace {
/// An analyser that answers only when `release` is set, so a test can see that nothing waits for it.
struct gated_analyzer {
    using stage_category = analyzer_tag;
    std::shared_ptr<std::atomic<bool>> release = std::make_shared<std::atomic<bool>>(false);
    std::shared_ptr<std::atomic<int>> calls = std::make_shared<std::atomic<int>>(0);
    std::shared_ptr<std::atomic<int>> cancels = std::make_shared<std::atomic<int>>(0);
    void async_analyze(const log_group& g, const analysis_context& ctx, analysis_handler done) {
        ++*calls;
        auto timer = std::make_shared<boost::asio::steady_timer>(ctx.executor);
        auto poll = std::make_shared<std::function<void()>>();
        *poll = [=, this, text = g.template_text] {
            if (!*release && *cancels == 0) {
                timer->expires_after(std::chrono::milliseconds(5));
                timer->async_wait([poll](auto) { (*poll)(); });
                return;
            }
            analysis a;
            a.description = *cancels ? "cancelled" : "explained: " + text;
            a.source = analysis_source::llm;
            done(std::move(a));
            *poll = nullptr;  // breaks the cycle poll -> lambda -> poll
        };
        (*poll)();
    }
    void cancel() { ++*cancels; }
};
}  // namespace

BOOST_AUTO_TEST_CASE(session_ticks_close_quiet_sources_and_the_batch_is_the_same) {
    const std::string a =
        "2025-01-01T10:00:00Z ERROR payment failed: card declined\n"
        "2025-01-01T10:00:01Z ERROR Traceback (most recent call last):\n"
        "  File \"pay.py\", line 9, in charge\n"
        "ValueError: amount must be positive\n";
    const std::string b = "2025-01-01T10:00:00Z WARN disk 91% full\n";
    ingest_session<compose_parser, template_miner> s;
    const auto ia = s.open({"a.log", "pay"});
    const auto ib = s.open({"b.log", "minio"});
    for (std::size_t at = 0; at < a.size(); at += 5) s.feed(ia, std::string_view(a).substr(at, 5));
    s.feed(ib, b);
    const live_time t0{};
    s.tick(t0);
    s.tick(t0 + std::chrono::milliseconds(100));
    BOOST_TEST(s.grouper().snapshot().entries < 3u, "the open traceback is held within the gap");
    s.tick(t0 + std::chrono::milliseconds(2200));
    const auto snap = s.grouper().snapshot();
    BOOST_TEST(snap.entries == 3u, "closed by time: both sources were idle for more than 2 s");
    BOOST_TEST(s.inputs().size() == 2u, "open sources are listed with what was read of them");
    s.close(ia);
    s.close(ib);
    BOOST_TEST(s.grouper().snapshot().entries == 3u, "closing files nothing twice");

    pipeline<compose_parser, template_miner> batch;
    batch.ingest_text(a, {"a.log", "pay"});
    batch.ingest_text(b, {"b.log", "minio"});
    const auto gs = batch.grouper().groups();
    BOOST_REQUIRE(gs.size() == snap.groups.size());
    for (std::size_t i = 0; i < gs.size(); ++i) {
        BOOST_TEST(gs[i].id == snap.groups[i].id);
        BOOST_TEST(gs[i].count == snap.groups[i].count);
    }
}

BOOST_AUTO_TEST_CASE(incremental_analysis_analyses_each_identity_once_and_never_blocks) {
    template_miner m;
    const auto add = [&](std::string msg) {
        log_entry e;
        e.service = "app";
        e.level = severity::error;
        e.message = std::move(msg);
        m.add(std::move(e));
    };
    gated_analyzer an;
    incremental_analysis<gated_analyzer> stage(an, language::en, 1);
    add("disk full on /data");
    add("connection to redis refused");
    const auto queued = stage.update(m.snapshot(), m);  // returns although the analyser answers nothing yet
    BOOST_TEST(queued.size() == 2u);
    BOOST_TEST(stage.update(m.snapshot(), m).empty(), "an identity already queued is not queued again");
    BOOST_TEST(!stage.wait_idle(std::chrono::milliseconds(50)), "the analyser holds its answers");
    BOOST_TEST(*an.calls == 1, "at most `concurrency` calls in flight");
    add("disk full on /data");  // the same identity again: no new call
    BOOST_TEST(stage.update(m.snapshot(), m).empty());
    *an.release = true;
    BOOST_REQUIRE(stage.wait_idle(std::chrono::seconds(10)));
    const auto done = stage.take_finished();
    BOOST_TEST(done.size() == 2u);
    BOOST_TEST(*an.calls == 2);
    BOOST_TEST(stage.result(queued[0])->description == "explained: disk full on <*>");
    BOOST_TEST(stage.take_finished().empty(), "each result is handed over once");
}

BOOST_AUTO_TEST_CASE(incremental_analysis_stops_on_its_token) {
    template_miner m;
    for (const char* msg : {"disk full", "redis down", "minio unreachable"}) {
        log_entry e;
        e.service = "app";
        e.level = severity::error;
        e.message = msg;
        m.add(std::move(e));
    }
    std::stop_source stop;
    gated_analyzer an;
    incremental_analysis<gated_analyzer> stage(an, language::en, 1, stop.get_token());
    const auto queued = stage.update(m.snapshot(), m);
    BOOST_REQUIRE(queued.size() == 3u);
    for (int i = 0; i < 1000 && *an.calls == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    BOOST_REQUIRE(*an.calls == 1);  // the first call is in flight, the other two queued
    stop.request_stop();
    BOOST_REQUIRE(stage.wait_idle(std::chrono::seconds(10)));
    BOOST_TEST(*an.cancels == 1);
    BOOST_TEST(*an.calls == 1, "nothing new starts after the stop");
    BOOST_TEST(stage.result(queued[0])->description == "cancelled");
    BOOST_TEST(stage.result(queued[2])->error == "not analysed: the run was stopped");
}

BOOST_AUTO_TEST_CASE(assemble_from_values_equals_analyse) {
    const std::string text = "ERROR disk full\nINFO started\nWARN slow\nERROR disk full\nCRITICAL down\n";
    simple_pipeline one, two;
    one.ingest_text(text, {"a.log", "app"});
    two.ingest_text(text, {"a.log", "app"});
    const report batch = one.analyse();
    const report built = two.assemble(two.grouper().groups(), [](const std::vector<log_group>& kept) {
        std::vector<analysis> out;
        for (const auto& g : kept) out.push_back({.verdict = classification_for(g.level)});
        return out;
    });
    BOOST_REQUIRE(built.problems.size() == batch.problems.size());
    for (std::size_t i = 0; i < batch.problems.size(); ++i) {
        BOOST_TEST(built.problems[i].group.id == batch.problems[i].group.id);
        BOOST_TEST((built.problems[i].result.verdict == batch.problems[i].result.verdict));
    }
    BOOST_TEST(built.entries_below_threshold == batch.entries_below_threshold);
}

BOOST_AUTO_TEST_CASE(assemble_hands_the_judgements_knowledge_to_a_callback_that_takes_it) {
    // a two-argument callback gets the knowledge-base analysis of each kept group (no second pass over the
    // knowledge base); the report is the one a callback that makes those analyses itself builds
    const std::string text =
        "ERROR Connection refused: connect to redis:6379\nINFO started\nWARN slow query 5 ms\n"
        "ERROR java.lang.OutOfMemoryError: Java heap space\nINFO Processed batch 1 with 10 rows\n";
    simple_pipeline one, two;
    one.ingest_text(text, {"a.log", "app"});
    two.ingest_text(text, {"a.log", "app"});
    std::size_t handed = 0;
    const report with_known = one.assemble(one.grouper().groups(),
                                           [&](const std::vector<log_group>& kept, std::vector<analysis>&& known) {
                                               BOOST_REQUIRE(known.size() == kept.size());
                                               for (std::size_t i = 0; i < kept.size(); ++i) {
                                                   const auto fresh = offline_analysis(kept[i], language::ru);
                                                   BOOST_TEST(known[i].description == fresh.description);
                                                   BOOST_TEST(known[i].signature == fresh.signature);
                                               }
                                               handed = known.size();
                                               return std::move(known);
                                           });
    const report remade = two.assemble(two.grouper().groups(), [](const std::vector<log_group>& kept) {
        std::vector<analysis> out;
        for (const auto& g : kept) out.push_back(offline_analysis(g, language::ru));  // the pipeline's default
        return out;
    });
    BOOST_TEST(handed >= 3u, "the errors and the warning are kept");
    BOOST_REQUIRE(with_known.problems.size() == remade.problems.size());
    for (std::size_t i = 0; i < remade.problems.size(); ++i) {
        BOOST_TEST(with_known.problems[i].group.id == remade.problems[i].group.id);
        BOOST_TEST(with_known.problems[i].result.description == remade.problems[i].result.description);
        BOOST_TEST((with_known.problems[i].result.verdict == remade.problems[i].result.verdict));
    }
    BOOST_TEST(with_known.noise.size() == remade.noise.size());
}

BOOST_AUTO_TEST_SUITE_END()

// ---- several threads: the same report as one, on every input of the suite ------------------------------------

BOOST_AUTO_TEST_SUITE(pipeline_threads)

namespace {
// A whole offline run of `path` (a file read with `ingest_file`): the JSON report without its time, and the group
// id of every entry in the order the grouper got them.
std::pair<std::string, std::vector<std::string>> threaded_run(const std::filesystem::path& path, pipeline_options o) {
    pipeline<compose_parser, template_miner> p(o);
    std::vector<std::pair<std::uint64_t, std::size_t>> keys;
    p.set_entry_observer([&](const std::string&, std::uint64_t line, std::size_t key) { keys.emplace_back(line, key); });
    p.ingest_file(path);
    report r = p.analyse();
    r.generated_at = {};
    std::ostringstream out;
    json_writer{}.write(r, out);
    const auto groups = p.grouper().groups();
    std::vector<std::string> ids;
    for (const auto& [line, key] : keys) ids.push_back(std::to_string(line) + ":" + groups.at(p.grouper().resolve(key)).id);
    return {out.str(), std::move(ids)};
}

std::vector<std::filesystem::path> suite_inputs() {
    std::vector<std::filesystem::path> files;
    for (const auto& dir :
         {std::filesystem::path(LOGLENS_TEST_DATA_DIR), std::filesystem::path(LOGLENS_SOURCE_DIR) / "examples" / "logs"})
        for (const auto& f : std::filesystem::recursive_directory_iterator(dir))
            if (f.is_regular_file()) files.push_back(f.path());
    std::sort(files.begin(), files.end());
    return files;
}

std::string compose_stream(std::size_t lines) {
    std::string s;
    for (std::size_t i = 0; i < lines; ++i) {
        const auto n = std::to_string(i);
        switch (i % 4) {
            case 0:
                s += "airflow-worker-1  | [2025-11-03T20:00:01.000+0000] {taskinstance.py:1} ERROR - task " + n +
                     " failed\n";
                break;
            case 1:
                s += "redis-1  | 1:M 03 Nov 2025 20:00:0" + std::to_string(i % 10) + ".000 # Connection " + n +
                     " refused\n";
                break;
            case 2:
                s += "airflow-worker-1  | Traceback (most recent call last):\nairflow-worker-1  |   File \"a.py\", line " +
                     n + ", in f\nairflow-worker-1  | ValueError: bad " + n + "\n";
                break;
            default:
                s += "minio-1  | API: PutObject(bucket=b" + n + ") Time: 20:00:01 UTC 11/03/2025 Error: disk " + n +
                     " offline\n";
                break;
        }
    }
    return s;
}
}  // namespace

BOOST_AUTO_TEST_CASE(every_input_of_the_suite_gives_the_same_report_and_groups_on_one_and_two_threads) {
    const auto files = suite_inputs();
    BOOST_TEST(files.size() >= 100u);
    std::size_t entries = 0;
    for (const auto& f : files) {
        // at trace every entry reaches the grouper; at warning the threshold runs too (the Loghub samples, a
        // third of the time, only at trace)
        std::vector<severity> levels{severity::trace};
        if (f.string().find("loghub") == std::string::npos) levels.push_back(severity::warning);
        for (const auto level : levels) {
            pipeline_options one{.min_severity = level};
            pipeline_options two = one;
            two.threads = 2;
            two.read_chunk = 4096;  // many read-ahead chunks, so lines and entries cross chunk ends
            two.stop_check = 1000;
            const auto a = threaded_run(f, one);
            const auto b = threaded_run(f, two);
            BOOST_TEST(a.first == b.first, f.string() << " at " << to_string(level) << ": the reports differ");
            BOOST_TEST(a.second == b.second, f.string() << " at " << to_string(level) << ": the entries' groups differ");
            entries += a.second.size();
        }
    }
    BOOST_TEST_MESSAGE("entries compared: " << entries);
    BOOST_TEST(entries > 50000u, "the comparison covered the suite's entries");
}

BOOST_AUTO_TEST_CASE(a_session_on_two_threads_groups_in_order_whatever_the_batch_and_the_slices) {
    const auto text = compose_stream(3000);
    const auto run = [&](std::size_t threads, std::size_t batch, std::size_t slice) {
        ingest_session<compose_parser, template_miner> s(
            {.min_severity = severity::trace, .threads = threads, .batch_entries = batch});
        std::vector<std::pair<std::uint64_t, std::size_t>> keys;
        s.set_entry_observer(
            [&](const std::string&, std::uint64_t line, std::size_t key) { keys.emplace_back(line, key); });
        const auto id = s.open({"compose.log", "compose"});
        for (std::size_t at = 0; at < text.size(); at += slice) s.feed(id, std::string_view(text).substr(at, slice));
        s.close(id);
        std::vector<std::string> out;
        const auto groups = s.grouper().groups();
        for (const auto& [line, key] : keys)
            out.push_back(std::to_string(line) + ":" + groups.at(s.grouper().resolve(key)).id);
        for (const auto& g : groups) out.push_back(g.id + " " + g.template_text + " " + std::to_string(g.count));
        for (const auto& [kind, n] : s.redactions()) out.push_back(kind + " " + std::to_string(n));
        out.push_back(std::to_string(s.stats().entries) + " " + std::to_string(s.below_threshold()));
        return out;
    };
    const auto one = run(1, 512, text.size());
    BOOST_TEST_MESSAGE("entries and groups: " << one.size());
    BOOST_TEST(one.size() > 2000u);
    for (const std::size_t batch : {1u, 7u, 512u})
        for (const std::size_t slice : {1u, 97u, 65536u})
            BOOST_TEST((run(2, batch, slice) == one), "batch " << batch << ", slice " << slice);
}

BOOST_AUTO_TEST_CASE(a_session_on_two_threads_ticks_copies_and_moves_like_one) {
    const std::string a =
        "2025-01-01T10:00:00Z ERROR payment failed: card declined\n"
        "2025-01-01T10:00:01Z ERROR Traceback (most recent call last):\n"
        "  File \"pay.py\", line 9, in charge\n"
        "ValueError: amount must be positive\n";
    ingest_session<compose_parser, template_miner> s({.threads = 2, .batch_entries = 1});
    const auto ia = s.open({"a.log", "pay"});
    s.feed(ia, a);
    const live_time t0{};
    s.tick(t0);
    BOOST_TEST(s.grouper().snapshot().entries == 0u, "the open entry (with its traceback) is held within the gap");
    s.tick(t0 + std::chrono::milliseconds(2200));
    BOOST_TEST(s.grouper().snapshot().entries == 2u, "closed by time and grouped before tick returns");
    s.feed(ia, "2025-01-01T10:00:05Z ERROR payment failed: card declined\n");
    auto copy = s;  // waits for the grouping thread, and has a thread of its own once it hands over
    auto moved = std::move(s);
    copy.close(ia);
    moved.feed(ia, "2025-01-01T10:00:06Z ERROR payment failed: card expired\n");
    moved.close(ia);
    BOOST_TEST(copy.grouper().snapshot().entries == 3u);
    BOOST_TEST(moved.grouper().snapshot().entries == 4u);
}

BOOST_AUTO_TEST_CASE(what_the_grouping_thread_throws_reaches_the_caller) {
    ingest_session<compose_parser, template_miner> s({.min_severity = severity::trace, .threads = 2, .batch_entries = 2});
    int seen = 0;
    s.set_entry_observer([&](const std::string&, std::uint64_t, std::size_t) {
        if (++seen == 3) throw std::runtime_error("observer failed");
    });
    const auto id = s.open({"x.log", "x"});
    s.feed(id, "one\ntwo\nthree\nfour\nfive\n");
    BOOST_CHECK_THROW(s.close(id), std::runtime_error);
    BOOST_TEST(seen == 3, "the thread stopped at the batch that failed");
}

BOOST_AUTO_TEST_CASE(a_stop_ends_an_endless_input_on_two_threads) {
    simple_pipeline p({.threads = 2});
    endless_buf buf;
    std::istream in(&buf);
    std::thread stopper([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        p.request_stop();
    });
    const bool whole = p.ingest(in, {"endless", "svc"});
    stopper.join();
    BOOST_TEST(!whole);
    const report r = p.analyse();
    BOOST_TEST(r.partial);
    BOOST_TEST(r.ingest.lines > 0u);
    BOOST_REQUIRE(!r.problems.empty());
    BOOST_TEST(r.problems.front().group.count > 0u, "what was read before the stop is grouped");
}

BOOST_AUTO_TEST_SUITE_END()
