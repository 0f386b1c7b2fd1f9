// libFuzzer target: line_format on an arbitrary format (first line) and arbitrary lines (the rest). For a
// SPDX-License-Identifier: MIT
// format the hand matcher handles, it must split every line exactly as Boost.Regex does: the same format with a
// no-op `x{0}` appended is left to the regex engine, and the two answers are compared.
#include <loglens/parse/line_format.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view in(reinterpret_cast<const char*>(data), size);
    const auto nl = in.find('\n');
    if (nl == std::string_view::npos || nl > 200) return 0;
    std::optional<loglens::line_format> f;
    try {
        f = loglens::line_format::compile(in.substr(0, nl));
    } catch (const std::invalid_argument&) {
        return 0;
    }
    if (f->field_names().empty()) std::abort();
    std::optional<loglens::line_format> by_regex;
    if (f->is_simple()) {
        try {
            by_regex = loglens::line_format::compile(std::string(in.substr(0, nl)) + "x{0}");
        } catch (const std::invalid_argument&) {
            std::abort();  // the format compiled without the suffix
        }
        if (by_regex->is_simple()) std::abort();
    }
    std::vector<std::string_view> fields, regex_fields;
    auto rest = in.substr(nl + 1);
    while (!rest.empty()) {
        const auto e = rest.find('\n');
        const auto line = rest.substr(0, e);
        const bool matched = f->split(line, fields);
        if (matched) {
            if (fields.size() != f->field_names().size()) std::abort();
            for (auto v : fields)  // every field is a view into the line
                if (!v.empty() && (v.data() < line.data() || v.data() + v.size() > line.data() + line.size())) std::abort();
        }
        if (by_regex) {
            if (by_regex->split(line, regex_fields) != matched) std::abort();
            if (matched)
                for (std::size_t i = 0; i < fields.size(); ++i)  // same text at the same place
                    if (fields[i].data() != regex_fields[i].data() && !(fields[i].empty() && regex_fields[i].empty()))
                        std::abort();
                    else if (fields[i].size() != regex_fields[i].size()) std::abort();
        }
        if (e == std::string_view::npos) break;
        rest.remove_prefix(e + 1);
    }
    return 0;
}
