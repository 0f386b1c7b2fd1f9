#pragma once
// loglens::pipeline: parser, grouper, analyser, report writers and progress composed into one type at compile time.

#include <loglens/analyze/null_analyzer.hpp>
#include <loglens/analyze/redact.hpp>
#include <loglens/core/concepts.hpp>
#include <loglens/detail/atomic_write.hpp>
#include <loglens/report/json_writer.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <istream>
#include <mutex>
#include <string>
#include <tuple>
#include <vector>

LOGLENS_NAMESPACE_BEGIN

/// The report writers of a pipeline, as one type: `writers<markdown_writer, json_writer>`.
template <class... Ws>
struct writers {
    std::tuple<Ws...> items;
};

/// Run-time settings of a pipeline; the stages themselves are fixed by its type.
struct pipeline_options {
    severity min_severity = severity::warning;  ///< entries below are counted, not grouped
    language lang = language::ru;
    std::size_t concurrency = 1;          ///< analyses in flight at once (Ollama serves one by default)
    std::size_t read_chunk = 256 * 1024;  ///< bytes per read; memory does not grow with input size
    bool redact = true;                   ///< redact secrets in every entry as the parser hands it over
    std::vector<std::string> formats;     ///< extensions to write (`md`, `json`, `html`); empty: every writer
};

namespace detail {
template <class T>
inline constexpr bool is_writers_v = false;
template <class... Ws>
inline constexpr bool is_writers_v<writers<Ws...>> = (report_writer<Ws> && ...);

inline bool more_urgent(const problem& a, const problem& b) {
    if (a.result.verdict != b.result.verdict) return a.result.verdict > b.result.verdict;
    if (a.group.level != b.group.level) return a.group.level > b.group.level;
    if (a.group.count != b.group.count) return a.group.count > b.group.count;
    return a.group.id < b.group.id;
}
}  // namespace detail

/// @brief The whole run: ingest inputs, group, analyse, build the report, write it.
///
/// Every stage is a template parameter checked against its concept with a plain-words message;
/// `Analyzer` defaults to `null_analyzer` (offline) and `Progress` to `null_progress` (silent).
template <class Parser, class Grouper, class Analyzer = null_analyzer, class Writers = writers<json_writer>,
          class Progress = null_progress>
class pipeline {
    static_assert(log_parser<Parser>,
                  "loglens::pipeline: the 1st stage (Parser) is not a loglens::log_parser. It needs "
                  "`using stage_category = loglens::parser_tag;`, a copy constructor, start(source_info), "
                  "feed(std::string_view, entry_sink), finish(entry_sink) and stats() -> const ingest_stats&.");
    static_assert(entry_grouper<Grouper>,
                  "loglens::pipeline: the 2nd stage (Grouper) is not a loglens::entry_grouper. It needs "
                  "`using stage_category = loglens::grouper_tag;`, add(log_entry&&) -> std::size_t, "
                  "groups() -> std::vector<log_group> and resolve(std::size_t) -> std::size_t.");
    static_assert(group_analyzer<Analyzer>,
                  "loglens::pipeline: the 3rd stage (Analyzer) is not a loglens::group_analyzer. It needs "
                  "`using stage_category = loglens::analyzer_tag;` and "
                  "async_analyze(const log_group&, const analysis_context&, analysis_handler).");
    static_assert(detail::is_writers_v<Writers>,
                  "loglens::pipeline: the 4th stage must be loglens::writers<W...> where every W is a "
                  "loglens::report_writer (`using stage_category = loglens::writer_tag;`, extension(), "
                  "write(const report&, std::ostream&)).");
    static_assert(progress_sink<Progress>,
                  "loglens::pipeline: the 5th stage (Progress) is not a loglens::progress_sink. It needs "
                  "`using stage_category = loglens::progress_tag;` and on_progress(const progress_event&).");

public:
    using parser_type = Parser;
    using grouper_type = Grouper;
    using analyzer_type = Analyzer;
    using writers_type = Writers;
    using progress_type = Progress;

    /// Told, for every entry that reaches the grouper, its source, first line and group key
    /// (for per-line template output: `grouper().resolve(key)` after the run gives its final group).
    using entry_observer = std::function<void(const std::string& source, std::uint64_t line, std::size_t key)>;

