#pragma once
// A non-owning reference to a callable, so hot paths can take callbacks without std::function's allocation.
// SPDX-License-Identifier: MIT

#include <loglens/version.hpp>

#include <functional>
#include <memory>
#include <type_traits>
#include <utility>

LOGLENS_NAMESPACE_BEGIN
namespace detail {

template <class Signature>
class function_ref;

template <class R, class... Args>
class function_ref<R(Args...)> {
public:
    template <class F>
        requires(!std::is_same_v<std::remove_cvref_t<F>, function_ref> && std::is_invocable_r_v<R, F&, Args...>)
    function_ref(F&& f)
    noexcept  // NOLINT: implicit on purpose, like std::function_ref
        : object_(const_cast<void*>(static_cast<const void*>(std::addressof(f)))),
          call_([](void* o, Args... args) -> R {
              return std::invoke(*static_cast<std::add_pointer_t<F>>(o), std::forward<Args>(args)...);
          }) {}

    R operator()(Args... args) const { return call_(object_, std::forward<Args>(args)...); }

private:
    void* object_;
    R (*call_)(void*, Args...);
};

}  // namespace detail
LOGLENS_NAMESPACE_END
