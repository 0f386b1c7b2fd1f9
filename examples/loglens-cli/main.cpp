// loglens: the command-line tool. Reads logs, writes the problem report. A thin shell over loglens::pipeline.
// SPDX-License-Identifier: MIT
#include "baseline.hpp"
#include "diff.hpp"
#include "follow.hpp"
#include "inputs.hpp"
#include "knowledge.hpp"
#include "line_table.hpp"
#include "merge.hpp"
#include "progress.hpp"
#include "settings.hpp"
#include "signals.hpp"
#include "stages.hpp"
#include "summary.hpp"
#include "watch_view.hpp"

#include <loglens/loglens.hpp>

#include <boost/program_options.hpp>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <functional>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace po = boost::program_options;
namespace fs = std::filesystem;
using namespace loglens_cli;

namespace {

/// Exit codes; docs/cli.md lists them for scripts.
enum exit_code : int {
    ok = 0,
    threshold = 1,
    usage = 2,
    unreadable = 3,
    llm_unreachable = 4,
    partial_input = 5,  ///< some inputs could not be read; the report covers the others and lists them
    interrupted = 130
};

constexpr const char* default_url = "http://localhost:11434";
constexpr const char* default_model = "mistral";

const char* const main_help =
    R"(loglens: turns docker compose logs of Airflow, Spark, Redis and MinIO into a prioritised problem report.

usage: loglens analyze [OPTIONS] [INPUT...]    analyse logs and write reports
       loglens watch [OPTIONS] FILE|DIR|-       follow a live stack: problems as they happen
       loglens templates [OPTIONS] [INPUT...]  print each line's template group as CSV
       loglens diff OLD.json NEW.json          what is new, gone, spiking since an earlier run
       loglens merge A.json B.json... -o ALL.json   one report from the reports of shards or hosts
       loglens --version | --help
       loglens COMMAND --help                  options of a command

INPUT is a file, a folder (every *.log and *.txt in it) or - for standard input.
Without INPUT, loglens reads $LOGS_DIR (default ./logs).

examples:
  docker compose logs -t | loglens analyze -
  loglens analyze examples/logs --lang en --format md,html --out reports
  loglens analyze --backend none --fail-on major logs/     # CI gate, offline
  loglens analyze logs/ --baseline base.json --fail-on new:major   # fail only on new trouble
  loglens templates airflow.log > templates.csv
  docker compose logs -f -t | loglens watch -

Settings come from flags, then the environment, then ./.env, then defaults.
Full reference: docs/cli.md
)";

std::string join(const std::vector<std::string>& v, const char* sep) {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
    return out;
}

/// Every message to the user goes through here: file names, server and log text in it are shown visibly
/// escaped, so they cannot steer the terminal.
void tell(std::string_view msg) { std::cerr << "loglens: " << loglens::detail::terminal_text(msg) << '\n'; }

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
    std::optional<fail_rule> fail_on;
    std::string baseline;  ///< earlier JSON report to compare with; empty: none
    std::vector<std::string> kb_files;
    bool user_kb_folder = true;
    bool quiet = false;
    std::vector<std::string> inputs;
};

// ---------------------------------------------------------------------------------------------------------
// input format options, shared by both commands

