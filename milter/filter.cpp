#include "filter.hpp"

#include "core/zoned_time.hpp"
#include "inbound.hpp"
#include "log/log.hpp"
#include "message_state.hpp"
#include "milter_metrics.hpp"
#include "util/strings.hpp"

#include <atomic>
#include <chrono>
#include <cstring>
#include <libmilter/mfapi.h>

namespace lr::milter {

namespace {

FilterContext* g_context = nullptr;

// What Postfix agreed to in negotiation: the steps we answer without a
// reply (each saves Postfix a round trip per message) and whether we may
// skip a body. Every connection negotiates the same, from its own thread.
struct Agreed {
    std::atomic<bool> mail_noreply{false};
    std::atomic<bool> rcpt_noreply{false};
    std::atomic<bool> header_noreply{false};
    std::atomic<bool> body_noreply{false};
    std::atomic<bool> may_skip{false};
};
Agreed g_agreed;

sfsistat no_reply_or_continue(const std::atomic<bool>& no_reply) {
    return no_reply.load(std::memory_order_relaxed) ? SMFIS_NOREPLY : SMFIS_CONTINUE;
}

MessageState* state_of(SMFICTX* ctx) {
    return static_cast<MessageState*>(smfi_getpriv(ctx));
}

std::string symbol(SMFICTX* ctx, const char* name) {
    const char* value = smfi_getsymval(ctx, const_cast<char*>(name));
    return value ? value : "";
}

sfsistat on_negotiate(SMFICTX*, unsigned long actions, unsigned long steps, unsigned long,
                      unsigned long, unsigned long* want_actions, unsigned long* want_steps,
                      unsigned long*, unsigned long*) {
    // Only what we use: no connect/HELO/DATA/unknown callbacks, no replies
    // to MAIL, RCPT, headers and body chunks (a too big message is refused
    // at its end), the right to skip the body of mail that is not ours.
    const unsigned long needed_actions =
        SMFIF_ADDHDRS | SMFIF_CHGHDRS | SMFIF_ADDRCPT | SMFIF_DELRCPT;
    if ((actions & needed_actions) != needed_actions)
        return SMFIS_REJECT;
    *want_actions = needed_actions;
    const unsigned long wanted = SMFIP_NOCONNECT | SMFIP_NOHELO | SMFIP_NOUNKNOWN | SMFIP_NODATA |
                                 SMFIP_SKIP | SMFIP_NR_MAIL | SMFIP_NR_RCPT | SMFIP_NR_HDR |
                                 SMFIP_NR_BODY;
    *want_steps = wanted & steps;
    g_agreed.mail_noreply = (*want_steps & SMFIP_NR_MAIL) != 0;
    g_agreed.rcpt_noreply = (*want_steps & SMFIP_NR_RCPT) != 0;
    g_agreed.header_noreply = (*want_steps & SMFIP_NR_HDR) != 0;
    g_agreed.body_noreply = (*want_steps & SMFIP_NR_BODY) != 0;
    g_agreed.may_skip = (*want_steps & SMFIP_SKIP) != 0;
    return SMFIS_CONTINUE;
}

sfsistat on_envfrom(SMFICTX* ctx, char** argv) {
    MessageState* state = state_of(ctx);
    if (!state) {
        // libmilter holds the state as a void* until on_close takes it back.
        auto owned = std::make_unique<MessageState>();
        state = owned.get();
        smfi_setpriv(ctx, owned.release());
    }
    state->reset(g_context->runtime->current());
    state->envelope_from = util::without_angles(argv[0] ? argv[0] : "");
    // Postfix sends {auth_authen} with MAIL FROM by default
    // (milter_mail_macros); it is empty without SASL.
    state->smtp_login = symbol(ctx, "{auth_authen}");
    for (int i = 1; argv[0] && argv[i]; ++i)
        state->expect_size(argv[i]);
    return no_reply_or_continue(g_agreed.mail_noreply);
}

sfsistat on_envrcpt(SMFICTX* ctx, char** argv) {
    if (MessageState* state = state_of(ctx))
        state->add_recipient(argv[0]);
    return no_reply_or_continue(g_agreed.rcpt_noreply);
}

sfsistat on_header(SMFICTX* ctx, char* name, char* value) {
    const sfsistat next = no_reply_or_continue(g_agreed.header_noreply);
    MessageState* state = state_of(ctx);
    if (!state || !state->is_ours() || state->too_big)
        return next;
    const std::string_view header_name(name);
    state->note_header(header_name, value);
    if (strcasecmp(name, "X-Lead-Id") == 0 || strcasecmp(name, "X-Lead-Class") == 0)
        ++state->lead_header_count[strcasecmp(name, "X-Lead-Id") == 0 ? "X-Lead-Id"
                                                                      : "X-Lead-Class"];
    std::string line;
    line.reserve(header_name.size() + std::strlen(value) + 4);
    line.append(header_name).append(": ").append(value).append("\r\n");
    state->append(line);
    return next;
}

sfsistat on_eoh(SMFICTX* ctx) {
    MessageState* state = state_of(ctx);
    if (!state || !state->is_ours())
        return SMFIS_ACCEPT; // not a dealer mailbox: untouched, body not sent to us
    state->append("\r\n");
    return SMFIS_CONTINUE;
}

sfsistat reject_too_big(SMFICTX* ctx, const MessageState& state) {
    smfi_setreply(ctx, const_cast<char*>("552"), const_cast<char*>("5.3.4"),
                  const_cast<char*>("message too big for the lead mailbox"));
    metrics::count_too_big();
    log::warning("rejected: message larger than max_message_size",
                 {{"QUEUE_ID", symbol(ctx, "i")},
                  {"SIZE", std::to_string(state.size)},
                  {"LIMIT", std::to_string(state.runtime->config->system.max_message_size)}});
    return SMFIS_REJECT;
}

sfsistat on_body(SMFICTX* ctx, unsigned char* chunk, size_t length) {
    MessageState* state = state_of(ctx);
    const bool no_reply = g_agreed.body_noreply.load(std::memory_order_relaxed);
    if (!state || !state->is_ours())
        return no_reply ? SMFIS_NOREPLY : g_agreed.may_skip ? SMFIS_SKIP : SMFIS_CONTINUE;
    // Over the limit the buffer is dropped at once; the 552 follows at the
    // end of the message (or now, when Postfix waits for an answer).
    if (!state->append({reinterpret_cast<const char*>(chunk), length}) && !no_reply)
        return reject_too_big(ctx, *state);
    return no_reply ? SMFIS_NOREPLY : SMFIS_CONTINUE;
}

void apply(SMFICTX* ctx, const MessageState& state, const Outcome& outcome) {
    // Headers from outside never pass as ours.
    for (const auto& [name, count] : state.lead_header_count)
        for (int index = count; index >= 1; --index)
            smfi_chgheader(ctx, const_cast<char*>(name.c_str()), index, nullptr);
    // Nor as our front milters': a trusted authserv-id below the top block
    // came with the message (last first, so the counts stay right).
    const auto forged = core::sort_auth_headers(state.auth_headers,
                                                state.runtime->config->system.trusted_authserv_ids)
                            .forged;
    for (auto index = forged.rbegin(); index != forged.rend(); ++index)
        smfi_chgheader(ctx, const_cast<char*>("Authentication-Results"), *index, nullptr);
    if (!forged.empty())
        log::warning("removed Authentication-Results headers that claim a trusted authserv-id "
                     "but came with the message",
                     {{"QUEUE_ID", state.queue_id}, {"COUNT", std::to_string(forged.size())}});
    if (!outcome.dealers.empty() && outcome.dealers.front().lead_id)
        smfi_addheader(ctx, const_cast<char*>("X-Lead-Id"),
                       const_cast<char*>(std::to_string(*outcome.dealers.front().lead_id).c_str()));
    smfi_addheader(ctx, const_cast<char*>("X-Lead-Class"),
                   const_cast<char*>(outcome.lead_class().c_str()));
    for (const auto& dealer : outcome.dealers) {
        for (const auto& target : dealer.envelope.add)
            smfi_addrcpt(ctx, const_cast<char*>(("<" + target + ">").c_str()));
        for (const auto& removed : dealer.envelope.remove)
            smfi_delrcpt(ctx, const_cast<char*>(removed.c_str()));
    }
}

log::Fields fields_of(const MessageState& state, const Outcome& outcome,
                      const DealerOutcome& dealer) {
    log::Fields fields{{"QUEUE_ID", state.queue_id},
                       {"DEALER", dealer.dealer->id},
                       {"KIND", dealer.kind},
                       {"MESSAGE_ID", outcome.message_id}};
    if (dealer.reason)
        fields.emplace_back("REASON", *dealer.reason);
    if (dealer.lead_id)
        fields.emplace_back("LEAD_ID", std::to_string(*dealer.lead_id));
    if (dealer.proof)
        fields.emplace_back("PROOF", *dealer.proof);
    return fields;
}

sfsistat on_eom(SMFICTX* ctx) {
    MessageState* state = state_of(ctx);
    if (!state || !state->is_ours())
        return SMFIS_ACCEPT;
    if (state->too_big)
        return reject_too_big(ctx, *state);
    state->queue_id = symbol(ctx, "i");
    // A bounded number of messages are parsed and stored at once: a flood
    // of large mail waits here (and is retried by its senders) instead of
    // taking the server's memory.
    if (!g_context->message_slots->try_acquire_for(message_wait)) {
        log::warning("busy: too many messages at once, temporary failure, the sender retries",
                     {{"QUEUE_ID", state->queue_id}});
        smfi_setreply(ctx, const_cast<char*>("451"), const_cast<char*>("4.3.2"),
                      const_cast<char*>("too busy right now, please try again later"));
        metrics::count_tempfail(metrics::Tempfail::busy);
        return SMFIS_TEMPFAIL;
    }
    struct Slot {
        ~Slot() { g_context->message_slots->release(); }
    } slot;
    ++g_context->in_flight;
    struct Done {
        ~Done() { --g_context->in_flight; }
    } done;
    const auto started = std::chrono::steady_clock::now();
    const auto now =
        std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
    auto stored = store_message(*state, *g_context->pool, *g_context->committer, now);
    // Classification and commit: the milter's own time for the message.
    const auto elapsed_us = std::chrono::duration_cast<std::chrono::microseconds>(
                                std::chrono::steady_clock::now() - started)
                                .count();
    metrics::observe_message_seconds(static_cast<double>(elapsed_us) / 1e6);
    if (!stored) {
        const bool accept = state->runtime->config->system.on_db_error == core::OnDbError::accept;
        log::error(accept ? "database unavailable: message delivered untracked"
                          : "database unavailable: temporary failure, the sender retries",
                   {{"QUEUE_ID", state->queue_id}, {"ERROR", stored.error().message}});
        if (!accept) {
            smfi_setreply(ctx, const_cast<char*>("451"), const_cast<char*>("4.3.0"),
                          const_cast<char*>("lead store unavailable, please try again later"));
            metrics::count_tempfail(metrics::Tempfail::database);
            return SMFIS_TEMPFAIL;
        }
        metrics::count_untracked();
        Outcome untracked = untracked_outcome(*state);
        apply(ctx, *state, untracked);
        return SMFIS_CONTINUE;
    }
    for (const auto& channel : stored->wakes())
        g_context->notifier->wake(channel);
    for (const auto& dealer : stored->dealers) {
        metrics::count_message(dealer.kind, dealer.reason, dealer.duplicate);
        const auto fields = fields_of(*state, *stored, dealer);
        if (dealer.command) {
            auto command_fields = fields;
            command_fields.emplace_back("COMMAND", *dealer.command);
            if (dealer.kind == "command" && dealer.reason == "done")
                log::info("reply command carried out", command_fields);
            else
                log::warning("reply command not carried out", command_fields);
        }
        if (dealer.doubt) {
            auto doubt_fields = fields;
            doubt_fields.emplace_back("DOUBT", *dealer.doubt);
            log::warning("unverified sender: not counted as a reaction, the lead stays as it was",
                         doubt_fields);
        }
        auto stored_fields = fields;
        stored_fields.emplace_back("ELAPSED_US", std::to_string(elapsed_us));
        log::info(dealer.duplicate ? "already stored (sender retried); forwarded again"
                                   : "classified and stored",
                  stored_fields);
        if (!dealer.envelope.add.empty()) {
            std::string targets;
            for (const auto& target : dealer.envelope.add)
                targets += (targets.empty() ? "" : ",") + target;
            auto forward_fields = fields;
            forward_fields.emplace_back("FORWARD_TO", targets);
            log::info("forwarded", forward_fields);
        }
    }
    apply(ctx, *state, *stored);
    return SMFIS_CONTINUE;
}

sfsistat on_abort(SMFICTX* ctx) {
    if (MessageState* state = state_of(ctx))
        state->reset(nullptr);
    return SMFIS_CONTINUE;
}

sfsistat on_close(SMFICTX* ctx) {
    std::unique_ptr<MessageState> owned(state_of(ctx));
    smfi_setpriv(ctx, nullptr);
    return SMFIS_CONTINUE;
}

} // namespace

bool register_filter(FilterContext& ctx) {
    g_context = &ctx;
    static smfiDesc description = {};
    description.xxfi_name = const_cast<char*>("leadmilter");
    description.xxfi_version = SMFI_VERSION;
    description.xxfi_flags = SMFIF_ADDHDRS | SMFIF_CHGHDRS | SMFIF_ADDRCPT | SMFIF_DELRCPT;
    description.xxfi_envfrom = on_envfrom;
    description.xxfi_envrcpt = on_envrcpt;
    description.xxfi_header = on_header;
    description.xxfi_eoh = on_eoh;
    description.xxfi_body = on_body;
    description.xxfi_eom = on_eom;
    description.xxfi_abort = on_abort;
    description.xxfi_close = on_close;
    description.xxfi_negotiate = on_negotiate;
    return smfi_register(description) == MI_SUCCESS;
}

} // namespace lr::milter
