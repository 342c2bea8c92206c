// From an outbox row to what goes over SMTP: the dealer's mail server, the
// recipients left after send_external_mail, and the message (prebuilt, or
// a notice composed from the row's event and the lead's data).
#pragma once

#include "core/config.hpp"
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

// Addresses of the dealer: its users and the configured targets.
bool is_dealer_address(const core::Dealer& dealer, const std::string& address);

} // namespace lr::daemon
