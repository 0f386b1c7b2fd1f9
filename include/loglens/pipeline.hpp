#pragma once
// loglens::pipeline: parser, grouper, analyser, report writers and progress composed into one type at compile time.
// SPDX-License-Identifier: MIT

#include <loglens/analyze/analysis_context.hpp>
#include <loglens/analyze/judgement.hpp>
#include <loglens/analyze/knowledge_base.hpp>
#include <loglens/analyze/null_analyzer.hpp>
#include <loglens/analyze/redact.hpp>
#include <loglens/analyze/triage_outcome.hpp>
#include <loglens/core/concepts.hpp>
#include <loglens/correlate/causal_correlator.hpp>
#include <loglens/correlate/incident_answer.hpp>
#include <loglens/detail/atomic_write.hpp>
#include <loglens/detail/batch_worker.hpp>
#include <loglens/detail/fd_streambuf.hpp>
#include <loglens/ingest_session.hpp>
#include <loglens/report/json_writer.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <istream>
#include <chrono>
#include <mutex>
#include <optional>
#include <span>
#include <stop_token>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
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
    /// 1: one thread reads, parses and groups. 2 or more: reading, parsing and grouping each run on a thread of
    /// their own, in a pipeline handing over bytes and entries in order, so the report is the same as with 1.
    std::size_t threads = 1;
    bool redact = true;                        ///< redact secrets in every entry as the parser hands it over
    std::vector<std::string> formats;          ///< extensions to write (`md`, `json`, `html`); empty: every writer
    file_permissions permissions;              ///< modes of the reports and of the folders created (0600/0700)
    std::size_t stop_check = 16 * 1024;        ///< bytes parsed between two looks at the stop request
    std::chrono::milliseconds stop_grace{50};  ///< after a stop, input already read is still parsed this long
    std::size_t max_problems_in_full = 200;    ///< problems (and noise groups) listed in full; the rest are rows
    std::size_t max_problem_rows = 2000;       ///< rows of the table after them; beyond, groups are only counted
    /// Judge entries below `min_severity` too, when it is at most `warning` (INFO failures, wait and restart
    /// loops); those that are no problem are counted below the threshold, as without it.
    bool judge = true;
    /// With `judge` and an analyser that triages (an LLM is configured): every entry at INFO or above is grouped,
    /// and the LLM is asked which of the templates below the threshold that the rules neither flag nor know as
    /// harmless are problems; those it flags are reported and analysed as problems, "flagged by the LLM".
    bool triage = true;
    const knowledge_base* kb = nullptr;  ///< the knowledge base the judgement consults; null: the built-in one
};

namespace detail {
template <class T>
inline constexpr bool is_writers_v = false;

/// An analyser that can triage templates below the threshold (`standard_analyzer` with an LLM).
template <class A>
concept triaging_analyzer = requires(A& a, std::span<const log_group> gs, const analysis_context& ctx) {
    { a.triages() } -> std::convertible_to<bool>;
    a.async_triage(gs, ctx, [](triage_outcome) {});
};

/// Templates the triage would only waste tokens on: the overflow groups, which hold many messages.
inline bool triage_candidate(const log_group& g, const analysis& known) {
    return !known.benign && !g.template_text.starts_with("[loglens: ");
}
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
/// A batch over the stages that also work on their own: its `session()` (an `ingest_session`) reads every input
/// to its end, `analyse()` analyses every group, and `assemble` builds the report from the groups and their
/// analyses. Every stage is a template parameter checked against its concept with a plain-words message;
/// `Analyzer` defaults to `null_analyzer` (offline) and `Progress` to `null_progress` (silent).
template <class Parser, class Grouper, class Analyzer = null_analyzer, class Writers = writers<json_writer>,
          class Progress = null_progress, class Correlator = causal_correlator>
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
    static_assert(incident_correlator<Correlator>,
                  "loglens::pipeline: the 6th stage (Correlator) is not a loglens::incident_correlator. It needs "
                  "`using stage_category = loglens::correlator_tag;` and "
                  "correlate(std::span<problem>, language) -> std::vector<incident>.");

public:
    using parser_type = Parser;
    using grouper_type = Grouper;
    using analyzer_type = Analyzer;
    using writers_type = Writers;
    using progress_type = Progress;
    using correlator_type = Correlator;

