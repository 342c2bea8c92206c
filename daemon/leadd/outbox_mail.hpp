// From an outbox row to what goes over SMTP: the dealer's mail server, the
// recipients left after send_external_mail, and the message (prebuilt, or
// a notice composed from the row's event and the lead's data).
#pragma once

#include "core/config.hpp"
#include "mail/compose.hpp"
#include "mail/notice_text.hpp"
#include "smtp_client.hpp"
#include "store/outbox_store.hpp"
#include "util/result.hpp"
#include "web/action_token.hpp"

namespace lr::daemon {

struct PreparedMail {
    SmtpJob job;
    std::vector<std::string> suppressed; // external recipients left out
};

// The time one send may take: a minute, plus a second for every 64 KiB,
// so a trade-in CC carrying a 50 MB original gets 14 minutes while a
// notice still gives up after one.
long smtp_time_limit(size_t message_bytes);

// An error is permanent: the row is marked failed with its message.
// links: the keys a notice's links are signed with (system.web.public_url
// set and its secret_file read), else no links.
Result<PreparedMail> prepare_mail(const core::Config& config, const store::OutboxMail& row,
                                  core::Instant now, const web::KeyRing* links = nullptr);

// A notice as it goes out from the row: the dealer's From name, the
// row's sender, recipients and Message-ID, the text composed for it.
mail::OutgoingMail notice_mail(const core::Dealer& dealer, const store::OutboxMail& row,
                               const mail::NoticeText& text, core::Instant now);

// What the sender keeps of a row while it is being sent (not the message:
// a trade-in CC can carry a 50 MB original).
struct SendAttempt {
    long long id = 0;
    std::string dealer_id;
    std::optional<long long> lead_id;
    std::string kind, message_id, mail_from;
    std::vector<std::string> recipients;
    int attempts = 0;
    core::Instant queued_since;
};
SendAttempt send_attempt_of(const store::OutboxMail& row);

// The notice to the dealer's admin user that this mail was given up, or
// nothing when there is nobody to tell (dealer or admin user gone) or the
// mail was such a notice itself.
std::optional<store::FailureNotice> failure_notice(const core::Config& config,
                                                   const SendAttempt& mail,
                                                   const std::string& error, core::Instant now);

// Addresses of the dealer: its users and the configured targets.
bool is_dealer_address(const core::Dealer& dealer, const std::string& address);

} // namespace lr::daemon
