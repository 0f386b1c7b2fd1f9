// A pipeline for an in-house log format: your own parser, the library's grouper and report writers.
// SPDX-License-Identifier: MIT
//
//   2025-11-03 20:36:40|billing|ERROR|payment provider timeout after 30s
//
// Build: the `custom_pipeline` target. Run: custom_pipeline [FILE] (standard input without FILE).
#include <loglens/offline.hpp>  // no LLM here: the lighter header, which leaves out the HTTP clients

#include <chrono>
#include <cstdio>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>

// A parser is any copyable type that opts in with `stage_category` and has start/feed/finish/stats.
class pipe_format_parser {
public:
    using stage_category = loglens::parser_tag;

    void start(const loglens::source_info& src) {
        source_ = src;
        line_no_ = 0;
    }
    void feed(std::string_view chunk, loglens::entry_sink out) {
        lines_.feed(chunk, [&](std::string_view line) { on_line(line, out); });
    }
    void finish(loglens::entry_sink out) {
        lines_.finish([&](std::string_view line) { on_line(line, out); });
    }
    [[nodiscard]] const loglens::ingest_stats& stats() const noexcept { return lines_.stats(); }

private:
    void on_line(std::string_view line, loglens::entry_sink& out) {
        ++line_no_;
        std::string_view field[4];
        for (int i = 0; i < 3; ++i) {
            const auto bar = line.find('|');
            if (bar == std::string_view::npos) return skip("not-pipe-format");  // counted, never silently lost
            field[i] = line.substr(0, bar);
            line.remove_prefix(bar + 1);
        }
        field[3] = line;

        loglens::log_entry e;
        e.timestamp_text = std::string(field[0]);
        e.timestamp = parse_time(field[0]);
        e.service = std::string(field[1]);
        e.level = loglens::parse_severity(field[2]).value_or(loglens::severity::info);
        e.message = std::string(field[3]);
        e.raw = e.timestamp_text + '|' + e.service + '|' + std::string(field[2]) + '|' + e.message;
        e.source = source_.path;
        e.line = line_no_;
        ++lines_.stats().entries;
        out(std::move(e));
    }

    void skip(const char* reason) { ++lines_.stats().skipped[reason]; }

    // `YYYY-MM-DD HH:MM:SS`, UTC.
    static std::optional<loglens::time_point> parse_time(std::string_view s) {
        int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
        if (std::sscanf(std::string(s).c_str(), "%4d-%2d-%2d %2d:%2d:%2d", &y, &mo, &d, &h, &mi, &sec) != 6)
            return std::nullopt;
        const std::chrono::year_month_day day{std::chrono::year{y}, std::chrono::month(static_cast<unsigned>(mo)),
                                              std::chrono::day(static_cast<unsigned>(d))};
        if (!day.ok()) return std::nullopt;
        return std::chrono::sys_days{day} + std::chrono::hours{h} + std::chrono::minutes{mi} + std::chrono::seconds{sec};
    }

    loglens::line_splitter lines_;
    loglens::source_info source_;
    std::uint64_t line_no_ = 0;
};

// The stages are fixed at compile time: parser, grouper, analyser, writers.
using my_pipeline = loglens::pipeline<pipe_format_parser, loglens::template_miner, loglens::null_analyzer,
                                      loglens::writers<loglens::markdown_writer, loglens::json_writer>>;

int main(int argc, char** argv) {
    loglens::pipeline_options options;
    options.lang = loglens::language::en;
    my_pipeline p(options);

    if (argc > 1) {
        if (!p.ingest_file(argv[1], "in-house")) {
            std::cerr << "custom_pipeline: cannot read " << argv[1] << '\n';
            return 3;
        }
    } else {
        p.ingest(std::cin, {"<stdin>", "in-house"});
    }

    const loglens::report report = p.analyse();
    for (const auto& path : p.write(report, "custom-reports")) std::cout << "wrote " << path.string() << '\n';
    for (const auto& problem : report.problems)
        std::cout << loglens::to_string(problem.result.verdict) << "  " << problem.group.service << "  x"
                  << problem.group.count << "  " << problem.group.template_text << '\n';
}
