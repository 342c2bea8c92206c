#include "log/log.hpp"

#include <cstdio>
#include <mutex>

namespace lr::log {

namespace {
std::string& program() {
    static std::string name = "leadrouter";
    return name;
}
std::mutex& sink_mutex() {
    static std::mutex mutex;
    return mutex;
}
} // namespace

void set_program(std::string name) {
    program() = std::move(name);
}

void write(Priority priority, const std::string& message, const Fields& fields) {
    std::string line = program() + ": ";
    if (priority <= Priority::warning)
        line += priority == Priority::err ? "error: " : "warning: ";
    line += message;
    for (const auto& [key, value] : fields)
        line += " " + key + "=" + value;
    line += "\n";
    std::lock_guard lock(sink_mutex());
    std::fputs(line.c_str(), stderr);
}

} // namespace lr::log
