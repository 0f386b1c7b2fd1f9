#pragma once
// Writing a file so that readers see either the old file or the whole new one, never half of it.

#include <loglens/version.hpp>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <system_error>

LOGLENS_NAMESPACE_BEGIN
namespace detail {

/// Calls `fill` with a stream on `target.tmp`, flushes it, and renames it over `target`.
/// Throws std::runtime_error naming the file and the reason when anything fails.
inline void atomic_write(const std::filesystem::path& target, const std::function<void(std::ostream&)>& fill) {
    namespace fs = std::filesystem;
    const fs::path tmp = target.string() + ".tmp";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out)
            throw std::runtime_error("cannot write " + tmp.string() + ": " + std::strerror(errno) +
                                     " (check that the output folder exists and is writable)");
        fill(out);
        out.flush();
        if (!out) {
            std::error_code ignore;
            fs::remove(tmp, ignore);
            throw std::runtime_error("cannot write " + tmp.string() + ": the disk may be full");
        }
    }
    std::error_code ec;
    fs::rename(tmp, target, ec);
    if (ec) {
        std::error_code ignore;
        fs::remove(tmp, ignore);
        throw std::runtime_error("cannot rename " + tmp.string() + " to " + target.string() + ": " + ec.message());
    }
}

}  // namespace detail
LOGLENS_NAMESPACE_END
