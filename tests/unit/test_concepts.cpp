// Positive and negative models of every stage concept.
// SPDX-License-Identifier: MIT
#include <loglens/loglens.hpp>
#ifdef LOGLENS_COMPILED_LIB  // the clients themselves: <loglens/loglens.hpp> leaves them out in compiled mode
#include <loglens/analyze/llm_client.hpp>
#endif

#include <boost/test/unit_test.hpp>

namespace {
using namespace loglens;

struct parser_without_tag {
    void start(const source_info&) {}
    void feed(std::string_view, entry_sink) {}
    void finish(entry_sink) {}
    const ingest_stats& stats() const { return s; }
    ingest_stats s;
};
struct parser_with_wrong_tag : parser_without_tag {
    using stage_category = grouper_tag;
};
struct parser_not_copyable : parser_without_tag {
    using stage_category = parser_tag;
    parser_not_copyable() = default;
    parser_not_copyable(const parser_not_copyable&) = delete;
};
struct parser_without_finish {
    using stage_category = parser_tag;
    void start(const source_info&) {}
    void feed(std::string_view, entry_sink) {}
    const ingest_stats& stats() const { return s; }
    ingest_stats s;
};
struct minimal_parser : parser_without_tag {
    using stage_category = parser_tag;
};

struct grouper_without_resolve {
    using stage_category = grouper_tag;
    std::size_t add(log_entry&&) { return 0; }
    std::vector<log_group> groups() const { return {}; }
};
struct minimal_grouper : grouper_without_resolve {
    std::size_t resolve(std::size_t k) const { return k; }
};

struct sync_analyzer {
    using stage_category = analyzer_tag;
    analysis analyse(const log_group&) { return {}; }
};
struct minimal_analyzer {
    using stage_category = analyzer_tag;
    void async_analyze(const log_group&, const analysis_context&, analysis_handler h) { h({}); }
};

struct writer_without_extension {
    using stage_category = writer_tag;
    void write(const report&, std::ostream&) const {}
};
struct minimal_writer : writer_without_extension {
    std::string_view extension() const { return "txt"; }
};
struct writer_with_mutable_write {  // write must be callable on a const writer
    using stage_category = writer_tag;
    std::string_view extension() const { return "txt"; }
    void write(const report&, std::ostream&) {}
};

struct minimal_progress {
    using stage_category = progress_tag;
    void on_progress(const progress_event&) {}
};
struct progress_without_tag {
    void on_progress(const progress_event&) {}
};
}  // namespace

BOOST_AUTO_TEST_SUITE(concepts)

BOOST_AUTO_TEST_CASE(log_parser_models) {
    BOOST_TEST((log_parser<plain_parser>));
    BOOST_TEST((log_parser<minimal_parser>));
    BOOST_TEST((!log_parser<parser_without_tag>));     // the opt-in tag is required
    BOOST_TEST((!log_parser<parser_with_wrong_tag>));  // a tag for another slot does not count
    BOOST_TEST((!log_parser<parser_not_copyable>));    // the pipeline copies a prototype per stream
    BOOST_TEST((!log_parser<parser_without_finish>));  // finish() flushes the last entry
    BOOST_TEST((!log_parser<exact_grouper>));
}

BOOST_AUTO_TEST_CASE(entry_grouper_models) {
    BOOST_TEST((entry_grouper<exact_grouper>));
    BOOST_TEST((entry_grouper<minimal_grouper>));
    BOOST_TEST((!entry_grouper<grouper_without_resolve>));
    BOOST_TEST((!entry_grouper<plain_parser>));
    BOOST_TEST((!entry_grouper<int>));
}

BOOST_AUTO_TEST_CASE(group_analyzer_models) {
    BOOST_TEST((group_analyzer<null_analyzer>));
    BOOST_TEST((group_analyzer<minimal_analyzer>));
    BOOST_TEST((!group_analyzer<sync_analyzer>));
    BOOST_TEST((!group_analyzer<json_writer>));
}

BOOST_AUTO_TEST_CASE(report_writer_models) {
    BOOST_TEST((report_writer<json_writer>));
    BOOST_TEST((report_writer<minimal_writer>));
    BOOST_TEST((!report_writer<writer_without_extension>));
    BOOST_TEST((!report_writer<writer_with_mutable_write>));
}

BOOST_AUTO_TEST_CASE(progress_sink_models) {
    BOOST_TEST((progress_sink<null_progress>));
    BOOST_TEST((progress_sink<minimal_progress>));
    BOOST_TEST((!progress_sink<progress_without_tag>));
}

BOOST_AUTO_TEST_SUITE_END()

namespace {
// An LLM client model without the opt-in tag, and one whose generate() is synchronous.
struct client_without_tag {
    const loglens::llm_options& options() const { return o; }
    const loglens::detail::http_endpoint& endpoint() const { return e; }
    boost::asio::awaitable<loglens::llm_reply> generate(std::vector<loglens::llm_message>, boost::json::object,
                                                        std::stop_token) const;
    boost::asio::awaitable<loglens::llm_server_info> check(std::stop_token, std::chrono::milliseconds) const;
    loglens::llm_options o;
    loglens::detail::http_endpoint e;
};
struct tagged_client : client_without_tag {
    using stage_category = loglens::llm_client_tag;
};
struct synchronous_client : tagged_client {
    loglens::llm_reply generate(std::vector<loglens::llm_message>, boost::json::object, std::stop_token) const;
};
}  // namespace

BOOST_AUTO_TEST_SUITE(concepts)

BOOST_AUTO_TEST_CASE(llm_client_models) {
    BOOST_TEST((loglens::llm_client<loglens::ollama_client>));
    BOOST_TEST((loglens::llm_client<loglens::openai_client>));
    BOOST_TEST((loglens::llm_client<tagged_client>));
    BOOST_TEST((!loglens::llm_client<client_without_tag>));  // the opt-in tag is required
    BOOST_TEST((!loglens::llm_client<synchronous_client>));  // generate must be awaitable
    BOOST_TEST((!loglens::llm_client<loglens::standard_analyzer>));
}

BOOST_AUTO_TEST_SUITE_END()
