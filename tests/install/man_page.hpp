// Reading our man pages (man(7) source) for the tests that hold them to
// the programs: which entries a section has, and the text of each.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace lr::test {

// One tagged paragraph (.TP, with .TQ continuation tags): its tags as
// plain text ("system.milter.socket", "check [--strict] [--json]") and its
// body, fonts and escapes removed.
struct ManEntry {
    std::vector<std::string> tags;
    std::string body;
};

struct ManPage {
    // Section name (.SH) -> its tagged paragraphs, in order.
    std::map<std::string, std::vector<ManEntry>> sections;
    std::string text; // all of it, plain
};

// Plain text of one roff line: \fB..\fR, \- and \(xx removed or replaced.
std::string man_plain(const std::string& line);
ManPage read_man_page(const std::string& path);

} // namespace lr::test
