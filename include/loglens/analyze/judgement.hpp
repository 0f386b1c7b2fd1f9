#pragma once
// The problem judgement: which groups are problems, why, and which of them restate another one's failure.
// SPDX-License-Identifier: MIT

#include <loglens/core/types.hpp>

#include <boost/regex.hpp>

#include <algorithm>
#include <bit>
#include <chrono>
#include <cstdint>
#include <cmath>
#include <cstring>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

LOGLENS_NAMESPACE_BEGIN

/// What the judgement concluded about one group.
struct group_judgement {
    bool problem = false;
    classification verdict = classification::info;  ///< the least urgency the evidence supports
    std::string reason;                             ///< shown in reports: "logged at INFO, but: ..."
    std::size_t duplicate_of = npos;                ///< index of the group whose failure this one restates
    bool loop = false;                              ///< a wait or retry repeated to the end of the log
    bool over_benign = false;                       ///< behaviour made a known-harmless message a problem
    bool flagged_by_llm = false;                    ///< a problem because the LLM triage said so
    static constexpr std::size_t npos = static_cast<std::size_t>(-1);
};

namespace detail {

inline const boost::regex& judge_re(int which) {
    constexpr auto f = boost::regex::perl | boost::regex::icase;
    static const boost::regex res[] = {
        // 0: words that call something a failure
        boost::regex(R"(\b(fail(ed|ure|s|ing)?|errors?|exception|traceback|refused|timed out|time-?out|unreachable|)"
                     R"(not reachable|giving up|gave up|give up|lost|killed|sig(kill|term|segv|abrt)|exited|)"
                     R"(exit (code|status)|abort(ed|ing)?|fatal|panic|denied|cannot|can't|could not|couldn't|)"
                     R"(unable to|not found|does not exist|doesn't exist|no such|has been removed|was removed|)"
                     R"(is removed|no longer (supported|available)|please use|offline|unresponsive|unhealthy|)"
                     R"(crash(ed|ing)?|out of memory|oom|corrupt(ed)?|terminated|non-zero|not accepted)\b)",
                     f),
        // 1: the traps: the failure word is counted as zero, negated, conditional or followed by success
        boost::regex(
            R"(\b(0|no|zero|without|non)[ -](errors?|failures?|exceptions?|failed)\b|)"
            R"(\b(errors?|failures?|failed|exceptions?|lost|killed)\s*[=:]\s*0\b|)"
            R"(^\W*(time-?outs?|retries|max[_ ]failures)\s*[=:]\s*\d|)"  // a setting printed at start-up: `Timeout: 120`
            R"(\bif (it|this|that|the \w+) fails\b|\bin case of (an? )?(error|failure)\b|\bon (error|failure)\b|)"
            R"(\b(will be|is|are) retried\b|\bretrying\W+(ok|done|succeeded)\b|\bexit(ed)? (with )?(code|status) 0\b|)"
            R"(\b(succeeded|successfully|recovered|resolved|restored|back online|reconnected)\b)",
            f),
        // 2: a wait or retry that says the service cannot go on yet
        boost::regex(R"(\b(waiting|wait for|retrying|retry(ing)? (in|after)|reconnect(ing)?|trying again|)"
                     R"(attempt\s*#?\s*\d|\(attempt|connecting to|still (waiting|trying|starting)|not ready)\b)",
                     f),
        // 3: waiting for the peers, disks or configuration a clustered service needs
        boost::regex(R"(\bwaiting for\b.{0,40}\b(servers?|disks?|drives?|quorum|peers?|nodes?|members?|replicas?|)"
                     R"(master|leader|cluster|database|db|broker|config(uration)?|online|reachable)\b|)"
                     R"(\bto (come|be) online\b|\bto be reachable\b)",
                     f),
        // 4: a start-up banner, printed once per start of the service
        boost::regex(R"(\bis starting\b|\bjust started\b|\bstarting (the )?[a-z]+( server| master)?\s*$|)"
                     R"(\bstarted daemon\b|\bserver started\b|\bstarting gunicorn\b|\bstarting spark (master|worker)\b)",
                     f),
        // 5: members reported offline or down by a status line
        boost::regex(R"(\b[1-9]\d* (offline|down|unreachable|unavailable)\b)", f),
        // 6: a shutdown someone asked for: what the service says while stopping is no failure of its own
        boost::regex(R"(\bgracefully\b|\bwarm shutdown\b|\bcold shutdown\b|\buser requested shutdown\b|)"
                     R"(\breceived (signal )?(15|sigterm|sigint)\b|\bupon receiving signal (15|2)\b|\bshutting down\b)",
                     f),
    };
    return res[which];
}

inline bool judge_search(std::string_view s, int which) { return boost::regex_search(s.begin(), s.end(), judge_re(which)); }

/// The first failure word of `s` that no trap explains away, or empty.
inline std::string failure_word(std::string_view s) {
    if (judge_search(s, 1)) return {};
    const auto glue = [](char c) { return c == '=' || c == '_' || c == '.' || c == '/' || c == '-'; };
    boost::match_results<std::string_view::const_iterator> m;
    for (auto it = s.begin(); boost::regex_search(it, s.end(), m, judge_re(0)); it = m[0].second) {
        const auto b = static_cast<std::size_t>(m[0].first - s.begin()),
                   e = static_cast<std::size_t>(m[0].second - s.begin());
        // `error_log=`, `error.log`, `/failed/`, `errors-total`: a name, not a failure
        const bool glued = (e < s.size() && glue(s[e]) && e + 1 < s.size() && s[e + 1] != ' ') || (b > 0 && glue(s[b - 1]));
        if (!glued) return m.str(0);
    }
    return {};
}

inline std::string clock_span(double seconds, bool ru) {
    const auto n = static_cast<long long>(seconds + 0.5);
    if (n < 120) return std::to_string(n) + (ru ? " с" : " s");
    if (n < 7200) return std::to_string((n + 30) / 60) + (ru ? " мин" : " min");
    return std::to_string((n + 1800) / 3600) + (ru ? " ч" : " h");
}

/// The typical gap between occurrences when they come at a steady rate, or a negative value.
inline double steady_period(const std::vector<time_point>& occ) {
    if (occ.size() < 3) return -1;
    std::vector<double> gaps;
    for (std::size_t i = 1; i < occ.size(); ++i) gaps.push_back(std::chrono::duration<double>(occ[i] - occ[i - 1]).count());
    std::vector<double> sorted = gaps;
    std::nth_element(sorted.begin(), sorted.begin() + sorted.size() / 2, sorted.end());
    const double median = sorted[sorted.size() / 2];
    if (median < 0.2) return -1;  // a burst, not a loop
    const auto steady = std::count_if(gaps.begin(), gaps.end(),
                                      [&](double g) { return g > median * 0.4 && g < median * 2.5; });
    return static_cast<double>(steady) >= 0.7 * static_cast<double>(gaps.size()) ? median : -1;
}

/// What a service's groups say together: where its log ends, and how it ended.
struct service_view {
    std::optional<time_point> shutdown;  ///< when it began to stop on request, if it did
    std::uint64_t shutdown_line = 0;
    std::optional<time_point> last_time;
    std::uint64_t last_line = 0;
    std::size_t exit_group = group_judgement::npos;
    std::string exit_text;
};

inline bool is_exit_group(const log_group& g) {
    return g.component == "compose" && g.template_text.starts_with("container exited with code");
}

inline std::uint64_t last_line_of(const log_group& g) {
    std::uint64_t l = 0;
    for (const auto& s : g.samples) l = std::max(l, s.line);
    return l;
}

/// The last line a group's samples cover, their blocks (tracebacks, MinIO's error blocks) included.
inline std::uint64_t end_line_of(const log_group& g) {
    std::uint64_t l = 0;
    for (const auto& s : g.samples) l = std::max(l, s.line + s.continuation.size());
    return l;
}

inline std::uint64_t first_line_of(const log_group& g) {
    std::uint64_t l = 0;
    for (const auto& s : g.samples) l = l ? std::min(l, s.line) : s.line;
    return l;
}

/// True when the group begins after its service was asked to stop.
inline bool after_shutdown(const log_group& g, const service_view& v) {
    if (v.shutdown && g.first_seen) return *g.first_seen >= *v.shutdown;
    return v.shutdown_line && first_line_of(g) > v.shutdown_line;
}

inline std::string first_message(const log_group& g) {
    return g.samples.empty() ? g.template_text : g.samples.front().message;
}

/// The first sample's block (the lines after its header), bounded: status lines often come inside it.
inline std::string block_text(const log_group& g) {
    std::string t;
    if (g.samples.empty()) return t;
    const auto& c = g.samples.front().continuation;
    for (std::size_t i = 0; i < c.size() && i < 40; ++i) t.append(c[i].substr(0, 512)).push_back('\n');
    return t;
}

inline std::string level_word(severity s) {
    std::string w(to_string(s));
    for (auto& c : w) c = static_cast<char>(c - 32 * (c >= 'a' && c <= 'z'));
    return w;
}


/// True when `occ_q` mostly comes within 2 s of `occ_p`: a line printed with every occurrence of another.
inline bool comes_with(std::vector<time_point> occ_p, std::vector<time_point> occ_q) {
    if (occ_p.empty() || occ_q.empty()) return false;
    const auto lo = std::min(occ_p.size(), occ_q.size()), hi = std::max(occ_p.size(), occ_q.size());
    if (hi > 2 * lo + 1) return false;
    std::sort(occ_p.begin(), occ_p.end());
    std::sort(occ_q.begin(), occ_q.end());
    std::size_t near = 0, k = 0;
    for (const auto& t : occ_q) {
        while (k + 1 < occ_p.size() && occ_p[k + 1] <= t) ++k;
        const auto d = [&](std::size_t i) { return std::abs(std::chrono::duration<double>(occ_p[i] - t).count()); };
        if (d(k) <= 2.0 || (k + 1 < occ_p.size() && d(k + 1) <= 2.0)) ++near;
    }
    return static_cast<double>(near) >= 0.6 * static_cast<double>(occ_q.size());
}

inline std::string_view trimmed(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '.')) s.remove_suffix(1);
    return s;
}

