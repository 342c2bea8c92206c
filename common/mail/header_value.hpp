// Values from lead data that go into mail headers: a customer can type
// anything into a form, so CR, LF and every other control character are
// removed before a value reaches a header (no header injection), white
// space runs are folded, and the length is capped. Non-ASCII stays UTF-8;
// GMime writes it as RFC 2047 encoded words.
#pragma once

#include <string>
#include <string_view>

namespace lr::mail {

std::string header_value(std::string_view text, size_t max_chars = 200);

// For HTML bodies: &, <, >, " and ' escaped.
std::string html_escape(std::string_view text);

} // namespace lr::mail
