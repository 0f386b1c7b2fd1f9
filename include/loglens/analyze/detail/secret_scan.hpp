#pragma once
// The secret scanner behind loglens::redactor: one pass over a line for trigger bytes, rules only where one hits.
// SPDX-License-Identifier: MIT

#include <loglens/detail/ascii.hpp>

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#if defined(__SSE2__) || defined(_M_X64)
#include <emmintrin.h>
#endif

LOGLENS_NAMESPACE_BEGIN
namespace detail::secrets {

/// A byte range of a line that holds a secret, and what kind of secret it is.
struct span {
    std::size_t begin = 0, end = 0;
    std::string_view kind;
};

constexpr char fold(char c) noexcept { return is_upper(c) ? static_cast<char>(c - 'A' + 'a') : c; }
constexpr bool is_alnum(char c) noexcept { return is_alpha(c) || is_digit(c); }
constexpr bool is_key_char(char c) noexcept { return is_alnum(c) || c == '_' || c == '.' || c == '-'; }
constexpr bool is_b64url(char c) noexcept { return is_alnum(c) || c == '-' || c == '_'; }
constexpr bool is_b64(char c) noexcept { return is_alnum(c) || c == '+' || c == '/'; }
constexpr bool is_quote(char c) noexcept { return c == '"' || c == '\'' || c == '`'; }

inline bool iequals(std::string_view a, std::string_view lower) noexcept {
    if (a.size() != lower.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (fold(a[i]) != lower[i]) return false;
    return true;
}

inline bool istarts_with(std::string_view a, std::string_view lower) noexcept {
    return a.size() >= lower.size() && iequals(a.substr(0, lower.size()), lower);
}

/// Shannon entropy in bits per character.
inline double entropy(std::string_view s) noexcept {
    if (s.empty()) return 0.0;
    std::array<std::uint16_t, 256> n{};
    for (unsigned char c : s) ++n[c];
    double h = 0.0;
    const double len = static_cast<double>(s.size());
    for (auto k : n)
        if (k) {
            const double p = k / len;
            h -= p * std::log2(p);
        }
    return h;
}

/// Character classes present: lower, upper, digit, other (1 bit each).
inline int classes(std::string_view s) noexcept {
    int m = 0;
    for (char c : s) m |= is_lower(c) ? 1 : is_upper(c) ? 2 : is_digit(c) ? 4 : 8;
    return (m & 1) + ((m >> 1) & 1) + ((m >> 2) & 1) + ((m >> 3) & 1);
}

inline bool all_hex(std::string_view s) noexcept {
    for (char c : s)
        if (!is_hex(c)) return false;
    return true;
}

/// 8-4-4-4-12 hex digits.
inline bool uuid_shaped(std::string_view s) noexcept {
    if (s.size() != 36) return false;
    for (std::size_t i = 0; i < 36; ++i) {
        const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? s[i] != '-' : !is_hex(s[i])) return false;
    }
    return true;
}

/// A long random-looking token (keys, generated passwords), not a word, id, hash or path.
inline bool random_token(std::string_view s, std::size_t min_len = 16) noexcept {
    if (s.size() < min_len || s.size() > 512) return false;
    if (all_hex(s) || uuid_shaped(s) || s.find("://") != std::string_view::npos || s.front() == '/' ||
        s.find_first_of("{}()[]<>\\ \t\r\n") != std::string_view::npos)
        return false;
    if (classes(s) < 3) return false;
    return entropy(s) >= (s.size() < 24 ? 3.3 : 3.7);
}

/// Which kind of secret a key, flag, header or variable name announces; empty when none.
///
/// The name is cut into lower-case segments at `_ . - :` and camelCase humps. A secret word must stand as a
/// segment or end one (`requirepass`, `dbpassword`); a segment that says the value is about the secret, not
/// the secret (`password_file`, `token_type`, `secret_name`, `auth_method`), cancels it.
class key_classifier {
public:
    explicit key_classifier(std::string_view key) {
        std::size_t start = 0;
        const auto cut = [&](std::size_t end) {
            if (end > start && n_ < segs_.size()) segs_[n_++] = key.substr(start, end - start);
            start = end;
        };
        for (std::size_t i = 0; i < key.size(); ++i) {
            const char c = key[i];
            if (!is_alnum(c)) {
                cut(i);
                start = i + 1;
            } else if (i > start && is_upper(c) && is_lower(key[i - 1])) {
                cut(i);
            }
        }
        cut(key.size());
    }

