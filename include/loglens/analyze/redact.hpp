#pragma once
// Secret redaction at the source: every entry's text has its credentials replaced by stable placeholders.
// SPDX-License-Identifier: MIT

#include <loglens/analyze/detail/secret_scan.hpp>
#include <loglens/core/types.hpp>
#include <loglens/version.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

LOGLENS_NAMESPACE_BEGIN

/// @brief Replaces secrets with `<redacted:KIND:N>`; the same value always gets the same placeholder within one
/// redactor, so grouping, counts and reports still show that two entries carry the same credential.
///
/// The pipeline runs one redactor per run on every entry as the parser hands it over, before grouping, so
/// templates, parameter values, samples, prompts, cache keys and reports are all made of redacted text.
/// What it finds (kinds): values of keys, flags, headers and variables named like a secret (`password`,
/// `secret`, `token`, `api-key`, `access-key`, `private-key`, `credential`, `auth`, `sasl-credential`,
/// `jaas-config`, `fernet-key`, `minio-credential`, `aws-secret-key`, `redis-password`) in the layouts
/// `k=v`, `k: v`, `"k": "v"`, `--k v`, `-Dk=v`, `export K=v`; `requirepass`/`masterauth`/`AUTH` arguments;
/// `url-password` (`scheme://user:pw@host` for any scheme); token shapes `aws-access-key` (and the 40-character
/// `aws-secret-key` after it), `github-token`, `slack-token`, `slack-webhook`, `jwt`, `bearer-token`, `basic-auth`,
/// `fernet-key` anywhere, provider keys by shape (`openai-api-key`, `anthropic-api-key`, `huggingface-token`,
/// `google-api-key`, `gitlab-token`, `stripe-key`, `npm-token`, `pypi-token`), `private-key` blocks (PEM,
/// OpenSSH, PGP), and `high-entropy-token`: a random-looking
/// token right after a secret word. Git SHAs, UUIDs, container, block, trace and request ids stay visible.
class redactor {
public:
    /// Returns `text` with every secret replaced. A private-key block that does not end in `text` is
    /// redacted to its end; nothing carries over to the next call.
    [[nodiscard]] std::string apply(std::string_view text) {
        std::string out(text);
        redact_text(out, true, false);
        return out;
    }

    /// Redacts one entry in place: its message and continuation lines as one sequence (a key block may span
    /// them), the raw header line, the exception and the component. Block state ends with the entry.
    void redact(log_entry& e) {
        // the raw line usually is a prefix and the message: then it is rebuilt from the redacted message
        const bool raw_ends_in_message = !e.raw.empty() && e.raw.size() >= e.message.size() && e.raw.ends_with(e.message);
        const std::size_t prefix = raw_ends_in_message ? e.raw.size() - e.message.size() : 0;
        const bool changed = redact_lines(e);
        const bool component_changed = redact_text(e.component, true, false);
        if (raw_ends_in_message) {
            if (changed) e.raw.replace(prefix, std::string::npos, e.message);
            // most headers are a timestamp, a level and the component: nothing there to scan
            const auto head = std::string_view(e.raw).substr(0, prefix);
            if (prefix > 0 && (component_changed || !detail::secrets::plain_header(head, e.component)) &&
                scan(head, true, false))
                e.raw.replace(0, prefix, out_);
        } else {
            redact_text(e.raw, false, false);
        }
        redact_text(e.exception, false, false);
    }

    /// Secret kind -> how many values were redacted.
    [[nodiscard]] const std::map<std::string, std::uint64_t>& counts() const noexcept { return counts_; }

