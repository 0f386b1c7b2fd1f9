// Third translation unit: both umbrella headers at once (the single headers guard each part they share).
// SPDX-License-Identifier: MIT
#include <loglens/offline.hpp>
#include <loglens/loglens.hpp>

static_assert(loglens::llm_client<loglens::ollama_client>, "the full header adds the LLM clients");

std::size_t tu3_groups() {
    loglens::pipeline<loglens::plain_parser, loglens::template_miner, loglens::knowledge_base_analyzer> p(
        {.min_severity = loglens::severity::trace});
    p.ingest_text("ERROR disk 1 full\nERROR disk 2 full\nWARN slow\n", {"tu3", "tu3"});
    return p.analyse().problems.size();
}
