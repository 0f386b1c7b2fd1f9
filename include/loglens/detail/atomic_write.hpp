#pragma once
// Writing a file so that readers see either the old file or the whole new one, and nobody else can steer or read it.
// SPDX-License-Identifier: MIT

#include <loglens/core/file_permissions.hpp>

#include <fcntl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <functional>
#include <ostream>
#include <random>
#include <stdexcept>
#include <streambuf>
#include <string>

LOGLENS_NAMESPACE_BEGIN

namespace detail {

/// An ostream buffer over a file descriptor that remembers the first write error (errno).
class fd_ostreambuf : public std::streambuf {
public:
    explicit fd_ostreambuf(int fd) : fd_(fd) { setp(buf_.data(), buf_.data() + buf_.size()); }
    fd_ostreambuf(const fd_ostreambuf&) = delete;
    fd_ostreambuf& operator=(const fd_ostreambuf&) = delete;

    /// 0 while every byte reached the file, else the errno of the first failure.
    [[nodiscard]] int error() const noexcept { return error_; }

protected:
    int_type overflow(int_type c) override {
        if (!drain()) return traits_type::eof();
        if (!traits_type::eq_int_type(c, traits_type::eof())) sputc(traits_type::to_char_type(c));
        return traits_type::not_eof(c);
    }
    int sync() override { return drain() ? 0 : -1; }

private:
    bool drain() {
        const char* p = pbase();
        while (p < pptr() && error_ == 0) {
            const auto n = ::write(fd_, p, static_cast<std::size_t>(pptr() - p));
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) error_ = n < 0 ? errno : EIO;
            else p += n;
        }
        setp(buf_.data(), buf_.data() + buf_.size());
        return error_ == 0;
    }

    int fd_;
    int error_ = 0;
    std::array<char, 64 * 1024> buf_{};
};

/// A name nobody can guess, so that no file or link can be planted under it beforehand.
inline std::string random_suffix() {
    std::uint64_t r = 0;
    if (::getrandom(&r, sizeof r, 0) != static_cast<ssize_t>(sizeof r)) r = std::random_device{}() * 0x9e3779b97f4a7c15ull;
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(r));
    return buf;
}

inline std::runtime_error write_error(const std::filesystem::path& p, int err, const char* hint) {
    return std::runtime_error("cannot write " + p.string() + ": " + std::strerror(err) + hint);
}

/// Creates `dir` and its missing parents with `mode` exactly; folders that exist already are left as they are.
inline void create_folders(const std::filesystem::path& dir, unsigned mode) {
    std::filesystem::path sofar;
    for (const auto& part : dir) {
        sofar /= part;
        if (part.empty() || part == sofar.root_path()) continue;
        if (::mkdir(sofar.c_str(), static_cast<mode_t>(mode)) == 0) {
            ::chmod(sofar.c_str(), static_cast<mode_t>(mode));  // past the umask: the user chose the mode
            continue;
        }
        struct stat st {};
        if (errno == EEXIST && ::stat(sofar.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) continue;
        throw write_error(sofar, errno == EEXIST ? ENOTDIR : errno, " (check that the output folder is writable)");
    }
}

/// Closes a descriptor and removes the temporary file unless the write was committed.
struct temp_file_guard {
    int dir_fd = -1;
    int fd = -1;
    std::string name;
    bool committed = false;
    ~temp_file_guard() {
        if (fd >= 0) ::close(fd);
        if (!committed && !name.empty()) ::unlinkat(dir_fd, name.c_str(), 0);
        if (dir_fd >= 0) ::close(dir_fd);
    }
};

/// Calls `fill` with a stream on a new temporary file beside `target` (random name, created with O_EXCL and
/// O_NOFOLLOW, so a planted file or link is never written through), syncs it to disk and renames it over
/// `target`. The file gets permission bits `mode` exactly. Throws std::runtime_error naming the file and the
/// reason when anything fails; the temporary file is removed then.
inline void atomic_write(const std::filesystem::path& target, const std::function<void(std::ostream&)>& fill,
                         unsigned mode = file_permissions{}.file) {
    const auto folder = target.has_parent_path() ? target.parent_path() : std::filesystem::path(".");
    temp_file_guard g;
    g.dir_fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (g.dir_fd < 0) throw write_error(folder, errno, " (check that the output folder exists and is writable)");
    for (int attempt = 0; g.fd < 0 && attempt < 8; ++attempt) {
        g.name = "." + target.filename().string() + "." + random_suffix() + ".tmp";
        g.fd = ::openat(g.dir_fd, g.name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                        static_cast<mode_t>(mode & 0777u));
        if (g.fd < 0 && errno != EEXIST) {
            const int err = errno;
            g.name.clear();  // not ours: never remove it
            throw write_error(folder / target.filename(), err, " (check that the output folder is writable)");
        }
    }
    if (g.fd < 0) {
        g.name.clear();
        throw write_error(folder / target.filename(), EEXIST, " (could not create a temporary file)");
    }
    const auto tmp = folder / g.name;
    if (::fchmod(g.fd, static_cast<mode_t>(mode & 0777u)) != 0) throw write_error(tmp, errno, "");
    {
        fd_ostreambuf buf(g.fd);
        std::ostream out(&buf);
        fill(out);
        out.flush();
        if (buf.error() != 0) throw write_error(tmp, buf.error(), " (the disk may be full)");
        if (!out) throw write_error(tmp, EIO, "");
    }
    if (::fsync(g.fd) != 0) throw write_error(tmp, errno, " (the disk may be full)");
    const int fd = g.fd;
    g.fd = -1;
    if (::close(fd) != 0) throw write_error(tmp, errno, " (the disk may be full)");
    if (::renameat(g.dir_fd, g.name.c_str(), g.dir_fd, target.filename().c_str()) != 0)
        throw std::runtime_error("cannot rename " + tmp.string() + " to " + target.string() + ": " + std::strerror(errno));
    g.committed = true;
    ::fsync(g.dir_fd);  // best effort: makes the rename itself durable
}

}  // namespace detail
LOGLENS_NAMESPACE_END
