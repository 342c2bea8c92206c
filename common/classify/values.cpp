#include "classify/values.hpp"

#include "classify/machine_mail.hpp"
#include "util/strings.hpp"

#include <glib.h>

namespace lr::classify {

std::optional<std::string> clean_text(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    bool space = false;
    for (unsigned char c : text) {
        if (c <= ' ' || c == 0x7f) {
            space = !out.empty();
            continue;
        }
        if (space)
            out += ' ';
        space = false;
        out += static_cast<char>(c);
    }
    // U+00A0 (no-break space) is white space too.
    for (size_t at; (at = out.find("\xc2\xa0")) != std::string::npos;)
        out.replace(at, 2, " ");
    auto trimmed = util::trim(out);
    if (trimmed.empty())
        return std::nullopt;
    std::string folded;
    for (char c : trimmed)
        if (c != ' ' || folded.empty() || folded.back() != ' ')
            folded += c;
    return folded;
}

std::pair<std::optional<std::string>, std::optional<std::string>>
split_name(std::string_view full_name) {
    auto name = clean_text(full_name);
    if (!name)
        return {};
    // Quotes around a display name stay out of the record.
    std::string text = *name;
    if (text.size() >= 2 && text.front() == '"' && text.back() == '"')
        text = text.substr(1, text.size() - 2);
    if (size_t comma = text.find(','); comma != std::string::npos)
        return {clean_text(std::string_view(text).substr(comma + 1)),
                clean_text(std::string_view(text).substr(0, comma))};
    size_t space = text.rfind(' ');
    if (space == std::string::npos)
        return {clean_text(text), std::nullopt};
    return {clean_text(std::string_view(text).substr(0, space)),
            clean_text(std::string_view(text).substr(space + 1))};
}

std::optional<std::string> clean_email(std::string_view text) {
    std::string_view view = util::trim(text);
    if (size_t open = view.find('<'); open != std::string_view::npos) {
        size_t close = view.find('>', open);
        view = view.substr(open + 1, close == std::string_view::npos ? close : close - open - 1);
    }
    view = util::trim(view);
    if (util::starts_with_icase(view, "mailto:"))
        view = view.substr(7);
    if (size_t query = view.find('?'); query != std::string_view::npos)
        view = view.substr(0, query);
    view = util::trim(view);
    size_t at = view.rfind('@');
    if (at == std::string_view::npos || at == 0 || at + 1 >= view.size() ||
        view.find_first_of(" \t\r\n,;<>\"()[]") != std::string_view::npos ||
        view.substr(at + 1).find('.') == std::string_view::npos)
        return std::nullopt;
    return util::to_lower(view);
}

bool is_machine_address(std::string_view address) {
    std::string local = util::to_lower(address.substr(0, address.find('@')));
    for (const char* prefix : {"noreply", "no-reply", "donotreply", "do-not-reply"})
        if (local.rfind(prefix, 0) == 0)
            return true;
    return is_machine_sender(address);
}

namespace {

std::string digits_and_separators(std::string_view text) {
    std::string out;
    for (char c : util::trim(text))
        if ((c >= '0' && c <= '9') || c == '/' || c == '.' || c == '-')
            out += c;
        else if (!out.empty())
            break;
    return out;
}

bool all_digits(std::string_view text) {
    if (text.empty())
        return false;
    for (char c : text)
        if (c < '0' || c > '9')
            return false;
    return true;
}

std::optional<std::string> year_month(std::string_view year, std::string_view month) {
    if (!all_digits(year) || !all_digits(month) || year.size() != 4 || month.size() > 2)
        return std::nullopt;
    int m = std::stoi(std::string(month));
    if (m < 1 || m > 12)
        return std::nullopt;
    return std::string(year) + "-" + (m < 10 ? "0" : "") + std::to_string(m);
}

} // namespace

std::optional<std::string> first_registration(std::string_view text) {
    std::string compact = digits_and_separators(text);
    if (compact.empty())
        return std::nullopt;
    if (compact.size() == 4 && all_digits(compact))
        return compact;
    auto parts = util::split(compact, compact.find('/') != std::string::npos   ? '/'
                                      : compact.find('.') != std::string::npos ? '.'
                                                                               : '-');
    if (parts.size() == 2) {
        if (parts[0].size() == 4)
            return year_month(parts[0], parts[1]); // 2016-03
        return year_month(parts[1], parts[0]);     // 03/2016
    }
    if (parts.size() == 3) {
        if (parts[0].size() == 4)
            return year_month(parts[0], parts[1]); // 2016-03-01
        return year_month(parts[2], parts[1]);     // 01.03.2016
    }
    return std::nullopt;
}

std::optional<long long> mileage_km(std::string_view text) {
    long long value = 0;
    bool any = false;
    for (char c : util::trim(text)) {
        if (c >= '0' && c <= '9') {
            if (value > 100'000'000)
                return std::nullopt;
            value = value * 10 + (c - '0');
            any = true;
        } else if (c == '.' || c == ',' || c == ' ' || c == '\'') {
            continue; // thousands separators
        } else {
            break;
        }
    }
    if (!any)
        return std::nullopt;
    return value;
}

bool contains_icase(std::string_view text, std::string_view needle) {
    return util::to_lower(text).find(util::to_lower(needle)) != std::string::npos;
}

std::string to_utf8(std::string_view bytes) {
    std::string clean;
    clean.reserve(bytes.size());
    for (char c : bytes)
        if (c != '\0')
            clean += c;
    if (g_utf8_validate(clean.data(), static_cast<gssize>(clean.size()), nullptr))
        return clean;
    gsize written = 0;
    gchar* converted =
        g_convert_with_fallback(clean.data(), static_cast<gssize>(clean.size()), "UTF-8",
                                "WINDOWS-1252", "?", nullptr, &written, nullptr);
    if (!converted) {
        gchar* valid = g_utf8_make_valid(clean.data(), static_cast<gssize>(clean.size()));
        std::string out(valid);
        g_free(valid);
        return out;
    }
    std::string out(converted, written);
    g_free(converted);
    return out;
}

} // namespace lr::classify