void add_input_format_options(po::options_description& o) {
    o.add_options()(
        "input-format", po::value<std::string>()->value_name("NAME"),
        "force one log format: auto, airflow, spark, redis, minio, gunicorn, generic (default auto: detected per container)")(
        "line-format", po::value<std::string>()->value_name("FORMAT"),
        "your own line layout, e.g. '<Date> <Time> <Level> <Component>: <Content>'")(
        "project", po::value<std::string>()->value_name("NAME"),
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
    o.add_options()(
        "backend", po::value<std::string>()->value_name("NAME"),
        "auto | ollama | openai | none (default auto: Ollama, else an OpenAI-compatible server at the URL, else offline)")(
        "url", po::value<std::string>()->value_name("URL"),
        "LLM server, http:// or https://, with or without /v1 (env OLLAMA_BASE_URL; default http://localhost:11434)")(
        "model", po::value<std::string>()->value_name("NAME"), "model name (env OLLAMA_MODEL; default mistral)")(
        "timeout", po::value<std::string>()->value_name("SECONDS"), "per LLM call (env OLLAMA_TIMEOUT; default 120)")(
        "retries", po::value<std::string>()->value_name("N"),
        "retries per LLM call, each with the next seed (env OLLAMA_RETRIES; default 3)")(
        "retry-server-after", po::value<std::string>()->value_name("SECONDS"),
        "after 3 connection failures in a row the LLM server is not called for this long, then tried again "
        "(default 30; 0: not again in this run)")(
        "incident-calls", po::value<std::string>()->value_name("N"),
        "incidents of several problems the LLM summarises, most urgent first; the others keep the summary from the "
        "causal knowledge (default 20; 0: none)")(
        "triage-calls", po::value<std::string>()->value_name("N"),
        "calls that ask the LLM which templates logged below the threshold, that the rules neither flag nor know, "
        "are problems; those it flags are reported as problems (default 3; 0: no triage)")(
        "num-ctx", po::value<std::string>()->value_name("TOKENS"),
        "context the prompts are packed for (env OLLAMA_NUM_CTX; default: what the server reports, Ollama at most 8192)")(
        "num-predict", po::value<std::string>()->value_name("TOKENS"),
        "answer budget (env OLLAMA_NUM_PREDICT; default 768)")(
        "stream", "stream the answers (also on when --num-predict is above 1024); a first byte must come within 60 s")(
        "insecure", "https: do not verify the server's certificate (only for a server you trust)")(
        "concurrency", po::value<std::string>()->value_name("N"), "LLM calls in flight at once (default 1)")(
        "threads", po::value<std::string>()->value_name("N"),
        "threads for reading, parsing and grouping; the report is the same for every N (default: the cores, "
        "env LOGLENS_THREADS)")("lang", po::value<std::string>()->value_name("ru|en"), "report language (default ru)")(
        "format", po::value<std::string>()->value_name("LIST"),
        "report formats, comma-separated: md,json,html (default all)")("out", po::value<std::string>()->value_name("DIR"),
                                                                       "folder for the reports (default ./reports)")(
        "min-severity", po::value<std::string>()->value_name("LEVEL"),
        "ignore entries below: trace..critical (env LOG_ANALYSIS_MIN_SEVERITY; default warning)")(
        "fail-on", po::value<std::string>()->value_name("RULE"),
        "exit 1 when a problem is at least CLASS: info | warning | minor | major | critical; "
        "with --baseline also new (any new problem) or new:CLASS")(
        "baseline", po::value<std::string>()->value_name("FILE"),
        "earlier JSON report: mark each problem new, recurring, spiking, calmer; list the gone ones first")(
        "no-cache", "do not read or write the LLM answer cache")(
        "file-mode", po::value<std::string>()->value_name("OCTAL"),
        "permissions of reports and cache files (env LOGLENS_FILE_MODE; default 0600, folders created 0700)")(
        "cache-max-entries", po::value<std::string>()->value_name("N"), "answers the LLM cache keeps (default 10000)")(
        "cache-max-age", po::value<std::string>()->value_name("DAYS"), "drop cached answers unused this long (default 90)")(
        "no-redact", "keep secrets (passwords, keys, tokens) in the reports and prompts")(
        "kb", po::value<std::vector<std::string>>()->value_name("FILE")->composing(),
        "your own signatures and benign noise (JSON, repeatable; also read: every *.json in $XDG_CONFIG_HOME/loglens/kb)")(
        "no-user-kb", "do not read the files of $XDG_CONFIG_HOME/loglens/kb (--kb files are still read)")(
        "quiet,q", "no progress, notes or summary; errors only")("help,h", "show this help");
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
                 "            4 LLM required (--backend ollama|openai) but its preflight failed,\n"
                 "            5 some inputs unreadable (the report lists them),\n"
                 "            130 interrupted (a partial report is written)\n";
}

/// Permission bits in octal (`0600`, `640`); the owner must keep read and write, or the next run could not
/// replace the reports or read the cache.
unsigned file_mode(const setting& s) {
    unsigned m = 0;
    bool good = !s.value.empty() && s.value.size() <= 4;
    for (const char c : s.value) {
        good = good && c >= '0' && c <= '7';
        m = m * 8 + static_cast<unsigned>(c - '0');
    }
    if (!good || m > 0777 || (m & 0600) != 0600)
        throw usage_error("invalid " + s.describe() + ": '" + s.value +
                          "'; give octal permission bits that keep read and write for you, e.g. 0600 or 0640");
    return m;
}

/// Said even with --quiet: the run will write secrets where people paste them.
void warn_no_redact(const char* what) {
    std::cerr << "loglens: warning: --no-redact: passwords, keys and tokens in the logs go unredacted into the " << what
              << "; never share that output\n";
}

/// Every setting of `analyze`, by precedence flag > environment > .env > default, validated.
analyze_settings resolve_analyze(const po::variables_map& vm, const dotenv& env) {
    analyze_settings s;
    s.parser = input_format_options(vm);
    s.quiet = vm.count("quiet") != 0;
    s.llm.notices = !s.quiet;
    if (vm.count("input")) s.inputs = vm["input"].as<std::vector<std::string>>();

    const auto backend = resolve(flag(vm, "backend"), "--backend", "", env, "auto");
    if (backend.value != "auto" && backend.value != "ollama" && backend.value != "openai" && backend.value != "none")
        throw usage_error("invalid " + backend.describe() + ": '" + backend.value + "'; use auto, ollama, openai or none");
    s.llm.backend = backend.value;

    auto url = resolve(flag(vm, "url"), "--url", "OLLAMA_BASE_URL", env, default_url);
    if (s.llm.backend == "openai" && !vm.count("url")) {
        // an OpenAI-compatible server usually has its own address; Ollama's /v1 is the fallback
        if (auto o = resolve(std::nullopt, "--url", "OPENAI_BASE_URL", env, ""); !o.value.empty()) url = o;
    }
    // the library's one URL validator: scheme, host, port 1-65535, no control characters anywhere
    std::string url_error;
    if (!loglens::detail::parse_http_url(url.value, url.describe(), url_error)) throw usage_error(url_error);
    while (url.value.size() > 8 && url.value.back() == '/') url.value.pop_back();
    s.llm.url = url.value;
    s.llm.url_setting = url.describe();
    s.llm.num_ctx = to_number(resolve(flag(vm, "num-ctx"), "--num-ctx", "OLLAMA_NUM_CTX", env, "0"), 0, 1u << 24, "tokens");
    if (s.llm.num_ctx > 0 && s.llm.num_ctx < 256)
        throw usage_error("invalid --num-ctx / OLLAMA_NUM_CTX: " + std::to_string(s.llm.num_ctx) +
                          " tokens cannot hold a prompt and an answer; use 0 (the server's) or 256 and more");
    s.llm.num_predict = to_number(resolve(flag(vm, "num-predict"), "--num-predict", "OLLAMA_NUM_PREDICT", env, "768"), 16,
                                  1u << 20, "tokens");
    s.llm.stream = vm.count("stream") != 0;
    s.llm.insecure = vm.count("insecure") != 0;

    const auto model = resolve(flag(vm, "model"), "--model", "OLLAMA_MODEL", env, default_model);
    if (model.value.empty()) throw usage_error("invalid " + model.describe() + ": the model name is empty");
    s.llm.model = model.value;
    s.llm.timeout = to_number(resolve(flag(vm, "timeout"), "--timeout", "OLLAMA_TIMEOUT", env, "120"), 1, 86400, "seconds");
    s.llm.retries = to_number(resolve(flag(vm, "retries"), "--retries", "OLLAMA_RETRIES", env, "3"), 0, 20, "retries");
    s.llm.retry_server_after = to_number(resolve(flag(vm, "retry-server-after"), "--retry-server-after", "", env, "30"), 0,
                                         86400, "seconds");
    s.llm.incident_calls = to_number(resolve(flag(vm, "incident-calls"), "--incident-calls", "", env, "20"), 0, 1000,
                                     "incidents");
    s.llm.triage_calls = to_number(resolve(flag(vm, "triage-calls"), "--triage-calls", "", env, "3"), 0, 100, "calls");
    s.pipe.concurrency = static_cast<std::size_t>(
        to_number(resolve(flag(vm, "concurrency"), "--concurrency", "", env, "1"), 1, 64, "calls"));
    s.llm.concurrency = s.pipe.concurrency;
    const auto cores = std::max(1u, std::thread::hardware_concurrency());
    s.pipe.threads = static_cast<std::size_t>(to_number(
        resolve(flag(vm, "threads"), "--threads", "LOGLENS_THREADS", env, std::to_string(cores)), 1, 64, "threads"));
    s.llm.api_key = resolve(std::nullopt, "", "OPENAI_API_KEY", env, "").value;
    s.llm.cache_max_entries = to_number(resolve(flag(vm, "cache-max-entries"), "--cache-max-entries", "", env, "10000"), 1,
                                        100000000, "answers");
    s.llm.cache_max_age_days = to_number(resolve(flag(vm, "cache-max-age"), "--cache-max-age", "", env, "90"), 1, 36500,
                                         "days");

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

    if (const auto b = flag(vm, "baseline")) s.baseline = *b;
    if (const auto f = flag(vm, "fail-on")) {
        s.fail_on = fail_rule::parse(*f);
        if (s.fail_on->only_new && s.baseline.empty())
            throw usage_error("--fail-on " + *f + " needs --baseline FILE: new means new since that earlier report");
    }

    s.pipe.permissions = loglens::file_permissions::for_file_mode(
        file_mode(resolve(flag(vm, "file-mode"), "--file-mode", "LOGLENS_FILE_MODE", env, "0600")));
    s.llm.cache_permissions = s.pipe.permissions;

    s.pipe.redact = vm.count("no-redact") == 0;
    if (vm.count("kb")) s.kb_files = vm["kb"].as<std::vector<std::string>>();
    s.user_kb_folder = vm.count("no-user-kb") == 0;
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

/// Reads every input into the pipeline, on to the next when one cannot be read. Returns those that could not
/// be read, each with why; the pipeline's report lists them too.
template <class Pipeline>
std::vector<std::string> ingest_all(Pipeline& p, const std::vector<input>& inputs,
                                    const std::function<void(const input&)>& before_each = {}) {
    std::vector<std::string> failed;
    for (const auto& in : inputs) {
        if (p.stop_requested()) break;
        if (before_each) before_each(in);
        if (in.is_stdin()) {
            if (::isatty(STDIN_FILENO) == 1) tell("reading standard input (end it with Ctrl-D)");
            loglens::detail::fd_istreambuf buf(STDIN_FILENO, p.stop_token(), 50);
            std::istream stdin_stream(&buf);
            p.ingest(stdin_stream, {"<stdin>", "stdin"});
            if (!buf.error().empty()) failed.push_back("<stdin> (" + buf.error() + ")");
        } else if (!in.skip.empty()) {
            p.skip_input(in.name(), in.skip);
            failed.push_back(in.name() + " (" + in.skip + ")");
        } else if (!p.ingest_file(in.path) && !p.stop_requested()) {
            failed.push_back(in.name() + " (" + p.inputs().back().error + ")");
        }
    }
    return failed;
}

/// 3 when no input could be read at all, 5 when some could not, else `ok`; says which on stderr.
int input_outcome(const std::vector<std::string>& failed, std::size_t inputs, const char* advice) {
    if (failed.empty()) return ok;
    tell("could not read " + join(failed, ", ") + advice);
    return failed.size() >= inputs ? unreadable : partial_input;
}

int run_analyze(const std::vector<std::string>& args, const signal_watch& signals) {
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
    std::optional<loglens::report> baseline;  // read first: a bad baseline should not cost a whole run
    if (!s.baseline.empty()) baseline = read_baseline(s.baseline, "--baseline");
    const auto knowledge = run_knowledge::load(s.kb_files, s.user_kb_folder);
    s.pipe.kb = &knowledge->kb();
    if (!s.quiet && !knowledge->user.files().empty())
        tell("knowledge: " + std::to_string(knowledge->user.signatures().size()) + " signatures of yours from " +
             std::to_string(knowledge->user.files().size()) + " file(s), before the built-in ones");

    const auto choice = choose_backend(s.llm);
    if (const int sig = signals.received(); sig != 0) {  // Ctrl-C while the LLM server was being asked
        tell("interrupted before reading any input; no report written");
        return 128 + sig;
    }
    if (!choice.error.empty()) {
        tell(choice.error);
        return llm_unreachable;
    }
    if (!choice.note.empty() && !s.quiet) tell(choice.note);

    auto bar = progress_bar::for_stderr(s.quiet);
    std::uint64_t total = 0;
    for (const auto& in : inputs) total = in.is_stdin() ? 0 : total + in.size;
    bar.set_total_bytes(total);
    cli_pipeline p(s.pipe, cli_parser{s.parser}, cli_grouper{}, make_analyzer(s.llm, choice, knowledge->kb()),
                   cli_writers{}, bar);
    const std::stop_callback on_signal(signals.token(), [&p] { p.request_stop(); });

    const auto failed = ingest_all(p, inputs);
    auto report = p.analyse();
    if (report.llm.note.empty()) report.llm.note = choice.note;
    if (baseline) report.baseline = loglens::mark_changes(report, *baseline, s.baseline);
    if (report.llm.not_analysed > 0) {  // the circuit breaker opened: one line, whatever --quiet says
        p.progress().clear();
        std::string ids;
        for (std::size_t i = 0; i < report.llm.not_analysed_groups.size() && i < 5; ++i)
            ids += (i ? ", " : "") + report.llm.not_analysed_groups[i];
        if (report.llm.not_analysed_groups.size() > 5) ids += ", ...";
        std::cerr << "loglens: " << report.llm.note << "; " << report.llm.not_analysed
                  << " groups not analysed by the LLM (" << ids << "), their offline analysis is in the report\n";
    }

    std::vector<fs::path> written;
    try {
        written = p.write(report, s.out_dir);
    } catch (const std::exception& e) {
        p.progress().clear();
        tell("cannot write the reports to " + s.out_dir + " (" + e.what() + "); choose a writable folder with --out");
        return unreadable;
    }
    p.progress().clear();
    if (!s.quiet) {
        print_baseline_lead(std::cout, report);
        print_summary(std::cout, report, written, use_colour(STDOUT_FILENO));
    }

    if (signals.received() != 0 || report.partial) return 128 + (signals.received() ? signals.received() : 2);
    if (const int code = input_outcome(failed, inputs.size(),
                                       "; the report covers the other inputs and lists these; "
                                       "check them and run again");
        code != ok)
        return code;
    if (s.fail_on)
        if (const auto* pr = s.fail_on->reached(report)) {
            if (!s.quiet) tell(s.fail_on->describe(*pr));
            return threshold;
        }
    return ok;
}

// ---------------------------------------------------------------------------------------------------------
// loglens templates

po::options_description templates_options() {
    po::options_description o("options of `loglens templates`", 110, 60);
    o.add_options()("per-entry", "one row per log entry (its first line) instead of one per input line")(
        "no-redact", "keep secrets in the printed templates")("quiet,q", "do not print the counts on standard error")(
        "help,h", "show this help");
    add_input_format_options(o);
    return o;
}

/// The CSV on standard output: a row per line (or per entry), `shown` holding each group's template cell.
std::uint64_t print_rows(const std::vector<line_table>& tables, cli_grouper& grouper,
                         const std::vector<loglens::log_group>& groups, const std::vector<std::string>& shown,
                         bool with_source, bool per_entry) {
    std::cout << (with_source ? "source,line,group_id,template\n" : "line,group_id,template\n");
    std::uint64_t rows = 0;
    for (const auto& t : tables) {
        const auto source = csv_cell(t.source());
        for (std::uint64_t line = 1; line <= t.lines(); ++line) {
            const auto f = t.at(line);
            if (per_entry && !f.key) continue;
            if (with_source) std::cout << source << ',';
            std::cout << '"' << line << "\",";
            if (f.key) {
                const auto g = grouper.resolve(*f.key);
                std::cout << csv_cell(groups[g].id, false) << ',' << shown[g] << '\n';
            } else {
                std::cout << "\"-\"," << csv_cell(f.reason, false) << '\n';
            }
            ++rows;
        }
    }
    std::cout.flush();
    return rows;
}

int run_templates(const std::vector<std::string>& args, const signal_watch& signals) {
    const auto opts = templates_options();
    const auto vm = parse_command_line(args, opts, "templates");
    if (vm.count("help")) {
        std::cout << "usage: loglens templates [OPTIONS] [INPUT...]\n\n"
                     "Mines templates only (no analysis, no report) and prints one CSV row per input line:\n"
                     "line,group_id,template (with a leading source column when there are several inputs).\n"
                     "A continuation line has its entry's group; a skipped line has group - and the reason.\n\n"
                  << opts << "\nexample:\n  loglens templates airflow.log > templates.csv\n";
        return ok;
    }
    const auto env = dotenv::load(".env");
    const auto logs = resolve(std::nullopt, "", "LOGS_DIR", env, "./logs");
    const auto inputs = expand_inputs(
        vm.count("input") ? vm["input"].as<std::vector<std::string>>() : std::vector<std::string>{}, logs.value,
        logs.origin == "default" ? "the default" : "LOGS_DIR from " + logs.origin);
    const bool per_entry = vm.count("per-entry") != 0;

    loglens::pipeline_options po_opts;
    po_opts.min_severity = loglens::severity::trace;  // every entry gets a template
    po_opts.redact = vm.count("no-redact") == 0;
    if (!po_opts.redact) warn_no_redact("templates");
    std::vector<line_table> tables;  // one per input, in the order read
    cli_parser parser{input_format_options(vm)};
    if (!per_entry)
        parser.observe_lines([&](std::uint64_t line, std::uint64_t entry_line, std::string_view reason) {
            tables.back().other(line, entry_line, reason);
        });
    templates_pipeline p(po_opts, std::move(parser));
    std::uint64_t entries = 0;
    p.set_entry_observer([&](const std::string&, std::uint64_t line, std::size_t key) {
        ++entries;
        tables.back().entry(line, key);
    });
    const std::stop_callback on_signal(signals.token(), [&p] { p.request_stop(); });
    const auto failed = ingest_all(p, inputs, [&](const input& in) { tables.emplace_back(in.name()); });

    const auto groups = p.grouper().groups();
    std::vector<std::string> shown(groups.size());  // made of redacted entries: the pipeline redacts at the source
    for (std::size_t i = 0; i < groups.size(); ++i) shown[i] = csv_cell(groups[i].template_text);
    const auto rows = print_rows(tables, p.grouper(), groups, shown, inputs.size() > 1, per_entry);
    if (!vm.count("quiet"))
        tell(std::to_string(rows) + " rows, " + std::to_string(entries) + " entries, " + std::to_string(groups.size()) +
             " templates" + (p.stop_requested() ? " (interrupted: only what was read before the signal)" : ""));
    if (const int sig = signals.received(); sig != 0) return 128 + sig;
    return input_outcome(failed, inputs.size(), "; check those paths and run again");
}

// ---------------------------------------------------------------------------------------------------------
// loglens watch: the stages on their own (ingest session, snapshots, incremental analysis, assembly), live

po::options_description watch_options() {
    po::options_description o = analyze_options();
    po::options_description w("options of `loglens watch` besides those of `analyze` (except --fail-on)", 110, 60);
    w.add_options()("report-every", po::value<std::string>()->value_name("SECONDS"),
                    "rewrite the reports this often (default 60); also on SIGUSR1 and at the end")(
        "json", "one JSON object per line and event on standard output, even on a terminal");
    o.add(w);
    return o;
}

void print_watch_help(const po::options_description& o) {
    std::cout << "usage: loglens watch [OPTIONS] FILE|DIR|-...\n\n"
                 "Follows logs as they are written (standard input, or files like tail -F: appends, truncation,\n"
                 "rotation, new files in a folder) and shows each problem once, as it happens: on a terminal a\n"
                 "table redrawn in place, otherwise one line per event (--json: JSON lines with `event` new,\n"
                 "changed, spiking, calm or analysis). Ctrl-C or SIGTERM ends it with a final report in --out.\n\n"
              << o
              << "\nexamples:\n"
                 "  docker compose logs -f -t | loglens watch -\n"
                 "  loglens watch /var/log/stack/ --json --report-every 300 --backend none\n"
                 "  loglens watch - --baseline last-week.json   # highlights what is new since then\n";
}

/// Everything the watch loop holds: the stages and the view. Built in place: the view points at the baseline.
struct watch_run {
    watch_run(analyze_settings settings, backend_choice c, std::optional<loglens::report> base, watch_output output,
              bool colour, std::stop_token stop)
        : s(std::move(settings)),
          choice(std::move(c)),
          baseline(std::move(base)),
          knowledge(run_knowledge::load(s.kb_files, s.user_kb_folder)),
          p(with_kb(s.pipe), cli_parser{s.parser}),
          stage(make_analyzer(s.llm, choice, knowledge->kb()), s.pipe.lang, s.pipe.concurrency, std::move(stop)),
          view({output, s.pipe.min_severity, s.pipe.lang, baseline ? &*baseline : nullptr, colour, &knowledge->kb()}) {}

    loglens::pipeline_options with_kb(loglens::pipeline_options o) const {
        o.kb = &knowledge->kb();
        return o;
    }

    analyze_settings s;
    backend_choice choice;
    std::optional<loglens::report> baseline;
    std::unique_ptr<run_knowledge> knowledge;
    watch_pipeline p;
    loglens::incremental_analysis<cli_analyzer> stage;
    watch_view view;

    /// The analysis of a group for a report: the LLM's when it came, else the knowledge base's of the group as it
    /// is now (what a batch run gives), with why the LLM's is missing.
    /// `known`: the knowledge base's analysis the judgement just made of the group, or none when it did not run.
    loglens::analysis analysis_for(const loglens::log_group& g, loglens::analysis* known) const {
        const auto done = stage.result(g.id);
        if (done && done->source == loglens::analysis_source::llm) return *done;
        auto a = known ? std::move(*known) : loglens::offline_analysis(g, s.pipe.lang, knowledge->kb());
        if (choice.backend != loglens::llm_backend::none)
            a.error = done ? done->error : "LLM analysis still running when the report was written";
        return a;
    }

    std::vector<fs::path> write_report() {
        auto r = p.assemble(p.grouper().groups(),
                            [this](const std::vector<loglens::log_group>& kept, std::vector<loglens::analysis>&& known) {
                                std::vector<loglens::analysis> out;
                                out.reserve(kept.size());
                                for (std::size_t i = 0; i < kept.size(); ++i)
                                    out.push_back(analysis_for(kept[i], i < known.size() ? &known[i] : nullptr));
                                return out;
                            });
        r.llm = stage.analyzer().summary();
        if (r.llm.note.empty()) r.llm.note = choice.note;
        if (baseline) r.baseline = loglens::mark_changes(r, *baseline, s.baseline);
        return p.write(r, s.out_dir);
    }

    void look(loglens::live_time now) {
        const auto& g = p.grouper();
        stage.update(view.update(g.snapshot(), g, now), g);
    }

    void collect() {
        for (const auto& [id, a] : stage.take_finished()) view.analysed(id, a);
    }
};

/// Reads, ticks, looks and reports until a signal (or the end of standard input); then the final report.
int watch_loop(watch_run& w, follower& f, const signal_watch& signals, std::chrono::seconds every) {
    using clock = std::chrono::steady_clock;
    constexpr auto look_every = std::chrono::milliseconds(250);
    auto& session = w.p.session();
    auto last_look = clock::now() - look_every;
    auto next_report = clock::now() + every;
    unsigned reports_asked = signals.report_requests();
    const auto report = [&](const char* why) {
        try {
            const auto written = w.write_report();
            if (!w.s.quiet && !written.empty())
                tell(std::string("reports written (") + why + "): " + written.front().parent_path().string());
        } catch (const std::exception& e) {
            tell("cannot write the reports to " + w.s.out_dir + " (" + e.what() + "); choose a writable folder with --out");
        }
    };
    while (!signals.token().stop_requested() && !f.all_ended()) {
        f.poll_once();
        const auto now = clock::now();
        session.tick(now);
        if (now - last_look >= look_every) {
            w.look(now);
            last_look = now;
        }
        w.collect();
        w.view.redraw(now, look_every);
        if (const unsigned asked = signals.report_requests(); now >= next_report || asked != reports_asked) {
            const char* why = asked != reports_asked ? "SIGUSR1" : "--report-every";
            reports_asked = asked;
            next_report = now + every;
            report(why);
        }
        f.wait(50);
    }
    for (const auto id : f.open_ids()) session.close(id);
    w.look(clock::now());
    // at the end of standard input the analyses under way are waited for, as a batch run would; a signal does not wait
    while (!signals.token().stop_requested() && !w.stage.wait_idle(std::chrono::milliseconds(100))) w.collect();
    w.collect();
    w.view.redraw(clock::now(), std::chrono::milliseconds(0));
    report("at the end");
    return ok;
}

int run_watch(const std::vector<std::string>& args, const signal_watch& signals) {
    const auto opts = watch_options();
    const auto vm = parse_command_line(args, opts, "watch");
    if (vm.count("help")) {
        print_watch_help(opts);
        return ok;
    }
    const auto env = dotenv::load(".env");
    auto s = resolve_analyze(vm, env);
    if (s.fail_on) throw usage_error("--fail-on is for `loglens analyze`; a watch runs until stopped");
    if (s.inputs.empty())
        throw usage_error(
            "give what to follow: a file, a folder, or - for standard input "
            "(e.g. `docker compose logs -f -t | loglens watch -`)");
    const auto every = std::chrono::seconds(
        to_number(resolve(flag(vm, "report-every"), "--report-every", "", env, "60"), 1, 86400, "seconds"));
    if (!s.pipe.redact) warn_no_redact("reports, the LLM prompts and the answer cache");
    std::optional<loglens::report> baseline;
    if (!s.baseline.empty()) baseline = read_baseline(s.baseline, "--baseline");
    const auto choice = choose_backend(s.llm);
    if (!choice.error.empty()) {
        tell(choice.error);
        return llm_unreachable;
    }
    if (!choice.note.empty() && !s.quiet) tell(choice.note);

    const bool tty = ::isatty(STDOUT_FILENO) == 1;
    const auto output = vm.count("json") ? watch_output::json : tty ? watch_output::table : watch_output::lines;
    watch_run w(s, choice, std::move(baseline), output, tty && use_colour(STDOUT_FILENO), signals.token());
    auto& session = w.p.session();
    follower f({[&](const std::string& name) {
                    return session.open({name, name == "<stdin>" ? "stdin" : fs::path(name).stem().string()});
                },
                [&](std::size_t id, std::string_view bytes) { session.feed(id, bytes); },
                [&](std::size_t id, const std::string& error) { session.close(id, error); },
                [&](const std::string& note) {
                    if (!s.quiet) tell(note);
                }});
    for (const auto& in : s.inputs) {
        std::error_code ec;
        if (in == "-") f.add_stdin();
        else if (fs::is_directory(in, ec)) f.add_folder(in);
        else if (fs::exists(in, ec) ||
                 fs::is_directory(fs::path(in).parent_path().empty() ? "." : fs::path(in).parent_path(), ec))
            f.add_file(in);
        else throw input_error("cannot follow " + in + ": neither it nor its folder exists; check the path");
    }
    return watch_loop(w, f, signals, every);
}

// ---------------------------------------------------------------------------------------------------------
// loglens diff (diff.hpp) and loglens merge (merge.hpp): commands on reports, their paths as the inputs

using report_command = int (*)(const po::variables_map&, const std::vector<std::string>&);

int run_report_command(const std::vector<std::string>& args, const po::options_description& opts, const char* name,
                       void (*help)(const po::options_description&), report_command run) {
    const auto vm = parse_command_line(args, opts, name);
    if (vm.count("help")) {
        help(opts);
        return ok;
    }
    return run(vm, vm.count("input") ? vm["input"].as<std::vector<std::string>>() : std::vector<std::string>{});
}

}  // namespace

int main(int argc, char** argv) {
    // First, before anything can block and before any thread exists, so that only the watcher thread ever
    // receives SIGINT/SIGTERM and a signal from the very start is kept.
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
        if (command == "templates") return run_templates(args, signals);
        if (command == "watch") {
            signals.set_stop_notice("\nloglens: stopping; writing the final report (Ctrl-C again to quit now)\n");
            return run_watch(args, signals);
        }
        if (command == "diff") return run_report_command(args, diff_options(), "diff", print_diff_help, run_diff);
        if (command == "merge") return run_report_command(args, merge_options(), "merge", print_merge_help, run_merge);
        throw usage_error("unknown command '" + command +
                          "'; use `loglens analyze`, `watch`, `templates`, `diff` or `merge` (see --help)");
    } catch (const usage_error& e) {
        tell(e.what());
        return usage;
    } catch (const input_error& e) {
        tell(e.what());
        return unreadable;
    } catch (const std::bad_alloc&) {
        tell("out of memory; analyse fewer or smaller inputs at once");
        return unreadable;
    } catch (const std::exception& e) {
        tell(std::string("unexpected error: ") + e.what() + "; please report it with the command line you ran");
        return 70;
    }
}
