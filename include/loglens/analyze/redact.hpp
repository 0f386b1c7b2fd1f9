#pragma once
// Secret redaction: values that must never leave the process are replaced by stable placeholders.

#include <loglens/version.hpp>

#include <boost/regex.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

LOGLENS_NAMESPACE_BEGIN

/// Replaces secrets with `<redacted:KIND:N>`; the same value always gets the same placeholder within one
/// redactor, so a report still shows that two lines carry the same credential.
class redactor {
public:
    redactor() {
        rules_.push_back({"url-password", boost::regex(R"(([A-Za-z][A-Za-z0-9+.\-]*://[^:/@\s]+:)([^@\s/]+)(@))"), 2});
        rules_.push_back({"password", boost::regex(R"((?i)\b(password|passwd|pwd|secret|token|api[_-]?key)(\s*[=:]\s*["']?)([^\s"'&,;]+))"), 3});
    }

    /// Returns `text` with every secret replaced.
    [[nodiscard]] std::string apply(std::string_view text) {
        std::string out(text);
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

    std::string apply_rule(const rule& r, const std::string& in) {
        std::string out;
        auto last = in.cbegin();
        for (boost::sregex_iterator it(in.cbegin(), in.cend(), r.re), end; it != end; ++it) {
            const auto& m = *it;
            const auto& secret = m[r.secret_group];
            if (std::string_view(&*secret.first, static_cast<std::size_t>(secret.length())).starts_with("<redacted:"))
                continue;
            out.append(last, secret.first);
            out += placeholder(r.kind, secret.str());
            last = secret.second;
        }
        out.append(last, in.cend());
        return out;
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
};

LOGLENS_NAMESPACE_END
