#include "reply_commands.hpp"

#include "core/lead_permission.hpp"
#include "core/message_id.hpp"
#include "mail/command_reply_text.hpp"
#include "mail/compose.hpp"
#include "store/lead_command.hpp"
#include "store/lead_views.hpp"
#include "util/json.hpp"
#include "util/random_token.hpp"
#include "util/strings.hpp"

namespace lr::milter {

namespace {

std::string user_name(const core::Dealer& dealer, const std::optional<std::string>& user_id) {
    if (!user_id)
        return {};
    const core::User* user = dealer.find_user(*user_id);
    return user ? user->name : *user_id;
}

Result<void> queue_answer(store::Connection& connection, const CommandRequest& request,
                          const mail::NoticeText& text, long long message_row) {
    const core::User* user = request.dealer->find_user(request.key->user_id);
    if (!user)
        return {};
    mail::OutgoingMail answer;
    answer.from_name = request.dealer->from_name;
    answer.from_address = request.location->mailbox;
    answer.to = {user->email};
    answer.subject = text.subject;
    answer.message_id = core::outgoing_message_id("command", message_row,
                                                  util::random_hex(core::outgoing_token_bytes),
                                                  core::domain_of(request.location->mailbox));
    answer.date = request.now;
    answer.text = text.text;
    answer.html = text.html;
    if (!request.command_message_id.empty()) {
        answer.in_reply_to = request.command_message_id;
        answer.references = {request.command_message_id};
    }
    answer.auto_submitted = true; // never answered by an auto-reply in turn
    store::QueuedMail queued;
    queued.dealer_id = request.dealer->id;
    queued.lead_id = request.key->lead.lead_id;
    queued.kind = "command_reply";
    queued.message_id = "<" + answer.message_id + ">";
    queued.mail_from = request.location->mailbox;
    queued.recipients = answer.to;
    queued.content = mail::compose(answer);
    queued.payload_json = json_text(Json{{"message", message_row}});
    return store::queue_mail(connection, queued, request.now);
}

} // namespace

Result<CommandOutcome> carry_out_command(store::Transaction& transaction,
                                         const CommandRequest& request,
                                         const store::InboundMessage& message) {
    store::Connection& connection = transaction.connection();
    const auto& key = *request.key;
    const core::Dealer& dealer = *request.dealer;
    const std::string who = key.user_id;
    const std::string lead_text = "lead " + std::to_string(key.lead.lead_id);
    CommandOutcome outcome;

    const auto store_as = [&](const std::string& result) -> Result<long long> {
        return store::insert_message(connection, message, "command", result, key.lead.lead_id);
    };

    if (key.renewed_at + request.config->system.action_lifetime < request.now) {
        // Nothing happens; the user is not answered either (the address is
        // stale, whoever holds it now).
        outcome.result = "expired";
        outcome.journal = lead_text + ": command \"" + request.parsed.line + "\" from " + who +
                          " ignored: the reply address was last sent " +
                          core::format_iso8601(key.renewed_at, dealer.timezone) +
                          ", longer ago than system.action_lifetime";
        auto row = store_as(outcome.result);
        if (!row)
            return row.error();
        return outcome;
    }

    auto headline = store::lead_headline(connection, key.lead.lead_id);
    if (!headline)
        return headline.error();
    const mail::CommandFacts facts{key.lead.lead_id, *headline, request.parsed.line};

    std::optional<mail::NoticeText> answer;
    if (request.parsed.kind == core::ParsedReply::Kind::not_understood) {
        outcome.result = "not_understood";
        outcome.journal =
            lead_text + ": command \"" + request.parsed.line + "\" from " + who + " not understood";
        answer = mail::command_not_understood_text(dealer, facts, request.parsed.problem);
    } else {
        core::LeadStanding lead{key.lead.lead_id, key.lead.state, key.lead.assignee, std::nullopt};
        if (request.parsed.command.action == core::LeadAction::claim) {
            auto head = store::pool_head(connection, dealer);
            if (!head)
                return head.error();
            lead.pool_head = *head;
        }
        const auto permission = core::permit(dealer, lead, who, request.parsed.command);
        const std::string action(core::action_name(request.parsed.command.action));
        if (!permission) {
            outcome.result = "refused";
            const std::string why =
                mail::refusal_text(*permission.refusal, lead, user_name(dealer, lead.assignee),
                                   request.parsed.command.target);
            outcome.journal = lead_text + ": " + action + " by " + who + " refused: " + why;
            answer = mail::command_refused_text(dealer, facts, why);
        } else {
            auto savepoint = store::Savepoint::begin(transaction);
            if (!savepoint)
                return savepoint.error();
            auto done = store::carry_out_command(
                transaction, *request.config, dealer, store::Actor{who, store::Channel::mail},
                key.lead.lead_id, request.parsed.command, permission, request.now);
            if (!done && done.error().code == ErrorCode::database)
                return done.error();
            if (done) {
                if (auto released = savepoint->release(); !released)
                    return released.error();
                outcome.result = "done";
                outcome.journal = lead_text + ": " + action + " by " + who + " (reply command)";
                answer = mail::command_done_text(dealer, facts, request.parsed.command,
                                                 permission.target ? permission.target->name
                                                                   : std::string());
            } else {
                // Refused by the store's own checks (the savepoint's
                // destructor undoes anything it wrote).
                outcome.result = "refused";
                outcome.journal =
                    lead_text + ": " + action + " by " + who + " refused: " + done.error().message;
                answer = mail::command_refused_text(dealer, facts, done.error().message);
            }
        }
    }
    auto row = store_as(outcome.result);
    if (!row)
        return row.error();
    if (auto queued = queue_answer(connection, request, *answer, *row); !queued)
        return queued.error();
    outcome.answered = true;
    return outcome;
}

} // namespace lr::milter
