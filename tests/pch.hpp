#pragma once
// Precompiled for every test translation unit: Boost.Test and the whole library (in the form the target uses).
// SPDX-License-Identifier: MIT

#include <boost/test/unit_test.hpp>

#include <loglens/loglens.hpp>

#include <filesystem>
#include <sstream>
#include <string>
#include <vector>
#include <boost/asio/steady_timer.hpp>

#include <map>
#include <memory>
#include <thread>
