#pragma once
// A file descriptor as a std::istream buffer that remembers why reading failed and ends early on a stop request.
// SPDX-License-Identifier: MIT

#include <loglens/version.hpp>

#include <poll.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <stop_token>
#include <streambuf>
#include <string>

LOGLENS_NAMESPACE_BEGIN
namespace detail {

/// `tail -f app.log | loglens analyze -` never sends end-of-file, and a pipe may stay silent for ever: with
/// `poll_ms >= 0` the buffer waits in `poll` slices of that length, so a stop request ends the input within
/// one slice. With `poll_ms < 0` (regular files) it reads directly.
class fd_istreambuf : public std::streambuf {
public:
    explicit fd_istreambuf(int fd, std::stop_token stop = {}, int poll_ms = -1)
        : fd_(fd),
          stop_(std::move(stop)),
          poll_ms_(poll_ms) {}
    fd_istreambuf(const fd_istreambuf&) = delete;
    fd_istreambuf& operator=(const fd_istreambuf&) = delete;

    /// Empty when the input ended normally (or by a stop); else why reading failed, e.g. "Input/output error".
    [[nodiscard]] const std::string& error() const noexcept { return error_; }

protected:
    int_type underflow() override {
        if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
        for (;;) {
            if (stop_.stop_requested()) return traits_type::eof();
            if (poll_ms_ >= 0) {
                pollfd p{fd_, POLLIN, 0};
                const int ready = ::poll(&p, 1, poll_ms_);
                if (ready < 0 && errno == EINTR) continue;
                if (ready == 0) continue;
            }
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
    std::stop_token stop_;
    int poll_ms_;
    std::array<char, 64 * 1024> buf_{};
    std::string error_;
};

}  // namespace detail
LOGLENS_NAMESPACE_END
