// Links the translation units and checks each computed its own answer.
// SPDX-License-Identifier: MIT
#include <cstddef>
#include <cstdio>

std::size_t tu1_groups();
std::size_t tu2_groups();
std::size_t tu3_groups();

int main() {
    const auto a = tu1_groups(), b = tu2_groups(), c = tu3_groups();
    std::printf("tu1: %zu groups, tu2: %zu groups, tu3: %zu groups\n", a, b, c);
    return (a == 1 && b == 2 && c == 2) ? 0 : 1;
}
