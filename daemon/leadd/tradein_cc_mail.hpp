// The trade-in CC (SPEC §5.3, issue #7), built when the outbox sends it:
// a new mail to trade_in_cc with the core-data PDF (links into the
// Automanager) and the customer's original message attached unchanged as
// message/rfc822. The forward target gets the original itself, untouched
// by us, so the sender's DKIM signature stays valid there (docs/tradein-cc.md).
#pragma once

#include "core/config.hpp"
#include "mail/compose.hpp"
#include "store/outbox_store.hpp"
#include "util/result.hpp"

namespace lr::daemon {

Result<mail::OutgoingMail> tradein_cc_mail(const core::Config& config, const core::Dealer& dealer,
                                           const store::OutboxMail& row, core::Instant now);

} // namespace lr::daemon
