// leadctl reply --lead L --user U --body-file F [--expose]: a threaded
// reply to the customer (LMS mode, SPEC §8), queued in the outbox in the
// transaction that records it as the user's reaction.
#include "command.hpp"
#include "reply/customer_reply.hpp"

#include <filesystem>
#include <fstream>
#include <ostream>
#include <sstream>

namespace lr::ctl {

namespace {

// The file is not read into memory when it is larger than a reply can be.
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
    auto body = read_file(*body_file, reply::max_reply_bytes);
    if (!body) {
        ctx.err << "leadctl reply: " << *body_file << ": " << body.error().message << "\n";
        return exit_failure;
    }
    auto session = ctx.open_session();
    if (!session)
        return exit_failure;
    auto& connection = session->connection;

    auto fail = [&](const std::string& message) {
        ctx.err << "leadctl reply: " << message << "\nleadctl reply: nothing was sent\n";
        return int(exit_failure);
    };
    auto tx = store::Transaction::begin(*connection);
    if (!tx)
        return fail(tx.error().message);
    reply::ReplyRequest request;
    request.lead_id = lead_id;
    request.body = std::move(*body);
    request.expose = ctx.args.has("expose");
    request.subject = ctx.args.value("subject");
    request.actor = store::Actor{*user, store::Channel::cli};
    request.now = ctx.now();
    auto queued = reply::reply_to_customer(*tx, *session->config, request);
    if (!queued)
        return fail(queued.error().message);
    if (auto committed = tx->commit(); !committed)
        return fail(committed.error().message);
    ctx.out << "lead " << lead_id << ": reply to " << queued->customer_email << " queued as <"
            << queued->message_id << ">" << (queued->with_expose ? " with the exposé" : "") << "\n";
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
