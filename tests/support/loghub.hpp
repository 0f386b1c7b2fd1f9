#pragma once
// Loghub-2k helpers shared by the grouping benchmark and its regression test: CSV reading and GA/FGA scoring.
// SPDX-License-Identifier: MIT

#include <cstddef>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace loglens_test {

/// The 16 Loghub-2k datasets and the header format of each (from the data set's README).
struct loghub_spec {
    const char* name;
    const char* format;
};

inline constexpr loghub_spec loghub_datasets[] = {
    {"HDFS", "<Date> <Time> <Pid> <Level> <Component>: <Content>"},
    {"Hadoop", R"(<Date> <Time> <Level> \[<Process>\] <Component>: <Content>)"},
    {"Spark", "<Date> <Time> <Level> <Component>: <Content>"},
    {"Zookeeper", R"(<Date> <Time> - <Level>  \[<Node>:<Component>@<Id>\] - <Content>)"},
    {"BGL", "<Label> <Timestamp> <Date> <Node> <Time> <NodeRepeat> <Type> <Component> <Level> <Content>"},
    {"HPC", "<LogId> <Node> <Component> <State> <Time> <Flag> <Content>"},
    {"Thunderbird",
     R"(<Label> <Timestamp> <Date> <User> <Month> <Day> <Time> <Location> <Component>(\[<PID>\])?: <Content>)"},
    {"Windows", "<Date> <Time>, <Level>                  <Component>    <Content>"},
    {"Linux", R"(<Month> <Date> <Time> <Level> <Component>(\[<PID>\])?: <Content>)"},
    {"Android", "<Date> <Time>  <Pid>  <Tid> <Level> <Component>: <Content>"},
    {"HealthApp", R"(<Time>\|<Component>\|<Pid>\|<Content>)"},
    {"Apache", R"(\[<Time>\] \[<Level>\] <Content>)"},
    {"Proxifier", R"(\[<Time>\] <Program> - <Content>)"},
    {"OpenSSH", R"(<Date> <Day> <Time> <Component> sshd\[<Pid>\]: <Content>)"},
    {"OpenStack", R"(<Logrecord> <Date> <Time> <Pid> <Level> <Component> \[<ADDR>\] <Content>)"},
    {"Mac", R"(<Month>  <Date> <Time> <User> <Component>\[<PID>\]( \(<Address>\))?: <Content>)"},
};

inline std::string read_whole_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw std::runtime_error("cannot open " + path +
                                 ": the Loghub-2k samples belong in tests/data/loghub-2k of the checkout");
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

/// Lines of a raw log: CRLF or LF, a missing final newline is fine.
inline std::vector<std::string> split_lines(std::string_view text) {
    std::vector<std::string> out;
    std::size_t b = 0;
    while (b < text.size()) {
        auto e = text.find('\n', b);
        if (e == std::string_view::npos) e = text.size();
        auto line = text.substr(b, e - b);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        out.emplace_back(line);
        b = e + 1;
    }
    return out;
}

/// RFC 4180 CSV: quoted fields may hold commas, doubled quotes and newlines.
inline std::vector<std::vector<std::string>> parse_csv(std::string_view text) {
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> row;
    std::string field;
    bool quoted = false, any = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c == '"') {
                if (i + 1 < text.size() && text[i + 1] == '"') {
                    field += '"';
                    ++i;
                } else {
                    quoted = false;
                }
            } else {
                field += c;
            }
            continue;
        }
        if (c == '"') {
            quoted = true;
            any = true;
        } else if (c == ',') {
            row.push_back(std::move(field));
            field.clear();
            any = true;
        } else if (c == '\n' || c == '\r') {
            if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
            if (any || !field.empty()) {
                row.push_back(std::move(field));
                rows.push_back(std::move(row));
            }
            row.clear();
            field.clear();
            any = false;
        } else {
            field += c;
            any = true;
        }
    }
    if (any || !field.empty()) {
        row.push_back(std::move(field));
        rows.push_back(std::move(row));
    }
    return rows;
}

/// One labelled dataset: raw lines, the ground truth's Content, and the true template of every line.
struct loghub_data {
    std::string name;
    std::string format;
    std::vector<std::string> raw;
    std::vector<std::string> content;
    std::vector<std::string> truth;
};

