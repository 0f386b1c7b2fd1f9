#pragma once
// The analyser that explains nothing: each group keeps the classification its severity implies.
// SPDX-License-Identifier: MIT

#include <loglens/analyze/analysis_context.hpp>
#include <loglens/core/concepts.hpp>

#include <boost/asio/post.hpp>

LOGLENS_NAMESPACE_BEGIN

/// The default analyser slot: offline, instant, honest about knowing nothing (`source` is `none`).
struct null_analyzer {
    using stage_category = analyzer_tag;

    void async_analyze(const log_group& g, const analysis_context& ctx, analysis_handler done) const {
        analysis a;
        a.verdict = classification_for(g.level);
        a.source = analysis_source::none;
        // the handler must never run inside async_analyze: callers may hold state they update after the call
        boost::asio::post(ctx.executor, [a = std::move(a), done = std::move(done)]() mutable { done(std::move(a)); });
    }
};

LOGLENS_NAMESPACE_END
