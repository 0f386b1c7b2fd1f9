#pragma once
// The online template miner: masks values, groups messages by shape, and merges templates whose wording varies.
// SPDX-License-Identifier: MIT

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

/// Bounds of what the miner keeps; the same for every input (there is deliberately nothing to tune per dataset).
/// The caps bound memory and the work per line whatever the input: when one is reached, further distinct
/// messages of a service are counted in one overflow group of that service (see `template_miner::bounds()`).
struct template_miner_limits {
    std::size_t max_samples = 5;         ///< first, last, and up to three distinct variants
    std::size_t max_param_values = 10;   ///< values kept per variable position, with exact counts
    std::size_t max_occurrences = 512;   ///< timestamps kept; beyond it they are thinned evenly
    std::size_t shape_cache = 1u << 17;  ///< remembered message shapes (a speed cache, not needed for results)
    std::size_t max_words = 256;         ///< words that shape a template; the rest of a longer line is one `[...]` word
    std::size_t max_text = 4096;         ///< bytes kept of each value, and of each sample's message, raw line and exception
    std::size_t max_templates_per_service = 1000;  ///< then new distinct messages of the service overflow
    std::size_t max_services = 2000;               ///< then entries of new services overflow
    std::size_t memory_budget = 24u << 20;         ///< estimated bytes of templates and indexes; then new messages overflow
    std::size_t max_work_per_line = 1u << 14;      ///< candidate templates and index probes a line may cost
};

namespace detail {

/// A fast, stable hash of a value (values are compared by it before their text).
inline std::uint64_t quick_hash(std::string_view s) noexcept { return bytes_hash(s); }

inline constexpr std::uint64_t wild_hash = 0x2545f4914f6cdd1dull;

/// One word of a template: its shape, or a wildcard that matches any word (that starts with its label).
struct template_word {
    std::uint64_t hash = 0;  ///< of the shape; of the label for a wildcard
    std::string shape;       ///< constants verbatim, `<*>` for each variable
    std::string label;       ///< wildcard: constant text every word here starts with (`environment:`), often none
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

/// Key -> template nodes, several nodes a key: open addressing in a power-of-two table, 16 bytes a slot, so a
/// lookup is a mask and a probe or two, not the division of a node-based map. Entries are never removed; a reader
/// checks that a node still has the key (templates change when they merge). Key 0 is stored as 1 (0: empty slot).
class node_multimap {
public:
    /// The first node filed under `h`, if any (for keys filed once: the message shape cache).
    [[nodiscard]] const std::uint32_t* find(std::uint64_t h) const noexcept {
        const std::uint32_t* out = nullptr;
        for_each(h, [&](const std::uint32_t& n) {
            out = &n;
            return false;
        });
        return out;
    }

    /// Calls `f(node)` for each node under `h` while it returns true.
    template <class F>
    void for_each(std::uint64_t h, F&& f) const {
        if (slots_.empty()) return;
        h = h ? h : 1;
        for (std::size_t i = h & mask_; slots_[i].key != 0; i = (i + 1) & mask_)
            if (slots_[i].key == h && !f(slots_[i].node)) return;
    }
    void insert(std::uint64_t h, std::uint32_t node) {
        if ((size_ + 1) * 2 > slots_.size()) grow();
        place(h ? h : 1, node);
        ++size_;
    }
    [[nodiscard]] std::size_t size() const noexcept { return size_; }
    [[nodiscard]] std::size_t bytes() const noexcept { return slots_.capacity() * sizeof(slot); }

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

/// HyperLogLog with 256 registers: how many distinct hashes were added, within about 7%, in 256 bytes.
struct distinct_counter {
    std::uint8_t reg[256] = {};
    void add(std::uint64_t h) noexcept {
        const auto rank = static_cast<std::uint8_t>(__builtin_clzll((h << 8) | 0x80u) + 1);
        auto& r = reg[h >> 56];
        if (rank > r) r = rank;
    }
    [[nodiscard]] std::uint64_t estimate() const noexcept {
        constexpr double m = 256.0;
        double sum = 0;
        int zeros = 0;
        for (auto r : reg) sum += std::ldexp(1.0, -static_cast<int>(r)), zeros += r == 0;
        const double e = 0.7213 / (1 + 1.079 / m) * m * m / sum;
        if (e <= 2.5 * m && zeros > 0) return static_cast<std::uint64_t>(std::llround(m * std::log(m / zeros)));
        return static_cast<std::uint64_t>(std::llround(e));
    }
};

/// Cuts `s` to at most `max` bytes (at a UTF-8 boundary) and says how much went: long text is kept bounded.
inline bool cut_text(std::string& s, std::size_t max) {
    if (s.size() <= max) return false;
    std::size_t n = max;
    while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0u) == 0x80u) --n;
    const auto dropped = s.size() - n;
    s.resize(n);
    s += " [loglens: " + std::to_string(dropped) + " bytes cut]";
    return true;
}

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
    /// The template of a service's overflow group: its distinct messages beyond a cap, counted together.
    static constexpr std::string_view overflow_template = "[loglens: distinct messages beyond the cap]";

