// loglens_fake_llm: the test suite's fake Ollama/OpenAI server as a program, for end-to-end tests of the CLI.
//
//   loglens_fake_llm --port 0 --mode ollama|openai [--fault none|500|503|404|not-json|bad-schema|reset|hang|slow|mid-stream]
//                    [--fail-first N] [--delay-ms N] [--model NAME]... [--record FILE]
// With --record, every request (target, headers, body) is appended to FILE as it arrives, so a test can read
// exactly what reached the server even after killing it.
// Prints the bound port on its first stdout line, serves until SIGINT/SIGTERM, then prints
// `generations=N peak_in_flight=M` on stderr.
#include "fake_llm_server.hpp"

#include <boost/asio/signal_set.hpp>

#include <cstdlib>
#include <iostream>
#include <string>

int main(int argc, char** argv) {
    loglens_test::fake_llm_config cfg;
    std::vector<std::string> models;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        const auto value = [&]() -> std::string {
            if (i + 1 >= argc) {
                std::cerr << "loglens_fake_llm: " << a << " needs a value\n";
                std::exit(2);
            }
            return argv[++i];
        };
        if (a == "--port") {
            if (value() != "0") std::cerr << "loglens_fake_llm: only --port 0 (a free port) is supported; using one\n";
        } else if (a == "--mode") {
            const auto m = value();
            if (m != "ollama" && m != "openai") {
                std::cerr << "loglens_fake_llm: --mode must be ollama or openai\n";
                return 2;
            }  // both APIs are always served, as Ollama itself does; the mode is accepted for clarity
        } else if (a == "--fault") {
            const auto f = loglens_test::parse_fake_fault(value());
            if (!f) {
                std::cerr << "loglens_fake_llm: unknown --fault (none|500|503|404|not-json|bad-schema|reset|hang|slow|mid-stream)\n";
                return 2;
            }
            cfg.fault = *f;
        } else if (a == "--fail-first") {
            cfg.fail_first = std::stoi(value());
        } else if (a == "--delay-ms") {
            cfg.delay = std::chrono::milliseconds(std::stoi(value()));
        } else if (a == "--record") {
            cfg.record_path = value();
        } else if (a == "--model") {
            models.push_back(value());
        } else {
            std::cerr << "loglens_fake_llm: unknown option " << a << "\n";
            return 2;
        }
    }
    if (!models.empty()) cfg.models = models;
    loglens_test::fake_llm_server server(cfg);
    std::cout << server.port() << std::endl;
    boost::asio::io_context ioc;
    boost::asio::signal_set signals(ioc, SIGINT, SIGTERM);
    signals.async_wait([](auto, int) {});
    ioc.run();
    std::cerr << "generations=" << server.generations() << " peak_in_flight=" << server.max_in_flight() << std::endl;
    return 0;
}
