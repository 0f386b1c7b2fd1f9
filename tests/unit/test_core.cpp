// Core values: severity scales, stable ids, time formatting, the line splitter's repairs, and the parser's fast
// paths against the plain definitions they replace.
// SPDX-License-Identifier: MIT
#include <loglens/loglens.hpp>

#include <boost/test/unit_test.hpp>

#include <array>
#include <optional>
#include <random>
#include <string>
#include <vector>

using namespace loglens;

namespace {
std::vector<std::string> split_all(line_splitter& s, const std::vector<std::string_view>& chunks) {
    std::vector<std::string> out;
    for (auto c : chunks) s.feed(c, [&](std::string_view l) { out.emplace_back(l); });
    s.finish([&](std::string_view l) { out.emplace_back(l); });
    return out;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(core)

BOOST_AUTO_TEST_CASE(severity_words_as_frameworks_spell_them) {
    BOOST_TEST((parse_severity("WARN") == severity::warning));
    BOOST_TEST((parse_severity("Warning") == severity::warning));
    BOOST_TEST((parse_severity("FATAL") == severity::critical));
    BOOST_TEST((parse_severity("err") == severity::error));
    BOOST_TEST(!parse_severity("errors").has_value());
    BOOST_TEST(!parse_severity("").has_value());
    BOOST_TEST((severity::error > severity::warning));
    BOOST_TEST((classification::critical > classification::major));
    BOOST_TEST(to_string(classification::minor) == "minor");
    BOOST_TEST((parse_classification("MAJOR") == classification::major));
    BOOST_TEST((classification_for(severity::error) == classification::major));
    BOOST_TEST((parse_language("EN") == language::en));
}

BOOST_AUTO_TEST_CASE(ids_are_stable_across_runs) {
    // pinned: a change of hash would renumber every group users have referenced
    BOOST_TEST(detail::short_id(detail::fnv1a("redis\x1f"
                                              "oom")) == detail::short_id(detail::fnv1a("redis\x1f"
                                                                                        "oom")));
    BOOST_TEST(detail::fnv1a("") == 1469598103934665603ull);
    BOOST_TEST(detail::short_id(0xabcdefull) == "000000abcdef");
}

BOOST_AUTO_TEST_CASE(rfc3339_formatting) {
    using namespace std::chrono;
    const loglens::time_point t = sys_days{year{2025} / 11 / 3} + hours{20} + minutes{36} + seconds{40} + milliseconds{60};
    BOOST_TEST(detail::format_rfc3339(t) == "2025-11-03T20:36:40.060Z");
    BOOST_TEST(detail::format_rfc3339(std::optional<loglens::time_point>{}) == "");
}

BOOST_AUTO_TEST_CASE(lines_across_chunk_boundaries_and_crlf) {
    line_splitter s;
    const auto lines = split_all(s, {"first li", "ne\r\nsecond\n", "", "thi", "rd"});
    BOOST_TEST(lines == (std::vector<std::string>{"first line", "second", "third"}), boost::test_tools::per_element());
    BOOST_TEST(s.stats().lines == 3u);
    BOOST_TEST(s.stats().bytes == 24u);
    BOOST_TEST(s.stats().altered.at(std::string(reason::no_final_newline)) == 1u);
}

BOOST_AUTO_TEST_CASE(invalid_utf8_and_nul_are_replaced_visibly_and_counted) {
    line_splitter s;
    const auto lines = split_all(s, {std::string_view("bad \xff\xfe byte\nnul \0 here\nok \xd0\xbe\xd0\xba\n", 31)});
    BOOST_REQUIRE_EQUAL(lines.size(), 3u);
    BOOST_TEST(lines[0] == "bad \xEF\xBF\xBD\xEF\xBF\xBD byte");
    BOOST_TEST(lines[1] == "nul \xEF\xBF\xBD here");
    BOOST_TEST(lines[2] == "ok \xd0\xbe\xd0\xba");  // valid Cyrillic is untouched
    BOOST_TEST(s.stats().altered.at(std::string(reason::invalid_utf8)) == 1u);
    BOOST_TEST(s.stats().altered.at(std::string(reason::nul_byte)) == 1u);
}

BOOST_AUTO_TEST_CASE(a_10mb_line_is_cut_with_a_marker_and_memory_stays_bounded) {
    line_splitter s(1024);
    const std::string chunk(64 * 1024, 'x');
    std::vector<std::string> out;
    for (int i = 0; i < 160; ++i) s.feed(chunk, [&](std::string_view l) { out.emplace_back(l); });  // 10 MiB
    s.feed("\nnext\n", [&](std::string_view l) { out.emplace_back(l); });
    BOOST_REQUIRE_EQUAL(out.size(), 2u);
    BOOST_TEST(out[0].starts_with(std::string(1024, 'x')));
    BOOST_TEST(out[0].find("line cut, 10484736 more bytes dropped") != std::string::npos);
    BOOST_TEST(out[1] == "next");
    BOOST_TEST(s.stats().altered.at(std::string(reason::overlong_line)) == 1u);
}

BOOST_AUTO_TEST_CASE(empty_input_gives_nothing) {
    line_splitter s;
    BOOST_TEST(split_all(s, {}).empty());
    BOOST_TEST(s.stats().lines == 0u);
}

BOOST_AUTO_TEST_CASE(terminal_text_shows_what_a_terminal_would_obey_or_hide) {
    using detail::terminal_text;
    BOOST_TEST(terminal_text("plain text, \xd1\x82\xd0\xb5\xd0\xba\xd1\x81\xd1\x82 \xe4\xb8\xad") ==
               "plain text, \xd1\x82\xd0\xb5\xd0\xba\xd1\x81\xd1\x82 \xe4\xb8\xad");
    BOOST_TEST(terminal_text("\x1b]0;title\x07") == "^[]0;title^G");                // OSC: retitles the window
    BOOST_TEST(terminal_text("\x1b]8;;http://x\x1b\\y") == "^[]8;;http://x^[\\y");  // OSC 8 link
    BOOST_TEST(terminal_text("a\nb\tc\rd\x7f") == "a^Jb^Ic^Md^?");
    BOOST_TEST(terminal_text("\xc2\x9b"
                             "2J") == "<U+009B>2J");                                // C1 CSI
    BOOST_TEST(terminal_text("evil\xe2\x80\xaegol.txt") == "evil<U+202E>gol.txt");  // RLO
    BOOST_TEST(terminal_text("\xe2\x81\xa6x\xe2\x81\xa9") == "<U+2066>x<U+2069>");  // isolates
    BOOST_TEST(terminal_text("a\xe2\x80\x8b"
                             "b\xef\xbb\xbf") == "a<U+200B>b<U+FEFF>");  // zero width
    BOOST_TEST(terminal_text("bad \xff\xc0 bytes") == "bad \\xFF\\xC0 bytes");
    BOOST_TEST(terminal_text(std::string("nul\0x", 5)) == "nul^@x");
}

BOOST_AUTO_TEST_SUITE_END()

// The per-line readers were made faster (issue 18); each is checked here against the plain definition it replaces,
// on inputs made to hit its shortcuts and their edges.
namespace {

std::optional<severity> plain_parse_severity(std::string_view w) {
    using detail::iequals;
    if (iequals(w, "trace") || iequals(w, "finest") || iequals(w, "finer")) return severity::trace;
    if (iequals(w, "debug") || iequals(w, "fine") || iequals(w, "dbug")) return severity::debug;
    if (iequals(w, "info") || iequals(w, "information") || iequals(w, "informational")) return severity::info;
    if (iequals(w, "notice")) return severity::notice;
    if (iequals(w, "warn") || iequals(w, "warning")) return severity::warning;
    if (iequals(w, "error") || iequals(w, "err") || iequals(w, "severe")) return severity::error;
    if (iequals(w, "critical") || iequals(w, "crit") || iequals(w, "fatal") || iequals(w, "panic") || iequals(w, "alert") ||
        iequals(w, "emerg") || iequals(w, "emergency"))
        return severity::critical;
    return std::nullopt;
}

bool plain_clean_text(std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
        if (s[i] == '\0') return false;
        const std::size_t n = detail::utf8_length_at(s, i);
        if (n == 0) return false;
        i += n;
    }
    return true;
}

bool plain_worth_judging(std::string_view m) {
    const auto alpha = [](char c) { return static_cast<unsigned char>((c | 0x20) - 'a') < 26; };
    const char* p = m.data();
    const char* const end = p + m.size();
    while (p < end) {
        while (p < end && !alpha(*p)) ++p;
        const char* const b = p;
        while (p < end && alpha(*p)) ++p;
        const auto n = static_cast<std::size_t>(p - b);
        if (n < 3) continue;
        if (detail::stems.holds(detail::stem_key(std::string_view(b, std::min<std::size_t>(n, 4))))) return true;
    }
    return false;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(fast_paths)

BOOST_AUTO_TEST_CASE(parse_severity_reads_every_spelling_in_any_case_and_nothing_else) {
    const std::vector<std::string> words{"trace", "finest",      "finer",         "debug",    "fine", "dbug",
                                         "info",  "information", "informational", "notice",   "warn", "warning",
                                         "error", "err",         "severe",        "critical", "crit", "fatal",
                                         "panic", "alert",       "emerg",         "emergency"};
    std::vector<std::string> probes{
        "",        "e",      "er",           "errors", "inf",       "infos", "warnings", "informationals",
        "x-error", "error ", "\xff\xfe\xfd", "ERR0R",  "emergencyy"};
    for (const auto& w : words) {
        std::string upper = w, mixed = w;
        for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        for (std::size_t i = 0; i < mixed.size(); i += 2)
            mixed[i] = static_cast<char>(std::toupper(static_cast<unsigned char>(mixed[i])));
        probes.insert(probes.end(), {w, upper, mixed, w + "s", w.substr(1), w.substr(0, w.size() - 1)});
    }
    for (const auto& p : probes) BOOST_TEST((parse_severity(p) == plain_parse_severity(p)), p);
    BOOST_TEST((parse_severity("InFoRmAtIoNaL") == severity::info));
}

BOOST_AUTO_TEST_CASE(rfc3339_memo_reads_what_read_iso_reads) {
    // seconds that repeat, change, and come back; fractions of 0 to 12 digits; zones; dates that do not exist
    const std::vector<std::string> stamps{"2025-11-03T20:36:40.060803460Z rest",
                                          "2025-11-03T20:36:40.06Z",
                                          "2025-11-03T20:36:40Z",
                                          "2025-11-03T20:36:40,5 x",
                                          "2025-11-03T20:36:40.123456789012Z",
                                          "2025-11-03T20:36:40.1+02:00",
                                          "2025-11-03T20:36:40.1-0530",
                                          "2025-11-03T20:36:40 +0000",
                                          "2025-11-03 20:36:40.999",
                                          "2025-11-03T20:36:41.0Z",
                                          "2025-11-03T20:36:40.",
                                          "2025-11-03T20:36:40.x",
                                          "2025-02-30T20:36:40.1Z",
                                          "2025-11-03T24:00:00Z",
                                          "2025-11-03T20:36:4",
                                          "2025-11-03X20:36:40Z",
                                          "2025-13-03T20:36:40Z",
                                          "2025-11-03T20:36:40.060803460Z",
                                          "1969-11-03T20:36:40Z",
                                          "2025-11-03T20:36:40.5 UTC",
                                          "2025-11-03T20:61:40Z",
                                          "2025-11-03T20:36:40+15:00"};
    detail::iso_memo memo;
    for (int round = 0; round < 2; ++round)
        for (const auto& s : stamps) {
            const auto plain = detail::read_iso(s);
            const auto fast = detail::read_iso(s, memo);
            BOOST_TEST(fast.length == plain.length, s);
            BOOST_TEST((fast.time == plain.time), s);
        }
}

BOOST_AUTO_TEST_CASE(clean_text_check_agrees_with_the_byte_by_byte_one) {
    // every length to 40, with one NUL, high, UTF-8 or cut UTF-8 byte at every position, and random bytes
    std::vector<std::string> probes;
    for (std::size_t n = 0; n <= 40; ++n) {
        const std::string plain(n, 'a');
        probes.push_back(plain);
        for (std::size_t at = 0; at < n; ++at)
            for (const std::string bad :
                 {std::string(1, '\0'), std::string("\xff"), std::string("\xc3\xa9"), std::string("\xe2\x82")}) {
                std::string s = plain;
                s.replace(at, std::min(bad.size(), n - at), bad);
                probes.push_back(s);
            }
    }
    std::mt19937 rng(18);
    for (int i = 0; i < 2000; ++i) {
        std::string s(rng() % 48, 'a');
        for (auto& c : s) c = static_cast<char>(rng() % 8 == 0 ? rng() % 256 : 'a' + rng() % 26);
        probes.push_back(s);
    }
    for (const auto& p : probes) BOOST_TEST(detail::is_clean_text(p) == plain_clean_text(p));
}

BOOST_AUTO_TEST_CASE(severity_guess_and_judging_scan_keep_their_answers) {
    // the failure word is looked at first now, its glue and negation only when it would count
    BOOST_TEST((detail::guess_severity("fatal error while reading") == severity::critical));
    BOOST_TEST((detail::guess_severity("no fatal error") == severity::error));
    BOOST_TEST((detail::guess_severity("error, then panic: disk gone") == severity::critical));
    BOOST_TEST((detail::guess_severity("0 errors, 0 failed, no warning") == std::nullopt));
    BOOST_TEST((detail::guess_severity("Deprecated option; error_log=/x") == severity::warning));
    BOOST_TEST((detail::guess_severity("without failure") == std::nullopt));
    BOOST_TEST((detail::guess_severity("task FAILED after retry") == severity::error));
    // every stem starts a word the scan takes, whatever its case; words that share only a first letter do not
    for (const auto stem : detail::judge_stems) {
        std::string w(stem);
        if (w.size() == 4) w += "ing";  // a three-letter stem is a whole word (`oom`)
        BOOST_TEST(detail::worth_judging("the " + w + " here"), w);
        w[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(w[0])));
        BOOST_TEST(detail::worth_judging("[" + w + "]"), w);
    }
    BOOST_TEST(!detail::worth_judging("Healthy hello bytes queue zebra"));
    // stems, near misses and bytes of every kind, at every offset from the eight-byte blocks
    const std::vector<std::string> parts{"fail", "Fai", "oom",      "OOMs", "oo", "wait", "wai", "Retry", "x",      "12",
                                         " ",    "_",   "\xc3\xa9", "\xff", "-",  "memo", "mem", "Zm",    "quorum", "@"};
    std::mt19937 rng(1818);
    for (int i = 0; i < 20000; ++i) {
        std::string m(rng() % 9, 'q');
        const auto k = rng() % 6;
        for (unsigned j = 0; j < k; ++j) m += parts[rng() % parts.size()];
        for (auto& c : m)
            if (rng() % 10 == 0) c = static_cast<char>(rng() % 256);
        BOOST_TEST(detail::worth_judging(m) == plain_worth_judging(m), m);
    }
}

BOOST_AUTO_TEST_SUITE_END()
