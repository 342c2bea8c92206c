#include "sink_message.hpp"

#include <algorithm>

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
    auto head = text.substr(0, text.find("\n\n"));
    std::string needle = "\n" + name + ": ";
    auto at = ("\n" + head).find(needle);
    if (at == std::string::npos)
        return "";
    auto start = at + needle.size() - 1;
    return head.substr(start, head.find('\n', start) - start);
}

std::string recipient_of(const std::string& message) {
    auto args = header_of(message, "X-Rcpt-Args");
    return args.substr(0, args.find(' '));
}

} // namespace lr::test
