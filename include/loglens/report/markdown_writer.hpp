#pragma once
// The Markdown report writer: the reference design's report layout, with everything from logs escaped.
// SPDX-License-Identifier: MIT

#include <loglens/core/concepts.hpp>
#include <loglens/report/baseline.hpp>
#include <loglens/report/detail/escape.hpp>
#include <loglens/report/detail/i18n.hpp>
#include <loglens/report/detail/incident_text.hpp>
#include <loglens/report/detail/summary.hpp>

#include <ostream>
#include <string>
#include <string_view>

LOGLENS_NAMESPACE_BEGIN

namespace detail {

/// An inline code span that shows `s` verbatim on one line, whatever backticks it holds.
inline std::string markdown_code(std::string_view s) {
    std::string text = clean_text(s);
    for (auto& c : text)
        if (c == '\n' || c == '\t') c = ' ';
    const std::string ticks(longest_backtick_run(text) + 1, '`');
    const bool pad = text.empty() || text.front() == '`' || text.back() == '`';
    return ticks + (pad ? " " : "") + text + (pad ? " " : "") + ticks;
}

/// Writes one report in Markdown; all the words come from `report_strings`.
class markdown_renderer {
public:
    markdown_renderer(const report& r, std::ostream& out) : r_(r), s_(strings_for(r.lang)), out_(out) {}

    void render() {
        header();
        since_baseline();
        incidents();
        summary();
        inputs();
        llm();
        problems();
        noise();
        more_problems();
        bounds();
        recommendations();
        actions();
    }

private:
    void field(std::string_view label, std::string_view value_markdown) {
        out_ << "- **" << label << ":** " << value_markdown << '\n';
    }

    void counts_line(std::string_view label, const std::map<std::string, std::uint64_t>& m) {
        std::string v;
        for (const auto& [k, n] : m) v += (v.empty() ? "" : ", ") + markdown_inline(k) + ": " + std::to_string(n);
        field(label, v.empty() ? std::string(s_.nothing) : v);
    }

    void header() {
        out_ << "# " << s_.title << "\n\n";
        if (r_.partial) out_ << "> **\xE2\x9A\xA0 " << s_.partial_banner << "**\n\n";
        field(s_.analysis_time, human_time(r_.generated_at, s_.unknown_time));
        field(s_.total_problems, std::to_string(r_.problems.size()));
        field(s_.tool_version, r_.tool_version.empty() ? std::string("-") : markdown_code(r_.tool_version));
        field(s_.min_severity, std::string(to_string(r_.min_severity)));
        out_ << '\n';
    }

    // What is new since the baseline leads the report: new problems, then spikes, then what went away.
    void since_baseline() {
        if (!r_.baseline) return;
        const auto& b = *r_.baseline;
        out_ << "## " << since_baseline_title(r_.lang) << "\n\n";
        field(r_.lang == language::en ? "Baseline" : "База",
              markdown_code(b.path) + ", " + human_time(b.generated_at, s_.unknown_time));
        field(r_.lang == language::en ? "Changes" : "Изменения", change_counts(b));
        out_ << '\n';
        const auto lead = leading_changes(r_);
        for (const auto* p : lead)
            out_ << "- **" << p->change << "** [" << upper_ascii(to_string(p->result.verdict)) << "] "
                 << markdown_inline(problem_title(*p)) << " (" << markdown_code(p->group.id) << ")\n";
        if (!lead.empty()) out_ << '\n';
    }

    // What went wrong, first: the few incidents, each with its first cause and what followed from it.
    void incidents() {
        if (r_.incidents.empty()) return;
        const auto& t = incident_strings_for(r_.lang);
        out_ << "## " << t.incidents << "\n\n**" << incident_count_line(r_) << "**\n\n";
        for (std::size_t n = 0; n < r_.incidents.size(); ++n) incident_block(n + 1, r_.incidents[n], t);
    }

