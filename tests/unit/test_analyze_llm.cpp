// LLM analysis against a real loopback HTTP server speaking Ollama's and OpenAI's wire formats, faults included.
// SPDX-License-Identifier: MIT
#include <loglens/loglens.hpp>
#ifdef LOGLENS_COMPILED_LIB  // the clients themselves: <loglens/loglens.hpp> leaves them out in compiled mode
#include <loglens/analyze/llm_cache.hpp>
#include <loglens/analyze/llm_client.hpp>
#include <loglens/analyze/prompt.hpp>
#endif

#include "support/example_logs.hpp"
#include "support/fake_llm_server.hpp"

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include <sys/stat.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
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
        BOOST_TEST(srv.requests("/v1/chat/completions") == 3u);  // the preflight's one-token completion, then two
        BOOST_TEST(srv.requests("/v1/models") == 1u);
        BOOST_TEST(res.r.llm.backend == "openai");
        BOOST_TEST(res.r.llm.prompt_tokens > 0u);
        BOOST_TEST(srv.authorizations().at(0) == "Bearer sk-test-key-123");
        BOOST_TEST(body_of(srv, 0).at("max_tokens").as_int64() == 1);
        const auto b = body_of(srv, 1);
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
    expect_fallback(res.r, "after 3 attempts, seeds 42..44");
    BOOST_TEST(srv.generations() == 2u * 3u);  // retries = 2: three attempts per group
    BOOST_TEST(res.r.llm.retries == 2u * 2u);
    // each retry asks with the next seed, so an answer the server cannot handle is not reproduced as is
    for (std::size_t i = 0; i < 3; ++i)
        BOOST_TEST(body_of(srv, i).at("options").at("seed").to_number<int>() == 42 + int(i));
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

BOOST_AUTO_TEST_CASE(fault_404_on_generate_is_found_by_the_preflight) {
    // /v1/models lists nothing (a single-model server would), but the completion says the model is missing
    fake_llm_server srv(fake(fake_fault::model_404));
    auto o = opts_for(srv, llm_backend::openai);
    const auto res = run(o);
    expect_fallback(res.r, "does not serve model 'mistral'");
    BOOST_TEST(srv.generations() == 1u);  // the preflight's one-token completion, nothing more
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
    BOOST_TEST(retry.at("options").at("seed").to_number<int>() == 42 + 3);  // and another seed
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
    auto o = opts_for(srv);
    o.breaker_after = 0;  // every attempt, as without a circuit breaker (see circuit_breaker_* below)
    const auto res = run(o);
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
        // retried like a 500; the OpenAI-compatible preflight adds its one-token completion
        BOOST_TEST(srv.generations() == 2u * 3u + (backend == llm_backend::openai ? 1u : 0u));
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
        BOOST_TEST(doc.at("version").as_int64() == llm_cache::format_version);
        std::ofstream(f.path()) << "{\"format\":\"loglens-llm-cache\",\"version\":" << llm_cache::format_version
                                << ",\"key\":\"other\"}";
    }
    BOOST_TEST(files == 2u);
    run(o);
    BOOST_TEST(srv.generations() == 4u);
    std::filesystem::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(cache_files_are_private_unless_chosen_otherwise) {
    namespace fs = std::filesystem;
    const auto root = fs::temp_directory_path() / ("loglens-cache-modes-" + std::to_string(::getpid()));
    fs::remove_all(root);
    const auto old_umask = ::umask(0);  // the modes are exact, not left to the umask
    analysis a;
    a.verdict = classification::minor;
    a.description = "d";
    llm_cache(root / "private" / "loglens").store("k", a, {});
    llm_cache(root / "shared", {}, file_permissions::for_file_mode(0644)).store("k", a, {});
    ::umask(old_umask);
    const auto mode = [](const fs::path& p) { return static_cast<unsigned>(fs::status(p).permissions()); };
    BOOST_TEST(mode(root / "private") == 0700u);
    BOOST_TEST(mode(root / "private" / "loglens") == 0700u);
    BOOST_TEST(mode(root / "private" / "loglens" / "k.json") == 0600u);
    BOOST_TEST(mode(root / "shared") == 0755u);
    BOOST_TEST(mode(root / "shared" / "k.json") == 0644u);
    std::ifstream in(root / "private" / "loglens" / "k.json");
    const std::string text((std::istreambuf_iterator<char>(in)), {});
    BOOST_TEST(text.find("\"loglens-llm-cache\"") != std::string::npos);
    fs::remove_all(root);
}

