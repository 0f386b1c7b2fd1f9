// The compiled part of loglens (target loglens::loglens_compiled, LOGLENS_COMPILED_LIB): the LLM analyser with its
// SPDX-License-Identifier: MIT
// HTTP, TLS and Ollama/OpenAI client code, and the default pipeline with its report writers, built once here so
// a user's translation unit only declares them.

#ifndef LOGLENS_COMPILED_LIB
#error "src/loglens.cpp belongs to the loglens_compiled target, which defines LOGLENS_COMPILED_LIB"
#endif

#include <loglens/loglens.hpp>
#include <loglens/analyze/standard_analyzer-inl.hpp>

LOGLENS_NAMESPACE_BEGIN

template class pipeline<compose_parser, template_miner, standard_analyzer, default_writers, null_progress,
                        causal_correlator>;

LOGLENS_NAMESPACE_END
