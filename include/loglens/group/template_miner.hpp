#pragma once
// The online template miner: masks values, groups messages by shape, and merges templates whose wording varies.

#include <loglens/core/concepts.hpp>
#include <loglens/detail/hash.hpp>
#include <loglens/group/detail/tokenize.hpp>
#include <loglens/group/identity.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <numeric>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

LOGLENS_NAMESPACE_BEGIN

/// Bounds of what a group keeps; the same for every input (there is deliberately nothing to tune per dataset).
struct template_miner_limits {
    std::size_t max_samples = 5;         ///< first, last, and up to three distinct variants
    std::size_t max_param_values = 10;   ///< values kept per variable position, with exact counts
    std::size_t max_occurrences = 512;   ///< timestamps kept; beyond it they are thinned evenly
    std::size_t shape_cache = 1u << 20;  ///< remembered message shapes (a speed cache, not needed for results)
};

namespace detail {

/// A fast, stable hash of a value (values are compared by it before their text).
inline std::uint64_t quick_hash(std::string_view s) noexcept { return bytes_hash(s); }

inline constexpr std::uint64_t wild_hash = 0x2545f4914f6cdd1dull;

/// One word of a template: its shape, or a wildcard that matches any word (that starts with its label).
struct template_word {
    std::uint64_t hash = 0;  ///< of the shape; of the label for a wildcard
    std::string shape;  ///< constants verbatim, `<*>` for each variable
    std::string label;  ///< wildcard: constant text every word here starts with (`environment:`), often none
    bool wildcard = false;
    bool anchor = false;       ///< holds constant letters: wording, not only values and punctuation
    bool identifier = false;   ///< a name from code or configuration (`tickTime`, `autopurge.purgeInterval`)
    std::uint32_t params = 0;  ///< variables in this word (1 for a wildcard)
};

/// A name from code or configuration: letters in camelCase or dotted (`maxSessionTimeout`, `java.home`).
/// Such a name says which setting or class a message is about, so siblings that differ in it stay apart.
inline bool is_identifier(std::string_view w) noexcept {
    if (w.size() < 4 || !is_alpha(w.front()) || !is_alpha(w.back())) return false;
    bool camel = false, dotted = false;
    for (std::size_t i = 1; i < w.size(); ++i) {
        const char c = w[i], p = w[i - 1];
        if (c == '.') {
            if (!is_alpha(p) || i + 1 >= w.size() || !is_alpha(w[i + 1])) return false;
            dotted = true;
        } else if (is_upper(c)) {
            camel = camel || is_lower(p);
        } else if (!is_alpha(c) && c != '_') {
            return false;
        }
    }
    return camel || dotted;
}

/// Message shape hash -> template node: open addressing in a power-of-two table, so a lookup is a mask and
/// a probe or two, not the division of a node-based map. Hash 0 marks an empty slot (a zero hash is stored as 1).
class shape_table {
public:
    [[nodiscard]] const std::uint32_t* find(std::uint64_t h) const noexcept {
        if (slots_.empty()) return nullptr;
        h = h ? h : 1;
        for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
            if (slots_[i].key == h) return &slots_[i].node;
            if (slots_[i].key == 0) return nullptr;
        }
    }
    void insert(std::uint64_t h, std::uint32_t node) {
        if ((size_ + 1) * 2 > slots_.size()) grow();
        place(h ? h : 1, node);
        ++size_;
    }
    [[nodiscard]] std::size_t size() const noexcept { return size_; }

private:
    struct slot {
        std::uint64_t key = 0;
        std::uint32_t node = 0;
    };
    void place(std::uint64_t h, std::uint32_t node) noexcept {
        std::size_t i = h & mask_;
        while (slots_[i].key != 0) i = (i + 1) & mask_;
        slots_[i] = slot{h, node};
    }
    void grow() {
        std::vector<slot> old(slots_.empty() ? 64 : slots_.size() * 2);
        old.swap(slots_);
        mask_ = slots_.size() - 1;
        for (const auto& s : old)
            if (s.key != 0) place(s.key, s.node);
    }
    std::vector<slot> slots_;
    std::size_t mask_ = 0, size_ = 0;
};

