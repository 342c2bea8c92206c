// RFC 4180 CSV reading: quoted fields, doubled quotes, line breaks inside
// quotes, CRLF or LF, a UTF-8 byte-order mark. The separator is chosen from
// the header line (';' when it has more semicolons than commas, the way
// German spreadsheet exports write it).
#pragma once

#include "util/result.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace lr::util {

struct CsvRecord {
    int line = 0; // 1-based line the record starts on
    std::vector<std::string> fields;
};

Result<std::vector<CsvRecord>> parse_csv(std::string_view text);

} // namespace lr::util
