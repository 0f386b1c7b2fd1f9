#pragma once
// The permission bits of the files and folders loglens writes (reports, LLM cache).
// SPDX-License-Identifier: MIT

#include <loglens/version.hpp>

LOGLENS_NAMESPACE_BEGIN

/// Permission bits of what loglens writes (reports, cache files) and of the folders it creates for them.
/// Private by default: reports hold what the logs hold. Applied exactly, whatever the umask.
struct file_permissions {
    unsigned file = 0600;
    unsigned folder = 0700;

    /// The folder mode that goes with a file mode: every class that may read the files may also enter the folder
    /// (0600 -> 0700, 0640 -> 0750, 0644 -> 0755).
    [[nodiscard]] static constexpr file_permissions for_file_mode(unsigned mode) noexcept {
        unsigned dir = (mode & 0777u) | 0700u;
        if (mode & 060u) dir |= 010u;
        if (mode & 006u) dir |= 001u;
        return {mode & 0777u, dir};
    }
};

LOGLENS_NAMESPACE_END
