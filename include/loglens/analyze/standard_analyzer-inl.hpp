#pragma once
// The implementation of standard_analyzer.hpp: the preflight, the shared state and the coroutines of an LLM call.
// SPDX-License-Identifier: MIT
//
// Included by standard_analyzer.hpp in header-only mode; with LOGLENS_COMPILED_LIB only src/loglens.cpp includes it.

#include <loglens/analyze/incident_prompt.hpp>
#include <loglens/analyze/llm_cache.hpp>
#include <loglens/analyze/llm_client.hpp>
#include <loglens/analyze/prompt.hpp>
#include <loglens/analyze/standard_analyzer.hpp>
#include <loglens/analyze/triage_prompt.hpp>

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
#include <span>
#include <stop_token>
#include <string>
#include <vector>

LOGLENS_NAMESPACE_BEGIN

namespace detail {

inline std::string backend_name(llm_backend b) {
    return b == llm_backend::openai ? "the OpenAI-compatible server" : "Ollama";
}

/// @brief The preflight shared by `probe_llm` and the analyser's first call. Never throws.
///
/// A server that is loading its model (HTTP 503) is asked again every second, up to `load_wait`, with a
/// countdown through `on_notice`.
template <llm_client Client>
boost::asio::awaitable<probe_result> check_server(const Client& c, std::stop_token stop) {
    probe_result p;
    const auto& o = c.options();
    p.backend = o.backend;
    const std::string who = backend_name(o.backend) + " at " + c.endpoint().url;
    const auto give_up_at = std::chrono::steady_clock::now() + o.load_wait;
    std::optional<llm_error> err;
    llm_server_info info;
    for (bool announced = false;;) {
        err.reset();
        try {
            info = co_await c.check(stop, o.probe_timeout);
        } catch (const llm_error& e) {
            err = e;
        }
        const auto left = std::chrono::duration_cast<std::chrono::seconds>(give_up_at - std::chrono::steady_clock::now());
        if (!err || err->what_kind != llm_error::kind::loading || left.count() <= 0) break;
        if (o.on_notice)
            o.on_notice(std::string(err->what()) + "; waiting for it, " + std::to_string(left.count()) + " s left" +
                        (announced ? "" : " (bounded by the load wait)"));
        announced = true;
        if (!co_await cancellable_sleep(std::chrono::seconds(1), stop)) {
            err = llm_error(llm_error::kind::cancelled, "cancelled while waiting for the server to load");
            break;
        }
    }
    if (err) {
        p.failure = err->what_kind;
        p.reachable = err->what_kind != llm_error::kind::unreachable && err->what_kind != llm_error::kind::timeout &&
                      err->what_kind != llm_error::kind::cancelled;
        if (err->what_kind == llm_error::kind::unreachable || err->what_kind == llm_error::kind::timeout)
            p.message = std::string(err->what()) + ": " +
                        (o.backend == llm_backend::ollama ? "start it with `ollama serve` or set OLLAMA_BASE_URL"
                                                          : "start the server or set OPENAI_BASE_URL");
        else if (err->what_kind == llm_error::kind::loading)
            p.message = std::string(err->what()) + " and still loading after " +
                        std::to_string(std::chrono::duration_cast<std::chrono::seconds>(o.load_wait).count()) +
                        " s: wait for it to finish, then run again";
        else p.message = err->what();
        co_return p;
    }
    p.reachable = true;
    p.server_version = info.version;
    p.model_present = info.model_present;
    p.n_ctx = info.n_ctx;
    if (p.model_present) {
        p.message = who + (o.backend == llm_backend::ollama ? " (version " + info.version + ")" : std::string{}) +
                    ", which serves model '" + o.model + "'" +
                    (info.n_ctx > 0 ? " (context " + std::to_string(info.n_ctx) + " tokens)" : std::string{});
        co_return p;
    }
    p.failure = llm_error::kind::model_missing;
    if (o.backend == llm_backend::ollama)
        p.message = who + " (version " + info.version + ") is running but model '" + o.model +
                    "' is not pulled: run `ollama pull " + o.model + "` or set OLLAMA_MODEL to one of the " +
                    std::to_string(info.models.size()) + " pulled models: " + list_models(info.models);
    else
        p.message = who + " does not list model '" + o.model + "'; it serves " + list_models(info.models) +
                    ": set --model (or OLLAMA_MODEL) to one of them";
    co_return p;
}

}  // namespace detail

