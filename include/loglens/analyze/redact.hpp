#pragma once
// Secret redaction at the source: every entry's text has its credentials replaced by stable placeholders.

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
/// `fernet-key` anywhere, `private-key` blocks (PEM, OpenSSH, PGP), and `high-entropy-token`: a random-looking
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
        const std::string original_message = e.message;
        redact_lines(e);
        if (!e.raw.empty()) {
            if (e.raw.size() >= original_message.size() && e.raw.ends_with(original_message)) {
                std::string prefix = e.raw.substr(0, e.raw.size() - original_message.size());
                redact_text(prefix, true, false);
                e.raw = std::move(prefix) + e.message;
            } else {
                redact_text(e.raw, false, false);
            }
        }
        redact_text(e.exception, false, false);
        redact_text(e.component, true, false);
    }

    /// Secret kind -> how many values were redacted.
    [[nodiscard]] const std::map<std::string, std::uint64_t>& counts() const noexcept { return counts_; }

    /// At most this many distinct values get their own number; later ones share `<redacted:KIND:0>`, so a
    /// hostile input cannot make the table grow without bound.
    static constexpr std::size_t max_distinct = 1u << 16;

private:
    // Replaces the spans the scanner found. Returns true when a key block goes on after the end of `s`; with
    // `defer_block` its body is then left out (`block_value_`, `block_at_`) for the caller to finish.
    bool redact_text(std::string& s, bool count, bool defer_block) {
        if (s.empty()) return false;
        spans_.clear();
        detail::secrets::line_scanner scan(s, spans_);
        const bool open = scan.run();
        scan.merge_pending();
        if (spans_.empty()) return open;
        std::string out;
        out.reserve(s.size() + 16 * spans_.size());
        std::size_t last = 0;
        for (const auto& sp : spans_) {
            out.append(s, last, sp.begin - last);
            const bool open_block = defer_block && open && &sp == &spans_.back() && sp.kind == "private-key";
            if (open_block) {
                block_value_.assign(s, sp.begin, sp.end - sp.begin);
                last = sp.end;
                block_at_ = out.size();
                continue;
            }
            out += placeholder(sp.kind, std::string_view(s).substr(sp.begin, sp.end - sp.begin), count);
            last = sp.end;
        }
        out.append(s, last);
        s = std::move(out);
        return open;
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

    void redact_lines(log_entry& e) {
        std::vector<std::string*> lines;
        lines.reserve(1 + e.continuation.size());
        lines.push_back(&e.message);
        for (auto& l : e.continuation) lines.push_back(&l);
        for (std::size_t k = 0; k < lines.size(); ++k) {
            block_value_.clear();
            block_at_ = std::string::npos;
            if (!redact_text(*lines[k], true, true)) continue;
            // a key block: its body lines up to `-----END`, as one value with one placeholder
            std::string value = block_value_;
            const std::size_t at = block_at_;
            std::size_t j = k + 1, end_at = std::string::npos;
            for (; j < lines.size(); ++j) {
                const std::string_view l = *lines[j];
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
            const std::string ph = placeholder("private-key", value, true);
            if (at != std::string::npos) lines[k]->insert(at, ph);
            for (std::size_t b = k + 1; b < j; ++b) *lines[b] = ph;
            if (end_at != std::string::npos) lines[j]->replace(0, end_at, end_at > 0 ? ph : std::string{});
            k = j - 1;  // the END line (or the first line after the block) is scanned as usual
        }
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
    std::string block_value_;
    std::size_t block_at_ = std::string::npos;
};

LOGLENS_NAMESPACE_END
