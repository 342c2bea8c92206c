#include "classify/classifier.hpp"

#include "classify/adf.hpp"
#include "classify/header_reasons.hpp"
#include "classify/person_text.hpp"
#include "classify/phone.hpp"
#include "classify/values.hpp"
#include "core/address.hpp"
#include "mail/form_fields.hpp"
#include "util/strings.hpp"

#include <libxml/parser.h>
#include <mutex>
#include <regex>

namespace lr::classify {

namespace {

using mail::FormField;
using mail::FormFields;

void init_libxml() {
    static std::once_flag once;
    std::call_once(once, [] { xmlInitParser(); });
}

std::vector<core::SourceProfile> builtin_profiles() {
    core::SourceProfile mobile;
    mobile.name = "mobile.de";
    mobile.senders = {"mobile.de"};
    core::SourceProfile autoscout;
    autoscout.name = "autoscout24";
    autoscout.senders = {"autoscout24.de", "autoscout24.com"};
    return {mobile, autoscout};
}

std::string domain_of(std::string_view address) {
    size_t at = address.rfind('@');
    return at == std::string_view::npos ? std::string() : util::to_lower(address.substr(at + 1));
}

bool sender_matches(std::string_view address, const std::string& match) {
    const std::string lower = util::to_lower(address);
    if (match.find('@') != std::string::npos)
        return lower == match;
    const std::string domain = domain_of(lower);
    return domain == match ||
           (domain.size() > match.size() &&
            domain.compare(domain.size() - match.size(), match.size(), match) == 0 &&
            domain[domain.size() - match.size() - 1] == '.');
}

bool profile_matches(const core::SourceProfile& profile, const std::optional<std::regex>& subject,
                     const MailView& mail) {
    if (!profile.senders.empty()) {
        bool any = false;
        for (const auto* list : {&mail.from, &mail.sender})
            for (const auto& address : *list)
                for (const auto& match : profile.senders)
                    any = any || sender_matches(address.address, match);
        if (!any)
            return false;
    }
    return !subject || std::regex_search(mail.subject, *subject);
}

// "Volkswagen Golf 1.5 TSI" → make Volkswagen, model "Golf 1.5 TSI".
void split_vehicle_text(const std::optional<std::string>& text, std::optional<std::string>& make,
                        std::optional<std::string>& model) {
    auto clean = text ? clean_text(*text) : std::nullopt;
    if (!clean || make)
        return;
    size_t space = clean->find(' ');
    make = clean_text(clean->substr(0, space));
    if (!model && space != std::string::npos)
        model = clean_text(clean->substr(space + 1));
}

std::optional<std::string> field(const FormFields& fields, FormField which) {
    auto value = fields.get(which);
    return value ? clean_text(*value) : std::nullopt;
}

// The vehicle and trade-in data of labelled text (lead-formats.md §3):
// in a trade-in request make, model, registration, mileage and VIN are
// the customer's car; only a listing id or internal number is the dealer's.
void read_vehicle_fields(const FormFields& fields, bool trade_in_request, Record& record) {
    record.vehicle.listing_id = field(fields, FormField::listing_id);
    record.vehicle.internal_number = field(fields, FormField::internal_number);
    if (trade_in_request) {
        TradeIn trade_in;
        trade_in.make = field(fields, FormField::make);
        trade_in.model = field(fields, FormField::model);
        split_vehicle_text(field(fields, FormField::vehicle), trade_in.make, trade_in.model);
        if (auto registration = fields.get(FormField::first_registration))
            trade_in.first_registration = first_registration(*registration);
        if (auto mileage = fields.get(FormField::mileage))
            trade_in.mileage_km = mileage_km(*mileage);
        trade_in.vin = field(fields, FormField::vin);
        record.trade_in = trade_in;
    } else {
        record.vehicle.vin = field(fields, FormField::vin);
        record.vehicle.make = field(fields, FormField::make);
        record.vehicle.model = field(fields, FormField::model);
        split_vehicle_text(field(fields, FormField::vehicle), record.vehicle.make,
                           record.vehicle.model);
    }
}

bool references_dealer_vehicle(const Record& record) {
    return record.vehicle.internal_number || record.vehicle.listing_id ||
           (record.vehicle.vin && !record.trade_in);
}

void settle_kind(Record& record, bool trade_in_request) {
    record.has_vehicle_reference = references_dealer_vehicle(record);
    const bool dealer_vehicle = record.vehicle.internal_number || record.vehicle.listing_id;
    record.kind = trade_in_request && !dealer_vehicle ? "tradein" : "lead";
}

// AutoScout24's call reports: "… Verpasster Anruf um 14:32, VW Golf (…)".
bool is_call_report(const MailView& mail) {
    bool from_rtm = false;
    for (const auto& address : mail.from)
        from_rtm = from_rtm || sender_matches(address.address, "rtm.autoscout24.com");
    return from_rtm && (contains_icase(mail.subject, "verpasster anruf") ||
                        contains_icase(mail.subject, "angenommener anruf"));
}

void vehicle_from_call_subject(const std::string& subject, Vehicle& vehicle) {
    size_t anruf = util::to_lower(subject).find("anruf um");
    size_t comma = anruf == std::string::npos ? anruf : subject.find(", ", anruf);
    if (comma == std::string::npos)
        return;
    std::string rest = subject.substr(comma + 2);
    rest = rest.substr(0, rest.find(" ("));
    split_vehicle_text(clean_text(rest), vehicle.make, vehicle.model);
}

// The first run of at least seven digits that reads as a phone number.
std::optional<std::string> any_phone(std::string_view text) {
    for (size_t at = text.find_first_of("+0123456789"); at != std::string_view::npos;
         at = text.find_first_of("+0123456789", at + 1)) {
        size_t digits = 0;
        size_t end = at;
        while (end < text.size() &&
               std::string_view("+0123456789 -/()").find(text[end]) != std::string_view::npos) {
            digits += text[end] >= '0' && text[end] <= '9';
            ++end;
        }
        if (digits >= 7)
            if (auto phone = e164_phone(text.substr(at, end - at)))
                return phone;
        at = end;
        if (at >= text.size())
            break;
    }
    return std::nullopt;
}

// A lead is a few kilobytes of text; a 50 MB message is read up to the
// last line break within its first megabyte, so time and memory stay
// bounded whatever arrives.
std::string readable_prefix(const std::string& text) {
    constexpr size_t limit = 1 << 20;
    if (text.size() <= limit)
        return text;
    size_t end = text.rfind('\n', limit);
    return text.substr(0, end == std::string::npos ? limit : end);
}

} // namespace

bool mentions_trade_in(std::string_view text) {
    for (std::string_view word : {"inzahlungnahme", "ankauf", "fahrzeugbewertung", "auto verkaufen",
                                  "fahrzeug verkaufen", "trade-in"})
        if (contains_icase(text, word))
            return true;
    return false;
}

Classifier::Classifier(const core::Config* config) {
    init_libxml();
    std::vector<core::SourceProfile> profiles;
    if (config) {
        profiles = config->system.source_profiles;
        for (const auto& dealer : config->dealers) {
            for (const auto& location : dealer.locations)
                m_mailboxes.insert(util::to_lower(location.mailbox));
            for (const auto& user : dealer.users)
                m_staff.insert(util::to_lower(user.email));
        }
    }
    for (auto& profile : builtin_profiles())
        profiles.push_back(std::move(profile));
    for (auto& profile : profiles) {
        std::optional<std::regex> subject;
        if (profile.subject_pattern) // checked when the configuration was loaded
            subject.emplace(*profile.subject_pattern, std::regex::ECMAScript | std::regex::icase);
        m_profiles.push_back({std::move(profile), std::move(subject)});
    }
}

bool Classifier::is_excluded_address(std::string_view address) const {
    if (is_machine_address(address))
        return true;
    std::string lower = util::to_lower(address);
    if (m_mailboxes.empty())
        return domain_of(lower) == "dein.auto";
    return m_mailboxes.count(core::split_tag(lower).mailbox) > 0;
}

Record Classifier::classify(const MailView& mail, const Envelope& envelope) const {
    Record record;
    auto customer_address = [&](const std::vector<MailAddress>& list) -> const MailAddress* {
        for (const auto& address : list)
            if (auto clean = clean_email(address.address); clean && !is_excluded_address(*clean))
                return &address;
        return nullptr;
    };
    // A mail that carries other mails (a person's reply with attached
    // mails, a delivery report with the returned original): form labels
    // and phone numbers inside those never make it a form lead, and the
    // outer sender stays the contact (SPEC §4). A dealer's own user who
    // forwards a lead to the mailbox is the exception: the forwarded form
    // is the lead.
    bool from_staff = false;
    for (const auto& address : mail.from)
        from_staff = from_staff || m_staff.count(clean_email(address.address).value_or("")) > 0;
    const bool own_words_only = mail.attached_messages > 0 && !from_staff;
    const std::string text = readable_prefix(own_words_only ? mail.own_text() : mail.text());
    auto accept_email = [&](const std::optional<std::string>& email) -> std::optional<std::string> {
        auto clean = email ? clean_email(*email) : std::nullopt;
        if (clean && is_excluded_address(*clean))
            return std::nullopt;
        return clean;
    };
    bool structured = false;
    bool trade_in_request = false;

    std::optional<AdfLead> adf;
    for (const auto& part : mail.xml_parts)
        if (!adf)
            adf = read_adf(readable_prefix(part));
    for (const std::string* candidate : {&mail.plain_text, &mail.html_source, &mail.html_text})
        if (!adf && !candidate->empty())
            adf = read_adf(readable_prefix(*candidate));

    if (adf) {
        structured = true;
        record.source = "adf";
        record.provider = adf->provider;
        record.contact = adf->contact;
        record.contact.email = accept_email(adf->contact.email);
        record.message = adf->message;
        if (adf->vehicle)
            record.vehicle = *adf->vehicle;
        record.trade_in = adf->trade_in;
        record.has_vehicle_reference = references_dealer_vehicle(record);
        record.kind = adf->trade_in && !adf->vehicle ? "tradein" : "lead";
    } else if (is_call_report(mail)) {
        structured = true;
        record.source = "autoscout24";
        FormFields fields = mail::read_form_fields(text);
        record.contact.phone = field(fields, FormField::phone)
                                   ? e164_phone(*fields.get(FormField::phone))
                                   : any_phone(text);
        if (!record.contact.phone)
            record.contact.phone = any_phone(text);
        read_vehicle_fields(fields, false, record);
        vehicle_from_call_subject(mail.subject, record.vehicle);
        record.message = clean_text(mail.subject);
        settle_kind(record, false);
    } else {
        const core::SourceProfile* profile = nullptr;
        FormFields fields;
        for (const auto& candidate : m_profiles) {
            if (!profile_matches(candidate.profile, candidate.subject, mail))
                continue;
            fields = mail::read_form_fields(text, candidate.profile.labels);
            if (fields.recognised_lines > 0) {
                profile = &candidate.profile;
                break;
            }
        }
        bool website = false;
        if (!profile) {
            fields = mail::read_form_fields(text);
            const bool reachable = fields.get(FormField::email) || fields.get(FormField::phone);
            const bool named = fields.get(FormField::first_name) ||
                               fields.get(FormField::last_name) ||
                               fields.get(FormField::full_name) || fields.get(FormField::message);
            website = reachable && named;
        }
        if (profile || website) {
            structured = true;
            record.source = profile ? profile->name : "website";
            record.contact.salutation = field(fields, FormField::salutation);
            record.contact.first_name = field(fields, FormField::first_name);
            record.contact.last_name = field(fields, FormField::last_name);
            if (!record.contact.first_name && !record.contact.last_name)
                if (auto full = field(fields, FormField::full_name)) {
                    size_t space = full->rfind(' ');
                    record.contact.first_name =
                        clean_text(space == std::string::npos ? *full : full->substr(0, space));
                    if (space != std::string::npos)
                        record.contact.last_name = clean_text(full->substr(space + 1));
                }
            record.contact.email = accept_email(fields.get(FormField::email));
            if (!record.contact.email)
                if (const MailAddress* reply_to = customer_address(mail.reply_to))
                    record.contact.email = accept_email(reply_to->address);
            if (auto phone = fields.get(FormField::phone))
                record.contact.phone = e164_phone(*phone);
            record.message = field(fields, FormField::message);
            trade_in_request = (profile && profile->kind == std::string("tradein")) ||
                               mentions_trade_in(mail.subject) ||
                               mentions_trade_in(fields.get(FormField::request_type).value_or(""));
        } else {
            // A person wrote (lead-formats.md §4).
            PersonText person = split_person_text(text);
            const MailAddress* from = customer_address(mail.from);
            if (!from)
                from = customer_address(mail.reply_to);
            if (from) {
                record.contact.email = accept_email(from->address);
                auto [first, last] = split_name(from->name);
                record.contact.first_name = first;
                record.contact.last_name = last;
            }
            record.contact.phone = labelled_phone(person.own + "\n" + person.signature);
            record.message = clean_text(mail.subject + "\n" + person.own);
            fields = mail::read_form_fields(person.own);
            trade_in_request = mentions_trade_in(mail.subject) ||
                               mentions_trade_in(fields.get(FormField::request_type).value_or(""));
        }
        read_vehicle_fields(fields, trade_in_request, record);
        settle_kind(record, trade_in_request);
    }

    auto reason = header_reason(mail, envelope.sender, structured);
    if (!reason && !record.contact.email && !record.contact.phone)
        reason = "no_contact";
    if (reason) {
        record.kind = "unassignable";
        record.reason = reason;
    }
    return record;
}

Result<Record> classify_bytes(const Classifier& classifier, std::string_view raw,
                              const Envelope& envelope) {
    auto mail = read_mail(raw);
    if (!mail)
        return mail.error();
    return classifier.classify(*mail, envelope);
}

} // namespace lr::classify
