#pragma once
// Ctrl-C and SIGTERM as a request to stop: a small thread waits for them and requests a stop on a std::stop_source.
// SPDX-License-Identifier: MIT

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <stop_token>
#include <thread>

namespace loglens_cli {

/// Construct it first in `main`, before anything can block and before any other thread exists: it blocks SIGINT
/// and SIGTERM in the calling thread, so every thread started later inherits the mask and only this one receives
/// them (by `sigwait`). A signal that comes before the work starts is kept: `token()` is already stopped then.
///
/// The first signal requests a stop (a partial report is written) and says so on stderr. A repeat is the same
/// request: `timeout` and service managers often deliver SIGTERM twice (to the process and to its group), so
/// SIGTERM never ends the process without a report. Only a second Ctrl-C from a person, which comes after the
/// notice (not within `echo_window` of the first signal, the time a duplicate delivery takes), quits at once.
class signal_watch {
public:
    static constexpr std::chrono::milliseconds echo_window{100};
    static constexpr std::chrono::milliseconds same_request{1000};

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

    /// Stopped once SIGINT or SIGTERM came; register a std::stop_callback to act on it.
    [[nodiscard]] std::stop_token token() const noexcept { return stop_.get_token(); }

    /// 0 when no signal came, else the first signal's number.
    [[nodiscard]] int received() const noexcept { return signal_.load(); }

    /// What the first signal prints: a batch run's report is partial, a watch's is its final one.
    void set_stop_notice(const char* line) noexcept { notice_.store(line); }

    /// How many SIGUSR1 came from outside: each asks `loglens watch` for its reports now.
    [[nodiscard]] unsigned report_requests() const noexcept { return usr1_.load(); }

private:
    using clock = std::chrono::steady_clock;

    static void say(const char* msg, std::size_t n) { [[maybe_unused]] const auto w = ::write(STDERR_FILENO, msg, n); }

    void loop() {
        clock::time_point first{};
        for (;;) {
            int sig = 0;
            if (sigwait(&set_, &sig) != 0) continue;
            if (sig == SIGUSR1) {
                if (closing_.load()) return;
                ++usr1_;  // from outside: `loglens watch` writes its reports now
                continue;
            }
            int expected = 0;
            if (signal_.compare_exchange_strong(expected, sig)) {
                first = clock::now();
                const char* msg = notice_.load();
                say(msg, std::strlen(msg));
                stop_.request_stop();
                continue;
            }
            const auto since = clock::now() - first;
            if (sig == SIGINT && since >= echo_window) {
                constexpr char msg[] = "\nloglens: interrupted again; quitting without a report\n";
                say(msg, sizeof msg - 1);
                ::_exit(128 + SIGINT);
            }
            if (since >= same_request) {
                constexpr char msg[] = "loglens: already stopping; the report is being written (Ctrl-C to quit now)\n";
                say(msg, sizeof msg - 1);
            }
        }
    }

    sigset_t set_{};
    std::thread thread_;
    std::stop_source stop_;
    std::atomic<int> signal_{0};
    std::atomic<unsigned> usr1_{0};
    std::atomic<bool> closing_{false};
    std::atomic<const char*> notice_{
        "\nloglens: stopping; writing a partial report of what was analysed (Ctrl-C again to quit now)\n"};
};

}  // namespace loglens_cli
