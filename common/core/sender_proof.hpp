// Whether a mail that names one of the dealer's users in From is really
// that user's (issue #14): only then may it count as the salesperson's
// reaction and silence the lead's reminders and escalations. A From header
// proves nothing; what does is configured per system and dealer
// (ReactionProofs). Pure: the milter gathers the evidence.
#pragma once

#include "core/authentication_results.hpp"
#include "core/config.hpp"

#include <optional>
#include <string>
#include <vector>

namespace lr::core {

// One Authentication-Results header as the milter received it.
struct ReceivedAuthHeader {
    std::string value;
    // In the block of Authentication-Results headers that heads the
    // message, where the milters before ours insert theirs.
    bool at_top = false;
};

// What counts and what goes. Counts: the topmost header of a trusted
// authserv-id in the top block, the one the milter just before ours
// inserted; a forged one right below it (from a message that put it first)
// is not read. Goes: the occurrences (1-based, as smfi_chgheader counts
// them) of trusted-id headers below the top block, which came from
// outside. Postfix's header_checks removes the rest before any milter
// runs (README, "Trust model").
struct SortedAuthHeaders {
    std::vector<AuthenticationResults> trusted;
    std::vector<int> forged;
};
SortedAuthHeaders sort_auth_headers(const std::vector<ReceivedAuthHeader>& headers,
                                    const std::vector<std::string>& trusted_ids);

struct SenderEvidence {
    std::string from; // the first From address
    // The user whose reply address (mailbox+<key>) the mail was sent to.
    std::optional<std::string> reply_key_user;
    std::string smtp_login; // Postfix's {auth_authen}; empty without SASL
    std::vector<AuthenticationResults> trusted_results;
};

enum class Proof { none, reply_address, smtp_auth, authentication_results };
const char* proof_name(Proof proof);

struct AuthorCheck {
    const User* claimed = nullptr; // the user From names, if any
    Proof proof = Proof::none;
    std::string doubt; // why nothing proves the claim, for the journal
    bool proven() const { return claimed && proof != Proof::none; }
};
AuthorCheck check_author(const Dealer& dealer, const ReactionProofs& proofs,
                         const SenderEvidence& evidence);

// DMARC's relaxed alignment without a public suffix list: the same domain,
// or one a subdomain of the other.
bool domains_aligned(std::string_view a, std::string_view b);

} // namespace lr::core
