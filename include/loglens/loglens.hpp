#pragma once
// loglens: the whole library in one include. Turns container logs into a prioritised problem report.
// SPDX-License-Identifier: MIT
//
// <loglens/offline.hpp> holds everything but the LLM clients and compiles much faster.
//
// With LOGLENS_COMPILED_LIB (link loglens::loglens_compiled) the LLM analyser and the default pipeline are compiled
// once into the library and only declared here; the clients, the cache and the prompts themselves are then left
// out (include <loglens/analyze/llm_client.hpp>, llm_cache.hpp or prompt.hpp to use them directly).
#include <loglens/offline.hpp>
#ifndef LOGLENS_COMPILED_LIB
#include <loglens/analyze/incident_prompt.hpp>
#include <loglens/analyze/llm_cache.hpp>
#include <loglens/analyze/llm_client.hpp>
#include <loglens/analyze/prompt.hpp>
#endif
#include <loglens/analyze/standard_analyzer.hpp>
#include <loglens/default_pipeline.hpp>
