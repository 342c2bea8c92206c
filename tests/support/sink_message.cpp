#include "sink_message.hpp"

#include "util/strings.hpp"

#include <algorithm>
#include <sstream>

namespace lr::test {

std::string lf(std::string text) {
    text.erase(std::remove(text.begin(), text.end(), '\r'), text.end());
    return text;
}

std::string body_of(const std::string& message) {
    auto text = lf(message);
    auto at = text.find("\n\n");
    std::string body = at == std::string::npos ? "" : text.substr(at + 2);
    while (!body.empty() && body.back() == '\n')
        body.pop_back();
    return body;
}

std::string header_of(const std::string& message, const std::string& name) {
    auto text = lf(message);
    std::istringstream head(text.substr(0, text.find("\n\n")));
    // Field names are case-insensitive (RFC 5322): GMime writes Message-Id.
    const std::string wanted = util::to_lower(name) + ": ";
    for (std::string line; std::getline(head, line);)
        if (util::to_lower(line.substr(0, wanted.size())) == wanted)
            return line.substr(wanted.size());
    return "";
}

std::string recipient_of(const std::string& message) {
    auto args = header_of(message, "X-Rcpt-Args");
    return args.substr(0, args.find(' '));
}

} // namespace lr::test