    /// Told, for every entry that reaches the grouper, its source, first line and group key
    /// (for per-line template output: `grouper().resolve(key)` after the run gives its final group).
    using entry_observer = typename ingest_session<Parser, Grouper>::entry_observer;

    explicit pipeline(pipeline_options opts = {}, Parser parser = Parser{}, Grouper grouper = Grouper{},
                      Analyzer analyzer = Analyzer{}, Writers ws = Writers{}, Progress progress = Progress{},
                      Correlator correlator = Correlator{})
        : opts_(opts),
          session_(ingest_for(opts, analyzer), std::move(parser), std::move(grouper)),
          analyzer_(std::move(analyzer)),
          writers_(std::move(ws)),
          progress_(std::move(progress)),
          correlator_(std::move(correlator)) {}

    [[nodiscard]] const pipeline_options& options() const noexcept { return opts_; }
    [[nodiscard]] Grouper& grouper() noexcept { return session_.grouper(); }
    [[nodiscard]] ingest_session<Parser, Grouper>& session() noexcept { return session_; }
    [[nodiscard]] Analyzer& analyzer() noexcept { return analyzer_; }
    [[nodiscard]] Progress& progress() noexcept { return progress_; }
    [[nodiscard]] Writers& report_writers() noexcept { return writers_; }
    [[nodiscard]] Correlator& correlator() noexcept { return correlator_; }

    void set_entry_observer(entry_observer obs) { session_.set_entry_observer(std::move(obs)); }

    /// Reads `in` to its end in chunks. Returns false when stopped early by `request_stop()`.
    bool ingest(std::istream& in, const source_info& src, std::uint64_t size_hint = 0) {
        const auto id = session_.open(src);
        const bool done = read_all(id, in, src, size_hint);
        session_.close(id, in.bad() ? "read error" : "");
        return done;
    }

    /// Reads one file. An unreadable file (missing, denied, a folder, a read error) is recorded in the report's
    /// inputs with why, not thrown; returns false then. A named pipe is read until its writer closes it or a
    /// stop is requested; opening never blocks.
    bool ingest_file(const std::filesystem::path& path, std::string service = {}) {
        source_info src{path.string(), service.empty() ? path.stem().string() : std::move(service)};
        const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
        if (fd < 0) {
            skip_input(src.path, "cannot open: " + std::string(std::strerror(errno)));
            return false;
        }
        struct closer {
            int fd;
            ~closer() { ::close(fd); }
        } close_guard{fd};
        struct stat st {};
        if (::fstat(fd, &st) != 0 || S_ISDIR(st.st_mode)) {
            skip_input(src.path, S_ISDIR(st.st_mode) ? "a folder, not a log file" : std::strerror(errno));
            return false;
        }
        ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
        detail::fd_istreambuf buf(fd, stop_.get_token(), S_ISREG(st.st_mode) ? -1 : 50);
        std::istream in(&buf);
        const auto id = session_.open(src);
        const bool done = read_all(id, in, src, S_ISREG(st.st_mode) ? static_cast<std::uint64_t>(st.st_size) : 0);
        session_.close(id, buf.error().empty() ? "" : "read error: " + buf.error());
        return done && buf.error().empty();
    }

    /// The inputs ingested so far, each with its error when it could not be read.
    [[nodiscard]] std::vector<input_summary> inputs() const { return session_.inputs(); }

    /// Records an input that was not read at all (e.g. a named pipe in a folder), with why, for the report.
    void skip_input(std::string path, std::string why) { session_.skip_input(std::move(path), std::move(why)); }

    /// Convenience for tests and embedding: parses `text` as one whole input.
    void ingest_text(std::string_view text, const source_info& src) { session_.ingest_text(text, src); }

    /// Groups, analyses every group (at most `concurrency` at once) and returns the report.
    [[nodiscard]] report analyse() {
        return assemble(session_.grouper().groups(),
                        [this](const std::vector<log_group>& kept) { return run_analyses(kept); });
    }