    [[nodiscard]] std::string_view kind() const noexcept {
        if (n_ == 0) return {};
        const bool minio = any_has("minio");
        for (std::size_t i = 0; i < n_; ++i)
            if (denied(segs_[i]) && !(minio && iequals(segs_[i], "user"))) return {};
        if (minio && (any_has("user") || any_has("pass") || any_has("secret") || pair("access", "key")))
            return "minio-credential";  // MinIO's root user is its access key
        if (n_ == 1 && (iequals(segs_[0], "pwd") || iequals(segs_[0], "oldpwd"))) return "working-dir?";
        if (any_ends("requirepass") || any_ends("masterauth") || any_ends("masterpass")) return "redis-password";
        if (any_has("fernet")) return "fernet-key";
        if (any_has("privatekey") || pair("private", "key")) return "private-key";
        if (any_has("jaas")) return "jaas-config";
        if (pair("root", "pass") || pair("root", "password") || pair("root", "user") || any_is("rootpass") ||
            any_is("rootuser"))
            return "minio-credential";
        if (password()) return "password";
        if (any_has("secret")) {
            if (any_has("aws") || any_has("s3") || any_has("secretaccesskey") || pair("access", "key"))
                return "aws-secret-key";
            return "secret";
        }
        if (any_has("apikey") || pair("api", "key") || any_has("xapikey")) return "api-key";
        if (any_has("accesskey") || pair("access", "key") || any_is("accountkey") || pair("account", "key"))
            return "access-key";  // Azure's `AccountKey=` too
        if (token()) return "token";
        if (weak_has("credential") || weak_has("creds")) return "credential";
        if (auth()) return "auth";
        if (weak_has("sasl")) return "sasl-credential";
        return {};
    }

private:
    static bool has(std::string_view seg, std::string_view w) noexcept {
        if (seg.size() < w.size()) return false;
        for (std::size_t i = 0; i + w.size() <= seg.size(); ++i)
            if (iequals(seg.substr(i, w.size()), w)) return true;
        return false;
    }
    static bool ends(std::string_view seg, std::string_view w) noexcept {
        return seg.size() >= w.size() && iequals(seg.substr(seg.size() - w.size()), w);
    }
    bool any_has(std::string_view w) const noexcept {
        for (std::size_t i = 0; i < n_; ++i)
            if (has(segs_[i], w)) return true;
        return false;
    }
    bool any_ends(std::string_view w) const noexcept {
        for (std::size_t i = 0; i < n_; ++i)
            if (ends(segs_[i], w)) return true;
        return false;
    }
    bool any_is(std::string_view w) const noexcept {
        for (std::size_t i = 0; i < n_; ++i)
            if (iequals(segs_[i], w)) return true;
        return false;
    }
    bool pair(std::string_view a, std::string_view b) const noexcept {
        for (std::size_t i = 0; i + 1 < n_; ++i)
            if (ends(segs_[i], a) && iequals(segs_[i + 1], b)) return true;
        return false;
    }
    bool password() const noexcept {
        for (std::size_t i = 0; i < n_; ++i) {
            const auto s = segs_[i];
            if (has(s, "passw") || has(s, "passphrase") || ends(s, "pass") || ends(s, "pwd") || ends(s, "passwd"))
                return true;
        }
        return false;
    }
    // The weaker words (`token`, `auth`, `credential`, `sasl`) count only in the name's last segment, or before a
    // last one that says "the value of": `auth_token`, `X-Auth-Token`, `tokenValue`; not `auth_and_shield_windows`.
    std::size_t tail() const noexcept {
        static constexpr std::string_view value_words[] = {"value",  "val", "string", "str",    "b64",
                                                           "base64", "key", "secret", "header", "hdr"};
        if (n_ >= 2)
            for (auto w : value_words)
                if (iequals(segs_[n_ - 1], w)) return n_ - 2;
        return n_ - 1;
    }
    bool weak_has(std::string_view w) const noexcept {
        for (std::size_t i = tail(); i < n_; ++i)
            if (has(segs_[i], w)) return true;
        return false;
    }
    bool token() const noexcept {
        for (std::size_t i = tail(); i < n_; ++i)
            if (has(segs_[i], "token") && !has(segs_[i], "tokeniz")) return true;
        return false;
    }
    bool auth() const noexcept {
        for (std::size_t i = tail(); i < n_; ++i) {
            const auto s = segs_[i];
            if (ends(s, "auth") || ends(s, "authorization") || iequals(s, "authkey") || iequals(s, "authn")) return true;
        }
        return false;
    }
    static bool denied(std::string_view s) noexcept {
        static constexpr std::string_view words[] = {
            "file",      "files",      "path",     "dir",      "type",       "types",      "method",    "methods",
            "mechanism", "mechanisms", "length",   "len",      "size",       "count",      "url",       "uri",
            "endpoint",  "timeout",    "ttl",      "expiry",   "expires",    "expiration", "enabled",   "enable",
            "disabled",  "required",   "policy",   "provider", "plugin",     "backend",    "format",    "version",
            "mode",      "name",       "names",    "ref",      "arn",        "mount",      "algorithm", "alg",
            "protocol",  "lifetime",   "rotation", "age",      "min",        "max",        "prefix",    "scheme",
            "fail",      "failed",     "failure",  "success",  "successful", "status",     "result",    "error",
            "reason",    "code",       "manager",  "service",  "server",     "level",      "source",    "class",
            "handler",   "cache",      "request",  "response", "user",       "username"};
        for (auto w : words)
            if (iequals(s, w)) return true;
        return false;
    }

