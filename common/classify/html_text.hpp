// HTML to text (lead-formats.md §1) with libxml2's HTML parser, read as
// events (SAX, no document tree: memory follows the text, not the tags): table rows
// become "label: value" lines, <br> and block elements line breaks,
// entities decoded, <script>/<style> dropped.
#pragma once

#include <string>
#include <string_view>

namespace lr::classify {

// html is UTF-8.
std::string html_to_text(std::string_view html);

} // namespace lr::classify
