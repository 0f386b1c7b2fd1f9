// Incidents on generated cascades: pairwise precision/recall/F1 of problems-to-incidents and first-cause accuracy,
// SPDX-License-Identifier: MIT
// from sparse to dense overlap, and the time of the correlation stage alone.
#include "support/cascade_generator.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>

int main(int argc, char** argv) {
    const int seeds = argc > 1 ? std::atoi(argv[1]) : 50;
    struct config {
        int instances, noise, span;
    };
    std::printf("cascades  noise  span_s  seeds  problems  incidents  precision  recall     F1  first_cause\n");
    for (const config c : {config{6, 6, 7200}, config{12, 10, 3600}, config{20, 12, 1800}, config{40, 20, 1800}}) {
        double p = 0, r = 0, f = 0, fc = 0, probs = 0, incs = 0;
        for (int s = 1; s <= seeds; ++s) {
            const auto sc = loglens_test::run_cascade_case(static_cast<std::uint64_t>(s), c.instances, c.noise, c.span);
            p += sc.precision;
            r += sc.recall;
            f += sc.f1;
            fc += sc.first_cause_accuracy;
            probs += static_cast<double>(sc.problems);
            incs += static_cast<double>(sc.incidents);
        }
        const double n = seeds;
        std::printf("%8d  %5d  %6d  %5d  %8.1f  %9.1f  %9.3f  %6.3f  %5.3f  %11.3f\n", c.instances, c.noise, c.span, seeds,
                    probs / n, incs / n, p / n, r / n, f / n, fc / n);
    }
    // The stage alone, on the problems of one dense run, repeated.
    loglens::report rep;
    loglens_test::run_cascade_case(1, 40, 20, 1800, &rep);
    const int reps = 2000;
    const auto t0 = std::chrono::steady_clock::now();
    std::size_t sink = 0;
    for (int i = 0; i < reps; ++i)
        sink += loglens::causal_correlator{}.correlate(rep.problems, loglens::language::en).size();
    const double us = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count() / reps;
    std::printf("correlate(): %zu problems in %.1f us per call (%zu)\n", rep.problems.size(), us, sink / reps);
}
