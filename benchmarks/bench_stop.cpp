// How soon a stop request ends reading: the time from `request_stop()` (another thread, as the CLI's signal
// SPDX-License-Identifier: MIT
// watcher does) to `ingest()` returning, on endless inputs of three kinds, with the CLI's parser and grouper.
//
//   bench_stop        20 stops per kind; prints median and worst latency in milliseconds
//   bench_stop N      N stops per kind
#include <loglens/loglens.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <istream>
#include <streambuf>
#include <string>
#include <thread>
#include <vector>

namespace {

/// An endless input: `next(out)` appends the next piece each time the buffer runs dry.
template <class Next>
class endless_buf : public std::streambuf {
public:
    explicit endless_buf(Next next) : next_(std::move(next)) {}

protected:
    int_type underflow() override {
        text_.clear();
        while (text_.size() < 64 * 1024) next_(text_);
        setg(text_.data(), text_.data(), text_.data() + text_.size());
        return traits_type::to_int_type(text_[0]);
    }

private:
    Next next_;
    std::string text_;
};

using bench_pipeline = loglens::pipeline<loglens::compose_parser, loglens::template_miner>;

template <class Next>
double one_stop_ms(Next next, int delay_ms) {
    bench_pipeline p;
    endless_buf<Next> buf(std::move(next));
    std::istream in(&buf);
    std::chrono::steady_clock::time_point asked;
    std::thread stopper([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
        asked = std::chrono::steady_clock::now();
        p.request_stop();
    });
    p.ingest(in, {"endless", "svc"});
    const auto end = std::chrono::steady_clock::now();
    stopper.join();
    return std::chrono::duration<double, std::milli>(end - asked).count();
}

template <class Next>
void measure(const char* name, int runs, Next next) {
    std::vector<double> ms;
    for (int i = 0; i < runs; ++i) ms.push_back(one_stop_ms(next, 100 + (i * 37) % 200));
    std::sort(ms.begin(), ms.end());
    std::printf("%-44s median %7.2f ms   worst %7.2f ms   (%d stops)\n", name, ms[ms.size() / 2], ms.back(), runs);
}

}  // namespace

int main(int argc, char** argv) {
    const int runs = argc > 1 ? std::max(1, std::atoi(argv[1])) : 20;
    std::printf("stop latency: request_stop() to ingest() returning\n");
    measure("compose lines, a few templates", runs, [n = 0](std::string& out) mutable {
        out += "redis-1  | 1:M 03 Nov 2025 20:36:" + std::to_string(n % 60) +
               ".123 # WARNING overcommit_memory is set to 0! Background save may fail under low memory\n";
        ++n;
    });
    measure("one endless line (no newline ever)", runs, [](std::string& out) { out += std::string(4096, 'a'); });
    measure("distinct ERROR messages (grows the miner)", runs, [n = 0u](std::string& out) mutable {
        static const char* words[] = {"alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel"};
        out += "app-1  | 2025-11-03T20:36:40Z ERROR";
        for (unsigned k = n; k; k /= 8) out += std::string(" ") + words[k % 8] + "x" + words[(k / 3) % 8];
        out += " failed\n";
        ++n;
    });
}