    std::array<std::string_view, 12> segs_{};
    std::size_t n_ = 0;
};

/// A cheap first look at a name: does it hold a letter sequence any secret word starts with? Most names
/// (`host`, `port`, `user`, timestamps) do not, and skip the full classification.
inline bool key_hint(std::string_view key) noexcept {
    const auto at = [&](std::size_t i, std::string_view w) {
        if (i + w.size() > key.size()) return false;
        for (std::size_t j = 0; j < w.size(); ++j)
            if (fold(key[i + j]) != w[j]) return false;
        return true;
    };
    if (key.size() > 24) key.remove_prefix(key.size() - 24);  // secret words stand at the end of long names
    // A rolling code of three letters (5 bits each, case folded; other bytes may collide, which costs only a
    // closer look) finds the places where one of the words below may start.
    constexpr auto code = [](char c) { return static_cast<unsigned>(static_cast<unsigned char>(c) | 0x20u) & 31u; };
    static constexpr auto starts = [code] {
        std::array<std::uint64_t, 512> b{};
        for (std::string_view w :
             {"pas", "pwd", "pri", "sec", "sas", "tok", "key", "cre", "aut", "api", "acc", "jaa", "fer", "min", "roo"}) {
            const unsigned g = (code(w[0]) << 10) | (code(w[1]) << 5) | code(w[2]);
            b[g >> 6] |= std::uint64_t{1} << (g & 63);
        }
        return b;
    }();
    if (key.size() < 3) return false;
    unsigned g = (code(key[0]) << 5) | code(key[1]);
    for (std::size_t i = 0; i + 3 <= key.size(); ++i) {
        g = ((g << 5) | code(key[i + 2])) & 0x7fffu;
        if (!((starts[g >> 6] >> (g & 63)) & 1u)) continue;
        switch (fold(key[i])) {
            case 'p':
                if (at(i, "pas") || at(i, "pwd") || at(i, "pri")) return true;
                break;
            case 's':
                if (at(i, "sec") || at(i, "sas")) return true;
                break;
            case 't':
                if (at(i, "tok")) return true;
                break;
            case 'k':
                if (at(i, "key")) return true;
                break;
            case 'c':
                if (at(i, "cred")) return true;
                break;
            case 'a':
                if (at(i, "aut") || at(i, "api") || at(i, "acc")) return true;
                break;
            case 'j':
                if (at(i, "jaas")) return true;
                break;
            case 'f':
                if (at(i, "fern")) return true;
                break;
            case 'm':
                if (at(i, "minio")) return true;
                break;
            case 'r':
                if (at(i, "root")) return true;
                break;
            default: break;
        }
    }
    return false;
}

/// Length of the placeholder `<redacted:KIND:N>` the redactor writes, when one starts at `i` of `t`; else 0.
/// Only this exact shape is skipped as redacted before: text that merely starts like one is scanned as any text.
inline std::size_t placeholder_length(std::string_view t, std::size_t i) noexcept {
    if (t.substr(i, 10) != "<redacted:") return 0;
    std::size_t k = i + 10;
    const std::size_t kind = k;
    while (k < t.size() && (is_lower(t[k]) || t[k] == '-')) ++k;
    if (k == kind || k >= t.size() || t[k] != ':') return 0;
    const std::size_t number = ++k;
    while (k < t.size() && is_digit(t[k])) ++k;
    if (k == number || k >= t.size() || t[k] != '>') return 0;
    return k + 1 - i;
}

/// Whether `v` holds a placeholder the redactor wrote (not merely text that starts like one).
inline bool holds_placeholder(std::string_view v) noexcept {
    for (auto at = v.find("<redacted:"); at != std::string_view::npos; at = v.find("<redacted:", at + 1))
        if (placeholder_length(v, at) > 0) return true;
    return false;
}

/// True when a header prefix (what a line holds before its message) is made of nothing a rule could read as a
/// secret, so scanning it may be skipped: digits, blanks, the punctuation `[]{}()<>|:.,+*#/-`, runs of one or
/// two letters (`T`, `Z`, Redis' role `M`), a level, month, weekday or zone name (`INFO`, `Nov`, `UTC`), and the
/// entry's component where it stands as a word, provided it holds no secret word. Every rule needs more: a name
/// of three letters or more (`pwd`, `token`, `AKIA`, `eyJ`, `-----BEGIN`), or a `=`, `_`, `@` or quote; a prefix
/// with any of those is scanned as before. The component itself is the caller's to scan: when it holds a secret
/// (a token shape, not a secret word), the prefix must be scanned too.
inline bool plain_header(std::string_view prefix, std::string_view component) noexcept {
    enum : std::uint8_t { bad, plain, letter };
    static constexpr auto cls = [] {
        std::array<std::uint8_t, 256> t{};
        for (int c = 'a'; c <= 'z'; ++c)
            t[static_cast<std::size_t>(c)] = t[static_cast<std::size_t>(c - 'a' + 'A')] = letter;
        for (unsigned char c : std::string_view("0123456789 \t[]{}()<>|:.,+*#/-")) t[c] = plain;
        return t;
    }();
    // a word of up to 8 letters, case folded, as one number
    constexpr auto code = [](std::string_view w) {
        std::uint64_t v = 0;
        for (char c : w) v = (v << 8) | static_cast<unsigned char>(c | 0x20);
        return v;
    };
    static constexpr std::uint64_t words[] = {
        code("trace"), code("debug"), code("info"),   code("notice"),   code("warn"),  code("warning"), code("error"),
        code("err"),   code("fatal"), code("crit"),   code("critical"), code("alert"), code("emerg"),   code("severe"),
        code("fine"),  code("finer"), code("finest"), code("log"),      code("panic"), code("detail"),  code("hint"),
        code("jan"),   code("feb"),   code("mar"),    code("apr"),      code("may"),   code("jun"),     code("jul"),
        code("aug"),   code("sep"),   code("oct"),    code("nov"),      code("dec"),   code("mon"),     code("tue"),
        code("wed"),   code("thu"),   code("fri"),    code("sat"),      code("sun"),   code("utc"),     code("gmt")};
    const bool component_plain = !component.empty() && !key_hint(component);
    const std::size_t n = prefix.size();
    for (std::size_t i = 0; i < n;) {
        const auto k = cls[static_cast<unsigned char>(prefix[i])];
        if (k == plain) {
            ++i;
            continue;
        }
        if (component_plain && (i == 0 || !is_alnum(prefix[i - 1])) && prefix.substr(i, component.size()) == component &&
            (i + component.size() == n || !is_key_char(prefix[i + component.size()]))) {
            i += component.size();
            continue;
        }
        if (k == bad) return false;
        std::size_t e = i;
        while (e < n && cls[static_cast<unsigned char>(prefix[e])] == letter) ++e;
        if (e - i > 2) {
            if (e - i > 8) return false;
            const auto w = code(prefix.substr(i, e - i));
            if (std::find(std::begin(words), std::end(words), w) == std::end(words)) return false;
        }
        i = e;
    }
    return true;
}

/// Values a secret-ish key carries that are not secrets: empty, booleans, placeholders, references.
inline bool not_a_secret(std::string_view v, std::string_view kind) noexcept {
    if (v.empty() || holds_placeholder(v)) return true;  // redacted before
    static constexpr std::string_view literals[] = {
        "true",     "false",     "null",      "none",    "nil",     "yes",      "no",      "on",      "off",
        "n/a",      "na",        "undefined", "empty",   "default", "redacted", "hidden",  "masked",  "required",
        "optional", "unset",     "set",       "not",     "is",      "was",      "missing", "invalid", "incorrect",
        "expired",  "changeme?", "disabled",  "enabled", "ok",      "failed",   "error"};
    for (auto l : literals)
        if (iequals(v, l)) return true;
    bool same = true, digits = true;
    for (char c : v) {
        same = same && c == v.front();
        digits = digits && is_digit(c);
    }
    if (same && v.size() > 1) return true;  // ***, xxxx
    if (v.size() == 1) return true;
    if (digits && kind != "password" && kind != "redis-password" && kind != "secret") return true;
    if (v.starts_with("${") || v.starts_with("{{") || v.starts_with("%(") || v.starts_with("$(") || v == "%s" || v == "?" ||
        (v.front() == '<' && v.back() == '>') || (v.front() == '[' && v.back() == ']'))
        return true;
    if (v.front() == '{' || v.front() == '(') return true;  // a structure, whose own keys are scanned
    // a Java object reference (`android.os.BinderProxy@2b3e9e`, `Token{41e8 ...}`): diagnostic, not a secret
    if (const auto at = v.rfind('@'); at != std::string_view::npos && at > 0 && at + 1 < v.size()) {
        bool java = all_hex(v.substr(at + 1));
        for (char c : v.substr(0, at)) java = java && (is_alnum(c) || c == '.' || c == '$' || c == '_');
        if (java) return true;
    }
    if (const auto b = v.find('{'); b != std::string_view::npos && b > 0) {
        bool word = true;
        for (char c : v.substr(0, b)) word = word && (is_alnum(c) || c == '.' || c == '$');
        if (word) return true;
    }
    return false;
}

/// The weaker key words also name things that are not secrets (`auth:SIMPLE`, `token: com.apple.xpc/4505`):
/// their value must look like a credential, not a word or a dotted name.
inline bool credential_like(std::string_view v) noexcept {
    if (v.size() < 8 || classes(v) < 2 || entropy(v) < 2.8) return false;
    std::size_t w = 0;
    while (w < v.size() && is_alpha(v[w])) ++w;
    return !(w > 0 && w < v.size() && v[w] == '.');  // com.apple..., java.lang...
}

/// The secret words that may come before their value with only a space between (`requirepass foobared`).
/// `after_secret_word` and `line_scanner::word_end_table` test their last two letters.
inline constexpr std::string_view words_before_a_space[] = {"password",   "passwd",      "passphrase",  "pwd",
                                                            "pass",       "secret",      "token",       "apikey",
                                                            "credential", "credentials", "requirepass", "masterauth"};

#if defined(__SSE2__) || defined(_M_X64)
/// Where the two bytes before (`prev2`, `prev1`: the text loaded one and two bytes earlier) end a secret word
/// that may come before its value with only a space (see `line_scanner::word_end_table`): `rd wd se ss et en ey
/// al ls th`, either case. Most spaces of a log line follow other words and are not worth a stop.
inline __m128i after_secret_word(__m128i prev1, __m128i prev2) noexcept {
    const __m128i lower = _mm_set1_epi8(0x20);  // only A-Z land on a-z
    prev1 = _mm_or_si128(prev1, lower);
    prev2 = _mm_or_si128(prev2, lower);
    const auto eq = [](__m128i x, char c) { return _mm_cmpeq_epi8(x, _mm_set1_epi8(c)); };
    const auto both = [](__m128i a, __m128i b) { return _mm_and_si128(a, b); };
    const auto either = [](__m128i a, __m128i b) { return _mm_or_si128(a, b); };
    const __m128i e2 = eq(prev2, 'e'), s2 = eq(prev2, 's');
    return either(either(either(both(eq(prev1, 'd'), either(eq(prev2, 'r'), eq(prev2, 'w'))), both(eq(prev1, 'e'), s2)),
                         either(both(eq(prev1, 's'), either(s2, eq(prev2, 'l'))),
                                both(either(eq(prev1, 't'), either(eq(prev1, 'n'), eq(prev1, 'y'))), e2))),
                  either(both(eq(prev1, 'l'), eq(prev2, 'a')), both(eq(prev1, 'h'), eq(prev2, 't'))));
}
#endif

/// The bytes the scanner stops at (`: = - _ A J B <` and space) among the 16 from `p + base` (bit k for
/// `p[base + k]`, none past `n`). SSE2 (every x86-64) tests 16 bytes at once, the last ones of a text as the
/// 16 that end it; elsewhere, or in a text shorter than 16 bytes, a byte at a time.
inline unsigned trigger_mask(const char* p, std::size_t n, std::size_t base) noexcept {
    constexpr auto is_trigger = [](char c) {
        return c == ':' || c == '=' || c == '-' || c == '_' || c == 'A' || c == 'J' || c == 'B' || c == '<' || c == ' ';
    };
#if defined(__SSE2__) || defined(_M_X64)
    if (n >= 16) {
        const std::size_t at = std::min(base, n - 16);
        const auto load = [&](std::size_t from) { return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + from)); };
        const __m128i v = load(at);
        const auto eq = [](__m128i x, char c) { return _mm_cmpeq_epi8(x, _mm_set1_epi8(c)); };
        __m128i spaces = eq(v, ' ');
        if (at >= 2) spaces = _mm_and_si128(spaces, after_secret_word(load(at - 1), load(at - 2)));
        const __m128i m = _mm_or_si128(
            _mm_or_si128(_mm_or_si128(eq(v, ':'), eq(v, '=')), _mm_or_si128(eq(v, '-'), eq(v, '_'))),
            _mm_or_si128(_mm_or_si128(_mm_or_si128(eq(v, 'A'), eq(v, 'J')), _mm_or_si128(eq(v, 'B'), eq(v, '<'))), spaces));
        return static_cast<unsigned>(_mm_movemask_epi8(m)) >> (base - at);
    }
