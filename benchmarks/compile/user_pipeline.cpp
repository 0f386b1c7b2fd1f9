// A user's translation unit for scripts/bench-compile.sh: the whole library, a default_pipeline built and run.
// SPDX-License-Identifier: MIT
#include <loglens/loglens.hpp>

#include <iostream>

int main(int argc, char** argv) {
    loglens::llm_options llm;
    llm.backend = loglens::llm_backend::ollama;
    loglens::default_pipeline p{{}, {}, {}, loglens::standard_analyzer(llm)};
    for (int i = 1; i < argc; ++i) p.ingest_file(argv[i]);
    const auto r = p.analyse();
    p.write(r, "reports");
    std::cout << r.problems.size() << " problem(s)\n";
}
