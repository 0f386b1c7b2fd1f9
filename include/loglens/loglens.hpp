#pragma once
// loglens: the whole library in one include. Turns container logs into a prioritised problem report.
//
// <loglens/offline.hpp> holds everything but the LLM clients and compiles much faster.
#include <loglens/offline.hpp>
#include <loglens/analyze/incident_prompt.hpp>
#include <loglens/analyze/llm_cache.hpp>
#include <loglens/analyze/llm_client.hpp>
#include <loglens/analyze/prompt.hpp>
#include <loglens/analyze/standard_analyzer.hpp>
#include <loglens/default_pipeline.hpp>