/// Linear-counting sketch: estimates how many distinct values were dropped, in 256 bytes.
struct distinct_sketch {
    std::uint64_t bits[32] = {};
    void add(std::uint64_t h) noexcept { bits[(h >> 6) & 31] |= 1ull << (h & 63); }
    void merge(const distinct_sketch& o) noexcept {
        for (std::size_t i = 0; i < 32; ++i) bits[i] |= o.bits[i];
    }
    [[nodiscard]] std::uint64_t estimate() const noexcept {
        constexpr double m = 2048.0;
        int ones = 0;
        for (auto b : bits) ones += __builtin_popcountll(b);
        if (ones == 0) return 0;
        const double zeros = m - ones;
        const double e = zeros < 1 ? m * std::log(m) : -m * std::log(zeros / m);
        return static_cast<std::uint64_t>(std::llround(e));
    }
};

}  // namespace detail

/// @brief Groups log entries into templates online, with one configuration for every kind of log.
///
/// A message is split into words; values (numbers, addresses, ids, paths, times, sizes, key=value values, ...)
/// are masked, and words that are values one after the other count as one value. Messages with the same
/// shape form a template. When several templates of a service differ in exactly one word, and enough of
/// them do (`merge_after`), that word is a variable too and they merge into one (`Invalid user <*> from <*>`).
/// An entry with a traceback is grouped by its header line together with its masked exception.
/// `add` returns a key; `resolve(key)` gives the index of its group in `groups()` at any later time.
class template_miner {
public:
    using stage_category = grouper_tag;

    /// How many templates must differ in one word before that word is taken for a variable. Four distinct
    /// words in one position can still be a closed set (`VM Started`, `VM Paused`, `VM Resumed`, `VM Stopped`).
    static constexpr std::size_t merge_after = 5;
    /// Words of wording a template must keep after a word of it became a variable.
    static constexpr std::size_t min_anchors = 2;

    template_miner() = default;
    explicit template_miner(template_miner_limits limits) : limits_(limits) {
        if (limits_.max_samples < 2) limits_.max_samples = 2;
        if (limits_.max_param_values < 1) limits_.max_param_values = 1;
        if (limits_.max_occurrences < 2) limits_.max_occurrences = 2;
    }

    std::size_t add(log_entry&& e) {
        tok_.clear();
        tok_.run(e.message);
        if (!e.exception.empty()) {
            tok_.separator();
            tok_.run(e.exception);
        }
        tok_.finish();
        const std::uint32_t svc = service_index(e.service);
        const std::uint64_t h = line_hash(svc);
        std::uint32_t node;
        if (const auto* known = cache_.find(h)) {
            node = find(*known);
        } else {
            node = place(svc);
            if (cache_.size() < limits_.shape_cache) cache_.insert(h, node);
        }
        fold(node, h, std::move(e));
        return node;
    }

    /// Every group, in order of first appearance.
    [[nodiscard]] std::vector<log_group> groups() const {
        std::vector<log_group> out;
        out.reserve(groups_.size());
        std::unordered_set<std::string> ids;
        for (std::uint32_t n = 0; n < groups_.size(); ++n) {
            if (parent_[n] != n) continue;
            out.push_back(export_group(n));
            // two templates can read the same (a log that prints `<*>` itself): the later one gets the next free
            // id of its key, so ids stay unique and, as group order is first appearance, the same in every run
            // (replicas of one service share the first id, which the later one keeps as an alias)
            auto& id = out.back().id;
            const auto base = id;
            for (std::uint64_t k = 2; !ids.insert(id).second; ++k)
                id = detail::short_id(detail::fnv1a("#" + std::to_string(k), detail::fnv1a(id)));
            if (id != base) out.back().aliases.insert(out.back().aliases.begin(), base);
        }
        return out;
    }

    /// Index in `groups()` of the group that the entry with `key` belongs to now.
    [[nodiscard]] std::size_t resolve(std::size_t key) const {
        if (order_dirty_) {
            order_.assign(groups_.size(), 0);
            std::uint32_t idx = 0;
            for (std::uint32_t n = 0; n < groups_.size(); ++n)
                if (parent_[n] == n) order_[n] = idx++;
            order_dirty_ = false;
        }
        return order_[find(static_cast<std::uint32_t>(key))];
    }

