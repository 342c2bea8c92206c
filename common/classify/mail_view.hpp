// One message as the classifier sees it (lead-formats.md §1), read with
// GMime 3: decoded headers and addresses, the text to read (text/plain
// preferred, else HTML converted), the XML parts that may hold an ADF
// document. Transfer encodings and charsets are undone here; everything
// returned is valid UTF-8.
#pragma once

#include "util/result.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lr::classify {

struct MailAddress {
    std::string name;    // display name, decoded
    std::string address; // as written (not lower-cased)
};

struct MailView {
    std::vector<std::pair<std::string, std::string>> headers; // name, decoded value
    std::string subject;
    std::vector<MailAddress> from, sender, reply_to, to, cc;
    std::string message_id;              // without <>
    std::vector<std::string> references; // In-Reply-To and References, without <>
    std::string mime_type;               // of the top part, lower case: "multipart/report"
    std::string report_type;             // its report-type parameter, lower case
    std::string plain_text;              // inline text/plain parts, joined
    std::string html_source;             // text/html parts, joined (UTF-8)
    std::string html_text;               // html_source as text
    std::vector<std::string> xml_parts;  // text/xml, application/xml, *.xml, *.adf
    int part_count = 0;
    int attached_messages = 0; // message/rfc822 parts: forwarded or attached mails
    // A message/(global-)delivery-status part of the message's own (not
    // one inside an attached mail).
    bool has_delivery_status_part = false;
    // The text outside attached messages, when there are any (else empty:
    // own_text() is then text()).
    std::string own_plain_text;
    std::string own_html_text;

    // The first header of that name (case-insensitive).
    std::optional<std::string> header(std::string_view name) const;
    bool has_header(std::string_view name) const { return header(name).has_value(); }
    // What the classifier reads: plain text, else the HTML as text.
    const std::string& text() const { return plain_text.empty() ? html_text : plain_text; }
    // The same without the text of attached or forwarded messages.
    const std::string& own_text() const {
        if (attached_messages == 0)
            return text();
        return own_plain_text.empty() ? own_html_text : own_plain_text;
    }
};

// invalid_input when the bytes are not a message at all (no header).
Result<MailView> read_mail(std::string_view raw);

} // namespace lr::classify