BOOST_AUTO_TEST_CASE(cache_hits_when_the_log_grows) {
    // 10,000 lines of a stream, then its first 12,000: the answers of the first run serve the second
    const auto events = loglens_test::example_entries("compose.log");
    const auto groups_of = [&](std::uint64_t lines) {
        template_miner m;
        for (auto& e : loglens_test::growing_stream(events, lines))
            if (e.level >= severity::warning) m.add(std::move(e));
        return m.groups();
    };
    const auto dir = std::filesystem::temp_directory_path() / ("loglens-cache-grow-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    llm_options o;
    o.backend = llm_backend::ollama;
    analysis answer;
    answer.verdict = classification::major;
    answer.description = "d";
    answer.root_cause = "r";
    answer.recommendations = {"x"};
    answer.confidence = 0.5;
    {
        llm_cache cache(dir);
        for (const auto& g : groups_of(10000)) cache.store(llm_cache::key(g, o, language::en), answer, o);
    }
    llm_cache cache(dir);
    const auto later = groups_of(12000);
    std::size_t hits = 0;
    for (const auto& g : later) hits += cache.load(llm_cache::key(g, o, language::en)).has_value();
    BOOST_TEST_MESSAGE("growing log: " << hits << " of " << later.size() << " groups hit the cache");
    BOOST_TEST(later.size() > 20u);
    BOOST_TEST(static_cast<double>(hits) >= 0.9 * static_cast<double>(later.size()));
    // what determines the answer is in the key: another language or model is another question
    auto other = o;
    other.model = "qwen2.5:3b";
    BOOST_TEST(!cache.load(llm_cache::key(later[0], other, language::en)));
    BOOST_TEST(!cache.load(llm_cache::key(later[0], o, language::ru)));
    std::filesystem::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(cache_is_bounded_by_size_and_age) {
    const auto dir = std::filesystem::temp_directory_path() / ("loglens-cache-bound-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    llm_options o;
    o.backend = llm_backend::ollama;
    analysis answer;
    answer.description = "d";
    answer.root_cause = "r";
    answer.recommendations = {"x"};
    std::vector<std::string> keys;
    {
        llm_cache cache(dir);
        for (int i = 0; i < 5; ++i) {
            log_group g;
            g.id = "id" + std::to_string(i);
            g.template_text = "failure " + std::to_string(i);
            keys.push_back(llm_cache::key(g, o, language::en));
            cache.store(keys.back(), answer, o);
            // older answers were used longer ago
            std::filesystem::last_write_time(cache.path(keys.back()),
                                             std::filesystem::file_time_type::clock::now() - std::chrono::hours(10 - i));
        }
        std::ofstream(dir / "notes.json") << "{}";    // not a cache file: never removed
        BOOST_TEST(cache.load(keys[0]).has_value());  // a use: now the most recent
    }
    {
        llm_cache cache(dir, llm_cache_limits{3, std::chrono::hours(24)});
        BOOST_TEST(cache.load(keys[0]).has_value());
        BOOST_TEST(!cache.load(keys[1]).has_value());
        BOOST_TEST(!cache.load(keys[2]).has_value());
        BOOST_TEST(cache.load(keys[3]).has_value());
        BOOST_TEST(cache.load(keys[4]).has_value());
        std::filesystem::last_write_time(cache.path(keys[3]),
                                         std::filesystem::file_time_type::clock::now() - std::chrono::hours(48));
    }
    llm_cache cache(dir, llm_cache_limits{3, std::chrono::hours(24)});
    BOOST_TEST(!cache.load(keys[3]).has_value());  // unused for two days, older than the bound
    BOOST_TEST(cache.load(keys[4]).has_value());
    BOOST_TEST(std::filesystem::exists(dir / "notes.json"));
    std::filesystem::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(benign_known_noise_does_not_cost_a_call) {
    fake_llm_server srv;
    const auto res = run(opts_for(srv),
                         "WARN 1:C 03 Nov 2025 20:36:30.913 # Warning: no config file specified, using the "
                         "default config. In order to specify a config file use redis-server /path/to/redis.conf\n");
    BOOST_REQUIRE_EQUAL(res.r.noise.size(), 1u);
    BOOST_TEST(res.r.noise[0].result.signature == "redis.no-config-file");
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
        {"ERROR aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
         "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"},
        {"ERROR MINIO_ROOT_PASSWORD=minioR00tPass!", "minioR00tPass!"},
        {"ERROR AIRFLOW__CORE__FERNET_KEY=46BKJoQYlPPOexq0OhDZnIlNepKFf87WFwLbfzqDDho=",
         "46BKJoQYlPPOexq0OhDZnIlNepKFf87WFwLbfzqDDho"},
        {"ERROR Authorization: Bearer sk-live-0123456789abcdefXYZ", "sk-live-0123456789abcdefXYZ"},
        {"ERROR jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhaXJmbG93In0.c2lnbmF0dXJlX2hlcmU", "eyJzdWIiOiJhaXJmbG93In0"},
        {"ERROR key -----BEGIN PRIVATE KEY-----MIIEowIBAAKCAQEAu1SU1LfVLPHCozMx-----END PRIVATE KEY-----",
         "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMx"},
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

// ---------------------------------------------------------------------------------------------------------
// What a real llama.cpp llama-server taught (issue 14), reproduced by the fake: see docs/cli.md.

namespace {

fake_llm_config llama_like() {
    fake_llm_config c;
    c.llama = true;
    c.models = {"tiny.gguf"};
    return c;
}

std::string analysed_text(std::size_t groups) {
    std::string text;
    for (std::size_t i = 0; i < groups; ++i) text += "ERROR failure number " + std::to_string(i) + " in the job\n";
    return text;
}

/// Groups whose text fills any prompt budget: long, distinct lines.
std::string long_text(std::size_t groups) {
    std::string text;
    for (std::size_t i = 0; i < groups; ++i) {
        text += "ERROR failure number " + std::to_string(i) + " in the job:";
        for (int w = 0; w < 300; ++w) text += " word" + std::to_string(w);
        text += "\n";
    }
    return text;
}

std::size_t llm_answers(const report& r) {
    std::size_t n = 0;
    for (const auto& p : r.problems) n += p.result.source == analysis_source::llm;
    return n;
}

}  // namespace

BOOST_AUTO_TEST_CASE(one_url_validator_for_every_setting) {
    std::string err;
    const auto ok = [&](std::string_view u) { return detail::parse_http_url(u, "--url", err); };
    BOOST_TEST(ok("http://localhost:11434").value().port == "11434");
    BOOST_TEST(ok("https://api.example.com/v1").value().port == "443");
    BOOST_TEST(ok("HTTPS://api.example.com").value().tls);
    BOOST_TEST(ok("http://[::1]:8080/").value().host == "::1");
    BOOST_TEST(ok("http://h:65535").has_value());
    for (std::string_view bad :
         {"http://h:0", "http://h:65536", "http://h:99999", "http://h:", "http://h:8a", "ftp://h", "h:11434", "http://",
          "http://u:p@h", "http://h/x?y=1", "http://h\x01", "http://h/\x7f", "http://h\xc3\xa9", "http://h b"}) {
        BOOST_TEST(!ok(bad).has_value(), bad);
        BOOST_TEST(err.find("--url") != std::string::npos);
    }
    // a CR/LF anywhere would split the HTTP request; the message shows it escaped, never raw
    BOOST_TEST(!detail::parse_http_url("http://h:1/x\r\nX-Evil: 1", "OLLAMA_BASE_URL (from .env line 3)", err));
    BOOST_TEST(err.find("OLLAMA_BASE_URL (from .env line 3)") != std::string::npos);
    BOOST_TEST(err.find("control character") != std::string::npos);
    BOOST_TEST(err.find('\r') == std::string::npos);
    BOOST_TEST(err.find("\\x0d\\x0a") != std::string::npos);
    // the client's routes add /v1 themselves: a base URL with or without it is the same server
    llm_options o;
    o.backend = llm_backend::openai;
    o.url = "http://127.0.0.1:8080/v1/";
    BOOST_TEST(detail::endpoint_of(o).base == "");
    o.url = "http://127.0.0.1:8080/proxy/v1";
    BOOST_TEST(detail::endpoint_of(o).base == "/proxy");
}

BOOST_AUTO_TEST_CASE(tls_with_a_certificate_made_in_the_test) {
    auto cfg = llama_like();
    cfg.tls = true;
    fake_llm_server srv(cfg);
    const auto ca = std::filesystem::temp_directory_path() / ("loglens-test-ca-" + std::to_string(::getpid()) + ".pem");
    std::ofstream(ca) << srv.cert_pem();
    auto o = opts_for(srv, llm_backend::openai);
    o.url = "https://localhost:" + std::to_string(srv.port()) + "/v1";
    // the system CAs do not know this certificate: refused, and the message says how to proceed
    auto p = probe_llm(o);
    BOOST_TEST(!p.usable());
    BOOST_TEST(p.message.find("certificate verify failed") != std::string::npos, p.message);
    BOOST_TEST(p.message.find("--insecure") != std::string::npos);
    BOOST_TEST(srv.generations() == 0u);
    // trusted: verified, with SNI naming the host
    o.ca_file = ca.string();
    const auto res = run(o);
    BOOST_TEST(llm_answers(res.r) == 2u);
    BOOST_TEST(srv.server_names().back() == "localhost");
    // --insecure, only by explicit choice: no verification at all (and an IP address gets no SNI)
    o.url = srv.url();
    o.ca_file.clear();
    o.insecure = true;
    BOOST_TEST(probe_llm(o).usable());
    BOOST_TEST(srv.server_names().back() == "");
    std::filesystem::remove(ca);
}

BOOST_AUTO_TEST_CASE(preflight_names_each_failure_class) {
    {  // a wrong path: 404 on /v1/models, with the hint about the base URL
        fake_llm_server srv(llama_like());
        auto o = opts_for(srv, llm_backend::openai);
        o.url = srv.url() + "/api";
        const auto p = probe_llm(o);
        BOOST_TEST((p.failure == llm_error::kind::wrong_url));
        BOOST_TEST(p.message.find("is this the base URL? drop or add") != std::string::npos, p.message);
        o.url = srv.url() + "/v1";  // what the OpenAI SDKs want: accepted
        BOOST_TEST(probe_llm(o).usable());
        o.backend = llm_backend::ollama;  // Ollama's routes on llama.cpp
        BOOST_TEST((probe_llm(o).failure == llm_error::kind::wrong_url));
    }
    {  // llama.cpp lists models without a key: only a real completion proves the key
        auto cfg = llama_like();
        cfg.api_key = "right-key";
        fake_llm_server srv(cfg);
        auto o = opts_for(srv, llm_backend::openai);
        o.api_key = "wrong-key";
        auto p = probe_llm(o);
        BOOST_TEST((p.failure == llm_error::kind::auth));
        BOOST_TEST(p.message.find("OPENAI_API_KEY was refused") != std::string::npos, p.message);
        BOOST_TEST(srv.requests("/v1/models") == 1u);
        o.api_key.clear();
        BOOST_TEST(probe_llm(o).message.find("set OPENAI_API_KEY") != std::string::npos);
        o.api_key = "right-key";
        BOOST_TEST(probe_llm(o).usable());
    }
    {  // a multi-model server that does not list the model: what it has is listed
        fake_llm_server srv;
        auto o = opts_for(srv, llm_backend::openai);
        o.model = "llama3";
        const auto p = probe_llm(o);
        BOOST_TEST((p.failure == llm_error::kind::model_missing));
        BOOST_TEST(p.message.find("mistral:latest, qwen2.5:3b") != std::string::npos, p.message);
        o.backend = llm_backend::ollama;
        BOOST_TEST(probe_llm(o).message.find("mistral:latest, qwen2.5:3b") != std::string::npos);
    }
    {  // a server error during the preflight
        fake_llm_server srv(fake(fake_fault::http_500));
        const auto p = probe_llm(opts_for(srv, llm_backend::openai));
        BOOST_TEST(!p.usable());
        BOOST_TEST(p.message.find("HTTP 500") != std::string::npos, p.message);
    }
}

BOOST_AUTO_TEST_CASE(preflight_waits_for_a_loading_server_with_a_countdown) {
    auto cfg = llama_like();
    cfg.loading = std::chrono::milliseconds(1500);
    fake_llm_server srv(cfg);
    auto o = opts_for(srv, llm_backend::openai);
    o.load_wait = std::chrono::seconds(10);
    std::vector<std::string> notices;
    o.on_notice = [&](const std::string& n) { notices.push_back(n); };
    const auto p = probe_llm(o);
    BOOST_TEST(p.usable(), p.message);
    BOOST_REQUIRE(!notices.empty());
    BOOST_TEST(notices.front().find("Loading model") != std::string::npos, notices.front());
    BOOST_TEST(notices.front().find(" s left") != std::string::npos);
    // a bound that ends first: the loading class, and what to do
    cfg.loading = std::chrono::seconds(60);
    fake_llm_server slow(cfg);
    o = opts_for(slow, llm_backend::openai);
    o.load_wait = std::chrono::milliseconds(1200);
    const auto q = probe_llm(o);
    BOOST_TEST((q.failure == llm_error::kind::loading));
    BOOST_TEST(q.message.find("still loading") != std::string::npos, q.message);
}

BOOST_AUTO_TEST_CASE(auto_finds_ollama_or_an_openai_compatible_server) {
    fake_llm_server ollama;
    auto o = opts_for(ollama, llm_backend::none);
    auto p = probe_auto(o);
    BOOST_TEST(p.usable());
    BOOST_TEST((p.backend == llm_backend::ollama));
    fake_llm_server llama(llama_like());
    o.url = llama.url();
    p = probe_auto(o);
    BOOST_TEST(p.usable(), p.message);
    BOOST_TEST((p.backend == llm_backend::openai));
    BOOST_TEST(p.message.find("OpenAI-compatible") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(context_budget_comes_from_the_server) {
    {  // llama.cpp's per-slot context (-c 1024 --parallel 2 gives 512 per slot): prompts fit, answer budget cut
        auto cfg = llama_like();
        cfg.n_ctx = 512;
        fake_llm_server srv(cfg);
        const auto res = run(opts_for(srv, llm_backend::openai), long_text(3));
        BOOST_TEST(llm_answers(res.r) == 3u);
        BOOST_TEST(res.r.llm.num_ctx == 512);
        BOOST_TEST(res.r.llm.num_predict == 256);
        BOOST_TEST(srv.generations() == 1u + 3u);  // no 400: every prompt fitted at once
        BOOST_TEST(body_of(srv, 1).at("max_tokens").as_int64() == 256);
    }
    {  // llama.cpp's /v1/models always carries meta.n_ctx (the slot's context): no /props request is needed
        fake_llm_server srv(llama_like());
        const auto p = probe_llm(opts_for(srv, llm_backend::openai));
        BOOST_TEST(p.usable(), p.message);
        BOOST_TEST(p.n_ctx == 8192);
        BOOST_TEST(srv.requests("/props") == 0u);
    }
    {  // a tokenizer that needs more tokens than estimated: the 400 is recognised, prompts shrink and fit
        auto cfg = llama_like();
        cfg.n_ctx = 1024;
        cfg.bytes_per_token = 0.8;
        fake_llm_server srv(cfg);
        const auto res = run(opts_for(srv, llm_backend::openai), long_text(3));
        BOOST_TEST(llm_answers(res.r) == 3u, res.r.llm.first_error);
        BOOST_TEST(srv.generations() == 1u + 3u + 1u);  // one 400, then the learnt scale holds for the others
    }
    {  // a context that cannot hold even the instructions: reported as a context problem, never "raise num_predict"
        auto cfg = llama_like();
        cfg.n_ctx = 300;
        cfg.bytes_per_token = 0.2;
        fake_llm_server srv(cfg);
        const auto res = run(opts_for(srv, llm_backend::openai));
        BOOST_TEST(llm_answers(res.r) == 0u);
        expect_fallback(res.r, "longer than its context");
        BOOST_TEST(res.r.llm.first_error.find("raise") == std::string::npos, res.r.llm.first_error);
        BOOST_TEST(res.r.llm.note.find("exceeds the available context size") != std::string::npos, res.r.llm.note);
    }
    {  // Ollama: the model's context length from /api/show is what num_ctx asks for (at most 8192 by default)
        fake_llm_config cfg;
        cfg.n_ctx = 4096;
        fake_llm_server srv(cfg);
        const auto res = run(opts_for(srv));
        BOOST_TEST(body_of(srv).at("options").at("num_ctx").to_number<int>() == 4096);
        BOOST_TEST(res.r.llm.num_ctx == 4096);
        auto o = opts_for(srv);
        o.num_ctx = 2048;
        o.num_predict = 300;
        run(o);
        BOOST_TEST(body_of(srv, 2).at("options").at("num_ctx").to_number<int>() == 2048);
        BOOST_TEST(body_of(srv, 2).at("options").at("num_predict").to_number<int>() == 300);
    }
}

BOOST_AUTO_TEST_CASE(answers_a_server_could_not_constrain_are_repaired_and_counted) {
    // llama.cpp drops minimum/maximum on numbers: confidence 2.5 came back on a healthy server
    fake_llm_config cfg = llama_like();
    cfg.answer = R"({"classification":"major","description":")" + std::string(900, 'd') +
                 R"(","root_cause":"r","recommendations":["a","b","c","d","e"],"confidence":2.5})";
    fake_llm_server srv(cfg);
    const auto res = run(opts_for(srv, llm_backend::openai));
    BOOST_REQUIRE_EQUAL(llm_answers(res.r), 2u);
    for (const auto& p : res.r.problems) {
        BOOST_TEST(p.result.confidence == 0.025);
        BOOST_TEST(p.result.description.size() <= answer_limits::description);
        BOOST_TEST(p.result.recommendations.size() == 4u);
    }
    BOOST_TEST(res.r.llm.repairs.at("confidence_rescaled") == 2u);
    BOOST_TEST(res.r.llm.repairs.at("text_trimmed") == 2u);
    BOOST_TEST(res.r.llm.repairs.at("recommendations_dropped") == 2u);
    // the schema asks for what grammars do enforce: an integer percentage, bounded strings and arrays
    const auto schema = analysis_schema();
    BOOST_TEST(schema.at("properties").at("confidence").at("type").as_string() == "integer");
    BOOST_TEST(schema.at("properties").at("confidence").at("maximum").to_number<int>() == 100);
    BOOST_TEST(schema.at("properties").at("recommendations").at("maxItems").to_number<int>() == 4);

    answer_repairs repairs;
    std::string err;
    const auto with = [](std::string_view conf) {
        return R"({"classification":"minor","description":"d","root_cause":"r","recommendations":["x"],"confidence":)" +
               std::string(conf) + "}";
    };
    BOOST_TEST(validate_answer(with("75"), err, repairs)->confidence == 0.75);
    BOOST_TEST(validate_answer(with("0.4"), err, repairs)->confidence == 0.4);
    BOOST_TEST(validate_answer(with("250"), err, repairs)->confidence == 1.0);
    BOOST_TEST(validate_answer(with("-3"), err, repairs)->confidence == 0.0);
    BOOST_TEST(repairs.at("confidence_clamped") == 2u);
    BOOST_TEST(!validate_answer(with("\"high\""), err, repairs));  // not a number: cannot be repaired
    BOOST_TEST(!validate_answer(
        R"({"classification":"severe","description":"d","root_cause":"r","recommendations":["x"],"confidence":5})", err,
        repairs));
}

BOOST_AUTO_TEST_CASE(length_cut_500_is_retried_with_other_seeds) {
    fake_llm_config cfg = llama_like();
    cfg.fault = fake_fault::length_500;  // only with a grammar: the preflight's plain one-token call passes
    cfg.fail_first = 3;                  // generations 1 and 2: the first two attempts
    fake_llm_server srv(cfg);
    const auto res = run(opts_for(srv, llm_backend::openai), analysed_text(1));
    BOOST_TEST(llm_answers(res.r) == 1u, res.r.llm.first_error);
    BOOST_TEST(srv.generations() == 4u);
    BOOST_TEST(res.r.llm.retries == 2u);
    for (std::size_t i = 1; i <= 3; ++i) BOOST_TEST(body_of(srv, i).at("seed").as_int64() == 42 + std::int64_t(i) - 1);
    {  // streamed: the first deltas, then one error event (status 200, no [DONE]): retried the same way
        fake_llm_server s2(cfg);
        auto o = opts_for(s2, llm_backend::openai);
        o.stream = true;
        const auto r2 = run(o, analysed_text(1));
        BOOST_TEST(llm_answers(r2.r) == 1u, r2.r.llm.first_error);
        BOOST_TEST(r2.r.llm.retries == 2u);
    }
    {  // every attempt cut: the offline analysis stays, and the error quotes what the server said
        cfg.fail_first = -1;
        fake_llm_server s3(cfg);
        const auto r3 = run(opts_for(s3, llm_backend::openai), analysed_text(1));
        BOOST_TEST(llm_answers(r3.r) == 0u);
        BOOST_TEST(r3.r.llm.first_error.find("does not match the expected peg-native format") != std::string::npos,
                   r3.r.llm.first_error);
    }
}

BOOST_AUTO_TEST_CASE(length_cut_answers_are_refused_and_named_as_such) {
    // what the real llama-server did with a grammar and max_tokens 5: 200, finish_reason "length", cut JSON
    fake_llm_config cfg = llama_like();
    cfg.fault = fake_fault::length_cut;
    fake_llm_server srv(cfg);
    const auto res = run(opts_for(srv, llm_backend::openai), analysed_text(1));
    BOOST_TEST(llm_answers(res.r) == 0u);
    BOOST_TEST(srv.generations() == 1u + 2u);  // the preflight, then the answer and its one correction
    BOOST_TEST(res.r.llm.first_error.find("cut at num_predict=768 tokens: raise --num-predict") != std::string::npos,
               res.r.llm.first_error);
}

BOOST_AUTO_TEST_CASE(circuit_breaker_stops_calling_a_dead_server) {
    // a server killed after two answers: nothing listens any more
    fake_llm_config cfg;
    cfg.die_after = 2;
    fake_llm_server srv(cfg);
    auto o = opts_for(srv);
    o.backoff = std::chrono::milliseconds(200);
    o.retries = 5;  // the breaker ends the retries too
    const auto res = run(o, analysed_text(8));
    BOOST_REQUIRE_EQUAL(res.r.problems.size(), 8u);  // every group is in the report
    BOOST_TEST(llm_answers(res.r) == 2u);
    BOOST_TEST(res.r.llm.failures == 1u);  // the call that met the dead server
    BOOST_TEST(res.r.llm.not_analysed == 5u);
    BOOST_TEST(res.r.llm.not_analysed_groups.size() == 5u);
    BOOST_TEST(res.r.llm.note.find("3 consecutive connection failures") != std::string::npos, res.r.llm.note);
    std::size_t marked = 0;
    for (const auto& p : res.r.problems) {
        BOOST_TEST(!p.result.description.empty());  // offline analysis kept
        marked += p.result.error.rfind("not analysed by the LLM", 0) == 0;
    }
    BOOST_TEST(marked == 5u);
    BOOST_TEST(res.seconds < 0.2 + 0.4 + 3.0);  // two backoffs, not 1 + 3 attempts for every group
}

BOOST_AUTO_TEST_CASE(circuit_breaker_closes_when_a_restarted_server_answers) {
    // a watch runs for hours: a server restarted where it was is used again after the cool-down
    std::optional<fake_llm_server> srv(std::in_place);
    auto o = opts_for(*srv);
    o.breaker_cooldown = std::chrono::milliseconds(2000);
    llm_pipeline grouped({}, {}, {}, standard_analyzer(o));
    grouped.ingest_text(analysed_text(6), {"compose.log", "redis"});
    const auto groups = grouped.grouper().groups();
    BOOST_REQUIRE_EQUAL(groups.size(), 6u);
    standard_analyzer a(o);
    const auto analyse = [&a](const log_group& g) {
        boost::asio::io_context ioc;
        analysis out;
        a.async_analyze(g, analysis_context{ioc.get_executor(), language::en}, [&out](analysis r) { out = std::move(r); });
        ioc.run();
        return out;
    };
    BOOST_TEST(analyse(groups[0]).error.empty());  // answered
    const auto port = srv->port();
    srv.reset();                                                                            // killed: nothing listens
    BOOST_TEST(analyse(groups[1]).error.find("LLM analysis failed") != std::string::npos);  // 3 failures: open
    BOOST_TEST(analyse(groups[2]).error.rfind("not analysed by the LLM", 0) == 0);
    fake_llm_config cfg;
    cfg.port = port;
    srv.emplace(cfg);  // back where it was, but the cool-down has not run out
    BOOST_TEST(analyse(groups[3]).error.rfind("not analysed by the LLM", 0) == 0);
    BOOST_TEST(srv->generations() == 0u);
    std::this_thread::sleep_for(std::chrono::milliseconds(2200));
    const auto probe = analyse(groups[4]);  // one call through the open breaker: answered, so it closes
    BOOST_TEST(probe.error.empty(), probe.error);
    BOOST_TEST((probe.source == analysis_source::llm));
    BOOST_TEST(analyse(groups[5]).error.empty());
    BOOST_TEST(srv->generations() == 2u);
    const auto sum = a.summary();
    BOOST_TEST(sum.not_analysed == 2u);
    BOOST_TEST(sum.note.find("calls resumed") != std::string::npos, sum.note);
}

BOOST_AUTO_TEST_CASE(first_byte_timeout_ends_a_silent_stream) {
    fake_llm_server srv(fake(fake_fault::hang));
    auto o = opts_for(srv);
    o.stream = true;
    o.timeout = std::chrono::seconds(30);
    o.first_byte_timeout = std::chrono::milliseconds(400);
    const auto res = run(o);
    expect_fallback(res.r, "first-byte timeout of 400 ms");
    BOOST_TEST(res.seconds < 2 * 0.4 + 2.0);
}

BOOST_AUTO_TEST_CASE(server_text_is_validated_before_it_is_kept) {
    fake_llm_config cfg;
    cfg.version = "0.1\x1b]0;pwned\x07";
    cfg.models = {"mistral:latest", "evil\x1b[2J:latest"};
    fake_llm_server srv(cfg);
    const auto p = probe_llm(opts_for(srv));
    BOOST_TEST(p.usable());
    BOOST_TEST(p.server_version.find('\x1b') == std::string::npos);
    BOOST_TEST(p.message.find('\x1b') == std::string::npos);
    auto o = opts_for(srv);
    o.model = "absent";
    const auto q = probe_llm(o);
    BOOST_TEST(q.message.find('\x1b') == std::string::npos, q.message);
    BOOST_TEST(q.message.find("mistral:latest") != std::string::npos);
    BOOST_TEST(detail::server_text("a\x1b[31mb\x9b") == "a?[31mb?");
}

BOOST_AUTO_TEST_CASE(terminal_summary_ends_with_the_whole_llm_outcome_and_cause) {
    report r;
    r.lang = language::en;
    r.llm.backend = "openai";
    r.llm.model = "tiny";
    r.llm.calls = 31;
    r.llm.failures = 31;
    r.llm.first_error =
        "the server at http://127.0.0.1:8080 refused the API key (HTTP 401): the key in "
        "OPENAI_API_KEY was refused; set it to the server's API key";
    std::ostringstream out;
    terminal_style st;
    st.width = 60;
    print_terminal_summary(r, out, st);
    const std::string text = out.str();
    BOOST_TEST(text.find("Failures: 31") != std::string::npos);
    std::string flat = text;  // the cause is wrapped onto indented lines, never cut
    for (std::size_t at; (at = flat.find("\n  ")) != std::string::npos;) flat.replace(at, 3, " ");
    BOOST_TEST(flat.find("the key in OPENAI_API_KEY was refused; set it to the server's API key\n") != std::string::npos,
               text);
    BOOST_TEST(text.ends_with("key\n"), text);
    std::istringstream lines(text);
    for (std::string l; std::getline(lines, l);) BOOST_TEST(detail::display_width(l) <= 60u, l);
}

// ---------------------------------------------------------------------------------------------------------
// Incidents (issue 17): one LLM call per incident of several problems, validated against the incident.

namespace {

using incident_pipeline =
    pipeline<compose_parser, template_miner, standard_analyzer, writers<markdown_writer, html_writer>>;

report run_incidents(const llm_options& o, std::size_t concurrency = 1) {
    pipeline_options po;
    po.lang = language::en;
    po.concurrency = concurrency;
    incident_pipeline p(po, {}, {}, standard_analyzer(o));
    p.ingest_file(std::string(LOGLENS_SOURCE_DIR) + "/examples/logs/compose.log");
    return p.analyse();
}

std::vector<const incident*> multi_member(const report& r) {
    std::vector<const incident*> out;
    for (const auto& i : r.incidents)
        if (i.members.size() > 1) out.push_back(&i);
    return out;
}

bool member_of(const incident& inc, const std::string& id) {
    for (const auto& m : inc.members)
        if (m.problem_id == id) return true;
    return false;
}

/// The incident requests the fake received, by the schema's enum of member ids.
std::vector<boost::json::object> incident_bodies(const fake_llm_server& s) {
    std::vector<boost::json::object> out;
    for (const auto& b : s.bodies()) {
        auto o = boost::json::parse(b).as_object();
        if (const auto* rf = o.if_contains("response_format"))
            if (rf->at("json_schema").at("schema").at("properties").as_object().contains("fix_steps")) out.push_back(o);
    }
    return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(incident_answers_are_validated_against_their_incident) {
    incident inc;
    inc.id = "inc-aaa";
    inc.members = {{"aaa", "first cause", 1.0}, {"bbb", "rule x -> y", 0.8}};
    std::string err;
    answer_repairs repairs;
    const auto check = [&](const std::string& fix_steps, std::string summary = "s") {
        return validate_incident_answer(
            R"({"summary":")" + summary + R"(","root_cause":"r","fix_steps":)" + fix_steps + "}", inc, err, repairs);
    };
    const auto ok = check(R"([{"problem":"bbb","action":"restart it"},{"problem":"aaa","action":"fix the cause"}])");
    BOOST_REQUIRE(ok);
    BOOST_TEST(ok->steps.size() == 2u);
    BOOST_TEST(ok->steps[0].problem_id == "bbb");
    // an id outside the incident rejects the whole answer, and the message names it only when it is an id
    BOOST_TEST(!check(R"([{"problem":"aaa","action":"a"},{"problem":"ccc","action":"b"}])"));
    BOOST_TEST(err.find("'ccc' is not a problem of this incident") != std::string::npos, err);
    BOOST_TEST(!check(R"([{"problem":"x\u001b[2Jy","action":"a"}])"));
    BOOST_TEST(err.find('\x1b') == std::string::npos, err);
    BOOST_TEST(err.find("(not an id)") != std::string::npos, err);
    BOOST_TEST(!check(R"([])"));
    BOOST_TEST(!check(R"([{"problem":"aaa","action":"  "}])"));
    BOOST_TEST(!check(R"(["aaa"])"));
    BOOST_TEST(!check(R"([{"problem":"aaa","action":"a"}])", " "));
    BOOST_TEST(!validate_incident_answer("no json here", inc, err, repairs));
    // what a server could not constrain is repaired and counted
    std::string many = "[";
    for (int i = 0; i < 9; ++i) many += std::string(i ? "," : "") + R"({"problem":"aaa","action":"step"})";
    const auto trimmed = check(many + "]", std::string(2000, 'x'));
    BOOST_REQUIRE(trimmed);
    BOOST_TEST(trimmed->steps.size() == incident_limits::steps);
    BOOST_TEST(trimmed->summary.size() <= incident_limits::summary);
    BOOST_TEST(repairs.at("steps_dropped") == 3u);
    BOOST_TEST(repairs.at("text_trimmed") == 1u);
    // the schema allows only the members' ids, which grammar-constrained servers enforce
    const auto schema = incident_schema(inc);
    const auto& ids =
        schema.at("properties").at("fix_steps").at("items").at("properties").at("problem").at("enum").as_array();
    BOOST_TEST(ids.size() == 2u);
    BOOST_TEST(ids[1].as_string() == "bbb");
}

BOOST_AUTO_TEST_CASE(every_incident_of_several_problems_gets_one_llm_summary_then_the_cache) {
    const auto dir = std::filesystem::temp_directory_path() / ("loglens-incident-cache-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    fake_llm_server srv(llama_like());
    auto o = opts_for(srv, llm_backend::openai);
    o.cache_dir = dir.string();
    const report r = run_incidents(o);
    const auto multi = multi_member(r);
    BOOST_REQUIRE(multi.size() >= 3u);
    BOOST_TEST(srv.incident_requests() == multi.size());  // one call each, none for a problem alone
    BOOST_TEST(r.llm.incident_answers == multi.size());
    BOOST_TEST(r.llm.incident_failures == 0u);
    for (const auto* inc : multi) {
        BOOST_TEST((inc->summary_source == analysis_source::llm));
        BOOST_TEST(inc->summary == "fake incident summary");
        BOOST_TEST(inc->root_cause == "fake incident root cause");
        BOOST_REQUIRE(inc->fix_steps.size() == 2u);
        // the fake names the first and the last id the schema allows: the first cause, the last member
        BOOST_TEST(inc->fix_steps[0].problem_id == inc->members.front().problem_id);
        BOOST_TEST(inc->fix_steps[1].problem_id == inc->members.back().problem_id);
        BOOST_TEST(inc->fix_order.front() == "fake fix of the first cause");
    }
    for (const auto& inc : r.incidents)
        if (inc.members.size() == 1) BOOST_TEST((inc.summary_source == analysis_source::knowledge_base));
    // each prompt holds its members in order, each with its id, count and template, and the schema only their ids
    const auto bodies = incident_bodies(srv);
    BOOST_REQUIRE(bodies.size() == multi.size());
    for (const auto& b : bodies) {
        const auto& ids = b.at("response_format")
                              .at("json_schema")
                              .at("schema")
                              .at("properties")
                              .at("fix_steps")
                              .at("items")
                              .at("properties")
                              .at("problem")
                              .at("enum")
                              .as_array();
        const std::string user(b.at("messages").as_array()[1].at("content").as_string());
        const incident* inc = nullptr;
        for (const auto* i : multi)
            if (i->members.front().problem_id == ids[0].as_string()) inc = i;
        BOOST_REQUIRE(inc);
        BOOST_TEST(ids.size() == inc->members.size());
        std::size_t at = 0;
        for (const auto& m : inc->members) {
            const auto pos = user.find("id=" + m.problem_id);
            BOOST_TEST(pos != std::string::npos, m.problem_id);
            BOOST_TEST(pos >= at);  // the timeline's order
            at = pos;
        }
        BOOST_TEST(user.find("count=") != std::string::npos);
        BOOST_TEST(user.find("template: ") != std::string::npos);
    }
    // the same logs again: every incident answer comes from the cache, no incident call is made
    fake_llm_server again(llama_like());
    o.url = again.url();
    const report r2 = run_incidents(o);
    BOOST_TEST(again.incident_requests() == 0u);
    BOOST_TEST(r2.llm.incident_cache_hits == multi.size());
    BOOST_TEST(multi_member(r2).front()->summary == "fake incident summary");
    std::filesystem::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(invalid_incident_answers_keep_the_knowledge_summary) {
    // a step naming a problem outside the incident: rejected, retried once with the error, then the fallback
    auto cfg = llama_like();
    cfg.incident_answer = R"({"summary":"s","root_cause":"r","fix_steps":[{"problem":"0123456789ab","action":"x"}]})";
    fake_llm_server srv(cfg);
    const report r = run_incidents(opts_for(srv, llm_backend::openai));
    const auto multi = multi_member(r);
    BOOST_REQUIRE(!multi.empty());
    BOOST_TEST(srv.incident_requests() == 2 * multi.size());
    BOOST_TEST(r.llm.incident_failures == multi.size());
    BOOST_TEST(r.llm.incident_answers == 0u);
    for (const auto* inc : multi) {
        BOOST_TEST((inc->summary_source == analysis_source::knowledge_base));
        BOOST_TEST(inc->llm_error.find("'0123456789ab' is not a problem of this incident") != std::string::npos,
                   inc->llm_error);
        BOOST_TEST(inc->summary.find("fake") == std::string::npos);
        BOOST_TEST(!inc->fix_steps.empty());  // the knowledge's fix order, each step on a member
        for (const auto& st : inc->fix_steps) BOOST_TEST(member_of(*inc, st.problem_id));
    }
    // the retry carried the validation error back to the model
    const auto bodies = incident_bodies(srv);
    const auto& msgs = bodies.at(1).at("messages").as_array();
    BOOST_TEST(std::string(msgs.back().at("content").as_string()).find("is not a problem of this incident") !=
               std::string::npos);
    // not JSON at all, and fields missing: the same fallback
    for (const char* bad : {"not json", R"({"summary":"only a summary"})"}) {
        auto c = llama_like();
        c.incident_answer = bad;
        fake_llm_server s2(c);
        const report r2 = run_incidents(opts_for(s2, llm_backend::openai));
        BOOST_TEST(r2.llm.incident_failures == multi.size());
        for (const auto* inc : multi_member(r2)) BOOST_TEST((inc->summary_source == analysis_source::knowledge_base));
    }
}

BOOST_AUTO_TEST_CASE(incident_answers_are_escaped_in_every_report) {
    auto cfg = llama_like();
    cfg.incident_answer =
        R"({"summary":"<script>alert(1)</script>\n## Injected heading\n| a | b |","root_cause":"<img src=x onerror=alert(2)>","fix_steps":[{"problem":"PLACEHOLDER","action":"`rm -rf` \u001b[2J<b>now</b>"}]})";
    // the first cause's id is only known after a run: learn it, then answer with it
    fake_llm_server probe(llama_like());
    const auto first =
        multi_member(run_incidents(opts_for(probe, llm_backend::openai))).front()->members.front().problem_id;
    cfg.incident_answer.replace(cfg.incident_answer.find("PLACEHOLDER"), 11, first);
    fake_llm_server srv(cfg);
    pipeline_options po;
    po.lang = language::en;
    incident_pipeline p(po, {}, {}, standard_analyzer(opts_for(srv, llm_backend::openai)));
    p.ingest_file(std::string(LOGLENS_SOURCE_DIR) + "/examples/logs/compose.log");
    const report r = p.analyse();
    BOOST_REQUIRE(r.llm.incident_answers >= 1u);
    std::ostringstream md, html, term;
    markdown_writer{}.write(r, md);
    html_writer{}.write(r, html);
    print_terminal_summary(r, term);
    BOOST_TEST(html.str().find("<script>alert(1)") == std::string::npos);
    BOOST_TEST(html.str().find("<img src=x") == std::string::npos);
    BOOST_TEST(html.str().find("&lt;script&gt;alert(1)") != std::string::npos);
    BOOST_TEST(md.str().find("\n## Injected heading") == std::string::npos);
    BOOST_TEST(md.str().find("\n| a | b |") == std::string::npos);
    BOOST_TEST(md.str().find('\x1b') == std::string::npos);
    BOOST_TEST(term.str().find('\x1b') == std::string::npos);
    BOOST_TEST(term.str().find("rm -rf") != std::string::npos, term.str());  // the first step, on the terminal
}

BOOST_AUTO_TEST_CASE(incident_calls_are_bounded_and_honour_the_breaker) {
    {  // concurrency: never more calls in flight than allowed, the groups' and the incidents' alike
        auto cfg = llama_like();
        cfg.delay = std::chrono::milliseconds(30);
        fake_llm_server srv(cfg);
        auto o = opts_for(srv, llm_backend::openai);
        o.parallel = 2;
        const report r = run_incidents(o, 4);
        BOOST_TEST(r.llm.incident_answers == multi_member(r).size());
        BOOST_TEST(srv.max_in_flight() <= 2u);
        BOOST_TEST(srv.max_in_flight() == 2u);
    }
    {  // at most incident_calls incidents are asked, most urgent first; the others say why they were not
        fake_llm_server srv(llama_like());
        auto o = opts_for(srv, llm_backend::openai);
        o.incident_calls = 1;
        const report r = run_incidents(o);
        const auto multi = multi_member(r);
        BOOST_TEST(srv.incident_requests() == 1u);
        BOOST_TEST((multi.front()->summary_source == analysis_source::llm));
        for (std::size_t i = 1; i < multi.size(); ++i)
            BOOST_TEST(multi[i]->llm_error.find("only the first 1 incidents") != std::string::npos, multi[i]->llm_error);
    }
    {  // a server killed during the groups' calls: the breaker opens, and no incident call is attempted
        auto cfg = llama_like();
        cfg.die_after = 3;
        fake_llm_server srv(cfg);
        auto o = opts_for(srv, llm_backend::openai);
        const report r = run_incidents(o);
        BOOST_TEST(r.llm.not_analysed > 0u);
        BOOST_TEST(srv.incident_requests() == 0u);
        const auto multi = multi_member(r);
        BOOST_TEST(r.llm.incident_failures == multi.size());
        for (const auto* inc : multi) {
            BOOST_TEST(inc->llm_error.find("not sent: stopped calling") != std::string::npos, inc->llm_error);
            BOOST_TEST((inc->summary_source == analysis_source::knowledge_base));
        }
    }
}


// ---------------------------------------------------------------------------------------------------------
// LLM triage: templates below the threshold that the rules neither flag nor know, asked in batches
// ---------------------------------------------------------------------------------------------------------
BOOST_AUTO_TEST_SUITE(llm_triage)

namespace {

// Routine INFO lines, one INFO line no rule calls a failure, and one whose secret must not reach the LLM.
const std::string quiet_failure =
    "INFO Heartbeat ok from worker 1\n"
    "INFO Heartbeat ok from worker 1\n"
    "INFO Slot 7 reassigned after a heartbeat gap of 45 s\n"
    "INFO connecting to the metadata store with password=S3cretPw9x\n"
    "INFO Scheduled task sync_dag for the next run\n"
    "ERROR worker lost connection to an unknown peer\n";

fake_llm_config flags_heartbeat_gap() {
    auto cfg = llama_like();
    cfg.triage_flag = {"heartbeat gap"};
    return cfg;
}

const problem* find_problem(const report& r, std::string_view words) {
    for (const auto& p : r.problems)
        if (p.group.template_text.find(words) != std::string::npos) return &p;
    return nullptr;
}

std::vector<std::string> problem_ids(const report& r) {
    std::vector<std::string> ids;
    for (const auto& p : r.problems) ids.push_back(p.group.id);
    std::sort(ids.begin(), ids.end());
    return ids;
}

std::vector<std::string> triage_bodies(const fake_llm_server& s) {
    std::vector<std::string> out;
    for (const auto& b : s.bodies())
        if (b.find("\"flagged\"") != std::string::npos) out.push_back(b);
    return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(triage_answers_are_validated_against_their_batch) {
    answer_repairs rep;
    std::string err;
    const auto ok = validate_triage_answer(R"({"flagged":[{"id":"t2","severity":"major","reason":"a slot was lost"},)"
                                           R"({"id":"t9","severity":"critical","reason":"not in the batch"},)"
                                           R"({"id":"t2","severity":"minor","reason":"repeated"},)"
                                           R"({"id":"t1","severity":"info","reason":"no problem after all"}]})",
                                           3, err, rep);
    BOOST_TEST_REQUIRE(ok.has_value(), err);
    BOOST_TEST_REQUIRE(ok->size() == 1u);
    BOOST_TEST(ok->front().index == 1u);
    BOOST_TEST((ok->front().verdict == classification::major));
    BOOST_TEST(rep["triage_unknown_id"] == 1u);
    BOOST_TEST(rep["triage_repeated_id"] == 1u);
    BOOST_TEST(rep["triage_not_a_problem"] == 1u);
    BOOST_TEST(validate_triage_answer(R"({"flagged":[]})", 3, err, rep).value().empty());
    // a long reason is trimmed, not trusted whole
    const auto long_reason = validate_triage_answer(
        R"({"flagged":[{"id":"t1","severity":"minor","reason":")" + std::string(1000, 'x') + "\"}]}", 1, err, rep);
    BOOST_TEST_REQUIRE(long_reason.has_value());
    BOOST_TEST(long_reason->front().reason.size() <= triage_limits::reason);
    // the shape is not negotiable
    BOOST_TEST(!validate_triage_answer("no JSON here", 3, err, rep));
    BOOST_TEST(err == "the answer is not a JSON object");
    BOOST_TEST(!validate_triage_answer(R"({"flagged":"t1"})", 3, err, rep));
    BOOST_TEST(!validate_triage_answer(R"({"flagged":[{"id":"t1","severity":"major","reason":" "}]})", 3, err, rep));
    BOOST_TEST(err.find("with a reason") != std::string::npos, err);
    // the schema names exactly the batch's ids and bounds the answer to what num_predict has room for
    const auto schema = triage_schema(3, triage_max_flags(768));
    const auto& item = schema.at("properties").at("flagged").at("items").at("properties");
    BOOST_TEST(item.at("id").at("enum").as_array().size() == 3u);
    BOOST_TEST(schema.at("properties").at("flagged").at("maxItems").to_number<int>() == 10);
    BOOST_TEST(triage_max_flags(100) == 1u);
}

BOOST_AUTO_TEST_CASE(triage_batches_fit_the_context) {
    std::vector<log_group> many(200);
    std::vector<const log_group*> ptrs;
    for (std::size_t i = 0; i < many.size(); ++i) {
        many[i].service = "airflow-worker";
        many[i].template_text = "routine step " + std::to_string(i) + " " + std::string(300, 'w');
        many[i].count = i + 1;
        ptrs.push_back(&many[i]);
    }
    for (const int ctx : {1024, 2048, 8192}) {
        const auto n = triage_batch(ptrs, language::en, ctx, 256);
        BOOST_TEST(n >= 1u);
        BOOST_TEST(n <= triage_limits::per_call);
        const auto msgs = build_triage_prompt(std::span(ptrs).first(n), language::en, ctx, 256);
        std::size_t bytes = 0;
        for (const auto& m : msgs) bytes += m.content.size();
        BOOST_TEST(bytes / 2 < static_cast<std::size_t>(ctx - 256), "context " << ctx << ": " << bytes << " bytes");
        // every template of the batch is listed, by its id, on a line of its own
        BOOST_TEST(msgs[1].content.find("\nt" + std::to_string(n) + " [airflow-worker]") != std::string::npos);
    }
    BOOST_TEST(triage_batch(ptrs, language::en, 1024, 256) < triage_batch(ptrs, language::en, 8192, 256));
}

BOOST_AUTO_TEST_CASE(templates_the_llm_flags_become_problems_and_are_analysed) {
    fake_llm_server srv(flags_heartbeat_gap());
    const auto o = opts_for(srv, llm_backend::openai);
    const report r = run(o, quiet_failure).r;
    const problem* gap = find_problem(r, "heartbeat gap");
    BOOST_TEST_REQUIRE(gap != nullptr);
    BOOST_TEST(gap->result.flagged_by_llm);
    BOOST_TEST((gap->result.verdict == classification::major));
    BOOST_TEST(gap->result.reason.starts_with("logged at INFO, but flagged by the LLM: fake triage"), gap->result.reason);
    BOOST_TEST((gap->result.source == analysis_source::llm));  // analysed like the others, after the triage
    BOOST_TEST(!find_problem(r, "Heartbeat ok"));
    BOOST_TEST(!find_problem(r, "Scheduled task"));
    BOOST_TEST(r.llm.triage.candidates == 4u);
    BOOST_TEST(r.llm.triage.asked == 4u);
    BOOST_TEST(r.llm.triage.flagged == 1u);
    BOOST_TEST(r.llm.triage.calls == 1u);
    BOOST_TEST(r.llm.triage.error.empty());
    BOOST_TEST(r.entries_below_threshold == 4u);  // the three routine templates (four lines) stay counted
    BOOST_TEST(srv.triage_requests() == 1u);
    const auto bodies = triage_bodies(srv);
    BOOST_TEST_REQUIRE(bodies.size() == 1u);
    BOOST_TEST(bodies.front().find("Slot 7 reassigned") != std::string::npos);
    BOOST_TEST(bodies.front().find("S3cretPw9x") == std::string::npos);  // redacted before any template was made
    for (const auto& b : srv.bodies()) BOOST_TEST(b.find("S3cretPw9x") == std::string::npos);
    // every report says what the triage did and marks the problem
    std::ostringstream md, js;
    markdown_writer{}.write(r, md);
    json_writer{}.write(r, js);
    BOOST_TEST(md.str().find("templates below the threshold: 4, triaged: 4, LLM calls: 1, flagged as problems: 1") !=
               std::string::npos);
    BOOST_TEST(md.str().find("flagged by the LLM: fake triage") != std::string::npos);
    const auto doc = boost::json::parse(js.str());
    BOOST_TEST(doc.at("llm").at("triage").at("flagged").as_int64() == 1);
    bool marked = false;
    for (const auto& p : doc.at("problems").as_array()) marked = marked || p.at("analysis").at("flagged_by_llm").as_bool();
    BOOST_TEST(marked);

    // negative controls: no triage asked, or no LLM at all: the same line stays below the threshold
    pipeline_options off;
    off.triage = false;
    fake_llm_server srv2(flags_heartbeat_gap());
    const report without = run(opts_for(srv2, llm_backend::openai), quiet_failure, off).r;
    BOOST_TEST(!find_problem(without, "heartbeat gap"));
    BOOST_TEST(srv2.triage_requests() == 0u);
    BOOST_TEST(without.llm.triage.candidates == 0u);
    auto calls0 = opts_for(srv2, llm_backend::openai);
    calls0.triage_calls = 0;
    BOOST_TEST(!find_problem(run(calls0, quiet_failure).r, "heartbeat gap"));
    BOOST_TEST(srv2.triage_requests() == 0u);
}

BOOST_AUTO_TEST_CASE(a_failed_triage_changes_nothing_and_says_so) {
    pipeline_options off;
    off.triage = false;
    for (const auto f : {fake_fault::http_500, fake_fault::bad_schema, fake_fault::reset}) {
        auto cfg = flags_heartbeat_gap();
        cfg.fault = f;
        fake_llm_server srv(cfg);
        auto o = opts_for(srv, llm_backend::openai);
        o.retries = 0;
        const report r = run(o, quiet_failure).r;
        fake_llm_server srv_off(cfg);
        auto o_off = opts_for(srv_off, llm_backend::openai);
        o_off.retries = 0;
        const report base = run(o_off, quiet_failure, off).r;
        BOOST_TEST(problem_ids(r) == problem_ids(base));
        BOOST_TEST(r.entries_below_threshold == base.entries_below_threshold);
        BOOST_TEST(r.llm.triage.flagged == 0u);
        BOOST_TEST(r.llm.triage.not_asked == r.llm.triage.candidates);
        BOOST_TEST(r.llm.triage.candidates == 4u);
        // a dead server fails before the first call (at the readiness check); a bad answer fails the call
        const std::string_view where = f == fake_fault::bad_schema ? "call 1 failed" : "the server at http://127.0.0.1:";
        const std::string_view reset_where = "unreachable";
        BOOST_TEST((r.llm.triage.error.find(where) != std::string::npos ||
                    (f == fake_fault::reset && r.llm.triage.error.find(reset_where) != std::string::npos)),
                   r.llm.triage.error);
        BOOST_TEST(r.llm.triage.error.starts_with("LLM triage (openai, model "), r.llm.triage.error);
        BOOST_TEST(r.llm.triage.error.find("4 templates stay below the threshold untriaged") != std::string::npos);
        std::ostringstream md;
        markdown_writer{}.write(r, md);
        BOOST_TEST(md.str().find("4 templates stay below the threshold untriaged") != std::string::npos);
    }
}

BOOST_AUTO_TEST_CASE(triage_verdicts_are_cached_per_template) {
    const auto dir = std::filesystem::temp_directory_path() / ("loglens-triage-cache-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    fake_llm_server srv(flags_heartbeat_gap());
    auto o = opts_for(srv, llm_backend::openai);
    o.cache_dir = dir.string();
    const report first = run(o, quiet_failure).r;
    BOOST_TEST(srv.triage_requests() == 1u);
    const report again = run(o, quiet_failure).r;
    BOOST_TEST(srv.triage_requests() == 1u);  // every verdict, flagged or not, came from the cache
    BOOST_TEST(again.llm.triage.cache_hits == 4u);
    BOOST_TEST(again.llm.triage.calls == 0u);
    BOOST_TEST(problem_ids(again) == problem_ids(first));
    BOOST_TEST_REQUIRE(find_problem(again, "heartbeat gap") != nullptr);
    BOOST_TEST(find_problem(again, "heartbeat gap")->result.flagged_by_llm);
    // a longer log asks only about its new template
    const report longer = run(o, quiet_failure + "INFO Rebalanced partitions of topic jobs\n").r;
    BOOST_TEST(srv.triage_requests() == 2u);
    BOOST_TEST(longer.llm.triage.cache_hits == 4u);
    BOOST_TEST(longer.llm.triage.asked == 5u);
    const auto bodies = triage_bodies(srv);
    BOOST_TEST(bodies.back().find("Rebalanced partitions") != std::string::npos);
    BOOST_TEST(bodies.back().find("Heartbeat ok") == std::string::npos);
    std::filesystem::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(triage_is_bounded_by_its_calls_and_the_context) {
    auto cfg = flags_heartbeat_gap();
    cfg.n_ctx = 1024;  // llama.cpp answers 400 to a longer prompt
    fake_llm_server srv(cfg);
    auto o = opts_for(srv, llm_backend::openai);
    o.triage_calls = 2;
    o.num_predict = 256;
    std::string text;
    for (char a = 'a'; a <= 'z'; ++a)
        for (char b = 'a'; b <= 'e'; ++b)
            text += std::string("INFO routine stage ") + a + b + " finished its part of the nightly export job\n";
    const report r = run(o, text).r;
    BOOST_TEST(r.llm.triage.candidates == 130u);
    BOOST_TEST(r.llm.triage.calls == 2u);
    BOOST_TEST(srv.triage_requests() == 2u);
    BOOST_TEST(r.llm.triage.asked + r.llm.triage.not_asked == 130u);
    BOOST_TEST(r.llm.triage.not_asked > 0u);
    BOOST_TEST(r.llm.triage.error.find("only 2 calls are made (triage_calls)") != std::string::npos, r.llm.triage.error);
    BOOST_TEST(r.llm.note.find("exceeds") == std::string::npos, r.llm.note);  // no prompt was too long
    BOOST_TEST(r.problems.empty());
    BOOST_TEST(r.entries_below_threshold == 130u);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE_END()  // analyze
