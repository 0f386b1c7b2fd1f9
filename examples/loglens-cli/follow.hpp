#pragma once
// `loglens watch`'s inputs: standard input, or files followed like `tail -F` (appends, truncation, rotation, new files in a folder).
// SPDX-License-Identifier: MIT

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <functional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace loglens_cli {

/// @brief Reads what is new in every followed input, without ever blocking.
///
/// A file is read from its start, then followed: bytes appended are read as they come; a file cut (truncated),
/// told by its size or by its first 64 bytes, is read again from its start; a file renamed away (rotated) is read to its end and the new file
/// under the name is read from its start, as the same source, so no line is lost and none is read twice. A
/// folder is scanned every second for new `*.log` and `*.txt` files. Standard input ends at its end.
class follower {
public:
    /// What the caller is told: a source opened (`name`), its next bytes, and its end (standard input only).
    struct handlers {
        std::function<std::size_t(const std::string& name)> open;
        std::function<void(std::size_t id, std::string_view bytes)> bytes;
        std::function<void(std::size_t id, const std::string& error)> ended;
        std::function<void(const std::string& note)> note;
    };

    explicit follower(handlers h) : h_(std::move(h)) {}
    follower(const follower&) = delete;
    follower& operator=(const follower&) = delete;
    ~follower() {
        for (auto& f : files_)
            if (f.fd > STDIN_FILENO) ::close(f.fd);
    }

    void add_stdin() { files_.push_back({"<stdin>", {}, STDIN_FILENO, 0, 0, h_.open("<stdin>"), true, false}); }

    /// Follows `path` from its start; it need not exist yet.
    void add_file(const std::filesystem::path& path) {
        file f{path.string(), path, -1, 0, 0, h_.open(path.string()), false, false};
        reopen(f);
        files_.push_back(std::move(f));
    }

    void add_folder(const std::filesystem::path& dir) {
        folders_.push_back(dir);
        scan(dir);
    }

    /// Reads what is there, at most `budget` bytes per input, so one busy input cannot starve the clock.
    /// Returns the bytes read.
    std::size_t poll_once(std::size_t budget = 4 << 20) {
        std::size_t total = 0;
        for (auto& f : files_) {
            if (f.ended) continue;
            total += f.is_stdin ? read_stdin(f, budget) : read_file(f, budget);
        }
        if (++polls_ % 10 == 0)
            for (const auto& d : folders_) scan(d);
        return total;
    }

    /// True when every input has ended (only standard input ends; files are followed until stopped).
    [[nodiscard]] bool all_ended() const {
        for (const auto& f : files_)
            if (!f.ended) return false;
        return !files_.empty();
    }

    /// Waits up to `ms` for standard input to have bytes (or the time to pass, when there is none to wait on).
    void wait(int ms) const {
        for (const auto& f : files_) {
            if (f.is_stdin && !f.ended) {
                pollfd p{STDIN_FILENO, POLLIN, 0};
                ::poll(&p, 1, ms);
                return;
            }
        }
        ::usleep(static_cast<useconds_t>(ms) * 1000);
    }

    /// The sources still open, by id, for the final close.
    [[nodiscard]] std::vector<std::size_t> open_ids() const {
        std::vector<std::size_t> out;
        for (const auto& f : files_)
            if (!f.ended) out.push_back(f.id);
        return out;
    }

private:
    struct file {
        std::string name;
        std::filesystem::path path;
        int fd = -1;
        dev_t dev = 0;
        ino_t ino = 0;
        std::size_t id = 0;
        bool is_stdin = false;
        bool ended = false;
        off_t offset = 0;
        std::string head;  ///< the first `head_bytes` read, to tell a file rewritten from one appended to
    };
    static constexpr std::size_t head_bytes = 64;

    std::size_t read_stdin(file& f, std::size_t budget) {
        std::size_t got = 0;
        while (got < budget) {
            pollfd p{STDIN_FILENO, POLLIN, 0};
            if (::poll(&p, 1, 0) <= 0 || !(p.revents & (POLLIN | POLLHUP | POLLERR))) break;
            const auto n = ::read(STDIN_FILENO, buf_, sizeof buf_);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) {
                f.ended = true;
                h_.ended(f.id, n < 0 ? std::strerror(errno) : "");
                break;
            }
            h_.bytes(f.id, std::string_view(buf_, static_cast<std::size_t>(n)));
            got += static_cast<std::size_t>(n);
        }
        return got;
    }

    std::size_t drain(file& f, std::size_t budget) {
        std::size_t got = 0;
        while (f.fd >= 0 && got < budget) {
            const auto n = ::read(f.fd, buf_, sizeof buf_);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) break;
            if (const auto at = static_cast<std::size_t>(f.offset); at < head_bytes)
                f.head.append(buf_, std::min(static_cast<std::size_t>(n), head_bytes - at));
            h_.bytes(f.id, std::string_view(buf_, static_cast<std::size_t>(n)));
            f.offset += n;
            got += static_cast<std::size_t>(n);
        }
        return got;
    }

    std::size_t read_file(file& f, std::size_t budget) {
        struct stat st {};
        if (::stat(f.path.c_str(), &st) != 0) return drain(f, budget);  // renamed away, not replaced yet
        if (f.fd < 0 || st.st_ino != f.ino || st.st_dev != f.dev) {
            std::size_t got = 0;
            if (f.fd >= 0) {
                got = drain(f, static_cast<std::size_t>(-1));  // the rotated file's last lines
                ::close(f.fd);
                h_.note(f.name + " was replaced (rotated); following the new file from its start");
            }
            reopen(f);
            return got + drain(f, budget);
        }
        // cut shorter, or cut and written again past where we were: its first bytes are not those read
        if (st.st_size < f.offset || rewritten(f)) {
            h_.note(f.name + " was truncated; reading it again from its start");
            ::lseek(f.fd, 0, SEEK_SET);
            f.offset = 0;
            f.head.clear();
        }
        return drain(f, budget);
    }

    bool rewritten(const file& f) {
        if (f.head.empty()) return false;
        const auto n = ::pread(f.fd, buf_, f.head.size(), 0);
        return n >= 0 && std::string_view(buf_, static_cast<std::size_t>(n)) != f.head;
    }

    void reopen(file& f) {
        f.fd = ::open(f.path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
        f.offset = 0;
        f.head.clear();
        struct stat st {};
        if (f.fd < 0 || ::fstat(f.fd, &st) != 0 || !S_ISREG(st.st_mode)) {
            if (f.fd >= 0) ::close(f.fd);
            f.fd = -1;
            return;
        }
        f.dev = st.st_dev;
        f.ino = st.st_ino;
        seen_.insert({f.dev, f.ino});
    }

    // New log files of a folder; a name whose file is already followed (rotated into the folder) is not read twice.
    void scan(const std::filesystem::path& dir) {
        std::error_code ec;
        std::vector<std::filesystem::path> found;
        for (auto it = std::filesystem::directory_iterator(dir, ec); !ec && it != std::filesystem::directory_iterator();
             it.increment(ec)) {
            const auto ext = it->path().extension().string();
            if (ext == ".log" || ext == ".txt") found.push_back(it->path());
        }
        std::sort(found.begin(), found.end());
        for (const auto& p : found) {
            bool known = false;
            for (const auto& f : files_) known = known || f.path == p;
            struct stat st {};
            if (known || ::stat(p.c_str(), &st) != 0 || !S_ISREG(st.st_mode) || seen_.count({st.st_dev, st.st_ino}))
                continue;
            add_file(p);
        }
    }

    handlers h_;
    std::vector<file> files_;
    std::vector<std::filesystem::path> folders_;
    std::set<std::pair<dev_t, ino_t>> seen_;
    std::uint64_t polls_ = 0;
    char buf_[64 * 1024];
};

}  // namespace loglens_cli
