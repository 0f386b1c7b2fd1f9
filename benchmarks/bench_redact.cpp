// Secret redaction: what it finds in logs that hold no credentials, and what it costs next to the whole pipeline.
// SPDX-License-Identifier: MIT
//
//   bench_redact [LOGHUB_DIR [STREAM]]
//                               LOGHUB_DIR holds the 16 Loghub-2k folders (<name>/<name>_2k.log); without it,
//                               tests/data/loghub-2k of the checkout. Prints every redaction made in those logs
//                               (they contain no credentials, so each one is a false redaction), per kind and
//                               dataset, then the cost: the example compose logs repeated to 16 MB, and the
//                               Loghub logs, through the offline pipeline with and without redaction (CPU
//                               time of the thread, best of five runs); also STREAM, a compose log such as
//                               scripts/gen-compose-stream.py writes, when given.
#include <loglens/offline.hpp>

#include "../tests/support/loghub.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <time.h>

namespace {

// CPU time of this thread: the figures stay meaningful on a machine shared with other work.
struct clock_type {
    using time_point = double;
    static double now() {
        timespec ts{};
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
        return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
    }
};

double seconds_since(double t0) { return clock_type::now() - t0; }

/// Entries of `text` as compose_parser hands them to the pipeline.
std::vector<loglens::log_entry> parse(const std::string& text, const std::string& name) {
    std::vector<loglens::log_entry> out;
    loglens::compose_parser p;
    p.start({name, name});
    const auto sink = [&](loglens::log_entry&& e) { out.push_back(std::move(e)); };
    p.feed(text, sink);
    p.finish(sink);
    return out;
}

using offline = loglens::pipeline<loglens::compose_parser, loglens::template_miner, loglens::knowledge_base_analyzer,
                                  loglens::writers<loglens::json_writer>>;

/// The whole offline run (parse, redact or not, group, analyse, JSON report in memory); the best of `reps`.
double pipeline_seconds(const std::string& text, bool redact, int reps) {
    double best = 1e9;
    for (int i = 0; i < reps; ++i) {
        const auto t0 = clock_type::now();
        offline p({.min_severity = loglens::severity::trace, .redact = redact});
        p.ingest_text(text, {"bench.log", "bench"});
        const auto r = p.analyse();
        std::ostringstream out;
        loglens::json_writer{}.write(r, out);
        best = std::min(best, seconds_since(t0));
    }
    return best;
}

/// Redaction alone over parsed entries (each copied first, outside the clock); the best of `reps`.
double redact_seconds(const std::vector<loglens::log_entry>& entries, int reps) {
    double best = 1e9;
    for (int i = 0; i < reps; ++i) {
        auto copy = entries;
        loglens::redactor red;
        const auto t0 = clock_type::now();
        for (auto& e : copy) red.redact(e);
        best = std::min(best, seconds_since(t0));
    }
    return best;
}

void cost(const char* name, const std::string& text) {
    const double mb = static_cast<double>(text.size()) / 1e6;
    const auto entries = parse(text, name);
    const double alone = redact_seconds(entries, 5);
    const double off = pipeline_seconds(text, false, 5), on = pipeline_seconds(text, true, 5);
    std::printf(
        "%s: %.1f MB, %zu entries; pipeline %.1f ms/MB without redaction, %.1f ms/MB with; "
        "redaction alone %.2f ms/MB = %.1f%% of the pipeline with it (difference of the runs: %+.1f%%)\n",
        name, mb, entries.size(), 1e3 * off / mb, 1e3 * on / mb, 1e3 * alone / mb, 100.0 * alone / on,
        100.0 * (on - off) / on);
}

std::string repeat_to(const std::string& text, std::size_t bytes) {
    std::string out;
    out.reserve(bytes + text.size());
    while (out.size() < bytes) out += text;
    return out;
}

}  // namespace

int main(int argc, char** argv) {
    const std::string root = argc > 1 ? argv[1] : std::string(LOGLENS_LOGHUB_DIR);
    std::map<std::string, std::map<std::string, std::uint64_t>> found;  // kind -> dataset -> count
    std::string all_loghub;
    std::size_t lines = 0;
    for (const auto& spec : loglens_test::loghub_datasets) {
        const std::string path = root + "/" + spec.name + "/" + spec.name + "_2k.log";
        const std::string text = loglens_test::read_whole_file(path);
        all_loghub += text;
        loglens::redactor red;
        for (const auto& line : loglens_test::split_lines(text)) {
            const auto out = red.apply(line);
            ++lines;
            if (out != line) std::printf("%s: %s\n", spec.name, out.c_str());
        }
        for (const auto& [kind, n] : red.counts()) found[kind][spec.name] += n;
    }
    std::printf("Loghub-2k: %zu lines of 16 datasets; redactions (all false, the logs hold no credentials):%s\n", lines,
                found.empty() ? " none" : "");
    for (const auto& [kind, per] : found) {
        std::printf("  %s:", kind.c_str());
        for (const auto& [ds, n] : per) std::printf(" %s %llu", ds.c_str(), static_cast<unsigned long long>(n));
        std::printf("\n");
    }

    const std::string example = loglens_test::read_whole_file(std::string(LOGLENS_SOURCE_DIR) +
                                                              "/examples/logs/compose.log");
    cost("examples/logs/compose.log x N", repeat_to(example, 16'000'000));
    cost("Loghub-2k, all 16 datasets x 4", repeat_to(all_loghub, 4 * all_loghub.size()));
    if (argc > 2) cost(argv[2], loglens_test::read_whole_file(argv[2]));
    return 0;
}
