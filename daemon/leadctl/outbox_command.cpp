// leadctl outbox list [--failed] [--dealer D] | retry ID (issue #13): what
// waits to be sent or was given up, and sending a mail again.
#include "command.hpp"
#include "store/channels.hpp"
#include "store/outbox_store.hpp"
#include "util/table.hpp"

#include <ostream>

namespace lr::ctl {

namespace {

// "2026-12-23 09:30:00" of a timestamptz as the server prints it.
std::string minutes(const std::string& timestamp) {
    return timestamp.substr(0, 19);
}

int list(Context& ctx, store::Connection& connection) {
    const std::string state = ctx.args.has("failed") ? "failed" : "queued";
    auto rows = connection.exec(store::list_outbox(state, ctx.args.value("dealer"), 200));
    if (!rows) {
        ctx.err << "leadctl outbox: " << rows.error().message << "\n";
        return exit_failure;
    }
    std::vector<std::vector<std::string>> table;
    for (int i = 0; i < rows->size(); ++i) {
        std::string error = rows->text(i, 9);
        if (error.size() > 60)
            error = error.substr(0, 60) + "…";
        table.push_back({rows->text(i, 0), rows->text(i, 1), rows->text(i, 2), rows->text(i, 4),
                         rows->text(i, 5), rows->text(i, 6), minutes(rows->text(i, 7)),
                         minutes(rows->text(i, 8)), error});
    }
    if (table.empty()) {
        ctx.out << "no " << state << " mail\n";
        return exit_ok;
    }
    ctx.out << util::render_table({"ID", "DEALER", "KIND", "TRIES", "LEAD", "TO", "QUEUED",
                                   state == "failed" ? "LAST TRY" : "NEXT TRY", "LAST ERROR"},
                                  table);
    return exit_ok;
}

int retry(Context& ctx, store::Connection& connection, const std::string& id_text) {
    long long id = 0;
    try {
        id = std::stoll(id_text);
    } catch (const std::exception&) {
        ctx.err << "leadctl outbox retry: \"" << id_text << "\" is not a mail id\n";
        return exit_usage;
    }
    auto rows = connection.exec(store::retry_outbox(id, ctx.now()));
    if (!rows) {
        ctx.err << "leadctl outbox: " << rows.error().message << "\n";
        return exit_failure;
    }
    if (rows->empty()) {
        ctx.err << "leadctl outbox retry: there is no mail " << id << "\n";
        return exit_failure;
    }
    const std::string before = rows->text(0, 0);
    if (before != "failed" && before != "queued") {
        ctx.err << "leadctl outbox retry: mail " << id << " is " << before
                << "; only a failed or queued mail is sent again\n";
        return exit_failure;
    }
    (void)connection.exec(std::string("NOTIFY ") + store::channel::outbox);
    ctx.out << "mail " << id << (before == "failed" ? " queued again" : " sent at the next pass")
            << "\n";
    return exit_ok;
}

int run_outbox(Context& ctx) {
    const auto& positional = ctx.args.positional;
    const bool valid = (positional.size() == 1 && positional[0] == "list") ||
                       (positional.size() == 2 && positional[0] == "retry");
    if (!valid) {
        ctx.err << "usage: leadctl outbox list [--failed] [--dealer D]\n"
                   "       leadctl outbox retry ID\n";
        return exit_usage;
    }
    auto session = ctx.open_session();
    if (!session)
        return exit_failure;
    auto& connection = *session->connection;
    return positional[0] == "list" ? list(ctx, connection) : retry(ctx, connection, positional[1]);
}

} // namespace

Command outbox_command() {
    return {"outbox",
            "list mails waiting or given up; send one again",
            "list [--failed] [--dealer D] | retry ID",
            {{"failed", false, "list the mails given up instead of those waiting"},
             {"dealer", true, "only this dealer's mails", "D"},
             {"database", true, "libpq conninfo (default: system.database)", "CONNINFO"}},
            run_outbox};
}

} // namespace lr::ctl