    /// At most this many distinct values get their own number; later ones share `<redacted:KIND:0>`, so a
    /// hostile input cannot make the table grow without bound.
    static constexpr std::size_t max_distinct = 1u << 16;

private:
    // Scans `s`; when it holds secrets, writes the redacted text to `out_` and returns true. `open_` tells that
    // a key block goes on after the end of `s`; with `defer_block` its body is then left out (`block_value_`,
    // `block_at_`) for the caller to finish over the following lines.
    bool scan(std::string_view s, bool count, bool defer_block) {
        open_ = false;
        if (s.empty()) return false;
        spans_.clear();
        detail::secrets::line_scanner scanner(s, spans_);
        open_ = scanner.run();
        scanner.merge_pending();
        if (spans_.empty()) return false;
        out_.clear();
        out_.reserve(s.size() + 16 * spans_.size());
        std::size_t last = 0;
        for (const auto& sp : spans_) {
            out_.append(s.substr(last, sp.begin - last));
            last = sp.end;
            if (defer_block && open_ && &sp == &spans_.back() && sp.kind == "private-key") {
                block_value_.assign(s.substr(sp.begin, sp.end - sp.begin));
                block_at_ = out_.size();
                continue;
            }
            out_ += placeholder(sp.kind, s.substr(sp.begin, sp.end - sp.begin), count);
        }
        out_.append(s.substr(last));
        // Rules that overlap may hide a secret behind another's span: scan again until nothing is found, so
        // that redacting redacted text changes nothing (a key block's caller finishes it, so not then).
        for (int round = 0; round < 4 && !(defer_block && open_); ++round) {
            spans_.clear();
            detail::secrets::line_scanner again(out_, spans_);
            const bool open = again.run();
            again.merge_pending();
            if (spans_.empty()) break;
            std::string next;
            next.reserve(out_.size());
            std::size_t from = 0;
            for (const auto& sp : spans_) {
                next.append(out_, from, sp.begin - from);
                next += placeholder(sp.kind, std::string_view(out_).substr(sp.begin, sp.end - sp.begin), count);
                from = sp.end;
            }
            next.append(out_, from);
            out_.swap(next);
            open_ = open_ || open;
        }
        return true;
    }

    bool redact_text(std::string& s, bool count, bool defer_block) {
        if (!scan(s, count, defer_block)) return false;
        s.swap(out_);
        return true;
    }

    static bool body_line(std::string_view l) {
        for (char c : l)
            if (!(detail::secrets::is_b64(c) || c == '=' || detail::is_space(c) || c == '\\')) return false;
        return true;
    }
    static bool pem_header(std::string_view l) {
        return l.starts_with("Proc-Type:") || l.starts_with("DEK-Info:") || l.starts_with("Comment:") ||
               l.starts_with("Version:");
    }

    std::string& line(log_entry& e, std::size_t k) { return k == 0 ? e.message : e.continuation[k - 1]; }

    // The message and continuation lines as one sequence; returns whether the message changed.
    bool redact_lines(log_entry& e) {
        bool message_changed = false;
        const std::size_t count = 1 + e.continuation.size();
        for (std::size_t k = 0; k < count; ++k) {
            block_value_.clear();
            block_at_ = std::string::npos;
            const bool changed = redact_text(line(e, k), true, true);
            message_changed = message_changed || (k == 0 && (changed || open_));
            if (!open_) continue;
            // a key block: its body lines up to `-----END`, as one value with one placeholder
            std::string value = block_value_;
            const std::size_t at = block_at_;
            std::size_t j = k + 1, end_at = std::string::npos;
            for (; j < count; ++j) {
                const std::string_view l = line(e, j);
                const auto end = l.find("-----END ");
                if (end != std::string_view::npos) {
                    if (body_line(l.substr(0, end))) {
                        value.append(l.substr(0, end));
                        end_at = end;
                    }
                    break;
                }
                if (!body_line(l) && !pem_header(l)) break;
                value.append(l);
            }
            if (value.empty()) continue;  // nothing of a key here (a bare BEGIN line, or one redacted before)
            const std::string ph = placeholder("private-key", value, true);
            if (at != std::string::npos) line(e, k).insert(at, ph);
            for (std::size_t b = k + 1; b < j; ++b) line(e, b) = ph;
            if (end_at != std::string::npos) line(e, j).replace(0, end_at, end_at > 0 ? ph : std::string{});
            k = j - 1;  // the END line (or the first line after the block) is scanned as usual
        }
        return message_changed;
    }

    std::string placeholder(std::string_view kind, std::string_view value, bool count) {
        if (count) ++counts_[std::string(kind)];
        auto it = seen_.find(std::string(value));
        if (it != seen_.end()) return it->second;
        if (seen_.size() >= max_distinct) return "<redacted:" + std::string(kind) + ":0>";
        auto& serial = serial_[std::string(kind)];
        std::string ph = "<redacted:" + std::string(kind) + ":" + std::to_string(++serial) + ">";
        seen_.emplace(std::string(value), ph);
        return ph;
    }

    std::vector<detail::secrets::span> spans_;
    std::unordered_map<std::string, std::string> seen_;
    std::map<std::string, std::uint64_t> serial_;
    std::map<std::string, std::uint64_t> counts_;
    std::string out_;
    bool open_ = false;
    std::string block_value_;
    std::size_t block_at_ = std::string::npos;
};

LOGLENS_NAMESPACE_END
