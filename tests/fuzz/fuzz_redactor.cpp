// libFuzzer target: the redactor on arbitrary text, as one string and as an entry (first line the message, the
// SPDX-License-Identifier: MIT
// rest continuation lines). It must not crash, must be idempotent, must write only well-formed placeholders
// (a known kind and a number: nothing of the input), and must count exactly the placeholders it wrote. A header
// that `plain_header` lets the redactor skip must hold nothing the scanner finds.
#include <loglens/analyze/redact.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace {

bool known_kind(std::string_view k) {
    static constexpr std::string_view kinds[] = {"password",
                                                 "secret",
                                                 "token",
                                                 "api-key",
                                                 "access-key",
                                                 "private-key",
                                                 "credential",
                                                 "auth",
                                                 "sasl-credential",
                                                 "jaas-config",
                                                 "fernet-key",
                                                 "minio-credential",
                                                 "aws-secret-key",
                                                 "aws-access-key",
                                                 "redis-password",
                                                 "url-password",
                                                 "github-token",
                                                 "slack-token",
                                                 "slack-webhook",
                                                 "jwt",
                                                 "bearer-token",
                                                 "basic-auth",
                                                 "high-entropy-token",
                                                 "openai-api-key",
                                                 "anthropic-api-key",
                                                 "huggingface-token",
                                                 "google-api-key",
                                                 "gitlab-token",
                                                 "stripe-key",
                                                 "npm-token",
                                                 "pypi-token"};
    for (auto x : kinds)
        if (x == k) return true;
    return false;
}

// Every `<redacted:` the redactor added is `<redacted:KIND:N>`; returns how many there are.
std::size_t check_placeholders(std::string_view out) {
    std::size_t n = 0;
    for (auto at = out.find("<redacted:"); at != std::string_view::npos; at = out.find("<redacted:", at + 1)) {
        const auto kind_end = out.find(':', at + 10);
        if (kind_end == std::string_view::npos || !known_kind(out.substr(at + 10, kind_end - at - 10))) std::abort();
        auto e = kind_end + 1;
        while (e < out.size() && out[e] >= '0' && out[e] <= '9') ++e;
        if (e == kind_end + 1 || e >= out.size() || out[e] != '>') std::abort();
        ++n;
    }
    return n;
}

std::uint64_t total(const loglens::redactor& r) {
    std::uint64_t n = 0;
    for (const auto& [k, v] : r.counts()) n += v;
    return n;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view in(reinterpret_cast<const char*>(data), size);
    if (in.find("<redacted") != std::string_view::npos) {  // placeholders in the input: only no crash, idempotence
        loglens::redactor r;
        const auto once = r.apply(in);
        if (r.apply(once) != once) std::abort();
        return 0;
    }
    // a header the redactor leaves unscanned is one in which the scanner finds nothing (the first line as the
    // header, the text in its first braces, or else its second word, as the component; one that holds no secret)
    {
        const auto head = in.substr(0, in.find('\n'));
        std::string_view component;
        if (const auto b = head.find('{'); b != std::string_view::npos)
            component = head.substr(b + 1, head.find_first_of(":}", b + 1) - b - 1);
        else if (const auto sp = head.find(' '); sp != std::string_view::npos)
            component = head.substr(sp + 1, head.find(' ', sp + 1) - sp - 1);
        const auto secrets_in = [](std::string_view t) {
            std::vector<loglens::detail::secrets::span> spans;
            loglens::detail::secrets::line_scanner scanner(t, spans);
            scanner.run();
            scanner.merge_pending();
            return !spans.empty();
        };
        // the redactor scans the component itself, and the whole header when the component held a secret
        if (loglens::detail::secrets::plain_header(head, component) && !secrets_in(component) && secrets_in(head))
            std::abort();
    }
    loglens::redactor r;
    const std::string once = r.apply(in);
    if (check_placeholders(once) != total(r)) std::abort();
    const auto counted = r.counts();
    if (r.apply(once) != once || r.counts() != counted) std::abort();

    loglens::log_entry e;
    std::string_view rest = in;
    const auto nl = rest.find('\n');
    e.message = std::string(rest.substr(0, nl));
    e.raw = "prefix | " + e.message;
    rest = nl == std::string_view::npos ? std::string_view{} : rest.substr(nl + 1);
    while (!rest.empty()) {
        const auto n = rest.find('\n');
        e.continuation.emplace_back(rest.substr(0, n));
        rest = n == std::string_view::npos ? std::string_view{} : rest.substr(n + 1);
    }
    loglens::redactor er;
    er.redact(e);
    std::string all = e.message + '\n' + e.raw + '\n';
    for (const auto& l : e.continuation) all += l + '\n';
    check_placeholders(all);
    const auto before = all;
    er.redact(e);
    std::string again = e.message + '\n' + e.raw + '\n';
    for (const auto& l : e.continuation) again += l + '\n';
    if (again != before) std::abort();
    return 0;
}
