// loglens: the command-line tool. Reads logs, writes the problem report. A thin shell over loglens::pipeline.
#include "inputs.hpp"
#include "progress.hpp"
#include "settings.hpp"
#include "signals.hpp"
#include "stages.hpp"
#include "stdin_reader.hpp"
#include "summary.hpp"

#include <loglens/loglens.hpp>

#include <boost/program_options.hpp>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace po = boost::program_options;
namespace fs = std::filesystem;
using namespace loglens_cli;

namespace {

/// Exit codes; docs/cli.md lists them for scripts.
enum exit_code : int { ok = 0, threshold = 1, usage = 2, unreadable = 3, llm_unreachable = 4, interrupted = 130 };

constexpr const char* default_url = "http://localhost:11434";
constexpr const char* default_model = "mistral";

const char* const main_help = R"(loglens: turns docker compose logs of Airflow, Spark, Redis and MinIO into a prioritised problem report.

usage: loglens analyze [OPTIONS] [INPUT...]    analyse logs and write reports
       loglens templates [OPTIONS] [INPUT...]  print each entry's template as CSV
       loglens --version | --help
       loglens COMMAND --help                  options of a command

INPUT is a file, a folder (every *.log and *.txt in it) or - for standard input.
Without INPUT, loglens reads $LOGS_DIR (default ./logs).

examples:
  docker compose logs -t | loglens analyze -
  loglens analyze examples/logs --lang en --format md,html --out reports
  loglens analyze --backend none --fail-on major logs/     # CI gate, offline
  loglens templates airflow.log > templates.csv

Settings come from flags, then the environment, then ./.env, then defaults.
Full reference: docs/cli.md
)";

std::string join(const std::vector<std::string>& v, const char* sep) {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
    return out;
}

std::optional<std::string> flag(const po::variables_map& vm, const char* name) {
    if (!vm.count(name)) return std::nullopt;
    return vm[name].as<std::string>();
}

/// Reads a Boost.Program_options command line into `vm`, or explains the mistake (exit 2).
po::variables_map parse_command_line(const std::vector<std::string>& args, const po::options_description& opts,
                                     const char* command) {
    po::options_description all;
    all.add(opts).add_options()("input", po::value<std::vector<std::string>>(), "inputs");
    po::positional_options_description pos;
    pos.add("input", -1);
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(args).options(all).positional(pos).run(), vm);
        po::notify(vm);
    } catch (const po::error& e) {
        throw usage_error(std::string(e.what()) + "; see `loglens " + command + " --help`");
    }
    return vm;
}

// ---------------------------------------------------------------------------------------------------------
// loglens analyze

struct analyze_settings {
    llm_settings llm;
    loglens::pipeline_options pipe;
    loglens::compose_options parser;
    std::string logs_dir, logs_dir_origin;
    std::string out_dir = "./reports";
    std::optional<loglens::classification> fail_on;
    bool quiet = false;
    std::vector<std::string> inputs;
};

// ---------------------------------------------------------------------------------------------------------
// input format options, shared by both commands

void add_input_format_options(po::options_description& o) {
    o.add_options()
        ("input-format", po::value<std::string>()->value_name("NAME"),
         "force one log format: auto, airflow, spark, redis, minio, gunicorn, generic (default auto: detected per container)")
        ("line-format", po::value<std::string>()->value_name("FORMAT"),
         "your own line layout, e.g. '<Date> <Time> <Level> <Component>: <Content>'")
        ("project", po::value<std::string>()->value_name("NAME"),
         "compose project name to strip from container names (default: guessed from `Attaching to`)");
}

loglens::compose_options input_format_options(const po::variables_map& vm) {
    loglens::compose_options c;
    if (vm.count("input-format")) {
        const auto name = vm["input-format"].as<std::string>();
        const auto f = loglens::parse_log_format(name);
        if (!f || *f == loglens::log_format::user)
            throw usage_error("invalid --input-format: '" + name +
                              "'; use auto, airflow, spark, redis, minio, gunicorn or generic (or --line-format)");
        c.format = *f;
    }
    if (vm.count("line-format")) {
        try {
            c.user_format = loglens::line_format::compile(vm["line-format"].as<std::string>());
        } catch (const std::invalid_argument& e) {
            throw usage_error(std::string("invalid --line-format: ") + e.what());
        }
    }
    if (vm.count("project")) c.project = vm["project"].as<std::string>();
    return c;
}