    /// Number of groups now (the size `groups()` would have).
    [[nodiscard]] std::size_t size() const noexcept { return live_; }

private:
    using var_kind = detail::var_kind;
    using var_kind_set = std::uint32_t;
    static constexpr std::uint32_t none_ = ~std::uint32_t{0};

    struct group_state {
        std::uint32_t service = 0;
        std::uint32_t message_words = 0;  ///< words before the exception separator
        std::vector<detail::template_word> words;
        std::uint32_t wildcards = 0;  ///< words that are wildcards
        std::uint64_t count = 0;
        severity level = severity::info;
        std::optional<time_point> first_seen, last_seen;
        std::vector<time_point> occurrences;
        std::uint64_t timed = 0;   ///< entries with a timestamp
        std::uint64_t stride = 1;  ///< keep one occurrence in `stride`
        std::vector<param_stats> params;
        std::vector<detail::distinct_sketch> dropped;
        std::vector<var_kind_set> kinds;
        std::vector<std::vector<std::uint64_t>> hashes;  ///< of each kept value, to compare values cheaply
        std::optional<log_entry> first, last;
        std::vector<log_entry> variants;
        std::vector<std::uint64_t> sample_shapes;
        std::string component;
    };

    std::uint32_t service_index(const std::string& s) {
        if (!services_.empty() && services_.back().first == s) return static_cast<std::uint32_t>(services_.size() - 1);
        for (std::uint32_t i = 0; i < services_.size(); ++i)
            if (services_[i].first == s) return i;
        services_.emplace_back(s, detail::mix(detail::fnv1a(s)));
        return static_cast<std::uint32_t>(services_.size() - 1);
    }

    [[nodiscard]] std::uint64_t line_hash(std::uint32_t svc) const noexcept {
        // one multiply per word keeps the chain short; the final mix spreads it to the low bits the table uses
        std::uint64_t h = services_[svc].second ^ (tok_.words.size() * 0x9e3779b97f4a7c15ull);
        for (const auto& w : tok_.words) h = (((h << 5) | (h >> 59)) ^ w.hash) * 0x9fb21c651e98df25ull;
        return detail::mix(h);
    }

    [[nodiscard]] std::uint64_t bucket_key(std::uint32_t svc, std::size_t len) const noexcept {
        return detail::mix(services_[svc].second + len * 0xd6e8feb86659fd93ull);
    }

    // Signature of a template with word `hole` left out: templates sharing it differ only in that word.
    [[nodiscard]] std::uint64_t hole_sig(const group_state& g, std::size_t hole) const noexcept {
        std::uint64_t h = bucket_key(g.service, g.words.size()) ^ detail::mix(hole + 1);
        for (std::size_t i = 0; i < g.words.size(); ++i) {
            if (i == hole) continue;
            h = detail::mix(h ^ (g.words[i].wildcard ? detail::wild_hash ^ g.words[i].hash : g.words[i].hash)) + i;
        }
        return h;
    }

    [[nodiscard]] std::uint32_t find(std::uint32_t n) const noexcept {
        while (parent_[n] != n) n = parent_[n] = parent_[parent_[n]];
        return n;
    }

    [[nodiscard]] static bool fits(const detail::template_word& t, const detail::text_word& w) noexcept {
        return t.wildcard ? t.label.empty() || w.text.starts_with(t.label) : t.hash == w.hash;
    }

    [[nodiscard]] bool matches(const group_state& g, std::uint32_t svc) const noexcept {
        if (g.service != svc || g.words.size() != tok_.words.size()) return false;
        for (std::size_t i = 0; i < g.words.size(); ++i)
            if (!fits(g.words[i], tok_.words[i])) return false;
        return true;
    }

