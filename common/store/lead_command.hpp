// A command a person gave about a lead, carried out: by a reply command in
// the milter, by a link in leadweb (issue #15). One switch from the
// command to the store function leadctl uses too, so every door does the
// same thing; who may do it was decided before (core::permit).
#pragma once

#include "core/lead_permission.hpp"
#include "store/lead_actions.hpp"

namespace lr::store {

Result<LeadRef> carry_out_command(Transaction& transaction, const core::Config& config,
                                  const core::Dealer& dealer, const Actor& actor, long long lead_id,
                                  const core::ReplyCommand& command,
                                  const core::Permission& permission, core::Instant now);

// What a page about the lead shows and what deciding on it needs, read in
// one statement (under the row's lock when lock is true).
struct LeadFacts {
    long long id = 0;
    std::string dealer_id;
    std::string state;
    std::optional<std::string> assignee;
    long long version = 0;
    core::Instant received_at;
    std::string kind;
    std::string source;
    std::string contact_name;
    std::string vehicle;
};
Result<std::optional<LeadFacts>> read_lead_facts(Connection& connection, long long lead_id,
                                                 bool lock);

// core::permit() for the lead as read and this user's command; a claim
// needs the pool's head, which is read here.
Result<core::Permission> permission_for(Connection& connection, const LeadFacts& facts,
                                        const core::Dealer& dealer, const std::string& user_id,
                                        const core::ReplyCommand& command);

} // namespace lr::store
