#pragma once
// The real-log regression corpus (tests/data/real/): its manifest, one offline run per case, and recall,
// SPDX-License-Identifier: MIT
// precision and false flags per service family, shared by bench_judge and the regression test.

#include <loglens/offline.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace loglens_test {

/// Words that must all occur in a reported problem's text; one matcher is several alternatives.
struct word_matcher {
    std::string service;  ///< must occur in the group's service (lower case)
    std::vector<std::vector<std::string>> alternatives;
};

struct corpus_case {
    std::string file;
    std::string source, date, origin, service;
    std::string set =
        "tuning";  ///< `tuning` (the rules were written with it) or `held-out` (scored before any rule saw it)
    std::vector<word_matcher> expect;
    std::vector<word_matcher> benign;
    int line = 0;
};

inline std::string lower(std::string s) {
    for (auto& c : s) c = loglens::detail::ascii_lower(c);
    return s;
}

inline std::string trim(std::string s) {
    const auto b = s.find_first_not_of(" \t");
    const auto e = s.find_last_not_of(" \t\r");
    return b == std::string::npos ? std::string{} : s.substr(b, e - b + 1);
}

inline word_matcher parse_matcher(const std::string& v, bool with_service) {
    word_matcher m;
    std::string rest = v;
    if (with_service) {
        const auto colon = v.find(':');
        if (colon == std::string::npos) throw std::runtime_error("matcher without `service:`: " + v);
        m.service = lower(trim(v.substr(0, colon)));
        rest = v.substr(colon + 1);
    }
    std::stringstream alts(rest);
    std::string alt;
    while (std::getline(alts, alt, '|')) {
        std::stringstream ws(lower(alt));
        std::vector<std::string> words;
        for (std::string w; ws >> w;) words.push_back(w);
        if (!words.empty()) m.alternatives.push_back(std::move(words));
    }
    return m;
}

/// Reads MANIFEST.txt. Throws with the line number on a malformed entry.
inline std::vector<corpus_case> load_corpus(const std::filesystem::path& dir) {
    std::ifstream in(dir / "MANIFEST.txt");
    if (!in) throw std::runtime_error("cannot open " + (dir / "MANIFEST.txt").string());
    std::vector<corpus_case> out;
    std::string line;
    for (int n = 1; std::getline(in, line); ++n) {
        line = trim(line);
        if (line.empty() || line[0] == '#') continue;
        if (line.front() == '[' && line.back() == ']') {
            out.push_back({});
            out.back().file = line.substr(1, line.size() - 2);
            out.back().line = n;
            continue;
        }
        const auto eq = line.find('=');
        if (out.empty() || eq == std::string::npos)
            throw std::runtime_error("MANIFEST.txt line " + std::to_string(n) + ": expected `key = value`");
        const std::string key = trim(line.substr(0, eq)), value = trim(line.substr(eq + 1));
        auto& c = out.back();
        if (key == "source") c.source = value;
        else if (key == "date") c.date = value;
        else if (key == "origin") c.origin = value;
        else if (key == "service") c.service = value;
        else if (key == "set") c.set = value;
        else if (key == "expect") c.expect.push_back(parse_matcher(value, true));
        else if (key == "benign") c.benign.push_back(parse_matcher(value, false));
        else throw std::runtime_error("MANIFEST.txt line " + std::to_string(n) + ": unknown key " + key);
    }
    return out;
}

/// The family a case is scored under: the first known service name in its file name.
inline std::string family_of(const corpus_case& c) {
    for (const char* f : {"airflow", "celery", "gunicorn", "spark", "redis", "minio", "postgres", "mysql"})
        if (c.file.find(f) != std::string::npos) return f;
    return "other";
}