    explicit pipeline(pipeline_options opts = {}, Parser parser = Parser{}, Grouper grouper = Grouper{},
                      Analyzer analyzer = Analyzer{}, Writers ws = Writers{}, Progress progress = Progress{})
        : opts_(opts),
          parser_(std::move(parser)),
          grouper_(std::move(grouper)),
          analyzer_(std::move(analyzer)),
          writers_(std::move(ws)),
          progress_(std::move(progress)) {}

    [[nodiscard]] const pipeline_options& options() const noexcept { return opts_; }
    [[nodiscard]] Grouper& grouper() noexcept { return grouper_; }
    [[nodiscard]] Analyzer& analyzer() noexcept { return analyzer_; }
    [[nodiscard]] Progress& progress() noexcept { return progress_; }
    [[nodiscard]] Writers& report_writers() noexcept { return writers_; }

    void set_entry_observer(entry_observer obs) { observer_ = std::move(obs); }

    /// Reads `in` to its end in chunks. Returns false when stopped early by `request_stop()`.
    bool ingest(std::istream& in, const source_info& src, std::uint64_t size_hint = 0) {
        Parser p = parser_;
        p.start(src);
        std::vector<char> buf(std::max<std::size_t>(opts_.read_chunk, 4096));
        std::uint64_t done = 0;
        const auto sink = [this](log_entry&& e) { accept(std::move(e)); };
        bool stopped = false;
        while (in) {
            if (stop_.load(std::memory_order_relaxed)) {
                stopped = true;
                break;
            }
            in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
            const auto n = static_cast<std::size_t>(in.gcount());
            if (n == 0) break;
            p.feed(std::string_view(buf.data(), n), sink);
            done += n;
            progress_.on_progress({phase::reading, done, size_hint, src.path});
        }
        p.finish(sink);
        finish_input(src, p.stats(), in.bad() ? "read error" : "");
        return !stopped;
    }

    /// Reads one file. An unreadable file is recorded in the report's inputs (with why), not thrown.
    bool ingest_file(const std::filesystem::path& path, std::string service = {}) {
        std::ifstream in(path, std::ios::binary);
        source_info src{path.string(), service.empty() ? path.stem().string() : std::move(service)};
        if (!in) {
            inputs_.push_back({src.path, 0, 0, "cannot open: " + std::string(std::strerror(errno))});
            return false;
        }
        std::error_code ec;
        const auto size = std::filesystem::file_size(path, ec);
        return ingest(in, src, ec ? 0 : size);
    }

    /// Convenience for tests and embedding: parses `text` as one whole input.
    void ingest_text(std::string_view text, const source_info& src) {
        Parser p = parser_;
        p.start(src);
        const auto sink = [this](log_entry&& e) { accept(std::move(e)); };
        p.feed(text, sink);
        p.finish(sink);
        finish_input(src, p.stats(), "");
    }

    /// Groups, analyses every group (at most `concurrency` at once) and returns the report.
    [[nodiscard]] report analyse() {
        report r;
        r.tool_version = LOGLENS_VERSION_STRING;
        r.generated_at = std::chrono::time_point_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now());
        r.lang = opts_.lang;
        r.min_severity = opts_.min_severity;
        r.inputs = inputs_;
        r.ingest = ingest_;
        r.entries_below_threshold = below_threshold_;

        auto groups = grouper_.groups();
        progress_.on_progress({phase::grouping, groups.size(), groups.size(), {}});
        r.redactions = redactor_.counts();

        auto results = run_analyses(groups);
        r.partial = stop_.load();
        if constexpr (requires(Analyzer& a) { { a.summary() } -> std::convertible_to<llm_summary>; })
            r.llm = analyzer_.summary();

