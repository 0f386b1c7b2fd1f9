#pragma once
// loglens::analysis_context: what an analyser is given besides the group (the executor its completions run on).
// SPDX-License-Identifier: MIT

#include <loglens/core/concepts.hpp>
#include <loglens/core/severity.hpp>

#include <boost/asio/any_io_executor.hpp>

LOGLENS_NAMESPACE_BEGIN

/// What an analyser is given besides the group.
struct analysis_context {
    boost::asio::any_io_executor executor;  ///< run completions and I/O here
    language lang = language::ru;
};

LOGLENS_NAMESPACE_END
