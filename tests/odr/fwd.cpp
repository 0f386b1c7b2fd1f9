// Compile-time check that <loglens/fwd.hpp> agrees with the definitions: a different class key, enum base,
// template default or alias target would not compile here. Linked into the ODR program of include/.
// SPDX-License-Identifier: MIT
#include <loglens/fwd.hpp>
#include <loglens/loglens.hpp>
#include <loglens/fwd.hpp>

#include <type_traits>

static_assert(std::is_same_v<loglens::default_pipeline, loglens::basic_default_pipeline<>>);
static_assert(std::is_same_v<loglens::default_writers,
                             loglens::writers<loglens::markdown_writer, loglens::json_writer, loglens::html_writer>>);
