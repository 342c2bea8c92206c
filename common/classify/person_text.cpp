#include "classify/person_text.hpp"

#include "classify/phone.hpp"
#include "util/strings.hpp"

namespace lr::classify {

namespace {

bool starts_quoted_history(std::string_view line) {
    std::string lower = util::to_lower(line);
    if (lower.rfind("am ", 0) == 0 && lower.find(" schrieb") != std::string::npos)
        return true;
    if (lower.rfind("on ", 0) == 0 && lower.find(" wrote") != std::string::npos)
        return true;
    return lower.find("-----ursprüngliche nachricht-----") != std::string::npos ||
           lower.find("-----original message-----") != std::string::npos ||
           lower.find("---------- forwarded message") != std::string::npos ||
           lower.find("-------- weitergeleitete nachricht") != std::string::npos;
}

// "Tel", "Tel.", "Telefon", "Mobil", "Handy" (optionally "…nummer"), then
// separators, then the number.
std::optional<std::string_view> phone_label_value(std::string_view line) {
    std::string lower = util::to_lower(line);
    for (std::string_view label :
         {"telefonnummer", "telefon", "tel", "mobilnummer", "mobil", "handynummer", "handy"}) {
        if (lower.rfind(label, 0) != 0)
            continue;
        size_t at = label.size();
        size_t separators = 0;
        while (at < line.size() &&
               (line[at] == '.' || line[at] == ':' || line[at] == ' ' || line[at] == '\t')) {
            ++at;
            ++separators;
        }
        if (separators == 0 || at >= line.size())
            return std::nullopt;
        return line.substr(at);
    }
    return std::nullopt;
}

} // namespace

PersonText split_person_text(std::string_view text) {
    PersonText out;
    bool in_signature = false;
    for (const auto& raw_line : util::split(text, '\n')) {
        std::string_view line = raw_line;
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        std::string_view trimmed = util::trim(line);
        if (!trimmed.empty() && trimmed.front() == '>')
            continue;
        if (starts_quoted_history(trimmed))
            break;
        if (line == "-- " || line == "--") {
            in_signature = true;
            continue;
        }
        std::string& target = in_signature ? out.signature : out.own;
        target += std::string(line) + "\n";
    }
    return out;
}

std::optional<std::string> labelled_phone(std::string_view text) {
    for (const auto& line : util::split(text, '\n'))
        if (auto value = phone_label_value(util::trim(line)))
            if (auto phone = e164_phone(*value))
                return phone;
    return std::nullopt;
}

} // namespace lr::classify