    // A shape not seen before: join the most specific template that accepts it, or start a new one.
    std::uint32_t place(std::uint32_t svc) {
        const auto bk = bucket_key(svc, tok_.words.size());
        auto& bucket = buckets_[bk];
        std::uint32_t best = none_;
        std::size_t best_wild = ~std::size_t{0};
        for (auto n : bucket) {
            if (parent_[n] != n) continue;
            const auto& g = groups_[n];
            if (!matches(g, svc)) continue;
            std::size_t wild = 0;
            for (const auto& w : g.words) wild += w.wildcard;
            if (wild < best_wild) best = n, best_wild = wild;
        }
        if (best != none_) return best;
        const auto near = near_template(svc, bucket);
        const auto node = create(svc);
        buckets_[bk].push_back(node);
        if (near.first != none_) return generalize({near.first, node}, near.second, {});
        return merge_siblings(node);
    }

    // A template that differs from the current message in one word only, where values already vary (on either
    // side): `synchronized to <*>, stratum <*>` takes `synchronized to LOCAL(0), stratum 2`.
    [[nodiscard]] std::pair<std::uint32_t, std::size_t> near_template(std::uint32_t svc,
                                                                      const std::vector<std::uint32_t>& bucket) const {
        for (auto n : bucket) {
            if (parent_[n] != n) continue;
            const auto& g = groups_[n];
            if (g.service != svc || g.words.size() != tok_.words.size()) continue;
            std::size_t diff = 0, at = 0;
            for (std::size_t i = 0; i < g.words.size() && diff < 2; ++i)
                if (!fits(g.words[i], tok_.words[i])) ++diff, at = i;
            if (diff != 1 || g.words[at].wildcard || g.words[at].shape == "\x1e" || tok_.words[at].piece_count == 0)
                continue;
            if (g.words[at].params == 0 && !word_has_value(tok_.words[at])) continue;
            if (!keeps_wording(g, at)) continue;
            return {n, at};
        }
        return {none_, 0};
    }

    [[nodiscard]] bool word_has_value(const detail::text_word& w) const noexcept {
        for (std::uint32_t p = w.first_piece; p < w.first_piece + w.piece_count; ++p)
            if (tok_.pieces[p].kind != var_kind::none) return true;
        return false;
    }

    std::uint32_t create(std::uint32_t svc) {
        const auto node = static_cast<std::uint32_t>(groups_.size());
        group_state g;
        g.service = svc;
        g.message_words = static_cast<std::uint32_t>(tok_.words.size());
        g.words.reserve(tok_.words.size());
        for (std::size_t i = 0; i < tok_.words.size(); ++i) {
            const auto& w = tok_.words[i];
            detail::template_word tw;
            tw.hash = w.hash;
            if (w.piece_count == 0) {
                g.message_words = static_cast<std::uint32_t>(i);  // the exception separator
                tw.shape = "\x1e";
            }
            for (std::uint32_t p = w.first_piece; p < w.first_piece + w.piece_count; ++p) {
                const auto& pc = tok_.pieces[p];
                if (pc.kind == var_kind::none) {
                    tw.shape += pc.text;
                    for (char c : pc.text) tw.anchor = tw.anchor || detail::is_alpha(c);
                } else {
                    tw.shape += "<*>";
                    ++tw.params;
                }
            }
            tw.identifier = tw.params == 0 && detail::is_identifier(tw.shape);
            g.words.push_back(std::move(tw));
        }
        reset_params(g);
        groups_.push_back(std::move(g));
        parent_.push_back(node);
        ++live_;
        order_dirty_ = true;
        register_sigs(node);
        return node;
    }

    void reset_params(group_state& g) {
        std::size_t n = 0;
        for (const auto& w : g.words) n += w.params;
        g.params.assign(n, param_stats{"<*>", {}, 0});
        g.dropped.assign(n, {});
        g.kinds.assign(n, 0);
        g.hashes.assign(n, {});
    }

    void register_sigs(std::uint32_t node) {
        const auto& g = groups_[node];
        for (std::size_t i = 0; i < g.words.size(); ++i) {
            if (g.words[i].wildcard || g.words[i].shape == "\x1e") continue;
            holes_[hole_sig(g, i)].push_back(node);
        }
    }