#endif
    unsigned m = 0;
    for (std::size_t k = 0; base + k < n && k < 16; ++k) m |= unsigned{is_trigger(p[base + k])} << k;
    return m;
}

/// Scans one line (or one JSON document) and lists its secrets, in order, without overlaps.
class line_scanner {
public:
    line_scanner(std::string_view text, std::vector<span>& out) : t_(text), out_(out) {}

    /// True when a private-key block began and did not end in this text (its body goes on in later lines).
    bool run() {
        const std::size_t n = t_.size();
        const char* const p = t_.data();
        const auto& table = trigger_table();
        const auto& ends = word_end_table();
        std::size_t resume = 0;  // a rule has read up to here: triggers before it are spent
        for (std::size_t base = 0; base < n; base += 16) {
            if (resume >= base + 16) {
                base = resume - 16;  // `base += 16` lands on `resume`
                continue;
            }
            unsigned m = trigger_mask(p, n, base);
            if (resume > base) m &= ~0u << (resume - base);
            for (; m; m &= m - 1) {
                const std::size_t i = base + static_cast<std::size_t>(std::countr_zero(m));
                if (i < resume) continue;
                if (p[i] == ' ') {  // the most frequent trigger: it counts only after a secret word
                    if (i < 3) continue;
                    const unsigned w = (unsigned{static_cast<unsigned char>(p[i - 2])} << 8) |
                                       static_cast<unsigned char>(p[i - 1]);
                    if (!((ends[w >> 6] >> (w & 63)) & 1u)) continue;
                } else if (!worth_a_look(p[i], i)) {
                    continue;
                }
                const std::size_t next = dispatch(table[static_cast<unsigned char>(p[i])], i);
                if (open_key_) return true;
                resume = next > i ? next : i + 1;
            }
        }
        return false;
    }

private:
    enum : std::uint8_t { t_colon = 1, t_equals, t_dash, t_under, t_upper_a, t_upper_j, t_upper_b, t_lt, t_space };

    static const std::array<std::uint8_t, 256>& trigger_table() {
        static const auto table = [] {
            std::array<std::uint8_t, 256> t{};
            t[':'] = t_colon;
            t['='] = t_equals;
            t['-'] = t_dash;
            t['_'] = t_under;
            t['A'] = t_upper_a;
            t['J'] = t_upper_j;
            t['B'] = t_upper_b;
            t['<'] = t_lt;
            t[' '] = t_space;
            return t;
        }();
        return table;
    }

    // The last two letters (either case) of the words that may precede a value with only a space, as a
    // bit per byte pair, so a space costs one lookup and no case folding.
    static const std::array<std::uint64_t, 1024>& word_end_table() {
        static const auto bits = [] {
            std::array<std::uint64_t, 1024> b{};
            const auto both = [](char c) {
                return std::array<unsigned char, 2>{static_cast<unsigned char>(c),
                                                    static_cast<unsigned char>(c - 'a' + 'A')};
            };
            for (std::string_view w : words_before_a_space)
                for (unsigned char a : both(w[w.size() - 2]))
                    for (unsigned char z : both(w.back())) {
                        const unsigned pair = (unsigned{a} << 8) | z;
                        b[pair >> 6] |= std::uint64_t{1} << (pair & 63);
                    }
            return b;
        }();
        return bits;
    }

