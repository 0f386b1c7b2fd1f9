// libFuzzer target: line_format on an arbitrary format (first line) and arbitrary lines (the rest).
#include <loglens/parse/line_format.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
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
    std::vector<std::string_view> fields;
    auto rest = in.substr(nl + 1);
    while (!rest.empty()) {
        const auto e = rest.find('\n');
        const auto line = rest.substr(0, e);
        if (f->split(line, fields)) {
            if (fields.size() != f->field_names().size()) std::abort();
            for (auto v : fields)  // every field is a view into the line
                if (!v.empty() && (v.data() < line.data() || v.data() + v.size() > line.data() + line.size())) std::abort();
        }
        if (e == std::string_view::npos) break;
        rest.remove_prefix(e + 1);
    }
    return 0;
}
