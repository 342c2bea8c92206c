// The commands a user writes on the first line of an answer to a notice
// (issue #15): "übernehmen", "erledigt", "wiedervorlage 03.12. 10:00",
// "an weber", "schließen", and their English synonyms. Pure: the text in,
// what was asked out; who may do it is core/lead_permission's question.
//
// Only a first line that starts with a command word is a command: any
// other answer stays what it always was (a reaction, SPEC §5.6). A line
// that starts with one but does not fit ("wiedervorlage nächste woche")
// is not understood, and the user is told so.
#pragma once

#include "core/zoned_time.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace lr::core {

// reply: an answer to the customer written on leadweb's page (LMS mode);
// no mail command, since a mail to the customer is written to the customer.
enum class LeadAction { claim, react, resubmit, reassign, close, reply };

// "claim", "reaction", ... as the audit trail (lead_actions.action) names it.
std::string_view action_name(LeadAction action);

struct ReplyCommand {
    LeadAction action = LeadAction::react;
    std::optional<Instant> when; // resubmit
    std::string target;          // reassign: the word after "an", lower case
};

struct ParsedReply {
    enum class Kind { none, command, not_understood };
    Kind kind = Kind::none;
    ReplyCommand command;
    std::string line;    // the first line as written, trimmed
    std::string problem; // not_understood: why, in German
};

// own_text: the answer's own words (quoted history is skipped here: lines
// starting with '>'). zone and now read a resubmission time: dealer's local
// time; a day without a year is the next such day from now.
ParsedReply parse_reply_command(std::string_view own_text, const date::time_zone* zone,
                                Instant now);

// "03.12. 10:00", "3.12.2026", "2026-12-03 10:00", "2026-12-03T10:00",
// "morgen 14 uhr": the dealer's local time (09:00 when no time is given).
std::optional<Instant> parse_resubmission_time(std::string_view text, const date::time_zone* zone,
                                               Instant now);

} // namespace lr::core