    /// @brief Report assembly from values: `groups` (every group, as `groups()` gives them) and `analyse_kept`,
    /// called once with the groups the judgement keeps, returning one analysis for each, in order. A live run
    /// passes the analyses it already has, so building a report costs no new analysis. A callback that takes a
    /// second argument also gets the knowledge-base analysis the judgement made of each kept group, so that it
    /// need not make it again (with `judge` off, an empty vector).
    template <class AnalyseKept>
    [[nodiscard]] report assemble(std::vector<log_group> groups, AnalyseKept&& analyse_kept) {
        report r;
        r.tool_version = LOGLENS_VERSION_STRING;
        r.generated_at = std::chrono::time_point_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now());
        r.lang = opts_.lang;
        r.min_severity = opts_.min_severity;
        r.inputs = session_.inputs();
        r.ingest = session_.stats();
        r.entries_below_threshold = session_.below_threshold();

        progress_.on_progress({phase::grouping, groups.size(), groups.size(), {}});
        r.redactions = session_.redactions();

        std::vector<analysis> known;
        std::vector<log_group> unflagged;
        auto verdicts = judge(groups, known, r.entries_below_threshold, triage_on_ ? &unflagged : nullptr);
        triage(unflagged, groups, verdicts, known, r.entries_below_threshold);
        std::vector<analysis> results;
        if constexpr (std::is_invocable_v<AnalyseKept&, const std::vector<log_group>&, std::vector<analysis>&&>)
            results = analyse_kept(std::as_const(groups), std::move(known));
        else results = analyse_kept(std::as_const(groups));
        results.resize(groups.size());
        apply_judgement(groups, verdicts, results);
        r.partial = stop_.stop_requested();
        if constexpr (requires(Analyzer & a) {
                          { a.summary() } -> std::convertible_to<llm_summary>;
                      })
            r.llm = analyzer_.summary();
        if (triage_on_) r.llm.triage = triage_;

        for (std::size_t i = 0; i < groups.size(); ++i) {
            auto& dest = results[i].benign ? r.noise : r.problems;
            dest.push_back({std::move(groups[i]), std::move(results[i])});
        }
        std::sort(r.problems.begin(), r.problems.end(), detail::more_urgent);
        std::sort(r.noise.begin(), r.noise.end(), detail::more_urgent);
        r.incidents = correlator_.correlate(r.problems, opts_.lang);
        summarize_incidents(r);
        if constexpr (requires(const Grouper& g) {
                          { g.bounds() } -> std::convertible_to<bounds_summary>;
                      })
            r.bounds = session_.grouper().bounds();
        bound_listing(r);
        return r;
    }

    /// Writes one file per writer, `dir/basename.EXT`, atomically. Returns the paths written.
    std::vector<std::filesystem::path> write(const report& r, const std::filesystem::path& dir,
                                             std::string_view basename = "log_analysis_report") {
        detail::create_folders(dir, opts_.permissions.folder);
        std::vector<std::filesystem::path> written;
        std::apply(
            [&](auto&... w) {
                (([&] {
                     if (!wants(w.extension())) return;
                     const auto path = dir / (std::string(basename) + "." + std::string(w.extension()));
                     progress_.on_progress({phase::writing, written.size(), sizeof...(w), path.string()});
                     detail::atomic_write(
                         path, [&](std::ostream& out) { w.write(r, out); }, opts_.permissions.file);
                     written.push_back(path);
                 }()),
                 ...);
            },
            writers_.items);
        progress_.on_progress({phase::done, written.size(), written.size(), {}});
        return written;
    }

    /// Asks the run to stop soon: reading stops within `stop_check` bytes, analyses in flight are cancelled,
    /// and `analyse()` returns a report marked partial with everything done so far. Thread-safe.
    void request_stop() {
        stop_.request_stop();
        std::lock_guard lock(ioc_mutex_);
        if (running_) boost::asio::post(*running_, [this] { on_stop(); });
    }

    [[nodiscard]] bool stop_requested() const noexcept { return stop_.stop_requested(); }
    /// The run's stop token, e.g. for a reader of a pipe that should end when the run is stopped.
    [[nodiscard]] std::stop_token stop_token() const noexcept { return stop_.get_token(); }

