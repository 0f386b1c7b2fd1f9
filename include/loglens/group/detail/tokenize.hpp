#pragma once
// Splits a message into words of constant text and masked variables, hashing each word's shape on the way.

#include <loglens/group/detail/mask.hpp>

#include <cstdint>
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
    bool pure_var = false;  ///< the whole word is one variable
};

inline constexpr std::uint64_t fnv_prime = 1099511628211ull;
inline constexpr std::uint64_t fnv_basis = 1469598103934665603ull;
inline constexpr unsigned char var_mark = 0x01;

constexpr bool is_delim(char c) noexcept {
    switch (c) {
    case '=': case ',': case ';': case '(': case ')': case '[': case ']': case '{': case '}':
    case '"': case '\'': case '<': case '>': case '|':
        return true;
    default:
        return false;
    }
}

/// Ends a key=value value: the value stops at a space or at punctuation that closes a list or a group.
constexpr bool ends_value(char c) noexcept {
    return is_space(c) || c == ',' || c == ';' || c == ')' || c == ']' || c == '}' || c == '|' || c == '"' ||
           c == '\'';
}

/// Reusable tokeniser: `run` fills `words` and `pieces` for one text; the views point into that text.
class tokenizer {
public:
    std::vector<text_word> words;
    std::vector<text_piece> pieces;

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
        words.push_back(text_word{0x9e3779b97f4a7c15ull, {}, static_cast<std::uint32_t>(pieces.size()), 0, false});
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
    void atom(std::string_view a) {
        const var_kind k = classify_atom(a);
        if (k != var_kind::other || a.find(':') == std::string_view::npos) {
            piece(a, k);
            return;
        }
        std::size_t s = 0;
        while (s <= a.size()) {
            auto c = a.find(':', s);
            if (c == std::string_view::npos) c = a.size();
            if (c > s) {
                const auto sub = a.substr(s, c - s);
                piece(sub, classify_atom(sub));
            }
            if (c < a.size()) piece(a.substr(c, 1), var_kind::none);
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
            if (c == '=') {
                piece(text.substr(i, 1), var_kind::none);
                i = kv_value(text, i + 1);
                continue;
            }
            if (is_delim(c)) {
                piece(text.substr(i, 1), var_kind::none);
                ++i;
                continue;
            }
            std::size_t j = i;
            while (j < n && !is_space(text[j]) && !is_delim(text[j])) ++j;
            const auto a = text.substr(i, j - i);
            if (number_prefix(a) == a.size() && a.size() < 40) {
                i = value_with_unit(text, i, j, var_kind::num);
                continue;
            }
            atom(a);
            i = j;
        }
        finish_word(text.substr(start, i - start));
        return i;
    }

    // A number followed by a unit word (`450 bytes`, `3 sec`) is one value: the unit says what it measures.
    std::size_t value_with_unit(std::string_view text, std::size_t b, std::size_t e, var_kind k) {
        const std::size_t n = text.size();
        if (e < n && text[e] == ' ') {
            std::size_t u = e + 1;
            while (u < n && !is_space(text[u]) && !is_delim(text[u]) && text[u] != '.') ++u;
            const auto unit = unit_kind(text.substr(e + 1, u - e - 1));
            if (unit != var_kind::none && (u == n || is_space(text[u]) || is_delim(text[u]) || text[u] == '.')) {
                piece(text.substr(b, u - b), unit);
                return u;
            }
        }
        const auto v = text.substr(b, e - b);
        const auto ck = classify_atom(v[0] == '<' || v[0] == '>' || v[0] == '~' ? v.substr(1) : v);
        piece(v, ck == var_kind::none ? k : ck);
        return e;
    }

    // The value of key=value is a variable by nature; a quoted one may hold spaces.
    std::size_t kv_value(std::string_view text, std::size_t i) {
        const std::size_t n = text.size();
        if (i < n && (text[i] == '"' || text[i] == '\'')) {
            const char q = text[i];
            const auto close = text.find(q, i + 1);
            if (close != std::string_view::npos && close - i < 4096) {
                piece(text.substr(i, 1), var_kind::none);
                if (close > i + 1) piece(text.substr(i + 1, close - i - 1), var_kind::quoted);
                piece(text.substr(close, 1), var_kind::none);
                return close + 1;
            }
            return i;
        }
        std::size_t j = i;
        while (j < n && !ends_value(text[j])) ++j;
        if (j == i) return i;
        const auto v = text.substr(i, j - i);
        if (v[0] == '[' || v[0] == '{' || v[0] == '(') return i;  // a list or group: lexed on its own
        const auto k = classify_atom(v);
        piece(v, k == var_kind::none || k == var_kind::other ? var_kind::kv_value : k);
        return j;
    }

    void finish_word(std::string_view text) {
        const auto first = static_cast<std::uint32_t>(cur_first_);
        const auto count = static_cast<std::uint32_t>(pieces.size() - cur_first_);
        if (count == 0) return;
        const bool pure = count == 1 && pieces[first].kind != var_kind::none;
        const bool paren_var = count == 3 && pieces[first].text == "(" && pieces[first + 1].kind != var_kind::none &&
                               pieces[first + 2].text == ")";
        if ((pure || paren_var) && !words.empty() && words.back().pure_var) {
            // consecutive values are one value (`18846 bytes (18.4 KB)`, `yarn curi`): their number varies
            auto& prev = words.back();
            auto& pp = pieces[prev.first_piece];
            const char* end = text.data() + text.size();
            pp.text = std::string_view(pp.text.data(), static_cast<std::size_t>(end - pp.text.data()));
            prev.text = std::string_view(prev.text.data(), static_cast<std::size_t>(end - prev.text.data()));
            if (pp.kind != pieces[pure ? first : first + 1].kind) pp.kind = var_kind::other;
            pieces.resize(first);
            return;
        }
        std::uint64_t h = fnv_basis;
        for (std::uint32_t p = first; p < first + count; ++p) {
            const auto& pc = pieces[p];
            if (pc.kind != var_kind::none) {
                h = (h ^ var_mark) * fnv_prime;
            } else {
                for (unsigned char ch : pc.text) h = (h ^ ch) * fnv_prime;
            }
        }
        words.push_back(text_word{h, text, first, count, pure});
    }

    std::size_t cur_first_ = 0;
};

}  // namespace detail
LOGLENS_NAMESPACE_END
