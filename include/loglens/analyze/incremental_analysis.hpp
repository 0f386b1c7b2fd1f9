#pragma once
// loglens::incremental_analysis: the analysis stage of a live run. Analyses each new group identity once, in the background.
// SPDX-License-Identifier: MIT

#include <loglens/core/concepts.hpp>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <deque>
#include <map>
#include <mutex>
#include <condition_variable>
#include <optional>
#include <stop_token>
#include <string>
#include <thread>
#include <utility>
#include <vector>

LOGLENS_NAMESPACE_BEGIN

/// @brief Takes snapshots of a grouper and analyses only the groups that are new or whose identity (id) changed.
///
/// The analyser runs on a thread of its own with at most `concurrency` calls in flight, so the thread that feeds
/// and snapshots never waits for it: `update` only queues, `take_finished` only collects. A stop (the token
/// given, or destruction) cancels the calls in flight (`Analyzer::cancel`, when it has one) and starts no more;
/// each still completes, with the analyser's fallback. Results are kept by group id: their number grows with
/// templates, never with lines.
template <class Analyzer>
class incremental_analysis {
    static_assert(group_analyzer<Analyzer>,
                  "loglens::incremental_analysis: Analyzer is not a loglens::group_analyzer. It needs "
                  "`using stage_category = loglens::analyzer_tag;` and "
                  "async_analyze(const log_group&, const analysis_context&, analysis_handler).");

public:
    incremental_analysis(Analyzer analyzer, language lang, std::size_t concurrency, std::stop_token token = {})
        : analyzer_(std::move(analyzer)),
          lang_(lang),
          limit_(concurrency == 0 ? 1 : concurrency),
          work_(boost::asio::make_work_guard(ioc_)),
          on_stop_(std::move(token), [this] { stop(); }),
          thread_([this] { ioc_.run(); }) {}

    incremental_analysis(const incremental_analysis&) = delete;
    incremental_analysis& operator=(const incremental_analysis&) = delete;

    ~incremental_analysis() {
        stop();
        work_.reset();
        thread_.join();
    }

    /// Queues every group of `snap` whose id was never queued, exported whole from `grouper` now. Returns at once
    /// with the ids queued.
    template <class Grouper>
    std::vector<std::string> update(const group_snapshot& snap, const Grouper& grouper) {
        static_assert(snapshot_grouper<Grouper>,
                      "loglens::incremental_analysis::update: the Grouper is not a loglens::snapshot_grouper. It "
                      "needs snapshot() -> group_snapshot and group(const group_digest&) -> log_group.");
        std::vector<std::string> queued;
        for (const auto& d : snap.groups) {
            {
                std::lock_guard lock(m_);
                if (!results_.try_emplace(d.id).second) continue;
                ++pending_;
            }
            queued.push_back(d.id);
            boost::asio::post(ioc_, [this, g = grouper.group(d)]() mutable {
                if (stopped_.load()) return finish(g.id, not_analysed(g));
                queue_.push_back(std::move(g));
                launch();
            });
        }
        return queued;
    }

    /// The analyses finished since the last call, in the order they finished.
    std::vector<std::pair<std::string, analysis>> take_finished() {
        std::lock_guard lock(m_);
        return std::exchange(finished_, {});
    }

    /// The analysis of the group with `id`, once finished.
    [[nodiscard]] std::optional<analysis> result(const std::string& id) const {
        std::lock_guard lock(m_);
        const auto it = results_.find(id);
        if (it == results_.end() || !it->second) return std::nullopt;
        return it->second;
    }

    /// Groups queued and not finished yet.
    [[nodiscard]] std::size_t pending() const {
        std::lock_guard lock(m_);
        return pending_;
    }

    /// Waits until nothing is pending, at most `timeout`. True when nothing is.
    template <class Rep, class Period>
    bool wait_idle(std::chrono::duration<Rep, Period> timeout) {
        std::unique_lock lock(m_);
        return idle_.wait_for(lock, timeout, [this] { return pending_ == 0; });
    }

    /// Cancels the calls in flight and starts no more; thread-safe, idempotent.
    void stop() {
        if (stopped_.exchange(true)) return;
        boost::asio::post(ioc_, [this] {
            if constexpr (requires(Analyzer & a) { a.cancel(); }) analyzer_.cancel();
            for (auto& g : queue_) finish(g.id, not_analysed(g));
            queue_.clear();
        });
    }

    [[nodiscard]] Analyzer& analyzer() noexcept { return analyzer_; }

private:
    // on the analyser's thread only
    void launch() {
        const analysis_context ctx{ioc_.get_executor(), lang_};
        while (in_flight_ < limit_ && !queue_.empty() && !stopped_.load()) {
            auto g = std::move(queue_.front());
            queue_.pop_front();
            ++in_flight_;
            analyzer_.async_analyze(g, ctx, [this, id = g.id](analysis a) {
                --in_flight_;
                finish(id, std::move(a));
                launch();
            });
        }
    }

    static analysis not_analysed(const log_group& g) {
        analysis a;
        a.verdict = classification_for(g.level);
        a.error = "not analysed: the run was stopped";
        return a;
    }

    void finish(const std::string& id, analysis a) {
        std::lock_guard lock(m_);
        results_[id] = a;
        finished_.emplace_back(id, std::move(a));
        if (--pending_ == 0) idle_.notify_all();
    }

    Analyzer analyzer_;
    language lang_;
    std::size_t limit_;
    std::size_t in_flight_ = 0;
    std::deque<log_group> queue_;
    std::atomic<bool> stopped_{false};
    mutable std::mutex m_;
    std::condition_variable idle_;
    std::map<std::string, std::optional<analysis>> results_;
    std::vector<std::pair<std::string, analysis>> finished_;
    std::size_t pending_ = 0;
    boost::asio::io_context ioc_;
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
    std::stop_callback<std::function<void()>> on_stop_;
    std::thread thread_;
};

LOGLENS_NAMESPACE_END
