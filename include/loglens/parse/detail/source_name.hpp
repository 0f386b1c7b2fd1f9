#pragma once
// The service a container runtime's own log file belongs to, read from its path (Docker json-file, Kubernetes CRI).
// SPDX-License-Identifier: MIT

#include <loglens/detail/ascii.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

LOGLENS_NAMESPACE_BEGIN
namespace detail {

inline bool is_container_id(std::string_view s) noexcept {
    return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) { return is_digit(c) || (c >= 'a' && c <= 'f'); });
}

/// The string value after `key` in a one-line JSON text, or empty (enough for docker's config.v2.json).
inline std::string json_value_after(std::string_view text, std::string_view key) {
    const auto p = text.find(key);
    if (p == std::string_view::npos) return {};
    const auto b = p + key.size();
    const auto e = text.find('"', b);
    if (e == std::string_view::npos || e - b > 256) return {};
    return std::string(text.substr(b, e - b));
}

/// Docker's name for container `dir/<id>-json.log`: its compose service or name from `config.v2.json` beside
/// it, as `docker ps` shows them; the short id when that file is absent or unreadable.
inline std::string docker_container_name(const std::filesystem::path& log, std::string_view id) {
    std::ifstream in(log.parent_path() / "config.v2.json", std::ios::binary);
    if (in) {
        std::string text(256 * 1024, '\0');
        in.read(text.data(), static_cast<std::streamsize>(text.size()));
        text.resize(static_cast<std::size_t>(in.gcount()));
        if (auto svc = json_value_after(text, "\"com.docker.compose.service\":\""); !svc.empty()) return svc;
        if (auto name = json_value_after(text, "\"Name\":\"/"); !name.empty()) return name;
    }
    return std::string(id.substr(0, 12));
}

/// The service that the file at `path` holds by the runtimes' naming, or `fallback`:
/// `/var/lib/docker/containers/<id>/<id>-json.log`, `/var/log/containers/<pod>_<ns>_<container>-<id>.log`,
/// `/var/log/pods/<ns>_<pod>_<uid>/<container>/0.log`.
inline std::string service_from_path(std::string_view path, std::string fallback) {
    const std::filesystem::path p{std::string(path)};
    const auto stem = p.stem().string();
    if (stem.size() == 69 && stem.ends_with("-json") && is_container_id(std::string_view(stem).substr(0, 64)))
        return docker_container_name(p, std::string_view(stem).substr(0, 64));
    if (stem.size() > 65 && stem[stem.size() - 65] == '-' &&
        is_container_id(std::string_view(stem).substr(stem.size() - 64))) {
        const auto head = std::string_view(stem).substr(0, stem.size() - 65);
        const auto us = head.rfind('_');
        if (us != std::string_view::npos && head.find('_') < us) return std::string(head.substr(us + 1));
    }
    const auto parent = p.parent_path();
    const auto pod_dir = parent.parent_path().filename().string();  // `<ns>_<pod>_<uid>`
    if (!stem.empty() && std::all_of(stem.begin(), stem.end(), is_digit) &&
        std::count(pod_dir.begin(), pod_dir.end(), '_') >= 2)
        return parent.filename().string();
    return fallback;
}

}  // namespace detail
LOGLENS_NAMESPACE_END
