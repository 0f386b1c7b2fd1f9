#pragma once
// default_pipeline: the Airflow/Spark/Redis/MinIO configuration the CLI runs, named once for every user.
// SPDX-License-Identifier: MIT

#include <loglens/analyze/standard_analyzer.hpp>
#include <loglens/core/progress.hpp>
#include <loglens/group/template_miner.hpp>
#include <loglens/parse/compose_parser.hpp>
#include <loglens/pipeline.hpp>
#include <loglens/report/html_writer.hpp>
#include <loglens/report/json_writer.hpp>
#include <loglens/report/markdown_writer.hpp>

LOGLENS_NAMESPACE_BEGIN

/// The writers of the default configuration: Markdown, JSON and HTML.
using default_writers = writers<markdown_writer, json_writer, html_writer>;

/// docker compose input of any of the four services, the template miner, knowledge base plus Ollama or an
/// OpenAI-compatible server (chosen by `llm_options`), and all three reports; `Progress` as the caller likes.
template <class Progress = null_progress>
using basic_default_pipeline = pipeline<compose_parser, template_miner, standard_analyzer, default_writers, Progress>;

/// The default configuration without progress output.
using default_pipeline = basic_default_pipeline<>;

#ifdef LOGLENS_COMPILED_LIB
// Instantiated once in loglens::loglens_compiled (src/loglens.cpp): a user's translation unit only calls it.
extern template class pipeline<compose_parser, template_miner, standard_analyzer, default_writers, null_progress,
                               causal_correlator>;
#endif

LOGLENS_NAMESPACE_END
