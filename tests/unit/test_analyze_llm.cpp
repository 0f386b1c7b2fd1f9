// LLM analysis against a real loopback HTTP server speaking Ollama's and OpenAI's wire formats, faults included.
#include <loglens/loglens.hpp>

#include "support/fake_llm_server.hpp"

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>

using namespace loglens;
using loglens_test::fake_fault;
using loglens_test::fake_llm_config;
using loglens_test::fake_llm_server;

namespace {

using llm_pipeline = pipeline<plain_parser, exact_grouper, standard_analyzer>;

const std::string two_groups =
    "ERROR 1:M 14 May 2024 09:32:00.000 # MISCONF Redis is configured to save RDB snapshots\n"
    "ERROR worker lost connection to an unknown peer\n";

fake_llm_config fake(fake_fault f, int fail_first = -1, std::chrono::milliseconds delay = {},
                     std::chrono::milliseconds drip = std::chrono::milliseconds(300)) {
    fake_llm_config c;
    c.fault = f;
    c.fail_first = fail_first;
    c.delay = delay;
    c.drip_interval = drip;
    return c;
}

pipeline_options with_concurrency(std::size_t n) {
    pipeline_options po;
    po.concurrency = n;
    return po;
}

llm_options opts_for(const fake_llm_server& s, llm_backend b = llm_backend::ollama) {
    llm_options o;
    o.backend = b;
    o.url = s.url();
    o.model = "mistral";
    o.timeout = std::chrono::milliseconds(3000);
    o.connect_timeout = std::chrono::milliseconds(1000);
    o.retries = 2;
    o.backoff = std::chrono::milliseconds(10);
    return o;
}

struct run_result {
    report r;
    double seconds = 0;
};

run_result run(const llm_options& o, const std::string& text = two_groups, pipeline_options po = {}) {
    po.lang = language::en;
    llm_pipeline p(po, {}, {}, standard_analyzer(o));
    p.ingest_text(text, {"compose.log", "redis"});
    const auto t0 = std::chrono::steady_clock::now();
    run_result out{p.analyse(), 0};
    out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return out;
}

const problem* find(const report& r, std::string_view needle) {
    for (const auto& p : r.problems)
        if (p.group.template_text.find(needle) != std::string::npos) return &p;
    return nullptr;
}

/// Every group is present, each with its offline analysis, and the error note says `note`.
void expect_fallback(const report& r, std::string_view note) {
    BOOST_REQUIRE_EQUAL(r.problems.size(), 2u);
    const auto* misconf = find(r, "MISCONF");
    const auto* other = find(r, "unknown peer");
    BOOST_REQUIRE(misconf && other);
    BOOST_TEST((misconf->result.source == analysis_source::knowledge_base));
    BOOST_TEST(misconf->result.signature == "redis.misconf");
    BOOST_TEST((other->result.source == analysis_source::heuristic));
    for (const auto* p : {misconf, other}) {
        BOOST_TEST(p->result.error.find(note) != std::string::npos, "error note: " << p->result.error);
        BOOST_TEST(!p->result.description.empty());
    }
    BOOST_TEST(r.llm.failures == 2u);
}

boost::json::object body_of(const fake_llm_server& s, std::size_t i = 0) {
    return boost::json::parse(s.bodies().at(i)).as_object();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(analyze)

BOOST_AUTO_TEST_CASE(ollama_chat_round_trip_and_exact_request_shape) {
    fake_llm_server srv;
    const auto res = run(opts_for(srv));
    BOOST_REQUIRE_EQUAL(res.r.problems.size(), 2u);
    for (const auto& p : res.r.problems) {
        BOOST_TEST((p.result.source == analysis_source::llm));
        BOOST_TEST(p.result.description == "fake description");
        BOOST_TEST((p.result.verdict == classification::major));
        BOOST_TEST(p.result.confidence == 0.75);
        BOOST_TEST(p.result.error.empty());
    }
    BOOST_TEST(find(res.r, "MISCONF")->result.signature == "redis.misconf");  // the KB match is kept
    BOOST_TEST(srv.generations() == 2u);
    BOOST_TEST(srv.requests("/api/version") == 1u);  // the health check runs once per analyser
    BOOST_TEST(srv.requests("/api/tags") == 1u);
    const auto& llm = res.r.llm;
    BOOST_TEST(llm.backend == "ollama");
    BOOST_TEST(llm.model == "mistral");
    BOOST_TEST(llm.server_version == "0.12.6");
    BOOST_TEST(llm.url == srv.url());
    BOOST_TEST(llm.calls == 2u);
    BOOST_TEST(llm.failures == 0u);
    std::uint64_t prompt_tokens = 0;
    for (const auto& b : srv.bodies()) prompt_tokens += b.size() / 4 + 1;
    BOOST_TEST(llm.prompt_tokens == prompt_tokens);
    BOOST_TEST(llm.completion_tokens == 2 * (fake_llm_server::valid_answer().size() / 4 + 1));
    BOOST_TEST(llm.wall_seconds > 0.0);

    const auto b = body_of(srv);
    BOOST_TEST(b.at("model").as_string() == "mistral");
    BOOST_TEST(b.at("stream").as_bool() == false);
    BOOST_TEST(b.at("think").as_bool() == false);
    BOOST_TEST(b.at("keep_alive").as_string() == "10m");
    BOOST_TEST(b.at("format") == boost::json::value(analysis_schema()));
    BOOST_TEST(!b.contains("temperature"));  // Ollama ignores it at the top level
    const auto& o = b.at("options").as_object();
    BOOST_TEST(o.at("temperature").to_number<double>() == 0.1);
    BOOST_TEST(o.at("seed").to_number<int>() == 42);
    BOOST_TEST(o.at("num_ctx").to_number<int>() == 8192);
    BOOST_TEST(o.at("num_predict").to_number<int>() == 768);
    const auto& msgs = b.at("messages").as_array();
    BOOST_REQUIRE_EQUAL(msgs.size(), 2u);
    BOOST_TEST(msgs[0].at("role").as_string() == "system");
    BOOST_TEST(msgs[1].at("role").as_string() == "user");
    BOOST_TEST(std::string_view(msgs[0].at("content").as_string()).find("English") != std::string_view::npos);
}

BOOST_AUTO_TEST_CASE(ollama_streaming_chat_and_generate) {
    for (bool generate : {false, true}) {
        fake_llm_server srv;
        auto o = opts_for(srv);
        o.stream = true;
        o.use_generate = generate;
        const auto res = run(o);
        for (const auto& p : res.r.problems) {
            BOOST_TEST((p.result.source == analysis_source::llm), p.result.error);
            BOOST_TEST(p.result.recommendations.size() == 2u);
        }
        BOOST_TEST(srv.requests(generate ? "/api/generate" : "/api/chat") == 2u);
        BOOST_TEST(res.r.llm.completion_tokens > 0u);
        const auto b = body_of(srv);
        BOOST_TEST(b.at("stream").as_bool());
        if (generate) {
            BOOST_TEST(b.contains("prompt"));
            BOOST_TEST(b.contains("system"));
            BOOST_TEST(!b.contains("messages"));
        }
    }
}

BOOST_AUTO_TEST_CASE(openai_compatible_plain_and_sse_streaming) {
    for (bool stream : {false, true}) {
        fake_llm_server srv;
        auto o = opts_for(srv, llm_backend::openai);
        o.stream = stream;
        o.api_key = "sk-test-key-123";
        const auto res = run(o);
        for (const auto& p : res.r.problems) BOOST_TEST((p.result.source == analysis_source::llm), p.result.error);
        BOOST_TEST(srv.requests("/v1/chat/completions") == 2u);
        BOOST_TEST(srv.requests("/v1/models") == 1u);
        BOOST_TEST(res.r.llm.backend == "openai");
        BOOST_TEST(res.r.llm.prompt_tokens > 0u);
        BOOST_TEST(srv.authorizations().at(0) == "Bearer sk-test-key-123");
        const auto b = body_of(srv);
        BOOST_TEST(b.at("temperature").to_number<double>() == 0.1);  // always sent
        BOOST_TEST(b.at("stream").as_bool() == stream);
        const auto& rf = b.at("response_format").as_object();
        BOOST_TEST(rf.at("type").as_string() == "json_schema");
        BOOST_TEST(!rf.contains("schema"));  // the flat form is silently dropped by servers
        BOOST_TEST(rf.at("json_schema").at("schema") == boost::json::value(analysis_schema()));
        if (stream) BOOST_TEST(b.at("stream_options").at("include_usage").as_bool());
    }
}

BOOST_AUTO_TEST_CASE(openai_key_comes_from_the_environment) {
    fake_llm_server srv;
    ::setenv("OPENAI_API_KEY", "sk-from-env-456", 1);
    const auto res = run(opts_for(srv, llm_backend::openai));
    ::unsetenv("OPENAI_API_KEY");
    BOOST_TEST(srv.authorizations().at(0) == "Bearer sk-from-env-456");
}

BOOST_AUTO_TEST_CASE(fault_500_retries_then_falls_back) {
    fake_llm_server srv(fake(fake_fault::http_500));
    const auto res = run(opts_for(srv));
    expect_fallback(res.r, "HTTP 500");
    BOOST_TEST(srv.generations() == 2u * 3u);  // retries = 2: three attempts per group
    BOOST_TEST(res.seconds < 10.0);
}

BOOST_AUTO_TEST_CASE(fault_503_busy_is_retried_with_backoff_and_recovers) {
    fake_llm_server srv(fake(fake_fault::busy_503, 1));
    const auto res = run(opts_for(srv));
    for (const auto& p : res.r.problems) BOOST_TEST((p.result.source == analysis_source::llm), p.result.error);
    BOOST_TEST(srv.generations() == 3u);
    BOOST_TEST(res.r.llm.calls == 3u);
    fake_llm_server busy(fake(fake_fault::busy_503));
    expect_fallback(run(opts_for(busy)).r, "server busy");
}

BOOST_AUTO_TEST_CASE(fault_model_not_pulled_says_what_to_do) {
    fake_llm_server srv(fake(fake_fault::model_404));
    const auto res = run(opts_for(srv));
    expect_fallback(res.r, "ollama pull mistral");
    BOOST_TEST(srv.generations() == 0u);  // the tags check already knew
    BOOST_TEST(res.r.llm.note.find("ollama pull mistral") != std::string::npos);
    const auto p = probe_llm(opts_for(srv));
    BOOST_TEST(p.reachable);
    BOOST_TEST(!p.model_present);
    BOOST_TEST(p.message.find("ollama pull mistral") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(fault_404_on_generate_is_reported_not_retried) {
    // a server whose tags list the model but whose chat says it is missing (deleted between the two)
    fake_llm_server srv(fake(fake_fault::model_404));
    auto o = opts_for(srv, llm_backend::openai);
    const auto res = run(o);  // /v1/models lists nothing: a single-model server, so the call is made
    expect_fallback(res.r, "not found");
    BOOST_TEST(srv.generations() == 2u);
}

BOOST_AUTO_TEST_CASE(fault_reply_not_json) {
    fake_llm_server srv(fake(fake_fault::not_json));
    const auto res = run(opts_for(srv));
    expect_fallback(res.r, "not a JSON object");
    BOOST_TEST(srv.generations() == 2u);
}

BOOST_AUTO_TEST_CASE(fault_answer_breaks_the_schema_is_retried_once) {
    fake_llm_server srv(fake(fake_fault::bad_schema));
    const auto res = run(opts_for(srv));
    expect_fallback(res.r, "broke the schema again");
    BOOST_TEST(srv.generations() == 4u);  // one retry per group, with the validation error
    const auto retry = body_of(srv, 1);
    const auto& msgs = retry.at("messages").as_array();
    BOOST_REQUIRE_EQUAL(msgs.size(), 4u);
    BOOST_TEST(msgs[2].at("role").as_string() == "assistant");
    BOOST_TEST(std::string_view(msgs[3].at("content").as_string()).find("classification") != std::string_view::npos);

    fake_llm_server once(fake(fake_fault::bad_schema, 1));
    const auto fixed = run(opts_for(once));
    std::size_t llm = 0;
    for (const auto& p : fixed.r.problems) llm += p.result.source == analysis_source::llm;
    BOOST_TEST(llm == 2u);
    BOOST_TEST(once.generations() == 3u);
}

BOOST_AUTO_TEST_CASE(fault_connection_reset) {
    fake_llm_server srv(fake(fake_fault::reset));
    const auto res = run(opts_for(srv));
    expect_fallback(res.r, "unreachable");
    BOOST_TEST(srv.generations() == 2u * 3u);
}

BOOST_AUTO_TEST_CASE(fault_server_never_answers_ends_within_the_timeout) {
    fake_llm_server srv(fake(fake_fault::hang));
    auto o = opts_for(srv);
    o.timeout = std::chrono::milliseconds(600);
    const auto res = run(o);
    expect_fallback(res.r, "timed out");
    BOOST_TEST(srv.generations() == 2u);  // a timeout is not retried: the server is alive but too slow
    BOOST_TEST(res.seconds < 2 * 0.6 + 2.0);
}

BOOST_AUTO_TEST_CASE(fault_slow_drip_ends_within_the_timeout) {
    fake_llm_server srv(fake(fake_fault::slow_drip, -1, {}, std::chrono::milliseconds(50)));
    auto o = opts_for(srv);
    o.timeout = std::chrono::milliseconds(600);
    const auto res = run(o);
    expect_fallback(res.r, "timed out");
    BOOST_TEST(res.seconds < 2 * 0.6 + 2.0);
}

BOOST_AUTO_TEST_CASE(fault_error_in_the_middle_of_a_stream) {
    for (auto backend : {llm_backend::ollama, llm_backend::openai}) {
        fake_llm_server srv(fake(fake_fault::mid_stream));
        auto o = opts_for(srv, backend);
        o.stream = true;
        const auto res = run(o);
        expect_fallback(res.r, "mid-stream");
        BOOST_TEST(srv.generations() == 2u * 3u);  // retried like a 500
    }
}

BOOST_AUTO_TEST_CASE(server_not_running_is_reported_fast) {
    unsigned short port;
    {
        fake_llm_server gone;
        port = gone.port();
    }
    llm_options o;
    o.backend = llm_backend::ollama;
    o.url = "http://127.0.0.1:" + std::to_string(port);
    o.backoff = std::chrono::milliseconds(10);
    const auto res = run(o);
    expect_fallback(res.r, "ollama serve");
    BOOST_TEST(res.seconds < 5.0);
    const auto p = probe_llm(o);
    BOOST_TEST(!p.reachable);
    BOOST_TEST(p.message.find("OLLAMA_BASE_URL") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(https_url_is_rejected_naming_the_setting) {
    llm_options o;
    o.backend = llm_backend::ollama;
    o.url = "https://gpu-box:11434";
    const auto res = run(o);
    expect_fallback(res.r, "OLLAMA_BASE_URL=https://gpu-box:11434");
}

BOOST_AUTO_TEST_CASE(probe_reports_version_and_applies_the_latest_rule) {
    fake_llm_server srv;
    auto o = opts_for(srv);
    auto p = probe_llm(o);  // "mistral" is pulled as "mistral:latest"
    BOOST_TEST(p.usable());
    BOOST_TEST(p.server_version == "0.12.6");
    BOOST_TEST(p.message.find("0.12.6") != std::string::npos);
    o.model = "qwen2.5:3b";
    BOOST_TEST(probe_llm(o).usable());
    o.model = "qwen2.5";  // means qwen2.5:latest, which is not pulled
    p = probe_llm(o);
    BOOST_TEST(p.reachable);
    BOOST_TEST(!p.model_present);
    BOOST_TEST(p.message.find("ollama pull qwen2.5") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(concurrency_never_exceeds_the_configured_limit) {
    std::string text;
    for (int i = 0; i < 8; ++i) text += "ERROR failure number " + std::to_string(i) + " in the job\n";
    for (std::size_t parallel : {1u, 2u}) {
        fake_llm_server srv(fake(fake_fault::none, -1, std::chrono::milliseconds(80)));
        auto o = opts_for(srv);
        o.parallel = parallel;
        const auto res = run(o, text, with_concurrency(6));  // the pipeline starts more than the LLM may take
        BOOST_TEST(res.r.problems.size() == 8u);
        for (const auto& p : res.r.problems) BOOST_TEST((p.result.source == analysis_source::llm), p.result.error);
        BOOST_TEST(srv.generations() == 8u);
        BOOST_TEST(srv.max_in_flight() == parallel);
    }
}

BOOST_AUTO_TEST_CASE(second_run_over_the_same_input_makes_zero_calls) {
    const auto dir = std::filesystem::temp_directory_path() / ("loglens-cache-test-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    fake_llm_server srv;
    auto o = opts_for(srv);
    o.cache_dir = dir.string();
    const auto first = run(o);
    BOOST_TEST(srv.generations() == 2u);
    BOOST_TEST(first.r.llm.cache_hits == 0u);
    const auto second = run(o);
    BOOST_TEST(srv.generations() == 2u);  // nothing new reached the server
    BOOST_TEST(second.r.llm.calls == 0u);
    BOOST_TEST(second.r.llm.cache_hits == 2u);
    for (const auto& p : second.r.problems) {
        BOOST_TEST((p.result.source == analysis_source::llm));
        BOOST_TEST(p.result.description == "fake description");
    }
    BOOST_TEST(find(second.r, "MISCONF")->result.signature == "redis.misconf");
    // cache files are versioned JSON, and a corrupt one is ignored, not trusted
    std::size_t files = 0;
    for (const auto& f : std::filesystem::directory_iterator(dir)) {
        ++files;
        std::ifstream in(f.path());
        std::string text((std::istreambuf_iterator<char>(in)), {});
        const auto doc = boost::json::parse(text).as_object();
        BOOST_TEST(doc.at("format").as_string() == "loglens-llm-cache");
        BOOST_TEST(doc.at("version").as_int64() == 1);
        std::ofstream(f.path()) << "{\"format\":\"loglens-llm-cache\",\"version\":1,\"key\":\"other\"}";
    }
    BOOST_TEST(files == 2u);
    run(o);
    BOOST_TEST(srv.generations() == 4u);
    std::filesystem::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(benign_known_noise_does_not_cost_a_call) {
    fake_llm_server srv;
    const auto res = run(opts_for(srv),
                         "WARN 1:M # WARNING: The TCP backlog setting of 511 cannot be enforced because somaxconn is 128.\n");
    BOOST_REQUIRE_EQUAL(res.r.noise.size(), 1u);
    BOOST_TEST(res.r.noise[0].result.signature == "redis.tcp-backlog");
    BOOST_TEST(srv.generations() == 0u);
}

BOOST_AUTO_TEST_CASE(cancel_ends_the_run_quickly_and_keeps_every_group) {
    fake_llm_server srv(fake(fake_fault::hang));
    auto o = opts_for(srv);
    o.timeout = std::chrono::milliseconds(30000);
    pipeline_options po;
    po.lang = language::en;
    llm_pipeline p(po, {}, {}, standard_analyzer(o));
    p.ingest_text(two_groups, {"compose.log", "redis"});
    std::thread stopper([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        p.request_stop();
    });
    const auto t0 = std::chrono::steady_clock::now();
    const report r = p.analyse();
    stopper.join();
    BOOST_TEST(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() < 5.0);
    BOOST_TEST(r.problems.size() == 2u);
    for (const auto& pr : r.problems) BOOST_TEST(!pr.result.error.empty());
}

BOOST_AUTO_TEST_CASE(no_secret_of_any_kind_reaches_the_server) {
    const std::vector<std::pair<std::string, std::string>> secrets = {
        {"ERROR db postgresql://airflow:Sup3rS3cretPw@postgres/airflow", "Sup3rS3cretPw"},
        {"ERROR login password=hunter2xyz", "hunter2xyz"},
        {"ERROR s3 key AKIAIOSFODNN7EXAMPLE", "AKIAIOSFODNN7EXAMPLE"},
        {"ERROR aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"},
        {"ERROR MINIO_ROOT_PASSWORD=minioR00tPass!", "minioR00tPass!"},
        {"ERROR AIRFLOW__CORE__FERNET_KEY=46BKJoQYlPPOexq0OhDZnIlNepKFf87WFwLbfzqDDho=", "46BKJoQYlPPOexq0OhDZnIlNepKFf87WFwLbfzqDDho"},
        {"ERROR Authorization: Bearer sk-live-0123456789abcdefXYZ", "sk-live-0123456789abcdefXYZ"},
        {"ERROR jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhaXJmbG93In0.c2lnbmF0dXJlX2hlcmU", "eyJzdWIiOiJhaXJmbG93In0"},
        {"ERROR key -----BEGIN PRIVATE KEY-----MIIEowIBAAKCAQEAu1SU1LfVLPHCozMx-----END PRIVATE KEY-----", "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMx"},
        {"ERROR redis-server --requirepass R3d1sReq", "R3d1sReq"},
    };
    // redacted once, at the source, by the pipeline: the analyser is given redacted groups only
    fake_llm_server srv;
    std::string text;
    for (const auto& [line, secret] : secrets) text += line + "\n";
    const auto res = run(opts_for(srv), text);
    BOOST_TEST(res.r.problems.size() == secrets.size());
    BOOST_TEST(res.r.redactions.size() >= 9u);
    BOOST_TEST(srv.generations() == secrets.size());
    const std::string seen = srv.everything_received();
    for (const auto& [line, secret] : secrets) BOOST_TEST(seen.find(secret) == std::string::npos, "leaked: " << secret);
}

BOOST_AUTO_TEST_SUITE_END()
