// The stages of a live run used on their own: an ingest session fed bytes and told the time, snapshots of its
// SPDX-License-Identifier: MIT
// grouper, and the analysis stage that explains each new problem once, in the background.
#include <loglens/offline.hpp>

#include <iostream>
#include <string_view>
#include <thread>

int main() {
    using namespace std::chrono_literals;
    loglens::ingest_session<loglens::compose_parser, loglens::template_miner> session;
    loglens::incremental_analysis<loglens::knowledge_base_analyzer> analysis({}, loglens::language::en, 2);

    const auto src = session.open({"<stdin>", "stdin"});
    // what `docker compose logs -f` prints over a few seconds, in the slices a pipe hands over
    const std::string_view chunks[] = {
        "redis-1     | 1:M 03 Nov 2025 20:36:40.001 # Out of memory allocating 4096 bytes!\n"
        "scheduler-1 | [2025-11-03T20:36:41.000+0000] {dagbag.py:1} ERROR - Failed to import: /dags/etl.py\n",
        "scheduler-1 | Traceback (most recent call last):\n"
        "scheduler-1 |   File \"/dags/etl.py\", line 3, in <module>\n"
        "scheduler-1 | ModuleNotFoundError: No module named 'pandas'\n",
    };
    auto now = loglens::live_time{};  // the session is told the time, a few times a second; here fast-forward
    for (const auto chunk : chunks) {
        session.feed(src, chunk);
        session.tick(now += 250ms);
    }
    // both containers fall silent: their last entries (the scheduler's traceback) are closed by the idle gap
    for (int i = 0; i < 12; ++i) session.tick(now += 250ms);

    const auto& grouper = session.grouper();
    const auto snap = grouper.snapshot();  // cheap: digests, no samples; the grouper is unchanged
    for (const auto& id : analysis.update(snap, grouper)) std::cout << "analysing " << id << '\n';
    analysis.wait_idle(5s);
    for (const auto& [id, a] : analysis.take_finished())
        std::cout << id << ": " << loglens::detail::terminal_text(a.description) << '\n';
    std::cout << snap.entries << " entries in " << snap.groups.size() << " groups\n";
    session.close(src);
}
