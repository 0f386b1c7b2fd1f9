#pragma once
// Splits a message into words of constant text and masked variables, hashing each word's shape on the way.
// SPDX-License-Identifier: MIT

#include <loglens/group/detail/mask.hpp>

#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

LOGLENS_NAMESPACE_BEGIN
namespace detail {

/// A run of constant text, or one variable (`kind != none`).
struct text_piece {
    std::string_view text;
    var_kind kind = var_kind::none;
};

/// A whitespace-separated word: its pieces, and a hash of its shape (constants verbatim, variables as one mark).
struct text_word {
    std::uint64_t hash = 0;
    std::string_view text;
    std::uint32_t first_piece = 0;
    std::uint32_t piece_count = 0;
    bool pure_var = false;   ///< the whole word is one variable
    bool lone_date = false;  ///< a month/weekday name with no value before it (yet)
};

inline constexpr std::uint64_t fnv_prime = 1099511628211ull;
inline constexpr std::uint64_t fnv_basis = 1469598103934665603ull;
inline constexpr unsigned char var_mark = 0x01;

constexpr bool is_delim(char c) noexcept { return char_class(c) & cb_delim; }

/// Ends a key=value value: the value stops at a space or at punctuation that closes a list or a group.
constexpr bool ends_value(char c) noexcept {
    return is_space(c) || c == ',' || c == ';' || c == ')' || c == ']' || c == '}' || c == '|' || c == '"' || c == '\'';
}

/// Reusable tokeniser: `run` fills `words` and `pieces` for one text; the views point into that text.
constexpr std::uint64_t mix(std::uint64_t x) noexcept {
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ull;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebull;
    x ^= x >> 31;
    return x;
}

/// The last `n < 8` bytes at `p` as one word, without a call to `memcpy`: for a given `n` the loads cover every
/// byte, so different bytes give different words.
inline std::uint64_t load_tail(const char* p, std::size_t n) noexcept {
    if (n >= 4) {
        std::uint32_t a, b;
        std::memcpy(&a, p, 4);
        std::memcpy(&b, p + n - 4, 4);
        return a | (static_cast<std::uint64_t>(b) << 32);
    }
    if (n == 0) return 0;
    const auto byte = [p](std::size_t i) { return static_cast<std::uint64_t>(static_cast<unsigned char>(p[i])); };
    return byte(0) | (byte(n / 2) << 8) | (byte(n - 1) << 16);
}

/// A fast, stable hash of bytes, eight at a time: one multiply a word, one full mix at the end.
inline std::uint64_t bytes_hash(std::string_view s) noexcept {
    std::uint64_t h = 0x9e3779b97f4a7c15ull ^ s.size();
    std::size_t i = 0;
    for (; i + 8 <= s.size(); i += 8) {
        std::uint64_t w;
        std::memcpy(&w, s.data() + i, 8);
        h = (((h << 23) | (h >> 41)) ^ w) * 0x9fb21c651e98df25ull;
    }
    return mix(h ^ load_tail(s.data() + i, s.size() - i) ^ 0xff51afd7ed558ccdull);
}

/// An unchecked substring: callers stay within bounds, and `substr`'s check costs on the hot path.
constexpr std::string_view sub(std::string_view s, std::size_t pos, std::size_t n) noexcept {
    return std::string_view(s.data() + pos, n);
}

/// A vector of trivially copyable scratch items that keeps its memory from line to line. `push_back` is a
/// compare and a store; growing is out of line, so the hot path stays small enough to inline.
template <class T>
class scratch_vector {
public:
    void push_back(const T& v) {
        if (size_ == cap_) grow();
        buf_[size_++] = v;
    }
    void clear() noexcept { size_ = 0; }
    void resize(std::size_t n) {  // only ever shrinks on the hot path
        while (n > cap_) grow();
        size_ = n;
    }
    [[nodiscard]] std::size_t size() const noexcept { return size_; }
    [[nodiscard]] bool empty() const noexcept { return size_ == 0; }
    T& operator[](std::size_t i) noexcept { return buf_[i]; }
    const T& operator[](std::size_t i) const noexcept { return buf_[i]; }
    T& back() noexcept { return buf_[size_ - 1]; }
    const T& back() const noexcept { return buf_[size_ - 1]; }
    T* begin() noexcept { return buf_.data(); }
    T* end() noexcept { return buf_.data() + size_; }
    const T* begin() const noexcept { return buf_.data(); }
    const T* end() const noexcept { return buf_.data() + size_; }

private:
    void grow() {
        buf_.resize(buf_.empty() ? 64 : buf_.size() * 2);
        cap_ = buf_.size();
    }
    std::vector<T> buf_;
    std::size_t size_ = 0;
    std::size_t cap_ = 0;  ///< `buf_.size()`, kept apart: recomputing it divides by `sizeof(T)`
};

class tokenizer {
public:
    scratch_vector<text_word> words;
    scratch_vector<text_piece> pieces;

