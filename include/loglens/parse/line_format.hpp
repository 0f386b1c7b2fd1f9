#pragma once
// loglens::line_format: a line header format in the Loghub notation (`<Date> <Time> <Level>: <Content>`), compiled.
// SPDX-License-Identifier: MIT

#include <loglens/version.hpp>

#include <boost/regex.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <utility>
#include <string>
#include <string_view>
#include <vector>

LOGLENS_NAMESPACE_BEGIN

/// @brief A header format such as `<Date> <Time> <Level> <Component>: <Content>`, compiled for fast splitting.
///
/// The notation is the Loghub benchmark's: every `<Field>` is a field (it matches as little as possible,
/// the last one takes the rest of the line), a run of spaces matches one or more blanks, and everything
/// else is literal text or regular-expression syntax (`\[`, `\|`, `(\[<PID>\])?`).
/// Formats made only of fields, blanks and (escaped) literal characters are matched by a hand-written
/// matcher with the same leftmost, shortest-field semantics as the regular expression; anything else
/// uses Boost.Regex. A compiled format is immutable and can be shared between threads.
class line_format {
public:
    /// Compiles `fmt`. Throws std::invalid_argument naming the format and what is wrong with it.
    static line_format compile(std::string_view fmt) {
        line_format f;
        f.text_ = std::string(fmt);
        f.parse();
        f.build_regex();
        return f;
    }

    /// The format exactly as given.
    [[nodiscard]] std::string_view text() const noexcept { return text_; }

    /// Field names in the order they appear in the format (and in `split`'s output).
    [[nodiscard]] std::span<const std::string> field_names() const noexcept { return names_; }

    /// The position of field `name` in `field_names()`, if the format has it.
    [[nodiscard]] std::optional<std::size_t> index_of(std::string_view name) const noexcept {
        for (std::size_t i = 0; i < names_.size(); ++i)
            if (names_[i] == name) return i;
        return std::nullopt;
    }

    /// True when the hand-written matcher serves this format (no regular-expression syntax in it).
    [[nodiscard]] bool is_simple() const noexcept { return simple_; }

    /// @brief Splits `line` (surrounding blanks ignored, as the Loghub benchmark does) into its fields.
    ///
    /// On a match, `fields` holds one view into `line` per field, in `field_names()` order (an optional
    /// group that did not take part gives an empty view) and the result is true. Otherwise false.
    bool split(std::string_view line, std::vector<std::string_view>& fields) const {
        line = trim(line);
        fields.assign(names_.size(), std::string_view{});
        if (linear_ && match_linear(line, fields.data())) return true;
        if (simple_) {
            std::size_t budget = step_budget;
            if (match(0, 0, line, fields.data(), budget)) return true;
            if (budget != 0) return false;  // a real mismatch; only an exhausted budget needs the regex
        }
        return regex_split(line, fields);
    }

private:
    enum class kind : std::uint8_t { literal, blanks, field, group_begin, group_end };
    struct token {
        explicit token(kind kk, std::string l = {}, std::size_t f = 0) : k(kk), lit(std::move(l)), field(f) {}
        kind k;
        std::string lit;                 // literal text, for kind::literal
        std::size_t field = 0;           // index into names_, for kind::field
        std::size_t skip = 0;            // group_begin of an optional group: the token after its group_end
        std::array<bool, 256> follow{};  // field: bytes that can start what follows it (one load per byte)
        bool follow_any = true;          // field: anything (or the end) can follow it
    };

    // Backtracking steps before the hand matcher hands a pathological line to the regex engine.
    static constexpr std::size_t step_budget = 4096;

    static bool is_blank(char c) noexcept {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
    }

    static std::string_view trim(std::string_view s) noexcept {
        while (!s.empty() && is_blank(s.front())) s.remove_prefix(1);
        while (!s.empty() && is_blank(s.back())) s.remove_suffix(1);
        return s;
    }

    static bool is_name_char(char c) noexcept {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    }