po::options_description analyze_options() {
    po::options_description o("options of `loglens analyze`", 110, 60);
    o.add_options()
        ("backend", po::value<std::string>()->value_name("NAME"),
         "auto | ollama | openai | none (default auto: Ollama if it answers and has the model, else offline)")
        ("url", po::value<std::string>()->value_name("URL"), "LLM server (env OLLAMA_BASE_URL; default http://localhost:11434)")
        ("model", po::value<std::string>()->value_name("NAME"), "model name (env OLLAMA_MODEL; default mistral)")
        ("timeout", po::value<std::string>()->value_name("SECONDS"), "per LLM call (env OLLAMA_TIMEOUT; default 120)")
        ("retries", po::value<std::string>()->value_name("N"), "retries per LLM call (env OLLAMA_RETRIES; default 3)")
        ("concurrency", po::value<std::string>()->value_name("N"), "LLM calls in flight at once (default 1)")
        ("lang", po::value<std::string>()->value_name("ru|en"), "report language (default ru)")
        ("format", po::value<std::string>()->value_name("LIST"), "report formats, comma-separated: md,json,html (default all)")
        ("out", po::value<std::string>()->value_name("DIR"), "folder for the reports (default ./reports)")
        ("min-severity", po::value<std::string>()->value_name("LEVEL"),
         "ignore entries below: trace..critical (env LOG_ANALYSIS_MIN_SEVERITY; default warning)")
        ("fail-on", po::value<std::string>()->value_name("CLASS"),
         "exit 1 when a problem is at least: info | warning | minor | major | critical")
        ("no-cache", "do not read or write the LLM answer cache")
        ("no-redact", "keep secrets (passwords, keys, tokens) in the reports and prompts")
        ("quiet,q", "no progress, notes or summary; errors only")
        ("help,h", "show this help");
    add_input_format_options(o);
    return o;
}

void print_analyze_help(const po::options_description& o) {
    std::cout << "usage: loglens analyze [OPTIONS] [INPUT...]\n\n"
                 "Reads logs (files, folders, - for stdin; default $LOGS_DIR or ./logs), groups them into\n"
                 "templates, explains each group and writes log_analysis_report.{md,json,html} to --out.\n\n"
              << o
              << "\nexamples:\n"
                 "  docker compose logs -t | loglens analyze -\n"
                 "  loglens analyze examples/logs --lang en\n"
                 "  loglens analyze logs/ --backend ollama --url http://gpu-box:11434 --model qwen2.5:7b\n"
                 "  loglens analyze logs/ --backend openai --url http://localhost:8080   # llama.cpp server\n"
                 "  loglens analyze logs/ --backend none --fail-on major --quiet        # CI gate\n\n"
                 "exit codes: 0 done, 1 --fail-on reached, 2 usage error, 3 unreadable input or output,\n"
                 "            4 LLM required but unreachable, 130 interrupted (a partial report is written)\n";
}

/// Said even with --quiet: the run will write secrets where people paste them.
void warn_no_redact(const char* what) {
    std::cerr << "loglens: warning: --no-redact: passwords, keys and tokens in the logs go unredacted into the "
              << what << "; never share that output\n";
}

