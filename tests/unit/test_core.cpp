// Core values: severity scales, stable ids, time formatting, and the line splitter's repairs.
// SPDX-License-Identifier: MIT
#include <loglens/loglens.hpp>

#include <boost/test/unit_test.hpp>

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
