// loglens::loglens_compiled: the one source file of the compiled mode (LOGLENS_COMPILED_LIB).
// SPDX-License-Identifier: MIT
//
// The LLM analyser with its HTTP, TLS and Ollama/OpenAI client code, the built-in knowledge base, and the default
// pipeline with its report writers are built once here, so a user's translation unit only declares them.

#ifndef LOGLENS_COMPILED_LIB
#error "src/loglens.cpp belongs to the loglens_compiled target, which defines LOGLENS_COMPILED_LIB"
#endif

#define LOGLENS_COMPILED_LIB_SOURCE  // the definitions compiled mode leaves to this file (detail/config.hpp)
#include <loglens/loglens.hpp>
#include <loglens/analyze/standard_analyzer-inl.hpp>

LOGLENS_NAMESPACE_BEGIN

template class pipeline<compose_parser, template_miner, standard_analyzer, default_writers, null_progress,
                        causal_correlator>;

LOGLENS_NAMESPACE_END
