#pragma once
// A generator of compose streams with scripted failure cascades, and the scorer of incidents against it.
// SPDX-License-Identifier: MIT

#include <loglens/offline.hpp>

#include <algorithm>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace loglens_test {

/// One step of a cascade: a service prints an entry some seconds after the previous step, a few times.
struct cascade_step {
    const char* service;
    int delay_min, delay_max;  ///< seconds after the previous step's first entry (may be negative)
    int repeat_min, repeat_max;
    int spacing;  ///< seconds between repeats
    std::vector<std::string> (*lines)(const std::string& ts_native, int n);
};

struct cascade_kind {
    const char* label;
    std::vector<cascade_step> steps;
};

namespace gen {

inline std::string two(int v) { return (v < 10 ? "0" : "") + std::to_string(v); }

/// Seconds since 2025-11-03T20:00:00Z in the formats the services print.
struct clock_text {
    long long s;
    int h() const { return 20 + static_cast<int>(s / 3600); }
    int m() const { return static_cast<int>(s / 60 % 60); }
    int sec() const { return static_cast<int>(s % 60); }
    std::string hms() const { return two(h()) + ":" + two(m()) + ":" + two(sec()); }
    std::string iso(long long ns) const {
        std::string frac = std::to_string(1000000000LL + ns % 1000000000LL).substr(1);
        return "2025-11-03T" + hms() + "." + frac + "Z";
    }
    std::string airflow() const { return "[2025-11-03T" + hms() + ".000+0000]"; }
    std::string spark() const { return "25/11/03 " + hms(); }
    std::string redis() const { return "1:M 03 Nov 2025 " + hms() + ".000"; }
    std::string postgres() const { return "2025-11-03 " + hms() + ".000 UTC"; }
};

inline std::vector<std::string> py_traceback(const std::string& head, const std::string& frame, const std::string& last) {
    return {head, "Traceback (most recent call last):",
            "  File \"/home/airflow/.local/lib/python3.12/site-packages/" + frame + "\", line 412, in run",
            "    return self._run(*args, **kwargs)", last};
}

}  // namespace gen

