#pragma once
// `loglens watch`'s output: the problems of a live run as events (JSON lines or plain lines) or a table redrawn in place.
// SPDX-License-Identifier: MIT

#include <loglens/loglens.hpp>

#include <boost/json.hpp>

#include <sys/ioctl.h>
#include <unistd.h>

#include <chrono>
#include <deque>
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace loglens_cli {

/// How the watch shows what it finds.
enum class watch_output { json, lines, table };

/// @brief The problems of a live run and what changed about them, told as events or shown as a table.
///
/// A group is shown once it is a problem as the batch report would call it (at or above the threshold or judged
/// a problem below it, and not known noise), with the knowledge base's explanation at once; the LLM's comes as
/// an `analysis` event. A problem spikes when the last `spike_window` brought at least `spike_min` of its entries
/// and more than half of all of them; it is calm again when the last window brought fewer than a quarter of that.
class watch_view {
public:
    static constexpr std::chrono::seconds spike_window{10};
    static constexpr std::uint64_t spike_min = 20;

    struct settings {
        watch_output output = watch_output::lines;
        loglens::severity min_severity = loglens::severity::warning;
        loglens::language lang = loglens::language::en;
        const loglens::report* baseline = nullptr;
        bool colour = false;
        const loglens::knowledge_base* kb = nullptr;  ///< with the user's entries (--kb); none: the built-in one
    };

    explicit watch_view(settings s) : s_(s), dirty_(s.output == watch_output::table) {
        if (s_.baseline) {
            baseline_problems_ = loglens::detail::all_problems(*s_.baseline);
            baseline_index_.emplace(baseline_problems_);
        }
    }

    /// Looks at a snapshot: new problems, identities that changed, spikes and calm. Returns the digests of the
    /// problems shown, for the analysis stage.
    template <class Grouper>
    loglens::group_snapshot update(const loglens::group_snapshot& snap, const Grouper& grouper, loglens::live_time now) {
        loglens::group_snapshot shown;
        for (const auto& d : snap.groups) {
            auto it = problems_.find(d.id);
            if (it == problems_.end()) {
                if (!admit(d, grouper, now)) continue;
                it = problems_.find(d.id);
            } else {
                it->second.count = d.count;
                it->second.level = d.level;
                it->second.last_seen = d.last_seen;
            }
            follow_rate(it->second, now);
            shown.groups.push_back(d);
        }
        dirty_ = dirty_ || !shown.groups.empty();
        return shown;
    }

    /// The analysis stage finished `id`: an LLM's explanation (or why it failed) replaces the knowledge base's.
    void analysed(const std::string& id, const loglens::analysis& a) {
        const auto it = problems_.find(id);
        if (it == problems_.end() || (a.source != loglens::analysis_source::llm && a.error.empty())) return;
        auto& p = it->second;
        if (a.source == loglens::analysis_source::llm) {
            p.explanation = a.description;
            p.source = "llm";
        }
        boost::json::object o = base("analysis", p);
        o["source"] = std::string(loglens::to_string(a.source));
        o["description"] = a.description;
        o["root_cause"] = a.root_cause;
        o["verdict"] = std::string(loglens::to_string(a.verdict));
        if (!a.error.empty()) o["error"] = a.error;
        emit(o, "analysed", p, a.error.empty() ? a.description : a.error);
    }

    /// Redraws the table when something changed, at most every `min_interval`.
    void redraw(std::chrono::steady_clock::time_point now, std::chrono::milliseconds min_interval) {
        if (s_.output != watch_output::table || !dirty_ || now - drawn_ < min_interval) return;
        drawn_ = now;
        dirty_ = false;
        draw();
    }

    [[nodiscard]] std::size_t problems() const noexcept { return problems_.size(); }

private:
    struct shown_problem {
        std::string id, service, template_text, explanation, source;
        loglens::severity level = loglens::severity::info;
        std::uint64_t count = 0;
        std::optional<loglens::time_point> last_seen;
        bool new_since_baseline = false;
        bool spiking = false;
        std::deque<std::pair<loglens::live_time, std::uint64_t>> history;  ///< counts over the last window
    };

    template <class Grouper>
    bool admit(const loglens::group_digest& d, const Grouper& grouper, loglens::live_time now) {
        auto& seen = judged_[d.key];
        // a group judged no problem is looked at again only when its count doubled (a loop builds up)
        if (seen.id == d.id && d.count < 2 * seen.count) return false;
        seen = {d.id, d.count};
        const auto g = grouper.group(d);
        const auto known = loglens::offline_analysis(g, s_.lang, s_.kb ? *s_.kb : loglens::knowledge_base::builtin());
        const auto v = loglens::judge_groups(std::span(&g, 1), std::span(&known, 1), s_.min_severity, s_.lang).front();
        if (g.level < s_.min_severity && !v.problem) return false;
        if (known.benign && !(v.problem && v.over_benign)) return false;
        shown_problem p{
            d.id,    d.service, d.template_text, known.description, std::string(loglens::to_string(known.source)),
            d.level, d.count,   d.last_seen};
        p.new_since_baseline = baseline_index_ && !baseline_index_->find(g);
        p.history.emplace_back(now, d.count);
        const auto was = std::exchange(by_key_[d.key], d.id);
        auto& stored = problems_.emplace(d.id, std::move(p)).first->second;
        const bool changed = !was.empty() && was != d.id;
        boost::json::object o = base(changed ? "changed" : "new", stored);
        if (changed) o["was"] = was;
        o["explanation"] = stored.explanation;
        o["source"] = stored.source;
        o["verdict"] = std::string(loglens::to_string(std::max(known.verdict, v.verdict)));
        emit(o, changed ? "changed" : (stored.new_since_baseline ? "NEW" : "new"), stored, stored.explanation);
        return true;
    }

    void follow_rate(shown_problem& p, loglens::live_time now) {
        if (p.history.empty() || p.history.back().second != p.count) p.history.emplace_back(now, p.count);
        while (p.history.size() > 1 && now - p.history[1].first >= spike_window) p.history.pop_front();
        const std::uint64_t base_count = now - p.history.front().first >= spike_window ? p.history.front().second : 0;
        const std::uint64_t recent = p.count - std::min(base_count, p.count);
        if (!p.spiking && recent >= spike_min && 2 * recent > p.count) {
            p.spiking = true;
            auto o = base("spiking", p);
            o["last_10s"] = recent;
            emit(o, "spiking", p, std::to_string(recent) + " in the last 10 s");
        } else if (p.spiking && 4 * recent < spike_min) {
            p.spiking = false;
            auto o = base("calm", p);
            o["last_10s"] = recent;
            emit(o, "calm", p, std::to_string(recent) + " in the last 10 s");
        }
    }

    boost::json::object base(const char* event, const shown_problem& p) const {
        boost::json::object o;
        o["event"] = event;
        o["id"] = p.id;
        o["service"] = p.service;
        o["level"] = std::string(loglens::to_string(p.level));
        o["template"] = p.template_text;
        o["count"] = p.count;
        o["last_seen"] = loglens::detail::format_rfc3339(p.last_seen);
        o["at"] = loglens::detail::format_rfc3339(
            std::chrono::time_point_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now()));
        if (s_.baseline) o["new_since_baseline"] = p.new_since_baseline;
        return o;
    }

    void emit(const boost::json::object& o, const char* tag, const shown_problem& p, const std::string& text) {
        dirty_ = true;
        if (s_.output == watch_output::json) {
            std::cout << boost::json::serialize(o) << std::endl;
        } else if (s_.output == watch_output::lines) {
            std::cout << tag << ' ' << loglens::to_string(p.level) << ' ' << loglens::detail::terminal_text(p.service)
                      << " x" << p.count << ' ' << p.id << ": " << loglens::detail::terminal_text(cut(p.template_text, 160))
                      << " -- " << loglens::detail::terminal_text(cut(text, 200)) << std::endl;
        }
    }

    static std::string cut(std::string_view s, std::size_t n) {
        const auto nl = s.find('\n');
        s = s.substr(0, nl);
        if (s.size() <= n) return std::string(s);
        std::size_t k = n;
        while (k > 0 && (static_cast<unsigned char>(s[k]) & 0xC0) == 0x80) --k;  // not inside a UTF-8 sequence
        return std::string(s.substr(0, k)) + "...";
    }

    void draw() const {
        winsize ws{};
        const int rows = ::ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 4 ? ws.ws_row : 24;
        const std::size_t width = ws.ws_col > 40 ? ws.ws_col : 100;
        std::vector<const shown_problem*> order;
        for (const auto& [id, p] : problems_) order.push_back(&p);
        std::sort(order.begin(), order.end(), [](const shown_problem* a, const shown_problem* b) {
            if (a->new_since_baseline != b->new_since_baseline) return a->new_since_baseline;
            if (a->level != b->level) return a->level > b->level;
            return a->last_seen > b->last_seen;
        });
        std::string out = "\x1b[H\x1b[2J";
        out += "loglens watch: " + std::to_string(problems_.size()) + " problems (Ctrl-C ends with a final report)\n";
        out += "SEVERITY  SERVICE              COUNT   LAST SEEN                EXPLANATION\n";
        const std::size_t room = static_cast<std::size_t>(rows - 3);
        for (std::size_t i = 0; i < order.size() && i < room; ++i) {
            const auto& p = *order[i];
            const auto last = loglens::detail::format_rfc3339(p.last_seen);
            char head[96];
            std::snprintf(
                head, sizeof head, "%-9s %-20.20s %7llu %-24.24s ", std::string(loglens::to_string(p.level)).c_str(),
                loglens::detail::terminal_text(p.service).c_str(), static_cast<unsigned long long>(p.count), last.c_str());
            const bool mark = p.new_since_baseline || p.spiking;
            if (mark && s_.colour) out += "\x1b[1m";
            out += head;
            std::string text = (p.new_since_baseline ? "NEW " : "") + std::string(p.spiking ? "SPIKING " : "") +
                               cut(p.explanation.empty() ? p.template_text : p.explanation, width);
            out += cut(loglens::detail::terminal_text(text), width > 65 ? width - 65 : 20);
            if (mark && s_.colour) out += "\x1b[0m";
            out += '\n';
        }
        if (order.size() > room) out += "... " + std::to_string(order.size() - room) + " more in the report\n";
        std::cout << out << std::flush;
    }

    struct judged {
        std::string id;
        std::uint64_t count = 0;
    };

    settings s_;
    std::vector<const loglens::problem*> baseline_problems_;
    std::optional<loglens::detail::problem_index> baseline_index_;
    std::map<std::string, shown_problem> problems_;
    std::unordered_map<std::size_t, std::string> by_key_;
    std::unordered_map<std::size_t, judged> judged_;
    bool dirty_ = false;
    std::chrono::steady_clock::time_point drawn_{};
};

}  // namespace loglens_cli