        for (std::size_t i = 0; i < groups.size(); ++i) {
            auto& dest = results[i].benign ? r.noise : r.problems;
            dest.push_back({std::move(groups[i]), std::move(results[i])});
        }
        std::sort(r.problems.begin(), r.problems.end(), detail::more_urgent);
        std::sort(r.noise.begin(), r.noise.end(), detail::more_urgent);
        return r;
    }

    /// Writes one file per writer, `dir/basename.EXT`, atomically. Returns the paths written.
    std::vector<std::filesystem::path> write(const report& r, const std::filesystem::path& dir,
                                             std::string_view basename = "log_analysis_report") {
        std::filesystem::create_directories(dir);
        std::vector<std::filesystem::path> written;
        std::apply(
            [&](auto&... w) {
                (([&] {
                     if (!wants(w.extension())) return;
                     const auto path = dir / (std::string(basename) + "." + std::string(w.extension()));
                     progress_.on_progress({phase::writing, written.size(), sizeof...(w), path.string()});
                     detail::atomic_write(path, [&](std::ostream& out) { w.write(r, out); });
                     written.push_back(path);
                 }()),
                 ...);
            },
            writers_.items);
        progress_.on_progress({phase::done, written.size(), written.size(), {}});
        return written;
    }

    /// Asks the run to stop soon: reading stops at the next chunk, analyses in flight are cancelled, and
    /// `analyse()` returns a report marked partial with everything done so far. Thread-safe.
    void request_stop() {
        stop_.store(true);
        std::lock_guard lock(ioc_mutex_);
        if (running_)
            boost::asio::post(*running_, [this] { on_stop(); });
    }

    [[nodiscard]] bool stop_requested() const noexcept { return stop_.load(); }

private:
    void accept(log_entry&& e) {
        if (e.level < opts_.min_severity) {
            ++below_threshold_;
            return;
        }
        // once, at the source: templates, values, samples, prompts and reports are all made of redacted text
        if (opts_.redact) redactor_.redact(e);
        if (observer_) {
            std::string source = e.source;
            const std::uint64_t line = e.line;
            observer_(source, line, grouper_.add(std::move(e)));
            return;
        }
        grouper_.add(std::move(e));
    }

    bool wants(std::string_view ext) const {
        return opts_.formats.empty() || std::find(opts_.formats.begin(), opts_.formats.end(), ext) != opts_.formats.end();
    }

    void finish_input(const source_info& src, const ingest_stats& st, std::string error) {
        ingest_ += st;
        inputs_.push_back({src.path, st.lines, st.bytes, std::move(error)});
    }

    std::vector<analysis> run_analyses(const std::vector<log_group>& groups) {
        std::vector<analysis> results(groups.size());
        std::vector<bool> finished(groups.size(), false);
        boost::asio::io_context ioc;
        {
            std::lock_guard lock(ioc_mutex_);
            running_ = &ioc;
        }
        const analysis_context ctx{ioc.get_executor(), opts_.lang};
        const std::size_t limit = std::max<std::size_t>(1, opts_.concurrency);
        std::size_t next = 0, in_flight = 0, done = 0;
        std::function<void()> launch = [&] {
            while (in_flight < limit && next < groups.size() && !stop_.load()) {
                const std::size_t i = next++;
                ++in_flight;
                progress_.on_progress({phase::analysing, done, groups.size(), groups[i].id});
                analyzer_.async_analyze(groups[i], ctx, [&, i](analysis a) {
                    results[i] = std::move(a);
                    finished[i] = true;
                    --in_flight;
                    ++done;
                    progress_.on_progress({phase::analysing, done, groups.size(), {}});
                    launch();
                });
            }
        };
        boost::asio::post(ioc, launch);
        ioc.run();
        {
            std::lock_guard lock(ioc_mutex_);
            running_ = nullptr;
        }
        for (std::size_t i = 0; i < groups.size(); ++i) {
            if (finished[i]) continue;
            results[i].verdict = classification_for(groups[i].level);
            results[i].source = analysis_source::none;
            results[i].error = "not analysed: the run was interrupted";
        }
        return results;
    }

    void on_stop() {
        if constexpr (requires(Analyzer& a) { a.cancel(); }) analyzer_.cancel();
    }

    pipeline_options opts_;
    Parser parser_;
    Grouper grouper_;
    Analyzer analyzer_;
    Writers writers_;
    Progress progress_;
    redactor redactor_;
    entry_observer observer_;
    std::vector<input_summary> inputs_;
    ingest_stats ingest_;
    std::uint64_t below_threshold_ = 0;
    std::atomic<bool> stop_{false};
    std::mutex ioc_mutex_;
    boost::asio::io_context* running_ = nullptr;
};

LOGLENS_NAMESPACE_END
