#pragma once
// loglens::ingest_session: the ingest stage on its own. Fed bytes per source and told the time; files entries into a grouper.
// SPDX-License-Identifier: MIT

#include <loglens/analyze/judgement.hpp>
#include <loglens/analyze/redact.hpp>
#include <loglens/core/concepts.hpp>
#include <loglens/detail/batch_worker.hpp>

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

LOGLENS_NAMESPACE_BEGIN

/// What an ingest session keeps and how it closes entries.
struct ingest_options {
    severity min_severity = severity::warning;  ///< entries below are counted, not grouped
    /// Entries below `min_severity` that may still be a problem (an INFO failure) are grouped too, for the
    /// judgement, when `min_severity` is at most `warning`.
    bool judge = true;
    bool redact = true;  ///< redact secrets in every entry as the parser hands it over
    /// A source part (a container) silent this long has its open entry closed by `tick`.
    std::chrono::nanoseconds idle_gap = std::chrono::seconds(2);
    /// With `judge`: every entry at INFO or above reaches the grouper, not only those whose words could make them
    /// a problem, so that an LLM can triage their templates (more templates; set only when an LLM will).
    bool triage = false;
    /// 1: every stage on the calling thread. 2 or more: redaction and grouping run on a thread of their own,
    /// fed in order in batches of `batch_entries`, while the calling thread parses; the groups, ids and counts
    /// are the same as with 1, since the grouper sees the same entries in the same order.
    std::size_t threads = 1;
    std::size_t batch_entries = 512;  ///< entries handed over at once when `threads` > 1
};

/// @brief Parses any number of inputs at once, each fed as its bytes come, into one grouper.
///
/// `open` a source, `feed` it bytes in any slices, `tick(now)` now and then so that entries of sources idle
/// longer than `idle_gap` are closed, `close` it at its end. Entries go through the severity threshold and the
/// redactor once, at the source, then to the grouper. Every source has its own copy of the configured parser
/// prototype, made when it is opened. Not thread-safe: one thread feeds, ticks and takes snapshots. With
/// `threads` > 1 the entry observer is called on the grouping thread, in entry order; every accessor of the
/// grouper and the redaction counts, `tick` and `close` first wait until the entries handed over are grouped.
template <class Parser, class Grouper>
class ingest_session {
    static_assert(log_parser<Parser>, "loglens::ingest_session: Parser is not a loglens::log_parser");
    static_assert(entry_grouper<Grouper>, "loglens::ingest_session: Grouper is not a loglens::entry_grouper");

public:
    using source_id = std::size_t;
    /// Told, for every entry that reaches the grouper, its source, first line and group key.
    using entry_observer = std::function<void(const std::string& source, std::uint64_t line, std::size_t key)>;

    explicit ingest_session(ingest_options opts = {}, Parser parser = Parser{}, Grouper grouper = Grouper{})
        : opts_(opts),
          parser_(std::move(parser)),
          grouper_(std::move(grouper)) {}

    // The grouping thread works on this object: a copy or move first waits for it and never takes it along.
    ingest_session(const ingest_session& o)
        : opts_((o.sync(), o.opts_)),
          parser_(o.parser_),
          grouper_(o.grouper_),
          redactor_(o.redactor_),
          observer_(o.observer_),
          open_(o.open_),
          next_id_(o.next_id_),
          inputs_(o.inputs_),
          ingest_(o.ingest_),
          below_threshold_(o.below_threshold_) {}
    ingest_session(ingest_session&& o)
        : opts_((o.sync(), o.opts_)),
          parser_(std::move(o.parser_)),
          grouper_(std::move(o.grouper_)),
          redactor_(std::move(o.redactor_)),
          observer_(std::move(o.observer_)),
          open_(std::move(o.open_)),
          next_id_(o.next_id_),
          inputs_(std::move(o.inputs_)),
          ingest_(std::move(o.ingest_)),
          below_threshold_(o.below_threshold_) {}
    ingest_session& operator=(ingest_session o) {
        sync();
        worker_.reset();
        o.worker_.reset();
        opts_ = o.opts_;
        parser_ = std::move(o.parser_);
        grouper_ = std::move(o.grouper_);
        redactor_ = std::move(o.redactor_);
        observer_ = std::move(o.observer_);
        open_ = std::move(o.open_);
        next_id_ = o.next_id_;
        inputs_ = std::move(o.inputs_);
        ingest_ = std::move(o.ingest_);
        below_threshold_ = o.below_threshold_;
        return *this;
    }
    ~ingest_session() = default;

    [[nodiscard]] const ingest_options& options() const noexcept { return opts_; }
    [[nodiscard]] Grouper& grouper() {
        sync();
        return grouper_;
    }
    [[nodiscard]] const Grouper& grouper() const {
        sync();
        return grouper_;
    }
    void set_entry_observer(entry_observer obs) {
        sync();
        observer_ = std::move(obs);
    }

    /// Waits until every entry parsed so far is grouped (nothing to wait for with one thread); rethrows what
    /// the grouping thread threw.
    void sync() const {
        if (!worker_) return;
        if (!batch_.empty()) {
            worker_->submit(std::move(batch_));
            batch_ = worker_->take();
            batch_.clear();
        }
        worker_->drain();
    }

    /// Starts reading a source; its parser is a copy of the prototype given at construction.
    source_id open(const source_info& src) {
        const source_id id = next_id_++;
        auto& s = open_.try_emplace(id, source_state{parser_, src.path}).first->second;
        s.parser.start(src);
        return id;
    }

    /// Parses the next bytes of `id`; slices may end anywhere, even inside a line or a UTF-8 sequence.
    void feed(source_id id, std::string_view bytes) {
        auto it = open_.find(id);
        if (it == open_.end()) return;
        const auto sink = [this](log_entry&& e) { accept(std::move(e)); };
        it->second.parser.feed(bytes, sink);
    }

