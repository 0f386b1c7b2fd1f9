// Throughput of header split + template mining on one core: a Loghub-2k log repeated to 1M lines, in memory.
// SPDX-License-Identifier: MIT
// Rates are lines per second of this thread's CPU time, best of three runs (wall-clock rate in parentheses).
// Usage: bench_group [DATASET] [REPEAT]   (defaults: HDFS 500; DATASET may be `all`)
#include <loglens/loglens.hpp>

#include "../tests/support/loghub.hpp"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

namespace {

// Peak resident memory so far, in KiB (VmHWM of /proc/self/status), or 0 where it cannot be read.
long peak_rss_kib() {
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("VmHWM:", 0) == 0) return std::atol(line.c_str() + 6);
    return 0;
}

// CPU time of this thread: the machine is shared, so wall time would measure the neighbours too.
double cpu_seconds() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

struct result {
    double split_per_s = 0;
    double lines_per_s = 0;
    double wall_per_s = 0;
    std::size_t lines = 0, groups = 0;
    long rss_before = 0, rss_after = 0;
};

result bench(const loglens_test::loghub_spec& spec, const std::string& root, int repeat) {
    const auto raw = loglens_test::read_whole_file(root + "/" + spec.name + "/" + spec.name + "_2k.log");
    std::string input;
    input.reserve(raw.size() * static_cast<std::size_t>(repeat) + static_cast<std::size_t>(repeat));
    for (int i = 0; i < repeat; ++i) {
        input += raw;
        if (!raw.empty() && raw.back() != '\n') input += "\r\n";
    }
    const auto fmt = loglens::line_format::compile(spec.format);
    const auto content = fmt.index_of("Content");
    std::vector<std::string_view> fields;
    result r;
    {  // the header split alone, for comparison
        std::size_t b = 0, n = 0, sink = 0;
        const auto t0 = cpu_seconds();
        while (b < input.size()) {
            auto e = input.find('\n', b);
            if (e == std::string::npos) e = input.size();
            std::string_view line(input.data() + b, e - b);
            if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
            b = e + 1;
            ++n;
            if (content && fmt.split(line, fields)) sink += fields[*content].size();
        }
        const double sec = cpu_seconds() - t0;
        r.split_per_s = static_cast<double>(n) / sec;
        if (sink == 0) std::printf("(no Content field matched)\n");
    }
    r.rss_before = peak_rss_kib();
    // best of three runs, each with a fresh miner: the machine is shared, and the best run is the one
    // least disturbed by neighbours
    for (int attempt = 0; attempt < 3; ++attempt) {
        loglens::template_miner miner;
        const auto w0 = std::chrono::steady_clock::now();
        const auto t0 = cpu_seconds();
        std::size_t b = 0, lineno = 0;
        while (b < input.size()) {
            auto e = input.find('\n', b);
            if (e == std::string::npos) e = input.size();
            std::string_view line(input.data() + b, e - b);
            if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
            b = e + 1;
            loglens::log_entry entry;
            entry.line = ++lineno;
            if (content && fmt.split(line, fields)) entry.message = fields[*content];
            else entry.message = line;  // an unmatched header: the whole line is the message
            miner.add(std::move(entry));
        }
        const double sec = cpu_seconds() - t0;
        const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - w0).count();
        r.lines = lineno;
        r.lines_per_s = std::max(r.lines_per_s, static_cast<double>(lineno) / sec);
        r.wall_per_s = std::max(r.wall_per_s, static_cast<double>(lineno) / wall);
        r.groups = miner.size();
    }
    r.rss_after = peak_rss_kib();
    return r;
}

}  // namespace

int main(int argc, char** argv) {
    const std::string root = LOGLENS_LOGHUB_DIR;
    const std::string which = argc > 1 ? argv[1] : "HDFS";
    const int repeat = argc > 2 ? std::atoi(argv[2]) : 500;
    std::printf(
        "| Dataset | lines | groups | split only, lines/s | split + mining, lines/s (wall) | peak RSS before mining | peak RSS after |\n"
        "|---|---|---|---|---|---|---|\n");
    for (const auto& spec : loglens_test::loghub_datasets) {
        if (which != "all" && which != spec.name) continue;
        const auto r = bench(spec, root, repeat);
        std::printf("| %s | %zu | %zu | %.2f M | %.2f M (%.2f M) | %.1f MiB | %.1f MiB |\n", spec.name, r.lines, r.groups,
                    r.split_per_s / 1e6, r.lines_per_s / 1e6, r.wall_per_s / 1e6,
                    static_cast<double>(r.rss_before) / 1024.0, static_cast<double>(r.rss_after) / 1024.0);
    }
    return 0;
}
