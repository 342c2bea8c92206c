#include "man_page.hpp"

#include "process.hpp"

#include <sstream>

namespace lr::test {

std::string man_plain(const std::string& line) {
    std::string out;
    for (size_t i = 0; i < line.size(); ++i) {
        if (line[i] != '\\' || i + 1 == line.size()) {
            out += line[i];
            continue;
        }
        const char next = line[++i];
        if (next == 'f' && i + 1 < line.size()) {
            ++i; // \fB, \fI, \fR, \fP
        } else if (next == '(' && i + 2 < line.size()) {
            i += 2; // \(lq and friends
            out += '"';
        } else if (next == '-') {
            out += '-';
        } else if (next == '&') {
            // zero-width
        } else {
            out += next;
        }
    }
    return out;
}

namespace {

// The text of a macro line: ".B x y" -> "x y"; alternating-font macros
// (.BR a b) join their arguments without spaces, quotes dropped.
std::string macro_text(const std::string& line) {
    std::istringstream words(line);
    std::string macro;
    words >> macro;
    std::string rest;
    std::getline(words, rest);
    if (!rest.empty() && rest.front() == ' ')
        rest.erase(0, 1);
    const bool alternating =
        macro.size() == 3 && macro != ".TP" && macro != ".SH" && macro != ".SS" && macro != ".TQ";
    std::string out;
    bool quoted = false;
    for (char c : rest) {
        if (c == '"') {
            quoted = !quoted;
        } else if (c == ' ' && alternating && !quoted) {
            // the alternating macros set their arguments side by side
        } else {
            out += c;
        }
    }
    return man_plain(out);
}

} // namespace

ManPage read_man_page(const std::string& path) {
    ManPage page;
    std::istringstream in(read_text_file(path));
    std::string line;
    std::string section;
    ManEntry* entry = nullptr;
    bool tag_next = false;
    while (std::getline(in, line)) {
        const bool macro = !line.empty() && line.front() == '.';
        std::string plain = macro ? macro_text(line) : man_plain(line);
        if (line.rfind(".SH", 0) == 0) {
            section = plain;
            page.sections[section];
            entry = nullptr;
            tag_next = false;
            continue;
        }
        if (line.rfind(".TP", 0) == 0) {
            page.sections[section].push_back({});
            entry = &page.sections[section].back();
            tag_next = true;
            continue;
        }
        if (line.rfind(".TQ", 0) == 0) {
            tag_next = entry != nullptr;
            continue;
        }
        page.text += plain + "\n";
        if (!entry)
            continue;
        if (tag_next) {
            entry->tags.push_back(plain);
            tag_next = false;
        } else {
            entry->body += plain + " ";
        }
    }
    return page;
}

} // namespace lr::test