    void incident_block(std::size_t n, const incident& inc, const incident_strings& t) {
        out_ << "### " << n << ". [" << upper_ascii(to_string(inc.verdict)) << "] " << markdown_inline(inc.title) << "\n\n";
        if (const problem* root = problem_by_id(r_, inc.first_cause))
            field(t.first_cause, markdown_inline(root->group.service) + ": " + markdown_inline(problem_title(*root)) +
                                     " (\xC3\x97" + std::to_string(root->group.count) + ", " +
                                     markdown_code(root->group.id) + ")");
        field(t.evidence, markdown_inline(inc.evidence));
        if (inc.members.size() > 1) field(summary_label(inc, t), markdown_inline(inc.summary));
        if (!inc.root_cause.empty()) field(t.root_cause, markdown_inline(inc.root_cause));
        if (!inc.llm_error.empty()) field(t.llm_note, markdown_inline(inc.llm_error));
        field(t.when, human_time(inc.start, s_.unknown_time) + " \xE2\x80\x93 " + human_time(inc.end, s_.unknown_time));
        std::string services;
        for (const auto& s : inc.services) services += (services.empty() ? "" : ", ") + markdown_inline(s);
        field(t.services, services);
        if (!inc.fix_steps.empty()) fix_steps(inc, t);
        else if (!inc.fix_order.empty()) {
            out_ << "\n**" << t.fix_first << ":**\n\n";
            for (std::size_t k = 0; k < inc.fix_order.size(); ++k)
                out_ << (k + 1) << ". " << markdown_inline(inc.fix_order[k]) << '\n';
        }
        if (inc.members.size() > 1) {
            out_ << "\n**" << t.members << ":**\n\n";
            for (const auto& m : inc.members) {
                const problem* p = problem_by_id(r_, m.problem_id);
                if (!p) continue;
                out_ << "- [" << upper_ascii(to_string(p->result.verdict)) << "] " << markdown_inline(p->group.service)
                     << ": " << markdown_inline(problem_title(*p, 100)) << " (\xC3\x97" << p->group.count
                     << ") \xE2\x80\x94 *" << markdown_inline(m.evidence) << "*\n";
            }
        }
        out_ << '\n';
    }

    // Each step names the member it is about, so the reader can jump to that problem.
    void fix_steps(const incident& inc, const incident_strings& t) {
        out_ << "\n**" << t.fix_first << ":**\n\n";
        for (std::size_t k = 0; k < inc.fix_steps.size(); ++k) {
            const auto& st = inc.fix_steps[k];
            out_ << (k + 1) << ". " << markdown_inline(st.action) << " (" << markdown_code(st.problem_id);
            if (const problem* p = problem_by_id(r_, st.problem_id)) out_ << ", " << markdown_inline(p->group.service);
            out_ << ")\n";
        }
    }

    void summary() {
        out_ << "## " << s_.summary << "\n\n";
        const auto n = count_by_classification(r_.problems);
        for (const auto c : classifications_by_urgency) {
            const auto k = n[static_cast<std::size_t>(c)];
            // the reference lists the four problem classes always; `info` only when something is in it
            if (c == classification::info && k == 0) continue;
            field(upper_ascii(to_string(c)), std::to_string(k));
        }
        field(s_.occurrences_total, std::to_string(total_occurrences(r_.problems)));
        field(s_.noise_groups, std::to_string(r_.noise.size()));
        out_ << '\n';
    }

    void inputs() {
        out_ << "## " << s_.inputs << "\n\n";
        if (!r_.inputs.empty()) {
            out_ << "| " << s_.input_file << " | " << s_.lines << " | " << s_.bytes << " | " << s_.input_error
                 << " |\n|---|---:|---:|---|\n";
            for (const auto& i : r_.inputs)
                out_ << "| " << markdown_inline(i.path) << " | " << i.lines << " | " << i.bytes << " | "
                     << (i.error.empty() ? std::string(s_.input_ok) : markdown_inline(i.error)) << " |\n";
            out_ << '\n';
        }
        field(s_.lines_read, std::to_string(r_.ingest.lines));
        field(s_.entries, std::to_string(r_.ingest.entries));
        field(s_.below_threshold, std::to_string(r_.entries_below_threshold));
        counts_line(s_.skipped, r_.ingest.skipped);
        counts_line(s_.altered, r_.ingest.altered);
        counts_line(s_.redactions, r_.redactions);
        out_ << '\n';
    }

