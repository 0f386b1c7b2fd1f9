// The offline side of analysis: knowledge-base signatures on realistic logs, heuristics, redaction, prompt, schema.
// SPDX-License-Identifier: MIT
#include <loglens/loglens.hpp>

#include "support/judge_corpus.hpp"

#include <boost/json.hpp>
#include <boost/regex.hpp>
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

using namespace loglens;

namespace {

struct kb_case {
    std::string expect;  // signature id or "none"
    std::string service;
    std::vector<std::string> lines;
    int line_no = 0;
};

std::vector<kb_case> load_cases() {
    std::ifstream in(std::string(LOGLENS_TEST_DATA_DIR) + "/analyze/kb_cases.txt");
    BOOST_REQUIRE_MESSAGE(in, "cannot open tests/data/analyze/kb_cases.txt");
    std::vector<kb_case> out;
    std::string line;
    int no = 0;
    while (std::getline(in, line)) {
        ++no;
        if (line.starts_with("## ")) {
            std::istringstream hs(line.substr(3));
            kb_case c;
            hs >> c.expect >> c.service;
            c.line_no = no;
            out.push_back(c);
        } else if (line.starts_with("#") || line.empty()) {
            continue;
        } else if (!out.empty()) {
            out.back().lines.push_back(line);
        }
    }
    return out;
}

log_group group_of(const kb_case& c) {
    log_group g;
    g.service = c.service;
    g.level = severity::error;
    g.count = 3;
    g.template_text = c.lines.at(0);
    log_entry e;
    e.service = c.service;
    e.message = c.lines.at(0);
    e.raw = c.lines.at(0);
    e.continuation.assign(c.lines.begin() + 1, c.lines.end());
    if (!e.continuation.empty()) e.exception = e.continuation.back();
    g.exception = e.exception;
    g.samples.push_back(e);
    return g;
}

log_group simple_group(std::string service, std::string text, severity lvl = severity::error) {
    log_group g;
    g.service = std::move(service);
    g.level = lvl;
    g.count = 1;
    g.template_text = text;
    log_entry e;
    e.message = text;
    e.raw = text;
    g.samples.push_back(e);
    return g;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(analyze)

BOOST_AUTO_TEST_CASE(every_kb_case_matches_its_signature) {
    const auto cases = load_cases();
    BOOST_REQUIRE_GE(cases.size(), 40u);
    const auto& kb = knowledge_base::builtin();
    for (const auto& c : cases) {
        // the pipeline redacts before analysis, so signatures must still match redacted text
        redactor red;
        kb_case redacted = c;
        for (auto& l : redacted.lines) l = red.apply(l);
        for (const kb_case* variant : std::vector<const kb_case*>{&c, &redacted}) {
            const auto* s = kb.match(group_of(*variant));
            const std::string got = s ? std::string(s->id) : "none";
            BOOST_TEST(got == c.expect, "kb_cases.txt line " << c.line_no << " (" << c.service << "): expected " << c.expect
                                                             << ", got " << got);
        }
    }
}

BOOST_AUTO_TEST_CASE(every_signature_has_a_case_and_both_languages) {
    std::set<std::string> covered;
    for (const auto& c : load_cases()) covered.insert(c.expect);
    std::set<std::string> ids;
    const auto sigs = knowledge_base::builtin().signatures();
    BOOST_TEST(sigs.size() >= 35u);
    for (const auto* s : sigs) {
        const std::string id(s->id);
        BOOST_TEST(ids.insert(id).second, "duplicate signature id " << id);
        BOOST_TEST(covered.count(id) == 1u, "signature " << id << " has no case in kb_cases.txt");
        BOOST_TEST(id.starts_with(std::string(s->service) + "."), id);
        for (const kb_text* t : {&s->ru, &s->en}) {
            BOOST_TEST(!t->description.empty(), id);
            BOOST_TEST(!t->root_cause.empty(), id);
            BOOST_TEST(!t->recommendations[0].empty(), id);
        }
        BOOST_TEST((s->confidence > 0.0 && s->confidence <= 1.0), id);
        // Russian text really is Russian: it contains Cyrillic (UTF-8 lead bytes 0xD0/0xD1)
        BOOST_TEST(std::string(s->ru.description).find('\xD0') != std::string::npos, id);
    }
    for (const char* must : {"airflow.invalid-fernet-key", "spark.native-hadoop-warning", "redis.misconf",
                             "minio.default-credentials", "minio.storage-full", "spark.gc-overhead-limit"})
        BOOST_TEST(ids.count(must) == 1u, must);
}

BOOST_AUTO_TEST_CASE(matching_is_service_aware) {
    const auto& kb = knowledge_base::builtin();
    const std::string oom = "java.lang.OutOfMemoryError: Java heap space";
    BOOST_TEST(kb.match(simple_group("redis", oom)) == nullptr);  // another family's signature
    BOOST_TEST(kb.match(simple_group("spark-worker-1", oom))->id == "spark.java-heap-oom");
    BOOST_TEST(kb.match(simple_group("my-job", oom))->id == "spark.java-heap-oom");  // unknown service: any family
    // client-side signatures are tried on every service
    BOOST_TEST(kb.match(simple_group("airflow-worker", "OOM command not allowed when used memory > 'maxmemory'."))->id ==
               "redis.maxmemory-oom");
}

BOOST_AUTO_TEST_CASE(user_tables_extend_the_knowledge_base) {
    static constexpr kb_signature mine[] = {{"airflow.custom-etl",
                                             "airflow",
                                             R"(ETL checksum mismatch)",
                                             classification::critical,
                                             false,
                                             0.8,
                                             {"Описание", "Причина", {"Сделать"}},
                                             {"Description", "Cause", {"Do"}}}};
    const knowledge_base kb({mine, kb::airflow});
    const auto* s = kb.match(simple_group("airflow-worker", "ERROR ETL checksum mismatch in batch 7"));
    BOOST_REQUIRE(s);
    BOOST_TEST(s->id == "airflow.custom-etl");
    static constexpr kb_signature bad[] = {{"x.bad", "x", R"((unclosed)", classification::info, false, 0.5, {}, {}}};
    BOOST_CHECK_THROW(knowledge_base({bad}), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(kb_analyzer_in_a_pipeline_keeps_noise_apart_and_speaks_both_languages) {
    const std::string text =
        "WARN NativeCodeLoader: Unable to load native-hadoop library for your platform... using builtin-java classes\n"
        "ERROR Executor: java.lang.OutOfMemoryError: Java heap space\n"
        "ERROR something nobody has seen before\n";
    for (auto lang : {language::ru, language::en}) {
        pipeline_options po;
        po.lang = lang;
        pipeline<plain_parser, exact_grouper, knowledge_base_analyzer> p(po);
        p.ingest_text(text, {"spark.log", "spark-worker"});
        const report r = p.analyse();
        BOOST_REQUIRE_EQUAL(r.noise.size(), 1u);
        BOOST_TEST(r.noise[0].result.signature == "spark.native-hadoop-warning");
        BOOST_TEST(r.noise[0].result.benign);
        BOOST_REQUIRE_EQUAL(r.problems.size(), 2u);
        const auto& oom = r.problems[0].result;
        BOOST_TEST((oom.source == analysis_source::knowledge_base));
        BOOST_TEST((oom.verdict == classification::critical));
        BOOST_TEST(oom.signature == "spark.java-heap-oom");
        BOOST_TEST(oom.recommendations.size() >= 3u);
        const auto& unknown = r.problems[1].result;
        BOOST_TEST((unknown.source == analysis_source::heuristic));
        BOOST_TEST((unknown.verdict == classification::major));
        if (lang == language::en) {
            BOOST_TEST(oom.description.find("heap") != std::string::npos);
            BOOST_TEST(unknown.description.find("heuristic") != std::string::npos);
        } else {
            BOOST_TEST(oom.description.find("heap") != std::string::npos);
            BOOST_TEST(unknown.description.find("эвристическая") != std::string::npos);
        }
    }
}

BOOST_AUTO_TEST_CASE(heuristics_use_severity_count_and_exception) {
    auto g = simple_group("app", "WARN queue is slow", severity::warning);
    BOOST_TEST((heuristic_analysis(g, language::en).verdict == classification::warning));
    g.count = 5000;
    BOOST_TEST((heuristic_analysis(g, language::en).verdict == classification::minor));
    auto e = simple_group("app", "ERROR worker died", severity::error);
    e.exception = "MemoryError: cannot allocate";
    const auto a = heuristic_analysis(e, language::en);
    BOOST_TEST((a.verdict == classification::critical));
    BOOST_TEST((a.source == analysis_source::heuristic));
    BOOST_TEST(a.root_cause.find("MemoryError") != std::string::npos);
    BOOST_TEST(a.confidence < 0.5);
    BOOST_TEST(a.description.starts_with("An error message in service app"), a.description);
    BOOST_TEST(heuristic_analysis(g, language::en).description.starts_with("A warning message"));
}

// ---- redaction: one case per secret kind --------------------------------------------------------------------

struct secret_case {
    const char* kind;
    std::string text;
    std::string secret;
};

std::vector<secret_case> secret_cases() {
    return {
        {"url-password", "ERROR could not connect postgresql+psycopg2://airflow:Sup3rS3cret@postgres:5432/airflow",
         "Sup3rS3cret"},
        {"url-password", "Error 111 connecting to redis://:r3disPassw0rd@redis:6379/0", "r3disPassw0rd"},
        {"password", "WARN login failed password=hunter2xyz user=bob", "hunter2xyz"},
        {"password", R"(ERROR config {"db_password": "js0nPassw0rd", "host": "db"})", "js0nPassw0rd"},
        {"secret", "INFO AIRFLOW__CORE__SECRET_TOKEN: tok3nValue99", "tok3nValue99"},
        {"password", "WARN connect failed: host=db dbname=dwh user=etl password=Libpq-pw-3Uy7 sslmode=disable",
         "Libpq-pw-3Uy7"},
        {"password", "ERROR GET /export?user=etl&pwd=Qs-pw-5Rt9&format=csv returned 401", "Qs-pw-5Rt9"},
        {"password", "ERROR keystore: -Dspark.ssl.keyStorePassword=Spark-Ssl-pw-8Kk2 -Dspark.ssl.enabled=true",
         "Spark-Ssl-pw-8Kk2"},
        {"password", "ERROR ssl: --keystore-password Spark-Ssl-pw-8Kk2 rejected", "Spark-Ssl-pw-8Kk2"},
        {"password", R"(ERROR {\"db\": {\"password\": \"Esc-pw-4Rr2\"}})", "Esc-pw-4Rr2"},
        {"aws-access-key", "ERROR access key AKIA2E0A8F3B244C9986 secret wJalrXUtnFEMI/K7MDENG/bPxRfiCYzQ9v1mK3rT",
         "AKIA2E0A8F3B244C9986"},
        {"aws-secret-key", "ERROR access key AKIA2E0A8F3B244C9986 secret wJalrXUtnFEMI/K7MDENG/bPxRfiCYzQ9v1mK3rT",
         "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzQ9v1mK3rT"},
        {"github-token", "ERROR clone failed with token ghp_R4nd0mT0k3nV4lu3F0rT3st1ngPurp0s3s",
         "ghp_R4nd0mT0k3nV4lu3F0rT3st1ngPurp0s3s"},
        {"slack-token", "ERROR Slack notification failed: invalid_auth for xoxb-2233445566-7788990011-PlantedSlackBotTok3n",
         "PlantedSlackBotTok3n"},
        {"slack-webhook",
         "ERROR POST https://hooks.slack.com/services/T0PLANT01/B0PLANT02/Pl4ntedW3bh00kS3cr3tXyz returned 404",
         "Pl4ntedW3bh00kS3cr3tXyz"},
        {"fernet-key", "ERROR Invalid Fernet key 'Ht4kQ2m9XcZpL0vB7nWq3sEr5tYu8iOa1dFg6hJk-lA=' given",
         "Ht4kQ2m9XcZpL0vB7nWq3sEr5tYu8iOa1dFg6hJk-lA"},
        {"basic-auth", "ERROR 401, sent Authorization: Basic bWluaW86QmFzaWMtcHctOFh4OA==", "bWluaW86QmFzaWMtcHctOFh4OA"},
        {"redis-password", "# Bad directive or wrong number of arguments: requirepass Req-pw-5Gg7 extra", "Req-pw-5Gg7"},
        {"redis-password", R"(# Slow command: 1699044000.123456 [0 172.18.0.5:51234] "AUTH" "Auth-cmd-pw-2Dd6")",
         "Auth-cmd-pw-2Dd6"},
        {"redis-password", "# MASTER aborted replication: masterauth Master-pw-9Ll1 is wrong", "Master-pw-9Ll1"},
        {"url-password", "ERROR Cannot connect to amqp://celery:Amqp-pw-9Hj3@rabbitmq:5672//", "Amqp-pw-9Hj3"},
        {"url-password", "ERROR mongodb+srv://app:Mongo-pw-4Ws8@cluster0.example.net/db?retryWrites=true", "Mongo-pw-4Ws8"},
        {"url-password", "ERROR jdbc:postgresql://spark:Jdbc-pw-5Tz1@postgres:5432/dwh refused", "Jdbc-pw-5Tz1"},
        {"url-password", "WARN redis://:pa/ss-w0rd@redis:6379/0 unreachable", "pa/ss-w0rd"},
        {"api-key", R"(ERROR alerting failed {"headers": {"X-Api-Key": "Ak-Pl4nted-91f3cQ7z"}})", "Ak-Pl4nted-91f3cQ7z"},
        {"token", "ERROR login failed: access_token=gh0-Zx9Yw8Vu7Ts6 expired", "gh0-Zx9Yw8Vu7Ts6"},
        {"high-entropy-token", "ERROR Vault login failed, token Zk9fQ2xR7vN4pL8sT1wY6bH3 rejected",
         "Zk9fQ2xR7vN4pL8sT1wY6bH3"},
        {"aws-access-key", "ERROR s3 client with key AKIAIOSFODNN7EXAMPLE failed", "AKIAIOSFODNN7EXAMPLE"},
        {"aws-secret-key", "DEBUG aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
         "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"},
        {"aws-secret-key", "INFO spark.hadoop.fs.s3a.secret.key=m1n10S3cretK3yValue", "m1n10S3cretK3yValue"},
        {"minio-credential", "INFO MINIO_ROOT_PASSWORD=minioR00tPass!", "minioR00tPass!"},
        {"minio-credential", "RootPass: minioR00tPass2", "minioR00tPass2"},
        {"fernet-key", "INFO AIRFLOW__CORE__FERNET_KEY=46BKJoQYlPPOexq0OhDZnIlNepKFf87WFwLbfzqDDho=",
         "46BKJoQYlPPOexq0OhDZnIlNepKFf87WFwLbfzqDDho"},
        {"bearer-token", "ERROR 401 with Authorization: Bearer sk-live-0123456789abcdefXYZ", "sk-live-0123456789abcdefXYZ"},
        {"jwt", "WARN token rejected eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhaXJmbG93In0.c2lnbmF0dXJlX2hlcmU",
         "eyJzdWIiOiJhaXJmbG93In0"},
        {"redis-password", "INFO starting redis-server --requirepass R3d1sReq", "R3d1sReq"},
    };
}

BOOST_AUTO_TEST_CASE(redaction_covers_every_secret_kind) {
    for (const auto& c : secret_cases()) {
        redactor red;
        const std::string out = red.apply(c.text);
        BOOST_TEST(out.find(c.secret) == std::string::npos, c.kind << ": " << out);
        BOOST_TEST(out.find("<redacted:") != std::string::npos, c.kind << ": " << out);
        BOOST_TEST(red.counts().count(c.kind) == 1u, c.kind << ": " << out);
    }
}

// The scanner looks at 16 bytes at once and skips spaces that follow no secret word: a secret must be found
// wherever it falls against those blocks (across one, in the last bytes of a text, in a text under 16 bytes),
// in either case, after every secret word that may precede its value with only a space.
BOOST_AUTO_TEST_CASE(redaction_does_not_depend_on_where_a_secret_falls) {
    for (std::string_view word : detail::secrets::words_before_a_space) {
        for (const bool upper : {false, true}) {
            std::string w(word);
            if (upper)
                for (auto& c : w) c = static_cast<char>(c - 'a' + 'A');
            for (std::size_t pad = 0; pad < 34; ++pad) {
                const std::string line = std::string(pad, 'x') + " " + w + " Zq8vN3kLp2Rt7WmXc4Hs";
                redactor red;
                const auto out = red.apply(line);
                BOOST_TEST(out.find("Zq8vN3kLp2Rt7WmXc4Hs") == std::string::npos, line << " -> " << out);
            }
        }
    }
    for (std::size_t pad = 0; pad < 34; ++pad) {  // the other triggers too: `:` of a URL, `=` of a key
        redactor red;
        const auto url = red.apply(std::string(pad, 'y') + " postgresql://airflow:Pw9secretQ@db/airflow");
        const auto kv = red.apply(std::string(pad, 'y') + " password=Pw9secretQ");
        BOOST_TEST(url.find("Pw9secretQ") == std::string::npos, url);
        BOOST_TEST(kv.find("Pw9secretQ") == std::string::npos, kv);
    }
}

BOOST_AUTO_TEST_CASE(redaction_is_stable_and_keeps_context) {
    redactor red;
    const auto a = red.apply("connect postgresql://u:pw1secret@db/x");
    const auto b = red.apply("retry postgresql://u:pw1secret@db/x and mysql://v:pw2secret@db/y");
    BOOST_TEST(a == "connect postgresql://u:<redacted:url-password:1>@db/x");
    BOOST_TEST(b == "retry postgresql://u:<redacted:url-password:1>@db/x and mysql://v:<redacted:url-password:2>@db/y");
    BOOST_TEST(red.counts().at("url-password") == 3u);
    BOOST_TEST(red.apply(a) == a);  // idempotent: placeholders are never redacted again
    BOOST_TEST(red.apply("password authentication failed for user \"airflow\"") ==
               "password authentication failed for user \"airflow\"");
}

BOOST_AUTO_TEST_CASE(text_that_only_looks_like_a_placeholder_hides_nothing) {
    // found by fuzz_redactor: an unclosed `<redacted:` was skipped up to the next `>`, so the secrets after it,
    // on this line and the next ones, were left in the text
    redactor red;
    const std::string text =
        "note <redacted:d to load kex\nlogin with access key AKIA2E0A8F31C29449B6 ok\n"
        "<redacted:Password:1> then requirepass S3cretRedisPw9 <redacted:token:x>";
    const auto out = red.apply(text);
    BOOST_TEST(out.find("AKIA2E0A8F31C29449B6") == std::string::npos, out);
    BOOST_TEST(out.find("S3cretRedisPw9") == std::string::npos, out);
    BOOST_TEST(out.find("note <redacted:d to load kex") == 0u, "the look-alike itself stays as it was");
    BOOST_TEST(red.apply(out) == out, "and redacting again changes nothing");
    // nor does a value that only starts like one: a quoted password, the Redis AUTH arguments
    for (const std::string line : {"password=\"<redacted:x S3cretPw9x\"", "AUTH <redacted:fake S3cretPw9x",
                                   "client sent AUTH app <redacted:S3cretPw9x"}) {
        const auto o = red.apply(line);
        BOOST_TEST(o.find("S3cretPw9x") == std::string::npos, o);
        BOOST_TEST(red.apply(o) == o);
    }
    // a real placeholder is still passed over
    BOOST_TEST(red.apply("key <redacted:aws-access-key:1> ok") == "key <redacted:aws-access-key:1> ok");
    BOOST_TEST(red.apply("AUTH <redacted:redis-password:1>") == "AUTH <redacted:redis-password:1>");
    BOOST_TEST(red.apply("password=\"<redacted:password:1>\"") == "password=\"<redacted:password:1>\"");
}

BOOST_AUTO_TEST_CASE(a_header_is_left_unscanned_only_when_nothing_in_it_could_be_a_secret) {
    using detail::secrets::plain_header;
    // the headers of the usual formats: timestamp, level, component, digits and punctuation
    BOOST_TEST(
        plain_header("[2025-11-03T20:00:00.000+0000] {scheduler_job_runner.py:400} INFO - ", "scheduler_job_runner.py"));
    BOOST_TEST(plain_header("25/11/03 20:00:00 INFO BlockManagerInfo: ", "BlockManagerInfo"));
    BOOST_TEST(plain_header("1:M 03 Nov 2025 20:00:00.021 * ", "master"));
    BOOST_TEST(plain_header("2025-11-03 20:36:30.400 UTC [1] LOG:  ", ""));
    // anything a rule could read is scanned: a secret word, a token shape, `=`, `@`, quotes, `_` outside the
    // component, a component that is itself a secret word, the component glued to more letters
    for (std::string_view h : {"2025-11-03 20:00:00 password: ", "2025-11-03 20:00:00 AKIA2E0A8F31C29449B6 ",
                               "[2025-11-03] {x.py:1} INFO - eyJhbGciOi ", "2025-11-03 k=v INFO ", "2025-11-03 a@b INFO ",
                               "2025-11-03 \"x\" INFO ", "2025-11-03 ghp_ INFO ", "2025-11-03 Bearer INFO ", "-----BEGIN ",
                               "AUTH ", "25/11/03 20:00:00 INFO pwd: "})
        BOOST_TEST(!plain_header(h, "x.py"), h);
    BOOST_TEST(!plain_header("25/11/03 20:00:00 INFO SecretStore: ", "SecretStore"));
    BOOST_TEST(!plain_header("25/11/03 20:00:00 INFO BlockManagerInfoToken: ", "BlockManagerInfo"));

    // the property the skip relies on, over every header of the real, planted and Loghub logs and the examples:
    // a header it leaves unscanned is one in which the scanner finds nothing
    std::vector<std::filesystem::path> files;
    for (const auto& dir :
         {std::filesystem::path(LOGLENS_TEST_DATA_DIR) / "real", std::filesystem::path(LOGLENS_TEST_DATA_DIR) / "secrets",
          std::filesystem::path(LOGLENS_SOURCE_DIR) / "examples" / "logs"})
        for (const auto& f : std::filesystem::directory_iterator(dir))
            if (f.path().extension() == ".log") files.push_back(f.path());
    for (const auto& f :
         std::filesystem::recursive_directory_iterator(std::filesystem::path(LOGLENS_TEST_DATA_DIR) / "loghub-2k"))
        if (f.path().string().ends_with("_2k.log")) files.push_back(f.path());
    BOOST_TEST(files.size() >= 50u);
    std::size_t headers = 0, plain = 0;
    for (const auto& path : files) {
        std::ifstream in(path, std::ios::binary);
        std::stringstream ss;
        ss << in.rdbuf();
        compose_parser p;
        p.start({path.string(), path.stem().string()});
        const auto sink = [&](log_entry&& e) {
            if (!e.raw.ends_with(e.message) || e.raw.size() == e.message.size()) return;
            const auto head = std::string_view(e.raw).substr(0, e.raw.size() - e.message.size());
            ++headers;
            if (!plain_header(head, e.component)) return;
            ++plain;
            std::vector<detail::secrets::span> spans;
            detail::secrets::line_scanner scanner(head, spans);
            scanner.run();
            scanner.merge_pending();
            BOOST_TEST(spans.empty(), path.filename().string() << ": " << head);
        };
        p.feed(ss.str(), sink);
        p.finish(sink);
    }
    BOOST_TEST_MESSAGE("headers " << headers << ", left unscanned " << plain);
    BOOST_TEST(plain * 2 > headers, "most headers of real logs are plain");

    // a secret in a header is still found, and one in the component too
    redactor red;
    log_entry e;
    e.message = "connection received";
    e.raw = "2025-11-03 20:36:30.400 UTC [1] password=Hunter2Hunter2 LOG:  " + e.message;
    red.redact(e);
    BOOST_TEST(e.raw.find("Hunter2Hunter2") == std::string::npos, e.raw);
    log_entry c;
    c.message = "started";
    c.component = "AKIA2E0A8F31C29449B6";
    c.raw = "25/11/03 20:00:00 INFO AKIA2E0A8F31C29449B6: started";
    red.redact(c);
    BOOST_TEST(c.raw.find("AKIA2E0A8F31C29449B6") == std::string::npos, c.raw);
    BOOST_TEST(c.component.find("AKIA2E0A8F31C29449B6") == std::string::npos, c.component);
}

BOOST_AUTO_TEST_CASE(private_key_blocks_are_redacted_whole_and_over_one_entry) {
    const std::string body = "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gunVTLw";
    redactor red;
    const auto one = red.apply("key: -----BEGIN RSA PRIVATE KEY-----\n" + body + "\n-----END RSA PRIVATE KEY----- done");
    BOOST_TEST(one.find(body) == std::string::npos);
    BOOST_TEST(one.find("done") != std::string::npos);
    // spread over the continuation lines of one entry, as compose_parser folds it
    log_entry e;
    e.message = "Failed to load private key for sftp_default";
    e.continuation = {"-----BEGIN OPENSSH PRIVATE KEY-----", body,
                      body.substr(0, 40) + "==", "-----END OPENSSH PRIVATE KEY-----",
                      "paramiko.ssh_exception.SSHException: not a valid key"};
    red.redact(e);
    BOOST_TEST(e.message == "Failed to load private key for sftp_default");
    BOOST_TEST(e.continuation[1].starts_with("<redacted:private-key:"));
    BOOST_TEST(e.continuation[2] == e.continuation[1]);
    BOOST_TEST(e.continuation[3] == "-----END OPENSSH PRIVATE KEY-----");
    BOOST_TEST(e.continuation[4] == "paramiko.ssh_exception.SSHException: not a valid key");
    // a block that never ends stays within its entry: the next entry is not blanked (issue #19)
    log_entry cut;
    cut.message = "key follows";
    cut.continuation = {"-----BEGIN PRIVATE KEY-----", body};
    red.redact(cut);
    BOOST_TEST(cut.continuation[1].find(body) == std::string::npos);
    log_entry next;
    next.message = "QWxhZGRpbjpvcGVuIHNlc2FtZQ";  // base64-looking, but its own entry
    next.continuation = {"dGhlIHF1aWNrIGJyb3duIGZveA"};
    red.redact(next);
    BOOST_TEST(next.message == "QWxhZGRpbjpvcGVuIHNlc2FtZQ");
    BOOST_TEST(next.continuation[0] == "dGhlIHF1aWNrIGJyb3duIGZveA");
    BOOST_TEST(red.apply(body) == body);  // and no state carries from one call to the next
}

BOOST_AUTO_TEST_CASE(ordinary_lines_are_not_redacted) {
    // identifiers with diagnostic value, and prose around secret words, from real Airflow/Spark/Redis/MinIO logs
    const std::vector<std::string> lines = {
        "INFO git-sync: synced commit 3f2a9c8d1e0b7a6f5c4d3e2b1a09f8e7d6c5b4a3 of https://github.com/acme/dags",
        "INFO Running <TaskInstance: etl.load run_id=scheduled__2025-11-03T00:00:00+00:00 [queued]> id 123e4567-e89b-12d3-a456-426614174000",
        "INFO Container 3f9c2b7d1e04a5b6c7d8e9f00112233445566778899aabbccddeeff0011223344 started",
        "INFO BLOCK* NameSystem.allocateBlock: /user/root/rand/_temporary/part-00000. blk_-1608999687919862906",
        "INFO request_id=7b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0 trace_id=4bf92f3577b34da6a3ce929d0e0e4736 span_id=00f067aa0ba902b7",
        "INFO sha256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU= digest of /opt/spark/jars/spark-core_2.12-3.5.1.jar",
        "INFO etag=\"d41d8cd98f00b204e9800998ecf8427e\" x-amz-request-id=17A6C5E3D2B1F0E9",
        "FATAL:  password authentication failed for user \"airflow\"",
        "Failed password for invalid user admin from 10.0.0.5 port 52244 ssh2",
        "WARN token_type=bearer expires_in=3600 max_tokens=100 num_tokens=42",
        "INFO PWD=/opt/airflow HOME=/home/airflow",
        "INFO Auth successful for job_1445144423722_0020 (auth:SIMPLE)",
        "INFO SecurityManager: authentication disabled; ui acls disabled; users with view permissions: Set(spark)",
        "WARN password_file=/run/secrets/db_password secret_name=airflow-db auth_method=scram-sha-256",
        "ERROR Task failed: AIRFLOW__SECRETS__BACKEND_KWARGS is not set",
        "INFO Loading offline registry hive: SAM, into registry key '{bf1a281b-ad7b-4476-ac95-f47682990ce7}GLOBALROOT/Device/SAM'",
        "WARN key rejected: AKIA-style ids look like AKIA followed by 16 characters",
        "INFO token=android.os.BinderProxy@2b3e9e5 Token{41e8f2 ActivityRecord}",
        "INFO password: <redacted:password:1> and ${DB_PASSWORD} and %(password)s and ******",
        // names that start like provider keys: a host, a model path, a test name, a scikit-learn estimator
        "INFO connecting to sk-prod-cluster-01-eu-west-1.internal:7077 as task-0123456789abcdefABCDEF",
        "INFO loading self.hf_model_name_or_path from hf_cache_dir_for_the_sentence_transformers_models",
        "WARN sk_test_payment_intent_is_created_with_a_long_name failed; npm_config_cache=/tmp/npm",
        "INFO fitted sk-learn RandomForestClassifier(n_estimators=100) glpat-rotation-job succeeded",
    };
    redactor red;
    for (const auto& l : lines) BOOST_TEST(red.apply(l) == l);
    BOOST_TEST(red.counts().empty());
}

// ---- redaction properties over the planted-secret corpus (tests/data/secrets) ---------------------------------

std::vector<std::pair<std::string, std::string>> planted_secrets() {
    std::ifstream in(std::string(LOGLENS_TEST_DATA_DIR) + "/secrets/secrets.tsv");
    BOOST_REQUIRE_MESSAGE(in, "cannot open tests/data/secrets/secrets.tsv");
    std::vector<std::pair<std::string, std::string>> out;
    for (std::string line; std::getline(in, line);) {
        if (line.empty() || line[0] == '#') continue;
        const auto tab = line.find('\t');
        out.emplace_back(line.substr(0, tab), line.substr(tab + 1));
    }
    return out;
}

std::vector<log_entry> planted_entries() {
    std::ifstream in(std::string(LOGLENS_TEST_DATA_DIR) + "/secrets/planted.log", std::ios::binary);
    BOOST_REQUIRE_MESSAGE(in, "cannot open tests/data/secrets/planted.log");
    std::stringstream ss;
    ss << in.rdbuf();
    std::vector<log_entry> out;
    compose_parser p;
    p.start({"planted.log", "planted"});
    const auto sink = [&](log_entry&& e) { out.push_back(std::move(e)); };
    p.feed(ss.str(), sink);
    p.finish(sink);
    return out;
}

std::string all_text(const log_entry& e) {
    std::string t = e.message + "\n" + e.raw + "\n" + e.exception + "\n" + e.component + "\n";
    for (const auto& l : e.continuation) t += l + "\n";
    return t;
}

// Every `<redacted:` starts a well-formed placeholder: a kind of lower-case words and a number.
bool placeholders_well_formed(const std::string& t) {
    static const boost::regex ph(R"(<redacted:[a-z]+(-[a-z0-9]+)*:[0-9]+>)");
    for (auto at = t.find("<redacted:"); at != std::string::npos; at = t.find("<redacted:", at + 1)) {
        boost::smatch m;
        if (!boost::regex_search(t.cbegin() + static_cast<std::ptrdiff_t>(at), t.cend(), m, ph, boost::match_continuous))
            return false;
    }
    return true;
}

BOOST_AUTO_TEST_CASE(planted_secrets_are_redacted_once_and_for_good) {
    const auto secrets = planted_secrets();
    BOOST_TEST(secrets.size() >= 30u);
    auto entries = planted_entries();
    redactor red;
    for (auto& e : entries) red.redact(e);
    std::string all;
    for (const auto& e : entries) all += all_text(e);
    for (const auto& [kind, secret] : secrets) BOOST_TEST(all.find(secret) == std::string::npos, "leaked: " << kind);
    BOOST_TEST(placeholders_well_formed(all));
    // idempotent: redacting the redacted entries again changes nothing and counts nothing
    const auto counted = red.counts();
    for (auto& e : entries) {
        const auto before = all_text(e);
        red.redact(e);
        BOOST_TEST(all_text(e) == before);
    }
    BOOST_TEST(red.counts() == counted);
}

BOOST_AUTO_TEST_CASE(the_same_secret_gets_the_same_placeholder_in_every_entry) {
    redactor red;
    log_entry a, b, c;
    a.message = "Could not connect to postgresql+psycopg2://airflow:Pg-Dsn-pw-7Qx2@postgres:5432/airflow";
    b.message = R"({"levelname": "ERROR", "sql_alchemy_conn": "postgresql://airflow:Pg-Dsn-pw-7Qx2@postgres/airflow"})";
    c.message = "Could not connect to postgresql+psycopg2://airflow:Other-pw-1Aa1@postgres:5432/airflow";
    a.raw = "[2025-11-03T20:40:00.000+0000] {base_job.py:84} ERROR - " + a.message;
    for (auto* e : {&a, &b, &c}) red.redact(*e);
    const auto ph = [](const std::string& t) {
        return t.substr(t.find("<redacted:"), t.find('>', t.find("<redacted:")) - t.find("<redacted:") + 1);
    };
    BOOST_TEST(ph(a.message) == "<redacted:url-password:1>");
    BOOST_TEST(ph(b.message) == ph(a.message));
    BOOST_TEST(ph(c.message) == "<redacted:url-password:2>");
    BOOST_TEST(a.raw == "[2025-11-03T20:40:00.000+0000] {base_job.py:84} ERROR - " + a.message);
    BOOST_TEST(red.counts().at("url-password") == 3u);
}

// ---- prompt, schema, cache key ------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(prompt_fits_num_ctx_by_construction) {
    log_group g = simple_group("airflow-scheduler", std::string(50000, 'x') + " Failed to import");
    g.count = 42;
    g.exception = "ModuleNotFoundError: No module named 'pandas_gbq'";
    for (int i = 0; i < 3; ++i) {
        log_entry e;
        e.raw = std::string(10 * 1024 * 1024, 'a');  // a 10 MB line
        for (int k = 0; k < 2000; ++k)
            e.continuation.push_back("  File \"/opt/airflow/dags/x.py\", line " + std::to_string(k));
        e.continuation.push_back("ModuleNotFoundError: No module named 'pandas_gbq'");
        g.samples.push_back(e);
    }
    g.params.push_back({"<*>", {{"pandas_gbq", 40}, {"Привет, мир", 2}}, 0});
    const analysis known = offline_analysis(g, language::ru);
    for (int ctx : {1024, 2048, 8192, 32768}) {
        const auto msgs = build_prompt(g, known, language::ru, ctx, 512);
        std::size_t tokens = 0;
        for (const auto& m : msgs) tokens += detail::estimate_tokens(m.content);
        tokens += detail::estimate_tokens(boost::json::serialize(analysis_schema()));
        BOOST_TEST(tokens + 512 <= static_cast<std::size_t>(std::max(ctx, 1024 + 512)),
                   "num_ctx " << ctx << ": " << tokens);
        const auto& user = msgs.at(1).content;
        BOOST_TEST(user.find("Шаблон:") != std::string::npos);
        BOOST_TEST(user.find("повторений: 42") != std::string::npos);
        if (ctx >= 8192) {
            BOOST_TEST(user.find("airflow.dag-import-missing-module") != std::string::npos);  // what the KB knows
            BOOST_TEST(user.find("No module named 'pandas_gbq'") != std::string::npos);       // traceback tail kept
            BOOST_TEST(user.find("pandas_gbq (40)") != std::string::npos);                    // top parameter values
        }
    }
    const auto en = build_prompt(g, known, language::en, 8192, 512);
    BOOST_TEST(en.at(0).content.find("English") != std::string::npos);
    BOOST_TEST(en.at(1).content.find("Template:") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(answers_are_validated_against_the_schema) {
    std::string err;
    auto ok = validate_answer(R"(```json
{"classification":"critical","description":"d","root_cause":"r","recommendations":["a","b"],"confidence":0.9}
```)",
                              err);
    BOOST_REQUIRE(ok);
    BOOST_TEST((ok->verdict == classification::critical));
    BOOST_TEST(ok->recommendations.size() == 2u);
    BOOST_TEST((ok->source == analysis_source::llm));
    BOOST_TEST(!validate_answer(
        R"({"classification":"catastrophic","description":"d","root_cause":"r","recommendations":["a"],"confidence":0.5})",
        err));
    BOOST_TEST(err.find("classification") != std::string::npos);
    // an out-of-range number is repaired (tests/unit/test_analyze_llm.cpp); a confidence that is no number is not
    BOOST_TEST(!validate_answer(
        R"({"classification":"minor","description":"d","root_cause":"r","recommendations":["a"],"confidence":"high"})",
        err));
    BOOST_TEST(err.find("confidence") != std::string::npos);
    BOOST_TEST(!validate_answer(
        R"({"classification":"minor","description":"  ","root_cause":"r","recommendations":[],"confidence":0.5})", err));
    BOOST_TEST(err.find("description") != std::string::npos);
    BOOST_TEST(err.find("recommendations") != std::string::npos);
    BOOST_TEST(!validate_answer("I think it is a network problem.", err));
    const auto schema = analysis_schema();
    BOOST_TEST(schema.at("properties").at("classification").at("enum").as_array().size() == 5u);
    BOOST_TEST(schema.at("required").as_array().size() == 5u);
}

BOOST_AUTO_TEST_CASE(cache_key_covers_what_determines_the_answer) {
    llm_options o;
    o.backend = llm_backend::ollama;
    log_group g = simple_group("redis", "MISCONF Redis is configured to save RDB snapshots");
    const auto k1 = llm_cache::key(g, o, language::ru);
    g.count = 1000;  // more of the same: same answer
    BOOST_TEST(llm_cache::key(g, o, language::ru) == k1);
    BOOST_TEST(llm_cache::key(g, o, language::en) != k1);
    auto o2 = o;
    o2.model = "llama3.1:8b";
    BOOST_TEST(llm_cache::key(g, o2, language::ru) != k1);
    auto o3 = o;
    o3.temperature = 0.7;
    BOOST_TEST(llm_cache::key(g, o3, language::ru) != k1);
    // which samples happened to be kept does not decide the answer (a longer log keeps other ones)
    g.samples[0].message += " again";
    BOOST_TEST(llm_cache::key(g, o, language::ru) == k1);
    auto other = g;
    other.template_text += " <*>";
    BOOST_TEST(llm_cache::key(other, o, language::ru) != k1);
    other = g;
    other.id = "0123456789ab";
    BOOST_TEST(llm_cache::key(other, o, language::ru) != k1);
    other = g;
    other.exception = "OSError: disk full";
    BOOST_TEST(llm_cache::key(other, o, language::ru) != k1);
}

BOOST_AUTO_TEST_CASE(settings_are_checked_with_clear_messages) {
    llm_options o;
    o.backend = llm_backend::ollama;
    o.url = "https://ollama.example.com";
    const auto p = probe_llm(o);
    BOOST_TEST(!p.reachable);
    BOOST_TEST(p.message.find("OLLAMA_BASE_URL") != std::string::npos, p.message);
    BOOST_TEST(p.message.find("https://") != std::string::npos, p.message);
    o.url = "ftp://x";
    BOOST_TEST(probe_llm(o).message.find("http://") != std::string::npos);
    BOOST_TEST(probe_llm(llm_options{}).message.find("off") != std::string::npos);
    BOOST_TEST(detail::with_tag("mistral") == "mistral:latest");
    BOOST_TEST(detail::with_tag("qwen2.5:3b") == "qwen2.5:3b");
    BOOST_TEST(detail::with_tag("registry.local:5000/team/model") == "registry.local:5000/team/model:latest");
    BOOST_TEST((parse_llm_backend("OpenAI") == llm_backend::openai));
}

// ---- the problem judgement ----

namespace {

log_group timed_group(std::string service, std::string text, severity lvl, int count, double every_s,
                      std::chrono::sys_seconds start = std::chrono::sys_days{std::chrono::year{2024} / 5 / 14}) {
    log_group g = simple_group(std::move(service), std::move(text), lvl);
    g.count = static_cast<std::uint64_t>(count);
    for (int i = 0; i < count; ++i)
        g.occurrences.push_back(start + std::chrono::milliseconds(static_cast<long long>(i * every_s * 1000)));
    g.first_seen = g.occurrences.front();
    g.last_seen = g.occurrences.back();
    g.samples.front().line = 1;
    return g;
}

std::vector<group_judgement> judge_all(const std::vector<log_group>& groups) {
    std::vector<analysis> known;
    for (const auto& g : groups) known.push_back(offline_analysis(g, language::en));
    return judge_groups(groups, known, severity::warning, language::en);
}

}  // namespace

BOOST_AUTO_TEST_CASE(judgement_sees_failures_logged_below_the_threshold) {
    const std::vector<log_group> groups = {
        simple_group("airflow-scheduler", "timeout reached: postgres:5432 is not reachable, giving up", severity::info),
        simple_group("spark-driver", "Executor updated: app-1/5 is now EXITED (Command exited with code 1)",
                     severity::info),
        simple_group("minio", "Status:         2 Online, 2 Offline.", severity::info),
        simple_group("minio", "Processed 1200 objects in 3 s", severity::info)};
    const auto j = judge_all(groups);
    BOOST_TEST(j[0].problem);
    BOOST_TEST(j[0].reason.starts_with("logged at INFO, but: "), j[0].reason);
    BOOST_TEST(j[1].problem);
    BOOST_TEST(j[2].problem);
    BOOST_TEST(j[2].reason.find("offline") != std::string::npos, j[2].reason);
    BOOST_TEST(!j[3].problem);
}

BOOST_AUTO_TEST_CASE(judgement_is_not_fooled_by_the_usual_traps) {
    for (const char* text : {"validation finished, no errors found", "server: error_log=/var/log/app/error.log",
                             "web: ErrorHandler initialized", "batch done processed=120 errors=0 failed=0",
                             "connection dropped, retrying... ok", "the task is retried if it fails",
                             "report: 0 errors, 0 warnings", "Process (143) terminated with exit code 0", "Timeout: 120"}) {
        const auto j = judge_all({simple_group("app", text, severity::info)});
        BOOST_TEST(!j[0].problem, text << ": " << j[0].reason);
    }
}

BOOST_AUTO_TEST_CASE(judgement_finds_wait_loops_and_restart_loops_by_behaviour) {
    // a wait that repeats every 10 s to the end of the service's log
    auto wait = timed_group("spark-worker", "Connecting to master spark-master:7077...", severity::info, 5, 10);
    auto loop = judge_all({wait});
    BOOST_TEST(loop[0].problem);
    BOOST_TEST(loop[0].loop);
    BOOST_TEST(loop[0].reason.find("repeats every 10 s for 40 s with no progress") != std::string::npos, loop[0].reason);
    // the same wait, followed by an hour of other work: it ended, so no problem
    auto later = timed_group("spark-worker", "Registered with master", severity::info, 2, 3600,
                             std::chrono::time_point_cast<std::chrono::seconds>(*wait.last_seen) + std::chrono::seconds(5));
    BOOST_TEST(!judge_all({wait, later})[0].problem);
    // a start-up banner four times in two minutes: a restart loop even though the banner itself is harmless
    auto banner = timed_group("redis", "oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo", severity::info, 4, 40);
    const auto r = judge_all({banner});
    BOOST_TEST(r[0].problem);
    BOOST_TEST(r[0].reason.find("restart loop") != std::string::npos, r[0].reason);
    BOOST_TEST(!judge_all({timed_group("redis", "oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo", severity::info, 1, 0)})[0]
                    .problem);
}

BOOST_AUTO_TEST_CASE(judgement_reports_one_failure_once) {
    auto error = simple_group("airflow-init", R"(FATAL:  role "airflow" does not exist)", severity::error);
    error.samples.front().line = 1;
    auto exit = simple_group("airflow-init", "container exited with code 1", severity::error);
    exit.component = "compose";
    exit.samples.front().line = 2;
    auto j = judge_all({error, exit});
    BOOST_TEST(j[1].duplicate_of == 0u);
    BOOST_TEST(j[0].reason.find("then the service exited with code 1") != std::string::npos, j[0].reason);
    // a client quoting the server's message restates the server's failure
    auto server = simple_group("postgres", R"(database "airflow" does not exist)", severity::error);
    auto client = simple_group(
        "local-runner",
        R"(Failed to log action with (psycopg2.OperationalError) FATAL:  database "airflow" does not exist)",
        severity::warning);
    j = judge_all({server, client});
    BOOST_TEST((j[0].duplicate_of == 1u || j[1].duplicate_of == 0u));
    // three host-tuning warnings at the same millisecond are three problems (different signatures)
    const auto t = std::chrono::sys_days{std::chrono::year{2024} / 5 / 14};
    j = judge_all(
        {timed_group("redis", "WARNING: The TCP backlog setting of 511 cannot be enforced", severity::warning, 1, 0, t),
         timed_group("redis", "WARNING overcommit_memory is set to 0!", severity::warning, 1, 0, t),
         timed_group("redis", "WARNING you have Transparent Huge Pages (THP) support enabled", severity::warning, 1, 0,
                     t)});
    for (const auto& x : j) BOOST_TEST((x.problem && x.duplicate_of == group_judgement::npos));
}

BOOST_AUTO_TEST_CASE(only_promising_lines_below_the_threshold_reach_the_miner) {
    for (const char* m : {"Waiting for all other servers to be online", "timeout reached, giving up", "2 Online, 2 Offline",
                          "Executor lost: 2 (epoch 1)", "Redis is starting"})
        BOOST_TEST(detail::worth_judging(m), m);
    for (const char* m :
         {"Processed 1200 rows of sales data", "GET /health HTTP/1.1 200", "Loaded executor: CeleryExecutor"})
        BOOST_TEST(!detail::worth_judging(m), m);
}

BOOST_AUTO_TEST_CASE(real_log_corpus_scores_hold) {
    // Pinned a little under the figures measured when the corpus was written (see README): a rule change that
    // loses a real problem, reports a fragment or the same failure twice, or flags a benign line fails here.
    const auto dir = std::filesystem::path(LOGLENS_TEST_DATA_DIR) / "real";
    const auto cases = loglens_test::load_corpus(dir);
    BOOST_TEST(cases.size() >= 50u);
    const auto on = loglens_test::score_corpus(dir, true);
    const auto off = loglens_test::score_corpus(dir, false);
    const auto& all = on.at("all");
    for (const auto& m : all.misses) BOOST_TEST_MESSAGE("missed " << m);
    for (const auto& m : all.wrong) BOOST_TEST_MESSAGE("wrong " << m);
    BOOST_TEST(all.expected >= 45);
    BOOST_TEST(all.recall() >= 0.97);
    BOOST_TEST(all.precision() >= 0.93);
    BOOST_TEST(all.false_flags == 0);
    for (const auto& f : all.flags) BOOST_TEST_MESSAGE("false flag " << f);
    BOOST_TEST(on.at("set:held-out").recall() >= 0.85);
    BOOST_TEST(on.at("set:held-out").precision() >= 0.85);
    for (const auto& [family, s] : on)
        if (s.expected >= 2) BOOST_TEST(s.recall() >= 0.9, family << " recall " << s.recall());
    // the judgement is what lifts the figures: without it the same corpus scores clearly worse
    BOOST_TEST(all.recall() > off.at("all").recall() + 0.1);
    BOOST_TEST(all.precision() > off.at("all").precision() + 0.1);
}

// Users' own signatures: loaded from JSON, checked at load, tried before the built-in ones.
BOOST_AUTO_TEST_CASE(user_knowledge_is_tried_first_and_marks_benign_noise) {
    user_knowledge uk;
    uk.load_file(std::string(LOGLENS_SOURCE_DIR) + "/examples/kb/acme.json");
    BOOST_TEST(uk.signatures().size() == 2u);
    const auto kb = uk.combined();
    // both words, in either order and case, anywhere in the sample's traceback
    auto g = simple_group("airflow-worker", "Task failed with exception");
    g.samples.front().continuation = {"Traceback (most recent call last):",
                                      "acme.WarehouseError: QUOTA EXCEEDED for Warehouse tenant 7"};
    const auto a = offline_analysis(g, language::en, kb);
    BOOST_TEST(a.signature == "acme.warehouse-quota");
    BOOST_TEST((a.verdict == classification::critical));
    BOOST_TEST(a.description.find("per-tenant quota") != std::string::npos);
    BOOST_TEST(offline_analysis(g, language::ru, kb).description.find("квоту") != std::string::npos);
    // one word alone is no match; other services' groups keep their built-in signatures
    BOOST_TEST(offline_analysis(simple_group("airflow-worker", "quota exceeded for bucket"), language::en, kb).signature !=
               "acme.warehouse-quota");
    const auto redis = simple_group(
        "redis", "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk");
    BOOST_TEST(offline_analysis(redis, language::en, kb).signature == offline_analysis(redis, language::en).signature);
    // benign noise: a known-harmless group is no problem, and its English text serves Russian reports too
    const auto probe = simple_group("airflow-webserver", "health probe from 10.0.3.17 timed out", severity::warning);
    const auto pa = offline_analysis(probe, language::ru, kb);
    BOOST_TEST(pa.benign);
    BOOST_TEST(pa.description.find("load balancer") != std::string::npos);
    BOOST_TEST(!judge_groups(std::vector<log_group>{probe}, std::vector<analysis>{pa}, severity::warning)[0].problem);
    BOOST_TEST(!offline_analysis(probe, language::en).benign);  // without the file it is an ordinary warning
}

BOOST_AUTO_TEST_CASE(user_knowledge_errors_name_the_file_the_entry_and_the_field) {
    const auto error_of = [](std::string_view json) -> std::string {
        try {
            user_knowledge uk;
            uk.load_text(json, "team.json");
        } catch (const knowledge_file_error& e) {
            return e.what();
        }
        return "no error";
    };
    const std::string ok_text = R"("en": {"description": "d"})";
    struct bad_case {
        std::string json, expect;
    };
    const std::vector<bad_case> cases = {
        {R"({"signatures": [{"id": "a.b", "service": "x", "match": ["q"], "severity": "high", )" + ok_text + "}]}",
         "team.json, signature #1 (a.b): field 'severity'"},
        {R"({"signatures": [{"id": "a.ok", "service": "x", "match": ["q"], )" + ok_text +
             R"(}, {"id": "a.c", "service": "x", "regex": "(", )" + ok_text + "}]}",
         "team.json, signature #2 (a.c): field 'regex': not a valid regular expression"},
        {R"({"signatures": [{"id": "a.d", "service": "x", "match": ["q"], "en": {"descripton": "d"}}]})",
         "unknown field 'descripton'"},
        {R"({"signatures": [{"id": "a.e", "service": "x", "match": ["q"], "regex": "q", )" + ok_text + "}]}",
         "exactly one of 'match'"},
        {R"({"signatures": [{"id": "redis.misconf", "service": "x", "match": ["q"], )" + ok_text + "}]}", "already taken"},
        {R"({"signatures": [{"id": "Bad Id", "service": "x", "match": ["q"], )" + ok_text + "}]}", "field 'id'"},
        {R"({"signatures": [{"id": "a.f", "service": "x", "match": ["q"]}]})", "no explanation"},
        {R"({"signatures": [{"id": "a.g", "service": "x", "match": ["q"], "confidence": 3, )" + ok_text + "}]}",
         "field 'confidence'"},
        {R"({"signatures": [{"id": "a.h", "service": "x", "match": ["q"], "benign": "yes", )" + ok_text + "}]}",
         "field 'benign': expected true or false"},
        {"{\"signatures\": [\n{\"id\": \"a.i\",\n \"service\": }]}", "team.json, line 3: not valid JSON"},
        {R"({"signature": []})", "expected {\"signatures\": [ ... ]}"},
    };
    for (const auto& c : cases) {
        const auto e = error_of(c.json);
        BOOST_TEST(e.find(c.expect) != std::string::npos, c.json << " -> " << e);
    }
    // a failed file leaves nothing of itself behind
    user_knowledge uk;
    BOOST_CHECK_THROW(uk.load_text(cases[1].json, "team.json"), knowledge_file_error);
    BOOST_TEST(uk.signatures().empty());
    BOOST_TEST(uk.files().empty());
}

BOOST_AUTO_TEST_SUITE_END()