/// The cascades of the issue: Redis, Postgres, MinIO, Spark OOM, Spark master; and unrelated noise.
inline std::vector<cascade_kind> cascade_kinds() {
    using gen::py_traceback;
    return {
        {"redis-misconf",
         {{"redis", 0, 0, 2, 4, 6,
           [](const std::string& t, int n) {
               (void)n;
               return std::vector<std::string>{t + " # Can't save in background: fork: Cannot allocate memory"};
           }},
          {"redis", 1, 1, 1, 1, 1,
           [](const std::string& t, int) { return std::vector<std::string>{t + " # Background saving error"}; }},
          {"airflow-scheduler", 2, 30, 1, 3, 5,
           [](const std::string& t, int) {
               return std::vector<std::string>{
                   t +
                   " {celery_executor.py:291} ERROR - Error sending Celery task: MISCONF Redis is configured to "
                   "save RDB snapshots, but it's currently unable to persist to disk. Commands that may modify the "
                   "data set are disabled."};
           }},
          {"airflow-worker", 5, 60, 1, 2, 7,
           [](const std::string& t, int) {
               return py_traceback(t + " {taskinstance.py:3311} ERROR - Task failed with exception", "redis/client.py",
                                   "redis.exceptions.ResponseError: MISCONF Redis is configured to save RDB snapshots, "
                                   "but it's currently unable to persist to disk.");
           }}}},
        {"postgres-auth",
         {{"postgres", 0, 0, 2, 4, 2,
           [](const std::string& t, int n) {
               return std::vector<std::string>{
                   t + " [" + std::to_string(60 + n) + "] FATAL:  password authentication failed for user \"airflow\"",
                   t + " [" + std::to_string(60 + n) +
                       "] DETAIL:  Connection matched pg_hba.conf line 100: \"host all all all scram-sha-256\""};
           }},
          {"airflow-scheduler", -1, 4, 1, 2, 3,
           [](const std::string& t, int) {
               return py_traceback(
                   t + " {scheduler_job_runner.py:863} ERROR - Exception when executing SchedulerJob._run_scheduler_loop",
                   "sqlalchemy/engine/base.py",
                   "sqlalchemy.exc.OperationalError: (psycopg2.OperationalError) connection to server at \"postgres\" "
                   "(172.18.0.3), port 5432 failed: FATAL:  password authentication failed for user \"airflow\"");
           }},
          {"airflow-worker", 2, 40, 1, 2, 9,
           [](const std::string& t, int) {
               return std::vector<std::string>{
                   t +
                   " {cli_action_loggers.py:105} WARNING - Failed to log action (psycopg2.OperationalError) "
                   "connection to server at \"postgres\" (172.18.0.3), port 5432 failed: FATAL:  password "
                   "authentication failed for user \"airflow\""};
           }}}},
        {"minio-full",
         {{"minio", 0, 0, 2, 3, 5,
           [](const std::string& t, int n) {
               return std::vector<std::string>{
                   "API: PutObject(bucket=warehouse, object=raw/part-000" + std::to_string(n) + ".parquet)",
                   "Time: " + t.substr(0, 8) + " UTC 11/03/2025",
                   "DeploymentID: 6f1c4a0e-3b7d-4c55-9a2e-1d8f0b7c2e91",
                   "RequestID: 1875A2C3D4E5F3" + std::to_string(n),
                   "RemoteHost: 172.18.0.7",
                   "Host: minio:9000",
                   "Error: drive path full (cmd.StorageErr)",
                   "       1: cmd/xl-storage.go:2236:cmd.(*xlStorage).CreateFile()"};
           }},
          {"spark-submit", 1, 20, 1, 3, 4,
           [](const std::string& t, int n) {
               return std::vector<std::string>{
                   t + " WARN TaskSetManager: Lost task " + std::to_string(n) + ".0 in stage 2.0 (TID " +
                   std::to_string(7 + n) +
                   ") (172.18.0.7 executor 0): org.apache.hadoop.fs.s3a.AWSS3IOException: PUT 0-byte object on "
                   "raw/part-0001.parquet: com.amazonaws.services.s3.model.AmazonS3Exception: Storage backend has "
                   "reached its minimum free drive threshold. (Service: Amazon S3; Status Code: 507; Error Code: "
                   "XMinioStorageFull)"};
           }},
          {"spark-submit", 1, 10, 1, 1, 1,
           [](const std::string& t, int) {
               return std::vector<std::string>{
                   t + " ERROR FileFormatWriter: Aborting job 5e8a61f0-2f3c-4b7e-9a0d-6c1b2d3e4f50.",
                   "org.apache.spark.SparkException: Job aborted due to stage failure: Task 1 in stage 2.0 failed 4 "
                   "times, most recent failure: org.apache.hadoop.fs.s3a.AWSS3IOException: XMinioStorageFull",
                   "\tat org.apache.spark.scheduler.DAGScheduler.failJobAndIndependentStages(DAGScheduler.scala:2856)"};
           }}}},
        {"spark-oom",
         {{"spark-worker", 0, 0, 1, 2, 20,
           [](const std::string& t, int n) {
               return std::vector<std::string>{
                   t +
                       " ERROR SparkUncaughtExceptionHandler: Uncaught exception in thread Thread[Executor task launch "
                       "worker for task " +
                       std::to_string(3 + n) + ".0 in stage 1.0 (TID " + std::to_string(5 + n) + "),5,main]",
                   "java.lang.OutOfMemoryError: Java heap space",
                   "\tat java.base/java.util.Arrays.copyOf(Arrays.java:3537)"};
           }},
          {"spark-submit", 1, 5, 1, 2, 3,
           [](const std::string& t, int n) {
               return std::vector<std::string>{
                   t + " ERROR TaskSchedulerImpl: Lost executor " + std::to_string(1 + n) +
                   " on 172.18.0.7: Remote RPC client disassociated. Likely due to containers exceeding thresholds, "
                   "or network issues. Check driver logs for WARN messages."};
           }},
          {"spark-submit", 1, 5, 1, 1, 1,
           [](const std::string& t, int) {
               return std::vector<std::string>{t +
                                               " ERROR TaskSetManager: Task 3 in stage 1.0 failed 4 times; aborting job"};
           }}}},
        {"spark-master",
         {{"spark-worker", 0, 0, 3, 5, 10,
           [](const std::string& t, int) {
               return std::vector<std::string>{
                   t + " WARN Worker: Failed to connect to master spark-master:7077",
                   "java.io.IOException: Failed to connect to spark-master/172.18.0.4:7077",
                   "\tat org.apache.spark.network.client.TransportClientFactory.createClient(TransportClientFactory.java:284)"};
           }},
          {"spark-submit", 15, 50, 2, 4, 15,
           [](const std::string& t, int) {
               return std::vector<std::string>{
                   t +
                   " WARN TaskSchedulerImpl: Initial job has not accepted any resources; check your cluster UI to "
                   "ensure that workers are registered and have sufficient resources"};
           }},
          {"airflow-worker", 30, 120, 1, 1, 1,
           [](const std::string& t, int) {
               return py_traceback(t + " {taskinstance.py:3311} ERROR - Task failed with exception",
                                   "airflow/providers/apache/spark/hooks/spark_submit.py",
                                   "airflow.exceptions.AirflowException: Cannot execute: spark-submit --master "
                                   "spark://spark-master:7077 --name etl_daily jobs/etl.py. Error code is: 1.");
           }}}},
        // No rule knows these two services: only timing links them (three bursts, the symptom just after).
        {"timing-only",
         {{"payments-api", 0, 0, 3, 3, 400,
           [](const std::string& t, int) {
               return std::vector<std::string>{t + " ERROR thread pool exhausted: 200 of 200 workers busy"};
           }},
          {"checkout", 3, 12, 3, 3, 400,
           [](const std::string& t, int) {
               return std::vector<std::string>{t + " ERROR upstream request to payments-api timed out after 30000 ms"};
           }}}},
    };
}