    /// Tells the session the time: every source part silent for `idle_gap` has its open entry closed, so the
    /// last event of a quiet container reaches the grouper now, not when other input comes.
    void tick(live_time now) {
        static_assert(live_parser<Parser>,
                      "loglens::ingest_session::tick: the Parser is not a loglens::live_parser. It needs "
                      "close_idle(loglens::live_time, std::chrono::nanoseconds, loglens::entry_sink) besides "
                      "what a loglens::log_parser needs.");
        const auto sink = [this](log_entry&& e) { accept(std::move(e)); };
        for (auto& [id, s] : open_) s.parser.close_idle(now, opts_.idle_gap, sink);
        sync();
    }

    /// Ends `id`: a last line without newline and its open entries are filed, and the source is listed in the
    /// inputs with `error` (empty: read to its end).
    void close(source_id id, std::string error = {}) {
        auto it = open_.find(id);
        if (it == open_.end()) return;
        const auto sink = [this](log_entry&& e) { accept(std::move(e)); };
        it->second.parser.finish(sink);
        sync();
        const auto& st = it->second.parser.stats();
        ingest_ += st;
        inputs_.push_back({std::move(it->second.path), st.lines, st.bytes, std::move(error)});
        open_.erase(it);
    }

    /// Parses `text` as one whole input.
    void ingest_text(std::string_view text, const source_info& src) {
        const auto id = open(src);
        feed(id, text);
        close(id);
    }

    /// Records an input that was not read at all, with why, for the report.
    void skip_input(std::string path, std::string why) { inputs_.push_back({std::move(path), 0, 0, std::move(why)}); }

    /// The inputs closed, in the order closed, then those still open (with what was read of them so far).
    [[nodiscard]] std::vector<input_summary> inputs() const {
        auto out = inputs_;
        for (const auto& [id, s] : open_) out.push_back({s.path, s.parser.stats().lines, s.parser.stats().bytes, {}});
        return out;
    }

    /// What was read and skipped, over every source, the open ones included.
    [[nodiscard]] ingest_stats stats() const {
        auto out = ingest_;
        for (const auto& [id, s] : open_) out += s.parser.stats();
        return out;
    }

    /// The parser of an open source, e.g. to ask which formats it detected; null once closed.
    [[nodiscard]] const Parser* parser_of(source_id id) const {
        const auto it = open_.find(id);
        return it == open_.end() ? nullptr : &it->second.parser;
    }

    [[nodiscard]] std::uint64_t below_threshold() const {
        sync();
        return below_threshold_;
    }
    [[nodiscard]] const std::map<std::string, std::uint64_t>& redactions() const {
        sync();
        return redactor_.counts();
    }

private:
    struct source_state {
        Parser parser;
        std::string path;
    };

    void accept(log_entry&& e) {
        if (below(e)) return;
        if (opts_.threads > 1) hand_over(e);
        else file(std::move(e));
    }

    // Counts an entry the grouper does not get.
    bool below(const log_entry& e) {
        // a threshold above warning is the user's word that less urgent entries do not matter
        const auto candidate = [&] {  // asked only of entries below the threshold: most lines of a busy log
            return opts_.judge && opts_.min_severity <= severity::warning && e.level >= severity::info &&
                   (opts_.triage || detail::worth_judging(e.message));
        };
        if (e.level >= opts_.min_severity || candidate()) return false;
        ++below_threshold_;
        return true;
    }

    // `e` (the parser's own entry, about to be overwritten) gets one that came back, so its strings' memory is
    // used again, not allocated. The threshold stays on the parsing thread: most entries of a busy log are
    // below it, and they cost less counted where they are than carried to another core.
    void hand_over(log_entry& e) {
        const std::size_t n = std::max<std::size_t>(opts_.batch_entries, 1);
        if (!worker_) {
            worker_ = std::make_unique<detail::batch_worker<std::vector<log_entry>>>(
                [this](std::vector<log_entry>& batch) { group_batch(batch); });
            batch_.reserve(n);
        }
        batch_.push_back(std::move(e));
        if (!recycled_.empty()) {
            e = std::move(recycled_.back());
            recycled_.pop_back();
        }
        if (batch_.size() < n) return;
        worker_->submit(std::move(batch_));
        batch_ = std::move(recycled_);
        batch_.clear();
        batch_.reserve(n);
        recycled_ = worker_->take();
    }

    // On the grouping thread. The entries stay in the batch, moved from or not, for `hand_over` to reuse; those
    // that grew large are let go, so what comes back stays small.
    void group_batch(std::vector<log_entry>& batch) {
        for (auto& x : batch) {
            file(std::move(x));
            if (x.raw.capacity() + x.message.capacity() + x.continuation.capacity() * sizeof(std::string) > 16384)
                x = log_entry{};
        }
    }

    void file(log_entry&& e) {
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

    ingest_options opts_;
    Parser parser_;
    Grouper grouper_;
    redactor redactor_;
    entry_observer observer_;
    std::map<source_id, source_state> open_;
    source_id next_id_ = 0;
    std::vector<input_summary> inputs_;
    ingest_stats ingest_;
    std::uint64_t below_threshold_ = 0;
    mutable std::vector<log_entry> batch_;  // entries parsed, not yet handed over
    std::vector<log_entry> recycled_;       // entries the grouping thread is done with, for the parser to reuse
    // last: destroyed first, so its thread ends (grouping what was handed over) while the grouper still exists
    mutable std::unique_ptr<detail::batch_worker<std::vector<log_entry>>> worker_;
};

LOGLENS_NAMESPACE_END
