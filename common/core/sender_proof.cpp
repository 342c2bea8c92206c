#include "core/sender_proof.hpp"

#include "core/address.hpp"
#include "util/strings.hpp"

#include <algorithm>

namespace lr::core {

namespace {

std::string domain_part(std::string_view address) {
    const size_t at = address.rfind('@');
    return at == std::string_view::npos ? std::string() : util::to_lower(address.substr(at + 1));
}

bool is_subdomain(std::string_view child, std::string_view parent) {
    return child.size() > parent.size() + 1 &&
           child.substr(child.size() - parent.size()) == parent &&
           child[child.size() - parent.size() - 1] == '.';
}

bool login_matches(const User& user, const std::string& login) {
    const std::string expected = user.smtp_login ? *user.smtp_login : user.email;
    return canonical_address(expected) == canonical_address(login);
}

// dmarc=pass for the From domain, or dkim=pass by a domain aligned with it.
bool results_prove(const std::vector<AuthenticationResults>& trusted,
                   const std::string& from_domain) {
    for (const auto& header : trusted)
        for (const auto& result : header.results) {
            if (result.result != "pass")
                continue;
            if (result.method == "dmarc" && result.property("header.from") == from_domain)
                return true;
            if (result.method == "dkim") {
                std::string signer = result.property("header.d").value_or("");
                if (signer.empty())
                    signer = domain_part(result.property("header.i").value_or(""));
                if (!signer.empty() && domains_aligned(signer, from_domain))
                    return true;
            }
        }
    return false;
}

} // namespace

bool domains_aligned(std::string_view a, std::string_view b) {
    return !a.empty() && (a == b || is_subdomain(a, b) || is_subdomain(b, a));
}

SortedAuthHeaders sort_auth_headers(const std::vector<ReceivedAuthHeader>& headers,
                                    const std::vector<std::string>& trusted_ids) {
    SortedAuthHeaders sorted;
    for (size_t i = 0; i < headers.size(); ++i) {
        auto parsed = parse_authentication_results(headers[i].value);
        if (!parsed || std::find(trusted_ids.begin(), trusted_ids.end(), parsed->authserv_id) ==
                           trusted_ids.end())
            continue;
        if (headers[i].at_top) {
            if (sorted.trusted.empty())
                sorted.trusted.push_back(std::move(*parsed));
        } else
            sorted.forged.push_back(static_cast<int>(i) + 1);
    }
    return sorted;
}

const char* proof_name(Proof proof) {
    switch (proof) {
    case Proof::none:
        return "none";
    case Proof::reply_address:
        return "reply_address";
    case Proof::smtp_auth:
        return "smtp_auth";
    case Proof::authentication_results:
        return "authentication_results";
    }
    return "none";
}

AuthorCheck check_author(const Dealer& dealer, const ReactionProofs& proofs,
                         const SenderEvidence& evidence) {
    AuthorCheck check;
    const std::string from = canonical_address(evidence.from);
    for (const auto& user : dealer.users)
        if (canonical_address(user.email) == from)
            check.claimed = &user;
    if (!check.claimed)
        return check;
    const User& user = *check.claimed;
    if (proofs.reply_address && evidence.reply_key_user == user.id)
        check.proof = Proof::reply_address;
    else if (proofs.smtp_auth && !evidence.smtp_login.empty() &&
             login_matches(user, evidence.smtp_login))
        check.proof = Proof::smtp_auth;
    else if (proofs.authentication_results &&
             results_prove(evidence.trusted_results, domain_part(from)))
        check.proof = Proof::authentication_results;
    if (check.proof != Proof::none)
        return check;

    std::vector<std::string> missing;
    if (proofs.reply_address)
        missing.push_back(evidence.reply_key_user ? "sent to another user's reply address"
                                                  : "not sent to the user's reply address");
    if (proofs.smtp_auth)
        missing.push_back(evidence.smtp_login.empty()
                              ? "no SASL login"
                              : "SASL login \"" + evidence.smtp_login + "\" is not the user's");
    if (proofs.authentication_results)
        missing.push_back(evidence.trusted_results.empty()
                              ? "no Authentication-Results of a trusted authserv-id"
                              : "no trusted dmarc=pass or aligned dkim=pass for " +
                                    domain_part(from));
    if (missing.empty())
        missing.push_back("the dealer accepts no proof");
    check.doubt =
        "From names user " + user.id + " but nothing proves it: " + util::join(missing, ", ");
    return check;
}

} // namespace lr::core
