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

namespace lr::daemon {

struct PreparedMail {
    SmtpJob job;
    std::vector<std::string> suppressed; // external recipients left out
};

// An error is permanent: the row is marked failed with its message.
Result<PreparedMail> prepare_mail(const core::Config& config, const store::OutboxMail& row,
                                  core::Instant now);

// A notice as it goes out from the row: the dealer's From name, the
// row's sender, recipients and Message-ID, the text composed for it.
mail::OutgoingMail notice_mail(const core::Dealer& dealer, const store::OutboxMail& row,
                               const mail::NoticeText& text, core::Instant now);

// Addresses of the dealer: its users and the configured targets.
bool is_dealer_address(const core::Dealer& dealer, const std::string& address);

} // namespace lr::daemon
