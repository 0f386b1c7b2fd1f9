// Tests of loglens::line_format on the 16 Loghub header formats and on malformed formats.
// SPDX-License-Identifier: MIT
#include <loglens/loglens.hpp>

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace {

std::vector<std::string> read_lines(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    BOOST_REQUIRE_MESSAGE(in, "cannot open " << p);
    std::vector<std::string> out;
    std::string line;
    while (std::getline(in, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        out.push_back(line);
    }
    return out;
}

std::map<std::string, std::string> loghub_formats() {
    std::map<std::string, std::string> out;
    for (const auto& l : read_lines(std::filesystem::path(LOGLENS_TEST_DATA_DIR) / "parse/loghub/formats.txt")) {
        const auto tab = l.find('\t');
        if (tab != std::string::npos) out[l.substr(0, tab)] = l.substr(tab + 1);
    }
    return out;
}

// The Content column of a Loghub structured CSV (RFC 4180 quoting; the header names the column).
std::vector<std::string> csv_content_column(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string text = ss.str();
    std::vector<std::vector<std::string>> rows(1);
    std::string cell;
    bool quoted = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') cell += '"', ++i;
            else if (c == '"') quoted = false;
            else cell += c;
        } else if (c == '"') quoted = true;
        else if (c == ',') rows.back().push_back(std::move(cell)), cell.clear();
        else if (c == '\n') {
            rows.back().push_back(std::move(cell));
            cell.clear();
            rows.emplace_back();
        } else if (c != '\r') cell += c;
    }
    if (!cell.empty() || !rows.back().empty()) rows.back().push_back(cell);
    if (rows.back().empty()) rows.pop_back();
    std::size_t col = 0;
    while (col < rows[0].size() && rows[0][col] != "Content") ++col;
    BOOST_REQUIRE_MESSAGE(col < rows[0].size(), p << " has no Content column");
    std::vector<std::string> out;
    for (std::size_t r = 1; r < rows.size(); ++r) out.push_back(rows[r].at(col));
    return out;
}

