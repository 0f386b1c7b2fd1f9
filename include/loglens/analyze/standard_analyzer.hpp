#pragma once
// loglens::standard_analyzer: the knowledge base first, then a local LLM (Ollama or OpenAI-compatible), never losing a group.

#include <loglens/analyze/knowledge_base.hpp>
#include <loglens/analyze/llm_cache.hpp>
#include <loglens/analyze/llm_client.hpp>
#include <loglens/analyze/prompt.hpp>
#include <loglens/core/concepts.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

LOGLENS_NAMESPACE_BEGIN

/// What `probe_llm` found out, for `--backend auto` and for the report's note.
struct probe_result {
    bool reachable = false;
    bool model_present = false;
    std::string server_version;
    std::string message;  ///< one line: what was found and what to do
    [[nodiscard]] bool usable() const noexcept { return reachable && model_present; }
};

namespace detail {

inline std::string backend_name(llm_backend b) {
    return b == llm_backend::openai ? "the OpenAI-compatible server" : "Ollama";
}

/// The server check shared by `probe_llm` and the analyser's first call. Never throws.
template <llm_client Client>
boost::asio::awaitable<probe_result> check_server(const Client& c, std::shared_ptr<cancel_registry> reg) {
    probe_result p;
    const auto& o = c.options();
    const std::string who = backend_name(o.backend) + " at " + c.endpoint().url;
    std::optional<llm_error> err;
    llm_server_info info;
    try {
        info = co_await c.check(reg, o.probe_timeout);
    } catch (const llm_error& e) {
        err = e;
    }
    if (err) {
        p.reachable = err->what_kind == llm_error::kind::http_status;
        if (err->what_kind == llm_error::kind::unreachable || err->what_kind == llm_error::kind::timeout)
            p.message = std::string(err->what()) + ": " +
                        (o.backend == llm_backend::ollama ? "start it with `ollama serve` or set OLLAMA_BASE_URL"
                                                          : "start the server or set OPENAI_BASE_URL");
        else p.message = err->what();
        co_return p;
    }
    p.reachable = true;
    p.server_version = info.version;
    p.model_present = info.model_present;
    if (p.model_present) p.message = who + " (version " + info.version + ") serves model '" + o.model + "'";
    else if (o.backend == llm_backend::ollama)
        p.message = who + " (version " + info.version + ") is running but model '" + o.model +
                    "' is not pulled: run `ollama pull " + o.model + "` or set OLLAMA_MODEL to one of the " +
                    std::to_string(info.models.size()) + " pulled models";
    else
        p.message = who + " does not list model '" + o.model + "'; set the model to one it serves";
    co_return p;
}

}  // namespace detail

/// Checks, synchronously and within `opts.probe_timeout`, whether the configured LLM can be used.
inline probe_result probe_llm(const llm_options& opts) {
    probe_result out;
    if (opts.backend == llm_backend::none) {
        out.message = "LLM analysis is off (backend none)";
        return out;
    }
    try {
        boost::asio::io_context ioc;
        auto reg = std::make_shared<detail::cancel_registry>();
        const auto run = [&](const auto& client) {
            boost::asio::co_spawn(ioc, detail::check_server(client, reg), [&](std::exception_ptr e, probe_result p) {
                if (!e) out = std::move(p);
                else out.message = "probe failed unexpectedly";
            });
            ioc.run();
        };
        if (opts.backend == llm_backend::ollama) run(ollama_client(opts));
        else run(openai_client(opts));
    } catch (const std::exception& e) {
        out.message = e.what();  // an invalid URL: the message names the setting
    }
    return out;
}

/// @brief The analyser most runs want: known signatures from the knowledge base, explained further by an LLM
/// when one is configured, cached on disk, and always falling back to the knowledge base or heuristics.
///
/// Every group gets exactly one analysis. When the LLM fails (unreachable, model not pulled, HTTP errors after
/// retries, timeouts, answers that break the schema twice), the group keeps its offline analysis and
/// `analysis::error` says what went wrong. Copies share one state (cache, counters, cancellation).
class standard_analyzer {
public:
    using stage_category = analyzer_tag;