    void llm() {
        const auto& l = r_.llm;
        out_ << "## " << s_.llm_block << "\n\n";
        if (l.backend == "none" || l.backend.empty()) {
            out_ << '*' << s_.llm_offline << "*\n\n";
            if (l.note.empty()) return;
        } else {
            field(s_.backend, markdown_inline(l.backend));
            field(s_.model, l.model.empty() ? std::string(s_.unknown_time) : markdown_inline(l.model));
            std::string server = markdown_inline(l.url);
            if (!l.server_version.empty()) server += " (" + markdown_code(l.server_version) + ")";
            if (!server.empty()) field(s_.server, server);
            field(s_.calls, std::to_string(l.calls));
            field(s_.failures, std::to_string(l.failures));
            field(s_.cache_hits, std::to_string(l.cache_hits));
            field(std::string(s_.tokens) + " (" + std::string(s_.prompt_completion) + ")",
                  std::to_string(l.prompt_tokens) + " / " + std::to_string(l.completion_tokens));
            field(s_.wall_time, fixed(l.wall_seconds, 1) + " s");
            if (const auto t = triage_phrase(l.triage, r_.lang); !t.empty()) field(s_.triage, markdown_inline(t));
        }
        if (!l.note.empty()) field(s_.note, markdown_inline(l.note));
        out_ << '\n';
    }

    void problems() {
        out_ << "## " << s_.by_component << "\n\n";
        if (r_.problems.empty()) out_ << s_.no_problems << "\n\n";
        for (const auto& [label, idx] : problems_by_component(r_.problems)) {
            out_ << "### " << markdown_inline(label) << "\n\n";
            for (const auto i : idx) {
                problem_block(r_.problems[i]);
                out_ << "---\n\n";
            }
        }
    }

    void problem_block(const problem& p) {
        const auto& g = p.group;
        const auto& a = p.result;
        out_ << "#### [" << upper_ascii(to_string(a.verdict)) << "] " << markdown_inline(problem_title(p)) << "\n\n";
        field(s_.service, markdown_inline(g.service) + " \xC2\xB7 **" + std::string(s_.log_level) + ":** " +
                              std::string(to_string(g.level)) + " \xC2\xB7 **ID:** " + markdown_code(g.id));
        field(s_.count, std::to_string(g.count));
        if (const auto n = incident_number(r_, p.incident); n > 0 && r_.incidents[n - 1].members.size() > 1)
            field(incident_strings_for(r_.lang).incident,
                  std::to_string(n) + ". " + markdown_inline(r_.incidents[n - 1].title));
        field(s_.first_seen, human_time(g.first_seen, s_.unknown_time));
        field(s_.last_seen, human_time(g.last_seen, s_.unknown_time));
        std::string src(source_label(s_, a.source));
        if (!a.signature.empty()) src += " (" + markdown_code(a.signature) + ")";
        field(s_.source, src);
        if (!a.reason.empty()) field(s_.why, markdown_inline(a.reason));
        if (!a.duplicate_of.empty()) field(s_.duplicate_of, markdown_code(a.duplicate_of));
        // the title shows a one-line exception already
        if (!g.exception.empty() && first_line(g.exception) != g.exception)
            field(s_.exception, markdown_inline(g.exception));
        out_ << '\n';
        code_block(s_.template_label, g.template_text);
        if (a.description.empty() && a.root_cause.empty() && a.recommendations.empty()) {
            out_ << '*' << s_.not_explained << "*\n\n";
        } else {
            prose(s_.description, a.description);
            prose(s_.root_cause, a.root_cause);
            if (!a.recommendations.empty()) {
                out_ << "**" << s_.recommendations << ":**\n\n";
                for (std::size_t k = 0; k < a.recommendations.size(); ++k)
                    out_ << (k + 1) << ". " << markdown_inline(a.recommendations[k]) << '\n';
                out_ << '\n';
            }
            out_ << '*' << s_.confidence << ": " << percent(a.confidence) << "*\n\n";
        }
        if (!a.error.empty()) out_ << "**" << s_.llm_error << ":** " << markdown_inline(a.error) << "\n\n";
        parameters(g);
        samples(g);
    }

    void prose(std::string_view label, const std::string& text) {
        if (text.empty()) return;
        out_ << "**" << label << ":**\n" << markdown_block(text) << "\n\n";
    }

    void code_block(std::string_view label, std::string_view text) {
        const std::string body = clean_text(text);
        const std::string fence = markdown_fence(body);
        out_ << "**" << label << ":**\n\n" << fence << "text\n" << body << '\n' << fence << "\n\n";
    }