    // When `merge_after` live templates differ only in one word, that word is a variable: merge them.
    std::uint32_t merge_siblings(std::uint32_t node) {
        for (int round = 0; round < 8; ++round) {
            bool merged = false;
            const auto& g = groups_[node];
            for (std::size_t i = 0; i < g.words.size() && !merged; ++i) {
                const auto& w = groups_[node].words[i];
                if (w.wildcard || w.identifier) continue;
                const auto anchors = anchors_besides(groups_[node], i);
                if (anchors + 1 < min_anchors) continue;  // even a label in this word would not be enough
                const auto sig = hole_sig(groups_[node], i);
                auto it = holes_.find(sig);
                if (it == holes_.end()) continue;
                auto& list = it->second;
                std::vector<std::uint32_t> live;
                for (auto n : list) {
                    // a member merged since may now belong to a template of another signature
                    const auto r = find(n);
                    if (std::find(live.begin(), live.end(), r) == live.end() && !groups_[r].words[i].wildcard &&
                        hole_sig(groups_[r], i) == sig)
                        live.push_back(r);
                }
                list = live;  // drop merged members so the list stays as small as the live templates
                if (live.size() < merge_after) continue;
                std::sort(live.begin(), live.end());
                auto label = common_label(live, i);
                if (anchors + !label.empty() < min_anchors) continue;
                node = generalize(live, i, std::move(label));
                merged = true;
            }
            if (!merged) break;
        }
        return node;
    }

    // A template must keep some wording: `<*> startup succeeded` may merge, but single words (`active`,
    // `blocked`) or `<*> (command <*>)` would be templates of nothing but values.
    [[nodiscard]] static std::size_t anchors_besides(const group_state& g, std::size_t hole) noexcept {
        std::size_t anchors = 0;
        for (std::size_t i = 0; i < g.words.size(); ++i)
            if (i != hole && !g.words[i].wildcard && g.words[i].anchor) ++anchors;
        return anchors;
    }
    [[nodiscard]] static bool keeps_wording(const group_state& g, std::size_t hole) noexcept {
        return anchors_besides(g, hole) >= min_anchors;
    }

    // The label that the differing words all start with, up to a colon (`environment:` of
    // `environment:user.dir=/` and `environment:os.name=Linux`): it is wording, and stays in the template.
    [[nodiscard]] std::string common_label(const std::vector<std::uint32_t>& members, std::size_t pos) const {
        std::string_view first = groups_[members.front()].words[pos].shape;
        std::size_t n = first.size();
        for (auto m : members) {
            const std::string_view other = groups_[m].words[pos].shape;
            std::size_t k = 0;
            while (k < n && k < other.size() && other[k] == first[k]) ++k;
            n = k;
        }
        const auto colon = first.substr(0, n).rfind(':');
        if (colon == std::string_view::npos) return {};
        const auto label = first.substr(0, colon + 1);
        if (label.find("<*>") != std::string_view::npos || std::none_of(label.begin(), label.end(), detail::is_alpha))
            return {};
        for (auto m : members)  // every word goes on after the label
            if (groups_[m].words[pos].shape.size() <= label.size()) return {};
        return std::string(label);
    }

    // A word's value at a wildcard: what follows the wildcard's label.
    [[nodiscard]] static std::string_view after_label(const detail::template_word& t, std::string_view text) noexcept {
        return text.starts_with(t.label) ? text.substr(t.label.size()) : text;
    }

    // Turns word `pos` of the first template into a wildcard and folds the others (and any template the
    // result now covers) into it. The earliest template stays the root so group order is first appearance.
    std::uint32_t generalize(const std::vector<std::uint32_t>& members, std::size_t pos, std::string label) {
        std::uint32_t root = members.front();
        {
            auto& r = groups_[root];
            const auto old_words = r.words;
            const auto at = param_index(r, pos);
            std::optional<param_stats> old_values;
            std::optional<detail::distinct_sketch> old_dropped;
            if (old_words[pos].params == 1) old_values = r.params[at], old_dropped = r.dropped[at];
            auto& w = r.words[pos];
            w.wildcard = true;
            ++r.wildcards;
            w.hash = label.empty() ? 0 : detail::quick_hash(label);
            w.shape = label + "<*>";
            w.label = std::move(label);
            w.params = 1;
            rebase_params(r, old_words);
            record_former(r, at, w, old_words[pos], old_values ? &*old_values : nullptr,
                          old_dropped ? &*old_dropped : nullptr, r.count);
        }
        for (std::size_t k = 1; k < members.size(); ++k) root = absorb(root, members[k]);
        // templates created before the wildcard existed that it now covers
        const auto bk = bucket_key(groups_[root].service, groups_[root].words.size());
        const auto bucket = buckets_[bk];
        for (auto n : bucket) {
            if (parent_[n] != n || n == root) continue;
            if (covers(groups_[root], groups_[n])) root = absorb(root, n);
        }
        register_sigs(root);
        order_dirty_ = true;
        return root;
    }

