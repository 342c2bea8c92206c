// Building an outgoing message with GMime: a multipart/alternative of plain
// text and HTML (plus attachments), the addresses and subject encoded as
// RFC 2047 where they are not ASCII, CRLF line ends, and the Message-ID the
// outbox gave the mail (so a rare duplicate is recognisable).
#pragma once

#include "core/zoned_time.hpp"

#include <optional>
#include <string>
#include <vector>

namespace lr::mail {

struct Attachment {
    std::string filename;
    std::string content_type; // "application/pdf"; "message/rfc822" attaches bytes as a message
    std::string bytes;
};

// An image the HTML part shows with <img src="cid:content_id">.
struct InlineImage {
    std::string content_id; // without <>
    std::string filename;
    std::string content_type; // "image/png"
    std::string bytes;
};

struct OutgoingMail {
    std::string from_name;
    std::string from_address;
    std::vector<std::string> to;
    std::optional<std::string> reply_to;
    std::string subject;
    std::string message_id; // without <>
    core::Instant date;
    std::string text;
    std::string html;                       // empty: text only
    std::optional<std::string> in_reply_to; // without <>
    std::vector<std::string> references;    // without <>
    bool auto_submitted = true;             // notices: Auto-Submitted: auto-generated
    std::vector<InlineImage> inline_images; // with html: multipart/related
    std::vector<Attachment> attachments;
};

// The whole message as it goes over SMTP (CRLF).
std::string compose(const OutgoingMail& mail);

} // namespace lr::mail