/// Every setting of `analyze`, by precedence flag > environment > .env > default, validated.
analyze_settings resolve_analyze(const po::variables_map& vm, const dotenv& env) {
    analyze_settings s;
    s.parser = input_format_options(vm);
    s.quiet = vm.count("quiet") != 0;
    if (vm.count("input")) s.inputs = vm["input"].as<std::vector<std::string>>();

    const auto backend = resolve(flag(vm, "backend"), "--backend", "", env, "auto");
    if (backend.value != "auto" && backend.value != "ollama" && backend.value != "openai" && backend.value != "none")
        throw usage_error("invalid " + backend.describe() + ": '" + backend.value +
                          "'; use auto, ollama, openai or none");
    s.llm.backend = backend.value;

    auto url = resolve(flag(vm, "url"), "--url", "OLLAMA_BASE_URL", env, default_url);
    if (s.llm.backend == "openai" && !vm.count("url")) {
        // an OpenAI-compatible server usually has its own address; Ollama's /v1 is the fallback
        if (auto o = resolve(std::nullopt, "--url", "OPENAI_BASE_URL", env, ""); !o.value.empty()) url = o;
    }
    if (url.value.rfind("http://", 0) != 0 && url.value.rfind("https://", 0) != 0)
        throw usage_error("invalid " + url.describe() + ": '" + url.value +
                          "' is not a URL; write it as http://host:port, e.g. http://localhost:11434");
    while (url.value.size() > 8 && url.value.back() == '/') url.value.pop_back();
    s.llm.url = url.value;

    const auto model = resolve(flag(vm, "model"), "--model", "OLLAMA_MODEL", env, default_model);
    if (model.value.empty()) throw usage_error("invalid " + model.describe() + ": the model name is empty");
    s.llm.model = model.value;
    s.llm.timeout = to_number(resolve(flag(vm, "timeout"), "--timeout", "OLLAMA_TIMEOUT", env, "120"), 1, 86400, "seconds");
    s.llm.retries = to_number(resolve(flag(vm, "retries"), "--retries", "OLLAMA_RETRIES", env, "3"), 0, 20, "retries");
    s.pipe.concurrency = static_cast<std::size_t>(
        to_number(resolve(flag(vm, "concurrency"), "--concurrency", "", env, "1"), 1, 64, "calls"));
    s.llm.concurrency = s.pipe.concurrency;
    s.llm.api_key = resolve(std::nullopt, "", "OPENAI_API_KEY", env, "").value;

    const auto lang = resolve(flag(vm, "lang"), "--lang", "", env, "ru");
    const auto l = loglens::parse_language(lang.value);
    if (!l) throw usage_error("invalid " + lang.describe() + ": '" + lang.value + "'; use ru or en");
    s.pipe.lang = *l;

    const auto sev = resolve(flag(vm, "min-severity"), "--min-severity", "LOG_ANALYSIS_MIN_SEVERITY", env, "warning");
    const auto level = loglens::parse_severity(sev.value);
    if (!level)
        throw usage_error("invalid " + sev.describe() + ": '" + sev.value +
                          "'; use trace, debug, info, notice, warning, error or critical");
    s.pipe.min_severity = *level;

    if (const auto f = flag(vm, "fail-on")) {
        s.fail_on = loglens::parse_classification(*f);
        if (!s.fail_on)
            throw usage_error("invalid --fail-on: '" + *f + "'; use info, warning, minor, major or critical");
    }

    s.pipe.redact = vm.count("no-redact") == 0;
    if (!vm.count("no-cache")) {
        const char* xdg = std::getenv("XDG_CACHE_HOME");
        const char* home = std::getenv("HOME");
        if (xdg && *xdg) s.llm.cache_dir = std::string(xdg) + "/loglens";
        else if (home && *home) s.llm.cache_dir = std::string(home) + "/.cache/loglens";
    }

    const auto logs = resolve(std::nullopt, "", "LOGS_DIR", env, "./logs");
    s.logs_dir = logs.value;
    s.logs_dir_origin = logs.origin == "default" ? "the default" : "LOGS_DIR from " + logs.origin;
    if (const auto o = flag(vm, "out")) {
        if (o->empty()) throw usage_error("invalid --out: the folder name is empty");
        s.out_dir = *o;
    }

    std::vector<std::string> available;
    std::apply([&](const auto&... w) { (available.emplace_back(w.extension()), ...); }, cli_writers{}.items);
    if (const auto f = flag(vm, "format")) {
        std::stringstream ss(*f);
        for (std::string item; std::getline(ss, item, ',');) {
            if (item.empty()) continue;
            if (item == "markdown") item = "md";
            if (std::find(available.begin(), available.end(), item) == available.end())
                throw usage_error("invalid --format: '" + item + "' is not a report format of this build; use " +
                                  join(available, ", "));
            s.pipe.formats.push_back(item);
        }
        if (s.pipe.formats.empty()) throw usage_error("invalid --format: no format given; use " + join(available, ","));
    }
    return s;
}

