// Form leads (lead-formats.md §3): marketplaces and website forms write one
// field per line, "Label: value". This reads such text into fields by the
// built-in label dictionary (plus a profile's aliases). Pure: text in,
// fields out; the classifier decides what they mean.
//
// Rules: labels match case-insensitively, ignoring surrounding white space
// and a trailing colon; a value stands on the label's line or, when that is
// empty, on the next line; it continues on following lines until the next
// "label:" line (known or not) or an empty line; the message runs until the
// next known label.
#pragma once

#include "core/form_field.hpp"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lr::mail {

using core::FormField;

// Extra labels of a source profile: label → field.
using LabelAliases = std::vector<std::pair<std::string, FormField>>;

struct FormFields {
    std::map<FormField, std::string> values; // the first occurrence of each field
    int recognised_lines = 0;                // lines that carried a known label

    std::optional<std::string> get(FormField field) const;
};

FormFields read_form_fields(std::string_view text, const LabelAliases& aliases = {});

} // namespace lr::mail
