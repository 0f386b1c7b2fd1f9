// The Boost.Test entry point of the suite; the tests live in the other files of this folder.
// SPDX-License-Identifier: MIT
#define BOOST_TEST_MODULE loglens
#include <boost/test/unit_test.hpp>
