#include "mail/form_fields.hpp"

#include "util/strings.hpp"

namespace lr::mail {

namespace {

struct Label {
    const char* text;
    FormField field;
};

// lead-formats.md §3, the built-in dictionary.
constexpr Label dictionary[] = {
    {"anrede", FormField::salutation},
    {"salutation", FormField::salutation},
    {"vorname", FormField::first_name},
    {"first name", FormField::first_name},
    {"nachname", FormField::last_name},
    {"last name", FormField::last_name},
    {"surname", FormField::last_name},
    {"name", FormField::full_name},
    {"ihr name", FormField::full_name},
    {"kontakt", FormField::full_name},
    {"e-mail", FormField::email},
    {"e-mail-adresse", FormField::email},
    {"email", FormField::email},
    {"mail", FormField::email},
    {"telefon", FormField::phone},
    {"telefonnummer", FormField::phone},
    {"tel.", FormField::phone},
    {"tel", FormField::phone},
    {"mobil", FormField::phone},
    {"mobilnummer", FormField::phone},
    {"handy", FormField::phone},
    {"phone", FormField::phone},
    {"nachricht", FormField::message},
    {"ihre nachricht", FormField::message},
    {"mitteilung", FormField::message},
    {"kommentar", FormField::message},
    {"message", FormField::message},
    {"comments", FormField::message},
    {"inserat-id", FormField::listing_id},
    {"inseratsnummer", FormField::listing_id},
    {"anzeigen-id", FormField::listing_id},
    {"anzeigennummer", FormField::listing_id},
    {"ad-id", FormField::listing_id},
    {"listing id", FormField::listing_id},
    {"interne nummer", FormField::internal_number},
    {"fahrzeugnummer", FormField::internal_number},
    {"händler-fahrzeugnummer", FormField::internal_number},
    {"bestandsnummer", FormField::internal_number},
    {"stock number", FormField::internal_number},
    {"stock no.", FormField::internal_number},
    {"fin", FormField::vin},
    {"fahrgestellnummer", FormField::vin},
    {"vin", FormField::vin},
    {"marke", FormField::make},
    {"hersteller", FormField::make},
    {"make", FormField::make},
    {"modell", FormField::model},
    {"model", FormField::model},
    {"fahrzeug", FormField::vehicle},
    {"inserat", FormField::vehicle},
    {"anzeige", FormField::vehicle},
    {"vehicle", FormField::vehicle},
    {"erstzulassung", FormField::first_registration},
    {"ez", FormField::first_registration},
    {"first registration", FormField::first_registration},
    {"kilometerstand", FormField::mileage},
    {"km-stand", FormField::mileage},
    {"laufleistung", FormField::mileage},
    {"mileage", FormField::mileage},
    {"anfrageart", FormField::request_type},
    {"anliegen", FormField::request_type},
    {"request type", FormField::request_type},
};

// Lower case for ASCII and the German letters a label can have.
std::string fold(std::string_view text) {
    std::string out = util::to_lower(util::trim(text));
    const std::pair<const char*, const char*> umlauts[] = {{"Ä", "ä"}, {"Ö", "ö"}, {"Ü", "ü"}};
    for (const auto& [upper, lower] : umlauts)
        for (size_t at; (at = out.find(upper)) != std::string::npos;)
            out.replace(at, std::string_view(upper).size(), lower);
    return out;
}

struct LabelLine {
    std::optional<FormField> field; // empty: an unknown "label:"
    std::string value;
};

// "Label: value" (the value may be empty). A line without a colon, or
// whose "label" does not look like one ("Ich komme um 10:30",
// "https://…"), is not a label line.
std::optional<LabelLine> label_of(std::string_view line, const LabelAliases& aliases) {
    size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0)
        return std::nullopt;
    if (colon + 1 < line.size() && line[colon + 1] != ' ' && line[colon + 1] != '\t')
        return std::nullopt;
    std::string folded = fold(line.substr(0, colon));
    std::string value(util::trim(line.substr(colon + 1)));
    for (const auto& [alias, field] : aliases)
        if (fold(alias) == folded)
            return LabelLine{field, value};
    for (const auto& entry : dictionary)
        if (folded == entry.text)
            return LabelLine{entry.field, value};
    // An unknown label still ends a value: a line that ends in its colon
    // ("In Zahlung geben würde ich:"), or up to three words without digits
    // before the colon ("Datenschutz: akzeptiert").
    if (value.empty() && folded.size() <= 80)
        return LabelLine{std::nullopt, value};
    size_t words = 1;
    for (char c : folded) {
        if (c >= '0' && c <= '9')
            return std::nullopt;
        words += c == ' ';
    }
    if (folded.empty() || words > 3 || folded.size() > 30)
        return std::nullopt;
    return LabelLine{std::nullopt, value};
}

} // namespace

std::optional<std::string> FormFields::get(FormField field) const {
    auto it = values.find(field);
    if (it == values.end() || it->second.empty())
        return std::nullopt;
    return it->second;
}

FormFields read_form_fields(std::string_view text, const LabelAliases& aliases) {
    std::vector<std::string> lines;
    for (const auto& line : util::split(text, '\n')) {
        std::string clean = line;
        if (!clean.empty() && clean.back() == '\r')
            clean.pop_back();
        lines.push_back(clean);
    }
    FormFields out;
    std::optional<FormField> current; // the field being continued
    std::string value;
    auto finish = [&] {
        if (current && !out.values.count(*current)) {
            // Inner white space runs folded, lines joined by one space
            // (the message keeps its line breaks).
            std::string folded;
            for (const auto& part : util::split(value, '\n')) {
                auto trimmed = util::trim(part);
                if (trimmed.empty() && *current != FormField::message)
                    continue;
                if (!folded.empty())
                    folded += *current == FormField::message ? "\n" : " ";
                folded += trimmed;
            }
            out.values[*current] = std::string(util::trim(folded));
        }
        current.reset();
        value.clear();
    };
    for (size_t i = 0; i < lines.size(); ++i) {
        std::string_view line = lines[i];
        auto trimmed = util::trim(line);
        auto label = label_of(trimmed, aliases);
        const bool in_message = current == FormField::message;
        if (label && (label->field || !in_message)) {
            finish();
            if (!label->field)
                continue; // an unknown label: its value is not ours
            ++out.recognised_lines;
            current = label->field;
            value = label->value;
            continue;
        }
        if (!current)
            continue;
        if (trimmed.empty() && !in_message) {
            if (value.empty())
                continue; // the value comes on the next line
            finish();
            continue;
        }
        value += (value.empty() ? "" : "\n") + std::string(trimmed);
    }
    finish();
    return out;
}

} // namespace lr::mail