    standard_analyzer() : standard_analyzer(llm_options{}) {}
    explicit standard_analyzer(llm_options opts, const knowledge_base& kb = knowledge_base::builtin())
        : s_(std::make_shared<state>()) {
        s_->opts = std::move(opts);
        s_->kb = &kb;
        s_->summary.backend = std::string(to_string(s_->opts.backend));
        if (s_->opts.backend == llm_backend::none) return;
        s_->summary.model = s_->opts.model;
        try {
            if (s_->opts.backend == llm_backend::ollama) s_->ollama.emplace(s_->opts);
            else s_->openai.emplace(s_->opts);
            s_->summary.url = s_->opts.backend == llm_backend::ollama ? s_->ollama->endpoint().url : s_->openai->endpoint().url;
        } catch (const std::exception& e) {
            s_->ready = ready_state::failed;
            s_->ready_error = e.what();
            s_->summary.note = e.what();
        }
        if (!s_->opts.cache_dir.empty()) s_->cache.emplace(s_->opts.cache_dir);
    }

    [[nodiscard]] const llm_options& options() const noexcept { return s_->opts; }

    void async_analyze(const log_group& g, const analysis_context& ctx, analysis_handler done) {
        analysis known = offline_analysis(g, ctx.lang, *s_->kb);
        const bool skip = s_->opts.backend == llm_backend::none || (known.benign && !s_->opts.ask_about_benign);
        if (skip) {
            boost::asio::post(ctx.executor, [a = std::move(known), done = std::move(done)]() mutable { done(std::move(a)); });
            return;
        }
        {
            std::lock_guard lock(s_->m);
            if (!s_->started) s_->t0 = std::chrono::steady_clock::now();
            s_->started = true;
        }
        auto s = s_;
        boost::asio::co_spawn(ctx.executor, run(s, g, ctx.lang, known),
                              [s, known, done = std::move(done)](std::exception_ptr e, analysis a) {
                                  {
                                      std::lock_guard lock(s->m);
                                      s->t1 = std::chrono::steady_clock::now();
                                  }
                                  if (e) a = fallback(*s, known, "internal error in the LLM analysis");
                                  done(std::move(a));
                              });
    }

    /// Abandons every LLM call in flight and every one not yet started; each still completes with its fallback.
    void cancel() { s_->reg->cancel_all(); }

    [[nodiscard]] llm_summary summary() const {
        std::lock_guard lock(s_->m);
        llm_summary out = s_->summary;
        if (s_->started) out.wall_seconds = std::chrono::duration<double>(s_->t1 - s_->t0).count();
        if (out.wall_seconds < 0) out.wall_seconds = 0;
        return out;
    }

private:
    enum class ready_state { unknown, checking, ok, failed };

    struct state {
        llm_options opts;
        const knowledge_base* kb = nullptr;
        std::optional<ollama_client> ollama;
        std::optional<openai_client> openai;
        std::optional<llm_cache> cache;
        std::shared_ptr<detail::cancel_registry> reg = std::make_shared<detail::cancel_registry>();
        mutable std::mutex m;
        llm_summary summary;
        bool started = false;
        std::chrono::steady_clock::time_point t0{}, t1{};
        ready_state ready = ready_state::unknown;
        std::string ready_error;
        std::size_t in_flight = 0;
        std::vector<std::shared_ptr<boost::asio::steady_timer>> waiters;
    };
    using state_ptr = std::shared_ptr<state>;

    static analysis fallback(state& s, const analysis& known, const std::string& why) {
        analysis a = known;
        a.error = "LLM analysis failed (" + std::string(to_string(s.opts.backend)) + ", model " + s.opts.model +
                  "): " + why + "; showing the " +
                  (known.source == analysis_source::knowledge_base ? "knowledge-base" : "heuristic") + " analysis";
        std::lock_guard lock(s.m);
        ++s.summary.failures;
        return a;
    }

    static void wake_all(state& s) {
        std::vector<std::shared_ptr<boost::asio::steady_timer>> w;
        {
            std::lock_guard lock(s.m);
            w.swap(s.waiters);
        }
        for (auto& t : w) t->expires_at(boost::asio::steady_timer::time_point::min());  // wakes a wait begun later too
    }

    /// Suspends until `ready_to_go` (checked under the lock) holds or the run is cancelled. True when it holds.
    template <class Pred>
    static boost::asio::awaitable<bool> wait_until(state_ptr s, Pred ready_to_go) {
        namespace net = boost::asio;
        auto ex = co_await net::this_coro::executor;
        while (true) {
            auto timer = std::make_shared<net::steady_timer>(ex, net::steady_timer::time_point::max());
            {
                std::lock_guard lock(s->m);
                if (ready_to_go()) co_return true;
                s->waiters.push_back(timer);
            }
            detail::cancel_scope scope(s->reg, detail::cancel_on_executor(timer, [](net::steady_timer& t) { t.cancel(); }));
            if (s->reg->cancelled()) co_return false;
            auto [ec] = co_await timer->async_wait(net::as_tuple(net::use_awaitable));
            (void)ec;
            if (s->reg->cancelled()) co_return false;
        }
    }