    // Cheap tests that rule most triggers out before a rule runs: a dash or colon inside a date, time, name or
    // number, an underscore in a name that is no GitHub token, a `J` not after `ey`.
    bool worth_a_look(char c, std::size_t i) const noexcept {
        const char before = i > 0 ? t_[i - 1] : ' ';
        if (c == '-')  // `--flag`, `-----BEGIN`, `xoxb-`, `sk-`, `glpat-`, `pypi-`; `-Dkey=v` is a `key=value`
            return (i + 1 < t_.size() && t_[i + 1] == '-') || (i >= 4 && t_[i - 4] == 'x') ||
                   (i >= 2 && before == 'k' && t_[i - 2] == 's') || (i >= 5 && before == 't' && t_[i - 5] == 'g') ||
                   (i >= 4 && before == 'i' && t_[i - 4] == 'p');
        if (c == ':')  // not `20:36` or `host:5432`: no secret name ends in a digit; `://` always
            return !is_digit(before) || (i + 1 < t_.size() && t_[i + 1] == '/');
        if (c == '_')  // `ghp_`, `github_pat_`, `hf_`, `npm_`, `sk_live_`, `rk_test_`
            return (i >= 3 && t_[i - 3] == 'g') || (i >= 10 && t_[i - 10] == 'g') ||
                   (i >= 2 &&
                    ((t_[i - 2] == 'h' && before == 'f') || (before == 'k' && (t_[i - 2] == 's' || t_[i - 2] == 'r')))) ||
                   (i >= 3 && t_[i - 3] == 'n' && before == 'm');
        if (c == 'J') return before == 'y';
        return true;
    }

    std::size_t dispatch(std::uint8_t trig, std::size_t i) {
        switch (trig) {
            case t_colon:
                if (i + 2 < t_.size() && t_[i + 1] == '/' && t_[i + 2] == '/') return url(i);
                return key_value(i);
            case t_equals: {
                if (const auto f = fernet(i)) return f;
                if (i + 1 < t_.size() && t_[i + 1] == '=') return i + 2;
                if (i > 0 && (t_[i - 1] == '!' || t_[i - 1] == '<' || t_[i - 1] == '>' || t_[i - 1] == '=')) return i + 1;
                return key_value(i);
            }
            case t_dash: return dash(i);
            case t_under: return underscore(i);
            case t_upper_a: return upper_a(i);
            case t_upper_j: return jwt(i);
            case t_upper_b: return bearer(i);
            case t_lt:  // a placeholder of an earlier pass; an unclosed `<redacted:` must not hide what follows it
                if (i + 10 <= t_.size() && t_[i + 1] == 'r')
                    if (const auto len = placeholder_length(t_, i)) return i + len;
                return i + 1;
            case t_space: return word_value(i);
            default: return i + 1;
        }
    }

    bool boundary_before(std::size_t i) const noexcept { return i == 0 || !is_b64url(t_[i - 1]); }

    std::size_t add(std::size_t b, std::size_t e, std::string_view kind) {
        if (e <= b) return e;
        if (!out_.empty() && b < out_.back().end) {  // overlaps the previous secret: keep the wider one
            if (e - b <= out_.back().end - out_.back().begin) return std::max(e, out_.back().end);
            out_.pop_back();
        }
        out_.push_back({b, e, kind});
        return e;
    }

    // The end of an unquoted value: white space or a character that closes a field in the usual layouts.
    std::size_t value_end(std::size_t j) const noexcept {
        while (j < t_.size()) {
            const char c = t_[j];
            if (is_space(c) || c == '"' || c == '\'' || c == ',' || c == ';' || c == '&' || c == ')' || c == ']' ||
                c == '}' || c == '<' || c == '>' || c == '\\' || c == '`')
                break;
            ++j;
        }
        return j;
    }

    // A value after a separator: quoted (also JSON-escaped `\"`) or bare. Returns [b, e) and where to go on.
    struct value_pos {
        std::size_t begin, end, next;
    };
    value_pos read_value(std::size_t j) const noexcept {
        const std::size_t n = t_.size();
        while (j < n && is_blank(t_[j])) ++j;
        if (j < n && t_[j] == '\\' && j + 1 < n && is_quote(t_[j + 1])) {  // {\"password\": \"x\"}
            const char q = t_[j + 1];
            const std::size_t b = j + 2;
            std::size_t e = b;
            while (e < n && !(t_[e] == '\\' && e + 1 < n && t_[e + 1] == q)) ++e;
            return {b, e, e};
        }
        if (j < n && is_quote(t_[j])) {
            const char q = t_[j];
            const std::size_t b = j + 1;
            std::size_t e = b;
            while (e < n && t_[e] != q && t_[e] != '\n') e += t_[e] == '\\' && e + 1 < n ? 2 : 1;
            if (e < n && t_[e] == q) return {b, e, e};
            const std::size_t bare = value_end(b);  // an unclosed quote: the value ends as a bare one
            return {b, bare, bare};
        }
        const std::size_t e = value_end(j);
        return {j, e, e};
    }

    // `key=value`, `key: value`, `"key": "value"`, `-Dkey=value`, `export KEY=value`, `?password=...&`
    std::size_t key_value(std::size_t sep) {
        std::size_t k = sep;
        while (k > 0 && is_blank(t_[k - 1])) --k;
        if (k > 0 && is_quote(t_[k - 1])) {
            --k;
            if (k > 0 && t_[k - 1] == '\\') --k;
        }
        const std::size_t key_end = k;
        if (k == 0 || !is_alpha(t_[k - 1])) return sep + 1;  // `20:36`, `host:5432`: no name ends in a digit here
        while (k > 0 && key_end - k < 48 && is_key_char(t_[k - 1])) --k;
        if (!key_hint(t_.substr(k, key_end - k))) return sep + 1;
        auto kind = key_classifier(t_.substr(k, key_end - k)).kind();
        if (kind.empty()) return sep + 1;
        if (sep + 1 < t_.size() && t_[sep] == ':' && t_[sep + 1] == ':') return sep + 2;  // C++ / Ruby scope
        auto v = read_value(sep + 1);
        if (kind == "working-dir?") {  // `PWD=/opt/airflow` is the shell's folder, `&pwd=x` a password
            if (v.begin < t_.size() && (t_[v.begin] == '/' || t_[v.begin] == '~')) return v.end;
            kind = "password";
        }
        if (kind == "auth" || kind == "token") {
            if (const auto s = scheme(v.begin)) return *s;
        }
        const auto value = t_.substr(v.begin, v.end - v.begin);
        if (kind == "private-key" && value.find("-----BEGIN") != std::string_view::npos) return add(v.begin, v.end, kind);
        const bool weak = kind == "token" || kind == "auth" || kind == "credential" || kind == "sasl-credential";
        if (not_a_secret(value, kind) || (weak && !credential_like(value))) return std::max(v.begin, sep + 1);
        return add(v.begin, v.end, kind);
    }

