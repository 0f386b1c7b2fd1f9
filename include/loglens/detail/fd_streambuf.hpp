#pragma once
// A file descriptor as a std::istream buffer that remembers why reading failed and ends early on a stop request.
// SPDX-License-Identifier: MIT

#include <loglens/version.hpp>

#include <poll.h>
#include <unistd.h>

#include <algorithm>
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
        const auto n = fill(buf_.data(), buf_.size());
        if (n == 0) return traits_type::eof();
        setg(buf_.data(), buf_.data(), buf_.data() + n);
        return traits_type::to_int_type(*gptr());
    }

    // A large read goes straight from the kernel to the caller's buffer: one copy of every byte, not two.
    std::streamsize xsgetn(char* to, std::streamsize n) override {
        std::streamsize got = std::min<std::streamsize>(n, egptr() - gptr());
        if (got > 0) {
            std::memcpy(to, gptr(), static_cast<std::size_t>(got));
            gbump(static_cast<int>(got));
        }
        while (got < n) {
            const auto want = static_cast<std::size_t>(n - got);
            if (want < buf_.size()) {
                if (traits_type::eq_int_type(underflow(), traits_type::eof())) break;
                const auto k = std::min<std::streamsize>(n - got, egptr() - gptr());
                std::memcpy(to + got, gptr(), static_cast<std::size_t>(k));
                gbump(static_cast<int>(k));
                got += k;
                continue;
            }
            const auto k = fill(to + got, want);
            if (k == 0) break;
            got += static_cast<std::streamsize>(k);
        }
        return got;
    }

private:
    // Reads at most `n` bytes into `to`; 0 at the end, on a stop request or on an error (kept in `error_`).
    std::size_t fill(char* to, std::size_t n) {
        for (;;) {
            if (stop_.stop_requested()) return 0;
            if (poll_ms_ >= 0) {
                pollfd p{fd_, POLLIN, 0};
                const int ready = ::poll(&p, 1, poll_ms_);
                if (ready < 0 && errno == EINTR) continue;
                if (ready == 0) continue;
            }
            const auto k = ::read(fd_, to, n);
            if (k > 0) return static_cast<std::size_t>(k);
            if (k < 0 && (errno == EINTR || errno == EAGAIN)) continue;
            if (k < 0) error_ = std::strerror(errno);
            return 0;
        }
    }

    int fd_;
    std::stop_token stop_;
    int poll_ms_;
    std::array<char, 64 * 1024> buf_{};
    std::string error_;
};

}  // namespace detail
LOGLENS_NAMESPACE_END
