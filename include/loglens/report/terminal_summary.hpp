#pragma once
// The end-of-run summary on a terminal: counts, then the top problems one line each, colour only on request.
// SPDX-License-Identifier: MIT

#include <loglens/core/report_model.hpp>
#include <loglens/report/detail/escape.hpp>
#include <loglens/report/detail/i18n.hpp>
#include <loglens/report/detail/incident_text.hpp>
#include <loglens/report/detail/summary.hpp>

#include <algorithm>
#include <cstddef>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

LOGLENS_NAMESPACE_BEGIN

/// How to print the terminal summary. The caller decides on colour: see `terminal_style::for_stream`.
struct terminal_style {
    bool color = false;             ///< ANSI colours (SGR codes); never on when the output is not a terminal
    std::size_t width = 100;        ///< no line is wider than this many columns
    std::size_t max_problems = 10;  ///< problems listed; the rest are counted in one line

    /// Colour when the stream is a terminal and `NO_COLOR` is unset or empty (https://no-color.org).
    /// Pass `isatty(fileno(stdout))` and `std::getenv("NO_COLOR")`.
    [[nodiscard]] static terminal_style for_stream(bool is_tty, const char* no_color_env) noexcept {
        terminal_style s;
        s.color = is_tty && (no_color_env == nullptr || *no_color_env == '\0');
        return s;
    }
};

namespace detail {

inline std::string_view sgr_for(classification c) noexcept {
    switch (c) {
        case classification::critical: return "\x1b[1;31m";
        case classification::major: return "\x1b[1;33m";
        case classification::minor: return "\x1b[33m";
        case classification::warning: return "\x1b[36m";
        default: return "\x1b[2m";
    }
}

inline std::string paint(const terminal_style& st, std::string_view sgr, std::string_view text) {
    if (!st.color) return std::string(text);
    return std::string(sgr) + std::string(text) + "\x1b[0m";
}

inline std::string pad_right(std::string s, std::size_t columns) {
    const std::size_t w = display_width(s);
    if (w < columns) s.append(columns - w, ' ');
    return s;
}

// The incidents that hold more than one problem, one line each, first cause named: what to look at first.
inline void print_incident_lines(const report& r, std::ostream& out, const terminal_style& style, std::size_t width) {
    if (r.incidents.empty()) return;
    const auto& t = incident_strings_for(r.lang);
    out << fit_columns(std::string(t.incidents) + ": " + incident_count_line(r), width) << '\n';
    std::size_t shown = 0;
    for (const auto& inc : r.incidents) {
        if (inc.members.size() < 2 || shown == style.max_problems / 2) continue;
        ++shown;
        const problem* root = problem_by_id(r, inc.first_cause);
        const std::string cls = pad_right(upper_ascii(to_string(inc.verdict)), 9);
        const std::string size = pad_right(
            "+" + std::to_string(inc.members.size() - 1) + " / " + std::to_string(inc.services.size()) + " svc", 13);
        const std::string what = std::string(t.first_cause) + ": " +
                                 (root ? root->group.service + ": " + problem_title(*root, 200) : inc.title);
        out << "  " << paint(style, sgr_for(inc.verdict), cls) << size << fit_columns(what, width > 24 ? width - 24 : 0)
            << '\n';
        // an LLM's fix order is the one thing it adds that the line above does not say
        if (inc.summary_source == analysis_source::llm && !inc.fix_steps.empty())
            out << fit_columns(std::string(11, ' ') + "\xE2\x86\xB3 " + std::string(t.fix_first) + ": " +
                                   inc.fix_steps.front().action,
                               width)
                << '\n';
    }
}

/// Word-wraps `s` into lines of at most `columns` columns (continuation lines indented by two spaces), so a
/// long cause is shown whole instead of cut; each piece goes through `fit_columns` (controls removed).
inline std::vector<std::string> wrap_columns(std::string_view s, std::size_t columns) {
    std::vector<std::string> lines;
    std::string line;
    std::size_t pos = 0;
    while (pos < s.size()) {
        const auto sp = s.find(' ', pos);
        const std::string_view word = s.substr(pos, sp == std::string_view::npos ? std::string_view::npos : sp - pos);
        pos = sp == std::string_view::npos ? s.size() : sp + 1;
        if (word.empty()) continue;
        if (!line.empty() && display_width(line) + 1 + display_width(word) > columns) {
            lines.push_back(fit_columns(line, columns));
            line = "  ";
        }
        line += (line.empty() || line == "  ") ? std::string(word) : " " + std::string(word);
    }
    if (!line.empty() && line != "  ") lines.push_back(fit_columns(line, std::max(columns, display_width(line))));
    return lines;
}

/// The LLM outcome in one phrase, and its cause when calls failed or the run went offline.
inline std::string llm_outcome(const llm_summary& l, const report_strings& s) {
    std::string out = "LLM: ";
    if (l.backend.empty() || l.backend == "none") out += s.offline_short;
    else {
        out += l.backend + (l.model.empty() ? "" : " " + l.model) + " \xC2\xB7 " + std::string(s.calls) + ": " +
               std::to_string(l.calls) + ", " + std::string(s.failures) + ": " + std::to_string(l.failures) + ", " +
               std::string(s.cache_hits) + ": " + std::to_string(l.cache_hits) + ", " + fixed(l.wall_seconds, 1) + " s";
        if (l.not_analysed > 0) out += ", not analysed: " + std::to_string(l.not_analysed);
        if (l.incident_answers + l.incident_failures > 0)
            out += ", incidents: " + std::to_string(l.incident_answers) + "/" +
                   std::to_string(l.incident_answers + l.incident_failures);
        if (l.triage.candidates > 0)
            out += ", triage: " + std::to_string(l.triage.flagged) + " flagged of " + std::to_string(l.triage.asked) +
                   (l.triage.error.empty() ? "" : " (" + std::to_string(l.triage.not_asked) + " not triaged)");
    }
    std::string cause = l.note;
    if (cause.empty() && l.failures > 0) cause = l.first_error;
    if (cause.empty()) cause = l.triage.error;
    if (!cause.empty()) out += " \xC2\xB7 " + cause;
    return out;
}

}  // namespace detail

