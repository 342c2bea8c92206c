// The trade-in core-data sheet (SPEC §5.3, seed: "Inzahlungnahme CC
// E-Mail"): one A4 PDF with the customer, the customer's car, the message,
// source and receipt; every reference to the lead and the contact is a
// link into the Automanager, because the full data lives only there.
// Pure: data in, PDF bytes out (cairo + pango; text is set as plain text,
// never as markup, so nothing a customer types can change the layout).
#pragma once

#include <optional>
#include <string>

namespace lr::pdf {

struct TradeInSheet {
    long long lead_id = 0;
    std::string dealer_name;
    std::string lead_url; // automanager_url + lead id
    std::string received; // "04.12.2026, 15:00 Uhr"
    std::string source;
    std::string customer_name;
    std::string email;
    std::string phone;
    std::string make;
    std::string model;
    std::string first_registration; // "2016-03"
    std::optional<long long> mileage_km;
    std::string vin;
    std::string message;
};

std::string render_tradein_pdf(const TradeInSheet& sheet);

// "98.000 km"
std::string format_mileage(long long km);

} // namespace lr::pdf