    void clear() {
        words.clear();
        pieces.clear();
    }

    /// Appends the words of `text` (call `clear` first for a new line; a second call adds a second part).
    void run(std::string_view text) {
        std::size_t i = 0;
        const std::size_t n = text.size();
        while (i < n) {
            while (i < n && is_space(text[i])) ++i;
            if (i >= n) break;
            i = lex_word(text, i);
        }
    }

    /// Adds a word that cannot occur in text, to keep two parts (message, exception) apart.
    void separator() {
        finish();
        words.push_back(text_word{0x9e3779b97f4a7c15ull, {}, static_cast<std::uint32_t>(pieces.size()), 0, false, false});
    }

private:
    void piece(std::string_view t, var_kind k) {
        if (k != var_kind::none && !pieces.empty() && pieces.size() > cur_first_ && pieces.back().kind != var_kind::none) {
            // two variables glued together are one value
            auto& b = pieces.back();
            b.text = std::string_view(b.text.data(), static_cast<std::size_t>(t.data() + t.size() - b.text.data()));
            if (b.kind != k) b.kind = var_kind::other;
            return;
        }
        pieces.push_back(text_piece{t, k});
    }

    // An atom that is not a known value but holds colons is split at them: `onExtend:1514038530000`.
    void atom(std::string_view a, unsigned flags) {
        if (!(flags & (cb_digit | cb_colon | cb_slash | cb_backslash | cb_dot))) {
            piece(a, var_kind::none);  // letters and dashes only: a word, as classify_atom would say
            return;
        }
        const var_kind k = classify_atom(a, flags);
        if (k != var_kind::other || a.find(':') == std::string_view::npos) {
            piece(a, k);
            return;
        }
        std::size_t s = 0;
        while (s <= a.size()) {
            auto c = a.find(':', s);
            if (c == std::string_view::npos) c = a.size();
            if (c > s) {
                const auto part = sub(a, s, c - s);
                piece(part, classify_atom(part));
            }
            if (c < a.size()) piece(sub(a, c, 1), var_kind::none);
            s = c + 1;
        }
    }

    std::size_t lex_word(std::string_view text, std::size_t i) {
        const std::size_t n = text.size();
        const std::size_t start = i;
        cur_first_ = pieces.size();
        while (i < n && !is_space(text[i])) {
            const char c = text[i];
            if ((c == '<' || c == '>' || c == '~') && i == start && i + 1 < n && is_digit(text[i + 1])) {
                // a comparator before a number (`<1 sec`) belongs to the value
                std::size_t j = i + 1;
                while (j < n && !is_space(text[j]) && !is_delim(text[j])) ++j;
                i = value_with_unit(text, i, j, var_kind::num);
                continue;
            }
            if (c == '[') {
                if (const auto e = bracketed_ipv6(text, i); e != i) {
                    piece(sub(text, i, e - i), var_kind::ipv6);
                    i = e;
                    continue;
                }
            }
            if (c == '=') {
                piece(sub(text, i, 1), var_kind::none);
                i = kv_value(text, i + 1);
                continue;
            }
            if (is_delim(c)) {
                piece(sub(text, i, 1), var_kind::none);
                ++i;
                continue;
            }
            std::size_t j = i;
            unsigned flags = 0;
            for (; j + 4 <= n; j += 4) {  // four bytes a step while none of them ends the atom
                const unsigned four = char_class(text[j]) | char_class(text[j + 1]) | char_class(text[j + 2]) |
                                      char_class(text[j + 3]);
                if (four & (cb_space | cb_delim)) break;
                flags |= four;
            }
            for (; j < n; ++j) {
                const auto cc = char_class(text[j]);
                if (cc & (cb_space | cb_delim)) break;
                flags |= cc;
            }
            if (j < n && text[j] == '=' && (flags & cb_slash) &&
                (c == '/' || sub(text, i, j - i).find("://") != std::string_view::npos)) {
                const auto e = path_end(text, j);  // a query string (`/x?a=b&c=d`) is part of the path
                flags |= classes_of(sub(text, j, e - j));
                j = e;
            }
            const auto a = sub(text, i, j - i);
            if ((flags & cb_digit) && a.size() < 40 && number_prefix(a) == a.size()) {
                i = value_with_unit(text, i, j, var_kind::num);
                continue;
            }
            atom(a, flags);
            i = j;
        }
        finish_word(sub(text, start, i - start));
        return i;
    }