/// Prints, in `report.lang`: a line of counts by classification, the partial warning if any, the most
/// urgent problems one line each (class, count, component, title), how many more are in the report, and
/// what the LLM did. Text from logs is stripped of control characters (no terminal escapes from logs),
/// and every line fits `style.width` columns.
inline void print_terminal_summary(const report& r, std::ostream& out, const terminal_style& style = {}) {
    using namespace detail;
    const auto& s = strings_for(r.lang);
    const std::size_t width = std::max<std::size_t>(style.width, 40);
    const auto n = count_by_classification(r.problems);

    std::string counts;
    for (const auto c : classifications_by_urgency) {
        const auto k = n[static_cast<std::size_t>(c)];
        if (k == 0) continue;
        counts += (counts.empty() ? "" : ", ") +
                  paint(style, sgr_for(c), std::to_string(k) + " " + std::string(to_string(c)));
    }
    std::string head = "loglens: " + std::string(s.problems) + ": " + std::to_string(r.problems.size());
    if (!counts.empty()) head += " (" + counts + ")";
    // colour codes take no columns, so measure the plain form
    std::string plain_tail = " \xC2\xB7 " + std::string(s.noise_groups) + ": " + std::to_string(r.noise.size()) +
                             " \xC2\xB7 " + std::string(s.lines_read) + ": " + std::to_string(r.ingest.lines);
    std::string plain_head = "loglens: " + std::string(s.problems) + ": " + std::to_string(r.problems.size());
    if (!counts.empty()) {
        plain_head += " (";
        for (const auto c : classifications_by_urgency)
            if (const auto k = n[static_cast<std::size_t>(c)])
                plain_head += (plain_head.back() == '(' ? "" : ", ") + std::to_string(k) + " " + std::string(to_string(c));
        plain_head += ")";
    }
    // the counts line must never be cut, so what does not fit after it moves to the closing line
    const std::size_t head_w = display_width(plain_head);
    const bool tail_fits = head_w + display_width(plain_tail) <= width;
    if (head_w >= width) out << fit_columns(plain_head, width) << '\n';
    else out << head << (tail_fits ? plain_tail : std::string{}) << '\n';
    if (r.partial) out << paint(style, "\x1b[1;33m", fit_columns(s.partial_banner, width)) << '\n';
    print_incident_lines(r, out, style, width);

    const std::size_t shown = std::min(style.max_problems, r.problems.size());
    for (std::size_t i = 0; i < shown; ++i) {
        const auto& p = r.problems[i];
        const std::string cls = pad_right(upper_ascii(to_string(p.result.verdict)), 9);
        std::string count = "\xC3\x97" + std::to_string(p.group.count);
        const std::size_t count_w = display_width(count);
        count = std::string(std::max<std::size_t>(6, count_w) - count_w, ' ') + count + "  ";
        const std::string comp = pad_right(fit_columns(component_label(p.group), 24), 24) + "  ";
        const std::size_t used = 2 + 9 + display_width(count) + 24 + 2;
        const std::string title = fit_columns(problem_title(p, 400), width > used ? width - used : 0);
        out << "  " << paint(style, sgr_for(p.result.verdict), cls) << count << comp << title << '\n';
        // the reason matters most where the level alone would have hidden the problem
        if (!p.result.reason.empty() && p.group.level < r.min_severity)
            out << fit_columns(std::string(11, ' ') + "\xE2\x86\xB3 " + p.result.reason, width) << '\n';
    }
    if (r.problems.size() > shown)
        out << fit_columns(
                   "  \xE2\x80\xA6 " + std::to_string(r.problems.size() - shown) + " " + std::string(s.more_in_report),
                   width)
            << '\n';
    if (r.problems.empty()) out << "  " << s.no_problems_short << '\n';

    // the closing line names the LLM outcome and its cause in full: wrapped, never cut
    std::string llm_line = llm_outcome(r.llm, s);
    if (!tail_fits) llm_line = plain_tail.substr(std::string_view(" \xC2\xB7 ").size()) + " \xC2\xB7 " + llm_line;
    for (const auto& line : wrap_columns(llm_line, width)) out << line << '\n';
}

LOGLENS_NAMESPACE_END