/// Problems that nothing causes and that cause nothing: each must stay an incident of its own.
inline std::vector<cascade_kind> noise_kinds() {
    using gen::py_traceback;
    return {
        {"noise-dag-import",
         {{"airflow-scheduler", 0, 0, 1, 1, 1,
           [](const std::string& t, int) {
               return py_traceback(t + " {dagbag.py:346} ERROR - Failed to import: /opt/airflow/dags/report_dag.py",
                                   "airflow/models/dagbag.py", "ModuleNotFoundError: No module named 'pandas_gbq'");
           }}}},
        {"noise-fernet",
         {{"airflow-webserver", 0, 0, 1, 1, 1,
           [](const std::string& t, int) {
               return py_traceback(t + " {app.py:1744} ERROR - Exception on /connection/list/ [GET]",
                                   "cryptography/fernet.py", "cryptography.fernet.InvalidToken");
           }}}},
        {"noise-gunicorn",
         {{"airflow-webserver", 0, 0, 1, 1, 1,
           [](const std::string&, int n) {
               return std::vector<std::string>{
                   "[2025-11-03 20:00:00 +0000] [24] [CRITICAL] WORKER TIMEOUT (pid:" + std::to_string(27 + n) + ")"};
           }}}},
        {"noise-backlog",
         {{"redis", 0, 0, 1, 1, 1,
           [](const std::string& t, int) {
               return std::vector<std::string>{t +
                                               " # WARNING: The TCP backlog setting of 511 cannot be enforced because "
                                               "/proc/sys/net/core/somaxconn is set to the lower value of 128."};
           }}}},
        {"noise-minio-creds",
         {{"minio", 0, 0, 1, 1, 1,
           [](const std::string&, int) {
               return std::vector<std::string>{
                   "WARN: Detected default credentials 'minioadmin:minioadmin', we recommend "
                   "that you change these values with 'MINIO_ROOT_USER' and "
                   "'MINIO_ROOT_PASSWORD' environment variables"};
           }}}},
    };
}