    static boost::asio::awaitable<probe_result> check(state_ptr s) {
        if (s->ollama) co_return co_await detail::check_server(*s->ollama, s->reg);
        co_return co_await detail::check_server(*s->openai, s->reg);
    }

    /// The first call checks the server once; the others wait for its verdict.
    static boost::asio::awaitable<bool> ensure_ready(state_ptr s) {
        bool mine = false;
        {
            std::lock_guard lock(s->m);
            if (s->ready == ready_state::unknown) {
                s->ready = ready_state::checking;
                mine = true;
            }
        }
        if (mine) {
            probe_result p = co_await check(s);
            {
                std::lock_guard lock(s->m);
                s->summary.server_version = p.server_version;
                s->ready = p.usable() ? ready_state::ok : ready_state::failed;
                if (!p.usable()) {
                    s->ready_error = p.message;
                    s->summary.note = p.message;
                }
            }
            wake_all(*s);
        }
        const auto decided = [&] { return s->ready != ready_state::checking; };
        if (!co_await wait_until(s, decided)) co_return false;
        std::lock_guard lock(s->m);
        co_return s->ready == ready_state::ok;
    }

    static boost::asio::awaitable<llm_reply> call(state_ptr s, std::vector<llm_message> msgs) {
        const auto count = [s] {
            std::lock_guard lock(s->m);
            ++s->summary.calls;
        };
        auto schema = analysis_schema();
        std::function<void()> on_request = count;
        if (s->ollama) co_return co_await s->ollama->generate(std::move(msgs), std::move(schema), s->reg, std::move(on_request));
        co_return co_await s->openai->generate(std::move(msgs), std::move(schema), s->reg, std::move(on_request));
    }

    static analysis merge(const analysis& llm, const analysis& known) {
        analysis a = llm;
        a.source = analysis_source::llm;
        if (known.source == analysis_source::knowledge_base) {
            a.signature = known.signature;
            a.benign = known.benign;
        }
        return a;
    }

    static boost::asio::awaitable<analysis> run(state_ptr s, log_group g, language lang, analysis known) {
        if (s->reg->cancelled()) co_return fallback(*s, known, "cancelled");
        if (!co_await ensure_ready(s)) {
            std::string why;
            {
                std::lock_guard lock(s->m);
                why = s->reg->cancelled() ? "cancelled" : s->ready_error;
            }
            co_return fallback(*s, known, why);
        }
        const std::string key = s->cache ? llm_cache::key(g, s->opts, lang) : std::string{};
        if (s->cache)
            if (auto hit = s->cache->load(key)) {
                std::lock_guard lock(s->m);
                ++s->summary.cache_hits;
                co_return merge(*hit, known);
            }

        const auto slot_free = [&] { return s->in_flight < std::max<std::size_t>(1, s->opts.parallel); };
        if (!co_await wait_until(s, slot_free)) co_return fallback(*s, known, "cancelled");
        {
            std::lock_guard lock(s->m);
            ++s->in_flight;
        }
        std::optional<analysis> result;
        std::string why;
        try {
            auto msgs = build_prompt(g, known, lang, s->opts.num_ctx, s->opts.num_predict);
            for (int round = 0; round < 2 && !result; ++round) {
                llm_reply r = co_await call(s, msgs);
                {
                    std::lock_guard lock(s->m);
                    s->summary.prompt_tokens += r.prompt_tokens;
                    s->summary.completion_tokens += r.completion_tokens;
                }
                std::string err;
                result = validate_answer(r.content, err);
                if (!result) {
                    why = (round == 0 ? "the answer broke the schema (" : "the answer broke the schema again after a retry (") +
                          err + ")";
                    if (r.done_reason == "length")
                        why += "; the answer was cut at num_predict=" + std::to_string(s->opts.num_predict) +
                               " tokens: raise num_predict";
                    msgs.push_back({"assistant", detail::clip(r.content, 2000)});
                    msgs.push_back(correction_message(err, lang));
                }
            }
        } catch (const llm_error& e) {
            why = e.what();
            if (e.what_kind == llm_error::kind::model_missing) {
                std::lock_guard lock(s->m);
                s->summary.note = e.what();
            }
        } catch (const std::exception& e) {
            why = e.what();
        }
        {
            std::lock_guard lock(s->m);
            --s->in_flight;
        }
        wake_all(*s);
        if (!result) co_return fallback(*s, known, why);
        if (s->cache) s->cache->store(key, *result, s->opts);
        co_return merge(*result, known);
    }

    state_ptr s_;
};

LOGLENS_NAMESPACE_END
