#include "util/csv.hpp"

namespace lr::util {

namespace {

char detect_separator(std::string_view text) {
    std::string_view header = text.substr(0, text.find('\n'));
    size_t commas = 0;
    size_t semicolons = 0;
    for (char c : header) {
        commas += c == ',';
        semicolons += c == ';';
    }
    return semicolons > commas ? ';' : ',';
}

bool blank(const CsvRecord& record) {
    return record.fields.size() == 1 && record.fields.front().empty();
}

} // namespace

Result<std::vector<CsvRecord>> parse_csv(std::string_view text) {
    if (text.substr(0, 3) == "\xEF\xBB\xBF")
        text.remove_prefix(3);
    const char separator = detect_separator(text);

    std::vector<CsvRecord> records;
    CsvRecord record{1, {std::string()}};
    int line = 1;
    bool in_quotes = false;
    bool field_was_quoted = false;
    size_t i = 0;

    auto finish_record = [&] {
        if (!blank(record))
            records.push_back(std::move(record));
        record = CsvRecord{line, {std::string()}};
        field_was_quoted = false;
    };

    while (i < text.size()) {
        char c = text[i];
        if (in_quotes) {
            if (c == '"') {
                if (i + 1 < text.size() && text[i + 1] == '"') {
                    record.fields.back() += '"';
                    i += 2;
                    continue;
                }
                in_quotes = false;
            } else {
                if (c == '\n')
                    ++line;
                record.fields.back() += c;
            }
            ++i;
            continue;
        }
        if (c == '"') {
            if (!record.fields.back().empty() || field_was_quoted)
                return make_error(ErrorCode::invalid_input,
                                  "line " + std::to_string(line) +
                                      ": a quote inside an unquoted field");
            in_quotes = true;
            field_was_quoted = true;
        } else if (c == separator) {
            record.fields.emplace_back();
            field_was_quoted = false;
        } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
            // CRLF: the '\n' ends the record on the next round.
        } else if (c == '\n') {
            ++line;
            finish_record();
        } else {
            if (field_was_quoted)
                return make_error(ErrorCode::invalid_input,
                                  "line " + std::to_string(line) +
                                      ": text after the closing quote of a field");
            record.fields.back() += c;
        }
        ++i;
    }
    if (in_quotes)
        return make_error(ErrorCode::invalid_input, "line " + std::to_string(record.line) +
                                                        ": a quoted field is never closed");
    finish_record();
    return records;
}

} // namespace lr::util