    // `Authorization: Basic xxx` / `Bearer xxx` / `Token xxx`: the credential after the scheme word.
    std::optional<std::size_t> scheme(std::size_t j) {
        const std::size_t n = t_.size();
        if (j < n && is_quote(t_[j])) ++j;
        std::size_t w = j;
        while (w < n && is_alpha(t_[w])) ++w;
        const auto word = t_.substr(j, w - j);
        const bool basic = iequals(word, "basic");
        if (!basic && !iequals(word, "bearer") && !iequals(word, "token") && !iequals(word, "apikey") &&
            !iequals(word, "negotiate"))
            return std::nullopt;
        if (w >= n || t_[w] != ' ') return std::nullopt;
        std::size_t b = w;
        while (b < n && t_[b] == ' ') ++b;
        std::size_t e = b;
        while (e < n && (is_alnum(t_[e]) || t_[e] == '-' || t_[e] == '.' || t_[e] == '_' || t_[e] == '~' || t_[e] == '+' ||
                         t_[e] == '/' || t_[e] == '='))
            ++e;
        if (e - b < 4) return std::nullopt;
        return add(b, e, basic ? "basic-auth" : "bearer-token");
    }

    // `scheme://user:password@host`, any scheme; a password holding `/` unescaped still counts.
    std::size_t url(std::size_t colon) {
        const std::size_t n = t_.size(), u = colon + 3;
        if (colon == 0 || !is_alnum(t_[colon - 1])) return u;
        std::size_t auth_end = u;
        while (auth_end < n && !is_space(t_[auth_end]) && t_[auth_end] != '"' && t_[auth_end] != '\'' &&
               t_[auth_end] != '<' && t_[auth_end] != '>' && t_[auth_end] != '`')
            ++auth_end;
        std::size_t host_end = u;
        while (host_end < auth_end && t_[host_end] != '/' && t_[host_end] != '?' && t_[host_end] != '#') ++host_end;
        if (t_.substr(u, host_end - u) == "hooks.slack.com" && t_.substr(host_end, 10) == "/services/")
            return add(host_end + 10, auth_end, "slack-webhook");
        // the user-info ends at the last `@` of the authority; `/` before it is part of a careless password
        std::size_t at = std::string_view::npos;
        for (std::size_t j = u; j < auth_end; ++j) {
            if (t_[j] == '@') at = j;
            else if (t_[j] == '/' && at != std::string_view::npos) break;
        }
        if (at == std::string_view::npos) return u;
        const auto info = t_.substr(u, at - u);
        const auto c = info.find(':');
        if (c == std::string_view::npos) return u;
        const auto slash = info.find('/');
        if (slash != std::string_view::npos && slash < c) return u;  // host/path@..., no user-info
        if (slash != std::string_view::npos) {
            bool port = slash > c + 1;
            for (std::size_t j = c + 1; j < slash; ++j) port = port && is_digit(info[j]);
            if (port) return u;  // host:8080/path?mail=a@b
        }
        const std::size_t b = u + c + 1;
        if (b >= at || placeholder_length(t_, b) > 0) return at;
        return add(b, at, "url-password");
    }

    // 44 characters of URL-safe base64 ending in `=`: a Fernet key (32 bytes) wherever it stands.
    std::size_t fernet(std::size_t eq) {
        if (eq < 43) return 0;
        static constexpr std::string_view last = "AEIMQUYcgkosw048";
        if (last.find(t_[eq - 1]) == std::string_view::npos) return 0;
        const std::size_t b = eq - 43;
        for (std::size_t j = b; j < eq; ++j)
            if (!is_b64url(t_[j])) return 0;
        if (b > 0 && (is_b64(t_[b - 1]) || t_[b - 1] == '-' || t_[b - 1] == '_')) return 0;
        if (eq + 1 < t_.size() && (is_b64(t_[eq + 1]) || t_[eq + 1] == '=')) return 0;
        const auto key = t_.substr(b, 43);
        if (classes(key) < 3 || entropy(key) < 4.0) return 0;
        return add(b, eq + 1, "fernet-key");
    }

    std::size_t dash(std::size_t i) {
        const std::size_t n = t_.size();
        if (i + 11 <= t_.size() && t_[i + 1] == '-' && t_.substr(i, 11) == "-----BEGIN ") return pem(i);
        if (i >= 4 && t_[i - 4] == 'x' && t_[i - 2] == 'x' && t_[i - 3] == 'o' &&
            std::string_view("baprse").find(t_[i - 1]) != std::string_view::npos && boundary_before(i - 4)) {
            std::size_t e = i + 1;
            while (e < n && (is_alnum(t_[e]) || t_[e] == '-')) ++e;
            if (e - i > 10) return add(i - 4, e, "slack-token");
        }
        if (const auto tok = dash_token(i)) return tok;
        // `--password value` (the `--password=value` form is a key=value)
        if (i + 2 < n && t_[i + 1] == '-' && is_alpha(t_[i + 2]) &&
            (i == 0 || is_blank(t_[i - 1]) || is_quote(t_[i - 1]))) {
            std::size_t e = i + 2;
            while (e < n && is_key_char(t_[e])) ++e;
            if (e < n && t_[e] == ' ' && key_hint(t_.substr(i + 2, e - i - 2))) {
                auto kind = key_classifier(t_.substr(i + 2, e - i - 2)).kind();
                if (!kind.empty()) {
                    const auto v = read_value(e);
                    const auto value = t_.substr(v.begin, v.end - v.begin);
                    if (kind == "working-dir?") kind = value.starts_with("/") ? std::string_view{} : "password";
                    if (!kind.empty() && !value.starts_with("-") && !not_a_secret(value, kind))
                        return add(v.begin, v.end, kind);
                }
            }
            return e;
        }
        return i + 1;
    }

    std::size_t pem(std::size_t i) {
        const auto head = t_.substr(i + 11, 48);
        const auto pk = head.find("PRIVATE KEY");
        if (pk == std::string_view::npos) return i + 11;
        const auto close = t_.find("-----", i + 11 + pk);
        if (close == std::string_view::npos) return i + 11;
        const std::size_t body = close + 5;
        const auto end = t_.find("-----END ", body);
        std::size_t first = body;  // already redacted: `-----BEGIN ...-----<redacted:private-key:1>-----END`
        while (first < t_.size() &&
               (is_space(t_[first]) || t_[first] == '\\' || (t_[first] == 'n' && first > body && t_[first - 1] == '\\')))
            ++first;
        if (placeholder_length(t_, first) > 0) return end == std::string_view::npos ? t_.size() : end + 9;
        if (end == std::string_view::npos) {
            add(body, t_.size(), "private-key");
            open_key_ = true;
            return t_.size();
        }
        add(body, end, "private-key");
        return end + 9;
    }