/// True when the wait or retry loop `l` ends where `t` begins: the loop waited for what `t` then gave up on.
inline bool loop_ends_in(const log_group& l, const log_group& t) {
    if (l.service != t.service) return false;
    if (l.last_seen && t.first_seen) {
        const double d = std::chrono::duration<double>(*t.first_seen - *l.last_seen).count();
        return d >= -1.0 && d <= 60.0;
    }
    const auto lt = last_line_of(l);
    std::uint64_t tf = 0;
    for (const auto& s : t.samples) tf = tf ? std::min(tf, s.line) : s.line;
    return tf + 1 >= lt && tf <= lt + 6;
}

/// Two single entries, one right after the other in the same service, when at least one has no time to tell
/// them apart: one failure told twice.
inline bool adjacent_singles(const log_group& p, const log_group& q) {
    if (p.service != q.service || p.count != 1 || q.count != 1 || (p.first_seen && q.first_seen)) return false;
    const auto bp = first_line_of(p), bq = first_line_of(q);
    if (!bp || !bq) return false;
    return bp < bq ? bq <= end_line_of(p) + 3 : bp <= end_line_of(q) + 3;
}

/// `redis.replica` of `redis.replica-sync-failing`: the signatures of one topic describe one failure.
inline std::string_view topic_of(std::string_view id) {
    const auto dash = id.find('-', id.find('.') + 1);
    return id.substr(0, dash);
}

