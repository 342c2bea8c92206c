// Logging: one line per decision an operator would look for, with
// structured fields (SPEC §11: LEAD_ID, DEALER, QUEUE_ID, MESSAGE_ID, KIND,
// REASON, RULE, USER, ...). Under systemd (stderr is the journal stream)
// each line is a journal entry with PRIORITY and those fields; elsewhere
// it is "program: message KEY=value ..." on stderr.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace lr::log {

enum class Priority { err = 3, warning = 4, notice = 5, info = 6, debug = 7 };

using Fields = std::vector<std::pair<std::string, std::string>>;

void set_program(std::string name);
void write(Priority priority, const std::string& message, const Fields& fields = {});

inline void error(const std::string& message, const Fields& fields = {}) {
    write(Priority::err, message, fields);
}
inline void warning(const std::string& message, const Fields& fields = {}) {
    write(Priority::warning, message, fields);
}
inline void info(const std::string& message, const Fields& fields = {}) {
    write(Priority::info, message, fields);
}

} // namespace lr::log
