#include "core/authentication_results.hpp"

#include "util/strings.hpp"

#include <cctype>

namespace lr::core {

namespace {

// The value without its (nested) comments, with quoted strings unquoted;
// ';' inside quotes becomes part of the text, outside it separates.
std::vector<std::string> segments_of(std::string_view value) {
    std::vector<std::string> segments(1);
    int comment_depth = 0;
    bool quoted = false;
    for (size_t i = 0; i < value.size(); ++i) {
        const char c = value[i];
        if (c == '\\' && (quoted || comment_depth > 0) && i + 1 < value.size()) {
            if (quoted)
                segments.back() += value[i + 1];
            ++i;
        } else if (quoted) {
            if (c == '"')
                quoted = false;
            else
                segments.back() += c;
        } else if (c == '(') {
            ++comment_depth;
        } else if (c == ')' && comment_depth > 0) {
            --comment_depth;
            segments.back() += ' ';
        } else if (comment_depth > 0) {
            continue;
        } else if (c == '"') {
            quoted = true;
        } else if (c == ';') {
            segments.emplace_back();
        } else {
            segments.back() += (c == '\r' || c == '\n' || c == '\t') ? ' ' : c;
        }
    }
    return segments;
}

// "a = b  c=d" -> {"a=b", "c=d"}
std::vector<std::string> words_of(const std::string& segment) {
    std::vector<std::string> words;
    std::string current;
    for (size_t i = 0; i < segment.size(); ++i) {
        const char c = segment[i];
        if (c == ' ') {
            size_t next = segment.find_first_not_of(' ', i);
            const bool joins =
                next != std::string::npos &&
                (segment[next] == '=' || (!current.empty() && current.back() == '='));
            if (joins) {
                i = next - 1;
                continue;
            }
            if (!current.empty())
                words.push_back(std::move(current));
            current.clear();
        } else {
            current += c;
        }
    }
    if (!current.empty())
        words.push_back(std::move(current));
    return words;
}

} // namespace

std::optional<std::string> AuthResult::property(const std::string& name) const {
    auto it = properties.find(name);
    if (it == properties.end())
        return std::nullopt;
    return it->second;
}

std::optional<AuthenticationResults> parse_authentication_results(std::string_view value) {
    auto segments = segments_of(value);
    auto head = words_of(segments.front());
    if (head.empty() || head.front().find('=') != std::string::npos)
        return std::nullopt;
    AuthenticationResults parsed;
    parsed.authserv_id = util::to_lower(head.front());
    for (size_t i = 1; i < segments.size(); ++i) {
        auto words = words_of(segments[i]);
        if (words.empty())
            continue;
        const std::string& methodspec = words.front();
        const size_t equals = methodspec.find('=');
        if (equals == std::string::npos || equals == 0)
            continue;
        AuthResult result;
        const std::string method = methodspec.substr(0, equals);
        result.method = util::to_lower(method.substr(0, method.find('/'))); // "dkim/1"
        result.result = util::to_lower(methodspec.substr(equals + 1));
        for (size_t w = 1; w < words.size(); ++w) {
            const size_t at = words[w].find('=');
            if (at == std::string::npos || at == 0)
                continue;
            result.properties[util::to_lower(words[w].substr(0, at))] =
                util::to_lower(words[w].substr(at + 1));
        }
        parsed.results.push_back(std::move(result));
    }
    return parsed;
}

} // namespace lr::core
