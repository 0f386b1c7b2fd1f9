// Time, memory and reports on hostile inputs (issue #19): each one streamed, generated on the fly, through the
// SPDX-License-Identifier: MIT
// offline pipeline (compose parser, template miner at default caps, all three writers) in a child process of
// its own, so the peak RSS printed is that input's alone.
//
//   bench_adversarial               every input of the table, scaled to run in a couple of minutes
//   bench_adversarial CASE [N]      one input: distinct | services | compose | letters | long, N lines
//   bench_adversarial curve         time per line of `distinct` from 5k to 2M lines
#include <loglens/offline.hpp>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <istream>
#include <streambuf>
#include <string>
#include <string_view>
#include <vector>

#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

namespace {

// Deterministic: the same stream in every run.
struct rng {
    std::uint64_t s = 0x9E3779B97F4A7C15ull;
    std::uint64_t next() {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        return s;
    }
};

// A word of letters only (so no mask takes it for a value), `n` letters long.
void word(std::string& out, rng& r, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) out += static_cast<char>('a' + r.next() % 26);
}

// An input: a name and a function that appends line `i` (without its newline).
struct input_case {
    const char* name;
    const char* what;
    std::uint64_t lines;
    std::function<void(std::string&, std::uint64_t, rng&)> line;
};

void prefix(std::string& out, std::string_view service) {
    out += service;
    out += "  | 2025-11-03T10:00:00.000000000Z ";
}

// Distinct ERROR messages of six words, every word random: no two share a template, none merge.
void distinct_line(std::string& out, std::uint64_t, rng& r, std::string_view service) {
    prefix(out, service);
    out += "ERROR";
    for (int k = 0; k < 6; ++k) {
        out += ' ';
        word(out, r, 5 + r.next() % 4);
    }
}

input_case make_case(std::string_view name, std::uint64_t n) {
    if (name == "distinct")
        return {"distinct", "distinct ERROR messages, one service, 6 words each", n ? n : 2'000'000,
                [](std::string& o, std::uint64_t i, rng& r) { distinct_line(o, i, r, "api"); }};
    if (name == "services")
        return {"services", "distinct ERRORs over 500 services", n ? n : 2'000'000,
                [](std::string& o, std::uint64_t i, rng& r) { distinct_line(o, i, r, "svc" + std::to_string(i % 500)); }};
    if (name == "compose")
        return {"compose", "compose services, one line each (120 bytes)", n ? n : 200'000,
                [](std::string& o, std::uint64_t i, rng& r) {
                    distinct_line(o, i, r, "project-worker-" + std::to_string(i) + "-1");
                    o += " while handling the request";
                }};
    if (name == "letters")
        return {"letters", "64 kB lines of one-letter words", n ? n : 3, [](std::string& o, std::uint64_t, rng& r) {
                    const auto start = o.size();
                    prefix(o, "api");
                    o += "ERROR";
                    while (o.size() - start < 64 * 1024 - 64) {
                        o += ' ';
                        o += static_cast<char>('a' + r.next() % 26);
                    }
                }};
    if (name == "long")
        return {"long", "distinct 50 kB lines", n ? n : 10'000, [](std::string& o, std::uint64_t, rng& r) {
                    const auto start = o.size();
                    prefix(o, "api");
                    o += "ERROR";
                    while (o.size() - start < 50 * 1024) {
                        o += ' ';
                        word(o, r, 3 + r.next() % 6);
                    }
                }};
    std::fprintf(stderr, "unknown input %.*s: distinct | services | compose | letters | long\n",
                 static_cast<int>(name.size()), name.data());
    std::exit(2);
}

// Lines made on demand, 1 MB at a time: the input never sits in memory.
class generated_input : public std::streambuf {
public:
    explicit generated_input(const input_case& c) : c_(c) {}

protected:
    int_type underflow() override {
        buf_.clear();
        while (i_ < c_.lines && buf_.size() < (1u << 20)) {
            c_.line(buf_, i_++, r_);
            buf_ += '\n';
        }
        if (buf_.empty()) return traits_type::eof();
        setg(buf_.data(), buf_.data(), buf_.data() + buf_.size());
        return traits_type::to_int_type(buf_[0]);
    }

private:
    const input_case& c_;
    std::string buf_;
    std::uint64_t i_ = 0;
    rng r_;
};

double cpu_seconds() {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// Runs one input and prints one row: lines, CPU time, per line, peak RSS, groups, overflow, report sizes.
int run_case(const input_case& c) {
    using loglens::compose_parser, loglens::template_miner, loglens::null_analyzer;
    using writers = loglens::writers<loglens::markdown_writer, loglens::json_writer, loglens::html_writer>;
    loglens::pipeline_options opts;
    opts.lang = loglens::language::en;
    loglens::pipeline<compose_parser, template_miner, null_analyzer, writers> p(opts);
    const auto start = cpu_seconds();
    const auto wall = std::chrono::steady_clock::now();
    generated_input gen(c);
    std::istream in(&gen);
    p.ingest(in, {"<generated>", ""});
    const auto report = p.analyse();
    const auto dir = std::filesystem::temp_directory_path() / ("loglens-adversarial-" + std::to_string(getpid()));
    const auto paths = p.write(report, dir);
    const double cpu = cpu_seconds() - start;
    const double wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall).count();
    std::uintmax_t bytes = 0;
    for (const auto& f : paths) bytes += std::filesystem::file_size(f);
    std::filesystem::remove_all(dir);
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    std::uint64_t overflow = 0;
    for (const auto& o : report.bounds.overflow) overflow += o.messages;
    const auto groups = report.problems.size() + report.noise.size() + report.more_problems.size() +
                        report.unlisted_problems;
    std::printf("| %s | %llu | %.2f s (%.2f s wall) | %.2f us | %.1f MiB | %zu | %llu | %zu files, %.1f MiB | %zu |\n",
                c.name, static_cast<unsigned long long>(c.lines), cpu, wall_s, cpu * 1e6 / static_cast<double>(c.lines),
                static_cast<double>(ru.ru_maxrss) / 1024.0, static_cast<std::size_t>(groups),
                static_cast<unsigned long long>(overflow), paths.size(), static_cast<double>(bytes) / (1 << 20),
                p.grouper().max_line_work());
    std::fflush(stdout);
    return paths.size() == 3 ? 0 : 1;
}

// In a child process, so each input's peak RSS is its own.
int run_isolated(const input_case& c) {
    std::fflush(stdout);
    const pid_t pid = fork();
    if (pid == 0) std::_Exit(run_case(c));
    int status = 0;
    waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        std::printf("| %s | FAILED (status %d): no report |\n", c.name, status);
        return 1;
    }
    return 0;
}

void header() {
    std::printf("| input | lines | CPU time | per line | peak RSS | groups | overflowed | reports | max work/line |\n");
    std::printf("|---|---|---|---|---|---|---|---|---|\n");
}

}  // namespace

int main(int argc, char** argv) {
    const std::string_view what = argc > 1 ? argv[1] : "";
    int failed = 0;
    header();
    if (what == "curve") {
        for (std::uint64_t n : {5'000ull, 20'000ull, 100'000ull, 500'000ull, 2'000'000ull})
            failed += run_isolated(make_case("distinct", n));
    } else if (!what.empty()) {
        failed += run_isolated(make_case(what, argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 0));
    } else {
        for (const char* name : {"distinct", "services", "compose", "letters", "long"})
            failed += run_isolated(make_case(name, 0));
    }
    return failed;
}