inline loghub_data load_loghub(const std::string& root, const loghub_spec& spec) {
    loghub_data d;
    d.name = spec.name;
    d.format = spec.format;
    const std::string base = root + "/" + spec.name + "/" + spec.name + "_2k.log";
    d.raw = split_lines(read_whole_file(base));
    const auto rows = parse_csv(read_whole_file(base + "_structured_corrected.csv"));
    if (rows.empty()) throw std::runtime_error(base + "_structured_corrected.csv is empty");
    std::size_t content_col = 0, template_col = 0;
    for (std::size_t i = 0; i < rows[0].size(); ++i) {
        if (rows[0][i] == "Content") content_col = i;
        if (rows[0][i] == "EventTemplate") template_col = i;
    }
    for (std::size_t r = 1; r < rows.size(); ++r) {
        if (rows[r].size() <= std::max(content_col, template_col))
            throw std::runtime_error(base + "_structured_corrected.csv: row " + std::to_string(r + 1) + " is short");
        d.content.push_back(rows[r][content_col]);
        d.truth.push_back(rows[r][template_col]);
    }
    return d;
}

/// Grouping accuracy (share of lines whose predicted group is exactly their true group) and FGA
/// (F1 over groups: a true group counts when one predicted group holds exactly its lines).
struct grouping_scores {
    double ga = 0, fga = 0;
    std::size_t predicted_groups = 0, true_groups = 0, correct_groups = 0;
};

inline grouping_scores score_grouping(const std::vector<std::size_t>& predicted, const std::vector<std::string>& truth) {
    grouping_scores s;
    std::unordered_map<std::string, std::size_t> true_size;
    for (const auto& t : truth) ++true_size[t];
    struct pred_info {
        std::size_t size = 0;
        const std::string* label = nullptr;
        bool pure = true;
    };
    std::map<std::size_t, pred_info> preds;
    for (std::size_t i = 0; i < predicted.size() && i < truth.size(); ++i) {
        auto& p = preds[predicted[i]];
        ++p.size;
        if (!p.label) p.label = &truth[i];
        else if (*p.label != truth[i]) p.pure = false;
    }
    std::size_t correct_lines = 0;
    for (const auto& [k, p] : preds) {
        if (p.pure && true_size[*p.label] == p.size) {
            ++s.correct_groups;
            correct_lines += p.size;
        }
    }
    s.predicted_groups = preds.size();
    s.true_groups = true_size.size();
    s.ga = truth.empty() ? 0 : static_cast<double>(correct_lines) / static_cast<double>(truth.size());
    const double prec = s.predicted_groups ? static_cast<double>(s.correct_groups) / static_cast<double>(s.predicted_groups)
                                           : 0;
    const double rec = s.true_groups ? static_cast<double>(s.correct_groups) / static_cast<double>(s.true_groups) : 0;
    s.fga = prec + rec > 0 ? 2 * prec * rec / (prec + rec) : 0;
    return s;
}

/// Best universal peer (Drain-univ or Brain-univ GA / FGA) per dataset, from the data set's README.
struct peer_figures {
    const char* name;
    double drain_ga, drain_fga, brain_ga, brain_fga;
};

inline constexpr peer_figures loghub_peers[] = {
    {"HDFS", 0.9975, 0.839, 0.9975, 0.867},        {"Hadoop", 0.9630, 0.874, 0.9400, 0.883},
    {"Spark", 0.9225, 0.870, 0.9230, 0.829},       {"Zookeeper", 0.9665, 0.854, 0.9945, 0.961},
    {"BGL", 0.9695, 0.858, 0.9785, 0.897},         {"HPC", 0.9320, 0.804, 0.9255, 0.826},
    {"Thunderbird", 0.9540, 0.770, 0.9735, 0.935}, {"Windows", 0.5695, 0.812, 0.9970, 0.939},
    {"Linux", 0.4180, 0.934, 0.2920, 0.906},       {"Android", 0.8070, 0.810, 0.7160, 0.754},
    {"HealthApp", 0.9005, 0.939, 0.8780, 0.966},   {"Apache", 1.0000, 1.000, 1.0000, 1.000},
    {"Proxifier", 0.0170, 0.118, 0.5265, 0.583},   {"OpenSSH", 0.7195, 0.816, 0.9985, 0.943},
    {"OpenStack", 0.3095, 0.356, 0.4725, 0.871},   {"Mac", 0.7285, 0.811, 0.9310, 0.914},
};

}  // namespace loglens_test
