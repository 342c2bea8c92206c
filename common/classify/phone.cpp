#include "classify/phone.hpp"

#include <algorithm>
#include <cctype>
#include <phonenumbers/phonenumberutil.h>

namespace lr::classify {

namespace {

// The run of characters a written phone number consists of, starting at
// its first digit or '+'.
std::string number_run(std::string_view text) {
    size_t start = text.find_first_of("+0123456789");
    if (start == std::string_view::npos)
        return {};
    std::string run;
    int digits = 0;
    for (size_t i = start; i < text.size(); ++i) {
        char c = text[i];
        if (c >= '0' && c <= '9') {
            ++digits;
            run += c;
        } else if (c == '+' && run.empty()) {
            run += c;
        } else if (c == ' ' || c == '-' || c == '/' || c == '(' || c == ')' || c == '.') {
            run += c;
        } else {
            break;
        }
        if (digits > 20)
            break;
    }
    return run;
}

} // namespace

std::optional<std::string> e164_phone(std::string_view text) {
    std::string run = number_run(text.substr(0, 4096));
    // libphonenumber calls "12" a possible German number; a customer's
    // number has an area or mobile prefix, so fewer than six digits is none.
    if (std::count_if(run.begin(), run.end(), [](char c) { return c >= '0' && c <= '9'; }) < 6)
        return std::nullopt;
    using i18n::phonenumbers::PhoneNumber;
    using i18n::phonenumbers::PhoneNumberUtil;
    const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
    PhoneNumber number;
    if (util.Parse(run, "DE", &number) != PhoneNumberUtil::NO_PARSING_ERROR)
        return std::nullopt;
    if (!util.IsPossibleNumber(number))
        return std::nullopt;
    std::string formatted;
    util.Format(number, PhoneNumberUtil::E164, &formatted);
    return formatted;
}

std::optional<ContactKey> contact_key(std::string_view text) {
    if (text.empty() || text.size() > 320)
        return std::nullopt;
    if (text.find('@') != std::string_view::npos) {
        std::string email;
        for (char c : text)
            email += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        return ContactKey{email, std::nullopt};
    }
    if (auto phone = e164_phone(text))
        return ContactKey{std::nullopt, *phone};
    return std::nullopt;
}

} // namespace lr::classify
