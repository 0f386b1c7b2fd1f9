// Time of `loglens merge` for many reports: parse N JSON reports of P problems each, merge them, write the result.
// SPDX-License-Identifier: MIT
// Problems come from a pool 3x the size of one report, so reports overlap as hosts of one stack do; each
// has two parameters (one past its value bound, with a sketch), 50 occurrences and 3 samples.
// Usage: bench_merge [REPORTS] [PROBLEMS]   (defaults: 100 1000). Times are this thread's CPU seconds, best of 3.
#include <loglens/offline.hpp>
#include <loglens/report/merge.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <sstream>
#include <string>
#include <vector>

namespace {

double cpu_seconds() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

std::string one_report(std::size_t host, std::size_t problems) {
    loglens::template_miner miner;
    std::uint64_t x = 0x9E3779B97F4A7C15ull * (host + 1);
    const auto next = [&] {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        return x;
    };
    const auto start = loglens::time_point{} + std::chrono::hours(24 * 20000);
    for (std::size_t i = 0; i < problems; ++i) {
        const std::size_t k = (host * (problems / 2) + i) % (problems * 3);  // distinct here, shared with others
        std::string word;  // wording of its own per kind: letters only, so kinds never merge
        for (std::size_t v = k + 1; v; v /= 26) word += static_cast<char>('a' + v % 26);
        for (int n = 0; n < 50; ++n) {
            loglens::log_entry e;
            e.service = "worker-" + std::to_string(host);
            e.level = loglens::severity::error;
            e.message = "job " + word + " failed on " + word + "x for user u" + std::to_string(next() % 40) + " after " +
                        std::to_string(next() % 1000) + " ms";
            e.timestamp = start + std::chrono::seconds(next() % 86400);
            e.line = static_cast<std::uint64_t>(n + 1);
            miner.add(std::move(e));
        }
    }
    loglens::report r;
    r.tool_version = LOGLENS_VERSION_STRING;
    for (auto& g : miner.groups()) r.problems.push_back({std::move(g), {}, {}});
    std::ostringstream out;
    loglens::json_writer{}.write(r, out);
    return out.str();
}

}  // namespace

int main(int argc, char** argv) {
    const std::size_t reports = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 100;
    const std::size_t problems = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 1000;
    std::vector<std::string> texts;
    std::size_t bytes = 0, groups = 0;
    for (std::size_t h = 0; h < reports; ++h) {
        texts.push_back(one_report(h, problems));
        bytes += texts.back().size();
    }
    double best_parse = 1e9, best_merge = 1e9, best_write = 1e9;
    for (int run = 0; run < 3; ++run) {
        const double t0 = cpu_seconds();
        std::vector<loglens::report> parts;
        for (std::size_t h = 0; h < reports; ++h) parts.push_back(loglens::parse_report(texts[h], "bench"));
        const double t1 = cpu_seconds();
        const auto merged = loglens::merge_reports(parts);
        const double t2 = cpu_seconds();
        std::ostringstream out;
        loglens::json_writer{}.write(merged, out);
        const double t3 = cpu_seconds();
        best_parse = std::min(best_parse, t1 - t0);
        best_merge = std::min(best_merge, t2 - t1);
        best_write = std::min(best_write, t3 - t2);
        groups = merged.problems.size();
    }
    std::printf("%zu reports x %zu problems (%.1f MB of JSON) -> %zu problems\n", reports, problems,
                static_cast<double>(bytes) / 1e6, groups);
    std::printf("read %.2f s, merge %.2f s, write %.2f s, total %.2f s (CPU, best of 3)\n", best_parse, best_merge,
                best_write, best_parse + best_merge + best_write);
}
