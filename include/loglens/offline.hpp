#pragma once
// loglens without the LLM clients: parsers, groupers, the knowledge base, report writers and the pipeline.
// SPDX-License-Identifier: MIT
//
// Everything here works offline and leaves out Boost.Beast and the coroutine HTTP code, so a translation unit
// that includes it compiles about four times faster than one that includes <loglens/loglens.hpp>.
#include <loglens/version.hpp>
#include <loglens/core/concepts.hpp>
#include <loglens/core/progress.hpp>
#include <loglens/core/report_model.hpp>
#include <loglens/core/severity.hpp>
#include <loglens/core/types.hpp>
#include <loglens/parse/compose_parser.hpp>
#include <loglens/parse/line_format.hpp>
#include <loglens/parse/line_splitter.hpp>
#include <loglens/parse/plain_parser.hpp>
#include <loglens/group/exact_grouper.hpp>
#include <loglens/group/template_miner.hpp>
#include <loglens/analyze/judgement.hpp>
#include <loglens/analyze/knowledge_base.hpp>
#include <loglens/analyze/null_analyzer.hpp>
#include <loglens/analyze/redact.hpp>
#include <loglens/analyze/user_knowledge.hpp>
#include <loglens/report/html_writer.hpp>
#include <loglens/report/baseline.hpp>
#include <loglens/report/json_reader.hpp>
#include <loglens/report/json_writer.hpp>
#include <loglens/report/markdown_writer.hpp>
#include <loglens/report/merge.hpp>
#include <loglens/report/terminal_summary.hpp>
#include <loglens/correlate/causal_correlator.hpp>
#include <loglens/correlate/causal_knowledge.hpp>
#include <loglens/correlate/incident_answer.hpp>
#include <loglens/pipeline.hpp>
#include <loglens/analyze/incremental_analysis.hpp>
