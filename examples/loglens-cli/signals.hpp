#pragma once
// Ctrl-C and SIGTERM as a request to stop: a small thread waits for them and asks the pipeline to finish early.

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <functional>
#include <mutex>
#include <thread>

namespace loglens_cli {

/// Construct it first in `main`, before any other thread exists: it blocks SIGINT and SIGTERM in the calling
/// thread, so every thread started later inherits the mask and only this one receives them (by `sigwait`).
/// The first signal calls the attached stop function; a second one ends the process at once.
class signal_watch {
public:
    signal_watch() {
        sigemptyset(&set_);
        sigaddset(&set_, SIGINT);
        sigaddset(&set_, SIGTERM);
        sigaddset(&set_, SIGUSR1);  // our own wake-up for shutdown
        pthread_sigmask(SIG_BLOCK, &set_, nullptr);
        thread_ = std::thread([this] { loop(); });
    }
    signal_watch(const signal_watch&) = delete;
    signal_watch& operator=(const signal_watch&) = delete;

    ~signal_watch() {
        closing_.store(true);
        pthread_kill(thread_.native_handle(), SIGUSR1);
        thread_.join();
    }

    /// Sets what to call on the first signal; calls it now if a signal already came.
    void attach(std::function<void()> stop) {
        std::lock_guard lock(mutex_);
        stop_ = std::move(stop);
        if (signal_.load() != 0 && stop_) stop_();
    }

    /// 0 when no signal came, else the first signal's number.
    [[nodiscard]] int received() const noexcept { return signal_.load(); }

private:
    void loop() {
        for (;;) {
            int sig = 0;
            if (sigwait(&set_, &sig) != 0) continue;
            if (sig == SIGUSR1) {
                if (closing_.load()) return;
                continue;
            }
            int expected = 0;
            if (!signal_.compare_exchange_strong(expected, sig)) {
                constexpr char msg[] = "\nloglens: interrupted again; quitting without a report\n";
                [[maybe_unused]] const auto n = ::write(STDERR_FILENO, msg, sizeof msg - 1);
                ::_exit(128 + sig);
            }
            constexpr char msg[] =
                "\nloglens: stopping; writing a partial report of what was analysed (Ctrl-C again to quit now)\n";
            [[maybe_unused]] const auto n = ::write(STDERR_FILENO, msg, sizeof msg - 1);
            std::lock_guard lock(mutex_);
            if (stop_) stop_();
        }
    }

    sigset_t set_{};
    std::thread thread_;
    std::mutex mutex_;
    std::function<void()> stop_;
    std::atomic<int> signal_{0};
    std::atomic<bool> closing_{false};
};

}  // namespace loglens_cli
