// leadctl reply --lead L --user U --body-file F [--expose]: a threaded
// reply to the customer (LMS mode, SPEC §8), queued in the outbox in the
// transaction that records it as the user's reaction.
#include "command.hpp"
#include "core/message_id.hpp"
#include "mail/compose.hpp"
#include "mail/expose_file.hpp"
#include "mail/header_value.hpp"
#include "store/reply_store.hpp"
#include "util/random_token.hpp"

#include <filesystem>
#include <fstream>
#include <ostream>
#include <sstream>

namespace lr::ctl {

namespace {

// A reply is a few lines a person wrote; a larger file is a mistake (or
// worse) and is not read into memory.
constexpr std::uintmax_t max_body_bytes = 256 * 1024;

Result<std::string> read_file(const std::string& path, std::uintmax_t max_bytes) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    if (ec)
        return make_error(ErrorCode::io, "cannot be read (" + ec.message() + ")");
    if (size > max_bytes)
        return make_error(ErrorCode::invalid_input, "is larger than " +
                                                        std::to_string(max_bytes / 1024) +
                                                        " KiB; a reply is text a person wrote");
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return make_error(ErrorCode::io, "cannot be read");
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::string html_of(const std::string& text) {
    std::string html = "<p>";
    for (char c : mail::html_escape(text))
        html += c == '\n' ? std::string("<br>\n") : std::string(1, c);
    return html + "</p>\n";
}

int run_reply(Context& ctx) {
    auto lead_text = ctx.args.value("lead");
    auto user = ctx.args.value("user");
    auto body_file = ctx.args.value("body-file");
    long long lead_id = 0;
    try {
        lead_id = lead_text ? std::stoll(*lead_text) : 0;
    } catch (const std::exception&) {
    }
    if (lead_id <= 0 || !user || !body_file || !ctx.args.positional.empty()) {
        ctx.err << "usage: leadctl reply --lead ID --user U --body-file F [--expose]\n";
        return exit_usage;
    }
    auto body = read_file(*body_file, max_body_bytes);
    if (!body) {
        ctx.err << "leadctl reply: " << *body_file << ": " << body.error().message << "\n";
        return exit_failure;
    }
    auto session = ctx.open_session();
    if (!session)
        return exit_failure;
    auto& config = session->config;
    auto& connection = session->connection;

    auto fail = [&](const std::string& message) {
        ctx.err << "leadctl reply: " << message << "\nleadctl reply: nothing was sent\n";
        return int(exit_failure);
    };
    auto tx = store::Transaction::begin(*connection);
    if (!tx)
        return fail(tx.error().message);
    auto context = store::prepare_reply(*connection, *config, lead_id, *user);
    if (!context)
        return fail(context.error().message);
    const core::Dealer* dealer = config->find_dealer(context->dealer_id);

    mail::OutgoingMail reply;
    reply.from_name = dealer->from_name;
    reply.from_address = context->mailbox;
    reply.to = {context->customer_email};
    reply.reply_to = context->tracking_address;
    reply.subject = ctx.args.value("subject").value_or(
        "Ihre Anfrage bei " + dealer->name +
        (context->vehicle_label ? " – Fahrzeug " + *context->vehicle_label : ""));
    reply.message_id = core::outgoing_message_id("reply", context->outbox_id,
                                                 util::random_hex(core::outgoing_token_bytes),
                                                 core::domain_of(context->mailbox));
    reply.date = ctx.now();
    reply.text = *body;
    reply.html = html_of(*body);
    reply.auto_submitted = false;
    if (!context->thread.empty()) {
        reply.in_reply_to = context->thread.back();
        reply.references = context->thread;
    }
    if (ctx.args.has("expose")) {
        if (dealer->expose == "none")
            return fail("dealer " + dealer->id + " attaches no exposé (expose: none)");
        if (!context->expose_path)
            return fail("lead " + std::to_string(lead_id) + " has no exposé of type \"" +
                        dealer->expose + "\" in the inventory (leadctl vehicles import)");
        auto pdf = mail::read_expose(config->system.expose_dir, *context->expose_path);
        if (!pdf)
            return fail(pdf.error().message);
        reply.attachments.push_back(
            {"Exposé " + context->vehicle_label.value_or("Fahrzeug") + ".pdf", "application/pdf",
             *pdf});
    }
    auto queued = store::queue_reply(*connection, *context, reply.message_id, mail::compose(reply),
                                     store::Actor{*user, store::Channel::cli}, ctx.now());
    if (!queued)
        return fail(queued.error().message);
    if (auto committed = tx->commit(); !committed)
        return fail(committed.error().message);
    ctx.out << "lead " << lead_id << ": reply to " << context->customer_email << " queued as <"
            << reply.message_id << ">" << (reply.attachments.empty() ? "" : " with the exposé")
            << "\n";
    return exit_ok;
}

} // namespace

Command reply_command() {
    return {"reply",
            "reply to the customer of a lead (LMS mode); counts as the user's reaction",
            "--lead ID --user U --body-file F [--expose] [--subject TEXT]",
            {{"lead", true, "the lead", "ID"},
             {"user", true, "who replies", "U"},
             {"body-file", true, "the reply text (UTF-8)", "F"},
             {"expose", false, "attach the vehicle's exposé of the dealer's expose type"},
             {"subject", true, "instead of \"Ihre Anfrage bei <dealer>\"", "TEXT"},
             {"database", true, "libpq conninfo (default: system.database)", "CONNINFO"}},
            run_reply};
}

} // namespace lr::ctl
