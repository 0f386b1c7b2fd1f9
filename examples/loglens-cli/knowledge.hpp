#pragma once
// The CLI's user knowledge: `--kb FILE` and the files of $XDG_CONFIG_HOME/loglens/kb/, read before any input.
// SPDX-License-Identifier: MIT

#include "settings.hpp"

#include <loglens/offline.hpp>

#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

namespace loglens_cli {

/// The folder whose `*.json` files every run reads: $XDG_CONFIG_HOME/loglens/kb, else ~/.config/loglens/kb.
inline std::string user_kb_folder() {
    if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg && *xdg) return std::string(xdg) + "/loglens/kb";
    if (const char* home = std::getenv("HOME"); home && *home) return std::string(home) + "/.config/loglens/kb";
    return {};
}

/// The knowledge base of a run: the built-in one, or the user's signatures in front of it. A bad file stops the
/// run before any input is read (exit 2), with the file, the entry and the field in the message.
struct run_knowledge {
    loglens::user_knowledge user;
    std::unique_ptr<loglens::knowledge_base> combined;

    [[nodiscard]] const loglens::knowledge_base& kb() const {
        return combined ? *combined : loglens::knowledge_base::builtin();
    }

    static std::unique_ptr<run_knowledge> load(const std::vector<std::string>& files, bool with_folder) {
        auto k = std::make_unique<run_knowledge>();
        try {
            if (with_folder)
                if (const auto dir = user_kb_folder(); !dir.empty()) k->user.load_folder(dir);
            for (const auto& f : files) k->user.load_file(f);
        } catch (const loglens::knowledge_file_error& e) {
            throw usage_error(std::string(e.what()) + " (see docs/knowledge.md for the format)");
        }
        if (!k->user.signatures().empty()) k->combined = std::make_unique<loglens::knowledge_base>(k->user.combined());
        return k;
    }
};

}  // namespace loglens_cli
