#pragma once
// Secret redaction: values that must never leave the process are replaced by stable placeholders.

#include <loglens/version.hpp>

#include <boost/regex.hpp>

#include <cctype>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

LOGLENS_NAMESPACE_BEGIN

/// @brief Replaces secrets with `<redacted:KIND:N>`; the same value always gets the same placeholder within one
/// redactor, so a report still shows that two lines carry the same credential.
///
/// Kinds: `private-key` (PEM blocks, also when fed line by line), `jwt`, `bearer-token`, `aws-access-key`
/// (AKIA/ASIA ids), `aws-secret-key`, `minio-credential`, `fernet-key`, `redis-password`, `url-password`
/// (`scheme://user:pass@host`, DSNs), `password` (`password=`, `secret:`, `token=`, `api_key=` and any key
/// name ending in those, JSON style included).
class redactor {
public:
    redactor() {
        constexpr auto icase = boost::regex::perl | boost::regex::icase;
        const auto add = [&](const char* kind, const char* re, int group, bool ci = true) {
            rules_.push_back({kind, boost::regex(re, ci ? icase : boost::regex::perl), group});
        };
        add("jwt", R"(\b(eyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}))", 1, false);
        add("bearer-token", R"(\b(bearer|basic)\s+([A-Za-z0-9\-._~+/]{8,}=*))", 2);
        add("aws-access-key", R"(\b((?:AKIA|ASIA|AIDA|AROA)[A-Z0-9]{16})\b)", 1, false);
        add("fernet-key", R"((fernet[_-]?key)(\s*["']?\s*[=:]\s*["']?)([A-Za-z0-9_\-]{43}=?))", 3);
        add("minio-credential",
            R"((MINIO_ROOT_PASSWORD|MINIO_SECRET_KEY|MINIO_ACCESS_KEY|MINIO_ROOT_USER|RootPass|RootUser)(\s*["']?\s*[=:]\s*["']?)([^\s"'&,;]+))",
            3);
        add("aws-secret-key",
            R"((aws_secret_access_key|secret_access_key|SecretAccessKey|fs\.s3a\.secret\.key|secret[_-]?key)(\s*["']?\s*[=:]\s*["']?)([^\s"'&,;]+))",
            3);
        add("redis-password", R"(\b(requirepass|masterauth)(\s+["']?)([^\s"']{4,}))", 3);
        add("url-password", R"(([A-Za-z][A-Za-z0-9+.\-]*://[^:/@\s]*:)([^@\s/]+)(@))", 2);
        add("password",
            R"(\b([\w.\-]*(?:password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key))(\s*["']?\s*[=:]\s*["']?)([^\s"'&,;]+))",
            3);
    }

    /// Returns `text` with every secret replaced. Lines of one PEM block may come in separate calls, in order.
    [[nodiscard]] std::string apply(std::string_view text) {
        std::string out = apply_private_keys(text);
        for (const auto& r : rules_) out = apply_rule(r, out);
        return out;
    }

    /// Secret kind -> how many values were redacted.
    [[nodiscard]] const std::map<std::string, std::uint64_t>& counts() const noexcept { return counts_; }

private:
    struct rule {
        std::string kind;
        boost::regex re;
        int secret_group;
    };

    static bool base64_line(std::string_view s) {
        if (s.empty()) return false;
        for (char c : s)
            if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/' || c == '=' || c == ' ' ||
                  c == '\t' || c == '\r' || c == '\n'))
                return false;
        return true;
    }

    // A PEM body carries no marker of its own, so a block split across calls is tracked here.
    std::string apply_private_keys(std::string_view text) {
        static constexpr std::string_view begin_mark = "-----BEGIN ";
        static constexpr std::string_view key_mark = "PRIVATE KEY-----";
        static constexpr std::string_view end_mark = "-----END ";
        std::string out;
        std::size_t pos = 0;
        if (in_key_) {
            const auto end = text.find(end_mark);
            if (end == std::string_view::npos && base64_line(text)) return key_placeholder_;
            in_key_ = false;
            if (end != std::string_view::npos && base64_line(text.substr(0, end))) {
                out = end == 0 ? std::string{} : key_placeholder_;
                pos = end;
            }
        }
        while (true) {
            const auto b = text.find(begin_mark, pos);
            const auto k = b == std::string_view::npos ? b : text.find(key_mark, b);
            if (b == std::string_view::npos || k == std::string_view::npos || k - b > 40) break;
            const auto body = k + key_mark.size();
            out.append(text.substr(pos, body - pos));
            key_placeholder_ = "<redacted:private-key:" + std::to_string(++serial_["private-key"]) + ">";
            ++counts_["private-key"];
            out += key_placeholder_;
            const auto e = text.find(end_mark, body);
            if (e == std::string_view::npos) {
                in_key_ = true;
                return out;
            }
            pos = e + end_mark.size();
            out.append(text.substr(e, end_mark.size()));
        }
        out.append(text.substr(pos));
        return out;
    }

    std::string apply_rule(const rule& r, const std::string& in) {
        std::string out;
        auto last = in.cbegin();
        for (boost::sregex_iterator it(in.cbegin(), in.cend(), r.re), end; it != end; ++it) {
            const auto& m = *it;
            const auto& secret = m[r.secret_group];
            if (!secret.matched || secret.first < last || inside_placeholder(in, m[0].first)) continue;
            const std::string value = secret.str();
            if (value.starts_with("<redacted:") || value.starts_with("<redacted")) continue;
            out.append(last, secret.first);
            out += placeholder(r.kind, value);
            last = secret.second;
        }
        out.append(last, in.cend());
        return out;
    }

    // a key name such as `url-password` inside `<redacted:url-password:1>` must not start a new match
    static bool inside_placeholder(const std::string& in, std::string::const_iterator at) {
        const auto pos = static_cast<std::size_t>(at - in.cbegin());
        const auto open = in.rfind("<redacted:", pos);
        return open != std::string::npos && in.find('>', open) >= pos;
    }

    std::string placeholder(const std::string& kind, const std::string& value) {
        auto [it, inserted] = seen_.try_emplace(value, std::string{});
        if (inserted) it->second = "<redacted:" + kind + ":" + std::to_string(++serial_[kind]) + ">";
        ++counts_[kind];
        return it->second;
    }

    std::vector<rule> rules_;
    std::map<std::string, std::string> seen_;
    std::map<std::string, std::uint64_t> serial_;
    std::map<std::string, std::uint64_t> counts_;
    bool in_key_ = false;
    std::string key_placeholder_;
};

LOGLENS_NAMESPACE_END