/// What the generator wrote: the stream, and for every header line its cascade and whether it is the first cause.
struct generated_stream {
    std::string text;
    std::map<std::uint64_t, std::string> label_of_line;  ///< 1-based line -> cascade label
    std::map<std::uint64_t, bool> root_line;             ///< 1-based line -> from the cascade's first step
};

/// Deterministic for a seed: `instances` cascades drawn from the kinds (several overlapping in time, repeats
/// included), `noise` unrelated problems at random moments, and INFO chatter, over two hours.
inline generated_stream generate_cascades(std::uint64_t seed, int instances = 6, int noise = 6, int span = 7200) {
    std::uint64_t state = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    const auto next = [&](int lo, int hi) {  // inclusive; a fixed LCG so every platform draws the same
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        return hi <= lo ? lo : lo + static_cast<int>((state >> 33) % static_cast<std::uint64_t>(hi - lo + 1));
    };
    struct event {
        long long ns;
        std::string service, label;
        bool root;
        std::vector<std::string> lines;
    };
    std::vector<event> events;
    const auto native = [](const std::string& service, const gen::clock_text& c) {
        if (service.starts_with("airflow")) return c.airflow();
        if (service.starts_with("spark")) return c.spark();
        if (service == "redis") return c.redis();
        if (service == "postgres") return c.postgres();
        if (service == "payments-api" || service == "checkout") return "2025-11-03T" + c.hms() + "Z";
        return c.hms();
    };
    const auto play = [&](const cascade_kind& k, long long start) {
        long long at = start;
        for (std::size_t s = 0; s < k.steps.size(); ++s) {
            const auto& st = k.steps[s];
            if (s > 0) at += next(st.delay_min, st.delay_max);
            const int reps = next(st.repeat_min, st.repeat_max);
            for (int r = 0; r < reps; ++r) {
                const long long t = std::max(0LL, at + static_cast<long long>(r) * st.spacing);
                const long long ns = t * 1000000000LL + next(0, 900) * 1000000LL + static_cast<long long>(s);
                events.push_back({ns, st.service, k.label, s == 0, st.lines(native(st.service, {t}), r)});
            }
        }
    };
    const auto kinds = cascade_kinds();
    const auto noises = noise_kinds();
    for (int i = 0; i < instances; ++i)
        play(kinds[static_cast<std::size_t>(next(0, static_cast<int>(kinds.size()) - 1))], next(0, span - 200));
    for (int i = 0; i < noise; ++i)
        play(noises[static_cast<std::size_t>(next(0, static_cast<int>(noises.size()) - 1))], next(0, span - 100));
    for (long long t = 0; t < span; t += 30)
        events.push_back({t * 1000000000LL + 500000000LL,
                          "airflow-scheduler",
                          "",
                          false,
                          {gen::clock_text{t}.airflow() + " {scheduler_job_runner.py:1786} INFO - Adopting or resetting "
                                                          "orphaned tasks for active dag runs"}});
    std::stable_sort(events.begin(), events.end(), [](const event& a, const event& b) { return a.ns < b.ns; });

    generated_stream out;
    std::uint64_t line = 0;
    for (const auto& e : events) {
        const std::string prefix = e.service + "-1" + std::string(e.service.size() < 19 ? 19 - e.service.size() : 1, ' ') +
                                   "| ";
        for (std::size_t i = 0; i < e.lines.size(); ++i) {
            ++line;
            if (!e.label.empty()) {  // every line: parsers choose which line of a block heads its entry
                out.label_of_line[line] = e.label;
                out.root_line[line] = e.root;
            }
            out.text += prefix + gen::clock_text{e.ns / 1000000000LL}.iso(e.ns + static_cast<long long>(i)) + " " +
                        e.lines[i] + "\n";
        }
    }
    return out;
}

