// E-mail addresses in the configuration and in leads: validation of a plain
// addr-spec (local@domain, no display name) and the canonical form used for
// comparisons (lower case).
#pragma once

#include <string>
#include <string_view>

namespace lr::core {

bool is_valid_address(std::string_view address);
std::string canonical_address(std::string_view address);

// An envelope recipient as a mailbox (SPEC §4): "<Mueller+Tag@Dein.Auto>"
// is the mailbox "mueller@dein.auto" with the tag "Tag".
struct TaggedAddress {
    std::string mailbox; // canonical, without the tag
    std::string tag;     // as written; empty when there is none
};
TaggedAddress split_tag(std::string_view address);

} // namespace lr::core
