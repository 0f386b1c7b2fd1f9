// loglens_fake_llm: the test suite's fake Ollama/OpenAI server as a program, for end-to-end tests of the CLI.
// SPDX-License-Identifier: MIT
//
//   loglens_fake_llm --port 0|N --mode ollama|openai|llama
//                    [--fault none|500|503|404|not-json|bad-schema|reset|hang|slow|mid-stream|length-500|length-cut]
//                    [--fail-first N] [--delay-ms N] [--model NAME]... [--api-key KEY] [--loading-ms N]
//                    [--n-ctx N] [--die-after N] [--answer JSON] [--incident-answer JSON] [--version TEXT]
//                    [--triage-answer JSON] [--triage-flag WORD]...
//                    [--tls CERT_OUT.pem]
//                    [--record FILE]
// --mode llama behaves as llama.cpp's llama-server (only /v1/*, /health, /props); --tls serves https with a
// certificate made at start and written to CERT_OUT.pem.
// With --record, every request (target, headers, body) is appended to FILE as it arrives, so a test can read
// exactly what reached the server even after killing it.
// Prints the bound port on its first stdout line, serves until SIGINT/SIGTERM, then prints
// `generations=N peak_in_flight=M` on stderr.
#include "fake_llm_server.hpp"

#include <boost/asio/signal_set.hpp>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>

int main(int argc, char** argv) {
    loglens_test::fake_llm_config cfg;
    std::vector<std::string> models;
    std::string cert_out;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        const auto value = [&]() -> std::string {
            if (i + 1 >= argc) {
                std::cerr << "loglens_fake_llm: " << a << " needs a value\n";
                std::exit(2);
            }
            return argv[++i];
        };
        if (a == "--port") {  // 0: a free one; a number: that one, to restart a server where it was
            cfg.port = static_cast<unsigned short>(std::stoul(value()));
        } else if (a == "--mode") {
            const auto m = value();
            if (m != "ollama" && m != "openai" && m != "llama") {
                std::cerr << "loglens_fake_llm: --mode must be ollama, openai or llama\n";
                return 2;
            }  // ollama and openai: both APIs are served, as Ollama itself does; llama: llama.cpp's routes only
            cfg.llama = m == "llama";
        } else if (a == "--fault") {
            const auto f = loglens_test::parse_fake_fault(value());
            if (!f) {
                std::cerr
                    << "loglens_fake_llm: unknown --fault (none|500|503|404|not-json|bad-schema|reset|hang|slow|mid-stream|length-500|length-cut)\n";
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
        } else if (a == "--api-key") {
            cfg.api_key = value();
        } else if (a == "--loading-ms") {
            cfg.loading = std::chrono::milliseconds(std::stoi(value()));
        } else if (a == "--n-ctx") {
            cfg.n_ctx = std::stoi(value());
        } else if (a == "--die-after") {
            cfg.die_after = std::stoi(value());
        } else if (a == "--answer") {
            cfg.answer = value();
        } else if (a == "--incident-answer") {
            cfg.incident_answer = value();
        } else if (a == "--triage-answer") {
            cfg.triage_answer = value();
        } else if (a == "--triage-flag") {  // repeatable: templates whose line holds the word are flagged
            cfg.triage_flag.push_back(value());
        } else if (a == "--version") {
            cfg.version = value();
        } else if (a == "--tls") {
            cfg.tls = true;
            cert_out = value();
        } else {
            std::cerr << "loglens_fake_llm: unknown option " << a << "\n";
            return 2;
        }
    }
    if (!models.empty()) cfg.models = models;
    loglens_test::fake_llm_server server(cfg);
    if (cfg.tls) std::ofstream(cert_out) << server.cert_pem();
    std::cout << server.port() << std::endl;
    boost::asio::io_context ioc;
    boost::asio::signal_set signals(ioc, SIGINT, SIGTERM);
    signals.async_wait([](auto, int) {});
    ioc.run();
    std::cerr << "generations=" << server.generations() << " peak_in_flight=" << server.max_in_flight() << std::endl;
    return 0;
}
