// One message as the milter collects it between MAIL FROM and end of
// message: the envelope, the recipients that are ours, the headers and
// body (only when the message is ours), and its size against the limit.
#pragma once

#include "core/sender_proof.hpp"
#include "forwarding.hpp"
#include "raw_message.hpp"
#include "runtime.hpp"

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace lr::milter {

struct DealerRecipients {
    const core::Dealer* dealer = nullptr;
    std::vector<MailboxRecipient> recipients;
    std::vector<std::string> tags; // +tags: tracking tokens
};

struct MessageState {
    std::shared_ptr<const Runtime> runtime; // the configuration the message started with
    std::string envelope_from;              // without <>; "" is the null sender
    std::string smtp_login;                 // {auth_authen}: the SASL login, if any
    std::vector<std::string> recipients;    // every RCPT TO, as received
    std::vector<DealerRecipients> ours;     // by dealer, in order of first recipient
    RawMessage raw;                         // headers and body (CRLF), when ours
    std::uint64_t size = 0;
    std::uint64_t announced_size = 0; // ESMTP SIZE, when given and within the limit
    bool too_big = false;
    std::map<std::string, int> lead_header_count; // X-Lead-* headers that came in
    // Every Authentication-Results header in order; those before any other
    // header are at the top (the front milters insert theirs there).
    std::vector<core::ReceivedAuthHeader> auth_headers;
    bool past_top_headers = false;
    std::string queue_id;

    void reset(std::shared_ptr<const Runtime> current) {
        *this = MessageState();
        runtime = std::move(current);
    }
    bool is_ours() const { return !ours.empty(); }
    // Records the recipient; true when it is one of our mailboxes.
    bool add_recipient(const std::string& as_received);
    // Notes a header's name and value for the sender proofs (call in order).
    void note_header(std::string_view name, std::string_view value);
    // Notes the client's ESMTP SIZE (a MAIL FROM argument), if any: room for
    // raw is made at once when the message turns out to be ours.
    void expect_size(std::string_view esmtp_argument);
    // Appends to raw unless the limit is passed; false when it is.
    bool append(std::string_view bytes);
};

} // namespace lr::milter
