// Reading the messages smtp-sink dumped (tests/support/smtp_sink): the
// envelope as X-Mail-Args / X-Rcpt-Args headers in front, then the message.
#pragma once

#include <string>

namespace lr::test {

// The text with every CR removed.
std::string lf(std::string text);
// The body, line ends as LF and without trailing empty lines (smtp-sink
// ends its dump with one).
std::string body_of(const std::string& message);
// A header's value ("" when absent).
std::string header_of(const std::string& message, const std::string& name);
// The recipient address of X-Rcpt-Args ("<a@b>" without " ORCPT=…").
std::string recipient_of(const std::string& message);

} // namespace lr::test
