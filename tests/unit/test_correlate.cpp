// Correlation: problems folded into incidents, scored on generated cascades and checked on the example logs.
// SPDX-License-Identifier: MIT
#include <loglens/loglens.hpp>

#include "support/cascade_generator.hpp"
#include "support/json_schema.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

using namespace loglens;

namespace {

time_point at(int seconds) { return time_point{} + std::chrono::seconds(1762200000 + seconds); }

problem make_problem(std::string id, std::string service, std::string text, std::vector<int> times,
                     classification verdict = classification::major, std::string exception = {}) {
    problem p;
    p.group.id = std::move(id);
    p.group.service = std::move(service);
    p.group.template_text = std::move(text);
    p.group.exception = std::move(exception);
    for (const int t : times) p.group.occurrences.push_back(at(t));
    p.group.first_seen = p.group.occurrences.front();
    p.group.last_seen = p.group.occurrences.back();
    p.group.count = times.size();
    p.result.verdict = verdict;
    return p;
}

const incident* incident_of(const std::vector<incident>& incs, const std::string& problem_id) {
    for (const auto& i : incs)
        for (const auto& m : i.members)
            if (m.problem_id == problem_id) return &i;
    return nullptr;
}

struct mean_score {
    double f1 = 0, first = 0;
};

mean_score score_seeds(int seeds, int instances, int noise, int span) {
    mean_score m;
    for (int seed = 1; seed <= seeds; ++seed) {
        const auto s = loglens_test::run_cascade_case(static_cast<std::uint64_t>(seed), instances, noise, span);
        m.f1 += s.f1 / seeds;
        m.first += s.first_cause_accuracy / seeds;
    }
    return m;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(correlate)

BOOST_AUTO_TEST_CASE(a_rule_links_cause_and_effect_and_names_the_first_cause) {
    std::vector<problem> ps{
        make_problem("celery", "airflow-scheduler", "Error sending Celery task: MISCONF Redis is configured to save",
                     {40, 45}, classification::critical),
        make_problem("redis", "cache", "Can't save in background: fork: Cannot allocate memory", {30, 36, 42}),
        make_problem("dag", "airflow-scheduler", "Failed to import: <*>", {41}, classification::major,
                     "ModuleNotFoundError: No module named 'x'"),
    };
    const auto incs = causal_correlator{}.correlate(ps, language::en);
    BOOST_TEST(incs.size() == 2u);
    const auto* inc = incident_of(incs, "celery");
    BOOST_REQUIRE(inc);
    BOOST_TEST(inc->first_cause == "redis");  // not named `redis`: the service is called `cache`
    BOOST_TEST(inc->first_cause_kind == "redis.write-refused");
    BOOST_TEST((inc->verdict == classification::critical));
    BOOST_TEST(inc->members.size() == 2u);
    BOOST_TEST(inc->members[1].evidence == "rule redis.write-refused -> celery.broker-error");
    BOOST_TEST(incident_of(incs, "dag") != inc);
    for (const auto& p : ps) BOOST_TEST(!p.incident.empty());
    BOOST_TEST(ps[0].incident == ps[1].incident);
    BOOST_TEST(ps[0].incident == "inc-redis");
}

BOOST_AUTO_TEST_CASE(a_generic_symptom_is_linked_only_to_a_cause_it_names) {
    std::vector<problem> ps{
        make_problem("redis", "redis", "Background saving error", {100}),
        make_problem("task-s3", "airflow-worker", "Task failed with exception", {110}, classification::major,
                     "botocore.exceptions.ClientError: XMinioStorageFull"),
        make_problem("task-redis", "airflow-worker", "Task failed with exception", {112}, classification::major,
                     "redis.exceptions.ResponseError: MISCONF"),
    };
    const auto incs = causal_correlator{}.correlate(ps, language::en);
    BOOST_TEST(incident_of(incs, "task-redis") == incident_of(incs, "redis"));
    BOOST_TEST(incident_of(incs, "task-s3") != incident_of(incs, "redis"));
}

BOOST_AUTO_TEST_CASE(timing_alone_links_repeated_bursts_with_less_confidence) {
    std::vector<problem> ps{
        make_problem("pool", "payments", "thread pool exhausted", {0, 400, 800}),
        make_problem("upstream", "checkout", "upstream request timed out", {5, 408, 806}),
        make_problem("once", "checkout", "something else broke", {7}),  // one burst: no timing evidence
    };
    const auto incs = causal_correlator{}.correlate(ps, language::en);
    const auto* inc = incident_of(incs, "upstream");
    BOOST_REQUIRE(inc);
    BOOST_TEST(inc->first_cause == "pool");
    BOOST_TEST(inc->members[1].confidence < 0.8);
    BOOST_TEST(inc->members[1].evidence.starts_with("timing"));
    BOOST_TEST(incident_of(incs, "once") != inc);
}

BOOST_AUTO_TEST_CASE(the_same_problems_give_the_same_incidents_in_any_order) {
    loglens::report r;
    loglens_test::run_cascade_case(7, 12, 10, 3600, &r);
    const auto key = [](std::vector<problem> ps) {
        const auto incs = causal_correlator{}.correlate(ps, language::en);
        std::set<std::pair<std::string, std::string>> out;  // (incident, problem)
        for (const auto& i : incs)
            for (const auto& m : i.members) out.emplace(i.id, m.problem_id);
        return out;
    };
    auto ps = r.problems;
    const auto first = key(ps);
    std::reverse(ps.begin(), ps.end());
    BOOST_TEST((key(ps) == first));
    std::rotate(ps.begin(), ps.begin() + static_cast<std::ptrdiff_t>(ps.size() / 3), ps.end());
    BOOST_TEST((key(ps) == first));
    std::size_t members = 0;
    for (const auto& i : r.incidents) members += i.members.size();
    BOOST_TEST(members == r.problems.size());  // every problem in exactly one incident
}

// The regression pins of the generated cascades (benchmarks/bench_incidents prints the same figures).
BOOST_AUTO_TEST_CASE(generated_cascades_are_folded_and_their_first_causes_found) {
    const auto sparse = score_seeds(10, 6, 6, 7200);
    BOOST_TEST_MESSAGE("6 cascades in 2 h: F1 " << sparse.f1 << ", first cause " << sparse.first);
    BOOST_TEST(sparse.f1 >= 0.99);
    BOOST_TEST(sparse.first >= 0.95);
    const auto dense = score_seeds(10, 20, 12, 1800);
    BOOST_TEST_MESSAGE("20 cascades in 30 min: F1 " << dense.f1 << ", first cause " << dense.first);
    BOOST_TEST(dense.f1 >= 0.95);
    BOOST_TEST(dense.first >= 0.95);
}

BOOST_AUTO_TEST_CASE(the_example_logs_fold_into_the_incidents_an_sre_names) {
    pipeline<compose_parser, template_miner, knowledge_base_analyzer> p({.lang = language::en});
    const std::filesystem::path logs = std::filesystem::path(LOGLENS_SOURCE_DIR) / "examples" / "logs";
    p.ingest_file(logs / "compose.log");
    p.ingest_file(logs / "spark-worker-2.log");
    auto r = p.analyse();
    BOOST_TEST(r.problems.size() >= 25u);
    BOOST_TEST(r.incidents.size() <= r.problems.size() / 2);
    const auto first_of = [&](std::string_view needle) -> std::string {
        for (const auto& pr : r.problems)
            if (pr.group.template_text.find(needle) != std::string::npos)
                if (const auto* inc = incident_of(r.incidents, pr.group.id)) {
                    for (const auto& q : r.problems)
                        if (q.group.id == inc->first_cause) return q.group.service;
                }
        return {};
    };
    BOOST_TEST(first_of("Error sending Celery task") == "redis");  // MISCONF comes from Redis' failed saves
    BOOST_TEST(first_of("Database not reachable") == "postgres");  // the password is rejected by Postgres
    BOOST_TEST(first_of("Storage resources are insufficient") == "minio");
    std::ostringstream json;
    json_writer{}.write(r, json);
    BOOST_TEST(loglens_test::report_schema_errors(json.str()) == "");
    std::ostringstream md;
    markdown_writer{}.write(r, md);
    BOOST_TEST(md.str().find("## Incidents") < md.str().find("## Summary"));
}

// Two hosts: the data services on one, the Airflow and Spark services on the other. Each host's report alone
// cannot link Redis' failed saves to Celery's failed tasks; the merge, correlated again, does, as the whole run does.
BOOST_AUTO_TEST_CASE(a_merge_finds_the_incidents_that_span_hosts) {
    const std::filesystem::path logs = std::filesystem::path(LOGLENS_SOURCE_DIR) / "examples" / "logs";
    std::ifstream in(logs / "compose.log", std::ios::binary);
    std::string line, data_host, app_host;
    while (std::getline(in, line))
        (line.starts_with("redis") || line.starts_with("postgres") || line.starts_with("minio") ? data_host
                                                                                                : app_host) += line + '\n';
    using offline = pipeline<compose_parser, template_miner, knowledge_base_analyzer>;
    const auto run = [](const std::string& text, const std::string& name) {
        offline p({.lang = language::en});
        p.ingest_text(text, {name, name});
        return p.analyse();
    };
    const auto first_cause_service = [](const report& r, std::string_view needle) -> std::string {
        for (const auto& pr : r.problems)
            if (pr.group.template_text.find(needle) != std::string::npos)
                if (const auto* inc = incident_of(r.incidents, pr.group.id))
                    for (const auto& q : r.problems)
                        if (q.group.id == inc->first_cause) return q.group.service;
        return {};
    };
    const auto app = run(app_host, "app.log"), data = run(data_host, "data.log");
    BOOST_TEST(first_cause_service(app, "Error sending Celery task") != "redis");  // not on that host
    const auto merged = merge_reports({app, data}, causal_correlator{});
    BOOST_TEST(first_cause_service(merged, "Error sending Celery task") == "redis");
    BOOST_TEST(first_cause_service(merged, "Database not reachable") == "postgres");
    const auto whole = run(app_host + data_host, "all.log");
    BOOST_TEST(merged.incidents.size() == whole.incidents.size());
    std::size_t members = 0;
    for (const auto& inc : merged.incidents) members += inc.members.size();
    BOOST_TEST(members == merged.problems.size());  // every problem in exactly one incident
    for (const auto& p : merged.problems) BOOST_TEST(incident_of(merged.incidents, p.group.id) != nullptr);
    // without a correlator the parts' incidents are dropped, not carried over stale
    const auto plain = merge_reports({app, data});
    BOOST_TEST(plain.incidents.empty());
    for (const auto& p : plain.problems) BOOST_TEST(p.incident.empty());
}

BOOST_AUTO_TEST_SUITE_END()
