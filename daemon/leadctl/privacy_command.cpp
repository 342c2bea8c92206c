// leadctl privacy (issue #17): a person's data at one dealer, exported
// (GDPR Art. 15) or erased (Art. 17), and `leadctl mark-deal`, which keeps
// a concluded deal's letters from erasure (they are restricted instead).
//
//   leadctl privacy export --dealer D --contact ADDRESS|PHONE --out DIR
//   leadctl privacy erase  --dealer D --contact ADDRESS|PHONE [--dry-run]
//   leadctl mark-deal --lead ID
#include "classify/phone.hpp"
#include "command.hpp"
#include "store/privacy_store.hpp"

#include <filesystem>
#include <fstream>
#include <ostream>
#include <sys/stat.h>

namespace lr::ctl {

namespace {

// The subject from --contact: an address (lower case) or a phone number
// in any spelling, as the milter stores it (E.164).
std::optional<store::Subject> subject_of(Context& ctx, const std::string& dealer_id) {
    const auto contact = ctx.args.value("contact");
    if (!contact || contact->empty()) {
        ctx.err << "leadctl privacy: --contact ADDRESS|PHONE is required\n";
        return std::nullopt;
    }
    auto key = classify::contact_key(*contact);
    if (!key) {
        ctx.err << "leadctl privacy: \"" << *contact
                << "\" is neither an address nor a phone number\n";
        return std::nullopt;
    }
    return store::Subject{dealer_id, key->email, key->phone};
}

std::string actor() {
    return "leadctl";
}

int run_export(Context& ctx, DealerSession& session, const store::Subject& subject) {
    const auto out = ctx.args.value("out");
    if (!out) {
        ctx.err << "leadctl privacy export: --out DIR is required (export.json and the mails as "
                   ".eml go there)\n";
        return exit_usage;
    }
    std::error_code code;
    if (std::filesystem::exists(*out) && !std::filesystem::is_empty(*out, code)) {
        ctx.err << "leadctl privacy export: " << *out << " is not empty\n";
        return exit_failure;
    }
    auto exported = store::export_subject(*session.connection, subject, actor(), ctx.now());
    if (!exported) {
        ctx.err << "leadctl privacy export: " << exported.error().message << "\n";
        return exit_failure;
    }
    // Personal data: readable by the one who exported it, nobody else.
    const auto old_mask = umask(077);
    std::filesystem::create_directories(std::filesystem::path(*out) / "messages");
    std::filesystem::create_directories(std::filesystem::path(*out) / "outbox");
    std::ofstream(std::filesystem::path(*out) / "export.json")
        << json_text(exported->document, 2) << "\n";
    for (const auto& [name, bytes] : exported->files)
        std::ofstream(std::filesystem::path(*out) / name, std::ios::binary) << bytes;
    umask(old_mask);
    ctx.out << *out << ": " << exported->document["leads"].size() << " lead(s), "
            << exported->document["messages"].size() << " message(s), "
            << exported->document["outbox"].size() << " mail(s), " << exported->files.size()
            << " .eml file(s)\n";
    return exit_ok;
}

int run_erase(Context& ctx, DealerSession& session, const store::Subject& subject) {
    const bool dry_run = ctx.args.has("dry-run");
    auto transaction = store::Transaction::begin(*session.connection);
    if (!transaction) {
        ctx.err << "leadctl privacy erase: " << transaction.error().message << "\n";
        return exit_failure;
    }
    auto counts = store::erase_subject(*transaction, subject, dry_run, actor(), ctx.now());
    if (!counts) {
        ctx.err << "leadctl privacy erase: " << counts.error().message
                << "\nleadctl privacy erase: nothing was erased\n";
        return exit_failure;
    }
    if (!dry_run)
        if (auto committed = transaction->commit(); !committed) {
            ctx.err << "leadctl privacy erase: " << committed.error().message
                    << "\nleadctl privacy erase: nothing was erased\n";
            return exit_failure;
        }
    if (ctx.json()) {
        ctx.out << json_text(*counts) << "\n";
        return exit_ok;
    }
    ctx.out << (dry_run ? "would erase: " : "erased: ") << (*counts)["contacts"] << " contact(s), "
            << (*counts)["leads"] << " lead(s), " << (*counts)["messages"] << " message(s), "
            << (*counts)["outbox"] << " mail(s); " << (*counts)["restricted"]
            << " concluded deal(s) " << (dry_run ? "would be " : "") << "restricted, not erased\n";
    return exit_ok;
}

int run_privacy(Context& ctx) {
    const auto& positional = ctx.args.positional;
    const std::string action = positional.empty() ? "" : positional[0];
    if (positional.size() != 1 || (action != "export" && action != "erase")) {
        ctx.err << "usage: leadctl privacy export --dealer D --contact ADDRESS|PHONE --out DIR\n"
                   "       leadctl privacy erase --dealer D --contact ADDRESS|PHONE [--dry-run]\n";
        return exit_usage;
    }
    auto session = ctx.open_dealer(true);
    if (!session)
        return exit_failure;
    auto subject = subject_of(ctx, session->dealer->id);
    if (!subject)
        return exit_usage;
    return action == "export" ? run_export(ctx, *session, *subject)
                              : run_erase(ctx, *session, *subject);
}

int run_mark_deal(Context& ctx) {
    long long lead = 0;
    try {
        lead = std::stoll(ctx.args.value("lead").value_or("0"));
    } catch (const std::exception&) {
    }
    if (lead <= 0 || !ctx.args.positional.empty()) {
        ctx.err << "usage: leadctl mark-deal --lead ID\n";
        return exit_usage;
    }
    auto session = ctx.open_session();
    if (!session)
        return exit_failure;
    auto marked = store::mark_deal(*session->connection, lead, ctx.now());
    if (!marked) {
        ctx.err << "leadctl mark-deal: " << marked.error().message << "\n";
        return exit_failure;
    }
    if (!*marked) {
        ctx.err << "leadctl mark-deal: there is no lead " << lead << "\n";
        return exit_failure;
    }
    ctx.out << "lead " << lead
            << ": a concluded deal; an erasure request restricts it instead of erasing it\n";
    return exit_ok;
}

} // namespace

Command privacy_command() {
    return {"privacy",
            "export or erase what is stored about a person at a dealer (GDPR Art. 15, 17)",
            "export|erase --dealer D --contact ADDRESS|PHONE [--out DIR] [--dry-run] [--json]",
            {{"dealer", true, "dealer id (Kürzel)", "D"},
             {"contact", true, "the person's e-mail address or phone number", "ADDRESS|PHONE"},
             {"out", true, "export: the directory for export.json and the .eml files", "DIR"},
             {"dry-run", false, "erase: only count what would go"},
             {"database", true, "libpq conninfo (default: system.database)", "CONNINFO"},
             {"json", false, "erase: print the counts as JSON"}},
            run_privacy};
}

Command mark_deal_command() {
    return {"mark-deal",
            "mark a lead a concluded deal: erasure then restricts it (its letters are kept)",
            "--lead ID",
            {{"lead", true, "the lead", "ID"},
             {"database", true, "libpq conninfo (default: system.database)", "CONNINFO"}},
            run_mark_deal};
}

} // namespace lr::ctl