    void parameters(const log_group& g) {
        bool any = false;
        for (const auto& ps : g.params) {
            if (ps.values.empty()) continue;
            if (!any) out_ << "**" << s_.parameters << ":**\n\n";
            any = true;
            std::string line;
            for (const auto& v : ps.values)
                line += (line.empty() ? "" : ", ") + markdown_code(v.value) + " \xC3\x97" + std::to_string(v.count);
            if (ps.distinct_dropped > 0)
                line += "; +" + std::to_string(ps.distinct_dropped) + ' ' + std::string(s_.more_values);
            out_ << "- " << markdown_code(ps.name) << ": " << line << '\n';
        }
        if (any) out_ << '\n';
    }

    void samples(const log_group& g) {
        if (g.samples.empty()) return;
        out_ << "**" << s_.samples << ":**\n\n";
        for (const auto& e : g.samples) {
            std::string body = e.raw.empty() ? e.message : e.raw;
            for (const auto& l : e.continuation) body += '\n' + l;
            body = clean_text(body);
            const std::string fence = markdown_fence(body);
            out_ << markdown_code(e.source) << ", " << s_.sample_at << ' ' << e.line << ":\n\n"
                 << fence << "text\n"
                 << body << '\n'
                 << fence << "\n\n";
        }
    }

    void noise() {
        if (r_.noise.empty()) return;
        out_ << "## " << s_.noise << "\n\n" << s_.noise_intro << "\n\n";
        out_ << "| " << s_.component << " | " << s_.count << " | " << s_.template_label << " | " << s_.description
             << " |\n|---|---:|---|---|\n";
        for (const auto& p : r_.noise)
            out_ << "| " << markdown_inline(component_label(p.group)) << " | " << p.group.count << " | "
                 << markdown_inline(first_line(p.group.template_text)) << " | " << markdown_inline(p.result.description)
                 << " |\n";
        out_ << '\n';
    }

    void more_problems() {
        if (r_.more_problems.empty()) return;
        out_ << "## " << s_.more_problems << " (" << r_.more_problems.size() << ")\n\n" << s_.more_problems_intro << "\n\n";
        out_ << "| id | " << s_.component << " | " << s_.count << " | " << s_.template_label << " |\n|---|---|---:|---|\n";
        for (const auto& p : r_.more_problems)
            out_ << "| " << markdown_code(p.id) << " [" << upper_ascii(to_string(p.verdict)) << "] | "
                 << markdown_inline(p.service) << " | " << p.count << " | " << markdown_inline(first_line(p.template_text))
                 << " |\n";
        out_ << '\n';
    }

    void bounds() {
        const auto lines = bounds_lines(r_, s_);
        if (lines.empty()) return;
        out_ << "## " << s_.bounds << "\n\n" << s_.bounds_intro << "\n\n";
        for (const auto& l : lines) out_ << "- " << markdown_inline(l) << '\n';
        out_ << '\n';
    }

    void recommendations() {
        out_ << "## " << s_.top_recommendations << "\n\n";
        const auto recs = top_recommendations(r_.problems);
        if (recs.empty()) out_ << s_.nothing << "\n\n";
        for (std::size_t i = 0; i < recs.size(); ++i)
            out_ << (i + 1) << ". " << markdown_inline(recs[i].first)
                 << (recs[i].second > 1 ? " (\xC3\x97" + std::to_string(recs[i].second) + ")" : std::string{}) << '\n';
        if (!recs.empty()) out_ << '\n';
    }

    void actions() {
        out_ << "## " << s_.action_items << "\n\n";
        const auto items = action_items(r_.problems);
        if (items.empty()) out_ << s_.no_action_items << '\n';
        for (const auto& [component, rec] : items)
            out_ << "- [ ] **" << markdown_inline(component) << ":** " << markdown_inline(rec) << '\n';
    }

    const report& r_;
    const report_strings& s_;
    std::ostream& out_;
};

}  // namespace detail

/// Writes the report as Markdown, in `report.lang` (Russian by default). Log text and LLM answers are
/// escaped, and samples sit in fenced blocks longer than any backtick run they hold, so no input can
/// change the document's structure.
struct markdown_writer {
    using stage_category = writer_tag;

    [[nodiscard]] std::string_view extension() const noexcept { return "md"; }

    void write(const report& r, std::ostream& out) const { detail::markdown_renderer(r, out).render(); }
};

LOGLENS_NAMESPACE_END