/// Reads every input into the pipeline. Returns the inputs that could not be read.
std::vector<std::string> ingest_all(cli_pipeline& p, const std::vector<input>& inputs) {
    std::vector<std::string> failed;
    for (const auto& in : inputs) {
        if (p.stop_requested()) break;
        if (in.is_stdin()) {
            if (::isatty(STDIN_FILENO) == 1)
                std::cerr << "loglens: reading standard input (end it with Ctrl-D)\n";
            stoppable_fd_buf buf(STDIN_FILENO, [&p] { return p.stop_requested(); });
            std::istream stdin_stream(&buf);
            p.ingest(stdin_stream, {"<stdin>", "stdin"});
            if (!buf.error().empty()) failed.push_back("<stdin> (" + buf.error() + ")");
        } else if (!p.ingest_file(in.path)) {
            if (!p.stop_requested()) failed.push_back(in.name());
        }
    }
    return failed;
}

int run_analyze(const std::vector<std::string>& args, signal_watch& signals) {
    const auto opts = analyze_options();
    const auto vm = parse_command_line(args, opts, "analyze");
    if (vm.count("help")) {
        print_analyze_help(opts);
        return ok;
    }
    const auto env = dotenv::load(".env");
    auto s = resolve_analyze(vm, env);
    if (!s.pipe.redact) warn_no_redact("reports, the LLM prompts and the answer cache");
    const auto inputs = expand_inputs(s.inputs, s.logs_dir, s.logs_dir_origin);

    const auto choice = choose_backend(s.llm);
    if (const int sig = signals.received(); sig != 0) {  // Ctrl-C while the LLM server was being asked
        std::cerr << "loglens: interrupted before reading any input; no report written\n";
        return 128 + sig;
    }
    if (!choice.error.empty()) {
        std::cerr << "loglens: " << choice.error << '\n';
        return llm_unreachable;
    }
    if (!choice.note.empty() && !s.quiet) std::cerr << "loglens: " << choice.note << '\n';

    auto bar = progress_bar::for_stderr(s.quiet);
    std::uint64_t total = 0;
    for (const auto& in : inputs) total = in.is_stdin() ? 0 : total + in.size;
    bar.set_total_bytes(total);
    cli_pipeline p(s.pipe, cli_parser{s.parser}, cli_grouper{}, make_analyzer(s.llm, choice), cli_writers{}, bar);
    signals.attach([&p] { p.request_stop(); });
    struct detach {
        signal_watch& w;
        ~detach() { w.attach({}); }
    } detach_guard{signals};

    const auto failed = ingest_all(p, inputs);
    auto report = p.analyse();
    if (report.llm.note.empty()) report.llm.note = choice.note;

    std::vector<fs::path> written;
    try {
        written = p.write(report, s.out_dir);
    } catch (const std::exception& e) {
        p.progress().clear();
        std::cerr << "loglens: cannot write the reports to " << s.out_dir << " (" << e.what()
                  << "); choose a writable folder with --out\n";
        return unreadable;
    }
    p.progress().clear();
    if (!s.quiet) print_summary(std::cout, report, written, use_colour(STDOUT_FILENO));

    if (signals.received() != 0 || report.partial) return 128 + (signals.received() ? signals.received() : 2);
    if (!failed.empty()) {
        std::cerr << "loglens: could not read " << join(failed, ", ")
                  << " (the report lists what was read); check those inputs and run again\n";
        return unreadable;
    }
    if (s.fail_on) {
        for (const auto& pr : report.problems) {
            if (pr.result.verdict >= *s.fail_on) {
                if (!s.quiet)
                    std::cerr << "loglens: --fail-on " << loglens::to_string(*s.fail_on) << " reached: a "
                              << loglens::to_string(pr.result.verdict) << " problem was found\n";
                return threshold;
            }
        }
    }
    return ok;
}

// ---------------------------------------------------------------------------------------------------------
// loglens templates

po::options_description templates_options() {
    po::options_description o("options of `loglens templates`", 110, 60);
    o.add_options()("no-redact", "keep secrets in the printed templates")(
        "quiet,q", "do not print the counts on standard error")("help,h", "show this help");
    add_input_format_options(o);
    return o;
}

