#pragma once
// The shape of one knowledge-base entry: a known failure (or known harmless noise) and what to do about it.
// SPDX-License-Identifier: MIT

#include <loglens/core/severity.hpp>

#include <array>
#include <string_view>

LOGLENS_NAMESPACE_BEGIN

/// The explanation of a signature in one language. Unused recommendation slots stay empty.
struct kb_text {
    std::string_view description;
    std::string_view root_cause;
    std::array<std::string_view, 4> recommendations{};
};

/// @brief One known failure or known-benign message of a service.
///
/// `pattern` is a Perl-syntax regular expression, matched case-insensitively against a group's template,
/// exception and sample lines (tracebacks included). `service` names the service family (`airflow`, `spark`,
/// `redis`, `minio`): the signature is tried on groups whose service name contains it, and on groups whose
/// service names no known family (or on every group, if `seen_in_clients`). Tables live in `kb/<service>.hpp`; order matters, the first match wins,
/// so specific signatures come before generic ones.
struct kb_signature {
    /// Stable, `service.topic-what`, shown in reports. Signatures of one topic (`redis.replica-...`) describe one
    /// failure seen from different sides, so the judgement reports them once per service.
    std::string_view id;
    std::string_view service;  ///< service family this signature belongs to
    std::string_view pattern;
    classification verdict = classification::major;
    bool benign = false;      ///< known harmless noise: reported apart from problems
    double confidence = 0.9;  ///< how sure a match is about the cause
    kb_text ru;
    kb_text en;
    /// Also seen in its clients' logs (a Celery worker quoting Redis' MISCONF, Spark quoting MinIO's
    /// InvalidAccessKeyId), so it is tried on every service.
    bool seen_in_clients = false;
};

LOGLENS_NAMESPACE_END