/// Two loops with no time that run side by side: as many occurrences, first and last lines close together.
inline bool same_cycle_by_lines(const log_group& p, const log_group& q) {
    if (p.service != q.service || p.first_seen || q.first_seen || p.count < 2 || q.count < 2) return false;
    if ((p.count > q.count ? p.count - q.count : q.count - p.count) > 1) return false;
    const auto near = [](std::uint64_t a, std::uint64_t b) { return (a > b ? a - b : b - a) <= 4; };
    return near(first_line_of(p), first_line_of(q)) && near(last_line_of(p), last_line_of(q));
}

/// Whether group `q` restates the failure of the more urgent group `p`.
inline bool restates(const log_group& p, const analysis& ap, const group_judgement& jp, const log_group& q,
                     const analysis& aq, const group_judgement& jq) {
    if (jq.loop && loop_ends_in(q, p)) return true;
    if (jp.loop && loop_ends_in(p, q)) return true;
    const bool sig_p = ap.source == analysis_source::knowledge_base && !ap.signature.empty();
    const bool sig_q = aq.source == analysis_source::knowledge_base && !aq.signature.empty();
    if (sig_p && sig_q)
        return ap.signature == aq.signature || (p.service == q.service && topic_of(ap.signature) == topic_of(aq.signature));
    const std::string mp = first_message(p), mq = first_message(q);
    const auto tp = trimmed(mp), tq = trimmed(mq);
    if (tp.size() >= 16 && tq.find(tp) != std::string_view::npos) return true;
    if (tq.size() >= 16 && tp.find(tq) != std::string_view::npos) return true;
    return p.service == q.service &&
           (comes_with(p.occurrences, q.occurrences) || adjacent_singles(p, q) || same_cycle_by_lines(p, q));
}