    // `[fe80::1]:8080`: the brackets belong to the address. Returns `i` when there is none here.
    static std::size_t bracketed_ipv6(std::string_view text, std::size_t i) {
        std::size_t close = i + 1;
        while (close < text.size() && close - i < 48 && (is_hex(text[close]) || text[close] == ':' || text[close] == '.'))
            ++close;
        if (close >= text.size() || text[close] != ']') return i;
        bool mac = false;
        if (!is_ipv6_or_mac(sub(text, i + 1, close - i - 1), mac) || mac) return i;
        std::size_t e = close + 1;
        if (e + 1 < text.size() && text[e] == ':' && is_digit(text[e + 1])) {
            ++e;
            while (e < text.size() && is_digit(text[e])) ++e;
        }
        return e;
    }

    static std::size_t path_end(std::string_view text, std::size_t j) {
        const std::size_t n = text.size();
        while (j < n && !is_space(text[j]) && text[j] != '"' && text[j] != '\'' && text[j] != ',' && text[j] != ')' &&
               text[j] != ']')
            ++j;
        return j;
    }

    // A number followed by a unit word (`450 bytes`, `3 sec`) is one value: the unit says what it measures.
    std::size_t value_with_unit(std::string_view text, std::size_t b, std::size_t e, var_kind k) {
        const std::size_t n = text.size();
        if (e < n && text[e] == ' ') {
            std::size_t u = e + 1;
            while (u < n && !is_space(text[u]) && !is_delim(text[u]) && text[u] != '.') ++u;
            const auto unit = unit_kind(sub(text, e + 1, u - e - 1));
            if (unit != var_kind::none && (u == n || is_space(text[u]) || is_delim(text[u]) || text[u] == '.')) {
                piece(sub(text, b, u - b), unit);
                return u;
            }
        }
        const auto v = sub(text, b, e - b);
        if (v[0] == '<' || v[0] == '>' || v[0] == '~') {
            const auto ck = classify_atom(v.substr(1));
            piece(v, ck == var_kind::none ? k : ck);
        } else {
            piece(v, k);
        }
        return e;
    }

    // The value of key=value is a variable by nature; a quoted one may hold spaces.
    std::size_t kv_value(std::string_view text, std::size_t i) {
        const std::size_t n = text.size();
        if (i < n && (text[i] == '"' || text[i] == '\'')) {
            const char q = text[i];
            const auto close = text.find(q, i + 1);
            if (close != std::string_view::npos && close - i < 4096) {
                piece(sub(text, i, 1), var_kind::none);
                if (close > i + 1) piece(sub(text, i + 1, close - i - 1), var_kind::quoted);
                piece(sub(text, close, 1), var_kind::none);
                return close + 1;
            }
            return i;
        }
        std::size_t j = i;
        int depth = 0;  // brackets opened inside the value (`WorkSource{10113}`) close inside it too
        while (j < n && !is_space(text[j])) {
            const char c = text[j];
            if (c == '(' || c == '[' || c == '{') ++depth;
            else if (depth > 0 && (c == ')' || c == ']' || c == '}')) --depth;
            else if (ends_value(c)) break;
            ++j;
        }
        if (j == i) return i;
        const auto v = sub(text, i, j - i);
        if (v[0] == '[' || v[0] == '{' || v[0] == '(') return i;  // a list or group: lexed on its own
        const auto k = classify_atom(v);
        piece(v, k == var_kind::none || k == var_kind::other ? var_kind::kv_value : k);
        return j;
    }