/// Pairwise precision and recall of the assignment of problems to incidents, and first-cause accuracy.
struct incident_score {
    double precision = 0, recall = 0, f1 = 0, first_cause_accuracy = 0;
    std::size_t problems = 0, incidents = 0, cascades = 0, first_causes_right = 0;
};

/// `truth`: problem id -> its cascade label (the majority of its lines); `roots`: label -> the problem id
/// holding the cascade's first step.
inline incident_score score_incidents(const loglens::report& r, const std::map<std::string, std::string>& truth,
                                      const std::map<std::string, std::string>& roots) {
    incident_score s;
    std::vector<std::pair<std::string, std::string>> items;  // truth label, incident id
    for (const auto& p : r.problems) {
        const auto it = truth.find(p.group.id);
        if (it != truth.end()) items.emplace_back(it->second, p.incident);
    }
    std::size_t tp = 0, fp = 0, fn = 0;
    for (std::size_t i = 0; i < items.size(); ++i)
        for (std::size_t j = i + 1; j < items.size(); ++j) {
            const bool same_truth = items[i].first == items[j].first;
            const bool same_pred = items[i].second == items[j].second;
            tp += same_truth && same_pred;
            fp += !same_truth && same_pred;
            fn += same_truth && !same_pred;
        }
    s.problems = items.size();
    s.incidents = r.incidents.size();
    s.precision = tp + fp == 0 ? 1.0 : static_cast<double>(tp) / static_cast<double>(tp + fp);
    s.recall = tp + fn == 0 ? 1.0 : static_cast<double>(tp) / static_cast<double>(tp + fn);
    s.f1 = s.precision + s.recall == 0 ? 0.0 : 2 * s.precision * s.recall / (s.precision + s.recall);
    std::map<std::string, std::size_t> members;
    for (const auto& [label, inc] : items) ++members[label];
    for (const auto& [label, root] : roots) {
        if (members[label] < 2) continue;
        ++s.cascades;
        for (const auto& inc : r.incidents)
            if (inc.first_cause == root) {
                ++s.first_causes_right;
                break;
            }
    }
    s.first_cause_accuracy = s.cascades == 0 ? 1.0
                                             : static_cast<double>(s.first_causes_right) / static_cast<double>(s.cascades);
    return s;
}

/// Generates the stream of `seed`, runs the offline pipeline on it and scores its incidents.
inline incident_score run_cascade_case(std::uint64_t seed, int instances = 6, int noise = 6, int span = 7200,
                                       loglens::report* out = nullptr,
                                       std::map<std::string, std::string>* roots_out = nullptr) {
    const auto g = generate_cascades(seed, instances, noise, span);
    loglens::pipeline<loglens::compose_parser, loglens::template_miner, loglens::knowledge_base_analyzer> p(
        {.lang = loglens::language::en});
    std::vector<std::pair<std::uint64_t, std::size_t>> seen;
    p.set_entry_observer([&](const std::string&, std::uint64_t line, std::size_t key) { seen.emplace_back(line, key); });
    p.ingest_text(g.text, {"cascades.log", ""});
    loglens::report r = p.analyse();
    const auto groups = p.grouper().groups();
    std::map<std::string, std::map<std::string, int>> votes, root_votes;
    for (const auto& [line, key] : seen) {
        const auto it = g.label_of_line.find(line);
        if (it == g.label_of_line.end()) continue;
        const std::string& id = groups[p.grouper().resolve(key)].id;
        ++votes[id][it->second];
        if (g.root_line.at(line)) ++root_votes[it->second][id];
    }
    const auto argmax = [](const std::map<std::string, int>& m) {
        return std::max_element(m.begin(), m.end(), [](const auto& a, const auto& b) { return a.second < b.second; })
            ->first;
    };
    std::map<std::string, std::string> truth, roots;
    for (const auto& [id, v] : votes) truth[id] = argmax(v);
    for (const auto& [label, v] : root_votes) roots[label] = argmax(v);
    const auto s = score_incidents(r, truth, roots);
    if (out) *out = std::move(r);
    if (roots_out) *roots_out = roots;
    return s;
}

}  // namespace loglens_test
