// loglens: the command-line tool. Reads logs, writes the problem report. A thin shell over loglens::pipeline.
#include <loglens/loglens.hpp>

#include <boost/program_options.hpp>

#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace {

using cli_pipeline = loglens::pipeline<loglens::plain_parser, loglens::exact_grouper>;

int analyze(const std::vector<std::string>& inputs, const fs::path& out_dir) {
    cli_pipeline p;
    for (const auto& in : inputs) {
        if (in == "-") {
            p.ingest(std::cin, {"<stdin>", "stdin"});
        } else if (!p.ingest_file(in)) {
            std::cerr << "loglens: cannot read " << in << ": check the path and its permissions\n";
            return 3;
        }
    }
    const auto report = p.analyse();
    for (const auto& path : p.write(report, out_dir)) std::cout << "report: " << path.string() << '\n';
    std::cout << report.problems.size() << " problem group(s), " << report.ingest.lines << " line(s) read\n";
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    po::options_description opts("Options");
    opts.add_options()("help,h", "show this help")("version", "print the version")(
        "out", po::value<std::string>()->default_value("./reports"), "folder for the reports")(
        "command", po::value<std::string>(), "analyze")("input", po::value<std::vector<std::string>>(), "inputs");
    po::positional_options_description pos;
    pos.add("command", 1).add("input", -1);
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(argc, argv).options(opts).positional(pos).run(), vm);
        po::notify(vm);
    } catch (const po::error& e) {
        std::cerr << "loglens: " << e.what() << " (see `loglens --help`)\n";
        return 2;
    }
    if (vm.count("version")) {
        std::cout << "loglens " << LOGLENS_VERSION_STRING << '\n';
        return 0;
    }
    if (vm.count("help") || !vm.count("command")) {
        std::cout << "usage: loglens analyze [INPUT...]\n\n" << opts << '\n';
        return vm.count("help") ? 0 : 2;
    }
    if (vm["command"].as<std::string>() != "analyze") {
        std::cerr << "loglens: unknown command '" << vm["command"].as<std::string>() << "' (try `loglens --help`)\n";
        return 2;
    }
    auto inputs = vm.count("input") ? vm["input"].as<std::vector<std::string>>() : std::vector<std::string>{"-"};
    return analyze(inputs, vm["out"].as<std::string>());
}