    // A word made only of values and separators (`10.0.0.1,10.0.0.2`, `1|com.x|2`) is one value: lists vary in length.
    void fold_value_list(std::uint32_t first) {
        std::uint32_t vars = 0;
        for (std::size_t p = first; p < pieces.size(); ++p) {
            const auto& pc = pieces[p];
            if (pc.kind != var_kind::none) {
                ++vars;
                continue;
            }
            for (char c : pc.text)
                if (!(c == ',' || c == ':' || c == ';' || c == '|' || c == '/' || c == '-' || c == '.' || c == '_' ||
                      c == '@' || c == '#' || c == '+'))
                    return;
        }
        if (vars < 2) return;
        const char* b = pieces[first].text.data();
        const char* e = pieces.back().text.data() + pieces.back().text.size();
        pieces.resize(first + 1);
        pieces[first] = text_piece{std::string_view(b, static_cast<std::size_t>(e - b)), var_kind::other};
    }

    void finish_word(std::string_view text) {
        const auto first = static_cast<std::uint32_t>(cur_first_);
        if (pieces.size() - cur_first_ >= 3) fold_value_list(first);
        const auto count = static_cast<std::uint32_t>(pieces.size() - cur_first_);
        if (count == 0) return;
        if (count == 1 && pieces[first].kind == var_kind::none && text.size() >= 3 && text.size() <= 9 &&
            is_upper(text[0]) && is_date_word(pieces[first].text)) {
            pieces[first].kind = var_kind::date;  // undone below if no value stands next to it
        }
        const bool pure = count == 1 && pieces[first].kind != var_kind::none;
        // `(18.4 KB)` or `()` right after a value restates it (or says it has no other name)
        const bool paren_var = (count == 3 && pieces[first].text == "(" && pieces[first + 1].kind != var_kind::none &&
                                pieces[first + 2].text == ")") ||
                               (count == 2 && pieces[first].text == "(" && pieces[first + 1].text == ")");
        if ((pure || paren_var) && !words.empty() && words.back().pure_var) {
            // consecutive values are one value (`18846 bytes (18.4 KB)`, `Fri Jun 17 20:55:07`): their number varies
            auto& prev = words.back();
            auto& pp = pieces[prev.first_piece];
            const char* end = text.data() + text.size();
            pp.text = std::string_view(pp.text.data(), static_cast<std::size_t>(end - pp.text.data()));
            prev.text = std::string_view(prev.text.data(), static_cast<std::size_t>(end - prev.text.data()));
            if (!pure || pp.kind != pieces[first].kind) pp.kind = var_kind::other;
            prev.lone_date = false;
            pieces.resize(first);
            return;
        }
        if (!words.empty() && words.back().lone_date && !pure) undo_date(words.back());
        words.push_back(text_word{shape_hash(first, count), text, first, count, pure,
                                  pure && pieces[first].kind == var_kind::date && pieces[first].text == text &&
                                      is_date_word(text) && (words.empty() || !words.back().pure_var)});
    }

public:
    /// Call after the last `run`: a month or weekday name with no value beside it is a word after all.
    void finish() {
        if (!words.empty() && words.back().lone_date) undo_date(words.back());
    }

private:
    void undo_date(text_word& w) {
        pieces[w.first_piece].kind = var_kind::none;
        w.pure_var = false;
        w.lone_date = false;
        w.hash = shape_hash(w.first_piece, w.piece_count);
    }

    [[nodiscard]] std::uint64_t shape_hash(std::uint32_t first, std::uint32_t count) const noexcept {
        std::uint64_t h = fnv_basis;
        for (std::uint32_t p = first; p < first + count; ++p) {
            const auto& pc = pieces[p];
            if (pc.kind != var_kind::none) {
                h = (h ^ var_mark) * fnv_prime;
                continue;
            }
            // FNV-style, eight bytes per multiply: word hashes are mixed again when a line's hash is made
            const auto t = pc.text;
            std::size_t i = 0;
            for (; i + 8 <= t.size(); i += 8) {
                std::uint64_t w;
                std::memcpy(&w, t.data() + i, 8);
                h = (h ^ w) * fnv_prime;
            }
            h = (h ^ load_tail(t.data() + i, t.size() - i) ^ (static_cast<std::uint64_t>(t.size()) << 56)) * fnv_prime;
        }
        return h;
    }

    std::size_t cur_first_ = 0;
};

}  // namespace detail
LOGLENS_NAMESPACE_END
