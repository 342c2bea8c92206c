// ADF/XML leads (Auto-lead Data Format 1.0, lead-formats.md §2), read with
// libxml2 in recovery mode so that real feeds' deviations (upper-case
// names, the DTD example's non-XML heading, HTML comment or <pre> around
// the document, mailto: addresses) still give a lead.
#pragma once

#include "classify/record.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace lr::classify {

struct AdfLead {
    Contact contact;
    std::optional<std::string> full_name_unsplit;
    std::optional<Vehicle> vehicle; // the vehicle asked for
    std::optional<TradeIn> trade_in;
    std::optional<std::string> message;
    std::optional<std::string> provider;
};

// The first prospect of the ADF document somewhere in text; nullopt when
// there is none or it cannot be read (the caller then reads the text as
// text).
std::optional<AdfLead> read_adf(std::string_view text);

} // namespace lr::classify