    [[nodiscard]] static std::size_t param_index(const group_state& g, std::size_t word) noexcept {
        std::size_t p = 0;
        for (std::size_t i = 0; i < word; ++i) p += g.words[i].params;
        return p;
    }

    [[nodiscard]] static bool covers(const group_state& a, const group_state& b) noexcept {
        if (a.service != b.service || a.words.size() != b.words.size()) return false;
        for (std::size_t i = 0; i < a.words.size(); ++i) {
            const auto& aw = a.words[i];
            const auto& bw = b.words[i];
            if (!aw.wildcard && (bw.wildcard || aw.hash != bw.hash)) return false;
            if (aw.wildcard && !(bw.wildcard ? bw.label : bw.shape).starts_with(aw.label)) return false;
        }
        return true;
    }

    // Parameters follow template positions; when a word becomes a wildcard its values start afresh.
    void rebase_params(group_state& g, const std::vector<detail::template_word>& old_words) {
        std::vector<param_stats> params;
        std::vector<detail::distinct_sketch> dropped;
        std::vector<var_kind_set> kinds;
        std::vector<std::vector<std::uint64_t>> hashes;
        std::size_t old_p = 0;
        for (std::size_t i = 0; i < g.words.size(); ++i) {
            const bool changed = g.words[i].wildcard && !old_words[i].wildcard;
            if (changed) {
                params.push_back(param_stats{"<*>", {}, 0});
                dropped.emplace_back();
                kinds.push_back(0);
                hashes.emplace_back();
                old_p += old_words[i].params;
            } else {
                for (std::uint32_t k = 0; k < g.words[i].params; ++k, ++old_p) {
                    params.push_back(std::move(g.params[old_p]));
                    dropped.push_back(g.dropped[old_p]);
                    kinds.push_back(g.kinds[old_p]);
                    hashes.push_back(std::move(g.hashes[old_p]));
                }
            }
        }
        g.params = std::move(params);
        g.dropped = std::move(dropped);
        g.kinds = std::move(kinds);
        g.hashes = std::move(hashes);
    }

    // Folds template `other` into the template of `root`; the earlier node id stays the root, so
    // group order remains the order of first appearance. Returns the root.
    std::uint32_t absorb(std::uint32_t root, std::uint32_t other) {
        if (root == other) return root;
        if (other < root) {
            std::swap(groups_[root], groups_[other]);
            std::swap(root, other);
        }
        auto& r = groups_[root];
        auto& o = groups_[other];
        r.count += o.count;
        r.level = std::max(r.level, o.level);
        if (o.first_seen && (!r.first_seen || *o.first_seen < *r.first_seen)) r.first_seen = o.first_seen;
        if (o.last_seen && (!r.last_seen || *o.last_seen > *r.last_seen)) r.last_seen = o.last_seen;
        merge_occurrences(r, o);
        merge_params(r, o);
        merge_samples(r, o);
        if (r.component.empty()) r.component = o.component;
        parent_[other] = root;
        --live_;
        o = group_state{};
        return root;
    }

    void merge_samples(group_state& r, group_state& o) {
        // the earlier first stays first; the later last stays last; the rest become variants while room lasts
        if (o.first && r.first && o.first->line < r.first->line) std::swap(r.first, o.first);
        if (!r.first) std::swap(r.first, o.first);
        if (o.last && (!r.last || o.last->line > r.last->line)) std::swap(r.last, o.last);
        auto offer = [&](std::optional<log_entry>& e) {
            if (e && r.variants.size() + 2 < limits_.max_samples) r.variants.push_back(std::move(*e));
        };
        offer(o.first);
        for (auto& v : o.variants) {
            std::optional<log_entry> ov(std::move(v));
            offer(ov);
        }
        offer(o.last);
        r.sample_shapes.insert(r.sample_shapes.end(), o.sample_shapes.begin(), o.sample_shapes.end());
    }

