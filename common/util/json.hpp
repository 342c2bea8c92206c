// The one JSON reader and writer of the product (issue #16): nlohmann/json,
// with the keys kept in the order they were set, so what we print reads
// like what we document.
#pragma once

#include <nlohmann/json.hpp>

namespace lr {

using Json = nlohmann::ordered_json;

} // namespace lr

namespace lr {

// JSON text of a value; bytes that are not UTF-8 (from a stranger's mail)
// become U+FFFD instead of an exception. indent < 0: one line.
inline std::string json_text(const Json& value, int indent = -1) {
    return value.dump(indent, ' ', false, Json::error_handler_t::replace);
}

} // namespace lr