    static bool is_alnum(char c) noexcept {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    [[noreturn]] void fail(const std::string& what) const {
        throw std::invalid_argument("loglens: line format \"" + text_ + "\": " + what +
                                    " (expected fields like <Date> <Level> <Content>, e.g. "
                                    "\"<Date> <Time> <Level> <Component>: <Content>\")");
    }

    void add_literal(std::string_view s) {
        if (!tokens_.empty() && tokens_.back().k == kind::literal) tokens_.back().lit.append(s);
        else tokens_.emplace_back(kind::literal, std::string(s));
    }

    // Reads the format into tokens for the hand matcher; regex syntax it does not cover clears simple_.
    void parse() {
        const std::string_view f = text_;
        if (f.empty()) fail("it is empty");
        simple_ = true;
        std::vector<std::size_t> open;  // indexes of group_begin tokens not yet closed
        for (std::size_t i = 0; i < f.size();) {
            const char c = f[i];
            if (c == '<') {
                const auto close = f.find('>', i + 1);
                if (close == std::string_view::npos)
                    fail("the '<' at offset " + std::to_string(i) + " is never closed by '>'");
                const std::string_view name = f.substr(i + 1, close - i - 1);
                if (name.empty()) fail("a field has no name ('<>' at offset " + std::to_string(i) + ")");
                for (char n : name)
                    if (!is_name_char(n))
                        fail("field name \"" + std::string(name) +
                             "\" has a character other than letters, digits, '_' or '-'");
                if (index_of(name)) fail("field <" + std::string(name) + "> appears twice");
                tokens_.emplace_back(kind::field, std::string(), names_.size());
                names_.emplace_back(name);
                i = close + 1;
            } else if (c == ' ') {
                while (i < f.size() && f[i] == ' ') ++i;
                tokens_.emplace_back(kind::blanks);
            } else if (c == '\\') {
                if (i + 1 >= f.size()) fail("it ends with a lone backslash");
                const char e = f[i + 1];
                if (is_alnum(e)) simple_ = false;  // \s, \d, \w...: a character class, not a literal
                else add_literal(std::string_view(&f[i + 1], 1));
                i += 2;
            } else if (c == '(') {
                open.push_back(tokens_.size());
                tokens_.emplace_back(kind::group_begin);
                if (f.substr(i, 3) == "(?:") i += 3;
                else if (f.substr(i, 2) == "(?") simple_ = false, ++i;  // look-around and other extensions
                else ++i;
            } else if (c == ')') {
                if (open.empty()) {
                    simple_ = false;
                    ++i;
                    continue;
                }
                const std::size_t b = open.back();
                open.pop_back();
                tokens_.emplace_back(kind::group_end);
                ++i;
                if (i < f.size() && f[i] == '?') {
                    tokens_[b].skip = tokens_.size();
                    ++i;
                }
                if (i < f.size() && std::string_view("*+{?").find(f[i]) != std::string_view::npos) simple_ = false;
            } else {
                if (std::string_view(".^$*+?[]{}|").find(c) != std::string_view::npos) simple_ = false;
                else add_literal(std::string_view(&c, 1));
                ++i;
            }
        }
        if (!open.empty()) simple_ = false;
        if (names_.empty()) fail("it has no <Field>");
        if (simple_) compute_follow_sets();
        linear_ = simple_;
        for (std::size_t ti = 0; ti + 1 < tokens_.size(); ++ti)
            if (tokens_[ti].k == kind::field && tokens_[ti].follow_any) linear_ = false;
    }

    // For each field, the bytes that can start what follows it, so the matcher tries only those ends.
    void compute_follow_sets() {
        for (std::size_t ti = 0; ti < tokens_.size(); ++ti) {
            if (tokens_[ti].k != kind::field) continue;
            auto& set = tokens_[ti].follow;
            tokens_[ti].follow_any = !add_first(ti + 1, set);
        }
    }

    // Adds the first bytes of tokens from `ti` on; false when anything can come first (a field, the end).
    bool add_first(std::size_t ti, std::array<bool, 256>& set) const {
        while (ti < tokens_.size()) {
            const token& t = tokens_[ti];
            switch (t.k) {
                case kind::literal: set[static_cast<unsigned char>(t.lit[0])] = true; return true;
                case kind::blanks:
                    for (char b : std::string_view(" \t\r\n\f\v")) set[static_cast<unsigned char>(b)] = true;
                    return true;
                case kind::field: return false;
                case kind::group_end: ++ti; break;
                case kind::group_begin:
                    if (t.skip != 0 && !add_first(t.skip, set)) return false;
                    ++ti;
                    break;
            }
        }
        return false;
    }

    // The Loghub regular expression: fields `(.*?)`, blank runs `\s+`, the rest as written.
    void build_regex() {
        std::string rx;
        const std::string_view f = text_;
        int group = 0;
        bool in_class = false;
        for (std::size_t i = 0; i < f.size();) {
            const char c = f[i];
            if (!in_class && c == '<') {
                const auto close = f.find('>', i + 1);
                rx += "(.*?)";
                groups_.push_back(++group);
                i = close + 1;
            } else if (!in_class && c == ' ') {
                while (i < f.size() && f[i] == ' ') ++i;
                rx += "\\s+";
            } else if (c == '\\') {
                // an escaped character is itself, as for the hand matcher; Boost reads `\<`, `\>`, `\``, `\'`
                // as assertions, so those go in bare (none of the four is special unescaped)
                const bool assertion = i + 1 < f.size() &&
                                       std::string_view("<>`'").find(f[i + 1]) != std::string_view::npos;
                rx.append(f.substr(assertion ? i + 1 : i, assertion ? 1 : 2));
                i += 2;
            } else {
                if (in_class && c == ']') in_class = false;
                else if (!in_class && c == '[') in_class = true;
                else if (!in_class && c == '(' && (i + 1 >= f.size() || f[i + 1] != '?')) ++group;
                rx += c;
                ++i;
            }
        }
        try {
            regex_ = std::make_shared<const boost::regex>(rx, boost::regex::perl);
        } catch (const std::exception& e) {
            fail(std::string("it is not a valid regular expression once fields are replaced (") + e.what() + ")");
        }
        if (groups_.size() != names_.size()) fail("a <Field> is inside a [...] character class");
        if (static_cast<std::size_t>(regex_->mark_count()) < names_.size() ||
            static_cast<int>(regex_->mark_count()) != group)
            fail("its groups could not be numbered (unbalanced parentheses?)");
    }

    bool regex_split(std::string_view line, std::vector<std::string_view>& fields) const {
        thread_local boost::match_results<const char*> m;
        try {
            if (!boost::regex_match(line.data(), line.data() + line.size(), m, *regex_)) return false;
        } catch (const std::runtime_error&) {  // Boost.Regex gives up on catastrophic backtracking
            return false;
        }
        for (std::size_t i = 0; i < names_.size(); ++i) {
            const auto& sub = m[groups_[i]];
            if (sub.matched) fields[i] = std::string_view(sub.first, static_cast<std::size_t>(sub.second - sub.first));
        }
        return true;
    }

    // Same priorities as a backtracking regex engine: fields shortest first, blank runs longest first,
    // optional groups taken before skipped.
    bool match(std::size_t ti, std::size_t pos, std::string_view s, std::string_view* out, std::size_t& budget) const {
        if (budget == 0) return false;
        --budget;
        if (ti == tokens_.size()) return pos == s.size();
        const token& t = tokens_[ti];
        switch (t.k) {
            case kind::literal:
                return s.compare(pos, t.lit.size(), t.lit) == 0 && match(ti + 1, pos + t.lit.size(), s, out, budget);
            case kind::blanks: {
                std::size_t n = pos;
                while (n < s.size() && is_blank(s[n])) ++n;
                for (std::size_t e = n; e > pos; --e)
                    if (match(ti + 1, e, s, out, budget)) return true;
                return false;
            }
            case kind::field: return match_field(ti, pos, s, out, budget);
            case kind::group_end: return match(ti + 1, pos, s, out, budget);
            case kind::group_begin:
                if (match(ti + 1, pos, s, out, budget)) return true;
                if (t.skip == 0) return false;
                for (std::size_t k = ti + 1; k < t.skip; ++k)  // fields of a group that did not take part
                    if (tokens_[k].k == kind::field) out[tokens_[k].field] = {};
                return match(t.skip, pos, s, out, budget);
        }
        return false;
    }

    // The first path `match` would try, without recursion: each field up to the first place what follows it
    // can start, blank runs longest, optional groups taken. If it reaches the end it is `match`'s answer; if
    // not, `match` searches on.
    bool match_linear(std::string_view s, std::string_view* out) const {
        std::size_t pos = 0;
        for (std::size_t ti = 0; ti < tokens_.size(); ++ti) {
            const token& t = tokens_[ti];
            if (t.k == kind::group_begin || t.k == kind::group_end) continue;
            if (t.k == kind::literal) {
                if (s.compare(pos, t.lit.size(), t.lit) != 0) return false;
                pos += t.lit.size();
            } else if (t.k == kind::blanks) {
                const auto b = pos;
                while (pos < s.size() && is_blank(s[pos])) ++pos;
                if (pos == b) return false;
            } else if (ti + 1 == tokens_.size()) {
                out[t.field] = s.substr(pos);
                return true;
            } else {
                std::size_t p = pos;
                if (tokens_[ti + 1].k == kind::literal) {
                    p = s.find(tokens_[ti + 1].lit, pos);
                    if (p == std::string_view::npos) return false;
                } else {
                    while (p < s.size() && !t.follow[static_cast<unsigned char>(s[p])]) ++p;
                }
                out[t.field] = s.substr(pos, p - pos);
                pos = p;
            }
        }
        return pos == s.size();
    }

    bool match_field(std::size_t ti, std::size_t pos, std::string_view s, std::string_view* out,
                     std::size_t& budget) const {
        const token& t = tokens_[ti];
        if (ti + 1 == tokens_.size()) {
            out[t.field] = s.substr(pos);
            return true;
        }
        const auto attempt = [&](std::size_t end) {
            out[t.field] = s.substr(pos, end - pos);
            return match(ti + 1, end, s, out, budget);
        };
        const token& next = tokens_[ti + 1];
        if (next.k == kind::literal) {
            for (auto p = s.find(next.lit, pos); p != std::string_view::npos && budget != 0; p = s.find(next.lit, p + 1))
                if (attempt(p)) return true;
            return false;
        }
        for (std::size_t p = pos; budget != 0; ++p) {
            if (!t.follow_any)  // skip to the next byte that can start what follows, or to the end
                while (p < s.size() && !t.follow[static_cast<unsigned char>(s[p])]) ++p;
            if (p > s.size()) return false;
            if (attempt(p)) return true;
        }
        return false;
    }

    std::string text_;
    std::vector<std::string> names_;
    std::vector<token> tokens_;
    std::vector<int> groups_;  // regex group number of each field
    std::shared_ptr<const boost::regex> regex_;
    bool simple_ = true;
    bool linear_ = false;  // every field but the last has a known follow set: `match_linear` applies
};

LOGLENS_NAMESPACE_END
