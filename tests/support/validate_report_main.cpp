// loglens_validate_report FILE...: checks JSON reports against docs/report-schema.json (for the CLI tests).
// SPDX-License-Identifier: MIT
#include "json_schema.hpp"

#include <fstream>
#include <iostream>
#include <sstream>

int main(int argc, char** argv) {
    int bad = 0;
    for (int i = 1; i < argc; ++i) {
        std::ifstream in(argv[i], std::ios::binary);
        if (!in) {
            std::cerr << argv[i] << ": cannot open\n";
            ++bad;
            continue;
        }
        std::stringstream text;
        text << in.rdbuf();
        const std::string errors = loglens_test::report_schema_errors(text.str());
        if (!errors.empty()) {
            std::cerr << argv[i] << ": not a valid loglens report:\n" << errors;
            ++bad;
        }
    }
    return bad == 0 ? 0 : 1;
}
