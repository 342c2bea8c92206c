#include "outbox_mail.hpp"

#include "core/address.hpp"
#include "core/lead_permission.hpp"
#include "core/message_id.hpp"
#include "core/reply_address.hpp"
#include "mail/compose.hpp"
#include "mail/notice_text.hpp"
#include "store/firing_run.hpp"
#include "store/timestamps.hpp"
#include "tradein_cc_mail.hpp"
#include "util/json.hpp"
#include "util/random_token.hpp"
#include "util/strings.hpp"
#include "web/action_links.hpp"

namespace lr::daemon {

bool is_dealer_address(const core::Dealer& dealer, const std::string& address) {
    const std::string canonical = core::canonical_address(address);
    for (const auto& user : dealer.users)
        if (core::canonical_address(user.email) == canonical)
            return true;
    for (const auto& location : dealer.locations)
        if (location.mailbox == canonical || location.forward_to == canonical)
            return true;
    return dealer.trade_in_cc == canonical || dealer.unassigned_notify == canonical;
}

mail::OutgoingMail notice_mail(const core::Dealer& dealer, const store::OutboxMail& row,
                               const mail::NoticeText& text, core::Instant now) {
    mail::OutgoingMail outgoing;
    outgoing.from_name = dealer.from_name;
    outgoing.from_address = row.mail_from;
    outgoing.to = row.recipients;
    if (!row.reply_key.empty()) // the user's answer proves it is theirs
        outgoing.reply_to = core::reply_address(row.mail_from, row.reply_key);
    outgoing.subject = text.subject;
    outgoing.message_id = util::without_angles(row.message_id);
    outgoing.date = now;
    outgoing.text = text.text;
    outgoing.html = text.html;
    return outgoing;
}

long smtp_time_limit(size_t message_bytes) {
    return 60 + static_cast<long>(message_bytes / (64 * 1024));
}

SendAttempt send_attempt_of(const store::OutboxMail& row) {
    return {row.id,        row.dealer_id,  row.lead_id,  row.kind,        row.message_id,
            row.mail_from, row.recipients, row.attempts, row.queued_since};
}

namespace {

std::string kind_in_words(const std::string& kind) {
    static const std::pair<const char*, const char*> words[] = {
        {"assignment_notice", "Benachrichtigung über eine neue Anfrage"},
        {"reminder", "Erinnerung"},
        {"level1", "Eskalationsstufe 1"},
        {"level2", "Eskalationsstufe 2"},
        {"resubmission", "Wiedervorlage"},
        {"level2_resubmission", "Eskalation einer Wiedervorlage"},
        {"customer_message", "Hinweis auf eine Nachricht des Kunden"},
        {"tradein_cc", "Inzahlungnahme-Kopie"},
        {"unassignable", "Hinweis auf eine nicht zugeordnete E-Mail"},
        {"reply", "Antwort an den Kunden"},
        {"digest", "Zusammenfassung der Hinweise"},
        {"monthly_report", "Monatsbericht"}};
    for (const auto& [name, text] : words)
        if (kind == name)
            return text;
    return kind;
}

core::LeadStanding standing_of(const store::OutboxMail& row) {
    return {row.lead_id.value_or(0), row.lead_state,
            row.assignee.empty() ? std::nullopt : std::optional<std::string>(row.assignee),
            std::nullopt};
}

// The addressee's one-click links (issue #15) when leadweb is configured.
void add_links(mail::LeadSummary& lead, const core::Config& config, const core::Dealer& dealer,
               const std::string& kind, bool pool_lead, const core::LeadStanding& standing,
               long long version, const std::string& user_id, core::Instant now,
               const web::KeyRing* links) {
    if (!links || !config.system.web.public_url || user_id.empty())
        return;
    const web::LinkRequest request{*config.system.web.public_url,
                                   kind,
                                   pool_lead,
                                   lead.id,
                                   version,
                                   user_id,
                                   core::offered_actions(dealer, standing, user_id),
                                   now + config.system.web.link_lifetime,
                                   !dealer.lead_tracking && dealer.send_external_mail &&
                                       !lead.contact_email.empty()};
    for (auto& link : web::action_links(request, *links))
        lead.links.push_back({std::move(link.label), std::move(link.url)});
}

// A digest's entries from the row's JSON (store::lease_outbox), each with
// the user's links and reply address for its lead.
Result<mail::OutgoingMail> digest_mail(const core::Config& config, const core::Dealer& dealer,
                                       const store::OutboxMail& row, core::Instant now,
                                       const web::KeyRing* links) {
    const Json entries = Json::parse(row.digest.value_or("null"), nullptr, false);
    if (!entries.is_array() || entries.empty())
        return make_error(ErrorCode::invalid_input,
                          "digest " + std::to_string(row.id) + " names no lead");
    std::vector<mail::DigestEntry> digest;
    for (const auto& entry : entries) {
        // What the row holds is ours, but a wrong type must not end leadd.
        auto text = [&](const char* key) {
            auto found = entry.find(key);
            return found != entry.end() && found->is_string() ? found->get<std::string>()
                                                              : std::string();
        };
        auto number = [&](const char* key) {
            auto found = entry.find(key);
            return found != entry.end() && found->is_number_integer() ? found->get<long long>()
                                                                      : 0LL;
        };
        mail::DigestEntry out;
        out.kind = text("event");
        out.due = store::instant_from_epoch(number("due"));
        mail::LeadSummary& lead = out.lead;
        lead.id = number("lead");
        lead.received_at = store::instant_from_epoch(number("received"));
        lead.kind = text("kind");
        lead.source = text("source");
        lead.contact_name = text("name");
        lead.contact_email = text("email");
        lead.contact_phone = text("phone");
        lead.vehicle = text("vehicle");
        lead.message = text("message");
        const std::string assignee = text("assignee");
        if (const core::User* user = dealer.find_user(assignee))
            lead.assignee_name = user->name;
        const core::LeadStanding standing{
            lead.id, text("state"),
            assignee.empty() ? std::nullopt : std::optional<std::string>(assignee), std::nullopt};
        const std::string key = text("reply_key");
        lead.answerable = !key.empty();
        if (lead.answerable) {
            lead.commands = core::offered_actions(dealer, standing, row.user_id);
            out.reply_address = core::reply_address(row.mail_from, key);
        }
        out.pool_lead = dealer.pool.enabled && assignee == dealer.pool.user;
        add_links(lead, config, dealer, out.kind, out.pool_lead, standing, number("version"),
                  row.user_id, now, links);
        digest.push_back(std::move(out));
    }
    auto text = mail::digest_text(digest, dealer, config.system.automanager_url);
    return notice_mail(dealer, row, text, now);
}

} // namespace

std::optional<store::FailureNotice> failure_notice(const core::Config& config,
                                                   const SendAttempt& mail,
                                                   const std::string& error, core::Instant now) {
    const core::Dealer* dealer = config.find_dealer(mail.dealer_id);
    if (!dealer || mail.kind == store::delivery_failed_kind)
        return std::nullopt;
    const core::User* admin = dealer->find_user(dealer->admin_user);
    if (!admin)
        return std::nullopt;
    mail::FailedDelivery failed{
        mail.id,          kind_in_words(mail.kind), util::join(mail.recipients, ", "),
        mail.lead_id,     mail.message_id,          error,
        mail.queued_since};
    auto text = mail::delivery_failed_text(*dealer, failed);
    store::FailureNotice notice;
    // A replayed give-up finds the mail failed already and queues nothing
    // (store::give_up), so the ID needs no number of its own but the row's.
    notice.message_id =
        "<" +
        core::outgoing_message_id("failed", mail.id, util::random_hex(core::outgoing_token_bytes),
                                  core::domain_of(mail.mail_from)) +
        ">";
    notice.mail_from = mail.mail_from;
    notice.recipients = {admin->email};
    store::OutboxMail row;
    row.mail_from = notice.mail_from;
    row.recipients = notice.recipients;
    row.message_id = notice.message_id;
    auto outgoing = notice_mail(*dealer, row, text, now);
    notice.content = mail::compose(outgoing);
    return notice;
}

Result<PreparedMail> prepare_mail(const core::Config& config, const store::OutboxMail& row,
                                  core::Instant now, const web::KeyRing* links) {
    const core::Dealer* dealer = config.find_dealer(row.dealer_id);
    if (!dealer)
        return make_error(ErrorCode::not_found,
                          "dealer " + row.dealer_id + " is no longer configured");
    PreparedMail prepared;
    // The dealer's own server with its own settings; the system's
    // credentials never go to it.
    prepared.job.server = dealer->mail_server.value_or(config.system.smtp_server);
    prepared.job.security =
        dealer->mail_server ? dealer->mail_server_security : config.system.smtp_security;
    prepared.job.mail_from = row.mail_from;
    for (const auto& recipient : row.recipients) {
        if (!dealer->send_external_mail && !is_dealer_address(*dealer, recipient))
            prepared.suppressed.push_back(recipient);
        else
            prepared.job.recipients.push_back(recipient);
    }
    if (prepared.job.recipients.empty())
        return prepared; // everything suppressed: nothing to send

    if (row.content) {
        prepared.job.message = *row.content;
        return prepared;
    }
    if (row.kind == "tradein_cc") {
        auto cc = tradein_cc_mail(config, *dealer, row, now);
        if (!cc)
            return cc.error();
        cc->to = prepared.job.recipients;
        prepared.job.message = mail::compose(*cc);
        return prepared;
    }
    if (row.kind == store::digest_kind) {
        auto digest = digest_mail(config, *dealer, row, now, links);
        if (!digest)
            return digest.error();
        digest->to = prepared.job.recipients;
        prepared.job.message = mail::compose(*digest);
        return prepared;
    }
    if (!row.lead_id)
        return make_error(ErrorCode::invalid_input, "outbox mail " + std::to_string(row.id) +
                                                        " has neither content nor lead");
    mail::LeadSummary lead;
    lead.id = *row.lead_id;
    lead.received_at = row.received_at.value_or(now);
    lead.kind = row.lead_kind;
    lead.source = row.source;
    lead.contact_name = row.contact_name;
    lead.contact_email = row.contact_email;
    lead.contact_phone = row.contact_phone;
    lead.vehicle = row.vehicle;
    lead.message = row.message;
    if (const core::User* assignee = dealer->find_user(row.assignee))
        lead.assignee_name = assignee->name;
    lead.answerable = !row.reply_key.empty();
    if (lead.answerable)
        lead.commands = core::offered_actions(*dealer, standing_of(row), row.user_id);
    const bool pool_lead = dealer->pool.enabled && row.assignee == dealer->pool.user;
    add_links(lead, config, *dealer, row.kind, pool_lead, standing_of(row), row.lead_version,
              row.user_id, now, links);
    auto text = mail::notice_text(row.kind, lead, *dealer, config.system.automanager_url,
                                  row.due.value_or(now), pool_lead);

    auto outgoing = notice_mail(*dealer, row, text, now);
    outgoing.to = prepared.job.recipients;
    prepared.job.message = mail::compose(outgoing);
    return prepared;
}

} // namespace lr::daemon