std::size_t content_mismatches(const loglens::line_format& f, const std::vector<std::string>& lines,
                               const std::vector<std::string>& expected, const std::string& ds) {
    const auto content = f.index_of("Content");
    BOOST_REQUIRE(content);
    std::vector<std::string_view> fields;
    std::size_t bad = 0;
    for (std::size_t i = 0; i < expected.size() && i < lines.size(); ++i) {
        if (!f.split(lines[i], fields) || fields[*content] != expected[i]) {
            ++bad;
            BOOST_TEST_MESSAGE(ds << " line " << i + 1 << ": got \""
                                  << (fields.empty() ? "" : std::string(fields[*content])) << "\" want \"" << expected[i]
                                  << "\"");
        }
    }
    return bad;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(parse)

BOOST_AUTO_TEST_CASE(line_format_fields_and_index) {
    const auto f = loglens::line_format::compile("<Date> <Time> <Level> <Component>: <Content>");
    BOOST_TEST(f.is_simple());
    BOOST_REQUIRE_EQUAL(f.field_names().size(), 5u);
    BOOST_TEST(f.field_names()[3] == "Component");
    BOOST_TEST(*f.index_of("Level") == 2u);
    BOOST_TEST(!f.index_of("Pid"));
    std::vector<std::string_view> v;
    BOOST_REQUIRE(f.split("17/06/09 20:10:40 INFO spark.SecurityManager: Changing view acls to: yarn,curi", v));
    BOOST_TEST(v[0] == "17/06/09");
    BOOST_TEST(v[2] == "INFO");
    BOOST_TEST(v[3] == "spark.SecurityManager");
    BOOST_TEST(v[4] == "Changing view acls to: yarn,curi");
    BOOST_TEST(!f.split("no header here", v));
    BOOST_TEST(!f.split("", v));
}

BOOST_AUTO_TEST_CASE(line_format_runs_of_blanks_and_optional_groups) {
    const auto f = loglens::line_format::compile("<Month> <Date> <Time> <Level> <Component>(\\[<PID>\\])?: <Content>");
    BOOST_TEST(f.is_simple());  // optional groups of literals and fields stay on the fast path
    std::vector<std::string_view> v;
    BOOST_REQUIRE(f.split("Jun  9 06:06:20 combo syslogd 1.4.1: restart.", v));
    BOOST_TEST(v[1] == "9");
    BOOST_TEST(v[4] == "syslogd 1.4.1");
    BOOST_TEST(v[5].empty());
    BOOST_REQUIRE(f.split("Jun 14 15:16:01 combo sshd(pam_unix)[19939]: check pass; user unknown", v));
    BOOST_TEST(v[4] == "sshd(pam_unix)");
    BOOST_TEST(v[5] == "19939");
    BOOST_TEST(v[6] == "check pass; user unknown");
}

BOOST_AUTO_TEST_CASE(line_format_regex_syntax_falls_back_to_boost_regex) {
    const auto f = loglens::line_format::compile("<Date> \\d+ <Level>:? <Content>");
    BOOST_TEST(!f.is_simple());
    std::vector<std::string_view> v;
    BOOST_REQUIRE(f.split("2025-11-03 4711 WARN: disk low", v));
    BOOST_TEST(v[0] == "2025-11-03");
    BOOST_TEST(v[1] == "WARN");
    BOOST_TEST(v[2] == "disk low");
    BOOST_TEST(!f.split("2025-11-03 x WARN: disk low", v));
}

BOOST_AUTO_TEST_CASE(line_format_hand_matcher_agrees_with_regex_on_backtracking) {
    // The first ':' is not the one that lets the rest match: the matcher must backtrack like a regex.
    const auto f = loglens::line_format::compile("<A>: <B> - <C>");
    std::vector<std::string_view> v;
    BOOST_REQUIRE(f.split("x:y: z - w", v));
    BOOST_TEST(v[0] == "x:y");
    BOOST_TEST(v[1] == "z");
    BOOST_TEST(v[2] == "w");
    BOOST_TEST(!f.split("x:y z w", v));
    // the quick first path (each field up to its first blank) fails here; the search must go on from it
    const auto g = loglens::line_format::compile("<A> \\[<B>\\] <C>");
    BOOST_REQUIRE(g.split("a b [c] d e", v));
    BOOST_TEST(v[0] == "a b");
    BOOST_TEST(v[1] == "c");
    BOOST_TEST(v[2] == "d e");
    BOOST_TEST(!g.split("a b c d", v));
}

BOOST_AUTO_TEST_CASE(line_format_escaped_angle_brackets_are_literal_in_both_engines) {
    // `\<` is a literal `<` (a bare one would open a field); Boost.Regex alone would read it as a word start
    const auto hand = loglens::line_format::compile("<A> \\<<B>\\> <C>");
    const auto rx = loglens::line_format::compile("\\d+ <A> \\<<B>\\> <C>");
    BOOST_TEST(hand.is_simple());
    BOOST_TEST(!rx.is_simple());
    std::vector<std::string_view> v;
    BOOST_REQUIRE(hand.split("x <y> z", v));
    BOOST_TEST(v[0] == "x");
    BOOST_TEST(v[1] == "y");
    BOOST_TEST(v[2] == "z");
    BOOST_REQUIRE(rx.split("7 x <y> z", v));
    BOOST_TEST(v[0] == "x");
    BOOST_TEST(v[1] == "y");
    BOOST_TEST(v[2] == "z");
    BOOST_TEST(!rx.split("7 x y z", v));
}

BOOST_AUTO_TEST_CASE(line_format_rejects_bad_formats_with_a_useful_message) {
    const auto message_of = [](std::string_view fmt) {
        try {
            (void)loglens::line_format::compile(fmt);
        } catch (const std::invalid_argument& e) {
            return std::string(e.what());
        }
        return std::string("no exception");
    };
    BOOST_TEST(message_of("<Date> <Level").find("never closed") != std::string::npos);
    BOOST_TEST(message_of("<Date> <Level").find("\"<Date> <Level\"") != std::string::npos);
    BOOST_TEST(message_of("plain text").find("no <Field>") != std::string::npos);
    BOOST_TEST(message_of("<A> <A>").find("appears twice") != std::string::npos);
    BOOST_TEST(message_of("<> x").find("no name") != std::string::npos);
    BOOST_TEST(message_of("").find("empty") != std::string::npos);
    BOOST_TEST(message_of("(<A> <B>").find("regular expression") != std::string::npos);
    BOOST_TEST(message_of("<A b> x").find("character") != std::string::npos);
}

// The first 30 lines of each Loghub dataset, kept in the repository, against the benchmark's Content column.
BOOST_AUTO_TEST_CASE(line_format_all_16_loghub_formats) {
    const auto dir = std::filesystem::path(LOGLENS_TEST_DATA_DIR) / "parse/loghub";
    const auto formats = loghub_formats();
    BOOST_REQUIRE_EQUAL(formats.size(), 16u);
    for (const auto& [ds, fmt] : formats) {
        BOOST_TEST_CONTEXT(ds << ": " << fmt) {
            const auto f = loglens::line_format::compile(fmt);
            const auto lines = read_lines(dir / (ds + ".log"));
            const auto expected = read_lines(dir / (ds + ".content"));
            BOOST_REQUIRE_EQUAL(expected.size(), 30u);
            BOOST_TEST(content_mismatches(f, lines, expected, ds) == 0u);
        }
    }
}

// The whole 2,000-line datasets (tests/data/loghub-2k): every line but the 4 rows where the corrected truth
// edited the text itself (HealthApp 1, Mac 3) must give the Content column.
BOOST_AUTO_TEST_CASE(line_format_full_loghub_2k) {
    const auto root = std::filesystem::path(LOGLENS_TEST_DATA_DIR) / "loghub-2k";
    const std::map<std::string, std::size_t> known_edits{{"HealthApp", 1}, {"Mac", 3}};
    for (const auto& [ds, fmt] : loghub_formats()) {
        BOOST_TEST_CONTEXT(ds) {
            const auto f = loglens::line_format::compile(fmt);
            const auto lines = read_lines(root / ds / (ds + "_2k.log"));
            const auto expected = csv_content_column(root / ds / (ds + "_2k.log_structured_corrected.csv"));
            BOOST_REQUIRE_EQUAL(expected.size(), 2000u);
            const auto it = known_edits.find(ds);
            BOOST_TEST(content_mismatches(f, lines, expected, ds) == (it == known_edits.end() ? 0u : it->second));
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()