/// RFC 4180: quote a field when it holds a comma, a quote or a line break.
std::string csv_field(std::string_view s) {
    if (s.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(s);
    std::string out = "\"";
    for (const char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + '"';
}

int run_templates(const std::vector<std::string>& args) {
    const auto opts = templates_options();
    const auto vm = parse_command_line(args, opts, "templates");
    if (vm.count("help")) {
        std::cout << "usage: loglens templates [OPTIONS] [INPUT...]\n\n"
                     "Mines templates only (no analysis, no report) and prints one CSV row per log entry:\n"
                     "line,group_id,template (with a leading source column when there are several inputs).\n\n"
                  << opts << "\nexample:\n  loglens templates airflow.log > templates.csv\n";
        return ok;
    }
    const auto env = dotenv::load(".env");
    const auto logs = resolve(std::nullopt, "", "LOGS_DIR", env, "./logs");
    const auto inputs = expand_inputs(vm.count("input") ? vm["input"].as<std::vector<std::string>>() : std::vector<std::string>{},
                                      logs.value, logs.origin == "default" ? "the default" : "LOGS_DIR from " + logs.origin);

    loglens::pipeline_options po_opts;
    po_opts.min_severity = loglens::severity::trace;  // every entry gets a template
    po_opts.redact = vm.count("no-redact") == 0;
    if (!po_opts.redact) warn_no_redact("templates");
    templates_pipeline p(po_opts, cli_parser{input_format_options(vm)});
    struct row {
        std::size_t source;
        std::uint64_t line;
        std::size_t key;
    };
    std::vector<row> rows;  // three words per entry: the final group is known only after the last line
    std::vector<std::string> sources;
    p.set_entry_observer([&](const std::string& source, std::uint64_t line, std::size_t key) {
        if (sources.empty() || sources.back() != source) sources.push_back(source);
        rows.push_back({sources.size() - 1, line, key});
    });
    std::vector<std::string> failed;
    for (const auto& in : inputs) {
        if (in.is_stdin()) p.ingest(std::cin, {"<stdin>", "stdin"});
        else if (!p.ingest_file(in.path)) failed.push_back(in.name());
    }

    const auto groups = p.grouper().groups();  // made of redacted entries: the pipeline redacts at the source
    const bool with_source = inputs.size() > 1;
    std::cout << (with_source ? "source,line,group_id,template\n" : "line,group_id,template\n");
    for (const auto& r : rows) {
        const auto g = p.grouper().resolve(r.key);
        if (with_source) std::cout << csv_field(sources[r.source]) << ',';
        std::cout << r.line << ',' << csv_field(groups[g].id) << ',' << csv_field(groups[g].template_text) << '\n';
    }
    std::cout.flush();
    if (!vm.count("quiet"))
        std::cerr << "loglens: " << rows.size() << " entries, " << groups.size() << " templates\n";
    if (!failed.empty()) {
        std::cerr << "loglens: could not read " << join(failed, ", ") << "; check those paths and run again\n";
        return unreadable;
    }
    return ok;
}

}  // namespace

int main(int argc, char** argv) {
    // First, before any thread exists, so that only the watcher thread ever receives SIGINT/SIGTERM.
    signal_watch signals;
    std::vector<std::string> args(argv + 1, argv + argc);
    try {
        if (args.empty()) {
            std::cerr << main_help;
            return usage;
        }
        const std::string command = args.front();
        args.erase(args.begin());
        if (command == "--help" || command == "-h" || command == "help") {
            std::cout << main_help;
            return ok;
        }
        if (command == "--version" || command == "-V" || command == "version") {
            std::cout << "loglens " << LOGLENS_VERSION_STRING << '\n';
            return ok;
        }
        if (command == "analyze" || command == "analyse") return run_analyze(args, signals);
        if (command == "templates") return run_templates(args);
        throw usage_error("unknown command '" + command + "'; use `loglens analyze` or `loglens templates` (see --help)");
    } catch (const usage_error& e) {
        std::cerr << "loglens: " << e.what() << '\n';
        return usage;
    } catch (const input_error& e) {
        std::cerr << "loglens: " << e.what() << '\n';
        return unreadable;
    } catch (const std::bad_alloc&) {
        std::cerr << "loglens: out of memory; analyse fewer or smaller inputs at once\n";
        return unreadable;
    } catch (const std::exception& e) {
        std::cerr << "loglens: unexpected error: " << e.what()
                  << "; please report it with the command line you ran\n";
        return 70;
    }
}
