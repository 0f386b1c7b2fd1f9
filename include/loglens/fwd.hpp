#pragma once
// Forward declarations of loglens' public types, for headers that name them without needing their definitions.
// SPDX-License-Identifier: MIT

#include <loglens/version.hpp>

#include <cstdint>

LOGLENS_NAMESPACE_BEGIN

enum class severity : std::uint8_t;
enum class language : std::uint8_t;
enum class llm_backend : std::uint8_t;

// core/
struct source_info;
struct log_entry;
struct log_group;
struct ingest_stats;
struct analysis;
struct problem;
struct incident;
struct llm_summary;
struct report;
struct progress_event;
struct null_progress;

// stages
class compose_parser;
class plain_parser;
class line_format;
class template_miner;
class exact_grouper;
class knowledge_base;
struct null_analyzer;
struct analysis_context;
struct llm_options;
struct probe_result;
class standard_analyzer;
struct markdown_writer;
struct json_writer;
struct html_writer;
class causal_correlator;

// pipeline.hpp (the default stages are given there)
template <class... Ws>
struct writers;
struct pipeline_options;
template <class Parser, class Grouper, class Analyzer, class Writers, class Progress, class Correlator>
class pipeline;

// default_pipeline.hpp
using default_writers = writers<markdown_writer, json_writer, html_writer>;
using default_pipeline =
    pipeline<compose_parser, template_miner, standard_analyzer, default_writers, null_progress, causal_correlator>;

LOGLENS_NAMESPACE_END
