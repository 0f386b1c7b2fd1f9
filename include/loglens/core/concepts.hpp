#pragma once
// The contracts of the pipeline's stages: parser, grouper, analyser, report writer and progress sink.
// SPDX-License-Identifier: MIT

#include <loglens/core/progress.hpp>
#include <loglens/core/report_model.hpp>
#include <loglens/core/stage_tags.hpp>
#include <loglens/core/types.hpp>
#include <loglens/detail/function_ref.hpp>

#include <chrono>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <span>
#include <string_view>
#include <type_traits>
#include <vector>

LOGLENS_NAMESPACE_BEGIN

/// Where a parser puts each finished entry. Non-owning: valid only during the call it is passed to.
using entry_sink = detail::function_ref<void(log_entry&&)>;

/// Told of each input line that starts no entry, for per-line output (`loglens templates`): a continuation
/// joins the entry whose first line is `entry_line`; a skipped line has `entry_line` 0 and the reason
/// `ingest_stats::skipped` counts it under. Parsers take one through `observe_lines`; optional.
using line_observer = std::function<void(std::uint64_t line, std::uint64_t entry_line, std::string_view skip_reason)>;

/// What an analyser is given besides the group; defined in <loglens/analyze/analysis_context.hpp>, next to the
/// analysers, because it holds an Asio executor and `core/` stays free of Asio.
struct analysis_context;

/// Called exactly once per `async_analyze`, on the context's executor.
using analysis_handler = std::function<void(analysis)>;

namespace detail {
template <class T, class Tag>
concept declares_stage = requires {
    typename T::stage_category;
}
&&std::same_as<typename T::stage_category, Tag>;
}  // namespace detail

/// @brief A streaming parser: bytes in, entries out, never the whole input in memory.
///
/// Requirements on `P`:
/// 1. `P::stage_category` is `loglens::parser_tag` (an explicit opt-in).
/// 2. `P` is copy-constructible: the pipeline copies a configured prototype once per input stream,
///    so a copy must carry configuration but no stream state that matters (copy before `start`).
/// 3. `p.start(source)` begins a stream (a file, standard input).
/// 4. `p.feed(chunk, sink)` takes the next bytes; chunk boundaries are arbitrary, even inside a line
///    or a UTF-8 sequence. Finished entries go to `sink`; memory grows only with open entries.
/// 5. `p.finish(sink)` ends the stream: a last line without newline and open entries are emitted.
/// 6. `p.stats()` returns the `ingest_stats` of the stream: lines, and what was skipped or altered and why.
template <class P>
concept log_parser = detail::declares_stage<P, parser_tag> && std::copy_constructible<P> &&
    requires(P& p, const P& cp, const source_info& src, std::string_view chunk, entry_sink sink) {
    p.start(src);
    p.feed(chunk, sink);
    p.finish(sink);
    { cp.stats() } -> std::convertible_to<const ingest_stats&>;
};

/// @brief Folds entries into groups (templates) online.
///
/// Requirements on `G`:
/// 1. `G::stage_category` is `loglens::grouper_tag`.
/// 2. `g.add(std::move(entry))` files an entry and returns a key for it.
/// 3. `g.groups()` returns every group found so far, each with bounded samples and parameters.
///    The same input gives the same groups, in the same order, with the same ids, in every run.
/// 4. `g.resolve(key)` is the index into `g.groups()` of the group the entry with `key` belongs to now
///    (templates may merge after an entry was added, so this is asked after the fact).
template <class G>
concept entry_grouper = detail::declares_stage<G, grouper_tag> &&
    requires(G& g, const G& cg, log_entry&& e, std::size_t key) {
    { g.add(std::move(e)) } -> std::convertible_to<std::size_t>;
    { cg.groups() } -> std::convertible_to<std::vector<log_group>>;
    { cg.resolve(key) } -> std::convertible_to<std::size_t>;
};

/// @brief A parser a live session can drive: a `log_parser` that can also be told the time.
///
/// Requirements on `P`, besides `log_parser`: `p.close_idle(now, gap, sink)` emits every entry it holds open
/// for an input part (a container) that had no line for `gap` before `now` (a `live_time`, told by earlier
/// calls), so a live stream's last event is not held back. A parser that holds nothing open does nothing.
template <class P>
concept live_parser = log_parser<P> && requires(P& p, live_time now, std::chrono::nanoseconds gap, entry_sink sink) {
    p.close_idle(now, gap, sink);
};

/// @brief A grouper whose groups can be looked at between feeds, cheaply, by a live view and the analysis stage.
///
/// Requirements on `G`, besides `entry_grouper`: `cg.snapshot()` returns a `group_snapshot` (digests in the
/// order of `groups()`, ids as `groups()` gives them) without changing `cg`, and `cg.group(digest)` exports
/// the whole group a digest names.
template <class G>
concept snapshot_grouper = entry_grouper<G> && requires(const G& cg, const group_digest& d) {
    { cg.snapshot() } -> std::convertible_to<group_snapshot>;
    { cg.group(d) } -> std::convertible_to<log_group>;
};

/// @brief Explains groups, asynchronously, possibly many at once.
///
/// Requirements on `A`:
/// 1. `A::stage_category` is `loglens::analyzer_tag`.
/// 2. `a.async_analyze(group, ctx, handler)` starts explaining `group` and returns at once. It calls
///    `handler` exactly once, on `ctx.executor`, with an `analysis`; failures are reported inside the
///    `analysis` (`error`, and a fallback `source`), never by throwing and never by not calling back.
///    The pipeline may start several calls before the first completes (it bounds how many).
/// Optional, detected by the pipeline:
/// - `a.cancel()`: abandon calls in flight; each still calls its handler.
/// - `a.summary()` -> `llm_summary`: what the analyser spent, for the report.
template <class A>
concept group_analyzer = detail::declares_stage<A, analyzer_tag> &&
    requires(A& a, const log_group& g, const analysis_context& ctx, analysis_handler h) {
    a.async_analyze(g, ctx, std::move(h));
};

/// @brief Writes a report in one format.
///
/// Requirements on `W`:
/// 1. `W::stage_category` is `loglens::writer_tag`.
/// 2. `w.extension()` names the format and the file extension: `"json"`, `"md"`, `"html"`.
/// 3. `w.write(report, out)` writes the whole report to `out`. Everything that came from a log or an LLM
///    is escaped for the format, so no input can change the document's structure.
template <class W>
concept report_writer = detail::declares_stage<W, writer_tag> && requires(const W& w, const report& r, std::ostream& out) {
    { w.extension() } -> std::convertible_to<std::string_view>;
    w.write(r, out);
};

/// @brief Folds the problems of a report into incidents: one failure seen from several services.
///
/// Requirements on `C`: `C::stage_category` is `loglens::correlator_tag`, and `c.correlate(problems, lang)`
/// returns the incidents, every problem in exactly one, and sets each problem's `incident` to its id.
template <class C>
concept incident_correlator = detail::declares_stage<C, correlator_tag> &&
    requires(const C& c, std::span<problem> problems, language lang) {
    { c.correlate(problems, lang) } -> std::convertible_to<std::vector<incident>>;
};

/// @brief Receives progress events; must be cheap, it is called on the hot path.
///
/// Requirements on `S`: `S::stage_category` is `loglens::progress_tag`, and `s.on_progress(event)` is valid.
template <class S>
concept progress_sink = detail::declares_stage<S, progress_tag> && requires(S& s, const progress_event& e) {
    s.on_progress(e);
};

LOGLENS_NAMESPACE_END