    void merge_occurrences(group_state& r, group_state& o) {
        r.timed += o.timed;
        r.occurrences.insert(r.occurrences.end(), o.occurrences.begin(), o.occurrences.end());
        std::sort(r.occurrences.begin(), r.occurrences.end());
        r.stride = std::max(r.stride, o.stride);
        while (r.occurrences.size() >= limits_.max_occurrences) thin(r);
    }

    static void thin(group_state& g) {
        std::size_t w = 0;
        for (std::size_t i = 0; i < g.occurrences.size(); i += 2) g.occurrences[w++] = g.occurrences[i];
        g.occurrences.resize(w);
        g.stride *= 2;
    }

    // Values of the other template's variables, position by position (a new wildcard took its whole words).
    void merge_params(group_state& r, group_state& o) {
        std::size_t rp = 0, op = 0;
        for (std::size_t i = 0; i < r.words.size(); ++i) {
            const auto& rw = r.words[i];
            const auto& ow = o.words[i];
            if (rw.wildcard && !ow.wildcard) {
                if (o.first && ow.params <= 1)
                    record_former(r, rp, rw, ow, ow.params == 1 ? &o.params[op] : nullptr,
                                  ow.params == 1 ? &o.dropped[op] : nullptr, o.count);
                op += ow.params;
                rp += 1;
                continue;
            }
            for (std::uint32_t k = 0; k < rw.params && op < o.params.size(); ++k, ++rp, ++op) {
                for (const auto& v : o.params[op].values) record(r, rp, v.value, var_kind::none, v.count);
                r.dropped[rp].merge(o.dropped[op]);
                r.kinds[rp] |= o.kinds[op];
            }
        }
    }

    // The values a word had before it became a wildcard, as whole words: its text when it was constant, its
    // text with each kept value filled in when it held one variable (`user.dir=/`). Words with several
    // variables cannot be rebuilt value by value; their values start afresh.
    void record_former(group_state& r, std::size_t rp, const detail::template_word& now,
                       const detail::template_word& was, const param_stats* values,
                       const detail::distinct_sketch* dropped, std::uint64_t count) {
        const auto shape = after_label(now, was.shape);
        if (was.params == 0) {
            record(r, rp, shape, var_kind::none, count);
            return;
        }
        const auto hole = shape.find("<*>");
        if (was.params != 1 || values == nullptr || hole == std::string_view::npos) return;
        std::string word;
        for (const auto& v : values->values) {
            word.assign(shape.substr(0, hole));
            word += v.value;
            word += shape.substr(hole + 3);
            record(r, rp, word, var_kind::none, v.count);
        }
        if (dropped) r.dropped[rp].merge(*dropped);
    }

    void record(group_state& g, std::size_t p, std::string_view value, var_kind kind, std::uint64_t n) {
        if (kind != var_kind::none) g.kinds[p] |= 1u << static_cast<unsigned>(kind);
        const std::uint64_t h = detail::quick_hash(value);
        auto& vals = g.params[p].values;
        auto& hs = g.hashes[p];
        for (std::size_t i = 0; i < hs.size(); ++i) {
            if (hs[i] != h || vals[i].value != value) continue;
            vals[i].count += n;
            while (i > 0 && vals[i - 1].count < vals[i].count) {  // most frequent first
                std::swap(vals[i - 1], vals[i]);
                std::swap(hs[i - 1], hs[i]);
                --i;
            }
            return;
        }
        if (vals.size() < limits_.max_param_values) {
            vals.push_back(param_value{std::string(value), n});
            hs.push_back(h);
            return;
        }
        g.dropped[p].add(h);
    }

