// Throughput of the line splitter alone, on a generated compose-like stream held in memory.
// SPDX-License-Identifier: MIT
#include <loglens/loglens.hpp>

#include <chrono>
#include <cstdio>
#include <string>

int main() {
    std::string chunk;
    for (int i = 0; chunk.size() < (8u << 20); ++i)
        chunk +=
            "airflow-scheduler-1  | 2025-11-03T20:36:40.060803460Z [2025-11-03T20:36:40.060+0000] "
            "{dagbag.py:387} ERROR - Failed to import: /opt/airflow/dags/dag_" +
            std::to_string(i) + ".py\n";
    loglens::line_splitter s;
    std::size_t lines = 0;
    const auto t0 = std::chrono::steady_clock::now();
    for (int rep = 0; rep < 32; ++rep) s.feed(chunk, [&](std::string_view) { ++lines; });
    const double sec = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf("line_splitter: %.0f MB/s, %.1f M lines/s (%zu lines)\n",
                32.0 * static_cast<double>(chunk.size()) / sec / 1e6, static_cast<double>(lines) / sec / 1e6, lines);
    return 0;
}
