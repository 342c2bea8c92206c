// The unassignable reasons a message's envelope, headers and structure give
// (SPEC §4), in their order: bounce evidence (a delivery report, or a
// machine sender's failure notice), auto-reply evidence (headers, read
// receipts, feedback reports, subjects, challenge-response), the bare null
// sender (bounce), bulk, spam. A structured lead (ADF, form) is never
// auto_reply or bulk because of headers.
#pragma once

#include "classify/mail_view.hpp"

#include <optional>
#include <string>

namespace lr::classify {

std::optional<std::string> header_reason(const MailView& mail,
                                         const std::optional<std::string>& envelope_sender,
                                         bool structured_lead);

} // namespace lr::classify