    void fold(std::uint32_t node, std::uint64_t shape, log_entry&& e) {
        auto& g = groups_[node];
        ++g.count;
        g.level = std::max(g.level, e.level);
        if (e.timestamp) {
            const auto t = *e.timestamp;
            if (!g.first_seen || t < *g.first_seen) g.first_seen = t;
            if (!g.last_seen || t > *g.last_seen) g.last_seen = t;
            if (g.timed++ % g.stride == 0) {
                g.occurrences.push_back(t);
                if (g.occurrences.size() >= limits_.max_occurrences) thin(g);
            }
        }
        fold_params(g);
        if (g.component.empty()) g.component = e.component;
        if (!g.first) {
            g.first = std::move(e);
            g.sample_shapes.push_back(shape);
            return;
        }
        if (g.variants.size() + 2 < limits_.max_samples &&
            std::find(g.sample_shapes.begin(), g.sample_shapes.end(), shape) == g.sample_shapes.end()) {
            g.sample_shapes.push_back(shape);
            g.variants.push_back(e);
        }
        g.last = std::move(e);
    }

    void fold_params(group_state& g) {
        std::size_t p = 0;
        if (g.wildcards == 0) {  // the variables are the message's own, in order
            for (const auto& pc : tok_.pieces)
                if (pc.kind != var_kind::none && p < g.params.size()) record(g, p++, pc.text, pc.kind, 1);
            return;
        }
        const auto& words = tok_.words;
        for (std::size_t i = 0; i < g.words.size() && i < words.size(); ++i) {
            const auto& tw = g.words[i];
            const auto& w = words[i];
            if (tw.wildcard) {
                const auto k = w.pure_var ? tok_.pieces[w.first_piece].kind : var_kind::other;
                record(g, p++, after_label(tw, w.text), k, 1);
                continue;
            }
            for (std::uint32_t q = w.first_piece; q < w.first_piece + w.piece_count; ++q) {
                const auto& pc = tok_.pieces[q];
                if (pc.kind != var_kind::none && p < g.params.size()) record(g, p++, pc.text, pc.kind, 1);
            }
        }
    }

    [[nodiscard]] log_group export_group(std::uint32_t n) const {
        const auto& g = groups_[n];
        log_group out;
        out.service = services_[g.service].first;
        out.component = g.component;
        out.level = g.level;
        out.count = g.count;
        out.first_seen = g.first_seen;
        out.last_seen = g.last_seen;
        out.occurrences = g.occurrences;
        out.template_text = join(g, 0, std::min<std::size_t>(g.message_words, g.words.size()));
        if (g.message_words < g.words.size()) out.exception = join(g, g.message_words + 1, g.words.size());
        out.params = g.params;
        for (std::size_t p = 0; p < out.params.size(); ++p) {
            out.params[p].distinct_dropped += g.dropped[p].estimate();
            if (out.params[p].distinct_dropped) out.params[p].sketch.assign(std::begin(g.dropped[p].bits), std::end(g.dropped[p].bits));
            const auto k = g.kinds[p];
            if (k != 0 && (k & (k - 1)) == 0) {
                unsigned bit = 0;
                while (!((k >> bit) & 1u)) ++bit;
                out.params[p].name = std::string(detail::name_of(static_cast<var_kind>(bit)));
            }
        }
        if (g.first) out.samples.push_back(*g.first);
        for (const auto& v : g.variants) out.samples.push_back(v);
        if (g.last) out.samples.push_back(*g.last);
        assign_identity(out);
        return out;
    }

    [[nodiscard]] static std::string join(const group_state& g, std::size_t b, std::size_t e) {
        std::string s;
        for (std::size_t i = b; i < e; ++i) {
            if (i > b) s += ' ';
            s += g.words[i].shape;
        }
        return s;
    }

    template_miner_limits limits_{};
    detail::tokenizer tok_;
    std::vector<std::pair<std::string, std::uint64_t>> services_;
    detail::shape_table cache_;
    std::unordered_map<std::uint64_t, std::vector<std::uint32_t>> buckets_;
    std::unordered_map<std::uint64_t, std::vector<std::uint32_t>> holes_;
    std::vector<group_state> groups_;
    mutable std::vector<std::uint32_t> parent_;
    mutable std::vector<std::uint32_t> order_;
    mutable bool order_dirty_ = true;
    std::size_t live_ = 0;
};

LOGLENS_NAMESPACE_END