inline bool more_urgent_judged(const log_group& a, const group_judgement& ja, const log_group& b,
                               const group_judgement& jb) {
    if (ja.verdict != jb.verdict) return ja.verdict > jb.verdict;
    if (a.level != b.level) return a.level > b.level;
    if (a.count != b.count) return a.count > b.count;
    return a.first_seen && b.first_seen && *a.first_seen < *b.first_seen;
}

inline void link_duplicates(std::span<const log_group> groups, std::span<const analysis> known,
                            std::vector<group_judgement>& out, const std::map<std::string, service_view>& services,
                            bool ru) {
    constexpr auto npos = group_judgement::npos;
    // the exit line belongs to the last failure its service logged before it
    for (const auto& [name, v] : services) {
        if (v.exit_group == npos) continue;
        std::size_t last = npos;
        for (std::size_t i = 0; i < groups.size(); ++i) {
            if (i == v.exit_group || groups[i].service != name || !out[i].problem) continue;
            const auto later = [&](std::size_t a, std::size_t b) {
                if (groups[a].last_seen && groups[b].last_seen) return *groups[a].last_seen > *groups[b].last_seen;
                return last_line_of(groups[a]) > last_line_of(groups[b]);
            };
            if (last == npos || later(i, last)) last = i;
        }
        if (last == npos) continue;
        out[v.exit_group].duplicate_of = last;
        const std::string code = v.exit_text.substr(v.exit_text.rfind(' ') + 1);
        out[v.exit_group].reason += ru ? "; завершает сбой выше" : "; ends the failure above";
        out[last].reason += ru ? "; после этого сервис завершился с кодом " + code
                               : "; then the service exited with code " + code;
        out[last].verdict = std::max(out[last].verdict, classification::major);
    }
    std::vector<std::size_t> order;
    for (std::size_t i = 0; i < groups.size(); ++i)
        if (out[i].problem && out[i].duplicate_of == npos) order.push_back(i);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return more_urgent_judged(groups[a], out[a], groups[b], out[b]);
    });
    for (std::size_t n = 0; n < order.size(); ++n) {
        const std::size_t q = order[n];
        for (std::size_t m = 0; m < n; ++m) {
            const std::size_t p = order[m];
            if (!restates(groups[p], known[p], out[p], groups[q], known[q], out[q])) continue;
            std::size_t root = p;  // a restatement of a restatement belongs to the first report
            while (out[root].duplicate_of != npos) root = out[root].duplicate_of;
            out[q].duplicate_of = root;
            break;
        }
    }
}


/// The 4-letter word stems a line below the threshold needs for the judgement to see it: failures, waits,
/// retries, start-up banners, members and disks. Checked per word by a bit table, so the test costs little
/// more than reading the message once.
inline constexpr std::string_view judge_stems[] = {
    "wait", "retr", "reco", "atte", "conn", "star", "fail", "erro", "exce", "trac", "refu", "time", "unre",
    "reac", "givi", "gave", "give", "lost", "kill", "sigk", "sigt", "exit", "abor", "fata", "pani", "deni",
    "cann", "coul", "unab", "foun", "exis", "remo", "plea", "depr", "offl", "down", "unhe", "cras", "oom",
    "memo", "corr", "term", "onli", "such", "quor", "peer", "disk", "driv", "mast", "acce", "inva", "miss"};

constexpr std::uint32_t stem_key(std::string_view w) noexcept {
    std::uint32_t k = 0;
    for (std::size_t i = 0; i < 4; ++i) k = (k << 8) | (i < w.size() ? static_cast<unsigned char>(ascii_lower(w[i])) : 0u);
    return k;
}
constexpr std::uint32_t stem_bucket(std::uint32_t k) noexcept { return (k * 2654435761u) >> 22; }  // 1024 buckets

// An open-addressing table of the stems' keys: one probe (rarely two) per word, no list to walk.
struct stem_table {
    std::uint32_t keys[1024]{};  // 0: empty; a stem's key is never 0
    constexpr stem_table() {
        for (auto s : judge_stems) {
            auto b = stem_bucket(stem_key(s));
            while (keys[b] != 0) b = (b + 1) & 1023;
            keys[b] = stem_key(s);
        }
    }
    [[nodiscard]] constexpr bool holds(std::uint32_t k) const noexcept {
        for (auto b = stem_bucket(k); keys[b] != 0; b = (b + 1) & 1023)
            if (keys[b] == k) return true;
        return false;
    }
};
inline constexpr stem_table stems{};