/// One offline run of a case: compose parser, template miner, knowledge base, default threshold.
inline loglens::report run_case(const corpus_case& c, const std::filesystem::path& dir, bool judge = true) {
    using namespace loglens;
    pipeline_options o;
    o.lang = language::en;
    o.judge = judge;
    pipeline<compose_parser, template_miner, knowledge_base_analyzer, writers<>> p(o);
    const auto path = dir / c.file;
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot open " + path.string());
    std::stringstream ss;
    ss << in.rdbuf();
    p.ingest_text(ss.str(), {path.string(), c.service.empty() ? path.stem().string() : c.service});
    return p.analyse();
}

inline std::string problem_text(const loglens::problem& p) {
    std::string t = p.group.template_text + "\n" + p.group.exception;
    if (!p.group.samples.empty()) t += "\n" + p.group.samples.front().message;
    return lower(t);
}

inline bool words_match(const std::vector<std::vector<std::string>>& alts, const std::string& text) {
    return std::any_of(alts.begin(), alts.end(), [&](const auto& words) {
        return std::all_of(words.begin(), words.end(), [&](const auto& w) { return text.find(w) != std::string::npos; });
    });
}

/// Counts over a set of cases. A reported problem is one the report lists on its own (not `duplicate_of`).
struct corpus_score {
    int expected = 0, found = 0;            ///< recall = found / expected
    int reported = 0, correct = 0;          ///< precision = correct / reported (a second report of one failure is wrong)
    int benign_lines = 0, false_flags = 0;  ///< benign lines reported as error or critical
    std::vector<std::string> misses, wrong, flags;

    [[nodiscard]] double recall() const { return expected ? double(found) / expected : 1.0; }
    [[nodiscard]] double precision() const { return reported ? double(correct) / reported : 1.0; }
    corpus_score& operator+=(const corpus_score& o) {
        expected += o.expected, found += o.found, reported += o.reported, correct += o.correct;
        benign_lines += o.benign_lines, false_flags += o.false_flags;
        misses.insert(misses.end(), o.misses.begin(), o.misses.end());
        wrong.insert(wrong.end(), o.wrong.begin(), o.wrong.end());
        flags.insert(flags.end(), o.flags.begin(), o.flags.end());
        return *this;
    }
};

inline corpus_score score_case(const corpus_case& c, const loglens::report& r) {
    corpus_score s;
    std::vector<bool> hit(c.expect.size(), false);
    for (const auto& p : r.problems) {
        const std::string text = problem_text(p);
        const std::string svc = lower(p.group.service);
        if (p.result.verdict >= loglens::classification::major)
            for (const auto& b : c.benign)
                if (words_match(b.alternatives, text)) {
                    ++s.false_flags;
                    s.flags.push_back(c.file + ": " + p.group.template_text);
                }
        if (!p.result.duplicate_of.empty()) continue;
        ++s.reported;
        bool ok = false;
        for (std::size_t i = 0; i < c.expect.size() && !ok; ++i)
            if (!hit[i] && svc.find(c.expect[i].service) != std::string::npos &&
                words_match(c.expect[i].alternatives, text))
                hit[i] = ok = true;
        if (ok) ++s.correct;
        else s.wrong.push_back(c.file + ": [" + p.group.service + "] " + p.group.template_text);
    }
    s.expected = static_cast<int>(c.expect.size());
    s.benign_lines = static_cast<int>(c.benign.size());
    for (std::size_t i = 0; i < c.expect.size(); ++i) {
        if (hit[i]) ++s.found;
        else
            s.misses.push_back(c.file + ": " + c.expect[i].service + ": " + c.expect[i].alternatives.front().front() +
                               "...");
    }
    return s;
}

/// Scores every case, per family, per set (`set:tuning`, `set:held-out`) and in total (key "all").
inline std::map<std::string, corpus_score> score_corpus(const std::filesystem::path& dir, bool judge = true) {
    std::map<std::string, corpus_score> out;
    for (const auto& c : load_corpus(dir)) {
        const auto s = score_case(c, run_case(c, dir, judge));
        out[family_of(c)] += s;
        out["all"] += s;
        out["set:" + c.set] += s;
    }
    return out;
}

}  // namespace loglens_test
