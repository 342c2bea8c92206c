#include "store/reply_store.hpp"

#include "store/lead_actions.hpp"
#include "store/pg_array.hpp"
#include "store/timestamps.hpp"
#include "util/strings.hpp"

namespace lr::store {

Result<ReplyContext> prepare_reply(Connection& connection, const core::Config& config,
                                   long long lead_id, const std::string& user_id) {
    auto rows = connection.exec(
        "SELECT l.dealer_id, l.state, coalesce(l.location_id, ''), l.token, c.email, "
        "trim(coalesce(c.first_name, '') || ' ' || coalesce(c.last_name, '')), "
        "v.internal_number, l.vehicle_id FROM leads l LEFT JOIN contacts c ON c.id = "
        "l.contact_id LEFT JOIN vehicles v ON v.id = l.vehicle_id WHERE l.id = $1 FOR UPDATE OF l",
        {std::to_string(lead_id)});
    if (!rows)
        return rows.error();
    if (rows->empty())
        return make_error(ErrorCode::not_found,
                          "lead " + std::to_string(lead_id) + " does not exist");
    const core::Dealer* dealer = config.find_dealer(rows->text(0, 0));
    if (!dealer)
        return make_error(ErrorCode::not_found,
                          "dealer " + rows->text(0, 0) + " is not configured");
    if (dealer->lead_tracking)
        return make_error(
            ErrorCode::refused,
            "dealer " + dealer->id +
                " uses lead tracking (lead_tracking: true): mails can only be viewed, "
                "replies are written in the mail program");
    if (!dealer->find_user(user_id))
        return make_error(ErrorCode::not_found,
                          "dealer " + dealer->id + " has no user \"" + user_id + "\"");
    const std::string state = rows->text(0, 1);
    if (state != "assigned" && state != "responded")
        return make_error(ErrorCode::conflict,
                          "lead " + std::to_string(lead_id) + " is " + state + ": no reply");
    if (rows->is_null(0, 4))
        return make_error(ErrorCode::invalid_input,
                          "lead " + std::to_string(lead_id) + " has no customer e-mail address");

    ReplyContext context;
    context.lead_id = lead_id;
    context.dealer_id = dealer->id;
    const core::Location* location = dealer->find_location(rows->text(0, 2));
    context.mailbox = location ? location->mailbox : dealer->locations.front().mailbox;
    auto at = context.mailbox.find('@');
    context.tracking_address =
        context.mailbox.substr(0, at) + "+" + rows->text(0, 3) + context.mailbox.substr(at);
    context.customer_email = rows->text(0, 4);
    context.customer_name = rows->text(0, 5);
    context.vehicle_label = rows->optional_text(0, 6);

    if (!rows->is_null(0, 7) && dealer->expose != "none") {
        auto expose =
            connection.exec("SELECT path FROM vehicle_exposes WHERE vehicle_id = $1 AND type = $2",
                            {rows->text(0, 7), dealer->expose});
        if (!expose)
            return expose.error();
        if (!expose->empty())
            context.expose_path = expose->text(0, 0);
    }
    auto thread = connection.exec("SELECT message_id FROM messages WHERE lead_id = $1 AND "
                                  "message_id IS NOT NULL ORDER BY received_at, id",
                                  {std::to_string(lead_id)});
    if (!thread)
        return thread.error();
    for (int i = 0; i < thread->size(); ++i)
        context.thread.push_back(util::without_angles(thread->text(i, 0)));
    auto id = connection.exec("SELECT nextval('outbox_id_seq')");
    if (!id)
        return id.error();
    context.outbox_id = id->integer(0, 0);
    return context;
}

Result<void> queue_reply(Connection& connection, const ReplyContext& context,
                         const std::string& message_id, const std::string& content,
                         const Actor& actor, core::Instant now) {
    auto queued = connection.exec(
        "INSERT INTO outbox (id, dealer_id, lead_id, kind, message_id, mail_from, recipients, "
        "content, payload, not_before) VALUES ($1, $2, $3, 'reply', $4, $5, $6::text[], "
        "$7::bytea, jsonb_build_object('user', $8::text), $9)",
        {std::to_string(context.outbox_id), context.dealer_id, std::to_string(context.lead_id),
         "<" + message_id + ">", context.mailbox,
         array_literal(std::vector<std::string>{context.customer_email}), hex_bytes(content),
         actor.user_id, timestamp_param(now)});
    if (!queued)
        return queued.error();
    // The reply is the user's reaction: the lead's pending escalations end.
    if (auto reacted =
            mark_responded(connection, context.lead_id, context.dealer_id, actor, now, "reply");
        !reacted)
        return reacted.error();
    auto woken = connection.exec("NOTIFY leadrouter_outbox");
    if (!woken)
        return woken.error();
    return {};
}

} // namespace lr::store
