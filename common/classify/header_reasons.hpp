// The unassignable reasons a message's envelope and headers give (SPEC §4),
// in their order: bounce, auto_reply, bulk, spam. A structured lead (ADF,
// form) is never auto_reply or bulk because of headers.
#pragma once

#include "classify/mail_view.hpp"

#include <optional>
#include <string>

namespace lr::classify {

std::optional<std::string> header_reason(const MailView& mail,
                                         const std::optional<std::string>& envelope_sender,
                                         bool structured_lead);

} // namespace lr::classify