/// Checks, synchronously, whether the configured LLM can be used: the preflight of `check_server`.
LOGLENS_INLINE probe_result probe_llm(const llm_options& opts) {
    probe_result out;
    if (opts.backend == llm_backend::none) {
        out.message = "LLM analysis is off (backend none)";
        return out;
    }
    out.backend = opts.backend;
    try {
        boost::asio::io_context ioc;
        const auto run = [&](const auto& client) {
            boost::asio::co_spawn(ioc, detail::check_server(client, std::stop_token{}),
                                  [&](std::exception_ptr e, probe_result p) {
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

/// @brief `--backend auto`: Ollama's routes first, then the OpenAI-compatible ones, at the same URL. The result
/// names the API found (`backend`); when neither answers, the message says what each said.
LOGLENS_INLINE probe_result probe_auto(llm_options opts) {
    opts.backend = llm_backend::ollama;
    probe_result ollama = probe_llm(opts);
    if (ollama.usable() || ollama.failure == llm_error::kind::model_missing || ollama.failure == llm_error::kind::loading ||
        !ollama.reachable)
        return ollama;  // Ollama answered (or nothing answers at all): no second guess
    opts.backend = llm_backend::openai;
    probe_result openai = probe_llm(opts);
    if (openai.reachable && openai.failure != llm_error::kind::wrong_url) return openai;
    ollama.message += "; the OpenAI-compatible routes did not answer either (" + openai.message + ")";
    return ollama;
}

struct standard_analyzer::state {
    enum class ready_state { unknown, checking, ok, failed };

    llm_options opts;
    const knowledge_base* kb = nullptr;
    std::optional<ollama_client> ollama;
    std::optional<openai_client> openai;
    std::optional<llm_cache> cache;
    std::stop_source stop;  ///< `cancel()` requests it; every socket and timer in flight listens
    mutable std::mutex m;
    llm_summary summary;
    bool started = false;
    std::chrono::steady_clock::time_point t0{}, t1{};
    ready_state ready = ready_state::unknown;
    std::string ready_error;
    std::size_t in_flight = 0;
    std::vector<std::shared_ptr<boost::asio::steady_timer>> waiters;
    int connection_failures = 0;                            ///< consecutive, across calls: what the circuit breaker counts
    std::string breaker;                                    ///< non-empty: open, and why
    std::chrono::steady_clock::time_point breaker_since{};  ///< when it opened, or when its last probe failed
    bool probing = false;             ///< one call went through the open breaker and has not come back yet
    double token_scale = 1.0;         ///< below 1 once the server counted more prompt tokens than estimated
    bool predict_cut = false;         ///< the answer budget was cut to fit the server's context
    std::size_t incidents_asked = 0;  ///< incidents sent to `async_summarize` with an LLM configured
    using state_ptr = std::shared_ptr<state>;

    static analysis fallback(state& s, const analysis& known, const std::string& why) {
        analysis a = known;
        a.error = "LLM analysis failed (" + std::string(to_string(s.opts.backend)) + ", model " + s.opts.model +
                  "): " + why + "; showing the " +
                  (known.source == analysis_source::knowledge_base ? "knowledge-base" : "heuristic") + " analysis";
        std::lock_guard lock(s.m);
        ++s.summary.failures;
        if (s.summary.first_error.empty()) s.summary.first_error = why;
        return a;
    }

    /// A group never sent because the circuit breaker had opened: offline analysis, counted and named.
    static analysis not_analysed(state& s, const log_group& g, const analysis& known) {
        analysis a = known;
        std::lock_guard lock(s.m);
        a.error = "not analysed by the LLM: " + s.breaker + "; showing the " +
                  (known.source == analysis_source::knowledge_base ? "knowledge-base" : "heuristic") + " analysis";
        ++s.summary.not_analysed;
        s.summary.not_analysed_groups.push_back(g.id);
        return a;
    }

    /// True while the breaker is open and no call may pass: either the cool-down has not run out or another
    /// call is probing the server. `probe`: once the cool-down ran out, let this call through and note it.
    [[nodiscard]] static bool breaker_open(state& s, bool* probe = nullptr) {
        std::lock_guard lock(s.m);
        if (s.breaker.empty()) return false;
        const auto cooldown = s.opts.breaker_cooldown;
        if (s.probing || cooldown.count() <= 0 || std::chrono::steady_clock::now() - s.breaker_since < cooldown)
            return true;
        if (!probe) return false;
        s.probing = *probe = true;
        return false;
    }

    /// The server answered (or answered with an error of its own): an open breaker closes and calls resume.
    static void close_breaker(state& s) {
        s.connection_failures = 0;
        s.probing = false;
        if (s.breaker.empty()) return;
        s.summary.note = s.breaker + "; the server answered again later and calls resumed";
        s.breaker.clear();
    }

    /// The probe through the open breaker found no server that answers: wait the whole cool-down again.
    static void restart_cooldown(state& s) {
        s.probing = false;
        s.breaker_since = std::chrono::steady_clock::now();
    }

    /// Counts consecutive connection failures; opens the breaker at `breaker_after`. False: stop retrying.
    static bool count_failure(state& s, const llm_error& e) {
        std::lock_guard lock(s.m);
        if (e.what_kind != llm_error::kind::unreachable) {
            close_breaker(s);
            return true;
        }
        ++s.connection_failures;
        if (!s.breaker.empty()) {  // a probe that met a dead server again
            restart_cooldown(s);
        } else if (s.opts.breaker_after > 0 && s.connection_failures >= s.opts.breaker_after) {
            s.breaker = "stopped calling " + s.summary.url + " after " + std::to_string(s.connection_failures) +
                        " consecutive connection failures (last: " + e.what() + ")";
            s.breaker_since = std::chrono::steady_clock::now();
            s.summary.note = s.breaker;
        }
        return s.breaker.empty();
    }

    /// The context the prompts are packed for and the answer budget, from what the server reported.
    static void settle_budget(state& s, const probe_result& p) {
        const auto& o = s.opts;
        int ctx = o.num_ctx;
        if (o.backend == llm_backend::ollama) {
            if (ctx <= 0) ctx = p.n_ctx > 0 ? std::min(p.n_ctx, 8192) : 8192;  // num_ctx is what Ollama allocates
        } else if (p.n_ctx > 0) {
            ctx = ctx > 0 ? std::min(ctx, p.n_ctx) : p.n_ctx;  // a server's slot cannot grow on request
        } else if (ctx <= 0) {
            ctx = 8192;
        }
        int predict = o.num_predict;
        if (predict > ctx / 2) {
            predict = std::max(ctx / 2, 16);
            s.predict_cut = true;
        }
        if (s.ollama) s.ollama->set_budget(ctx, predict);
        else s.openai->set_budget(ctx, predict);
        s.summary.num_ctx = ctx;
        s.summary.num_predict = predict;
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
            std::stop_callback scope(s->stop.get_token(),
                                     detail::cancel_on_executor(timer, [](net::steady_timer& t) { t.cancel(); }));
            if (s->stop.stop_requested()) co_return false;
            auto [ec] = co_await timer->async_wait(net::as_tuple(net::use_awaitable));
            (void)ec;
            if (s->stop.stop_requested()) co_return false;
        }
    }

    static boost::asio::awaitable<probe_result> check(state_ptr s) {
        if (s->ollama) co_return co_await detail::check_server(*s->ollama, s->stop.get_token());
        co_return co_await detail::check_server(*s->openai, s->stop.get_token());
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
                if (p.usable()) settle_budget(*s, p);
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

    /// One generation; attempts after the first use the next seeds, `seed_offset` on from the options' seed.
    static boost::asio::awaitable<llm_reply> call(state_ptr s, std::vector<llm_message> msgs, int seed_offset,
                                                  boost::json::object schema) {
        generate_hooks hooks;
        hooks.seed_offset = seed_offset;
        auto first = std::make_shared<bool>(true);
        hooks.on_request = [s, first] {
            std::lock_guard lock(s->m);
            ++s->summary.calls;
            if (!*first) ++s->summary.retries;
            *first = false;
        };
        hooks.on_failure = [s](const llm_error& e) { return count_failure(*s, e); };
        // the awaitable is made first and awaited by name: GCC 12 mishandles temporaries in co_await expressions
        auto op = s->ollama
                      ? s->ollama->generate(std::move(msgs), std::move(schema), s->stop.get_token(), std::move(hooks))
                      : s->openai->generate(std::move(msgs), std::move(schema), s->stop.get_token(), std::move(hooks));
        llm_reply r = co_await std::move(op);
        std::lock_guard lock(s->m);
        close_breaker(*s);
        co_return r;
    }

    /// What one call gave: the reply, or the error (never thrown past here).
    struct call_outcome {
        std::optional<llm_reply> reply;
        std::optional<llm_error> error;
    };

    static boost::asio::awaitable<call_outcome> try_call(state_ptr s, std::vector<llm_message> msgs, int seed_offset,
                                                         boost::json::object schema) {
        call_outcome out;
        std::optional<llm_error> err;
        try {
            auto op = call(s, std::move(msgs), seed_offset, std::move(schema));
            out.reply.emplace(co_await std::move(op));
        } catch (const llm_error& e) {
            err = e;
        } catch (const std::exception& e) {
            err = llm_error(llm_error::kind::bad_reply, e.what());
        }
        out.error = std::move(err);
        co_return out;
    }

    /// After a context 400: shrink every later prompt by what the server counted against what fits.
    static void refit(state& s, const llm_error& e) {
        std::lock_guard lock(s.m);
        double f = 0.5;
        const int room = (e.n_ctx > 0 ? e.n_ctx : s.summary.num_ctx) - s.summary.num_predict - 32;
        if (e.n_prompt_tokens > 0 && room > 0) f = std::min(0.9, static_cast<double>(room) / e.n_prompt_tokens);
        s.token_scale = std::max(0.05, s.token_scale * f);
    }

    /// Why an answer was cut at the token budget: the budget itself, or the server's small context.
    static std::string length_hint(const state& s) {
        const std::string n = std::to_string(s.summary.num_predict);
        if (s.predict_cut)
            return "; the answer was cut at " + n + " tokens, all that the server's context of " +
                   std::to_string(s.summary.num_ctx) + " tokens leaves for it: give the server a larger context";
        return "; the answer was cut at num_predict=" + n + " tokens: raise --num-predict";
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

    /// An incident whose LLM summary failed: counted, and the error says what the report shows instead.
    static incident_outcome incident_failed(state& s, const std::string& why) {
        incident_outcome o;
        o.error = "LLM summary failed (" + std::string(to_string(s.opts.backend)) + ", model " + s.opts.model +
                  "): " + why + "; showing the summary from the causal knowledge and the members' analyses";
        std::lock_guard lock(s.m);
        ++s.summary.incident_failures;
        return o;
    }

    static boost::asio::awaitable<incident_outcome> run_incident(state_ptr s, incident inc, std::vector<problem> members,
                                                                 language lang) {
        if (s->stop.stop_requested()) co_return incident_failed(*s, "cancelled");
        if (!co_await ensure_ready(s)) {
            std::string why;
            {
                std::lock_guard lock(s->m);
                why = s->stop.stop_requested() ? "cancelled" : s->ready_error;
            }
            co_return incident_failed(*s, why);
        }
        std::vector<const problem*> ptrs;
        for (const auto& p : members) ptrs.push_back(&p);
        const auto validate = [&](std::string_view text, std::string& err, answer_repairs& repairs) {
            return validate_incident_answer(text, inc, err, repairs);
        };
        incident_outcome out;
        const std::string key = s->cache ? llm_cache::incident_key(inc, ptrs, s->opts, lang) : std::string{};
        if (s->cache)
            if (const auto v = s->cache->load_value(key)) {
                std::string err;
                answer_repairs ignored;
                if ((out.answer = validate(boost::json::serialize(*v), err, ignored))) {
                    std::lock_guard lock(s->m);
                    ++s->summary.incident_cache_hits;
                    ++s->summary.incident_answers;
                    co_return out;
                }
            }
        const auto make_prompt = [&](double scale) {
            return build_incident_prompt(inc, ptrs, lang, s->summary.num_ctx, s->summary.num_predict, scale);
        };
        auto op = ask<incident_answer>(s, make_prompt, incident_schema(inc), lang, validate);
        asked<incident_answer> res = co_await std::move(op);
        if (res.status == ask_status::breaker_open) {
            std::string why;
            {
                std::lock_guard lock(s->m);
                why = s->breaker;
            }
            co_return incident_failed(*s, "not sent: " + why);
        }
        if (res.status == ask_status::cancelled) co_return incident_failed(*s, "cancelled");
        if (!res.answer) co_return incident_failed(*s, res.why);
        if (s->cache) s->cache->store_value(key, incident_answer_json(*res.answer), s->opts);
        {
            std::lock_guard lock(s->m);
            ++s->summary.incident_answers;
        }
        out.answer = std::move(res.answer);
        co_return out;
    }

    /// @brief The triage: the cached verdicts first, then the rest in batches that fit the context, at most
    /// `triage_calls` calls, one at a time. A failed call leaves its templates (and those after it) untriaged,
    /// and says why; it flags nothing.
    static boost::asio::awaitable<triage_outcome> run_triage(state_ptr s, std::vector<log_group> cands, language lang) {
        triage_outcome out;
        out.candidates = cands.size();
        const auto give_up = [&](std::size_t left, const std::string& why) {
            out.not_asked += left;
            if (out.error.empty())
                out.error = "LLM triage (" + std::string(to_string(s->opts.backend)) + ", model " + s->opts.model +
                            "): " + why + "; " + std::to_string(left) +
                            (left == 1 ? " template stays" : " templates stay") + " below the threshold untriaged";
        };
        if (s->stop.stop_requested() || !co_await ensure_ready(s)) {
            std::lock_guard lock(s->m);
            give_up(cands.size(), s->stop.stop_requested() ? "cancelled" : s->ready_error);
            co_return out;
        }
        std::vector<std::size_t> pending;
        for (std::size_t i = 0; i < cands.size(); ++i) {
            if (s->cache)
                if (const auto v = s->cache->load_value(llm_cache::triage_key(cands[i], s->opts, lang)))
                    if (auto verdict = read_triage_verdict(*v, i)) {
                        ++out.cache_hits;
                        ++out.asked;
                        if (*verdict) out.flagged.push_back(std::move(**verdict));
                        continue;
                    }
            pending.push_back(i);
        }
        std::size_t next = 0;
        while (next < pending.size()) {
            if (out.calls == s->opts.triage_calls) {
                give_up(pending.size() - next,
                        "only " + std::to_string(s->opts.triage_calls) + " calls are made (triage_calls)");
                break;
            }
            std::vector<const log_group*> batch;
            for (std::size_t i = next; i < pending.size(); ++i) batch.push_back(&cands[pending[i]]);
            double scale;
            {
                std::lock_guard lock(s->m);
                scale = s->token_scale;
            }
            batch.resize(triage_batch(batch, lang, s->summary.num_ctx, s->summary.num_predict, scale));
            const std::size_t max_flags = triage_max_flags(s->summary.num_predict);
            const auto make_prompt = [&](double sc) {
                return build_triage_prompt(batch, lang, s->summary.num_ctx, s->summary.num_predict, sc);
            };
            const auto validate = [n = batch.size()](std::string_view text, std::string& err, answer_repairs& repairs) {
                return validate_triage_answer(text, n, err, repairs);
            };
            ++out.calls;
            auto op = ask<std::vector<triage_flag>>(s, make_prompt, triage_schema(batch.size(), max_flags), lang, validate);
            asked<std::vector<triage_flag>> res = co_await std::move(op);
            if (!res.answer) {
                std::string why = res.why;
                if (res.status == ask_status::cancelled) why = "cancelled";
                if (res.status == ask_status::breaker_open) {
                    std::lock_guard lock(s->m);
                    why = "not sent: " + s->breaker;
                }
                give_up(pending.size() - next, "call " + std::to_string(out.calls) + " failed: " + why);
                break;
            }
            std::vector<const triage_flag*> by_item(batch.size(), nullptr);
            for (const auto& f : *res.answer) by_item[f.index] = &f;
            for (std::size_t k = 0; k < batch.size(); ++k) {
                const std::size_t i = pending[next + k];
                if (s->cache)
                    s->cache->store_value(llm_cache::triage_key(cands[i], s->opts, lang), triage_verdict_json(by_item[k]),
                                          s->opts);
                if (by_item[k]) out.flagged.push_back({i, by_item[k]->verdict, by_item[k]->reason});
            }
            out.asked += batch.size();
            next += batch.size();
        }
        std::sort(out.flagged.begin(), out.flagged.end(), [](const auto& a, const auto& b) { return a.index < b.index; });
        co_return out;
    }

    enum class ask_status { answered, failed, breaker_open, cancelled };

    /// What one question to the LLM gave: the validated answer, or why there is none.
    template <class T>
    struct asked {
        std::optional<T> answer;
        std::string why;
        ask_status status = ask_status::failed;
    };

    /// @brief One question, bounded and validated: waits for a free slot (`parallel`), honours the circuit
    /// breaker, refits the prompt once after a context 400, and retries once with the validation error and
    /// other seeds when the answer breaks the schema. `make_prompt(scale)` builds the messages,
    /// `validate(text, error, repairs)` returns the answer or fills `error`.
    template <class T, class MakePrompt, class Validate>
    static boost::asio::awaitable<asked<T>> ask(state_ptr s, MakePrompt make_prompt, boost::json::object schema,
                                                language lang, Validate validate) {
        asked<T> res;
        if (breaker_open(*s)) {
            res.status = ask_status::breaker_open;
            co_return res;
        }
        const auto slot_free = [&] { return s->in_flight < std::max<std::size_t>(1, s->opts.parallel); };
        if (!co_await wait_until(s, slot_free)) {
            res.status = ask_status::cancelled;
            co_return res;
        }
        bool probe = false;
        if (breaker_open(*s, &probe)) {
            res.status = ask_status::breaker_open;
            co_return res;
        }
        {
            std::lock_guard lock(s->m);
            ++s->in_flight;
        }
        const int attempts_per_call = s->opts.retries + 1;
        const auto prompt = [&] {
            double scale;
            {
                std::lock_guard lock(s->m);
                scale = s->token_scale;
            }
            return make_prompt(scale);
        };
        auto msgs = prompt();
        bool refitted = false;
        for (int round = 0; round < 2 && !res.answer;) {
            auto op = try_call(s, msgs, round * attempts_per_call, schema);
            call_outcome out = co_await std::move(op);
            if (out.error) {
                const llm_error& e = *out.error;
                if (e.what_kind == llm_error::kind::context_exceeded && !refitted) {
                    // the estimate was optimistic for this server's tokenizer: learn and refit, once
                    refit(*s, e);
                    refitted = true;
                    msgs = prompt();
                    continue;
                }
                res.why = e.what();
                if (e.what_kind == llm_error::kind::model_missing || e.what_kind == llm_error::kind::auth ||
                    e.what_kind == llm_error::kind::context_exceeded) {
                    std::lock_guard lock(s->m);
                    if (s->summary.note.empty()) s->summary.note = e.what();
                }
                break;
            }
            const llm_reply& r = *out.reply;
            {
                std::lock_guard lock(s->m);
                s->summary.prompt_tokens += r.prompt_tokens;
                s->summary.completion_tokens += r.completion_tokens;
            }
            std::string err;
            answer_repairs repairs;
            res.answer = validate(r.content, err, repairs);
            if (res.answer) {
                std::lock_guard lock(s->m);
                for (const auto& [k, n] : repairs) s->summary.repairs[k] += n;
            } else {
                res.why = (round == 0 ? "the answer broke the schema ("
                                      : "the answer broke the schema again after a retry with the validation error "
                                        "and another seed (") +
                          err + ")";
                if (r.done_reason == "length") res.why += length_hint(*s);
                msgs.push_back({"assistant", detail::clip(r.content, 2000)});
                msgs.push_back(correction_message(err, lang));
            }
            ++round;
        }
        {
            std::lock_guard lock(s->m);
            --s->in_flight;
            if (probe && s->probing) restart_cooldown(*s);  // neither answered nor refused (cancelled, say)
        }
        wake_all(*s);
        if (res.answer) res.status = ask_status::answered;
        co_return res;
    }

    static boost::asio::awaitable<analysis> run(state_ptr s, log_group g, language lang, analysis known) {
        if (s->stop.stop_requested()) co_return fallback(*s, known, "cancelled");
        if (!co_await ensure_ready(s)) {
            std::string why;
            {
                std::lock_guard lock(s->m);
                why = s->stop.stop_requested() ? "cancelled" : s->ready_error;
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
        const auto make_prompt = [&](double scale) {
            return build_prompt(g, known, lang, s->summary.num_ctx, s->summary.num_predict, scale);
        };
        const auto validate = [](std::string_view text, std::string& err, answer_repairs& repairs) {
            return validate_answer(text, err, repairs);
        };
        auto op = ask<analysis>(s, make_prompt, analysis_schema(), lang, validate);
        asked<analysis> res = co_await std::move(op);
        if (res.status == ask_status::breaker_open) co_return not_analysed(*s, g, known);
        if (res.status == ask_status::cancelled) co_return fallback(*s, known, "cancelled");
        if (!res.answer) co_return fallback(*s, known, res.why);
        if (s->cache) s->cache->store(key, *res.answer, s->opts);
        co_return merge(*res.answer, known);
    }
};

LOGLENS_INLINE standard_analyzer::standard_analyzer() : standard_analyzer(llm_options{}) {}

LOGLENS_INLINE standard_analyzer::standard_analyzer(llm_options opts, const knowledge_base& kb)
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
        s_->ready = state::ready_state::failed;
        s_->ready_error = e.what();
        s_->summary.note = e.what();
    }
    if (!s_->opts.cache_dir.empty())
        s_->cache.emplace(s_->opts.cache_dir, llm_cache_limits{s_->opts.cache_max_entries, s_->opts.cache_max_age},
                          s_->opts.cache_permissions);
}

LOGLENS_INLINE const llm_options& standard_analyzer::options() const noexcept { return s_->opts; }

LOGLENS_INLINE void standard_analyzer::async_analyze(const log_group& g, const analysis_context& ctx,
                                                     analysis_handler done) {
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
    boost::asio::co_spawn(ctx.executor, state::run(s, g, ctx.lang, known),
                          [s, known, done = std::move(done)](std::exception_ptr e, analysis a) {
                              {
                                  std::lock_guard lock(s->m);
                                  s->t1 = std::chrono::steady_clock::now();
                              }
                              if (e) a = state::fallback(*s, known, "internal error in the LLM analysis");
                              done(std::move(a));
                          });
}

LOGLENS_INLINE void standard_analyzer::async_summarize(const incident& inc, std::span<const problem> problems,
                                                       const analysis_context& ctx, incident_handler done) {
    incident_outcome skip;
    bool go = s_->opts.backend != llm_backend::none && inc.members.size() > 1;
    if (go) {
        std::lock_guard lock(s_->m);
        if (s_->incidents_asked++ >= s_->opts.incident_calls) {
            skip.error = "not summarised by the LLM: only the first " + std::to_string(s_->opts.incident_calls) +
                         " incidents are (incident_calls)";
            go = false;
        }
    }
    std::vector<problem> members;
    for (const auto& m : inc.members)
        for (const auto& p : problems)
            if (p.group.id == m.problem_id) {
                members.push_back(p);
                break;
            }
    if (!go || members.size() < 2) {
        boost::asio::post(ctx.executor, [o = std::move(skip), done = std::move(done)]() mutable { done(std::move(o)); });
        return;
    }
    boost::asio::co_spawn(ctx.executor, state::run_incident(s_, inc, std::move(members), ctx.lang),
                          [s = s_, done = std::move(done)](std::exception_ptr e, incident_outcome o) {
                              if (e) o = state::incident_failed(*s, "internal error in the LLM analysis");
                              done(std::move(o));
                          });
}

LOGLENS_INLINE bool standard_analyzer::triages() const noexcept {
    return s_->opts.backend != llm_backend::none && s_->opts.triage_calls > 0;
}

LOGLENS_INLINE void standard_analyzer::async_triage(std::span<const log_group> candidates, const analysis_context& ctx,
                                                    triage_handler done) {
    if (!triages() || candidates.empty()) {
        triage_outcome none;
        none.candidates = candidates.size();
        boost::asio::post(ctx.executor, [o = std::move(none), done = std::move(done)]() mutable { done(std::move(o)); });
        return;
    }
    std::vector<log_group> cands;  // what the prompt and the cache key read, not the samples and timelines
    cands.reserve(candidates.size());
    for (const auto& g : candidates) {
        log_group c;
        c.id = g.id;
        c.service = g.service;
        c.level = g.level;
        c.template_text = g.template_text;
        c.exception = g.exception;
        c.count = g.count;
        cands.push_back(std::move(c));
    }
    {
        std::lock_guard lock(s_->m);
        if (!s_->started) s_->t0 = std::chrono::steady_clock::now();
        s_->started = true;
    }
    const std::size_t n = cands.size();
    boost::asio::co_spawn(ctx.executor, state::run_triage(s_, std::move(cands), ctx.lang),
                          [s = s_, n, done = std::move(done)](std::exception_ptr e, triage_outcome o) {
                              {
                                  std::lock_guard lock(s->m);
                                  s->t1 = std::chrono::steady_clock::now();
                              }
                              if (e) {
                                  o = triage_outcome{};
                                  o.candidates = o.not_asked = n;
                                  o.error = "LLM triage: internal error; the templates stay below the threshold untriaged";
                              }
                              done(std::move(o));
                          });
}

LOGLENS_INLINE void standard_analyzer::cancel() { s_->stop.request_stop(); }

LOGLENS_INLINE llm_summary standard_analyzer::summary() const {
    std::lock_guard lock(s_->m);
    llm_summary out = s_->summary;
    if (s_->started) out.wall_seconds = std::chrono::duration<double>(s_->t1 - s_->t0).count();
    if (out.wall_seconds < 0) out.wall_seconds = 0;
    return out;
}

LOGLENS_NAMESPACE_END
