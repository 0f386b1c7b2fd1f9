#pragma once
// loglens::detail::batch_worker: one thread that runs a function over batches handed to it in order, with bounded memory.
// SPDX-License-Identifier: MIT

#include <loglens/version.hpp>

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <stop_token>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

LOGLENS_NAMESPACE_BEGIN
namespace detail {

/// @brief The second stage of a two-stage pipeline: the caller fills batches, one thread consumes them.
///
/// Batches are consumed one at a time and in the order they were submitted, so the consumer sees exactly the
/// sequence a single thread would have seen: the result does not depend on timing. At most `in_flight` batches
/// wait at once; `submit` blocks beyond that, so memory is bounded by the batch size, not by the input. Consumed
/// batches come back through `take()` as the consumer left them, memory included, so a steady stream allocates
/// no new buffers. An exception thrown by the consumer is kept and rethrown by the next `submit` or `drain`.
/// `Batch` is any movable type (a `std::vector<log_entry>`, a `byte_chunk`).
template <class Batch>
class batch_worker {
public:
    using consumer = std::function<void(Batch&)>;

    explicit batch_worker(consumer consume, std::size_t in_flight = 4)
        : consume_(std::move(consume)),
          in_flight_(in_flight == 0 ? 1 : in_flight),
          thread_([this](std::stop_token stop) { run(stop); }) {}
    batch_worker(const batch_worker&) = delete;
    batch_worker& operator=(const batch_worker&) = delete;

    /// A batch to fill: one that came back, as the consumer left it, or a new one.
    Batch take() {
        std::lock_guard lock(mutex_);
        if (spare_.empty()) return {};
        auto b = std::move(spare_.back());
        spare_.pop_back();
        return b;
    }

    /// Hands `batch` to the thread; waits while `in_flight` batches are queued.
    void submit(Batch&& batch) {
        std::unique_lock lock(mutex_);
        room_.wait(lock, [&] { return queue_.size() < in_flight_ || failure_; });
        rethrow(lock);
        queue_.push_back(std::move(batch));
        ready_.notify_one();
    }

    /// Waits until every batch submitted so far has been consumed; afterwards the caller may read what the
    /// consumer wrote, as the mutex orders those writes before this return.
    void drain() {
        std::unique_lock lock(mutex_);
        room_.wait(lock, [&] { return (queue_.empty() && !busy_) || failure_; });
        rethrow(lock);
    }

private:
    void rethrow(std::unique_lock<std::mutex>& lock) {
        if (!failure_) return;
        auto e = std::exchange(failure_, nullptr);
        queue_.clear();
        lock.unlock();
        std::rethrow_exception(e);
    }

    void run(const std::stop_token& stop) {
        std::unique_lock lock(mutex_);
        for (;;) {
            ready_.wait(lock, stop, [&] { return !queue_.empty(); });
            if (queue_.empty()) return;  // stopped with nothing left
            auto batch = std::move(queue_.front());
            queue_.pop_front();
            if (failure_) {  // what follows a failed batch is dropped: the caller is about to hear of it
                spare(std::move(batch));
                continue;
            }
            busy_ = true;
            lock.unlock();
            std::exception_ptr failed;
            try {
                consume_(batch);
            } catch (...) {
                failed = std::current_exception();
            }
            lock.lock();
            busy_ = false;
            if (failed && !failure_) failure_ = failed;
            spare(std::move(batch));
        }
    }

    void spare(Batch&& batch) {
        if (spare_.size() < in_flight_ + 1) spare_.push_back(std::move(batch));
        room_.notify_all();
    }

    consumer consume_;
    std::size_t in_flight_;
    std::mutex mutex_;
    std::condition_variable_any ready_;
    std::condition_variable room_;
    std::deque<Batch> queue_;
    std::vector<Batch> spare_;
    bool busy_ = false;
    std::exception_ptr failure_;
    // last: it starts once every member it uses exists; its destructor asks it to stop (the wait above wakes on
    // that) and joins it before they go, once what was queued is consumed
    std::jthread thread_;
};

/// Bytes read ahead: a buffer that keeps its memory from one read to the next and is not zeroed when it grows.
struct byte_chunk {
    std::unique_ptr<char[]> data;
    std::size_t size = 0;
    std::size_t capacity = 0;

    void reserve(std::size_t n) {
        if (n <= capacity) return;
        data = std::make_unique_for_overwrite<char[]>(n);
        capacity = n;
    }
    [[nodiscard]] std::string_view view() const noexcept { return {data.get(), size}; }
};

}  // namespace detail
LOGLENS_NAMESPACE_END