private:
    static ingest_options ingest_for(const pipeline_options& o, const Analyzer& a) {
        ingest_options io;
        io.min_severity = o.min_severity;
        io.judge = o.judge;
        io.redact = o.redact;
        io.threads = o.threads;
        if constexpr (detail::triaging_analyzer<Analyzer>) io.triage = o.judge && o.triage && a.triages();
        return io;
    }

    /// Runs `start(ctx)` and every handler it leads to on an io_context of its own, which `request_stop` can reach.
    template <class Start>
    void on_own_io(Start&& start) {
        boost::asio::io_context ioc;
        {
            std::lock_guard lock(ioc_mutex_);
            running_ = &ioc;
        }
        const analysis_context ctx{ioc.get_executor(), opts_.lang};
        start(ctx);
        ioc.run();
        std::lock_guard lock(ioc_mutex_);
        running_ = nullptr;
    }

    /// @brief The LLM triage of `unflagged` (the groups below the threshold the judgement let go): those it
    /// flags join `groups` as problems, with their reason; the others are counted below the threshold.
    void triage(std::vector<log_group>& unflagged, std::vector<log_group>& groups, std::vector<group_judgement>& verdicts,
                std::vector<analysis>& known, std::uint64_t& below) {
        if constexpr (detail::triaging_analyzer<Analyzer>) {
            if (unflagged.empty() || stop_.stop_requested()) {
                for (const auto& g : unflagged) below += g.count;
                triage_.candidates = unflagged.size();
                triage_.not_asked = unflagged.size();
                if (!unflagged.empty()) triage_.error = "LLM triage: not asked, the run was stopped";
                return;
            }
            // the rarest first: a one-off line ("executor lost") is likelier news than what repeats all day
            std::stable_sort(unflagged.begin(), unflagged.end(),
                             [](const auto& a, const auto& b) { return a.count < b.count; });
            triage_outcome out;
            on_own_io([&](const analysis_context& ctx) {
                analyzer_.async_triage(std::span<const log_group>(unflagged), ctx,
                                       [&](triage_outcome o) { out = std::move(o); });
            });
            std::vector<bool> flagged(unflagged.size(), false);
            const knowledge_base& kb = opts_.kb ? *opts_.kb : knowledge_base::builtin();
            for (const auto& f : out.flagged) {
                if (f.index >= unflagged.size() || flagged[f.index]) continue;
                flagged[f.index] = true;
                auto& g = unflagged[f.index];
                group_judgement v;
                v.problem = v.flagged_by_llm = true;
                v.verdict = f.verdict;
                v.reason = triage_reason(g.level, f.reason, opts_.lang);
                known.push_back(offline_analysis(g, opts_.lang, kb));
                verdicts.push_back(std::move(v));
                groups.push_back(std::move(g));
            }
            for (std::size_t i = 0; i < unflagged.size(); ++i)
                if (!flagged[i]) below += unflagged[i].count;
            triage_ = summarize(out);
            triage_.flagged = static_cast<std::uint64_t>(std::count(flagged.begin(), flagged.end(), true));
        } else {
            (void)groups, (void)verdicts, (void)known;
            for (const auto& g : unflagged) below += g.count;
        }
    }

    // Feeds the parser in slices of `stop_check` bytes, so a stop is seen soon even inside one large read. What
    // was read before the stop is still parsed while that takes less than `stop_grace`. With `threads` > 1 the
    // parser runs on a thread of its own while this one reads ahead.
    bool read_all(typename ingest_session<Parser, Grouper>::source_id id, std::istream& in, const source_info& src,
                  std::uint64_t size_hint) {
        const std::size_t chunk = std::max<std::size_t>(opts_.read_chunk, 4096);
        std::optional<std::chrono::steady_clock::time_point> stop_seen;
        std::atomic<bool> cut{false};  // the grace after a stop ran out: the rest read is not parsed
        const auto parse = [&](std::string_view bytes) {
            const std::size_t slice = std::max<std::size_t>(opts_.stop_check, 1);
            for (std::size_t at = 0; at < bytes.size(); at += slice) {
                if (!stop_seen && stop_.stop_requested()) stop_seen = std::chrono::steady_clock::now();
                if (stop_seen && std::chrono::steady_clock::now() - *stop_seen >= opts_.stop_grace) {
                    cut = true;
                    return;
                }
                session_.feed(id, bytes.substr(at, std::min(slice, bytes.size() - at)));
            }
        };
        std::uint64_t done = 0;
        bool stopped = false;
        if (opts_.threads <= 1) {
            detail::byte_chunk buf;
            buf.reserve(chunk);
            while (in && !cut && !(stopped = stop_.stop_requested())) {
                if ((buf.size = read_some(in, buf.data.get(), chunk)) == 0) break;
                parse(buf.view());
                progress_.on_progress({phase::reading, done += buf.size, size_hint, src.path});
            }
            return !stopped && !cut;
        }
        detail::batch_worker<detail::byte_chunk> parser(
            [&](detail::byte_chunk& c) {
                if (!cut) parse(c.view());
            },
            2);
        while (in && !cut && !(stopped = stop_.stop_requested())) {
            auto buf = parser.take();
            buf.reserve(chunk);
            if ((buf.size = read_some(in, buf.data.get(), chunk)) == 0) break;
            done += buf.size;
            parser.submit(std::move(buf));
            progress_.on_progress({phase::reading, done, size_hint, src.path});
        }
        parser.drain();
        return !stopped && !cut;
    }

    static std::size_t read_some(std::istream& in, char* to, std::size_t n) {
        in.read(to, static_cast<std::streamsize>(n));
        return static_cast<std::size_t>(in.gcount());
    }

    // A report stays bounded whatever the number of groups: the most urgent are listed in full, the next ones
    // as one row each, and the rest only counted.
    void bound_listing(report& r) const {
        r.bounds.problems_in_full = opts_.max_problems_in_full;
        r.bounds.problem_rows_limit = opts_.max_problem_rows;
        const auto spill = [&](std::vector<problem>& from, bool benign) {
            for (std::size_t i = opts_.max_problems_in_full; i < from.size(); ++i) {
                const auto& p = from[i];
                if (r.more_problems.size() >= opts_.max_problem_rows) {
                    ++r.unlisted_problems;
                    r.unlisted_entries += p.group.count;
                    continue;
                }
                auto text = detail::first_line(p.group.template_text, 200);
                r.more_problems.push_back(
                    {p.group.id, p.group.service, std::move(text), p.group.level, p.result.verdict, p.group.count, benign});
            }
            if (from.size() > opts_.max_problems_in_full) from.resize(opts_.max_problems_in_full);
        };
        spill(r.problems, false);
        spill(r.noise, true);
    }

    bool wants(std::string_view ext) const {
        return opts_.formats.empty() || std::find(opts_.formats.begin(), opts_.formats.end(), ext) != opts_.formats.end();
    }

    /// Judges every group with the knowledge base; drops (and counts) the groups below the threshold that are
    /// no problem, so only the others reach the analyser. `known`: the knowledge base's analyses of those kept.
    /// `unflagged`: when given, the groups below the threshold that the judgement lets go and the knowledge base
    /// does not know as harmless go there (for the triage) instead of being counted.
    std::vector<group_judgement> judge(std::vector<log_group>& groups, std::vector<analysis>& known, std::uint64_t& below,
                                       std::vector<log_group>* unflagged = nullptr) {
        if (!opts_.judge) return std::vector<group_judgement>(groups.size());
        const knowledge_base& kb = opts_.kb ? *opts_.kb : knowledge_base::builtin();
        known.reserve(groups.size());
        for (const auto& g : groups) known.push_back(offline_analysis(g, opts_.lang, kb));
        auto verdicts = judge_groups(groups, known, opts_.min_severity, opts_.lang);
        std::vector<std::size_t> new_index(groups.size(), group_judgement::npos);
        std::size_t kept = 0;
        for (std::size_t i = 0; i < groups.size(); ++i) {
            if (groups[i].level < opts_.min_severity && !verdicts[i].problem) {
                if (unflagged && detail::triage_candidate(groups[i], known[i])) unflagged->push_back(std::move(groups[i]));
                else below += groups[i].count;
                continue;
            }
            new_index[i] = kept;
            if (kept != i) {
                groups[kept] = std::move(groups[i]);
                verdicts[kept] = std::move(verdicts[i]);
                known[kept] = std::move(known[i]);
            }
            ++kept;
        }
        groups.resize(kept);
        verdicts.resize(kept);
        known.resize(kept);
        for (auto& v : verdicts)
            if (v.duplicate_of != group_judgement::npos) v.duplicate_of = new_index[v.duplicate_of];
        return verdicts;
    }

    void apply_judgement(const std::vector<log_group>& groups, const std::vector<group_judgement>& verdicts,
                         std::vector<analysis>& results) const {
        for (std::size_t i = 0; i < verdicts.size() && i < results.size(); ++i) {
            const auto& v = verdicts[i];
            auto& a = results[i];
            if (!v.problem || (a.benign && !v.over_benign)) continue;  // the analyser's own word on noise stands
            if (a.benign) behaviour_over_benign(a, opts_.lang);
            a.reason = v.reason;
            if (a.source != analysis_source::llm && v.verdict > a.verdict) a.verdict = v.verdict;
            if (v.duplicate_of != group_judgement::npos) a.duplicate_of = groups[v.duplicate_of].id;
            a.flagged_by_llm = v.flagged_by_llm;
        }
    }

    /// A known-harmless message that behaves like a failure (a restart loop): its harmless text would mislead.
    static void behaviour_over_benign(analysis& a, language lang) {
        const bool ru = lang == language::ru;
        a.benign = false;
        a.verdict = std::max(a.verdict, classification::major);
        a.description = ru ? "Обычное само по себе сообщение повторяется так, что указывает на сбой."
                           : "A message harmless on its own repeats in a way that shows a failure.";
        a.root_cause =
            ru ? "Сервис снова и снова запускается или ждёт: он падает, его убивают (часто OOM) или ему не хватает того, чего он ждёт."
               : "The service starts or waits again and again: it crashes, is killed (often by the OOM killer) or lacks what it waits for.";
        a.recommendations =
            ru ? std::vector<
                     std::
                         string>{"Посмотрите число перезапусков и код выхода: `docker compose ps`, `docker inspect <container>` (RestartCount, OOMKilled, ExitCode).",
                                 "Прочитайте строки лога перед каждым повтором."}
               : std::vector<std::string>{
                     "Check the restart count and exit code: `docker compose ps`, `docker inspect <container>` (RestartCount, OOMKilled, ExitCode).",
                     "Read the log lines before each repetition."};
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
            while (in_flight < limit && next < groups.size() && !stop_.stop_requested()) {
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

    /// With an analyser that can (`async_summarize`), one LLM call per incident of more than one problem,
    /// at most `concurrency` at once; an incident keeps its summary from the causal knowledge otherwise.
    void summarize_incidents(report& r) {
        if constexpr (requires(Analyzer & a, const incident& inc, std::span<const problem> ps, const analysis_context& c) {
                          a.async_summarize(inc, ps, c, [](incident_outcome) {});
                      }) {
            std::vector<std::size_t> todo;
            for (std::size_t i = 0; i < r.incidents.size(); ++i)
                if (r.incidents[i].members.size() > 1) todo.push_back(i);
            if (todo.empty() || stop_.stop_requested()) return;
            boost::asio::io_context ioc;
            {
                std::lock_guard lock(ioc_mutex_);
                running_ = &ioc;
            }
            const analysis_context ctx{ioc.get_executor(), opts_.lang};
            const std::size_t limit = std::max<std::size_t>(1, opts_.concurrency);
            std::size_t next = 0, in_flight = 0;
            std::function<void()> launch = [&] {
                for (; in_flight < limit && next < todo.size() && !stop_.stop_requested(); ++in_flight) {
                    const std::size_t i = todo[next++];
                    analyzer_.async_summarize(r.incidents[i], r.problems, ctx, [&, i](incident_outcome o) {
                        if (o.answer) apply_incident_answer(r.incidents[i], *o.answer);
                        else r.incidents[i].llm_error = std::move(o.error);
                        --in_flight;
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
            r.partial = r.partial || stop_.stop_requested();
            if constexpr (requires(Analyzer & a) {
                              { a.summary() } -> std::convertible_to<llm_summary>;
                          })
                r.llm = analyzer_.summary();
            if (triage_on_) r.llm.triage = triage_;
        }
    }

    void on_stop() {
        if constexpr (requires(Analyzer & a) { a.cancel(); }) analyzer_.cancel();
    }

    pipeline_options opts_;
    ingest_session<Parser, Grouper> session_;
    Analyzer analyzer_;
    Writers writers_;
    Progress progress_;
    Correlator correlator_;
    bool triage_on_ = session_.options().triage;
    triage_summary triage_;
    std::stop_source stop_;
    std::mutex ioc_mutex_;
    boost::asio::io_context* running_ = nullptr;
};

LOGLENS_NAMESPACE_END
