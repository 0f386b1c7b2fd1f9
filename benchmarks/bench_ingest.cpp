// Throughput and memory of compose_parser on a generated, realistic `docker compose logs -t` stream.
// SPDX-License-Identifier: MIT
//
//   bench_ingest            MB/s and lines/s on 64 MB held in memory (demux, parse, timestamps, severity, folding)
//   bench_ingest --stream   streams 1 GB generated on the fly through the parser and prints the peak RSS
//   bench_ingest --stream N the same with N MB
//   bench_ingest --write FILE LINES   writes the stream (at least LINES lines) to FILE, for whole-CLI benchmarks
#include <loglens/loglens.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <string_view>

#include <time.h>

namespace {

// Deterministic: the same stream in every run.
struct rng {
    std::uint64_t s = 0x9E3779B97F4A7C15ull;
    std::uint32_t next() {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        return static_cast<std::uint32_t>(s >> 11);
    }
    std::uint32_t below(std::uint32_t n) { return next() % n; }
};

// Writes compose output of five containers: Airflow scheduler and webserver (with tracebacks and access
// lines), Spark (log4j with stack traces), Redis and MinIO (with an error block now and then).
class generator {
public:
    void fill(std::string& out, std::size_t bytes) {
        out.clear();
        out.reserve(bytes + 4096);
        while (out.size() < bytes) one(out);
    }

private:
    void stamp(std::string& out, std::string_view container) {
        ns_ += 1000 + r_.below(5000000);
        const auto s = ns_ / 1000000000ull;
        const auto frac = ns_ % 1000000000ull;
        const unsigned hh = static_cast<unsigned>((s / 3600) % 24), mm = static_cast<unsigned>((s / 60) % 60),
                       ss = static_cast<unsigned>(s % 60);
        char buf[96];
        const int n = std::snprintf(buf, sizeof buf, "%-26.*s| 2025-11-03T%02u:%02u:%02u.%09lluZ ",
                                    static_cast<int>(container.size()), container.data(), hh, mm, ss,
                                    static_cast<unsigned long long>(frac));
        out.append(buf, static_cast<std::size_t>(n));
        hh_ = hh, mm_ = mm, ss_ = ss;
    }

    void line(std::string& out, std::string_view container, std::string_view text) {
        stamp(out, container);
        out += text;
        out += '\n';
    }

    void one(std::string& out) {
        char buf[512];
        const unsigned k = r_.below(100);
        const unsigned id = r_.below(100000);
        if (k < 30) {
            const int n = std::snprintf(buf, sizeof buf,
                                        "[2025-11-03T%02u:%02u:%02u.%03u+0000] {scheduler_job_runner.py:%u} INFO - "
                                        "Setting the following tasks to queued state: <TaskInstance: etl_daily.load_%u "
                                        "scheduled__2025-11-03T00:00:00+00:00 [scheduled]>",
                                        hh_, mm_, ss_, id % 1000, 400 + id % 50, id);
            line(out, "mlops-airflow-scheduler-1", {buf, static_cast<std::size_t>(n)});
        } else if (k < 50) {
            const int n = std::snprintf(
                buf, sizeof buf,
                "172.18.0.%u - - [03/Nov/2025:%02u:%02u:%02u +0000] \"GET /api/v1/dags/etl_%u/dagRuns "
                "HTTP/1.1\" %u %u \"-\" \"Mozilla/5.0 (X11; Linux x86_64)\"",
                id % 250, hh_, mm_, ss_, id % 40, k < 49 ? 200u : 503u, 200 + id % 5000);
            line(out, "mlops-airflow-webserver-1", {buf, static_cast<std::size_t>(n)});
        } else if (k < 70) {
            const int n = std::snprintf(buf, sizeof buf,
                                        "25/11/03 %02u:%02u:%02u %s TaskSetManager: Finished task %u.0 in stage %u.0 "
                                        "(TID %u) in %u ms on 172.18.0.%u (executor %u) (%u/200)",
                                        hh_, mm_, ss_, k < 68 ? "INFO" : "WARN", id % 200, id % 30, id, id % 9000, id % 250,
                                        id % 8, id % 200);
            line(out, "mlops-spark-worker-1", {buf, static_cast<std::size_t>(n)});
        } else if (k < 85) {
            const int n = std::snprintf(buf, sizeof buf,
                                        "1:M 03 Nov 2025 %02u:%02u:%02u.%03u %s %u changes in 60 seconds. Saving...", hh_,
                                        mm_, ss_, id % 1000, k < 84 ? "*" : "#", id % 10000);
            line(out, "mlops-redis-1", {buf, static_cast<std::size_t>(n)});
        } else if (k < 95) {
            const int n = std::snprintf(buf, sizeof buf,
                                        "WARNING: Console endpoint is listening on a dynamic port (%u), please use "
                                        "--console-address \":PORT\" to choose a static port.",
                                        30000 + id % 30000);
            line(out, "mlops-minio-1", {buf, static_cast<std::size_t>(n)});
        } else if (k < 97) {
            python_traceback(out, id);
        } else if (k < 99) {
            jvm_trace(out, id);
        } else {
            minio_block(out, id);
        }
    }

