// Test data: leads and contacts as the milter will store them.
#pragma once

#include "test_database.hpp"

#include <optional>
#include <string>

namespace lr::test {

struct LeadSeed {
    std::string dealer = "mueller";
    std::optional<std::string> email = std::nullopt;
    std::optional<std::string> phone = std::nullopt;
    std::string kind = "lead";
    std::string source = "email";
    std::optional<std::string> location = std::string("hamburg");
    std::optional<std::string> condition = std::nullopt;
    std::optional<std::string> make = std::nullopt;
    std::string state = "new";
    std::optional<std::string> assignee = std::nullopt;
};

// Inserts a contact (when e-mail or phone is given) and the lead; returns
// the lead id.
long long add_lead(const TestDatabase& db, const LeadSeed& seed);

// A pending reminder or escalation of the lead for addressee, due (and
// sent) an hour from now.
void add_pending_event(const TestDatabase& db, long long lead, const std::string& kind,
                       const std::string& addressee);

// Many leads at once, each with its own contact: n leads per dealer.
void add_leads_bulk(const TestDatabase& db, const std::string& dealer, int n);

// A customer's plain-text enquiry to mueller@dein.auto as it comes over
// SMTP: its own sender (so its own contact and lead) and Message-ID made
// from tag, and X-Test-Fixture: tag to find it at the sink.
std::string customer_mail(const std::string& tag);

} // namespace lr::test
