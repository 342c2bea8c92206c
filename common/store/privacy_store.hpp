// Privacy (issue #17): what the product stores about one person, exported
// or erased, and the daily retention pass. Erasure and retention do the
// same thing to a row: its personal data goes, the row stays (times,
// kinds, sources, assignees, counts), so the statistics still add up.
//
//   gone:  contacts' names, e-mail, phone; a lead's message and the trade-in
//          car's VIN, mileage, registration; messages' sender, recipients,
//          Message-ID, raw bytes and the classification beyond kind,
//          reason, source and provider; outbox bytes, errors and a reply's
//          customer address
//   stays: every row, its times, dealer, kind, source, state, assignee,
//          the audit trails, the events
//
// A lead the dealer marked a concluded deal (`leadctl lead mark-deal`) is
// restricted instead of erased: its letters must be kept (HGB §257, AO
// §147; BDSG §35(3)).
#pragma once

#include "core/config.hpp"
#include "core/zoned_time.hpp"
#include "store/pg.hpp"
#include "store/statement_sequence.hpp"
#include "util/json.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace lr::store {

// Whom a request is about, at one dealer: an e-mail address (lower case)
// or a phone number (E.164).
struct Subject {
    std::string dealer_id;
    std::optional<std::string> email;
    std::optional<std::string> phone;
};

// The subject for the privacy log: "j***@e***.org", "+49***78".
std::string masked(const Subject& subject);

// Every row about the subject.
struct SubjectRows {
    std::vector<long long> contacts;
    std::vector<long long> leads;      // erasable
    std::vector<long long> deal_leads; // concluded deals: restricted, kept
    std::vector<long long> messages;   // not of a deal lead
    std::vector<long long> outbox;     // not of a deal lead
};
Result<SubjectRows> find_subject(Connection& connection, const Subject& subject);

// The export: one JSON document with every stored row about the subject
// (as the database holds it, raw bytes apart) and the raw mails.
struct SubjectExport {
    Json document;
    std::map<std::string, std::string> files; // "messages/12.eml" → bytes
};
Result<SubjectExport> export_subject(Connection& connection, const Subject& subject,
                                     const std::string& actor, core::Instant now);

// Erases (anonymises) the subject's rows and restricts its deal leads, in
// the caller's transaction; logs that it happened (masked). dry_run: only
// counts what would go. Counts: contacts, leads, messages, outbox,
// restricted.
Result<Json> erase_subject(Transaction& transaction, const Subject& subject, bool dry_run,
                           const std::string& actor, core::Instant now);

// Marks a lead a concluded deal (erasure then restricts it).
Result<bool> mark_deal(Connection& connection, long long lead_id, core::Instant now);

// One batch of leadd's retention pass: raw bytes, unassignable mail, leads
// without activity and sent outbox mail past their dealer's periods, at
// most batch_size rows of each. counts() after the run: rows per kind;
// full() when any kind filled its batch (run another).
class RetentionRun : public StatementSequence {
public:
    RetentionRun(std::shared_ptr<const core::Config> config, core::Instant now);
    std::optional<Statement> next(const Rows* previous) override;
    const std::map<std::string, long long>& counts() const { return m_counts; }
    bool full() const;

private:
    std::shared_ptr<const core::Config> m_config;
    core::Instant m_now;
    int m_step = 0;
    std::map<std::string, long long> m_counts;
};

} // namespace lr::store