    template_miner() = default;
    explicit template_miner(template_miner_limits limits) : limits_(limits) {
        if (limits_.max_samples < 2) limits_.max_samples = 2;
        if (limits_.max_param_values < 1) limits_.max_param_values = 1;
        if (limits_.max_occurrences < 2) limits_.max_occurrences = 2;
        if (limits_.max_words < 2) limits_.max_words = 2;
        if (limits_.max_text < 64) limits_.max_text = 64;
        if (limits_.max_services < 1) limits_.max_services = 1;
        if (limits_.max_templates_per_service < 1) limits_.max_templates_per_service = 1;
    }

    std::size_t add(log_entry&& e) {
        work_ = 0;
        tok_.clear();
        tok_.run(e.message);
        if (!e.exception.empty()) {
            tok_.separator();
            tok_.run(e.exception);
        }
        tok_.finish();
        cut_words();
        const std::uint32_t svc = service_index(e.service);
        std::uint64_t h = 0;
        std::uint32_t node;
        if (svc == beyond_) {
            entry_bytes_ = retained_bytes(e);
            node = overflow_node(svc, overflow_reason::services);
        } else {
            h = line_hash(svc);
            if (const auto* known = cache_.find(h)) {
                node = root(*known);
            } else {
                entry_bytes_ = retained_bytes(e);
                node = place(svc, h);
                if (cache_.size() < limits_.shape_cache) cache_.insert(h, node);
            }
        }
        fold(node, h, std::move(e));
        max_work_ = std::max(max_work_, work_);
        ++entries_;
        return node;
    }

    /// Every group, in order of first appearance.
    [[nodiscard]] std::vector<log_group> groups() const {
        std::vector<log_group> out;
        out.reserve(live_);
        std::unordered_set<std::string> ids;
        for (std::uint32_t n = 0; n < groups_.size(); ++n) {
            if (parent_[n] != n) continue;
            out.push_back(export_group(n));
            if (auto base = unique_id(out.back().id, ids))
                out.back().aliases.insert(out.back().aliases.begin(), std::move(*base));
        }
        return out;
    }

    /// Every group as a digest (id, template, counts, times), in the order of `groups()`: cheap enough to take
    /// between two feeds of a live stream, since it copies no samples, values or timelines. Changes nothing.
    [[nodiscard]] group_snapshot snapshot() const {
        group_snapshot snap;
        snap.entries = entries_;
        snap.groups.reserve(live_);
        std::unordered_set<std::string> ids;
        for (std::uint32_t n = 0; n < groups_.size(); ++n) {
            if (parent_[n] != n) continue;
            const auto& g = groups_[n];
            group_digest d;
            d.service = services_[g.service].name;
            d.template_text = g.text;
            d.exception = g.exception;
            d.id = g.id;
            unique_id(d.id, ids);
            d.level = g.level;
            d.count = g.count;
            d.first_seen = g.first_seen;
            d.last_seen = g.last_seen;
            d.key = n;
            snap.groups.push_back(std::move(d));
        }
        return snap;
    }

    /// The whole group a digest of `snapshot()` names, as it is now (its template may have grown since).
    [[nodiscard]] log_group group(const group_digest& d) const {
        auto g = export_group(find(static_cast<std::uint32_t>(d.key)));
        if (g.id != d.id) g.aliases.insert(g.aliases.begin(), std::exchange(g.id, d.id));
        return g;
    }

