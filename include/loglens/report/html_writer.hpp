#pragma once
// The HTML report writer: one self-contained page with a summary, timelines, and a sortable problem list.
// SPDX-License-Identifier: MIT

#include <loglens/core/concepts.hpp>
#include <loglens/report/baseline.hpp>
#include <loglens/report/detail/escape.hpp>
#include <loglens/report/detail/i18n.hpp>
#include <loglens/report/detail/incident_text.hpp>
#include <loglens/report/detail/sha256.hpp>
#include <loglens/report/detail/summary.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <ostream>
#include <set>
#include <string>
#include <string_view>
#include <vector>

LOGLENS_NAMESPACE_BEGIN

namespace detail {

inline constexpr std::string_view html_style = R"css(
:root{--bg:#f4f5f7;--card:#fff;--text:#1f2430;--muted:#5f6877;--line:#e1e4ea;--code:#f6f7f9;
--critical:#c62828;--major:#e65100;--minor:#b58900;--warning:#1e66d0;--info:#6b7280;--accent:#3949ab}
@media (prefers-color-scheme:dark){:root{--bg:#14161b;--card:#1d2027;--text:#e6e8ec;--muted:#9aa3b2;
--line:#2d313a;--code:#161a20;--critical:#ef5350;--major:#ff8a3d;--minor:#e0b83c;--warning:#64a0ff;--info:#9aa3b2;--accent:#8c9eff}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--text);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif}
main{max-width:1180px;margin:0 auto;padding:0 20px 40px}
header.top{background:var(--card);border-bottom:1px solid var(--line);padding:18px 0 14px;margin-bottom:20px}
header.top>div{max-width:1180px;margin:0 auto;padding:0 20px}
h1{font-size:22px;margin:0 0 4px}
h2{font-size:18px;margin:28px 0 12px}
h3{font-size:16px;margin:0}
.meta{color:var(--muted);font-size:13px}
.meta span+span:before{content:" \00b7  "}
.banner{border-radius:8px;padding:12px 16px;margin:0 0 16px;font-weight:600;background:#fff4e5;color:#8a4b00;border:1px solid #ffd8a8}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(130px,1fr));gap:12px}
.card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:12px 14px}
.card b{display:block;font-size:26px;line-height:1.2}
.card small{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.04em}
.card.c-critical b{color:var(--critical)}.card.c-major b{color:var(--major)}.card.c-minor b{color:var(--minor)}
.card.c-warning b{color:var(--warning)}.card.c-info b{color:var(--info)}
.panel{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:14px 16px}
svg.timeline{width:100%;height:auto;display:block}
svg.timeline text{fill:var(--muted);font-size:12px;font-family:inherit}
svg.timeline .row-label{fill:var(--text)}
svg.timeline line.track{stroke:var(--line)}
svg.timeline line.grid{stroke:var(--line);stroke-dasharray:3 4}
svg.timeline a:hover circle,svg.timeline a:focus circle{stroke:var(--text);stroke-width:1.5}
.f-critical{fill:var(--critical)}.f-major{fill:var(--major)}.f-minor{fill:var(--minor)}.f-warning{fill:var(--warning)}.f-info{fill:var(--info)}
.s-critical{stroke:var(--critical)}.s-major{stroke:var(--major)}.s-minor{stroke:var(--minor)}.s-warning{stroke:var(--warning)}.s-info{stroke:var(--info)}
.toolbar{display:flex;flex-wrap:wrap;gap:8px;align-items:center;margin:0 0 12px;color:var(--muted);font-size:13px}
.toolbar button{font:inherit;border:1px solid var(--line);background:var(--card);color:var(--text);border-radius:999px;padding:3px 12px;cursor:pointer}
.toolbar button[aria-pressed=true]{background:var(--accent);border-color:var(--accent);color:#fff}
.toolbar input{font:inherit;margin-left:auto;min-width:220px;padding:4px 10px;border:1px solid var(--line);border-radius:6px;background:var(--card);color:var(--text)}
article.problem{background:var(--card);border:1px solid var(--line);border-left:5px solid var(--info);border-radius:10px;padding:14px 16px;margin:0 0 12px}
article.c-critical{border-left-color:var(--critical)}article.c-major{border-left-color:var(--major)}
article.c-minor{border-left-color:var(--minor)}article.c-warning{border-left-color:var(--warning)}
.head{display:flex;gap:10px;align-items:baseline;flex-wrap:wrap}
.head h3{flex:1;min-width:260px;word-break:break-word}
.badge{font-size:11px;font-weight:700;letter-spacing:.05em;border-radius:4px;padding:2px 7px;color:#fff;background:var(--info)}
.badge.c-critical{background:var(--critical)}.badge.c-major{background:var(--major)}.badge.c-minor{background:var(--minor)}.badge.c-warning{background:var(--warning)}
.times{font-size:26px;font-weight:700;color:var(--muted)}
.sub{color:var(--muted);font-size:13px;margin:2px 0 8px}
.sub span+span:before{content:" \00b7  "}
.chip{display:inline-block;border:1px solid var(--line);border-radius:999px;padding:0 8px;font-size:12px}
.sub span.chip{margin:0 4px 0 8px}.sub span.chip:before{content:none}
.label{font-weight:600;margin:10px 0 2px}
.prose{white-space:pre-wrap;word-break:break-word;margin:0}
ol.recs{margin:4px 0 0;padding-left:22px}
.conf{display:flex;align-items:center;gap:8px;font-size:13px;color:var(--muted);margin-top:8px}
.conf .bar{width:120px;height:6px;border-radius:3px;background:var(--line);overflow:hidden}
.conf .bar i{display:block;height:100%;background:var(--accent)}
.error{margin-top:10px;border-radius:6px;padding:8px 10px;background:rgba(198,40,40,.08);border:1px solid rgba(198,40,40,.3);white-space:pre-wrap;word-break:break-word}
.why{margin:6px 0;padding:6px 10px;border-left:3px solid rgba(25,118,210,.6);background:rgba(25,118,210,.06);word-break:break-word}
.none{color:var(--muted);font-style:italic}
pre{background:var(--code);border:1px solid var(--line);border-radius:6px;padding:8px 10px;margin:4px 0;overflow-x:auto;
font:12.5px/1.45 ui-monospace,"DejaVu Sans Mono",Menlo,Consolas,monospace;white-space:pre}
code{font-family:ui-monospace,"DejaVu Sans Mono",Menlo,Consolas,monospace;font-size:.92em}
details{margin-top:8px}
summary{cursor:pointer;color:var(--accent);font-size:14px}
.where{font-size:12px;color:var(--muted);margin-top:6px}
table{border-collapse:collapse;width:100%;font-size:14px}
th,td{text-align:left;padding:6px 8px;border-bottom:1px solid var(--line);vertical-align:top;word-break:break-word}
th{color:var(--muted);font-weight:600;font-size:12px;text-transform:uppercase;letter-spacing:.04em}
td.num,th.num{text-align:right;white-space:nowrap}
.grid2{display:grid;grid-template-columns:repeat(auto-fit,minmax(320px,1fr));gap:12px}
dl.kv{display:grid;grid-template-columns:max-content 1fr;gap:4px 14px;margin:0;font-size:14px}
dl.kv dt{color:var(--muted)}dl.kv dd{margin:0;word-break:break-word}
ul.todo{list-style:none;padding:0;margin:0}ul.todo li{padding:3px 0}ul.todo li:before{content:"\2610  ";color:var(--muted)}
footer{color:var(--muted);font-size:12px;text-align:center;padding:20px}
)css";

// Sorting and filtering work on data attributes the writer escaped; the page carries no other data.
// `#sort=count` (or first, last, component) in the URL opens the list sorted that way.
// The load handler reports, for a headless DOM dump, that the page script ran and that no injected
// script set `window.__pwned` (the browser test's payload does, if escaping ever fails).
inline constexpr std::string_view html_script = R"js(
(function () {
  var list = document.getElementById('problem-list');
  if (list) {
    var items = Array.prototype.slice.call(list.children);
    var keys = {
      rank: function (e) { return Number(e.getAttribute('data-rank')); },
      count: function (e) { return -Number(e.getAttribute('data-count')); },
      first: function (e) { return Number(e.getAttribute('data-first')); },
      last: function (e) { return -Number(e.getAttribute('data-last')); },
      component: function (e) { return e.getAttribute('data-component'); }
    };
    var buttons = document.querySelectorAll('button[data-sort]');
    Array.prototype.forEach.call(buttons, function (b) {
      b.addEventListener('click', function () {
        var name = b.getAttribute('data-sort'), key = keys[name];
        items.sort(function (x, y) {
          var a = key(x), c = key(y);
          if (a < c) return -1;
          if (a > c) return 1;
          return keys.rank(x) - keys.rank(y);
        });
        items.forEach(function (i) { list.appendChild(i); });
        Array.prototype.forEach.call(buttons, function (o) { o.setAttribute('aria-pressed', String(o === b)); });
        if (history.replaceState) history.replaceState(null, '', name === 'rank' ? '#' : '#sort=' + name);
      });
    });
    // a link such as report.html#sort=count opens the list sorted that way
    var wanted = /^#sort=([a-z]+)$/.exec(location.hash);
    if (wanted && keys[wanted[1]]) document.querySelector('button[data-sort="' + wanted[1] + '"]').click();
    var filter = document.getElementById('filter');
    if (filter) filter.addEventListener('input', function () {
      var q = filter.value.toLowerCase();
      items.forEach(function (i) { i.hidden = q !== '' && i.textContent.toLowerCase().indexOf(q) < 0; });
    });
  }
  window.addEventListener('load', function () {
    document.documentElement.setAttribute('data-ready', typeof window.__pwned === 'undefined' ? 'clean' : 'tampered');
  });
})();
)js";

/// `p-` and the id with anything but [A-Za-z0-9_-] hex-encoded: safe as an id and as a URL fragment.
inline std::string html_anchor(std::string_view id) {
    static constexpr char hex[] = "0123456789abcdef";
    std::string out = "p-";
    for (const char c : id) {
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_') {
            out += c;
        } else {
            const auto u = static_cast<unsigned char>(c);
            out += '.';
            out += hex[u >> 4];
            out += hex[u & 15];
        }
    }
    return out;
}

inline std::int64_t epoch_ms(time_point t) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

/// Writes one report as a single HTML page; every string from the model goes through `html_escape`.
class html_renderer {
public:
    html_renderer(const report& r, std::ostream& out) : r_(r), s_(strings_for(r.lang)), out_(out) {}

    void render() {
        head();
        out_ << "<body>\n";
        top();
        out_ << "<main>\n";
        if (r_.partial) out_ << "<div class=\"banner\" role=\"alert\">\xE2\x9A\xA0 " << e(s_.partial_banner) << "</div>\n";
        since_baseline();
        cards();
        incidents();
        timeline();
        problem_list();
        noise();
        more_problems();
        bounds();
        recommendations();
        run_details();
        out_ << "</main>\n<footer>loglens " << e(r_.tool_version) << "</footer>\n<script>" << html_script
             << "</script>\n</body>\n</html>\n";
    }

private:
    static std::string e(std::string_view s) { return html_escape(s); }

    void head() {
        // Only the page's own script may run, nothing may be fetched: even text that escaped escaping
        // could not act. `'unsafe-inline'` for styles is needed for the inline stylesheet and bar widths.
        const std::string csp = "default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-" +
                                base64(sha256(html_script)) + "'; base-uri 'none'; form-action 'none'";
        out_ << "<!DOCTYPE html>\n<html lang=\"" << to_string(r_.lang) << "\">\n<head>\n<meta charset=\"utf-8\">\n"
             << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
             << "<meta http-equiv=\"Content-Security-Policy\" content=\"" << csp << "\">\n"
             << "<meta name=\"generator\" content=\"loglens " << e(r_.tool_version) << "\">\n"
             << "<title>" << e(s_.title) << " \xE2\x80\x94 loglens</title>\n<style>" << html_style << "</style>\n</head>\n";
    }

    void top() {
        out_ << "<header class=\"top\"><div><h1>" << e(s_.title) << "</h1><div class=\"meta\"><span>" << e(s_.analysis_time)
             << ": " << e(human_time(r_.generated_at, s_.unknown_time)) << "</span><span>" << e(s_.min_severity) << ": "
             << to_string(r_.min_severity) << "</span><span>" << e(s_.lines_read) << ": " << r_.ingest.lines
             << "</span><span>" << e(llm_short()) << "</span></div></div></header>\n";
    }

    std::string llm_short() const {
        const auto& l = r_.llm;
        if (l.backend.empty() || l.backend == "none") return "LLM: " + std::string(s_.offline_short);
        return "LLM: " + l.backend + (l.model.empty() ? "" : " " + l.model);
    }

    // What is new since the baseline comes first: new problems, then spikes, then what went away.
    void since_baseline() {
        if (!r_.baseline) return;
        const auto& b = *r_.baseline;
        out_ << "<h2>" << e(since_baseline_title(r_.lang)) << "</h2>\n<div class=\"panel\"><p><code>" << e(b.path)
             << "</code> \xC2\xB7 " << e(change_counts(b)) << "</p><ul>\n";
        for (const auto* p : leading_changes(r_)) {
            out_ << "<li><b>" << e(p->change) << "</b> [" << upper_ascii(to_string(p->result.verdict)) << "] ";
            if (p->change == change::gone) out_ << e(problem_title(*p, 120));
            else out_ << "<a href=\"#" << html_anchor(p->group.id) << "\">" << e(problem_title(*p, 120)) << "</a>";
            out_ << " <code>" << e(p->group.id) << "</code></li>\n";
        }
        out_ << "</ul></div>\n";
    }

    void cards() {
        const auto n = count_by_classification(r_.problems);
        out_ << "<section class=\"cards\" aria-label=\"" << e(s_.summary) << "\">\n";
        for (const auto c : classifications_by_urgency) {
            const auto k = n[static_cast<std::size_t>(c)];
            if (c == classification::info && k == 0) continue;
            out_ << "<div class=\"card c-" << to_string(c) << "\"><b>" << k << "</b><small>" << to_string(c)
                 << "</small></div>\n";
        }
        out_ << "<div class=\"card\"><b>" << total_occurrences(r_.problems) << "</b><small>" << e(s_.occurrences_total)
             << "</small></div>\n<div class=\"card\"><b>" << r_.noise.size() << "</b><small>" << e(s_.noise_groups)
             << "</small></div>\n</section>\n";
    }

    void timeline() {
        std::optional<time_point> lo, hi;
        const auto widen = [&](time_point t) {
            lo = lo ? std::min(*lo, t) : t;
            hi = hi ? std::max(*hi, t) : t;
        };
        for (const auto& p : r_.problems) {
            for (const auto t : p.group.occurrences) widen(t);
            if (p.group.first_seen) widen(*p.group.first_seen);
            if (p.group.last_seen) widen(*p.group.last_seen);
        }
        out_ << "<h2>" << e(s_.timeline) << "</h2>\n<div class=\"panel\">";
        if (!lo) {
            out_ << "<p class=\"none\">" << e(r_.problems.empty() ? s_.no_problems : s_.no_timestamps) << "</p></div>\n";
            return;
        }
        if (*hi - *lo < std::chrono::seconds(60)) {  // a burst still gets a readable axis
            lo = *lo - std::chrono::seconds(30);
            hi = *hi + std::chrono::seconds(30);
        }
        const auto sections = problems_by_component(r_.problems);
        constexpr double left = 230, right = 985, row_h = 28, top_pad = 10;
        const double height = top_pad + row_h * static_cast<double>(sections.size()) + 34;
        const double span = static_cast<double>(epoch_ms(*hi) - epoch_ms(*lo));
        const auto x_of = [&](time_point t) {
            return left + (right - left) * static_cast<double>(epoch_ms(t) - epoch_ms(*lo)) / span;
        };
        out_ << "<svg class=\"timeline\" viewBox=\"0 0 1000 " << fixed(height, 0) << "\" role=\"img\" aria-label=\""
             << e(s_.timeline) << "\">\n";
        const double axis_y = top_pad + row_h * static_cast<double>(sections.size()) + 4;
        axis(*lo, *hi, top_pad, axis_y, x_of);
        incident_bands(top_pad, axis_y, x_of);
        for (std::size_t row = 0; row < sections.size(); ++row) {
            const double y = top_pad + row_h * (static_cast<double>(row) + 0.5);
            out_ << "<g><title>" << e(sections[row].first) << "</title><text class=\"row-label\" x=\"0\" y=\""
                 << fixed(y + 4, 1) << "\">" << e(first_line(sections[row].first, 30))
                 << "</text></g><line class=\"track\" x1=\"" << left << "\" x2=\"" << right << "\" y1=\"" << fixed(y, 1)
                 << "\" y2=\"" << fixed(y, 1) << "\"/>\n";
            // least urgent first, so the most urgent marks are drawn on top
            for (auto it = sections[row].second.rbegin(); it != sections[row].second.rend(); ++it)
                timeline_marks(r_.problems[*it], y, x_of);
        }
        out_ << "</svg></div>\n";
    }

    /// Grid lines at round times (every 5 min, 1 h, ...), about five of them; the date where it changes.
    template <class XOf>
    void axis(time_point lo, time_point hi, double top, double bottom, const XOf& x_of) {
        using namespace std::chrono;
        static constexpr std::int64_t steps[] = {1,    2,    5,    10,    15,    30,    60,    120,    300,    600,    900,
                                                 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800, 2592000};
        const std::int64_t span_s = duration_cast<seconds>(hi - lo).count();
        std::int64_t step = steps[std::size(steps) - 1];
        for (const auto st : steps)
            if (span_s / st <= 6) {
                step = st;
                break;
            }
        const std::int64_t lo_s = duration_cast<seconds>(lo.time_since_epoch()).count();
        std::string last_day;
        for (std::int64_t t = (lo_s / step + 1) * step; t * 1000 <= epoch_ms(hi); t += step) {
            const time_point tp{seconds(t)};
            const double x = x_of(tp);
            const std::string label = format_rfc3339(tp, false);
            const std::string day = label.substr(0, 10);
            std::string text = label.substr(11, step < 60 ? 8 : 5);
            if (day != last_day) text = day + " " + text;
            last_day = day;
            out_ << "<line class=\"grid\" x1=\"" << fixed(x, 1) << "\" x2=\"" << fixed(x, 1) << "\" y1=\"" << top
                 << "\" y2=\"" << fixed(bottom, 1) << "\"/><text x=\"" << fixed(x, 1) << "\" y=\"" << fixed(bottom + 16, 1)
                 << "\" text-anchor=\"" << (x > x_of(hi) - 70 ? "end" : "middle") << "\">" << text << "</text>\n";
        }
    }

    // Incidents as bands behind the marks, the first cause's start marked by a line.
    template <class XOf>
    void incident_bands(double top, double bottom, const XOf& x_of) {
        for (std::size_t n = 0; n < r_.incidents.size(); ++n) {
            const auto& inc = r_.incidents[n];
            if (inc.members.size() < 2 || !inc.start || !inc.end) continue;
            const double x1 = x_of(*inc.start), x2 = std::max(x_of(*inc.end), x1 + 3);
            const std::string cls(to_string(inc.verdict));
            out_ << "<a href=\"#" << html_anchor(inc.id) << "\"><title>" << (n + 1) << ". " << e(inc.title)
                 << "</title><rect class=\"f-" << cls << "\" fill-opacity=\".08\" x=\"" << fixed(x1, 1) << "\" y=\""
                 << fixed(top, 1) << "\" width=\"" << fixed(x2 - x1, 1) << "\" height=\"" << fixed(bottom - top, 1)
                 << "\"/>";
            if (const problem* root = problem_by_id(r_, inc.first_cause); root && root->group.first_seen)
                out_ << "<line class=\"s-" << cls << "\" stroke-width=\"2\" stroke-dasharray=\"4 3\" x1=\""
                     << fixed(x_of(*root->group.first_seen), 1) << "\" x2=\"" << fixed(x_of(*root->group.first_seen), 1)
                     << "\" y1=\"" << fixed(top, 1) << "\" y2=\"" << fixed(bottom, 1) << "\"/>";
            out_ << "<text x=\"" << fixed(x1 + 2, 1) << "\" y=\"" << fixed(bottom - 4, 1) << "\">" << (n + 1)
                 << "</text></a>\n";
        }
    }

    void incidents() {
        if (r_.incidents.empty()) return;
        const auto& t = incident_strings_for(r_.lang);
        out_ << "<h2>" << e(t.incidents) << " (" << r_.incidents.size()
             << ")</h2>\n<div class=\"panel\">\n<ol class=\"incidents\">\n";
        for (const auto& inc : r_.incidents) {
            const std::string cls(to_string(inc.verdict));
            out_ << "<li id=\"" << html_anchor(inc.id) << "\" class=\"c-" << cls << "\"><b>[" << upper_ascii(cls) << "] "
                 << e(inc.title) << "</b>";
            if (const problem* root = problem_by_id(r_, inc.first_cause))
                out_ << "<br>" << e(t.first_cause) << ": <a href=\"#" << html_anchor(root->group.id) << "\">"
                     << e(root->group.service) << ": " << e(problem_title(*root, 120)) << "</a> <small>" << e(inc.evidence)
                     << "</small>";
            if (inc.members.size() > 1) {
                out_ << "<br>" << e(summary_label(inc, t)) << ": " << e(inc.summary);
                if (!inc.root_cause.empty()) out_ << "<br>" << e(t.root_cause) << ": " << e(inc.root_cause);
                if (!inc.llm_error.empty())
                    out_ << "<br><small>" << e(t.llm_note) << ": " << e(inc.llm_error) << "</small>";
                out_ << "\n<ul>";
                for (const auto& m : inc.members)
                    if (const problem* p = problem_by_id(r_, m.problem_id))
                        out_ << "<li><a href=\"#" << html_anchor(p->group.id) << "\">["
                             << upper_ascii(to_string(p->result.verdict)) << "] " << e(p->group.service) << ": "
                             << e(problem_title(*p, 100)) << "</a> <small>" << e(m.evidence) << "</small></li>";
                out_ << "</ul>";
            }
            if (!inc.fix_steps.empty()) {
                out_ << e(t.fix_first) << ":<ol>";
                for (const auto& st : inc.fix_steps)
                    out_ << "<li>" << e(st.action) << " <a href=\"#" << html_anchor(st.problem_id) << "\"><code>"
                         << e(st.problem_id) << "</code></a></li>";
                out_ << "</ol>";
            } else if (!inc.fix_order.empty()) {
                out_ << e(t.fix_first) << ":<ol>";
                for (const auto& f : inc.fix_order) out_ << "<li>" << e(f) << "</li>";
                out_ << "</ol>";
            }
            out_ << "</li>\n";
        }
        out_ << "</ol></div>\n";
    }

    template <class XOf>
    void timeline_marks(const problem& p, double y, const XOf& x_of) {
        const auto& g = p.group;
        const std::string cls(to_string(p.result.verdict));
        out_ << "<a href=\"#" << html_anchor(g.id) << "\"><title>[" << upper_ascii(cls) << "] " << e(problem_title(p, 80))
             << " (\xC3\x97" << g.count << ")</title>";
        if (g.first_seen && g.last_seen && *g.last_seen > *g.first_seen)
            out_ << "<line class=\"s-" << cls << "\" stroke-width=\"2\" stroke-opacity=\".35\" x1=\""
                 << fixed(x_of(*g.first_seen), 1) << "\" x2=\"" << fixed(x_of(*g.last_seen), 1) << "\" y1=\"" << fixed(y, 1)
                 << "\" y2=\"" << fixed(y, 1) << "\"/>";
        std::set<long> drawn;  // one dot per pixel column keeps big groups small on disk
        const auto dot = [&](time_point t) {
            const double x = x_of(t);
            if (!drawn.insert(static_cast<long>(x)).second) return;
            out_ << "<circle class=\"f-" << cls << "\" fill-opacity=\".8\" r=\"4\" cx=\"" << fixed(x, 1) << "\" cy=\""
                 << fixed(y, 1) << "\"/>";
        };
        for (const auto t : g.occurrences) dot(t);
        if (g.occurrences.empty()) {
            if (g.first_seen) dot(*g.first_seen);
            if (g.last_seen) dot(*g.last_seen);
        }
        out_ << "</a>\n";
    }

    void problem_list() {
        out_ << "<h2>" << e(s_.problems) << " (" << r_.problems.size() << ")</h2>\n";
        if (r_.problems.empty()) {
            out_ << "<div class=\"panel none\">" << e(s_.no_problems) << "</div>\n";
            return;
        }
        out_ << "<div class=\"toolbar\">" << e(s_.sort_by) << ":"
             << "<button type=\"button\" data-sort=\"rank\" aria-pressed=\"true\">" << e(s_.sort_urgency) << "</button>"
             << "<button type=\"button\" data-sort=\"count\" aria-pressed=\"false\">" << e(s_.count) << "</button>"
             << "<button type=\"button\" data-sort=\"first\" aria-pressed=\"false\">" << e(s_.first_seen) << "</button>"
             << "<button type=\"button\" data-sort=\"last\" aria-pressed=\"false\">" << e(s_.last_seen) << "</button>"
             << "<button type=\"button\" data-sort=\"component\" aria-pressed=\"false\">" << e(s_.component) << "</button>"
             << "<input id=\"filter\" type=\"search\" placeholder=\"" << e(s_.filter_placeholder) << "\" aria-label=\""
             << e(s_.filter_placeholder) << "\"></div>\n<div id=\"problem-list\">\n";
        for (std::size_t i = 0; i < r_.problems.size(); ++i) problem_card(r_.problems[i], i);
        out_ << "</div>\n";
    }

    void problem_card(const problem& p, std::size_t rank) {
        const auto& g = p.group;
        const auto& a = p.result;
        const std::string cls(to_string(a.verdict));
        const auto ms = [](const std::optional<time_point>& t) { return t ? epoch_ms(*t) : std::int64_t{0}; };
        out_ << "<article class=\"problem c-" << cls << "\" id=\"" << html_anchor(g.id) << "\" data-rank=\"" << rank
             << "\" data-count=\"" << g.count << "\" data-first=\"" << ms(g.first_seen) << "\" data-last=\""
             << ms(g.last_seen) << "\" data-component=\"" << e(component_label(g)) << "\">\n"
             << "<div class=\"head\"><span class=\"badge c-" << cls << "\">" << upper_ascii(cls) << "</span><h3>"
             << e(problem_title(p, 200)) << "</h3><span class=\"times\" title=\"" << e(s_.count) << "\">\xC3\x97" << g.count
             << "</span></div>\n<div class=\"sub\"><span>" << e(component_label(g)) << "</span><span>" << e(s_.log_level)
             << ": " << to_string(g.level) << "</span><span>" << e(human_time(g.first_seen, s_.unknown_time))
             << " \xE2\x86\x92 " << e(human_time(g.last_seen, s_.unknown_time)) << "</span><span class=\"chip\">"
             << e(s_.source) << ": " << e(source_label(s_, a.source))
             << (a.signature.empty() ? std::string{} : " (" + e(a.signature) + ")") << "</span><span>ID <code>" << e(g.id)
             << "</code></span></div>\n";
        if (!a.reason.empty()) out_ << "<div class=\"why\"><b>" << e(s_.why) << ":</b> " << e(a.reason) << "</div>\n";
        if (!a.duplicate_of.empty())
            out_ << "<div class=\"why\"><b>" << e(s_.duplicate_of) << ":</b> <a href=\"#" << html_anchor(a.duplicate_of)
                 << "\"><code>" << e(a.duplicate_of) << "</code></a></div>\n";
        if (a.description.empty() && a.root_cause.empty() && a.recommendations.empty()) {
            out_ << "<p class=\"none\">" << e(s_.not_explained) << "</p>\n";
        } else {
            prose(s_.description, a.description);
            prose(s_.root_cause, a.root_cause);
            if (!a.recommendations.empty()) {
                out_ << "<div class=\"label\">" << e(s_.recommendations) << "</div><ol class=\"recs\">";
                for (const auto& rec : a.recommendations) out_ << "<li>" << e(rec) << "</li>";
                out_ << "</ol>\n";
            }
            out_ << "<div class=\"conf\">" << e(s_.confidence)
                 << " <span class=\"bar\"><i style=\"width:" << percent(a.confidence) << "\"></i></span> "
                 << percent(a.confidence) << "</div>\n";
        }
        if (!a.error.empty()) out_ << "<div class=\"error\"><b>" << e(s_.llm_error) << ":</b> " << e(a.error) << "</div>\n";
        out_ << "<div class=\"label\">" << e(s_.template_label) << "</div><pre>" << e(g.template_text) << "</pre>\n";
        // the title shows a one-line exception already
        if (!g.exception.empty() && first_line(g.exception, 200) != g.exception)
            out_ << "<div class=\"label\">" << e(s_.exception) << "</div><pre>" << e(g.exception) << "</pre>\n";
        parameters(g);
        samples(g);
        out_ << "</article>\n";
    }

    void prose(std::string_view label, const std::string& text) {
        if (text.empty()) return;
        out_ << "<div class=\"label\">" << e(label) << "</div><p class=\"prose\">" << e(text) << "</p>\n";
    }

    void parameters(const log_group& g) {
        if (std::none_of(g.params.begin(), g.params.end(), [](const auto& ps) { return !ps.values.empty(); })) return;
        out_ << "<details><summary>" << e(s_.parameters) << "</summary><table><tbody>";
        for (const auto& ps : g.params) {
            if (ps.values.empty()) continue;
            out_ << "<tr><th><code>" << e(ps.name) << "</code></th><td>";
            for (std::size_t i = 0; i < ps.values.size(); ++i)
                out_ << (i ? ", " : "") << "<code>" << e(ps.values[i].value) << "</code> \xC3\x97" << ps.values[i].count;
            if (ps.distinct_dropped > 0) out_ << "; +" << ps.distinct_dropped << ' ' << e(s_.more_values);
            out_ << "</td></tr>";
        }
        out_ << "</tbody></table></details>\n";
    }

    void samples(const log_group& g) {
        if (g.samples.empty()) return;
        out_ << "<details><summary>" << e(s_.samples) << " (" << g.samples.size() << ")</summary>\n";
        for (const auto& s : g.samples) {
            std::string body = s.raw.empty() ? s.message : s.raw;
            for (const auto& l : s.continuation) body += '\n' + l;
            out_ << "<div class=\"where\">" << e(s.source) << ", " << e(s_.sample_at) << ' ' << s.line;
            if (s.timestamp) out_ << " \xC2\xB7 " << e(human_time(s.timestamp, s_.unknown_time));
            out_ << "</div><pre>" << e(body) << "</pre>\n";
        }
        out_ << "</details>\n";
    }

    void noise() {
        if (r_.noise.empty()) return;
        out_ << "<h2>" << e(s_.noise) << " (" << r_.noise.size() << ")</h2>\n<div class=\"panel\"><p class=\"none\">"
             << e(s_.noise_intro) << "</p><table><thead><tr><th>" << e(s_.component) << "</th><th class=\"num\">"
             << e(s_.count) << "</th><th>" << e(s_.template_label) << "</th><th>" << e(s_.description)
             << "</th></tr></thead><tbody>\n";
        for (const auto& p : r_.noise)
            out_ << "<tr id=\"" << html_anchor(p.group.id) << "\"><td>" << e(component_label(p.group))
                 << "</td><td class=\"num\">" << p.group.count << "</td><td><code>"
                 << e(first_line(p.group.template_text, 200)) << "</code></td><td>" << e(p.result.description)
                 << "</td></tr>\n";
        out_ << "</tbody></table></div>\n";
    }

    void more_problems() {
        if (r_.more_problems.empty()) return;
        out_ << "<h2>" << e(s_.more_problems) << " (" << r_.more_problems.size()
             << ")</h2>\n<div class=\"panel\"><p class=\"none\">" << e(s_.more_problems_intro)
             << "</p><table><thead><tr><th>id</th><th>" << e(s_.component) << "</th><th class=\"num\">" << e(s_.count)
             << "</th><th>" << e(s_.template_label) << "</th></tr></thead><tbody>\n";
        for (const auto& p : r_.more_problems)
            out_ << "<tr><td><code>" << e(p.id) << "</code> " << e(upper_ascii(to_string(p.verdict))) << "</td><td>"
                 << e(p.service) << "</td><td class=\"num\">" << p.count << "</td><td><code>"
                 << e(first_line(p.template_text, 200)) << "</code></td></tr>\n";
        out_ << "</tbody></table></div>\n";
    }

    void bounds() {
        const auto lines = bounds_lines(r_, s_);
        if (lines.empty()) return;
        out_ << "<h2>" << e(s_.bounds) << "</h2>\n<div class=\"panel\"><p class=\"none\">" << e(s_.bounds_intro)
             << "</p><ul>";
        for (const auto& l : lines) out_ << "<li>" << e(l) << "</li>";
        out_ << "</ul></div>\n";
    }

    void recommendations() {
        const auto recs = top_recommendations(r_.problems);
        const auto items = action_items(r_.problems);
        out_ << "<div class=\"grid2\">\n<section><h2>" << e(s_.top_recommendations) << "</h2><div class=\"panel\">";
        if (recs.empty()) out_ << "<p class=\"none\">" << e(s_.nothing) << "</p>";
        else {
            out_ << "<ol class=\"recs\">";
            for (const auto& [text, n] : recs)
                out_ << "<li>" << e(text) << (n > 1 ? " <span class=\"chip\">\xC3\x97" + std::to_string(n) + "</span>" : "")
                     << "</li>";
            out_ << "</ol>";
        }
        out_ << "</div></section>\n<section><h2>" << e(s_.action_items) << "</h2><div class=\"panel\">";
        if (items.empty()) out_ << "<p class=\"none\">" << e(s_.no_action_items) << "</p>";
        else {
            out_ << "<ul class=\"todo\">";
            for (const auto& [component, rec] : items) out_ << "<li><b>" << e(component) << ":</b> " << e(rec) << "</li>";
            out_ << "</ul>";
        }
        out_ << "</div></section>\n</div>\n";
    }

    void kv(std::string_view key, const std::string& value_html) {
        out_ << "<dt>" << e(key) << "</dt><dd>" << value_html << "</dd>";
    }

    std::string counts(const std::map<std::string, std::uint64_t>& m) const {
        std::string v;
        for (const auto& [k, n] : m) v += (v.empty() ? "" : ", ") + e(k) + ": " + std::to_string(n);
        return v.empty() ? e(s_.nothing) : v;
    }

    void run_details() {
        out_ << "<div class=\"grid2\">\n<section><h2>" << e(s_.inputs) << "</h2><div class=\"panel\">";
        if (!r_.inputs.empty()) {
            out_ << "<table><thead><tr><th>" << e(s_.input_file) << "</th><th class=\"num\">" << e(s_.lines)
                 << "</th><th class=\"num\">" << e(s_.bytes) << "</th><th>" << e(s_.input_error)
                 << "</th></tr></thead><tbody>";
            for (const auto& i : r_.inputs)
                out_ << "<tr><td><code>" << e(i.path) << "</code></td><td class=\"num\">" << i.lines
                     << "</td><td class=\"num\">" << i.bytes << "</td><td>" << e(i.error.empty() ? s_.input_ok : i.error)
                     << "</td></tr>";
            out_ << "</tbody></table><br>";
        }
        out_ << "<dl class=\"kv\">";
        kv(s_.lines_read, std::to_string(r_.ingest.lines));
        kv(s_.entries, std::to_string(r_.ingest.entries));
        kv(s_.below_threshold, std::to_string(r_.entries_below_threshold));
        kv(s_.skipped, counts(r_.ingest.skipped));
        kv(s_.altered, counts(r_.ingest.altered));
        kv(s_.redactions, counts(r_.redactions));
        out_ << "</dl></div></section>\n<section><h2>" << e(s_.llm_block) << "</h2><div class=\"panel\">";
        const auto& l = r_.llm;
        if (l.backend.empty() || l.backend == "none") {
            out_ << "<p class=\"none\">" << e(s_.llm_offline) << "</p>";
        } else {
            out_ << "<dl class=\"kv\">";
            kv(s_.backend, e(l.backend));
            kv(s_.model, e(l.model));
            kv(s_.server, e(l.url) + (l.server_version.empty() ? "" : " (" + e(l.server_version) + ")"));
            kv(s_.calls, std::to_string(l.calls));
            kv(s_.failures, std::to_string(l.failures));
            kv(s_.cache_hits, std::to_string(l.cache_hits));
            kv(std::string(s_.tokens) + " (" + std::string(s_.prompt_completion) + ")",
               std::to_string(l.prompt_tokens) + " / " + std::to_string(l.completion_tokens));
            kv(s_.wall_time, fixed(l.wall_seconds, 1) + " s");
            if (const auto t = triage_phrase(l.triage, r_.lang); !t.empty()) kv(s_.triage, e(t));
            out_ << "</dl>";
        }
        if (!l.note.empty()) out_ << "<p>" << e(s_.note) << ": " << e(l.note) << "</p>";
        out_ << "</div></section>\n</div>\n";
    }

    const report& r_;
    const report_strings& s_;
    std::ostream& out_;
};

}  // namespace detail

/// Writes the report as one self-contained HTML file: no network, no external fonts or scripts (a
/// Content-Security-Policy forbids them and allows only the page's own script, by hash). Summary cards,
/// an SVG timeline per component, a problem list sortable by urgency, count, time or component, and
/// samples and tracebacks in expandable blocks. Every string from a log or an LLM is HTML-escaped.
struct html_writer {
    using stage_category = writer_tag;

    [[nodiscard]] std::string_view extension() const noexcept { return "html"; }

    void write(const report& r, std::ostream& out) const { detail::html_renderer(r, out).render(); }
};

LOGLENS_NAMESPACE_END
