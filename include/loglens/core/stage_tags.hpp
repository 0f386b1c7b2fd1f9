#pragma once
// Opt-in tags: a type declares which pipeline slot it is written for with `using stage_category = ...;`.
// SPDX-License-Identifier: MIT

#include <loglens/version.hpp>

LOGLENS_NAMESPACE_BEGIN

struct parser_tag {};
struct grouper_tag {};
struct analyzer_tag {};
struct writer_tag {};
struct progress_tag {};
struct correlator_tag {};
struct llm_client_tag {};  ///< not a pipeline slot: the LLM backend inside an analyser

LOGLENS_NAMESPACE_END