    /// The caps that were reached and what went to overflow groups because of them.
    [[nodiscard]] bounds_summary bounds() const {
        bounds_summary b;
        b.max_templates_per_service = limits_.max_templates_per_service;
        b.max_services = limits_.max_services;
        b.memory_budget = limits_.memory_budget;
        b.memory_used = bytes_ + index_.bytes();  // the shape cache aside: it has a bound of its own
        b.long_lines_cut = lines_cut_;
        for (std::uint32_t s = 0; s < services_.size(); ++s) {
            const auto& sv = services_[s];
            if (sv.overflow == none_) continue;
            const auto& g = groups_[find(sv.overflow)];
            b.overflow.push_back(
                {sv.name, std::string(name_of(sv.reason)), g.count, s == beyond_ ? 0 : sv.distinct.estimate()});
        }
        if (beyond_ != none_) b.services_beyond_cap = beyond_names_.estimate();
        return b;
    }

    /// Candidate templates and index probes the last `add` cost, and the most any `add` cost: at most
    /// `max_work_per_line` plus one per loop that stopped at it, whatever the input.
    [[nodiscard]] std::size_t last_line_work() const noexcept { return work_; }
    [[nodiscard]] std::size_t max_line_work() const noexcept { return max_work_; }

    /// Index in `groups()` of the group that the entry with `key` belongs to now.
    [[nodiscard]] std::size_t resolve(std::size_t key) const {
        // the number of live templates made before the entry's one: a prefix sum, so no cache to refresh
        std::size_t rank = 0;
        for (std::size_t i = find(static_cast<std::uint32_t>(key)); i > 0; i -= i & (~i + 1)) rank += live_tree_[i - 1];
        return rank;
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
        std::uint64_t sum = 0;      ///< of `word_term` over the words: the template's index key
        std::uint32_t anchors = 0;  ///< words of wording (`anchor`) that are not wildcards
        std::size_t charge = 0;     ///< bytes counted against the memory budget
        bool overflow = false;      ///< the overflow group of its service
        // What `snapshot()` shows, kept as the template changes (rarely) so a look copies instead of rebuilding
        std::string text, exception, id;
    };

    /// The templates of one service and length: the order they were made in, and their wildcard layouts.
    struct layout {
        std::vector<std::uint32_t> pos;  ///< wildcard positions, ascending
        std::uint64_t wild_sum = 0;      ///< `word_term` of those wildcards (their labels included)
    };
    struct bucket_state {
        std::vector<std::uint32_t> nodes;
        std::vector<layout> layouts{layout{}};  ///< the first: no wildcard
    };

    enum class overflow_reason : std::uint8_t { templates, memory, services };
    [[nodiscard]] static std::string_view name_of(overflow_reason r) noexcept {
        return r == overflow_reason::templates ? "templates" : r == overflow_reason::memory ? "memory" : "services";
    }

    struct service_state {
        std::string name;
        std::uint64_t hash = 0;
        std::uint32_t live = 0;          ///< live templates
        std::uint32_t overflow = none_;  ///< node of the overflow group, once a cap was reached
        overflow_reason reason = overflow_reason::templates;
        detail::distinct_counter distinct;  ///< of the shapes that overflowed
    };

    std::uint32_t service_index(const std::string& s) {
        if (last_service_ != none_ && services_[last_service_].name == s) return last_service_;
        if (const auto it = service_ids_.find(s); it != service_ids_.end()) return last_service_ = it->second;
        if (service_ids_.size() >= limits_.max_services) {  // entries of services beyond the cap: one overflow group
            beyond_names_.add(detail::quick_hash(s));
            if (beyond_ == none_) beyond_ = new_service("[loglens: services beyond the cap]");
            return beyond_;
        }
        const auto i = new_service(s);
        service_ids_.emplace(s, i);
        return last_service_ = i;
    }

    std::uint32_t new_service(const std::string& s) {
        service_state sv;
        sv.name = s;
        sv.hash = detail::mix(detail::fnv1a(s));
        services_.push_back(std::move(sv));
        bytes_ += sizeof(service_state) + 2 * s.size() + 64;
        return static_cast<std::uint32_t>(services_.size() - 1);
    }