// The stems' first two letters, one bit per pair: most words of a line start with a pair no stem has, and a bit
// test rules them out before the key is built and looked up.
struct stem_pairs {
    std::uint64_t bits[11]{};  // 26 * 26 pairs
    static constexpr unsigned pair(char a, char b) noexcept {
        return static_cast<unsigned>(((a | 0x20) - 'a') * 26 + ((b | 0x20) - 'a'));
    }
    constexpr stem_pairs() {
        for (auto s : judge_stems) bits[pair(s[0], s[1]) / 64] |= std::uint64_t{1} << (pair(s[0], s[1]) % 64);
    }
    [[nodiscard]] constexpr bool holds(char a, char b) const noexcept {
        return (bits[pair(a, b) / 64] >> (pair(a, b) % 64)) & 1u;
    }
};
inline constexpr stem_pairs stem_starts{};

/// True when a message below the threshold may be a failure, a wait or a banner, and so is worth grouping.
inline bool worth_judging(std::string_view m) noexcept {
    // Asked of most lines of a busy log, so it finds the words eight bytes at a time: a word (ASCII letters) is
    // looked at only where it starts, by its first four letters.
    const char* const s = m.data();
    const std::size_t n = m.size();
    const auto letter = [](char c) { return static_cast<unsigned char>((c | 0x20) - 'a') < 26; };
    const auto stem_at = [&](std::size_t at) {
        std::size_t len = 1;
        while (len < 4 && at + len < n && letter(s[at + len])) ++len;
        if (len < 3 || !stem_starts.holds(s[at], s[at + 1])) return false;
        std::uint32_t k = 0;  // stem_key, inline: the first four letters (three of a three-letter word), folded
        for (std::size_t i = 0; i < 4; ++i) k = (k << 8) | (i < len ? static_cast<unsigned char>(s[at + i] | 0x20) : 0u);
        return stems.holds(k);
    };
    constexpr std::uint64_t high = 0x8080808080808080ull, ones = 0x0101010101010101ull;
    bool in_word = false;  // the byte before `i` is a letter
    std::size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        std::uint64_t w;
        std::memcpy(&w, s + i, 8);
        // per byte, with the top bit as the answer: ASCII, and 'a' <= (byte | 0x20) <= 'z' (no carry crosses)
        const std::uint64_t y = (w | 0x20 * ones) & ~high;
        const std::uint64_t letters = (y + 0x1f * ones) & ~(y + 0x05 * ones) & ~w & high;
        for (std::uint64_t starts = letters & ~((letters << 8) | (in_word ? 0x80u : 0u)); starts != 0; starts &= starts - 1)
            if (stem_at(i + (static_cast<std::size_t>(std::countr_zero(starts)) >> 3))) return true;
        in_word = (letters >> 63) != 0;
    }
    for (; i < n; ++i) {
        const bool l = letter(s[i]);
        if (l && !in_word && stem_at(i)) return true;
        in_word = l;
    }
    return false;
}

}  // namespace detail

