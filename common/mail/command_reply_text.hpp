// The German answers to a reply command (issue #15): done, not done and
// why, not understood. Short, because they are read on a phone; each names
// the lead and repeats the commands when something went wrong. Pure.
#pragma once

#include "core/lead_permission.hpp"
#include "mail/notice_text.hpp"

#include <optional>
#include <string>

namespace lr::mail {

struct CommandFacts {
    long long lead_id = 0;
    std::string headline; // "Max Mustermann, Volkswagen Golf (HH-2231)"
    std::string line;     // the command as the user wrote it
};

NoticeText command_done_text(const core::Dealer& dealer, const CommandFacts& facts,
                             const core::ReplyCommand& command, const std::string& target_name);
NoticeText command_refused_text(const core::Dealer& dealer, const CommandFacts& facts,
                                const std::string& reason);
NoticeText command_not_understood_text(const core::Dealer& dealer, const CommandFacts& facts,
                                       const std::string& problem);

// What was done, in one German sentence (the answer mail's and leadweb's).
std::string done_sentence(const core::Dealer& dealer, const core::ReplyCommand& command,
                          const std::string& target_name);

// Why permit() said no, in German. holder: the name of whoever holds the
// lead (a claim that came too late names the winner).
std::string refusal_text(core::Refusal refusal, const core::LeadStanding& lead,
                         const std::string& holder, const std::string& target_word);

// The commands, one per line, as a salesperson reads them.
const std::string& commands_help();

} // namespace lr::mail