    [[nodiscard]] std::uint64_t line_hash(std::uint32_t svc) const noexcept {
        // one multiply per word keeps the chain short; the final mix spreads it to the low bits the table uses
        std::uint64_t h = services_[svc].hash ^ (tok_.words.size() * 0x9e3779b97f4a7c15ull);
        for (const auto& w : tok_.words) h = (((h << 5) | (h >> 59)) ^ w.hash) * 0x9fb21c651e98df25ull;
        return detail::mix(h);
    }

    [[nodiscard]] std::uint64_t bucket_key(std::uint32_t svc, std::size_t len) const noexcept {
        return detail::mix(services_[svc].hash + len * 0xd6e8feb86659fd93ull);
    }

    // A template's words are summed position by position, so the signature of a template with one word left
    // out (templates sharing it differ only in that word) costs a subtraction, not a pass over the words.
    [[nodiscard]] static std::uint64_t term(std::size_t pos, std::uint64_t word_hash) noexcept {
        return detail::mix(word_hash ^ ((pos + 1) * 0x9e3779b97f4a7c15ull));
    }
    [[nodiscard]] static std::uint64_t word_term(std::size_t pos, const detail::template_word& w) noexcept {
        return term(pos, w.wildcard ? detail::wild_hash ^ w.hash : w.hash);
    }
    [[nodiscard]] static std::uint64_t full_key(std::uint64_t bucket, std::uint64_t sum) noexcept {
        return detail::mix(bucket ^ sum ^ 0x6a09e667f3bcc909ull);
    }
    // Signature of a template with word `hole` left out (`rest`: the sum of its other words).
    [[nodiscard]] static std::uint64_t hole_key(std::uint64_t bucket, std::uint64_t rest, std::size_t hole) noexcept {
        return detail::mix((bucket + rest) ^ detail::mix(hole + 0x3c6ef372fe94f82bull));
    }

    // Counts one unit of work for this line; false once the line's budget is spent.
    bool spend() noexcept { return ++work_ <= limits_.max_work_per_line; }

    // A line with more words than `max_words`: the rest is one constant word, so a template stays bounded and
    // two long lines group by their first words.
    void cut_words() {
        if (tok_.words.size() <= limits_.max_words) return;
        ++lines_cut_;
        const auto keep = limits_.max_words - 1;
        auto& w = tok_.words[keep];
        static constexpr std::string_view marker = "[...]";
        tok_.pieces.resize(w.first_piece + 1);
        tok_.pieces[w.first_piece] = detail::text_piece{marker, var_kind::none};
        w = detail::text_word{detail::quick_hash(marker), marker, w.first_piece, 1, false, false};
        tok_.words.resize(keep + 1);
    }

    // Read-only, for the const accessors (they may be called from a reader while nothing is added); `root`
    // below halves the paths as it walks, so they stay short.
    [[nodiscard]] std::uint32_t find(std::uint32_t n) const noexcept {
        while (parent_[n] != n) n = parent_[n];
        return n;
    }
    std::uint32_t root(std::uint32_t n) noexcept {
        while (parent_[n] != n) n = parent_[n] = parent_[parent_[n]];
        return n;
    }

    // `live_tree_` is a Fenwick tree over nodes, 1 for a live template: its prefix sums rank the groups.
    void push_live_node() {
        const std::size_t i = live_tree_.size() + 1;
        std::uint32_t v = 1;
        for (std::size_t j = i - 1, low = i - (i & (~i + 1)); j > low; j -= j & (~j + 1)) v += live_tree_[j - 1];
        live_tree_.push_back(v);
    }
    void drop_live_node(std::uint32_t n) noexcept {
        for (std::size_t i = std::size_t{n} + 1; i <= live_tree_.size(); i += i & (~i + 1)) --live_tree_[i - 1];
    }

    // Two templates can read the same (a log that prints `<*>` itself): the later one gets the next free id of its
    // key, so ids stay unique and, as group order is first appearance, the same in every run (replicas of one
    // service share the first id, which the later one keeps as an alias). Returns the id it had, if changed.
    static std::optional<std::string> unique_id(std::string& id, std::unordered_set<std::string>& taken) {
        const auto base = id;
        for (std::uint64_t k = 2; !taken.insert(id).second; ++k)
            id = detail::short_id(detail::fnv1a("#" + std::to_string(k), detail::fnv1a(id)));
        if (id == base) return std::nullopt;
        return base;
    }