/// @brief Judges every group of a run at once, per template (never per line).
///
/// `known` holds each group's offline analysis (knowledge base or heuristic). A group is a problem when a
/// non-benign signature explains it, or when its level is at least `threshold` and nothing shows it harmless,
/// or, below the threshold, when its words or its behaviour show a failure: a failure word that no trap
/// (`0 errors`, `errors=0`, `if it fails`, `retrying... ok`) explains away, a wait for peers or disks, a status
/// line with members offline, a wait or retry that repeats to the end of the service's log, a start-up banner
/// seen again and again (a restart loop). A service's last problem before `exited with code N` says so. One
/// failure is reported once: a group that restates another (the same signature, a wrapper quoting its text, a
/// line that comes with every occurrence of a more urgent one) gets `duplicate_of`.
inline std::vector<group_judgement> judge_groups(std::span<const log_group> groups, std::span<const analysis> known,
                                                 severity threshold, language lang = language::en) {
    using namespace detail;
    const bool ru = lang == language::ru;
    std::vector<group_judgement> out(groups.size());
    std::map<std::string, service_view> services;
    for (std::size_t i = 0; i < groups.size(); ++i) {
        const auto& g = groups[i];
        auto& v = services[g.service];
        if (g.last_seen && (!v.last_time || *g.last_seen > *v.last_time)) v.last_time = g.last_seen;
        v.last_line = std::max(v.last_line, last_line_of(g));
        if (judge_search(g.template_text, 6)) {
            if (g.first_seen && (!v.shutdown || *g.first_seen < *v.shutdown)) v.shutdown = g.first_seen;
            const auto l = first_line_of(g);
            if (l && (!v.shutdown_line || l < v.shutdown_line)) v.shutdown_line = l;
        }
        if (is_exit_group(g)) {
            v.exit_group = i;
            v.exit_text = g.template_text;
        }
    }
    for (std::size_t i = 0; i < groups.size(); ++i) {
        const auto& g = groups[i];
        const auto& a = known[i];
        auto& j = out[i];
        const auto& v = services[g.service];
        const std::string text = g.template_text + "\n" + first_message(g) + "\n" + g.exception;
        const std::string lvl = level_word(g.level);
        const bool below = g.level < threshold;
        std::vector<std::string> evidence;
        classification verdict = classification::warning;
        const double period = steady_period(g.occurrences);
        const bool to_the_end = (v.last_time && g.last_seen &&
                                 std::chrono::duration<double>(*v.last_time - *g.last_seen).count() <=
                                     std::max(3 * period, 10.0)) ||
                                (!g.last_seen && last_line_of(g) + 6 >= v.last_line);
        if (g.count >= 3 && judge_search(text, 2) && to_the_end && (period > 0 || g.occurrences.empty())) {
            std::string e = ru ? "повторяется" : "repeats";
            if (period > 0) {
                const double span = std::chrono::duration<double>(g.occurrences.back() - g.occurrences.front()).count();
                e += (ru ? " каждые " : " every ") + clock_span(period, ru) + (ru ? " в течение " : " for ") +
                     clock_span(span, ru);
            } else e += " " + std::to_string(g.count) + (ru ? " раз" : " times");
            evidence.push_back(e + (ru ? " без продвижения (цикл ожидания или повторов до конца лога)"
                                       : " with no progress (a wait or retry loop until the end of the log)"));
            verdict = classification::major;
            j.loop = true;
        }
        if (g.count >= 3 && judge_search(g.template_text, 4) && g.occurrences.size() >= 3) {
            const double span = std::chrono::duration<double>(g.occurrences.back() - g.occurrences.front()).count();
            if (span >= 10) {
                evidence.push_back(ru ? "баннер запуска встречается " + std::to_string(g.count) + " раз за " +
                                            clock_span(span, ru) + " (сервис перезапускается по кругу)"
                                      : "start-up banner seen " + std::to_string(g.count) + " times in " +
                                            clock_span(span, ru) + " (a restart loop)");
                verdict = classification::major;
            }
        }
        if (a.benign) {
            // known harmless words; only behaviour (a loop, a restart loop) makes them a problem
            if (evidence.empty()) {
                j.reason = (ru ? "известное безобидное сообщение (" : "known harmless (") + a.signature + ")";
                continue;
            }
            j.over_benign = true;
        } else {
            if (judge_search(text, 3))
                evidence.push_back(ru ? "ждёт нужные ему узлы, диски или конфигурацию"
                                      : "waits for peers, disks or configuration it needs");
            if (judge_search(first_message(g) + "\n" + block_text(g), 5))
                evidence.push_back(ru ? "сообщает об узлах или дисках офлайн" : "reports members offline");
        }
        if (!a.benign && a.source == analysis_source::knowledge_base) {
            evidence.push_back((ru ? "известный сбой " : "known failure ") + a.signature);
            verdict = std::max(verdict, a.verdict);
        }
        const std::string word = a.benign ? std::string{} : failure_word(text);
        if (!word.empty() && below && !after_shutdown(g, v))
            evidence.push_back((ru ? "пишет «" : "says \"") + word + (ru ? "»" : "\""));
        if (!below && evidence.empty()) {
            j.problem = true;
            j.verdict = std::max(a.verdict, classification_for(g.level));
            j.reason = (ru ? "записано с уровнем " : "logged at ") + lvl;
            continue;
        }
        if (evidence.empty()) continue;
        j.problem = true;
        j.verdict = below ? verdict : std::max({verdict, a.verdict, classification_for(g.level)});
        j.reason = (ru ? "записано с уровнем " : "logged at ") + lvl + (below ? (ru ? ", но: " : ", but: ") : "; ");
        for (std::size_t k = 0; k < evidence.size(); ++k) j.reason += (k ? "; " : "") + evidence[k];
    }
    link_duplicates(groups, known, out, services, ru);
    return out;
}

LOGLENS_NAMESPACE_END
