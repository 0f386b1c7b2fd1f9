// Tests of loglens::compose_parser: compose prefixes, every built-in format, folding, bad input, chunking.
// SPDX-License-Identifier: MIT
#include <loglens/loglens.hpp>

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace {

using namespace loglens;
using namespace std::string_literals;

struct parsed {
    std::vector<log_entry> entries;
    ingest_stats stats;

    [[nodiscard]] const log_entry& with(std::string_view needle) const {
        for (const auto& e : entries)
            if (e.message.find(needle) != std::string::npos) return e;
        BOOST_FAIL("no entry whose message contains \"" << needle << "\"");
        return entries.front();
    }
    [[nodiscard]] std::size_t count_with(std::string_view needle) const {
        std::size_t n = 0;
        for (const auto& e : entries) n += e.message.find(needle) != std::string::npos;
        return n;
    }
    [[nodiscard]] std::uint64_t skipped(std::string_view r) const {
        const auto it = stats.skipped.find(std::string(r));
        return it == stats.skipped.end() ? 0 : it->second;
    }
    [[nodiscard]] std::uint64_t altered(std::string_view r) const {
        const auto it = stats.altered.find(std::string(r));
        return it == stats.altered.end() ? 0 : it->second;
    }
};

// Feeds `input` in chunks of `chunk` bytes (0: all at once).
parsed ingest(std::string_view input, compose_options opts = {}, std::size_t chunk = 0,
              source_info src = {"logs/airflow.log", "airflow"}) {
    compose_parser p(std::move(opts));
    p.start(src);
    parsed r;
    const auto sink = [&](log_entry&& e) { r.entries.push_back(std::move(e)); };
    if (chunk == 0) chunk = input.size() + 1;
    for (std::size_t i = 0; i < input.size(); i += chunk) p.feed(input.substr(i, chunk), sink);
    p.finish(sink);
    r.stats = p.stats();
    return r;
}

loglens::time_point utc(int y, unsigned mo, unsigned d, int h, int mi, int s, int ms = 0) {
    using namespace std::chrono;
    return loglens::time_point{sys_days{year{y} / month{mo} / day{d}}} + hours{h} + minutes{mi} + seconds{s} +
           milliseconds{ms};
}

std::string read_file(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    BOOST_REQUIRE_MESSAGE(in, "cannot open " << p);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// Everything a test can observe about an entry, for whole-run comparisons.
std::string fingerprint(const log_entry& e) {
    std::string s = e.service + '|' + e.component + '|' + std::string(to_string(e.level)) + '|' + e.message + '|' +
                    e.exception + '|' + e.raw + '|' + e.timestamp_text + '|' + std::to_string(e.line) + '|' +
                    (e.timestamp ? std::to_string(e.timestamp->time_since_epoch().count()) : "-");
    for (const auto& c : e.continuation) s += "\n  " + c;
    return s;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(parse)

BOOST_AUTO_TEST_CASE(compose_parser_models_log_parser) {
    static_assert(log_parser<compose_parser>);
    static_assert(log_parser<plain_parser>);
    BOOST_TEST(true);
}

BOOST_AUTO_TEST_CASE(compose_v2_prefix_padding_timestamps_and_project) {
    const auto r = ingest(
        "Attaching to mlops-airflow-scheduler-1, mlops-minio-1, mlops-redis-1\n"
        "mlops-redis-1              | 2025-11-03T20:36:35.123456789Z 1:M 03 Nov 2025 20:36:35.120 * Ready to accept connections tcp\n"
        "mlops-airflow-scheduler-1  | 2025-11-03T20:36:40.060803460Z [2025-11-03T20:36:40.060+0000] {dagbag.py:387} ERROR - Failed to import: /opt/airflow/dags/etl.py\n"
        "mlops-redis-1              |\n"
        "mlops-redis-1              | \n");
    BOOST_REQUIRE_EQUAL(r.entries.size(), 2u);
    const auto& redis = r.with("Ready to accept");
    BOOST_TEST(redis.service == "redis");
    BOOST_TEST(redis.component == "master");
    BOOST_TEST(to_string(redis.level) == "notice");
    BOOST_TEST(redis.raw == "1:M 03 Nov 2025 20:36:35.120 * Ready to accept connections tcp");
    // the compose -t stamp wins (nanoseconds), the log's own text is kept
    BOOST_TEST((redis.timestamp == utc(2025, 11, 3, 20, 36, 35) + std::chrono::nanoseconds(123456789)));
    BOOST_TEST(redis.timestamp_text == "03 Nov 2025 20:36:35.120");
    BOOST_TEST(redis.line == 2u);
    BOOST_TEST(redis.source == "logs/airflow.log");
    const auto& af = r.with("Failed to import");
    BOOST_TEST(af.service == "airflow-scheduler");
    BOOST_TEST(af.component == "dagbag.py");
    BOOST_TEST(to_string(af.level) == "error");
    BOOST_TEST(af.message == "Failed to import: /opt/airflow/dags/etl.py");
    BOOST_TEST(r.skipped("compose-meta") == 1u);
    BOOST_TEST(r.skipped("blank") == 2u);
}

BOOST_AUTO_TEST_CASE(compose_project_kept_when_it_cannot_be_told_and_removed_when_given) {
    const std::string in =
        "airflow-scheduler-1  | [2025-11-03T20:36:40.060+0000] {dagbag.py:387} INFO - Filling up the DagBag\n";
    BOOST_TEST(ingest(in).entries.at(0).service == "airflow-scheduler");
    compose_options o;
    o.project = "mlops";
    BOOST_TEST(ingest("mlops-redis-1  | 1:M 03 Nov 2025 20:36:35.120 * Ready\n", o).entries.at(0).service == "redis");
    // two containers sharing `airflow-` do not make `airflow` a project
    const auto r = ingest("Attaching to airflow-scheduler-1, airflow-webserver-1\n" + in);
    BOOST_TEST(r.entries.at(0).service == "airflow-scheduler");
}

BOOST_AUTO_TEST_CASE(compose_v1_podman_and_ansi_prefixes) {
    const auto r = ingest(
        "\x1b[36mredis_1    |\x1b[0m 1:M 03 Nov 2025 20:36:35.120 # Background saving error\n"
        "[minio] | WARNING: Detected default credentials 'minioadmin:minioadmin'\n"
        "\x1b[33mspark-worker-1  | \x1b[0m25/11/03 20:36:37 \x1b[31mERROR\x1b[0m Worker: Failed to connect to master\n");
    BOOST_REQUIRE_EQUAL(r.entries.size(), 3u);
    const auto& redis = r.with("Background saving");
    BOOST_TEST(redis.service == "redis");
    BOOST_TEST(to_string(redis.level) == "warning");  // Redis `#` is a warning
    const auto& minio = r.with("default credentials");
    BOOST_TEST(minio.service == "minio");
    BOOST_TEST(to_string(minio.level) == "warning");
    const auto& spark = r.with("Failed to connect");
    BOOST_TEST(spark.service == "spark-worker");
    BOOST_TEST(to_string(spark.level) == "error");
    BOOST_TEST(spark.component == "Worker");
    BOOST_TEST(r.altered("ansi-escape") == 2u);
}

BOOST_AUTO_TEST_CASE(format_detection_is_by_content_per_container) {
    compose_parser p;
    p.start({"logs/airflow.log", "airflow"});  // the file name says airflow; the content says otherwise
    std::vector<log_entry> out;
    const auto sink = [&](log_entry&& e) { out.push_back(std::move(e)); };
    p.feed(
        "cache-1  | 1:M 03 Nov 2025 20:36:35.104 * Ready to accept connections tcp\n"
        "etl-1    | 25/11/03 20:36:37 INFO SparkContext: Running Spark version 3.5.0\n"
        "cache-1  | 1:M 03 Nov 2025 20:36:36.104 # Background saving error\n"
        "web-1    | [2025-11-03T20:36:40.060+0000] {dagbag.py:387} INFO - Filling up the DagBag\n"
        "misc-1   | hello\n",
        sink);
    p.finish(sink);
    const auto f = p.detected_formats();
    BOOST_REQUIRE_EQUAL(f.size(), 4u);
    BOOST_TEST((f[0] == std::pair<std::string, log_format>{"cache", log_format::redis}));
    BOOST_TEST((f[1] == std::pair<std::string, log_format>{"etl", log_format::spark}));
    BOOST_TEST((f[2] == std::pair<std::string, log_format>{"web", log_format::airflow}));
    BOOST_TEST((f[3] == std::pair<std::string, log_format>{"misc", log_format::generic}));
    BOOST_TEST(to_string(log_format::redis) == "redis");
}

BOOST_AUTO_TEST_CASE(kubectl_prefix) {
    const auto r = ingest(
        "[pod/airflow-scheduler-7d9c5b/scheduler] [2025-11-03T20:36:40.060+0000] {dagbag.py:387} ERROR - Failed to import: a.py\n"
        "[pod/redis-0/redis] 1:M 03 Nov 2025 20:36:35.104 # Background saving error\n"
        "[pod/airflow-scheduler-7d9c5b/scheduler] Traceback (most recent call last):\n"
        "[pod/redis-0/redis] 1:M 03 Nov 2025 20:36:35.105 * ok\n"
        "[pod/airflow-scheduler-7d9c5b/scheduler] ImportError: no\n");
    BOOST_REQUIRE_EQUAL(r.entries.size(), 3u);
    BOOST_TEST(r.with("Failed to import").service == "scheduler");
    BOOST_TEST(r.with("Failed to import").exception == "ImportError: no");
    BOOST_TEST(r.with("Background saving").service == "redis");
}

BOOST_AUTO_TEST_CASE(compose_exit_codes) {
    const auto r = ingest(
        "airflow-init-1  | DB: postgresql+psycopg2://airflow:***@postgres/airflow\n"
        "airflow-init-1 exited with code 0\n"
        "spark-worker-1 exited with code 137\n"
        "Gracefully stopping... (press Ctrl+C again to force)\n");
    BOOST_REQUIRE_EQUAL(r.entries.size(), 2u);
    const auto& exit = r.with("exited with code 137");
    BOOST_TEST(exit.service == "spark-worker");
    BOOST_TEST(to_string(exit.level) == "error");
    BOOST_TEST(exit.line == 3u);
    BOOST_TEST(r.skipped("compose-meta") == 2u);
}

BOOST_AUTO_TEST_CASE(docker_logs_t_without_prefix_and_service_from_source) {
    const auto r = ingest(
        "2025-11-03T20:36:40.060803460Z [2025-11-03T20:36:40.060+0000] {scheduler_job_runner.py:798} INFO - Starting the scheduler\n"
        "2025-11-03T20:36:41.5Z [2025-11-03T20:36:41.000+0000] {scheduler_job_runner.py:800} WARNING - DAG etl is paused\n",
        {}, 0, {"scheduler.log", "scheduler"});
    BOOST_REQUIRE_EQUAL(r.entries.size(), 2u);
    BOOST_TEST(r.entries[0].service == "scheduler");
    BOOST_TEST(r.entries[0].component == "scheduler_job_runner.py");
    BOOST_TEST(to_string(r.entries[1].level) == "warning");
    BOOST_TEST((r.entries[1].timestamp == utc(2025, 11, 3, 20, 36, 41, 500)));
    BOOST_TEST(r.entries[1].timestamp_text == "2025-11-03T20:36:41.000+0000");
}

BOOST_AUTO_TEST_CASE(airflow_classic_comma_and_structlog_variants) {
    const auto r = ingest(
        "[2025-11-03T20:36:40.060+0000] {dagbag.py:387} ERROR - Failed to import: /opt/airflow/dags/a.py\n"
        "[2025-11-03 20:36:41,123] {scheduler_job.py:1234} WARNING - Killing PID 42\n"
        "2025-11-03T20:36:42.060123Z [error    ] Task failed with exception [airflow.task] dag_id=etl task_id=load\n"
        "2025-11-03T20:36:43.000001Z [info     ] Heartbeat                 [airflow.jobs.scheduler_job_runner]\n");
    BOOST_REQUIRE_EQUAL(r.entries.size(), 4u);
    const auto& a = r.with("Failed to import");
    BOOST_TEST((a.timestamp == utc(2025, 11, 3, 20, 36, 40, 60)));
    const auto& b = r.with("Killing PID");
    BOOST_TEST(to_string(b.level) == "warning");
    BOOST_TEST(b.component == "scheduler_job.py");
    BOOST_TEST((b.timestamp == utc(2025, 11, 3, 20, 36, 41, 123)));
    const auto& c = r.with("Task failed");
    BOOST_TEST(to_string(c.level) == "error");
    BOOST_TEST(c.component == "airflow.task");
    BOOST_TEST(c.message == "Task failed with exception");
    const auto& d = r.with("Heartbeat");
    BOOST_TEST(to_string(d.level) == "info");
    BOOST_TEST(d.component == "airflow.jobs.scheduler_job_runner");
}

BOOST_AUTO_TEST_CASE(airflow_timezone_offsets_become_utc) {
    const auto r = ingest("[2025-11-03T22:36:40.060+0200] {dagbag.py:387} INFO - x\n");
    BOOST_TEST((r.entries.at(0).timestamp == utc(2025, 11, 3, 20, 36, 40, 60)));
}

BOOST_AUTO_TEST_CASE(gunicorn_error_and_access_lines) {
    const auto r = ingest(
        "[2025-11-03 20:36:40 +0000] [45] [INFO] Booting worker with pid: 45\n"
        "[2025-11-03 20:36:41 +0000] [7] [CRITICAL] WORKER TIMEOUT (pid:45)\n"
        "172.18.0.1 - - [03/Nov/2025:20:36:40 +0000] \"GET /health HTTP/1.1\" 200 318 \"-\" \"curl/7.88.1\"\n"
        "172.18.0.1 - admin [03/Nov/2025:20:36:42 +0000] \"POST /api/v1/dags HTTP/1.1\" 503 12 \"-\" \"python-requests/2.31\"\n");
    BOOST_REQUIRE_EQUAL(r.entries.size(), 4u);
    BOOST_TEST(to_string(r.with("Booting worker").level) == "info");
    BOOST_TEST(to_string(r.with("WORKER TIMEOUT").level) == "critical");
    BOOST_TEST(to_string(r.with("GET /health").level) == "info");
    BOOST_TEST(r.with("GET /health").component == "access");
    BOOST_TEST((r.with("GET /health").timestamp == utc(2025, 11, 3, 20, 36, 40)));
    BOOST_TEST(to_string(r.with("POST /api").level) == "error");
}

BOOST_AUTO_TEST_CASE(python_chained_traceback_is_one_entry_with_the_final_exception) {
    const auto r = ingest(
        "[2025-11-03T20:36:40.060+0000] {taskinstance.py:2698} ERROR - Task failed with exception\n"
        "Traceback (most recent call last):\n"
        "  File \"/opt/airflow/dags/etl.py\", line 12, in load\n"
        "    rows = fetch()\n"
        "KeyError: 'customer_id'\n"
        "\n"
        "During handling of the above exception, another exception occurred:\n"
        "\n"
        "Traceback (most recent call last):\n"
        "  File \"/opt/airflow/dags/etl.py\", line 14, in load\n"
        "    raise AirflowException(\"load failed\")\n"
        "airflow.exceptions.AirflowException: load failed\n"
        "[2025-11-03T20:36:41.000+0000] {taskinstance.py:1138} INFO - Marking task as FAILED.\n");
    BOOST_REQUIRE_EQUAL(r.entries.size(), 2u);
    const auto& e = r.with("Task failed");
    BOOST_TEST(e.exception == "airflow.exceptions.AirflowException: load failed");
    BOOST_TEST(e.continuation.size() == 9u);
    BOOST_TEST(e.continuation.front() == "Traceback (most recent call last):");
    BOOST_TEST(to_string(e.level) == "error");
    BOOST_TEST(r.with("Marking task").line == 13u);
}

BOOST_AUTO_TEST_CASE(bare_python_traceback_is_an_error_named_by_its_exception) {
    const auto r = ingest(
        "Starting worker\n"
        "Traceback (most recent call last):\n"
        "  File \"/app/main.py\", line 3, in <module>\n"
        "    import redis\n"
        "ModuleNotFoundError: No module named 'redis'\n"
        "worker stopped\n");
    BOOST_REQUIRE_EQUAL(r.entries.size(), 3u);
    const auto& tb = r.entries[1];
    BOOST_TEST(to_string(tb.level) == "error");
    BOOST_TEST(tb.message == "ModuleNotFoundError: No module named 'redis'");
    BOOST_TEST(tb.exception == tb.message);
    BOOST_TEST(tb.line == 2u);
    BOOST_TEST(to_string(r.entries[0].level) == "info");
    BOOST_TEST(r.entries[2].message == "worker stopped");
}

BOOST_AUTO_TEST_CASE(spark_log4j_two_digit_years_and_levels) {
    const auto r = ingest(
        "25/11/03 20:36:37 WARN NativeCodeLoader: Unable to load native-hadoop library for your platform\n"
        "99/12/31 23:59:59 INFO SparkContext: Running Spark version 3.5.0\n"
        "25/11/03 20:36:38 ERROR TaskSchedulerImpl: Lost executor 1 on 172.18.0.5: worker lost\n");
    BOOST_REQUIRE_EQUAL(r.entries.size(), 3u);
    const auto& w = r.with("native-hadoop");
    BOOST_TEST(to_string(w.level) == "warning");
    BOOST_TEST(w.component == "NativeCodeLoader");
    BOOST_TEST((w.timestamp == utc(2025, 11, 3, 20, 36, 37)));
    BOOST_TEST(w.timestamp_text == "25/11/03 20:36:37");
    BOOST_TEST((r.with("Running Spark").timestamp == utc(1999, 12, 31, 23, 59, 59)));
    BOOST_TEST(to_string(r.with("Lost executor").level) == "error");
}

BOOST_AUTO_TEST_CASE(spark_log4j2_iso_layouts_and_bitnami_entrypoint) {
    const auto r = ingest(
        "spark 20:36:30.12 INFO  ==> \n"
        "spark 20:36:30.13 INFO  ==> ** Starting Spark in master mode **\n"
        "2025-11-03 20:36:37,123 WARN  [main] org.apache.spark.util.Utils: Your hostname resolves to a loopback address\n"
        "2025-11-03T20:36:38.456Z ERROR [dispatcher-event-loop-1] o.a.s.d.m.Master - Application app-1 failed 3 times\n");
    BOOST_REQUIRE_EQUAL(r.entries.size(), 3u);
    BOOST_TEST(r.skipped("blank") == 1u);
    const auto& b = r.with("Starting Spark");
    BOOST_TEST(b.component == "spark");
    BOOST_TEST(b.timestamp_text == "20:36:30.13");
    BOOST_TEST(!b.timestamp);  // a time of day without a date is not invented into one
    const auto& u = r.with("loopback");
    BOOST_TEST(to_string(u.level) == "warning");
    BOOST_TEST(u.component == "org.apache.spark.util.Utils");
    BOOST_TEST((u.timestamp == utc(2025, 11, 3, 20, 36, 37, 123)));
    const auto& m = r.with("failed 3 times");
    BOOST_TEST(to_string(m.level) == "error");
    BOOST_TEST(m.component == "o.a.s.d.m.Master");
}

BOOST_AUTO_TEST_CASE(jvm_stack_trace_root_cause_becomes_the_exception) {
    const auto r = ingest(
        "25/11/03 20:36:42 ERROR Executor: Exception in task 0.0 in stage 1.0 (TID 1)\n"
        "java.lang.IllegalStateException: Cannot allocate executor\n"
        "\tat org.apache.spark.deploy.master.Master.launchExecutor(Master.scala:812)\n"
        "\tat org.apache.spark.deploy.master.Master.schedule(Master.scala:771)\n"
        "Caused by: java.io.IOException: No space left on device\n"
        "\tat java.base/java.io.FileOutputStream.writeBytes(Native Method)\n"
        "\t... 12 more\n"
        "25/11/03 20:36:43 INFO Executor: Finished task 1.0\n"
        "Exception in thread \"main\" java.lang.OutOfMemoryError: Java heap space\n"
        "\tat java.base/java.util.Arrays.copyOf(Arrays.java:3537)\n");
    BOOST_REQUIRE_EQUAL(r.entries.size(), 3u);
    const auto& e = r.with("Exception in task");
    BOOST_TEST(e.exception == "java.io.IOException: No space left on device");
    BOOST_TEST(e.continuation.size() == 6u);
    const auto& oom = r.with("Exception in thread");
    BOOST_TEST(to_string(oom.level) == "error");
    BOOST_TEST(oom.exception == "java.lang.OutOfMemoryError: Java heap space");
    BOOST_TEST(oom.continuation.size() == 1u);
    BOOST_TEST(to_string(r.with("Finished task").level) == "info");
}

BOOST_AUTO_TEST_CASE(redis_marks_roles_banner_and_crash_report) {
    const auto r = ingest(
        "1:C 03 Nov 2025 20:36:35.100 . debug line\n"
        "1:C 03 Nov 2025 20:36:35.101 - verbose line\n"
        "1:S 03 Nov 2025 20:36:35.102 * Connecting to MASTER redis-master:6379\n"
        "26:X 03 Nov 2025 20:36:35.103 # +sdown master mymaster 172.18.0.4 6379\n"
        "1:M 03 Nov 2025 20:36:35.104 * Running mode=standalone, port=6379.\n"
        "                _._\n"
        "           _.-``__ ''-._\n"
        "      _.-``    `.  `_.  ''-._           Redis 6.2.6 (00000000/0) 64 bit\n"
        "  `-._    `-._  `-.__.-'    _.-'    _.-'\n"
        "1:M 03 Nov 2025 20:40:01.000 # === REDIS BUG REPORT START: Cut & paste starting from here ===\n"
        "1:M 03 Nov 2025 20:40:01.000 #     Redis 7.2.4 crashed by signal: 11, si_code: 1\n"
        "------ STACK TRACE ------\n"
        "redis-server *:6379(debugCommand+0x1f0)[0x55d5c1a2b3c0]\n"
        "# Server\n"
        "redis_version:7.2.4\n"
        "=== REDIS BUG REPORT END. Make sure to include from START to END. ===\n"
        "1:M 03 Nov 2025 20:40:02.000 * Ready to accept connections tcp\n");
    BOOST_REQUIRE_EQUAL(r.entries.size(), 7u);
    BOOST_TEST(to_string(r.with("debug line").level) == "debug");
    BOOST_TEST(to_string(r.with("verbose line").level) == "info");
    BOOST_TEST(to_string(r.with("Connecting to MASTER").level) == "notice");
    BOOST_TEST(r.with("Connecting to MASTER").component == "replica");
    BOOST_TEST(r.with("+sdown").component == "sentinel");
    BOOST_TEST(to_string(r.with("+sdown").level) == "warning");
    BOOST_TEST(r.with("Running mode").continuation.size() == 4u);  // the ASCII art stays with its line
    const auto& crash = r.with("crashed by signal");
    BOOST_TEST(to_string(crash.level) == "critical");
    BOOST_TEST(crash.message == "Redis 7.2.4 crashed by signal: 11, si_code: 1");
    BOOST_TEST(crash.continuation.size() == 6u);
    BOOST_TEST(r.with("Ready to accept").line == 17u);
}

BOOST_AUTO_TEST_CASE(minio_error_block_warnings_and_banner) {
    const auto r = ingest(
        "MinIO Object Storage Server\n"
        "Copyright: 2015-2025 MinIO, Inc.\n"
        "API: http://172.18.0.3:9000  http://127.0.0.1:9000\n"
        "API: SYSTEM.storage()\n"
        "Time: 20:36:43 UTC 11/03/2025\n"
        "DeploymentID: 6c2e4a1b-7f1d-4b8e-9a2f-0d5c3e8b1a77\n"
        "Error: Drive /data returned an unexpected error (*fs.PathError)\n"
        "       6: internal/logger/logger.go:268:logger.LogIf()\n"
        "       5: cmd/xl-storage.go:321:cmd.newXLStorage()\n"
        "WARN: Unable to connect to https://kms:7373\n"
        "ERROR Unable to initialize backend: drive not found\n",
        {}, 0, {"minio.log", "minio"});
    BOOST_REQUIRE_EQUAL(r.entries.size(), 6u);
    const auto& block = r.with("Drive /data");
    BOOST_TEST(to_string(block.level) == "error");
    BOOST_TEST(block.component == "SYSTEM.storage");
    BOOST_TEST(block.exception == "Drive /data returned an unexpected error (*fs.PathError)");
    BOOST_TEST(block.continuation.size() == 5u);
    BOOST_TEST((block.timestamp == utc(2025, 11, 3, 20, 36, 43)));
    BOOST_TEST(block.service == "minio");
    BOOST_TEST(to_string(r.with("Unable to connect").level) == "warning");
    BOOST_TEST(to_string(r.with("initialize backend").level) == "error");
    BOOST_TEST(to_string(r.with("http://172.18.0.3:9000").level) == "info");
    BOOST_TEST(to_string(r.with("Object Storage").level) == "info");
}

BOOST_AUTO_TEST_CASE(generic_timestamps_levels_and_continuations) {
    const auto r = ingest(
        "2025-11-03T20:36:40Z level=error msg=\"upload failed\"\n"
        "Nov  3 20:36:41 host cron[12]: (root) CMD (run-parts /etc/cron.hourly)\n"
        "[Mon Nov 03 20:36:42 2025] [error] [client 172.18.0.1] File does not exist: /var/www/favicon.ico\n"
        "1762202203 WARN disk usage at 91%\n"
        "1762202204123 starting compaction\n"
        "2025-11-03 20:36:45.5 ERROR config invalid:\n"
        "    key 'workers' must be an integer\n"
        "    key 'port' is missing\n");
    BOOST_REQUIRE_EQUAL(r.entries.size(), 6u);
    BOOST_TEST(to_string(r.with("upload failed").level) == "error");
    BOOST_TEST((r.with("upload failed").timestamp == utc(2025, 11, 3, 20, 36, 40)));
    const auto& sys = r.with("CMD (run-parts");
    BOOST_TEST(sys.timestamp_text == "Nov  3 20:36:41");
    BOOST_TEST(!sys.timestamp);  // syslog has no year; none is invented
    BOOST_TEST(to_string(r.with("favicon").level) == "error");
    BOOST_TEST((r.with("favicon").timestamp == utc(2025, 11, 3, 20, 36, 42)));
    BOOST_TEST(to_string(r.with("disk usage").level) == "warning");
    BOOST_TEST((r.with("disk usage").timestamp == utc(2025, 11, 3, 20, 36, 43)));
    BOOST_TEST((r.with("compaction").timestamp == utc(2025, 11, 3, 20, 36, 44, 123)));
    const auto& cfg = r.with("config invalid");
    BOOST_TEST(cfg.continuation.size() == 2u);
    BOOST_TEST(to_string(cfg.level) == "error");
    BOOST_TEST((cfg.timestamp == utc(2025, 11, 3, 20, 36, 45, 500)));
}

BOOST_AUTO_TEST_CASE(celery_postgres_and_multi_line_messages) {
    const auto r = ingest(
        "worker-1    | [2025-11-03 20:36:44,377: INFO/MainProcess] Connected to redis://redis:6379/0\n"
        "worker-1    | [2025-11-03 20:36:45,001: ERROR/ForkPoolWorker-1] Task load[1f2e] raised unexpected: KeyError('x')\n"
        "postgres-1  | 2025-11-03 20:36:38.099 UTC [61] FATAL:  password authentication failed for user \"airflow\"\n"
        "postgres-1  | 2025-11-03 20:36:38.099 UTC [61] DETAIL:  Connection matched pg_hba.conf line 100\n"
        "postgres-1  | 2025-11-03 20:36:39.000 UTC [1] LOG:  database system is ready to accept connections\n"
        "scheduler-1 | [2025-11-03T20:38:37.400+0000] {celery_executor.py:293} ERROR - Error sending Celery task: MISCONF\n"
        "scheduler-1 | Celery Task ID: TaskInstanceKey(dag_id='etl_daily', task_id='load')\n"
        "scheduler-1 | Traceback (most recent call last):\n"
        "scheduler-1 |   File \"/x/redis/connection.py\", line 529, in read_response\n"
        "scheduler-1 | redis.exceptions.ResponseError: MISCONF Redis is configured to save RDB snapshots\n"
        "scheduler-1 |   ____________       _____________\n"
        "scheduler-1 | ____  /| |_  /__  ___/_  /_ __  /_  __ \\_ | /| / /\n"
        "webserver-1 | [2025-11-03T20:38:53.699+0000] {app.py:1744} ERROR - Exception on /connection/list/ [GET]\n"
        "webserver-1 | Traceback (most recent call last):\n"
        "webserver-1 |     raise InvalidToken\n"
        "webserver-1 | cryptography.fernet.InvalidToken\n"
        "webserver-1 | (Background on this error at: https://sqlalche.me/e/14/e3q8)\n");
    BOOST_TEST(r.with("Connected to redis").component == "MainProcess");
    BOOST_TEST(to_string(r.with("raised unexpected").level) == "error");
    BOOST_TEST(r.with("raised unexpected").component == "ForkPoolWorker-1");
    const auto& pg = r.with("password authentication");
    BOOST_TEST(to_string(pg.level) == "error");  // FATAL ends a session, not the server
    BOOST_TEST((pg.timestamp == utc(2025, 11, 3, 20, 36, 38, 99)));
    BOOST_TEST(pg.continuation.size() == 1u);  // DETAIL belongs to the FATAL line
    BOOST_TEST(r.with("database system is ready").message == "database system is ready to accept connections");
    const auto& celery = r.with("Error sending Celery task");
    BOOST_TEST(celery.continuation.size() == 6u);  // task id, traceback, and the ASCII art that follows
    BOOST_TEST(celery.exception == "redis.exceptions.ResponseError: MISCONF Redis is configured to save RDB snapshots");
    const auto& web = r.with("Exception on /connection/list/");
    BOOST_TEST(web.exception == "cryptography.fernet.InvalidToken");
    BOOST_TEST(web.continuation.size() == 4u);
    BOOST_TEST(r.entries.size() == 6u);
}

BOOST_AUTO_TEST_CASE(py4j_error_carries_the_java_exception) {
    const auto r = ingest(
        "Traceback (most recent call last):\n"
        "  File \"/opt/jobs/etl.py\", line 112, in <module>\n"
        "py4j.protocol.Py4JJavaError: An error occurred while calling o112.parquet.\n"
        ": org.apache.spark.SparkException: Job aborted due to stage failure\n"
        "\tat org.apache.spark.scheduler.DAGScheduler.abortStage(DAGScheduler.scala:2791)\n"
        "Caused by: java.lang.OutOfMemoryError: Java heap space\n"
        "\t... 3 more\n");
    BOOST_REQUIRE_EQUAL(r.entries.size(), 1u);
    BOOST_TEST(r.entries[0].exception == "java.lang.OutOfMemoryError: Java heap space");
    BOOST_TEST(r.entries[0].continuation.size() == 6u);
}

BOOST_AUTO_TEST_CASE(out_of_range_timestamps_are_not_read) {
    // nanosecond time points end in 2262: such stamps must not overflow (found by the fuzzer)
    const auto r = ingest("9999-12-31T23:59:59Z ERROR far future\n9999999999 WARN epoch far away\n");
    BOOST_REQUIRE_EQUAL(r.entries.size(), 2u);
    BOOST_TEST(!r.entries[0].timestamp);
    BOOST_TEST(!r.entries[1].timestamp);
    BOOST_TEST(to_string(r.entries[0].level) == "error");
    // before 1970 the difference of two stamps (1900 and 2200, say) would not fit a nanosecond duration
    const auto edge = ingest("1969-12-31T23:59:59Z ERROR before\n1970-01-01T00:00:01Z ERROR after\n");
    BOOST_REQUIRE_EQUAL(edge.entries.size(), 2u);
    BOOST_TEST(!edge.entries[0].timestamp);
    BOOST_REQUIRE(edge.entries[1].timestamp);
    BOOST_TEST(edge.entries[1].timestamp->time_since_epoch() == std::chrono::seconds(1));
}

BOOST_AUTO_TEST_CASE(keyword_guessing_is_the_last_resort_and_not_fooled) {
    const auto r = ingest(
        "Compiled 12 modules with 0 errors\n"
        "Using error_log=/var/log/app/error.log\n"
        "ErrorHandler initialized\n"
        "no error detected in 3 files\n"
        "Connection to postgres failed, retrying\n"
        "Unhandled exception in worker loop\n"
        "DeprecationWarning raised by numpy: this API is deprecated\n");
    BOOST_REQUIRE_EQUAL(r.entries.size(), 7u);
    BOOST_TEST(to_string(r.with("0 errors").level) == "info");
    BOOST_TEST(to_string(r.with("error_log=").level) == "info");
    BOOST_TEST(to_string(r.with("ErrorHandler").level) == "info");
    BOOST_TEST(to_string(r.with("no error").level) == "info");
    BOOST_TEST(to_string(r.with("postgres failed").level) == "error");
    BOOST_TEST(to_string(r.with("Unhandled exception").level) == "error");
    BOOST_TEST(to_string(r.with("this API").level) == "warning");
    // the format's own level beats words in the message
    const auto own = ingest("25/11/03 20:36:37 INFO DAGScheduler: Job 3 failed with exception, resubmitting\n");
    BOOST_TEST(to_string(own.entries.at(0).level) == "info");
}

BOOST_AUTO_TEST_CASE(two_containers_interleaved_with_tracebacks_at_once) {
    const auto r = ingest(read_file(std::filesystem::path(LOGLENS_TEST_DATA_DIR) / "parse/compose_mixed.log"));
    const auto& sched = r.with("Failed to import");
    BOOST_TEST(sched.service == "airflow-scheduler");
    BOOST_TEST(sched.exception == "ModuleNotFoundError: No module named 'pandas_missing'");
    BOOST_TEST(sched.continuation.size() == 6u);
    for (const auto& c : sched.continuation) BOOST_TEST(c.find("flask") == std::string::npos);
    const auto& web = r.with("Exception on /api/v1/dags");
    BOOST_TEST(web.service == "airflow-webserver");
    BOOST_TEST(web.exception.starts_with("sqlalchemy.exc.OperationalError: (psycopg2.OperationalError)"));
    BOOST_TEST(web.continuation.size() == 12u);  // blank lines are counted, not kept
    for (const auto& c : web.continuation) BOOST_TEST(c.find("pandas_missing") == std::string::npos);
    BOOST_TEST(r.count_with("Traceback") == 0u);  // no traceback line became an entry of its own
    const auto& spark = r.with("Ignoring error");
    BOOST_TEST(spark.exception == "java.io.IOException: No space left on device");
    const auto& minio = r.with("Drive /data");
    BOOST_TEST(minio.exception == "Drive /data returned an unexpected error (*fs.PathError)");
    BOOST_TEST(r.with("exited with code 1").service == "minio");
    BOOST_TEST(to_string(r.with("Memory overcommit").level) == "warning");
    BOOST_TEST(to_string(r.with("native-hadoop").level) == "warning");
    BOOST_TEST(r.entries.size() == 22u);
    BOOST_TEST(r.stats.entries == r.entries.size());
}

BOOST_AUTO_TEST_CASE(chunk_boundaries_do_not_change_entries) {
    std::string in = read_file(std::filesystem::path(LOGLENS_TEST_DATA_DIR) / "parse/compose_mixed.log");
    in += "bad bytes \xff\xfe here\r\nnul \0 byte\n"s;  // repairs must not depend on chunking either
    in += "2025-11-03T20:36:50Z caf\xc3\xa9 \xe2\x82\xac tail without newline";
    const auto whole = ingest(in);
    for (std::size_t chunk : {1u, 7u, 4096u}) {
        BOOST_TEST_CONTEXT("chunk " << chunk) {
            const auto part = ingest(in, {}, chunk);
            BOOST_REQUIRE_EQUAL(part.entries.size(), whole.entries.size());
            for (std::size_t i = 0; i < whole.entries.size(); ++i)
                BOOST_TEST(fingerprint(part.entries[i]) == fingerprint(whole.entries[i]));
            BOOST_TEST((part.stats.skipped == whole.stats.skipped));
            BOOST_TEST((part.stats.altered == whole.stats.altered));
            BOOST_TEST(part.stats.lines == whole.stats.lines);
            BOOST_TEST(part.stats.bytes == whole.stats.bytes);
        }
    }
}

BOOST_AUTO_TEST_CASE(forced_format_folds_everything_else) {
    compose_options o;
    o.format = log_format::spark;
    const auto r = ingest(
        "25/11/03 20:36:37 INFO SparkContext: Spark configuration:\n"
        "spark.master=spark://spark-master:7077\n"
        "spark.app.name=etl\n"
        "25/11/03 20:36:38 WARN TaskSetManager: Stage 0 contains a task of very large size\n",
        o);
    BOOST_REQUIRE_EQUAL(r.entries.size(), 2u);
    BOOST_TEST(r.entries[0].continuation.size() == 2u);
    BOOST_TEST((parse_log_format("log4j") == log_format::spark));
    BOOST_TEST(!parse_log_format("cobol").has_value());
}

BOOST_AUTO_TEST_CASE(user_line_format) {
    compose_options o;
    o.user_format = line_format::compile("<Date> <Time> <Pid> <Level> <Component>: <Content>");
    const auto r = ingest(
        "081109 203615 148 INFO dfs.DataNode$PacketResponder: PacketResponder 1 for block blk_38865049064139660 terminating\n"
        "081109 203807 222 WARN dfs.DataNode: Slow BlockReceiver write packet to mirror took 651ms\n"
        "  at continuation\n"
        "2025-11-03 20:36:40 7 ERROR app.Main: boom\n",
        o);
    BOOST_REQUIRE_EQUAL(r.entries.size(), 3u);
    BOOST_TEST(r.entries[0].component == "dfs.DataNode$PacketResponder");
    BOOST_TEST(r.entries[0].message == "PacketResponder 1 for block blk_38865049064139660 terminating");
    BOOST_TEST(to_string(r.entries[1].level) == "warning");
    BOOST_TEST(r.entries[1].continuation.size() == 1u);
    BOOST_TEST(to_string(r.entries[2].level) == "error");
    BOOST_TEST((r.entries[2].timestamp == utc(2025, 11, 3, 20, 36, 40)));
    BOOST_TEST(r.entries[2].timestamp_text == "2025-11-03 20:36:40");
}

// ---- bad input: each case asserts its counted reason --------------------------------------------

BOOST_AUTO_TEST_CASE(bad_input_invalid_utf8_is_replaced_and_counted) {
    const auto r = ingest("redis-1  | 1:M 03 Nov 2025 20:36:35.104 # bad \xc3\x28 byte\n");
    BOOST_REQUIRE_EQUAL(r.entries.size(), 1u);
    BOOST_TEST(r.entries[0].message == "bad \xEF\xBF\xBD( byte");
    BOOST_TEST(r.altered("invalid-utf8") == 1u);
}

BOOST_AUTO_TEST_CASE(bad_input_nul_bytes_are_replaced_and_counted) {
    const auto r = ingest("hello\0world\n"s);
    BOOST_REQUIRE_EQUAL(r.entries.size(), 1u);
    BOOST_TEST(r.entries[0].message == "hello\xEF\xBF\xBDworld");
    BOOST_TEST(r.altered("nul-byte") == 1u);
}

BOOST_AUTO_TEST_CASE(bad_input_crlf_line_ends) {
    const auto r = ingest("25/11/03 20:36:37 WARN A: one\r\n25/11/03 20:36:38 ERROR B: two\r\n");
    BOOST_REQUIRE_EQUAL(r.entries.size(), 2u);
    BOOST_TEST(r.entries[0].message == "one");
    BOOST_TEST(r.entries[1].raw == "25/11/03 20:36:38 ERROR B: two");
    BOOST_TEST(r.altered("crlf") == 2u);
}

BOOST_AUTO_TEST_CASE(bad_input_10mb_line_without_newline_is_cut_and_counted) {
    std::string in = "2025-11-03T20:36:40Z ERROR ";
    in.append(10u << 20, 'x');
    const auto r = ingest(in, {}, 1 << 16);
    BOOST_REQUIRE_EQUAL(r.entries.size(), 1u);
    BOOST_TEST(r.entries[0].raw.size() < 70u * 1024);
    BOOST_TEST(r.entries[0].raw.find("[loglens: line cut") != std::string::npos);
    BOOST_TEST(to_string(r.entries[0].level) == "error");
    BOOST_TEST(r.altered("overlong-line") == 1u);
    BOOST_TEST(r.altered("no-final-newline") == 1u);
    BOOST_TEST(r.stats.bytes == in.size());
}

BOOST_AUTO_TEST_CASE(bad_input_truncated_last_line_is_kept_and_counted) {
    const auto r = ingest(
        "redis-1  | 1:M 03 Nov 2025 20:36:35.104 * first\nredis-1  | 1:M 03 Nov 2025 20:36:35.105 * seco");
    BOOST_REQUIRE_EQUAL(r.entries.size(), 2u);
    BOOST_TEST(r.entries[1].message == "seco");
    BOOST_TEST(r.altered("no-final-newline") == 1u);
}

BOOST_AUTO_TEST_CASE(bad_input_empty_input) {
    const auto r = ingest("");
    BOOST_TEST(r.entries.empty());
    BOOST_TEST(r.stats.lines == 0u);
    BOOST_TEST(r.stats.skipped.empty());
    BOOST_TEST(r.stats.altered.empty());
}

BOOST_AUTO_TEST_CASE(bad_input_binary_stream_is_skipped_and_counted) {
    std::string bin;
    std::uint32_t x = 12345;
    for (int i = 0; i < 20000; ++i) {
        x = x * 1103515245u + 12345u;
        bin += static_cast<char>(x >> 24);
    }
    const auto r = ingest(bin, {}, 333);
    BOOST_TEST(r.entries.empty());
    BOOST_TEST(r.skipped("binary-input") > 0u);
    BOOST_TEST(r.skipped("binary-input") == r.stats.lines);
    BOOST_TEST(r.stats.bytes == bin.size());
    // a text log with one bad byte is not binary
    BOOST_TEST(ingest("2025-11-03T20:36:40Z INFO ok \x01 fine\n").entries.size() == 1u);
}

BOOST_AUTO_TEST_CASE(bad_input_endless_traceback_is_bounded_and_counted) {
    std::string in = "[2025-11-03T20:36:40.060+0000] {x.py:1} ERROR - loop\nTraceback (most recent call last):\n";
    for (int i = 0; i < 2000; ++i) in += "  File \"/a.py\", line " + std::to_string(i) + ", in f\n";
    in += "RecursionError: maximum recursion depth exceeded\n";
    const auto r = ingest(in);
    BOOST_REQUIRE_EQUAL(r.entries.size(), 1u);
    const auto& e = r.entries[0];
    BOOST_TEST(e.continuation.size() == 501u);
    BOOST_TEST(e.continuation.back().find("1502 more lines of this entry dropped") != std::string::npos);
    BOOST_TEST(r.skipped("continuation-cap") == 1502u);
    // the final line is still read for the exception, even past the bound
    BOOST_TEST(e.exception == "RecursionError: maximum recursion depth exceeded");
}

BOOST_AUTO_TEST_CASE(many_containers_stay_bounded) {
    compose_options o;
    o.max_streams = 8;
    std::string in;
    for (int i = 0; i < 100; ++i) in += "svc" + std::to_string(i) + "-1  | line " + std::to_string(i) + "\n";
    const auto r = ingest(in, o);
    BOOST_TEST(r.entries.size() == 100u);
    BOOST_TEST(r.altered("stream-evicted") == 92u);
}

// Every line is either an entry's first line, a continuation of an entry told with that entry's first
// line, or a skip told with the reason the stats count it under: exactly once each.
template <class Parser>
void check_every_line_accounted(Parser p, std::string_view input, std::size_t chunk) {
    std::map<std::uint64_t, std::uint64_t> owner;  // line -> first line of its entry, 0 when skipped
    std::map<std::string, std::uint64_t> skips;
    std::map<std::uint64_t, std::size_t> continuations;  // first line -> continuation lines told
    std::size_t told_twice = 0;
    p.observe_lines([&](std::uint64_t line, std::uint64_t entry_line, std::string_view reason) {
        told_twice += !owner.emplace(line, entry_line).second;
        if (entry_line == 0) ++skips[std::string(reason)];
        else ++continuations[entry_line];
    });
    std::vector<log_entry> entries;
    const auto sink = [&](log_entry&& e) { entries.push_back(std::move(e)); };
    p.start({"x.log", "x"});
    for (std::size_t i = 0; i < input.size(); i += chunk) p.feed(input.substr(i, chunk), sink);
    p.finish(sink);
    for (const auto& e : entries) {
        told_twice += !owner.emplace(e.line, e.line).second;
        const auto told = continuations.count(e.line) ? continuations[e.line] : 0;
        const bool capped = !e.continuation.empty() && e.continuation.back().starts_with("[loglens: ");
        BOOST_TEST(told + (capped ? 1 : 0) == e.continuation.size(), "entry at line " << e.line);
    }
    BOOST_TEST(told_twice == 0u);
    BOOST_TEST(owner.size() == p.stats().lines);
    BOOST_TEST((owner.empty() || owner.rbegin()->first == p.stats().lines));
    BOOST_TEST(skips == p.stats().skipped);
    for (const auto& [line, first] : owner)
        BOOST_TEST((first == 0 || (first <= line && owner.at(first) == first)), "line " << line);
}

BOOST_AUTO_TEST_CASE(line_observer_accounts_for_every_line) {
    std::ifstream f(std::filesystem::path(LOGLENS_TEST_DATA_DIR) / "parse/compose_mixed.log", std::ios::binary);
    std::ifstream g(std::filesystem::path(LOGLENS_SOURCE_DIR) / "examples/logs/compose.log", std::ios::binary);
    std::stringstream mixed, example;
    mixed << f.rdbuf();
    example << g.rdbuf();
    BOOST_REQUIRE(mixed.str().size() > 1000u);
    BOOST_REQUIRE(example.str().size() > 1000u);
    std::string endless = "[2025-11-03T20:36:40.060+0000] {x.py:1} ERROR - loop\n\nTraceback (most recent call last):\n";
    for (int i = 0; i < 700; ++i) endless += "  File \"/a.py\", line " + std::to_string(i) + ", in f\n";
    std::string bin;
    for (int i = 0; i < 20000; ++i) bin += i % 37 == 36 ? '\n' : static_cast<char>((i * 7919) % 251);
    for (const std::string& input : {mixed.str(), example.str(), endless, bin}) {
        for (const std::size_t chunk : {std::size_t{97}, input.size() + 1}) {
            check_every_line_accounted(compose_parser{}, input, chunk);
            check_every_line_accounted(plain_parser{}, input, chunk);
        }
    }
}

BOOST_AUTO_TEST_CASE(plain_parser_still_works) {
    plain_parser p;
    p.start({"x.log", "x"});
    std::vector<log_entry> out;
    const auto sink = [&](log_entry&& e) { out.push_back(std::move(e)); };
    p.feed("ERROR one\n\nINFO two", sink);
    p.finish(sink);
    BOOST_REQUIRE_EQUAL(out.size(), 2u);
    BOOST_TEST(to_string(out[0].level) == "error");
    BOOST_TEST(p.stats().skipped.at("blank") == 1u);
}

// ---- wrappers around container output ------------------------------------------------------------

namespace {

const std::filesystem::path wrappers_dir = std::filesystem::path(LOGLENS_TEST_DATA_DIR) / "parse/wrappers";
const std::string docker_id = "3f4e5d6c7b8a9f0e1d2c3b4a5968778695a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0";

struct wrapped_run : parsed {
    wrapper_format wrapper = wrapper_format::none;
    bool newest_first = false;
};

// Parses a sample file as the CLI does (its path names the source, its stem the service).
wrapped_run ingest_sample(const std::filesystem::path& p, compose_options opts = {}, std::size_t chunk = 0) {
    const std::string in = read_file(p);
    compose_parser parser(std::move(opts));
    parser.start({p.string(), p.stem().string()});
    wrapped_run r;
    const auto sink = [&](log_entry&& e) { r.entries.push_back(std::move(e)); };
    if (chunk == 0) chunk = in.size() + 1;
    for (std::size_t i = 0; i < in.size(); i += chunk) parser.feed(std::string_view(in).substr(i, chunk), sink);
    parser.finish(sink);
    r.stats = parser.stats();
    r.wrapper = parser.detected_wrapper();
    r.newest_first = parser.newest_first();
    return r;
}

// The same input split in two at `cut`.
parsed ingest_split(std::string_view in, std::size_t cut) {
    compose_parser p;
    p.start({"logs/airflow.log", "airflow"});
    parsed r;
    const auto sink = [&](log_entry&& e) { r.entries.push_back(std::move(e)); };
    p.feed(in.substr(0, cut), sink);
    p.feed(in.substr(cut), sink);
    p.finish(sink);
    r.stats = p.stats();
    return r;
}

loglens::time_point utc_ns(int y, unsigned mo, unsigned d, int h, int mi, int s, long long ns) {
    return utc(y, mo, d, h, mi, s) + std::chrono::nanoseconds{ns};
}

}  // namespace

BOOST_AUTO_TEST_CASE(docker_json_file_read_directly_names_the_service_joins_split_lines) {
    const auto r = ingest_sample(wrappers_dir / docker_id / (docker_id + "-json.log"));
    BOOST_TEST(to_string(r.wrapper) == "docker-json");
    BOOST_REQUIRE_EQUAL(r.entries.size(), 6u);
    for (const auto& e : r.entries) BOOST_TEST(e.service == "airflow-scheduler");  // config.v2.json's compose label
    const auto& imp = r.with("Failed to import");
    BOOST_TEST(imp.exception == "ModuleNotFoundError: No module named 'pandas'");
    BOOST_TEST(imp.continuation.size() == 4u);
    BOOST_TEST(imp.continuation[1] == "  File \"/opt/airflow/dags/etl_daily.py\", line 7, in <module>");  // \u003c
    BOOST_TEST((imp.timestamp == utc_ns(2026, 5, 11, 0, 12, 34, 200000001)));                             // docker's time
    BOOST_TEST(imp.timestamp_text == "2026-05-11T00:12:34.200+0000");  // the line's own text
    BOOST_TEST(imp.line == 3u);
    // escaped quotes and backslashes, \u escapes and raw UTF-8 in the `log` field
    BOOST_TEST(r.with("says:").message == "DAG \"etl_daily\" says: \u00abquote \\\"inner\\\"\u00bb \U0001F680 caf\u00e9");
    const auto& big = r.with("Task failed with payload");
    BOOST_TEST(big.message.size() == 40000u + std::string_view("Task failed with payload:  end").size());
    BOOST_TEST(big.message.ends_with("x end"));
    BOOST_TEST(big.line == 9u);
    BOOST_TEST(r.altered("partial-record") == 2u);  // three 16 KiB records, one line
    BOOST_TEST(r.with("Exiting gracefully").line == 12u);
    BOOST_TEST(r.altered("ansi-escape") == 1u);
    BOOST_TEST(r.stats.lines == 12u);
    BOOST_TEST(r.stats.entries == 6u);
    for (std::size_t chunk : {1u, 7u, 4096u, 8192u}) {
        BOOST_TEST_CONTEXT("chunk " << chunk) {
            const auto part = ingest_sample(wrappers_dir / docker_id / (docker_id + "-json.log"), {}, chunk);
            BOOST_REQUIRE_EQUAL(part.entries.size(), r.entries.size());
            for (std::size_t i = 0; i < r.entries.size(); ++i)
                BOOST_TEST(fingerprint(part.entries[i]) == fingerprint(r.entries[i]));
        }
    }
}

BOOST_AUTO_TEST_CASE(runtime_log_paths_name_their_container) {
    const std::string id = docker_id;
    BOOST_TEST(detail::service_from_path("/var/lib/docker/containers/" + id + "/" + id + "-json.log", "x") ==
               "3f4e5d6c7b8a");
    BOOST_TEST(detail::service_from_path("/var/log/containers/airflow-worker-0_airflow_worker-" + id + ".log", "x") ==
               "worker");
    BOOST_TEST(detail::service_from_path("/var/log/pods/airflow_airflow-worker-0_5f1d2c3b/worker/0.log", "0") == "worker");
    BOOST_TEST(detail::service_from_path("logs/airflow-worker.log", "airflow-worker") == "airflow-worker");
    BOOST_TEST(detail::service_from_path("logs/0.log", "0") == "0");
}

BOOST_AUTO_TEST_CASE(docker_json_every_split_point_crlf_bad_bytes_and_escapes) {
    const std::string in =
        "{\"log\":\"[2026-05-11T00:12:34.200+0000] {dagbag.py:387} ERROR - Failed: \\\"q\\\" \\\\ \\u00e9 \\ud83d\\ude80\\r\\n\","
        "\"stream\":\"stderr\",\"time\":\"2026-05-11T00:12:34.2Z\"}\r\n"
        "{\"log\":\"Traceback (most recent call last):\\n\",\"stream\":\"stderr\",\"time\":\"2026-05-11T00:12:34.3Z\"}\n"
        "{\"log\":\"  File \\\"/x.py\\\", line 1, in \\u003cmodule\\u003e\\n\",\"stream\":\"stderr\",\"time\":\"2026-05-11T00:12:34.4Z\"}\n"
        "{\"log\":\"ValueError: bad \xff\xfe bytes \\udc80 lone \\u0000 nul\\n\",\"stream\":\"stderr\",\"time\":\"2026-05-11T00:12:34.5Z\"}\n"
        "{\"log\":\"split \",\"stream\":\"stdout\",\"time\":\"2026-05-11T00:12:35Z\"}\n"
        "{\"log\":\"[2026-05-11T00:12:36.000+0000] {x.py:1} INFO - interleaved\\n\",\"stream\":\"stderr\",\"time\":\"2026-05-11T00:12:36Z\"}\n"
        "{\"log\":\"line\\n\",\"stream\":\"stdout\",\"time\":\"2026-05-11T00:12:35.1Z\"}\n"s;
    const auto whole = ingest(in);
    BOOST_REQUIRE_EQUAL(whole.entries.size(), 3u);
    const auto& e = whole.with("Failed:");
    BOOST_TEST(e.message == "Failed: \"q\" \\ \u00e9 \U0001F680");
    BOOST_TEST(e.exception == "ValueError: bad \uFFFD\uFFFD bytes \uFFFD lone \uFFFD nul");
    BOOST_TEST(e.continuation[1] == "  File \"/x.py\", line 1, in <module>");
    BOOST_TEST(whole.with("split line").service == "airflow");  // stdout's pieces join across a stderr record
    BOOST_TEST(whole.altered("crlf") == 2u);                    // the record's own and the payload's
    BOOST_TEST(whole.altered("invalid-utf8") == 2u);            // raw bytes (line splitter), lone surrogate (decoder)
    BOOST_TEST(whole.altered("nul-byte") == 1u);
    BOOST_TEST(whole.altered("partial-record") == 1u);
    for (std::size_t cut = 0; cut <= in.size(); ++cut) {
        BOOST_TEST_CONTEXT("cut at " << cut) {
            const auto part = ingest_split(in, cut);
            BOOST_REQUIRE_EQUAL(part.entries.size(), whole.entries.size());
            for (std::size_t i = 0; i < whole.entries.size(); ++i)
                BOOST_TEST(fingerprint(part.entries[i]) == fingerprint(whole.entries[i]));
            BOOST_TEST((part.stats.altered == whole.stats.altered));
        }
    }
}

BOOST_AUTO_TEST_CASE(journalctl_short_iso_demultiplexes_containers) {
    const auto r = ingest_sample(wrappers_dir / "journal_short_iso.log");
    BOOST_TEST(to_string(r.wrapper) == "journal-short");
    BOOST_TEST(r.skipped("wrapper-meta") == 2u);  // `-- Journal begins ...`, `-- Boot ... --`
    BOOST_REQUIRE_EQUAL(r.entries.size(), 7u);
    const auto& task = r.with("raised unexpected");
    BOOST_TEST(task.service == "mlops-airflow-worker");
    BOOST_TEST(task.exception.starts_with("airflow.exceptions.AirflowException: Celery command failed"));
    BOOST_TEST(task.continuation.size() == 6u);  // the Redis line in between went to its own stream
    BOOST_TEST(r.with("Background saving started").service == "mlops-redis");
    const auto& sd = r.with("Started docker.service");
    BOOST_TEST(sd.service == "systemd");
    BOOST_TEST((sd.timestamp == utc(2026, 5, 11, 0, 14, 2)));
    BOOST_TEST(sd.timestamp_text == "2026-05-11T00:14:02+0000");
    const auto colon = ingest(
        "2026-05-11T00:12:30+00:00 node1 mlops-redis-1[812]: 1:M 11 May 2026 00:12:30.103 # boom\n"
        "2026-05-11T00:12:31.5+00:00 node1 mlops-redis-1[812]: 1:M 11 May 2026 00:12:31.103 * ok\n");
    BOOST_REQUIRE_EQUAL(colon.entries.size(), 2u);
    BOOST_TEST(colon.entries[0].service == "mlops-redis");
    BOOST_TEST(to_string(colon.entries[0].level) == "warning");
}

BOOST_AUTO_TEST_CASE(journalctl_json_messages_bytes_partials_and_priority) {
    const auto r = ingest_sample(wrappers_dir / "journal.json");
    BOOST_TEST(to_string(r.wrapper) == "journal-json");
    BOOST_REQUIRE_EQUAL(r.entries.size(), 5u);
    const auto& boot = r.with("Booting worker");
    BOOST_TEST(boot.service == "mlops-airflow-webserver");
    BOOST_TEST(to_string(boot.level) == "info");
    const auto docker = ingest(
        "{\"__REALTIME_TIMESTAMP\":\"1778458350000000\",\"PRIORITY\":\"3\",\"CONTAINER_NAME\":"
        "\"mlops-minio-1\",\"MESSAGE\":\"Status: 4 Online, 0 Offline.\"}\n");
    BOOST_REQUIRE_EQUAL(docker.entries.size(), 1u);
    BOOST_TEST(docker.entries[0].service == "mlops-minio");
    BOOST_TEST(to_string(docker.entries[0].level) == "info");  // docker writes every stderr line at priority 3
    // a fuzzer's 18-digit clock overflowed the nanosecond time point; out of 2001..2200 it is no timestamp
    for (const char* us : {"177845000000000000", "9223372036854775807", "17784583500000"}) {
        const auto odd = ingest(std::string{"{\"__REALTIME_TIMESTAMP\":\""} + us +
                                "\",\"PRIORITY\":\"6\",\"CONTAINER_NAME\":\"mlops-minio-1\",\"MESSAGE\":\"up\"}\n");
        BOOST_REQUIRE_EQUAL(odd.entries.size(), 1u);
        BOOST_TEST(odd.entries[0].message == "up");
        BOOST_TEST(!odd.entries[0].timestamp);
    }
    BOOST_TEST(r.with("Exception on /home").exception == "cryptography.fernet.InvalidToken");
    const auto& pg = r.with("password");
    BOOST_TEST(pg.service == "mlops-postgres");
    BOOST_TEST(pg.message == "password f\u00fcr \uFFFD\uFFFD failed");  // MESSAGE as an array of bytes
    BOOST_TEST(to_string(pg.level) == "error");
    BOOST_TEST(r.altered("invalid-utf8") == 1u);
    BOOST_TEST(r.with("No user yet created").message == "No user yet created");
    BOOST_TEST(to_string(r.with("No user yet created").level) == "warning");
    BOOST_TEST(r.altered("partial-record") == 1u);
    const auto& unit = r.with("Failed to start");
    BOOST_TEST(unit.service == "systemd");
    BOOST_TEST(to_string(unit.level) == "error");       // a host unit's priority 3 is its level
    BOOST_REQUIRE_EQUAL(unit.continuation.size(), 1u);  // one MESSAGE, two lines, one entry
    BOOST_TEST((unit.timestamp == utc(2026, 5, 11, 0, 12, 30) + std::chrono::microseconds{4000}));
    BOOST_TEST(unit.timestamp_text == "2026-05-11T00:12:30.004000Z");
}

BOOST_AUTO_TEST_CASE(syslog_rfc3164_and_rfc5424_forwarded_containers) {
    const auto r = ingest_sample(wrappers_dir / "syslog_rfc3164.log");
    BOOST_TEST(to_string(r.wrapper) == "syslog");
    BOOST_REQUIRE_EQUAL(r.entries.size(), 5u);
    const auto& fail = r.with("Failed to launch executor");
    BOOST_TEST(fail.service == "mlops-spark-worker");  // `docker/` and the replica number go
    BOOST_TEST(fail.exception == "java.io.IOException: error=12, Cannot allocate memory");  // rsyslog's #011 frames fold
    BOOST_TEST(fail.continuation.size() == 6u);
    BOOST_TEST(fail.continuation[1].starts_with("\tat java.base/"));
    BOOST_TEST((fail.timestamp == utc(2026, 5, 11, 0, 12, 42)));  // the line's own, syslog's has no year
    const auto& oom = r.with("Out of memory");
    BOOST_TEST(oom.service == "kernel");
    BOOST_TEST(oom.timestamp_text == "May 11 00:12:44");
    const auto s5 = ingest_sample(wrappers_dir / "syslog_rfc5424.log");
    BOOST_TEST(to_string(s5.wrapper) == "syslog5424");
    BOOST_REQUIRE_EQUAL(s5.entries.size(), 4u);
    const auto& full = s5.with("drive path full");
    BOOST_TEST(full.service == "minio");
    BOOST_TEST(full.component == "PutObject");
    BOOST_TEST(full.continuation.size() == 4u);
    BOOST_TEST(s5.with("DB saved").service == "redis");
}

BOOST_AUTO_TEST_CASE(kubectl_prefix_with_timestamps_and_cri_files) {
    const auto k = ingest_sample(wrappers_dir / "kubectl_prefix_timestamps.log");
    BOOST_TEST(to_string(k.wrapper) == "none");  // compose-like prefixes: the compose reader's
    BOOST_REQUIRE_EQUAL(k.entries.size(), 4u);
    const auto& imp = k.with("Failed to import");
    BOOST_TEST(imp.service == "scheduler");
    BOOST_TEST(imp.exception == "ModuleNotFoundError: No module named 'pandas'");
    BOOST_TEST((imp.timestamp == utc(2026, 5, 11, 0, 12, 34, 200)));
    BOOST_TEST(k.with("Error initializing SparkContext").service == "spark-kubernetes-driver");
    const auto c = ingest_sample(wrappers_dir / "cri_containerd.log");
    BOOST_TEST(to_string(c.wrapper) == "cri");
    BOOST_REQUIRE_EQUAL(c.entries.size(), 3u);
    BOOST_TEST(c.with("Failed to import").exception == "ModuleNotFoundError: No module named 'pandas'");
    BOOST_TEST(c.with("Processing").message == "Processing files in /opt/airflow/dags took 0.42 s");  // P + F
    BOOST_TEST(c.altered("partial-record") == 1u);
}

BOOST_AUTO_TEST_CASE(loki_and_grafana_exports_newest_first_are_put_back_in_order) {
    for (const char* name : {"loki_logcli_newest_first.log", "loki_logcli.jsonl", "grafana_download.txt"}) {
        BOOST_TEST_CONTEXT(name) {
            for (std::size_t window : {4096u, 2u, 3u}) {
                BOOST_TEST_CONTEXT("window " << window) {
                    compose_options o;
                    o.reorder_window = window;
                    const auto r = ingest_sample(wrappers_dir / name, o);
                    BOOST_TEST(r.newest_first);
                    const auto& task = r.with("raised unexpected");
                    BOOST_TEST(task.service == "mlops-airflow-worker");
                    BOOST_TEST(task.exception.starts_with("airflow.exceptions.AirflowException: Celery command failed"));
                    BOOST_REQUIRE_EQUAL(task.continuation.size(), 4u);
                    BOOST_TEST(task.continuation[0] == "Traceback (most recent call last):");
                    BOOST_TEST(task.continuation[2] == "    raise AirflowException(msg)");
                    BOOST_TEST(r.count_with("raise AirflowException") == 0u);
                    BOOST_TEST(r.entries.size() == (std::string_view(name).starts_with("grafana") ? 2u : 5u));
                    BOOST_TEST(r.with("Connected to redis").service == "mlops-airflow-worker");
                    for (const auto& e : r.entries) BOOST_TEST(!e.fragment);
                }
            }
        }
    }
    const auto g = ingest_sample(wrappers_dir / "grafana_download.txt");
    BOOST_TEST(to_string(g.wrapper) == "grafana-text");
    BOOST_TEST(g.skipped("wrapper-meta") == 5u);  // its header: labels, limits, blank lines
    BOOST_TEST(g.entries.size() == 2u);
    const auto l = ingest_sample(wrappers_dir / "loki_logcli_newest_first.log");
    BOOST_TEST(to_string(l.wrapper) == "loki-text");
    BOOST_TEST(l.entries.size() == 5u);
    BOOST_TEST(l.with("Memory overcommit").service == "mlops-redis");
}

BOOST_AUTO_TEST_CASE(wrappers_are_not_seen_in_ordinary_logs) {
    // Loghub's samples: only the three syslog files are syslog; none of the others is wrapped
    const auto dir = std::filesystem::path(LOGLENS_TEST_DATA_DIR) / "parse/loghub";
    std::size_t files = 0;
    for (const auto& f : std::filesystem::directory_iterator(dir)) {
        if (f.path().extension() != ".log") continue;
        ++files;
        const auto stem = f.path().stem().string();
        const auto r = ingest_sample(f.path());
        const bool syslog = stem == "Linux" || stem == "Mac" || stem == "OpenSSH";
        BOOST_TEST(to_string(r.wrapper) == (syslog ? "syslog" : "none"), stem);
        BOOST_TEST(r.altered("headless-trace") + r.skipped("headless-trace") == 0u, stem);
    }
    BOOST_TEST(files == 16u);
    const auto mixed = ingest_sample(std::filesystem::path(LOGLENS_TEST_DATA_DIR) / "parse/compose_mixed.log");
    BOOST_TEST(to_string(mixed.wrapper) == "none");
    const auto ssh = ingest_sample(dir / "OpenSSH.log");
    BOOST_TEST(ssh.entries.front().service == "sshd");
    BOOST_TEST(ssh.entries.front().timestamp_text == "Dec 10 06:55:46");
}

BOOST_AUTO_TEST_CASE(forced_formats_still_apply_inside_wrappers) {
    compose_options o;
    o.format = log_format::spark;
    const auto r = ingest_sample(wrappers_dir / "syslog_rfc3164.log", o);
    BOOST_TEST(to_string(r.wrapper) == "syslog");
    BOOST_TEST(r.with("Failed to launch executor").exception == "java.io.IOException: error=12, Cannot allocate memory");
    compose_options raw;
    raw.wrapper = wrapper_format::none;
    const auto plain = ingest_sample(wrappers_dir / "journal.json", raw);
    BOOST_TEST(to_string(plain.wrapper) == "none");
    BOOST_TEST(plain.entries.size() == 9u);  // every record read as the line it is
    compose_options forced;
    forced.wrapper = wrapper_format::cri;
    forced.detect_binary = false;
    const auto c = ingest("2026-05-11T00:12:33.1Z stdout F hello\n", forced);
    BOOST_REQUIRE_EQUAL(c.entries.size(), 1u);
    BOOST_TEST(c.entries[0].message == "hello");
}

BOOST_AUTO_TEST_CASE(public_samples_of_wrapped_output) {
    // excerpts users posted in public issue threads: tests/data/parse/public/PROVENANCE.md
    const auto dir = std::filesystem::path(LOGLENS_TEST_DATA_DIR) / "parse/public";
    const auto j = ingest_sample(dir / "moby-20443-journal.json");
    BOOST_TEST(to_string(j.wrapper) == "journal-json");
    BOOST_REQUIRE_EQUAL(j.entries.size(), 1u);
    BOOST_TEST(j.entries[0].service == "mysql1");
    BOOST_TEST(j.entries[0].message == "database is uninitialized and password option is not specified ");
    BOOST_TEST(to_string(j.entries[0].level) == "error");
    BOOST_TEST((j.entries[0].timestamp == utc(2017, 10, 11, 21, 47, 23) + std::chrono::microseconds{429858}));
    const auto b = ingest_sample(dir / "beats-11742-journal-short.log");
    BOOST_TEST(to_string(b.wrapper) == "syslog");
    BOOST_REQUIRE_EQUAL(b.entries.size(), 3u);  // the indented steps continue the line before them
    BOOST_TEST(b.entries[2].continuation.size() == 7u);
    BOOST_TEST(b.entries[0].service == "35821bdbcddf");
    BOOST_TEST(b.entries[0].timestamp_text == "Apr 10 12:46:24");
    BOOST_TEST(b.skipped("blank") == 3u);
    BOOST_TEST(b.skipped("wrapper-meta") == 1u);
    const auto d = ingest_sample(dir / "railcar-32-json.log");
    BOOST_TEST(to_string(d.wrapper) == "docker-json");
    BOOST_REQUIRE_EQUAL(d.entries.size(), 2u);
    BOOST_TEST(d.entries[0].component == "access");
    BOOST_TEST(d.entries[0].raw.find("\"GET / HTTP/1.1\" 200") != std::string::npos);
    BOOST_TEST(!d.entries[0].raw.ends_with("\r"));
    BOOST_TEST(d.altered("crlf") == 2u);
    const auto m = ingest_sample(dir / "moby-14948-journal-short.log");
    BOOST_REQUIRE_EQUAL(m.entries.size(), 4u);
    BOOST_TEST(m.entries[0].service == "dockerd");
    BOOST_TEST(m.entries[0].message == "Wed Jul 13 11:13:43 UTC 2016");
}

BOOST_AUTO_TEST_CASE(lines_cut_by_a_terminal_are_joined_when_unambiguous) {
    // a copy of compose output from a 120-column terminal: every longer line was cut into 120-column pieces
    const auto cut = ingest_sample(wrappers_dir / "terminal_wrapped_120.log");
    BOOST_TEST(cut.altered("terminal-wrap") == 110u);                          // 310 lines cut from 200
    const auto uncut = ingest_sample(wrappers_dir / "terminal_original.log");  // the same lines, uncut
    BOOST_TEST(uncut.altered("terminal-wrap") == 0u);
    BOOST_REQUIRE_EQUAL(cut.entries.size(), uncut.entries.size());
    for (std::size_t i = 0; i < uncut.entries.size(); ++i) {
        BOOST_TEST(cut.entries[i].message == uncut.entries[i].message);
        BOOST_TEST(cut.entries[i].service == uncut.entries[i].service);
        BOOST_TEST(cut.entries[i].continuation == uncut.entries[i].continuation);
    }
    BOOST_TEST(cut.stats.lines > uncut.stats.lines);  // every piece is counted as read
    // lines that merely reach the widest length, followed by lines of their own, are left alone
    std::string fixed;
    for (int i = 0; i < 12; ++i)
        fixed += "2026-05-11T00:12:" + std::to_string(10 + i) + "Z INFO " + std::string(i % 2 ? 40 : 60, 'a') + "\n";
    const auto same = ingest(fixed);
    BOOST_TEST(same.entries.size() == 12u);
    BOOST_TEST(same.altered("terminal-wrap") == 0u);
}

// ---- fragments: an input that starts inside a traceback or a stack trace ---------------------------

BOOST_AUTO_TEST_CASE(headless_python_tails_fold_into_their_exception) {
    const auto r = ingest_sample(std::filesystem::path(LOGLENS_TEST_DATA_DIR) / "parse/fragments/python_tail_since.log");
    BOOST_REQUIRE_EQUAL(r.entries.size(), 5u);
    const auto& sql = r.with("sqlalchemy.exc.OperationalError");
    BOOST_TEST(sql.fragment);
    BOOST_TEST(sql.service == "airflow-scheduler");
    BOOST_TEST(sql.message == sql.exception);
    BOOST_TEST(sql.continuation.back() == "(Background on this error at: https://sqlalche.me/e/14/e3q8)");
    const auto& red = r.with("redis.exceptions.ConnectionError");
    BOOST_TEST(red.fragment);
    BOOST_TEST(to_string(red.level) == "error");
    BOOST_TEST(r.count_with("raise") == 0u);
    BOOST_TEST(r.count_with("Background on this error") == 0u);
    BOOST_TEST(r.count_with("File \"") == 0u);
    BOOST_TEST(!r.with("Starting the scheduler").fragment);
    BOOST_TEST(r.altered("headless-trace") == 9u);  // 7 lines of one tail, 2 of the other (a blank line skipped)
    const auto bg = ingest_sample(std::filesystem::path(LOGLENS_TEST_DATA_DIR) / "parse/fragments/background_only.log");
    BOOST_REQUIRE_EQUAL(bg.entries.size(), 1u);  // the lone epilogue is nothing; the frames after INFO are its lines
    BOOST_TEST(bg.skipped("headless-trace") == 1u);
    const auto ch = ingest_sample(std::filesystem::path(LOGLENS_TEST_DATA_DIR) / "parse/fragments/chained_tail.log");
    BOOST_REQUIRE_EQUAL(ch.entries.size(), 2u);
    BOOST_TEST(ch.entries[0].fragment);
    BOOST_TEST(ch.entries[0].message ==
               "kombu.exceptions.OperationalError: Error 111 connecting to redis:6379. Connection refused.");
    const auto art = ingest(
        "  ____________       _____________\n ____    |__( )_________  __/__  /________      __\n"
        "[2026-05-11T00:12:40.060+0000] {x.py:1} INFO - up\n");
    BOOST_REQUIRE_EQUAL(art.entries.size(), 2u);  // indented lines that are no trace stay an entry
    BOOST_TEST(!art.entries[0].fragment);
    BOOST_TEST(to_string(art.entries[0].level) == "info");
}

BOOST_AUTO_TEST_CASE(headless_jvm_tail_keeps_its_root_cause_and_a_caused_by_chain_is_one_entry) {
    const auto r = ingest_sample(std::filesystem::path(LOGLENS_TEST_DATA_DIR) / "parse/fragments/jvm_tail_rotated.log");
    BOOST_REQUIRE_EQUAL(r.entries.size(), 3u);
    const auto& e = r.entries[0];
    BOOST_TEST(e.fragment);
    BOOST_TEST(e.message == "java.lang.OutOfMemoryError: GC overhead limit exceeded");
    BOOST_TEST(e.continuation.size() == 8u);
    BOOST_TEST(r.altered("headless-trace") == 9u);
    const auto frames = ingest(
        "\tat org.apache.hadoop.ipc.Client.call(Client.java:1435)\n\t... 4 more\n"
        "26/05/11 00:13:02 INFO SparkContext: Invoking stop() from shutdown hook\n");
    BOOST_REQUIRE_EQUAL(frames.entries.size(), 1u);  // frames with no exception: nothing to report, counted
    BOOST_TEST(frames.skipped("headless-trace") == 2u);
    const auto chain = ingest(
        "26/05/11 00:12:42 ERROR Executor: Exception in task 0.0 in stage 1.0 (TID 1)\n"
        "org.apache.spark.SparkException: Task failed while writing rows.\n"
        "\tat org.apache.spark.sql.execution.datasources.FileFormatWriter$.executeTask(FileFormatWriter.scala:500)\n"
        "Caused by: java.io.IOException: Failed to rename\n"
        "\tat org.apache.hadoop.fs.FileUtil.rename(FileUtil.java:321)\n"
        "\t... 8 more\n"
        "Caused by: java.nio.file.AccessDeniedException: /data/out/part-0000\n"
        "\t... 12 more\n");
    BOOST_REQUIRE_EQUAL(chain.entries.size(), 1u);
    BOOST_TEST(chain.entries[0].exception == "java.nio.file.AccessDeniedException: /data/out/part-0000");
    BOOST_TEST(!chain.entries[0].fragment);
}

BOOST_AUTO_TEST_CASE(close_idle_ends_a_quiet_containers_entry_by_time) {
    static_assert(live_parser<compose_parser> && live_parser<plain_parser>);
    compose_parser p;
    p.start({"<stdin>", ""});
    std::vector<log_entry> out;
    const auto sink = [&](log_entry&& e) { out.push_back(std::move(e)); };
    // a traceback as the last thing the worker prints, while the scheduler goes on
    p.feed(
        "worker-1     | 2025-01-01 10:00:00,000 ERROR Task failed\n"
        "worker-1     | Traceback (most recent call last):\n"
        "worker-1     |   File \"job.py\", line 3, in run\n"
        "worker-1     | KeyError: 'x'\n",
        sink);
    const live_time t0{};
    const auto gap = std::chrono::seconds(2);
    p.close_idle(t0, gap, sink);  // under 8 KiB so far: the input's kind is decided once it stalls
    p.close_idle(t0 + std::chrono::milliseconds(500), gap, sink);
    for (int i = 1; i <= 15; ++i) {  // the entry became idle at 500 ms, when the parser first saw it
        p.feed("scheduler-1  | 2025-01-01 10:00:0" + std::to_string(i % 10) + ",000 INFO heartbeat\n", sink);
        p.close_idle(t0 + std::chrono::milliseconds(500 + 100 * i), gap, sink);
    }
    const auto worker_entries = [&] {
        return std::count_if(out.begin(), out.end(), [](const log_entry& e) { return e.service == "worker"; });
    };
    BOOST_TEST(worker_entries() == 0, "held while the gap has not passed");
    p.close_idle(t0 + std::chrono::milliseconds(2600), gap, sink);
    BOOST_REQUIRE(worker_entries() == 1);
    const auto& e = *std::find_if(out.begin(), out.end(), [](const log_entry& x) { return x.service == "worker"; });
    BOOST_TEST(e.exception == "KeyError: 'x'");
    BOOST_TEST(e.continuation.size() == 3u);
    const auto before = out.size();
    p.close_idle(t0 + std::chrono::seconds(10), gap, sink);
    p.finish(sink);
    BOOST_TEST(std::count_if(out.begin() + static_cast<std::ptrdiff_t>(before), out.end(),
                             [](const log_entry& x) { return x.service == "worker"; }) == 0,
               "an entry closed by time is not emitted again");
}

BOOST_AUTO_TEST_SUITE_END()