    // The end of a run of token characters (letters, digits, `-`, `_`) from `b`.
    std::size_t token_end(std::size_t b) const noexcept {
        while (b < t_.size() && (is_b64url(t_[b]))) ++b;
        return b;
    }

    // Provider keys with a `-` in their prefix: OpenAI `sk-` (`sk-proj-`, `sk-svcacct-`), Anthropic `sk-ant-`,
    // GitLab `glpat-`, PyPI `pypi-AgE`. 0 when none starts here.
    std::size_t dash_token(std::size_t i) {
        const auto prefixed = [&](std::size_t len, std::string_view word) {
            return i >= len && t_.substr(i - len, len) == word && boundary_before(i - len);
        };
        const std::size_t e = token_end(i + 1);
        const auto tok = t_.substr(i + 1, e - (i + 1));
        // a random part: 20 letters and digits in a row, of both cases (`sk-prod-cluster-01` is a host name)
        const auto random_run = [&] {
            for (std::size_t b = 0; b < tok.size();) {
                std::size_t r = b;
                while (r < tok.size() && is_alnum(tok[r])) ++r;
                if (r - b >= 20 && classes(tok.substr(b, r - b)) >= 3) return true;
                b = r + 1;
            }
            return false;
        };
        if (prefixed(2, "sk") && random_run())
            return add(i - 2, e, tok.starts_with("ant-") ? "anthropic-api-key" : "openai-api-key");
        if (prefixed(5, "glpat") && tok.size() >= 20 && random_run()) return add(i - 5, e, "gitlab-token");
        if (prefixed(4, "pypi") && tok.starts_with("AgE") && tok.size() >= 50) return add(i - 4, e, "pypi-token");
        return 0;
    }

    // Tokens with a `_` in their prefix: GitHub's, Hugging Face `hf_`, npm `npm_`, Stripe `sk_live_`/`rk_test_`.
    std::size_t underscore(std::size_t i) {
        const auto prefixed = [&](std::size_t len, std::string_view word) {
            return i >= len && t_.substr(i - len, len) == word && boundary_before(i - len);
        };
        std::size_t e = i + 1;
        while (e < t_.size() && is_alnum(t_[e])) ++e;
        const auto tok = t_.substr(i + 1, e - (i + 1));
        if (prefixed(2, "hf") && tok.size() >= 30 && classes(tok) >= 2) return add(i - 2, e, "huggingface-token");
        if (prefixed(3, "npm") && tok.size() >= 36 && classes(tok) >= 2) return add(i - 3, e, "npm-token");
        if ((prefixed(2, "sk") || prefixed(2, "rk")) && (tok == "live" || tok == "test") && e < t_.size() && t_[e] == '_') {
            std::size_t k = e + 1;
            while (k < t_.size() && is_alnum(t_[k])) ++k;
            if (k - (e + 1) >= 16 && classes(t_.substr(e + 1, k - e - 1)) >= 2) return add(i - 2, k, "stripe-key");
        }
        return github(i);
    }

    // ghp_ / gho_ / ghu_ / ghs_ / ghr_ and github_pat_ tokens
    std::size_t github(std::size_t i) {
        const std::size_t n = t_.size();
        std::size_t b = std::string_view::npos;
        if (i >= 3 && t_[i - 3] == 'g' && t_[i - 2] == 'h' &&
            std::string_view("pousr").find(t_[i - 1]) != std::string_view::npos)
            b = i - 3;
        else if (i >= 10 && t_[i - 1] == 't' && t_[i - 10] == 'g' && t_.substr(i - 10, 10) == "github_pat") b = i - 10;
        if (b == std::string_view::npos || !boundary_before(b)) return i + 1;
        std::size_t e = i + 1;
        while (e < n && (is_alnum(t_[e]) || t_[e] == '_')) ++e;
        if (e - i - 1 < 30) return i + 1;
        return add(b, e, "github-token");
    }

    // AKIA/ASIA... access key ids, the 40-character secret that follows them, and the Redis `AUTH pw` command
    std::size_t upper_a(std::size_t i) {
        const std::size_t n = t_.size();
        if (i + 4 < n && t_[i + 1] == 'U' && t_.substr(i, 4) == "AUTH" && (i == 0 || !is_key_char(t_[i - 1])) &&
            i + 4 < n && (t_[i + 4] == ' ' || t_[i + 4] == '"'))
            return redis_auth(i + 4);
        if (i + 39 <= n && t_[i + 1] == 'I' && t_.substr(i, 4) == "AIza" && boundary_before(i) &&
            token_end(i + 4) == i + 39)
            return add(i, i + 39, "google-api-key");
        if (i + 20 > n || !boundary_before(i) || t_[i + 3] != 'A') return i + 1;
        const auto p = t_.substr(i, 4);
        if (p != "AKIA" && p != "ASIA" && p != "AGPA" && p != "AIDA" && p != "AROA" && p != "AIPA" && p != "ANPA" &&
            p != "ANVA" && p != "ABIA" && p != "ACCA")
            return i + 1;
        for (std::size_t j = i + 4; j < i + 20; ++j)
            if (!is_upper(t_[j]) && !is_digit(t_[j])) return i + 1;
        if (i + 20 < n && is_alnum(t_[i + 20])) return i + 1;
        add(i, i + 20, "aws-access-key");
        aws_secret_after(i + 20);
        return i + 20;
    }

    void aws_secret_after(std::size_t from) {
        const std::size_t n = t_.size();
        for (std::size_t j = from; j < n;) {
            if (!is_b64(t_[j])) {
                ++j;
                continue;
            }
            std::size_t e = j;
            while (e < n && is_b64(t_[e])) ++e;
            const auto tok = t_.substr(j, e - j);
            const bool edge = j == 0 || (!is_b64(t_[j - 1]) && t_[j - 1] != '=');
            if (edge && tok.size() == 40 && (e == n || t_[e] != '=') && !all_hex(tok) && classes(tok) >= 2 &&
                entropy(tok) >= 3.5) {
                pending_.push_back({j, e, "aws-secret-key"});
                return;
            }
            j = e;
        }
    }

