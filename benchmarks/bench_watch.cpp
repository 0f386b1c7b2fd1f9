// Soak of the live stages `loglens watch` runs, in fast-forward time: generated compose lines fed in 64 KiB slices
// SPDX-License-Identifier: MIT
// to an ingest session, ticked every 100 ms of simulated time, a snapshot looked at (and new groups queued for the
// background analysis) every 250 ms, a report assembled every 60 s. Prints the resident set every tenth of the
// run (the RSS curve), the peak, and lines per CPU second against the batch pipeline on the same lines, with and
// without the CPU the line generator itself takes (timed alone, taken off both).
//
//   bench_watch            10 M lines (about a minute here), 1,000 lines a second of simulated stack time
//   bench_watch N [R]      N million lines, R lines a second (the looks, ticks and reports are per second of
//                          stack time, so their share of the work falls as the stack gets busier)
#include <loglens/loglens.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <istream>
#include <streambuf>
#include <string>

namespace {

/// Resident and peak resident set of this process, in MiB (/proc/self/status).
std::pair<double, double> rss_mib() {
    std::ifstream in("/proc/self/status");
    double rss = 0, hwm = 0;
    for (std::string line; std::getline(in, line);) {
        if (line.rfind("VmRSS:", 0) == 0) rss = std::atof(line.c_str() + 6) / 1024;
        if (line.rfind("VmHWM:", 0) == 0) hwm = std::atof(line.c_str() + 6) / 1024;
    }
    return {rss, hwm};
}

/// A compose stream of eight services: mostly INFO chatter with values (below the threshold: counted, not grouped),
/// warnings of 100 wordings per service, errors, and a Python traceback every 2,000 lines.
class stack_lines {
public:
    void next(std::string& out) {
        const auto i = n_++;
        static const char* services[] = {"airflow-scheduler-1", "airflow-worker-1", "spark-master-1", "spark-worker-1",
                                         "spark-worker-2",      "redis-1",          "minio-1",        "postgres-1"};
        const char* svc = services[i % 8];
        char ts[40];
        std::snprintf(ts, sizeof ts, "2025-11-03T%02llu:%02llu:%02llu.%03lluZ", (i / 3600000) % 24, (i / 60000) % 60,
                      (i / 1000) % 60, i % 1000);
        out += svc;
        out += "  | ";
        out += ts;
        char msg[200];
        const auto k = (i * 2654435761u) % 1000;
        if (i % 2000 == 1999) {
            std::snprintf(
                msg, sizeof msg,
                " ERROR Task %llu failed\n%s  | Traceback (most recent call last):\n%s  |   File \"/opt/job.py\", "
                "line %llu, in run\n%s  | KeyError: 'col_%llu'\n",
                i % 97, svc, svc, i % 50, svc, i % 7);
        } else if (k < 5) {
            std::snprintf(msg, sizeof msg, " ERROR Connection to %s:%llu failed after %llu ms (attempt %llu)\n",
                          k < 2 ? "postgres" : "redis", 5000 + k, i % 3000, i % 5);
        } else if (k < 40) {
            static const char* ops[] = {"checkpoint", "compaction", "upload",    "download", "rebalance",
                                        "snapshot",   "vacuum",     "shuffle",   "spill",    "merge",
                                        "scan",       "commit",     "flush",     "rename",   "list",
                                        "delete",     "copy",       "heartbeat", "election", "replication"};
            static const char* what[] = {"partition", "bucket", "table", "executor", "queue"};
            std::snprintf(msg, sizeof msg, " WARNING Slow %s of %s %llu took %llu ms\n", ops[(i / 8) % 20],
                          what[(i / 160) % 5], i % 64, i % 9000);
        } else {
            std::snprintf(msg, sizeof msg, " INFO Processed batch %llu with %llu rows in %llu ms step %llu\n", i,
                          i % 100000, i % 500, k % 30);
        }
        out += msg;
    }
    [[nodiscard]] std::uint64_t lines() const noexcept { return n_; }

private:
    unsigned long long n_ = 0;
};

/// The same lines as an istream, for the batch pipeline.
class generated_buf : public std::streambuf {
public:
    explicit generated_buf(std::uint64_t lines) : left_(lines) {}

protected:
    int_type underflow() override {
        text_.clear();
        while (text_.size() < 64 * 1024 && gen_.lines() < left_) gen_.next(text_);
        if (text_.empty()) return traits_type::eof();
        setg(text_.data(), text_.data(), text_.data() + text_.size());
        return traits_type::to_int_type(text_[0]);
    }

private:
    stack_lines gen_;
    std::uint64_t left_;
    std::string text_;
};

double batch_lines_per_s(std::uint64_t lines) {
    loglens::pipeline<loglens::compose_parser, loglens::template_miner> p;
    generated_buf buf(lines);
    std::istream in(&buf);
    const auto t0 = std::chrono::steady_clock::now();
    const auto c0 = std::clock();
    p.ingest(in, {"<stdin>", "stdin"});
    const auto groups = p.grouper().groups();
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const double cpu = static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC;
    std::printf("batch: %llu lines in %.1f s (%.1f s CPU), %zu groups\n", static_cast<unsigned long long>(lines), s, cpu,
                groups.size());
    return static_cast<double>(lines) / cpu;
}

double watch_lines_per_s(std::uint64_t lines, std::uint64_t rate) {
    using namespace std::chrono_literals;
    loglens::pipeline<loglens::compose_parser, loglens::template_miner> p;
    auto& session = p.session();
    loglens::incremental_analysis<loglens::knowledge_base_analyzer> stage({}, loglens::language::en, 2);
    const auto src = session.open({"<stdin>", "stdin"});
    stack_lines gen;
    std::string chunk;
    loglens::live_time now{};  // simulated: `rate` lines a second of stack time, fed as fast as they parse
    auto next_tick = now, next_look = now, next_report = now + 60s;
    std::size_t reports = 0, queued = 0;
    const auto t0 = std::chrono::steady_clock::now();
    const auto c0 = std::clock();
    std::uint64_t next_print = lines / 10;
    std::printf("watch RSS curve (lines, MiB):");
    while (gen.lines() < lines) {
        chunk.clear();
        while (chunk.size() < 64 * 1024 && gen.lines() < lines) gen.next(chunk);
        session.feed(src, chunk);
        now = loglens::live_time{} + std::chrono::microseconds(gen.lines() * 1000000 / rate);
        if (now >= next_tick) {
            session.tick(now);
            next_tick = now + 100ms;
        }
        if (now >= next_look) {
            queued += stage.update(p.grouper().snapshot(), p.grouper()).size();
            (void)stage.take_finished();
            next_look = now + 250ms;
        }
        if (now >= next_report) {
            // as the CLI does without an LLM: the knowledge-base analyses the judgement made are the report's
            const auto r = p.assemble(p.grouper().groups(),
                                      [](const std::vector<loglens::log_group>&, std::vector<loglens::analysis>&& known) {
                                          return std::move(known);
                                      });
            reports += !r.problems.empty();
            next_report = now + 60s;
        }
        if (gen.lines() >= next_print) {
            std::printf(" %.1fM:%.1f", static_cast<double>(gen.lines()) / 1e6, rss_mib().first);
            std::fflush(stdout);
            next_print += lines / 10;
        }
    }
    session.close(src);
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const double cpu = static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC;  // both threads
    std::printf("\nwatch: %llu lines in %.1f s (%.1f s CPU, %.1f simulated hours), %zu groups, %zu analysed, %zu reports\n",
                static_cast<unsigned long long>(lines), s, cpu,
                static_cast<double>(lines) / static_cast<double>(rate) / 3600, p.grouper().size(), queued, reports);
    return static_cast<double>(lines) / cpu;
}

/// CPU seconds the generator alone takes for `lines`: both runs pay them, so they are taken off both.
double generator_cpu(std::uint64_t lines) {
    stack_lines gen;
    std::string chunk;
    std::size_t bytes = 0;
    const auto c0 = std::clock();
    while (gen.lines() < lines) {
        chunk.clear();
        while (chunk.size() < 64 * 1024 && gen.lines() < lines) gen.next(chunk);
        bytes += chunk.size();
    }
    const double cpu = static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC;
    std::printf("generator alone: %.1f s CPU for %.0f MB\n", cpu, static_cast<double>(bytes) / 1e6);
    return cpu;
}

}  // namespace

int main(int argc, char** argv) {
    const std::uint64_t lines = (argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 10) * 1000000ull;
    const std::uint64_t rate = argc > 2 ? std::max<std::uint64_t>(1, std::strtoull(argv[2], nullptr, 10)) : 1000;
    const double watch = watch_lines_per_s(lines, rate);
    const auto [rss, peak] = rss_mib();
    std::printf("watch peak RSS %.1f MiB (now %.1f)\n", peak, rss);
    const double batch = batch_lines_per_s(lines);
    const double gen = generator_cpu(lines);
    // per CPU second: the machine is shared, so wall time says more about the neighbours than about the code
    const auto n = static_cast<double>(lines);
    const double watch_own = n / (n / watch - gen), batch_own = n / (n / batch - gen);
    std::printf("throughput per CPU second: watch %.2f M lines, batch %.2f M lines, watch/batch %.2f\n", watch / 1e6,
                batch / 1e6, watch / batch);
    std::printf("without the generator's CPU: watch %.2f M lines, batch %.2f M lines, watch/batch %.2f\n", watch_own / 1e6,
                batch_own / 1e6, watch_own / batch_own);
}