    void python_traceback(std::string& out, unsigned id) {
        char buf[256];
        const auto c = "mlops-airflow-scheduler-1";
        int n = std::snprintf(
            buf, sizeof buf,
            "[2025-11-03T%02u:%02u:%02u.%03u+0000] {taskinstance.py:2698} ERROR - Task failed with exception", hh_, mm_,
            ss_, id % 1000);
        line(out, c, {buf, static_cast<std::size_t>(n)});
        line(out, c, "Traceback (most recent call last):");
        line(
            out, c,
            "  File \"/home/airflow/.local/lib/python3.8/site-packages/airflow/models/taskinstance.py\", line 433, in _execute_task");
        line(out, c, "    result = execute_callable(context=context, **execute_callable_kwargs)");
        line(out, c, "  File \"/opt/airflow/dags/etl_daily.py\", line 41, in load");
        line(out, c, "    raise ValueError(f\"bad row {row_id}\")");
        n = std::snprintf(buf, sizeof buf, "ValueError: bad row %u", id);
        line(out, c, {buf, static_cast<std::size_t>(n)});
    }

    void jvm_trace(std::string& out, unsigned id) {
        char buf[256];
        const auto c = "mlops-spark-worker-1";
        int n = std::snprintf(buf, sizeof buf,
                              "25/11/03 %02u:%02u:%02u ERROR Executor: Exception in task %u.0 in stage 3.0 (TID %u)", hh_,
                              mm_, ss_, id % 200, id);
        line(out, c, {buf, static_cast<std::size_t>(n)});
        line(out, c, "java.lang.ArithmeticException: / by zero");
        line(out, c, "\tat org.example.etl.Transform.apply(Transform.scala:88)");
        line(out, c, "\tat org.apache.spark.rdd.RDD.$anonfun$mapPartitions$2(RDD.scala:855)");
        line(out, c, "\tat org.apache.spark.scheduler.ResultTask.runTask(ResultTask.scala:93)");
        line(out, c, "Caused by: java.io.IOException: No space left on device");
        line(out, c, "\tat java.base/java.io.FileOutputStream.writeBytes(Native Method)");
        line(out, c, "\t... 12 more");
    }

    void minio_block(std::string& out, unsigned id) {
        char buf[256];
        const auto c = "mlops-minio-1";
        line(out, c, "API: SYSTEM.storage()");
        int n = std::snprintf(buf, sizeof buf, "Time: %02u:%02u:%02u UTC 11/03/2025", hh_, mm_, ss_);
        line(out, c, {buf, static_cast<std::size_t>(n)});
        line(out, c, "DeploymentID: 6c2e4a1b-7f1d-4b8e-9a2f-0d5c3e8b1a77");
        n = std::snprintf(buf, sizeof buf, "Error: Drive /data%u returned an unexpected error (*fs.PathError)", id % 4);
        line(out, c, {buf, static_cast<std::size_t>(n)});
        line(out, c, "       6: internal/logger/logger.go:268:logger.LogIf()");
        line(out, c, "       5: cmd/xl-storage.go:321:cmd.newXLStorage()");
    }