    std::size_t redis_auth(std::size_t j) {
        const std::size_t n = t_.size();
        const auto token = [&](std::size_t& p) -> std::pair<std::size_t, std::size_t> {
            if (p < n && t_[p] == '"') ++p;
            while (p < n && t_[p] == ' ') ++p;
            const bool quoted = p < n && t_[p] == '"';
            if (quoted) ++p;
            const std::size_t b = p;
            while (p < n && (quoted ? t_[p] != '"' : !is_space(t_[p]) && t_[p] != '"')) ++p;
            return {b, p};
        };
        std::size_t p = j;
        auto [b1, e1] = token(p);
        const auto first = t_.substr(b1, e1 - b1);
        static constexpr std::string_view words[] = {
            "failed",  "failed:", "error", "ok",      "required", "success", "successful", "succeeded", "denied",
            "invalid", "command", "with",  "attempt", "called",   "is",      "was",        "for",       "(redacted)"};
        if (first.empty() || first.back() == ':' || placeholder_length(first, 0) > 0) return e1;
        for (auto w : words)
            if (iequals(first, w)) return e1;
        std::size_t q = p;
        auto [b2, e2] = token(q);
        std::size_t rest = q;
        if (rest < n && t_[rest] == '"') ++rest;
        while (rest < n && is_blank(t_[rest])) ++rest;
        if (e2 > b2 && rest >= n && placeholder_length(t_.substr(b2, e2 - b2), 0) == 0) {  // AUTH user password
            add(b1, e1, "redis-password");
            return add(b2, e2, "redis-password");
        }
        return add(b1, e1, "redis-password");
    }

    std::size_t jwt(std::size_t i) {
        if (i < 2 || t_[i - 1] != 'y' || t_[i - 2] != 'e' || !boundary_before(i - 2)) return i + 1;
        const std::size_t n = t_.size(), b = i - 2;
        std::size_t e = i + 1;
        int dots = 0;
        std::size_t part = e;
        while (e < n && (is_b64url(t_[e]) || (t_[e] == '.' && dots < 2))) {
            if (t_[e] == '.') {
                if (e - part < (dots == 0 ? 4 : 8)) return i + 1;
                ++dots;
                part = e + 1;
            }
            ++e;
        }
        if (dots < 2) return i + 1;
        return add(b, e, "jwt");
    }

    // a bare `Bearer <token>` (the header form is handled with its key)
    std::size_t bearer(std::size_t i) {
        if (!istarts_with(t_.substr(i), "bearer ") || (i > 0 && is_alnum(t_[i - 1]))) return i + 1;
        std::size_t b = i + 7, e = b;
        while (e < t_.size() && (is_alnum(t_[e]) || std::string_view("-._~+/=").find(t_[e]) != std::string_view::npos)) ++e;
        const auto tok = t_.substr(b, e - b);
        if (tok.size() < 16 || classes(tok) < 2) return i + 7;
        return add(b, e, "bearer-token");
    }

    // A secret word followed by its value without a separator: `requirepass pw`, `masterauth pw`,
    // `secret key wJalrX...`, `password is S3cr3t!x`. Only redis' own commands take any value; other words
    // need a random-looking token, so prose (`password authentication failed`) stays.
    std::size_t word_value(std::size_t sp) {
        std::size_t b = sp;
        while (b > 0 && sp - b < 12 && is_alpha(t_[b - 1])) --b;
        if (b > 0 && (is_key_char(t_[b - 1]) && t_[b - 1] != '-')) return sp + 1;
        const auto word = t_.substr(b, sp - b);
        const bool redis = iequals(word, "requirepass") || iequals(word, "masterauth");
        const bool pw = iequals(word, "password") || iequals(word, "passwd") || iequals(word, "pwd") ||
                        iequals(word, "passphrase") || iequals(word, "pass");
        if (!redis && !pw && !iequals(word, "secret") && !iequals(word, "token") && !iequals(word, "apikey") &&
            !iequals(word, "credential") && !iequals(word, "credentials"))
            return sp + 1;
        if (redis) {
            auto v = read_value(sp);
            const auto value = t_.substr(v.begin, v.end - v.begin);
            if (not_a_secret(value, "redis-password") || value.back() == ':') return v.end;
            return add(v.begin, v.end, "redis-password");
        }
        // skip a few filler words: `secret key`, `access key id`, `password is`, `token value:`
        std::size_t j = sp;
        for (int hops = 0; hops < 3; ++hops) {
            while (j < t_.size() && (t_[j] == ' ' || t_[j] == ':' || t_[j] == '=')) ++j;
            std::size_t e = j;
            while (e < t_.size() && is_alpha(t_[e])) ++e;
            const auto w = t_.substr(j, e - j);
            if (e < t_.size() && !is_space(t_[e]) && t_[e] != ':') break;
            if (!(iequals(w, "key") || iequals(w, "is") || iequals(w, "was") || iequals(w, "id") || iequals(w, "value") ||
                  iequals(w, "of") || iequals(w, "access")))
                break;
            j = e;
        }
        auto v = read_value(j);
        std::size_t e = v.end;
        while (e > v.begin && (t_[e - 1] == '.' || t_[e - 1] == ':')) --e;  // the end of a sentence
        const auto value = t_.substr(v.begin, e - v.begin);
        const bool hit = pw ? (value.size() >= 8 && classes(value) >= 3 && placeholder_length(value, 0) == 0 &&
                               value.find("://") == std::string_view::npos)
                            : random_token(value);
        if (!hit) return sp + 1;
        for (std::string_view shape :
             {"ghp_", "gho_", "ghu_", "ghs_",     "ghr_",     "github_pat_", "xox",      "eyJ",    "AKIA",     "ASIA",
              "hf_",  "npm_", "sk-",  "sk_live_", "sk_test_", "rk_live_",    "rk_test_", "glpat-", "pypi-AgE", "AIza"})
            if (value.starts_with(shape)) return v.begin;  // its own rule names it better
        return add(v.begin, e, pw ? "password" : "high-entropy-token");
    }

public:
    /// Secrets found ahead of the scan position (the AWS secret after its key id), merged in order.
    void merge_pending() {
        if (pending_.empty()) return;
        std::vector<span> all;
        all.reserve(out_.size() + pending_.size());
        std::size_t a = 0, b = 0;
        while (a < out_.size() || b < pending_.size()) {
            const bool take_b = b < pending_.size() && (a == out_.size() || pending_[b].begin <= out_[a].begin);
            const span s = take_b ? pending_[b++] : out_[a++];
            if (!all.empty() && s.begin < all.back().end) {  // the wider wins; the AWS secret rule wins a tie
                if (s.end - s.begin > all.back().end - all.back().begin) all.back() = s;
                continue;
            }
            all.push_back(s);
        }
        out_.swap(all);
    }

private:
    std::string_view t_;
    std::vector<span>& out_;
    std::vector<span> pending_;
    bool open_key_ = false;
};

}  // namespace detail::secrets
LOGLENS_NAMESPACE_END
