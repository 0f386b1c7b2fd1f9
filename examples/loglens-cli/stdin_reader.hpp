#pragma once
// Standard input as a std::istream that ends early when a stop is requested, even if no byte ever arrives.

#include <poll.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <functional>
#include <streambuf>
#include <string>

namespace loglens_cli {

/// `tail -f app.log | loglens analyze -` never sends end-of-file: a blocking read would make Ctrl-C wait for
/// the next line. This buffer polls, so a stop request ends the input within `poll_ms`.
class stoppable_fd_buf : public std::streambuf {
public:
    stoppable_fd_buf(int fd, std::function<bool()> stop, int poll_ms = 200)
        : fd_(fd), stop_(std::move(stop)), poll_ms_(poll_ms) {}

    /// Empty when the input ended normally (or by a stop); else why reading failed.
    [[nodiscard]] const std::string& error() const noexcept { return error_; }

protected:
    int_type underflow() override {
        if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
        for (;;) {
            if (stop_ && stop_()) return traits_type::eof();
            pollfd p{fd_, POLLIN, 0};
            const int ready = ::poll(&p, 1, poll_ms_);
            if (ready < 0 && errno == EINTR) continue;
            if (ready == 0) continue;
            const auto n = ::read(fd_, buf_.data(), buf_.size());
            if (n > 0) {
                setg(buf_.data(), buf_.data(), buf_.data() + n);
                return traits_type::to_int_type(*gptr());
            }
            if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
            if (n < 0) error_ = std::strerror(errno);
            return traits_type::eof();
        }
    }

private:
    int fd_;
    std::function<bool()> stop_;
    int poll_ms_;
    std::array<char, 64 * 1024> buf_{};
    std::string error_;
};

}  // namespace loglens_cli
