// Who may do what to a lead from a notice (issue #15): by a reply command
// or by a link in leadweb. One rule for both; leadctl is the
// sysadmin's and asks nobody.
//
//   claim     a pool lead, by an assignable user (pool.oldest_only: the
//             oldest only)
//   react, resubmit, close
//             the assignee, the assignee's substitute or supervisor, the
//             admin user; not while the lead waits in the pool
//   reassign  the assignee's supervisor or the admin user, to an
//             assignable user
#pragma once

#include "core/config.hpp"
#include "core/reply_command.hpp"

#include <optional>
#include <string>
#include <vector>

namespace lr::core {

// What the decision needs to know of the lead, read under its row lock.
struct LeadStanding {
    long long id = 0;
    std::string state; // new | assigned | responded | closed | merged
    std::optional<std::string> assignee;
    std::optional<long long> pool_head; // the oldest lead in the dealer's pool
};

enum class Refusal {
    not_a_user,     // the actor is no user of the dealer
    not_open,       // closed or merged
    not_assigned,   // nobody holds it yet (it is being assigned)
    no_pool,        // claim at a dealer without a pool
    not_in_pool,    // claim of a lead somebody holds
    not_assignable, // claim by a user who may not get leads
    not_oldest,     // claim of another than the oldest (pool.oldest_only)
    claim_first,    // react/resubmit/close of a lead still in the pool
    not_yours,      // react/resubmit/close by somebody else
    supervisors_only,
    unknown_target,
    target_not_assignable,
    tracking_only,    // reply at a dealer in lead-tracking mode
    no_external_mail, // reply at a dealer with send_external_mail: false
};

// "not_open", "not_yours", ...: the refusal's stable name (the API's
// reason field).
const char* refusal_name(Refusal refusal);

struct Permission {
    std::optional<Refusal> refusal; // empty: allowed
    const User* target = nullptr;   // reassign: who gets it
    explicit operator bool() const { return !refusal; }
};

Permission permit(const Dealer& dealer, const LeadStanding& lead, const std::string& user_id,
                  const ReplyCommand& command);

// The actions permit() would allow this user now (what a notice offers).
std::vector<LeadAction> offered_actions(const Dealer& dealer, const LeadStanding& lead,
                                        const std::string& user_id);

// A user named in "an weber": by id, by a word of the name that only one
// user's name has, or by the mail address's local part; case does not
// matter.
const User* user_by_word(const Dealer& dealer, std::string_view word);

bool in_pool(const Dealer& dealer, const LeadStanding& lead);

} // namespace lr::core