    rng r_;
    std::uint64_t ns_ = 20ull * 3600 * 1000000000ull;
    unsigned hh_ = 20, mm_ = 0, ss_ = 0;
};

long peak_rss_kib() {
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("VmHWM:", 0) == 0) return std::strtol(line.c_str() + 6, nullptr, 10);
    return -1;
}

struct run_result {
    std::uint64_t bytes = 0, lines = 0, entries = 0, errors = 0;
    double seconds = 0;  // CPU time of this thread: "per core", and steady on a shared machine
    double wall_seconds = 0;
};

double thread_cpu_seconds() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

template <class Source>
run_result run(Source&& next_chunk) {
    loglens::compose_parser p;
    p.start({"<bench>", "bench"});
    run_result r;
    const auto sink = [&](loglens::log_entry&& e) {
        ++r.entries;
        r.errors += e.level >= loglens::severity::error;
    };
    const auto t0 = std::chrono::steady_clock::now();
    const double c0 = thread_cpu_seconds();
    std::string_view chunk;
    while (next_chunk(chunk)) p.feed(chunk, sink);
    p.finish(sink);
    r.seconds = thread_cpu_seconds() - c0;
    r.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    r.bytes = p.stats().bytes;
    r.lines = p.stats().lines;
    return r;
}

void print(const char* what, const run_result& r) {
    std::printf("%s: %.1f MB in %.2f s CPU (%.2f s wall): %.0f MB/s, %.2f M lines/s, %llu entries (%llu error or worse)\n",
                what, static_cast<double>(r.bytes) / 1e6, r.seconds, r.wall_seconds,
                static_cast<double>(r.bytes) / r.seconds / 1e6, static_cast<double>(r.lines) / r.seconds / 1e6,
                static_cast<unsigned long long>(r.entries), static_cast<unsigned long long>(r.errors));
}

}  // namespace

int main(int argc, char** argv) {
    constexpr std::size_t chunk_size = 256 * 1024;  // what loglens::pipeline reads at once
    const std::string_view mode = argc > 1 ? argv[1] : "";
    if (mode == "--write" && argc > 3) {
        const std::uint64_t lines = std::strtoull(argv[3], nullptr, 10);
        std::ofstream out(argv[2], std::ios::binary);
        generator g;
        std::string buf;
        std::uint64_t written = 0;
        while (written < lines && out) {
            g.fill(buf, chunk_size);
            written += static_cast<std::uint64_t>(std::count(buf.begin(), buf.end(), '\n'));
            out << buf;
        }
        if (!out) {
            std::fprintf(stderr, "bench_ingest: cannot write %s\n", argv[2]);
            return 1;
        }
        std::printf("%llu lines written to %s\n", static_cast<unsigned long long>(written), argv[2]);
        return 0;
    }
    if (mode == "--stream") {
        const std::uint64_t total = (argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 1024) << 20;
        generator g;
        std::string buf;
        std::uint64_t done = 0;
        const auto r = run([&](std::string_view& chunk) {
            if (done >= total) return false;
            g.fill(buf, chunk_size);
            done += buf.size();
            chunk = buf;
            return true;
        });
        print("compose_parser, streamed (generation included)", r);
        std::printf("peak RSS (VmHWM): %.1f MB\n", static_cast<double>(peak_rss_kib()) / 1024.0);
        return 0;
    }
    generator g;
    std::string data;
    g.fill(data, 64u << 20);
    std::size_t pos = 0;
    int pass = 0;
    run_result best;
    for (pass = 0; pass < 3; ++pass) {
        pos = 0;
        const auto r = run([&](std::string_view& chunk) {
            if (pos >= data.size()) return false;
            chunk = std::string_view(data).substr(pos, chunk_size);
            pos += chunk.size();
            return true;
        });
        if (best.seconds == 0 || r.seconds < best.seconds) best = r;
    }
    print("compose_parser, in memory (best of 3)", best);
    return 0;
}
