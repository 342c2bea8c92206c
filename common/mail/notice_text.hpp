// The German texts of the notices leadd sends to a dealer's users (SPEC §8,
// issue #5): short, with the lead's key data and a link into the
// Automanager. Pure: data in, subject and bodies out.
#pragma once

#include "core/config.hpp"
#include "core/reply_command.hpp"
#include "core/zoned_time.hpp"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace lr::mail {

struct LeadSummary {
    long long id = 0;
    core::Instant received_at;
    std::string kind;   // lead | tradein
    std::string source; // mobile.de, website, ...
    std::string contact_name;
    std::string contact_email;
    std::string contact_phone;
    std::string vehicle; // "Volkswagen Golf (HH-2231)"
    std::string message;
    std::string assignee_name;
    // The notice carries the addressee's own reply address (issue #14):
    // answering it counts as their reaction.
    bool answerable = false;
    // The reply commands this addressee may send about the lead now
    // (core::offered_actions; issue #15), when answerable.
    std::vector<core::LeadAction> commands;
    // The addressee's one-click links (issue #15): a confirmation page in
    // leadweb each, e.g. {"Übernehmen", "https://…/a/…"}.
    struct Link {
        std::string label;
        std::string url;
    };
    std::vector<Link> links;
};

struct NoticeText {
    std::string subject;
    std::string text;
    std::string html;
};

// kind: an event kind (assignment_notice, reminder, level1, level2,
// resubmission, level2_resubmission, customer_message); a pool lead's
// assignment notice reads as a pool notice. due: the event's due time.
NoticeText notice_text(const std::string& kind, const LeadSummary& lead, const core::Dealer& dealer,
                       const std::string& automanager_url, core::Instant due, bool pool_lead);

// The morning digest (issue #18): the notices held for the opening, one
// entry each with the lead's key data, the reason (the notice's own
// wording), its links and its reply address with the commands.
struct DigestEntry {
    std::string kind; // the event kind
    core::Instant due;
    LeadSummary lead;
    bool pool_lead = false;
    std::string reply_address; // the user's for this lead; empty: none
};
NoticeText digest_text(const std::vector<DigestEntry>& entries, const core::Dealer& dealer,
                       const std::string& automanager_url);

// The notice for a mail that yields no lead (SPEC §5.4, seed: "E-Mail neue
// nicht zugeordnete Anfrage"): sender, subject, reason, received time.
// reason: bounce | auto_reply | bulk | no_contact.
NoticeText unassignable_text(const core::Dealer& dealer, const std::string& sender,
                             const std::string& subject, const std::string& reason,
                             core::Instant received);

// The notice to the dealer's admin user that an outgoing mail was given up
// (a 5xx answer, or still refused after system.smtp.max_queue_lifetime).
struct FailedDelivery {
    long long outbox_id = 0;
    std::string what; // the mail's kind, in words
    std::string recipients;
    std::optional<long long> lead_id;
    std::string message_id;
    std::string error; // the server's last answer
    core::Instant queued_since;
};
NoticeText delivery_failed_text(const core::Dealer& dealer, const FailedDelivery& failed);

// The trade-in CC (SPEC §5.3, seed: "Inzahlungnahme CC E-Mail"): a short
// cover text for the PDF and the original message attached to it.
NoticeText tradein_cc_text(const LeadSummary& lead, const core::Dealer& dealer,
                           const std::string& automanager_url, const std::string& car);

// An opening sentence, labelled fields, the dealer's signature.
NoticeText field_notice(std::string subject, const std::string& opening,
                        const std::vector<std::pair<const char*, std::string>>& fields,
                        const core::Dealer& dealer);

// "04.12.2026, 15:00 Uhr" in the dealer's zone.
std::string local_time_text(core::Instant instant, const core::Dealer& dealer);

} // namespace lr::mail
