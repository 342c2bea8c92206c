#include "reply/customer_reply.hpp"

#include "core/message_id.hpp"
#include "mail/compose.hpp"
#include "mail/expose_file.hpp"
#include "mail/header_value.hpp"
#include "store/reply_store.hpp"
#include "util/random_token.hpp"

namespace lr::reply {

namespace {

std::string html_of(const std::string& text) {
    std::string html = "<p>";
    for (char c : mail::html_escape(text))
        html += c == '\n' ? std::string("<br>\n") : std::string(1, c);
    return html + "</p>\n";
}

} // namespace

Result<QueuedReply> reply_to_customer(store::Transaction& transaction, const core::Config& config,
                                      const ReplyRequest& request) {
    if (request.body.find_first_not_of(" \t\r\n") == std::string::npos)
        return make_error(ErrorCode::invalid_input, "the reply has no text");
    if (request.body.size() > max_reply_bytes)
        return make_error(ErrorCode::invalid_input, "the reply is larger than " +
                                                        std::to_string(max_reply_bytes / 1024) +
                                                        " KiB; a reply is text a person wrote");
    store::Connection& connection = transaction.connection();
    auto context = store::prepare_reply(connection, config, request.lead_id, request.actor.user_id);
    if (!context)
        return context.error();
    const core::Dealer* dealer = config.find_dealer(context->dealer_id);
    if (!dealer)
        return make_error(ErrorCode::not_found,
                          "dealer " + context->dealer_id + " is not configured");

    mail::OutgoingMail reply;
    reply.from_name = dealer->from_name;
    reply.from_address = context->mailbox;
    reply.to = {context->customer_email};
    reply.reply_to = context->tracking_address;
    reply.subject = request.subject.value_or(
        "Ihre Anfrage bei " + dealer->name +
        (context->vehicle_label ? " – Fahrzeug " + *context->vehicle_label : ""));
    reply.message_id = core::outgoing_message_id("reply", context->outbox_id,
                                                 util::random_hex(core::outgoing_token_bytes),
                                                 core::domain_of(context->mailbox));
    reply.date = request.now;
    reply.text = request.body;
    reply.html = html_of(request.body);
    reply.auto_submitted = false;
    if (!context->thread.empty()) {
        reply.in_reply_to = context->thread.back();
        reply.references = context->thread;
    }
    if (request.expose) {
        if (dealer->expose == "none")
            return make_error(ErrorCode::refused,
                              "dealer " + dealer->id + " attaches no exposé (expose: none)");
        if (!context->expose_path)
            return make_error(ErrorCode::not_found,
                              "lead " + std::to_string(request.lead_id) +
                                  " has no exposé of type \"" + dealer->expose +
                                  "\" in the inventory (leadctl vehicles import)");
        auto pdf = mail::read_expose(config.system.expose_dir, *context->expose_path);
        if (!pdf)
            return pdf.error();
        reply.attachments.push_back(
            {"Exposé " + context->vehicle_label.value_or("Fahrzeug") + ".pdf", "application/pdf",
             *pdf});
    }
    auto queued = store::queue_reply(connection, *context, reply.message_id, mail::compose(reply),
                                     request.actor, request.now);
    if (!queued)
        return queued.error();
    return QueuedReply{reply.message_id, context->customer_email, !reply.attachments.empty()};
}

} // namespace lr::reply
