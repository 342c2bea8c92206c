#include "classify/adf.hpp"

#include "classify/phone.hpp"
#include "classify/values.hpp"
#include "classify/xml_doc.hpp"
#include "util/strings.hpp"

#include <cctype>
#include <libxml/parser.h>

namespace lr::classify {

namespace {

size_t find_icase(std::string_view text, std::string_view needle, size_t from = 0) {
    std::string lower = util::to_lower(text);
    return lower.find(util::to_lower(needle), from);
}

// "<adf>" or "<adf " — not "<?adf" and not "<adfx".
size_t find_adf_start(std::string_view text) {
    std::string lower = util::to_lower(text);
    for (size_t at = lower.find("<adf"); at != std::string::npos; at = lower.find("<adf", at + 1)) {
        char next = at + 4 < lower.size() ? lower[at + 4] : '\0';
        if (next == '>' || next == ' ' || next == '\t' || next == '\r' || next == '\n')
            return at;
    }
    return std::string::npos;
}

std::string content_of(const xmlNode* node) {
    xmlChar* content = xmlNodeGetContent(node);
    if (!content)
        return {};
    std::string text(reinterpret_cast<const char*>(content));
    xmlFree(content);
    return text;
}

std::optional<std::string> attribute(const xmlNode* node, std::string_view name) {
    for (const xmlAttr* attr = node->properties; attr; attr = attr->next)
        if (util::iequals(reinterpret_cast<const char*>(attr->name), name) && attr->children)
            return content_of(attr->children);
    return std::nullopt;
}

bool is(const xmlNode* node, std::string_view name) {
    return node->type == XML_ELEMENT_NODE && util::iequals(node_name(node), name);
}

// Feeds write "Finanzierung & Leasing" unescaped; a bare '&' becomes
// "&amp;" so that recovery keeps it instead of dropping it.
std::string escape_bare_ampersands(std::string_view document) {
    std::string out;
    out.reserve(document.size());
    for (size_t i = 0; i < document.size(); ++i) {
        out += document[i];
        if (document[i] != '&')
            continue;
        size_t end = i + 1;
        while (end < document.size() && end - i < 12 &&
               (std::isalnum(static_cast<unsigned char>(document[end])) || document[end] == '#'))
            ++end;
        if (end == i + 1 || end >= document.size() || document[end] != ';')
            out += "amp;";
    }
    return out;
}

const xmlNode* child(const xmlNode* parent, std::string_view name) {
    for (const xmlNode* node = parent->children; node; node = node->next)
        if (is(node, name))
            return node;
    return nullptr;
}

std::optional<std::string> child_text(const xmlNode* parent, std::string_view name) {
    const xmlNode* node = parent ? child(parent, name) : nullptr;
    return node ? clean_text(content_of(node)) : std::nullopt;
}

void read_contact(const xmlNode* contact, AdfLead& lead) {
    for (const xmlNode* node = contact->children; node; node = node->next) {
        if (is(node, "name")) {
            auto part = util::to_lower(attribute(node, "part").value_or("full"));
            auto text = clean_text(content_of(node));
            if (part == "first" && !lead.contact.first_name)
                lead.contact.first_name = text;
            else if (part == "last" && !lead.contact.last_name)
                lead.contact.last_name = text;
            else if (part == "full" && text)
                lead.full_name_unsplit = text;
        } else if (is(node, "email") && !lead.contact.email) {
            lead.contact.email = clean_email(content_of(node));
        } else if (is(node, "phone") && !lead.contact.phone) {
            lead.contact.phone = e164_phone(content_of(node));
        }
    }
    if (lead.full_name_unsplit && !lead.contact.first_name && !lead.contact.last_name) {
        // A full name is split at the last space (no comma rule in ADF).
        const std::string& full = *lead.full_name_unsplit;
        size_t space = full.rfind(' ');
        if (space == std::string::npos) {
            lead.contact.first_name = full;
        } else {
            lead.contact.first_name = clean_text(full.substr(0, space));
            lead.contact.last_name = clean_text(full.substr(space + 1));
        }
    }
}

void read_vehicle(const xmlNode* vehicle, AdfLead& lead) {
    auto interest = util::to_lower(attribute(vehicle, "interest").value_or(""));
    if (interest == "trade-in" || interest == "sell") {
        if (lead.trade_in)
            return;
        TradeIn trade_in;
        trade_in.make = child_text(vehicle, "make");
        trade_in.model = child_text(vehicle, "model");
        if (auto year = child_text(vehicle, "year"))
            trade_in.first_registration = first_registration(*year);
        if (const xmlNode* odometer = child(vehicle, "odometer")) {
            trade_in.mileage_km = mileage_km(content_of(odometer));
            const bool miles = util::iequals(attribute(odometer, "units").value_or("km"), "mi");
            if (trade_in.mileage_km && miles)
                trade_in.mileage_km = *trade_in.mileage_km * 1609 / 1000;
        }
        trade_in.vin = child_text(vehicle, "vin");
        lead.trade_in = trade_in;
        return;
    }
    if (lead.vehicle)
        return; // the first vehicle asked for
    Vehicle asked;
    asked.internal_number = child_text(vehicle, "stock");
    asked.vin = child_text(vehicle, "vin");
    asked.make = child_text(vehicle, "make");
    asked.model = child_text(vehicle, "model");
    asked.listing_id = child_text(vehicle, "id");
    auto status = util::to_lower(attribute(vehicle, "status").value_or(""));
    if (status == "new" || status == "used")
        asked.condition = status;
    lead.vehicle = asked;
}

} // namespace

std::optional<AdfLead> read_adf(std::string_view text) {
    size_t start = find_adf_start(text);
    if (start == std::string::npos)
        return std::nullopt;
    // Recovery reads a complete document however sloppy its XML; one that
    // never ends is not a lead document but text.
    size_t end = find_icase(text, "</adf>", start);
    if (end == std::string::npos)
        return std::nullopt;
    const std::string document = escape_bare_ampersands(text.substr(start, end + 6 - start));
    XmlDoc doc(xmlReadMemory(document.data(),
                             static_cast<int>(std::min<size_t>(document.size(), 1 << 30)), nullptr,
                             "UTF-8",
                             XML_PARSE_RECOVER | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                                 XML_PARSE_NONET | XML_PARSE_NOCDATA));
    if (!doc)
        return std::nullopt;
    const xmlNode* root = xmlDocGetRootElement(doc.get());
    if (!root || !is(root, "adf"))
        return std::nullopt;
    const xmlNode* prospect = child(root, "prospect");
    if (!prospect)
        return std::nullopt;
    AdfLead lead;
    if (const xmlNode* customer = child(prospect, "customer")) {
        if (const xmlNode* contact = child(customer, "contact"))
            read_contact(contact, lead);
        lead.message = child_text(customer, "comments");
    }
    for (const xmlNode* node = prospect->children; node; node = node->next)
        if (is(node, "vehicle"))
            read_vehicle(node, lead);
    if (const xmlNode* provider = child(prospect, "provider"))
        lead.provider = child_text(provider, "name");
    return lead;
}

} // namespace lr::classify
