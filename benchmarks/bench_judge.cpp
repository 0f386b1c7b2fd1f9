// The problem judgement on the real-log corpus (tests/data/real/): recall, precision and false flags per service
// SPDX-License-Identifier: MIT
// family and per set (tuning / held-out), with the judgement on and, for comparison, off.
// Usage: bench_judge [-v]   (-v also lists missed expectations, wrong reports and false flags)
#include "../tests/support/judge_corpus.hpp"

#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>

#ifndef LOGLENS_SOURCE_DIR
#define LOGLENS_SOURCE_DIR "."
#endif

namespace {

void print(const char* title, const std::map<std::string, loglens_test::corpus_score>& scores) {
    std::printf("%s\n%-14s %18s %20s %14s\n", title, "family", "recall", "precision", "false flags");
    for (const auto& [f, s] : scores)
        std::printf("%-14s %3d/%-3d %7.1f%%   %3d/%-3d %7.1f%%   %4d/%-4d\n", f.c_str(), s.found, s.expected,
                    100 * s.recall(), s.correct, s.reported, 100 * s.precision(), s.false_flags, s.benign_lines);
}

}  // namespace

int main(int argc, char** argv) {
    const bool verbose = argc > 1 && std::strcmp(argv[1], "-v") == 0;
    const std::string dir = std::string(LOGLENS_SOURCE_DIR) + "/tests/data/real";
    try {
        const auto t0 = std::chrono::steady_clock::now();
        const auto on = loglens_test::score_corpus(dir, true);
        const auto t1 = std::chrono::steady_clock::now();
        const auto off = loglens_test::score_corpus(dir, false);
        print("judgement on (the default)", on);
        print("\njudgement off (level and knowledge base only)", off);
        std::printf("\n%zu cases judged in %.1f ms\n", loglens_test::load_corpus(dir).size(),
                    std::chrono::duration<double, std::milli>(t1 - t0).count());
        if (verbose) {
            const auto& a = on.at("all");
            for (const auto& m : a.misses) std::printf("MISS  %s\n", m.c_str());
            for (const auto& m : a.wrong) std::printf("WRONG %s\n", m.c_str());
            for (const auto& m : a.flags) std::printf("FLAG  %s\n", m.c_str());
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_judge: %s\n", e.what());
        return 1;
    }
}
