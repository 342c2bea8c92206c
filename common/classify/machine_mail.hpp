// Telling machine mail from a person's (SPEC §4, issue #21): the senders
// that are mail systems, the wordings with which MTAs and providers say a
// delivery failed or is delayed, the subjects of out-of-office and
// automatic answers, and challenge-response requests. Pure text rules; the
// structure of a message (report parts, headers) is read by
// header_reasons.
//
// The wordings follow the notices of Postfix, Sendmail, Exim, qmail,
// Exchange and Office 365, Gmail, Yahoo, GMX/Web.de, T-Online and Notes,
// in English and German, and the subjects of Outlook, Apple Mail and Notes
// auto-replies in the common languages. Lists, not patterns: each entry is
// a lower-case phrase matched as a substring (the failure wordings) or at
// the start of the subject (the auto-reply subjects).
#pragma once

#include <string_view>

namespace lr::classify {

// A mail system's own address (SPEC §4's machine senders): mailer-daemon,
// mail-daemon, postmaster, mail.delivery.system, bounce(s), *-bounces,
// owner-*, *-owner, *-request, *-admin. A "+tag" is ignored.
bool is_machine_sender(std::string_view address);

// The subject or the first lines of text say that a delivery failed or is
// delayed. Only meaningful for a machine sender's mail: a person may write
// the same words.
bool says_delivery_failed(std::string_view subject, std::string_view text);

// An out-of-office or automatic answer by its subject ("Automatische
// Antwort: …", "Auto reply: …", Notes' "AUTO: …" in capitals).
bool is_auto_reply_subject(std::string_view subject);

// A challenge-response system asking the sender to prove being a person.
bool is_challenge_request(std::string_view subject, std::string_view text);

} // namespace lr::classify