    [[nodiscard]] std::string template_of(const group_state& g) const {
        return g.overflow ? std::string(overflow_template)
                          : join(g, 0, std::min<std::size_t>(g.message_words, g.words.size()));
    }

    // Called wherever the template, the exception or the component of a group changes.
    void refresh_digest(group_state& g) const {
        g.text = template_of(g);
        g.exception = g.message_words < g.words.size() ? join(g, g.message_words + 1, g.words.size()) : std::string{};
        g.id = detail::identity_of(detail::service_kind(services_[g.service].name), detail::component_kind(g.component),
                                   detail::wording(g.text), g.exception);
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

    // A shape not seen before: join the most specific template that accepts it, or start a new one. Templates
    // are looked up by key, one probe per wildcard layout of the bucket, so the cost does not grow with them.
    std::uint32_t place(std::uint32_t svc, std::uint64_t shape) {
        const auto bk = bucket_key(svc, tok_.words.size());
        auto [it, fresh] = buckets_.try_emplace(bk);
        if (fresh) bytes_ += 128;
        auto& bucket = it->second;
        message_terms();
        if (const auto best = best_match(svc, bk, bucket); best != none_) return best;
        if (const auto why = capped(svc)) {
            services_[svc].distinct.add(shape);
            return overflow_node(svc, *why);
        }
        const auto near = near_template(svc, bk, bucket);
        const auto node = create(svc, bucket);
        if (near.first != none_) return generalize({near.first, node}, near.second, {});
        return merge_siblings(node);
    }

    void message_terms() {
        terms_.resize(tok_.words.size());
        base_ = 0;
        for (std::size_t i = 0; i < tok_.words.size(); ++i) base_ += terms_[i] = term(i, tok_.words[i].hash);
    }

    // The key sum of the message as a template of layout `l` would have it.
    [[nodiscard]] std::uint64_t layout_sum(const layout& l) const noexcept {
        std::uint64_t sum = base_ + l.wild_sum;
        for (auto p : l.pos) sum -= terms_[p];
        return sum;
    }

    [[nodiscard]] bool labels_fit(const group_state& g, const layout& l) const noexcept {
        for (auto p : l.pos)
            if (!g.words[p].label.empty() && !tok_.words[p].text.starts_with(g.words[p].label)) return false;
        return true;
    }

    // The live template that accepts the message with the fewest wildcards (the earliest of those).
    std::uint32_t best_match(std::uint32_t svc, std::uint64_t bk, const bucket_state& bucket) {
        std::uint32_t best = none_, best_wild = ~std::uint32_t{0};
        for (const auto& l : bucket.layouts) {
            if (!spend()) break;
            const auto sum = layout_sum(l);
            index_.for_each(full_key(bk, sum), [&](std::uint32_t n) {
                if (!spend()) return false;
                if (parent_[n] != n) return true;
                const auto& g = groups_[n];
                if (g.service != svc || g.words.size() != tok_.words.size() || g.sum != sum || !labels_fit(g, l))
                    return true;
                if (g.wildcards < best_wild || (g.wildcards == best_wild && n < best)) best = n, best_wild = g.wildcards;
                return true;
            });
        }
        return best;
    }

    // Why a new template may not be made for the service, if a cap says so (once capped, a service stays so).
    [[nodiscard]] std::optional<overflow_reason> capped(std::uint32_t svc) const noexcept {
        const auto& sv = services_[svc];
        if (sv.overflow != none_) return sv.reason;
        if (sv.live >= limits_.max_templates_per_service) return overflow_reason::templates;
        if (bytes_ + index_.bytes() + template_charge() > limits_.memory_budget) return overflow_reason::memory;
        return std::nullopt;
    }

    // The group that counts what a cap turned away from a service, made when first needed.
    std::uint32_t overflow_node(std::uint32_t svc, overflow_reason why) {
        auto& sv = services_[svc];
        if (sv.overflow != none_) return sv.overflow;
        const auto node = static_cast<std::uint32_t>(groups_.size());
        group_state g;
        g.service = svc;
        g.overflow = true;
        refresh_digest(g);
        g.charge = sizeof(group_state) + limits_.max_samples * (sizeof(log_entry) + entry_bytes_);
        bytes_ += g.charge;
        groups_.push_back(std::move(g));
        parent_.push_back(node);
        push_live_node();
        ++live_;
        sv.overflow = node;
        sv.reason = why;
        return node;
    }

    // A template that differs from the current message in one word only, where values already vary (on either
    // side): `synchronized to <*>, stratum <*>` takes `synchronized to LOCAL(0), stratum 2`. The earliest such
    // template, found by the signature of the message with each word left out in turn.
    [[nodiscard]] std::pair<std::uint32_t, std::size_t> near_template(std::uint32_t svc, std::uint64_t bk,
                                                                      const bucket_state& bucket) {
        std::uint32_t best = none_;
        std::size_t best_at = 0;
        const auto len = tok_.words.size();
        for (const auto& l : bucket.layouts) {
            if (!spend()) break;
            const auto sum = layout_sum(l);
            std::size_t k = 0;
            for (std::size_t at = 0; at < len; ++at) {
                if (k < l.pos.size() && l.pos[k] == at) {
                    ++k;
                    continue;
                }
                if (!spend()) break;
                const auto rest = sum - terms_[at];
                index_.for_each(hole_key(bk, rest, at), [&](std::uint32_t n) {
                    if (!spend()) return false;
                    if (parent_[n] == n && n < best && near_fits(svc, n, at, rest, l)) best = n, best_at = at;
                    return true;
                });
            }
        }
        return {best, best_at};
    }

    // Template `n` differs from the message in word `at` only (`rest`: the message's other words), and may take it.
    [[nodiscard]] bool near_fits(std::uint32_t svc, std::uint32_t n, std::size_t at, std::uint64_t rest,
                                 const layout& l) const noexcept {
        const auto& g = groups_[n];
        if (g.service != svc || g.words.size() != tok_.words.size()) return false;
        const auto& t = g.words[at];
        const auto& w = tok_.words[at];
        if (t.wildcard || g.sum - word_term(at, t) != rest || !labels_fit(g, l)) return false;
        if (t.hash == w.hash || t.shape == "\x1e" || w.piece_count == 0) return false;
        if (t.params == 0 && !word_has_value(w)) return false;
        return g.anchors - t.anchor >= min_anchors;
    }

    [[nodiscard]] bool word_has_value(const detail::text_word& w) const noexcept {
        for (std::uint32_t p = w.first_piece; p < w.first_piece + w.piece_count; ++p)
            if (tok_.pieces[p].kind != var_kind::none) return true;
        return false;
    }

    // What a new template of the current message costs: its words and index entries, values and samples.
    [[nodiscard]] std::size_t template_charge() const noexcept {
        std::size_t c = sizeof(group_state) + 3 * sizeof(std::uint32_t), vars = 0;
        for (const auto& w : tok_.words)
            c += sizeof(detail::template_word) + 32 + (w.text.size() > 15 ? w.text.size() + 1 : 0);
        for (const auto& p : tok_.pieces) vars += p.kind != var_kind::none;
        c += vars * (sizeof(param_stats) + sizeof(detail::distinct_sketch) + 64 +
                     limits_.max_param_values * (sizeof(param_value) + 40));
        return c + limits_.max_samples * (sizeof(log_entry) + entry_bytes_);
    }

    // Bytes of an entry's text that a sample keeps (each part cut to `max_text`).
    [[nodiscard]] std::size_t retained_bytes(const log_entry& e) const noexcept {
        const auto cap = [&](std::size_t n) { return std::min(n, limits_.max_text + 32); };
        std::size_t c = cap(e.message.size()) + cap(e.raw.size()) + cap(e.exception.size()) + e.service.size() +
                        e.component.size() + e.source.size() + e.timestamp_text.size(),
                    cont = 0;
        for (const auto& l : e.continuation) cont += l.size() + sizeof(std::string);
        return c + std::min(cont, 4 * limits_.max_text + 64);
    }

    // A sample keeps bounded text: each part cut to `max_text`, the continuation to four times that.
    void cut_sample(log_entry& e) const {
        detail::cut_text(e.message, limits_.max_text);
        detail::cut_text(e.raw, limits_.max_text);
        detail::cut_text(e.exception, limits_.max_text);
        std::size_t total = 0, keep = 0;
        for (; keep < e.continuation.size() && total + e.continuation[keep].size() <= 4 * limits_.max_text; ++keep)
            total += e.continuation[keep].size();
        if (keep == e.continuation.size()) return;
        const auto dropped = e.continuation.size() - keep;
        e.continuation.resize(keep);
        e.continuation.push_back("[loglens: " + std::to_string(dropped) + " more lines cut]");
    }

    std::uint32_t create(std::uint32_t svc, bucket_state& bucket) {
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
            g.sum += word_term(i, tw);
            g.anchors += tw.anchor;
            g.words.push_back(std::move(tw));
        }
        reset_params(g);
        refresh_digest(g);
        g.charge = template_charge();
        bytes_ += g.charge;
        groups_.push_back(std::move(g));
        parent_.push_back(node);
        push_live_node();
        bucket.nodes.push_back(node);
        ++services_[svc].live;
        ++live_;
        register_template(node);
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

    // Files a template under its key and under the signature of each word left out, and its wildcard layout
    // in its bucket. Called again whenever a merge changed it.
    void register_template(std::uint32_t node) {
        const auto& g = groups_[node];
        const auto bk = bucket_key(g.service, g.words.size());
        index_.insert(full_key(bk, g.sum), node);
        layout l;
        for (std::size_t i = 0; i < g.words.size(); ++i) {
            const auto& w = g.words[i];
            if (w.wildcard) {
                l.pos.push_back(static_cast<std::uint32_t>(i));
                l.wild_sum += word_term(i, w);
            } else if (w.shape != "\x1e") {
                index_.insert(hole_key(bk, g.sum - word_term(i, w), i), node);
            }
        }
        if (l.pos.empty()) return;
        auto& layouts = buckets_[bk].layouts;
        for (const auto& o : layouts)
            if (o.wild_sum == l.wild_sum && o.pos == l.pos) return;
        bytes_ += sizeof(layout) + l.pos.size() * sizeof(std::uint32_t);
        layouts.push_back(std::move(l));
    }

    // When `merge_after` live templates differ only in one word, that word is a variable: merge them.
    std::uint32_t merge_siblings(std::uint32_t node) {
        for (int round = 0; round < 8; ++round) {
            bool merged = false;
            const auto bk = bucket_key(groups_[node].service, groups_[node].words.size());
            for (std::size_t i = 0; i < groups_[node].words.size() && !merged; ++i) {
                const auto& g = groups_[node];
                const auto& w = g.words[i];
                if (w.wildcard || w.identifier) continue;
                const std::size_t anchors = g.anchors - w.anchor;
                if (anchors + 1 < min_anchors) continue;  // even a label in this word would not be enough
                if (!spend()) break;
                const auto rest = g.sum - word_term(i, w);
                std::vector<std::uint32_t> live;
                index_.for_each(hole_key(bk, rest, i), [&](std::uint32_t n) {
                    // a member merged since may now belong to a template of another signature
                    if (!spend()) return false;
                    const auto r = root(n);
                    const auto& o = groups_[r];
                    if (o.service == g.service && o.words.size() == g.words.size() && !o.words[i].wildcard &&
                        o.sum - word_term(i, o.words[i]) == rest)
                        live.push_back(r);
                    return true;
                });
                std::sort(live.begin(), live.end());
                live.erase(std::unique(live.begin(), live.end()), live.end());
                if (live.size() < merge_after) continue;
                auto label = common_label(live, i);
                if (anchors + !label.empty() < min_anchors) continue;
                node = generalize(live, i, std::move(label));
                merged = true;
            }
            if (!merged) break;
        }
        return node;
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
            r.sum -= word_term(pos, w);
            r.anchors -= w.anchor;
            w.wildcard = true;
            ++r.wildcards;
            w.hash = label.empty() ? 0 : detail::quick_hash(label);
            w.shape = label + "<*>";
            w.label = std::move(label);
            w.params = 1;
            r.sum += word_term(pos, w);
            rebase_params(r, old_words);
            record_former(r, at, w, old_words[pos], old_values ? &*old_values : nullptr,
                          old_dropped ? &*old_dropped : nullptr, r.count);
        }
        for (std::size_t k = 1; k < members.size(); ++k) root = absorb(root, members[k]);
        // templates created before the wildcard existed that it now covers
        auto& nodes = buckets_[bucket_key(groups_[root].service, groups_[root].words.size())].nodes;
        nodes.erase(std::remove_if(nodes.begin(), nodes.end(), [this](std::uint32_t n) { return parent_[n] != n; }),
                    nodes.end());
        const auto bucket = nodes;
        for (auto n : bucket) {
            if (!spend()) break;
            if (parent_[n] != n || n == root) continue;
            if (covers(groups_[root], groups_[n])) root = absorb(root, n);
        }
        refresh_digest(groups_[root]);
        register_template(root);
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
        if (r.component.empty() && !o.component.empty()) {
            r.component = o.component;
            refresh_digest(r);
        }
        parent_[other] = root;
        drop_live_node(other);
        --live_;
        --services_[o.service].live;
        bytes_ -= o.charge - sizeof(group_state);
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
    void record_former(group_state& r, std::size_t rp, const detail::template_word& now, const detail::template_word& was,
                       const param_stats* values, const detail::distinct_sketch* dropped, std::uint64_t count) {
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
        const std::size_t max_value = limits_.max_text;
        for (std::size_t i = 0; i < hs.size(); ++i) {
            // a long value is kept cut, so it is known by its hash
            if (hs[i] != h || (value.size() <= max_value && vals[i].value != value)) continue;
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
            detail::cut_text(vals.back().value, max_value);
            hs.push_back(h);
            g.charge += vals.back().value.size();
            bytes_ += vals.back().value.size();
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
        cut_sample(e);
        if (g.component.empty() && !e.component.empty()) {
            g.component = e.component;
            refresh_digest(g);
        }
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
        // a swap, not a move: the caller gets the old sample's memory back for its next entry
        if (g.last) std::swap(*g.last, e);
        else g.last = std::move(e);
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
        out.service = services_[g.service].name;
        out.component = g.component;
        out.level = g.level;
        out.count = g.count;
        out.first_seen = g.first_seen;
        out.last_seen = g.last_seen;
        out.occurrences = g.occurrences;
        out.template_text = g.text;
        out.exception = g.exception;
        out.params = g.params;
        for (std::size_t p = 0; p < out.params.size(); ++p) {
            out.params[p].distinct_dropped += g.dropped[p].estimate();
            if (out.params[p].distinct_dropped)
                out.params[p].sketch.assign(std::begin(g.dropped[p].bits), std::end(g.dropped[p].bits));
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

    // The same in every run, whatever else is in the input.
    [[nodiscard]] static std::string group_id(const log_group& g) {
        std::string key = g.service;
        key += '\x1f';
        key += g.template_text;
        if (!g.exception.empty()) {
            key += '\x1e';
            key += g.exception;
        }
        return detail::short_id(detail::fnv1a(key));
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
    std::vector<service_state> services_;
    std::unordered_map<std::string, std::uint32_t> service_ids_;
    std::uint32_t last_service_ = none_;
    std::uint32_t beyond_ = none_;  ///< the service that stands for every service beyond `max_services`
    detail::distinct_counter beyond_names_;
    detail::node_multimap cache_;  ///< message shape -> template node
    std::unordered_map<std::uint64_t, bucket_state> buckets_;
    detail::node_multimap index_;       ///< template key and one-word-left-out signatures -> templates
    std::vector<std::uint64_t> terms_;  ///< of the current message's words
    std::uint64_t base_ = 0;            ///< their sum
    std::size_t entry_bytes_ = 0;       ///< text a sample of the current entry keeps
    std::size_t bytes_ = 0;             ///< estimated bytes of templates, samples and services
    std::size_t work_ = 0, max_work_ = 0;
    std::uint64_t lines_cut_ = 0;
    std::vector<group_state> groups_;
    std::vector<std::uint32_t> parent_;
    std::vector<std::uint32_t> live_tree_;
    std::size_t live_ = 0;
    std::uint64_t entries_ = 0;
};

LOGLENS_NAMESPACE_END
