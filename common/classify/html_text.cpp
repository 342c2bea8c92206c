#include "classify/html_text.hpp"

#include "classify/xml_doc.hpp"
#include "util/strings.hpp"

#include <libxml/HTMLparser.h>
#include <vector>

namespace lr::classify {

namespace {

bool is_block(std::string_view name) {
    static constexpr std::string_view blocks[] = {
        "p",       "div",     "li",     "ul",     "ol",      "h1",         "h2", "h3",    "h4",
        "h5",      "h6",      "tr",     "table",  "pre",     "blockquote", "dl", "dt",    "dd",
        "section", "article", "header", "footer", "address", "form",       "hr", "tbody", "thead"};
    for (auto block : blocks)
        if (util::iequals(name, block))
            return true;
    return false;
}

class TextWriter {
public:
    void text(std::string_view content, bool preformatted) {
        for (char c : content) {
            if (!preformatted && (c == ' ' || c == '\t' || c == '\r' || c == '\n')) {
                m_pending_space = true;
                continue;
            }
            if (m_pending_space && !m_out.empty() && m_out.back() != '\n')
                m_out += ' ';
            m_pending_space = false;
            m_out += c;
        }
    }
    void line_break() {
        while (!m_out.empty() && m_out.back() == ' ')
            m_out.pop_back();
        m_out += '\n';
        m_pending_space = false;
    }
    void block_break() {
        if (!m_out.empty() && m_out.back() != '\n')
            line_break();
    }
    std::string take() { return std::move(m_out); }

private:
    std::string m_out;
    bool m_pending_space = false;
};

void write_node(const xmlNode* node, TextWriter& out, bool preformatted, int depth);

std::string cell_text(const xmlNode* cell, int depth) {
    TextWriter writer;
    for (const xmlNode* child = cell->children; child; child = child->next)
        write_node(child, writer, false, depth + 1);
    std::string text = writer.take();
    for (char& c : text)
        if (c == '\n')
            c = ' ';
    return std::string(util::trim(text));
}

// <tr><td>Label</td><td>value</td></tr> → "Label: value".
void write_row(const xmlNode* row, TextWriter& out, int depth) {
    std::vector<std::string> cells;
    for (const xmlNode* cell = row->children; cell; cell = cell->next)
        if (cell->type == XML_ELEMENT_NODE &&
            (util::iequals(node_name(cell), "td") || util::iequals(node_name(cell), "th")))
            if (auto text = cell_text(cell, depth); !text.empty())
                cells.push_back(std::move(text));
    out.block_break();
    if (cells.size() >= 2) {
        std::string label = cells[0];
        if (label.back() != ':')
            label += ':';
        cells.erase(cells.begin());
        out.text(label + " " + util::join(cells, " "), true);
    } else if (cells.size() == 1) {
        out.text(cells[0], true);
    }
    out.line_break();
}

void write_node(const xmlNode* node, TextWriter& out, bool preformatted, int depth) {
    if (depth > 200)
        return;
    if (node->type == XML_TEXT_NODE || node->type == XML_CDATA_SECTION_NODE) {
        if (node->content)
            out.text(reinterpret_cast<const char*>(node->content), preformatted);
        return;
    }
    if (node->type != XML_ELEMENT_NODE)
        return;
    std::string_view name = node_name(node);
    if (util::iequals(name, "script") || util::iequals(name, "style") ||
        util::iequals(name, "head") || util::iequals(name, "title"))
        return;
    if (util::iequals(name, "br")) {
        out.line_break();
        return;
    }
    if (util::iequals(name, "tr")) {
        write_row(node, out, depth);
        return;
    }
    const bool block = is_block(name);
    const bool pre = preformatted || util::iequals(name, "pre");
    if (block)
        out.block_break();
    for (const xmlNode* child = node->children; child; child = child->next)
        write_node(child, out, pre, depth + 1);
    if (block)
        out.block_break();
}

} // namespace

std::string html_to_text(std::string_view html) {
    if (html.empty())
        return {};
    XmlDoc doc(htmlReadMemory(
        html.data(), static_cast<int>(std::min<size_t>(html.size(), 1 << 30)), nullptr, "UTF-8",
        HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET));
    if (!doc)
        return std::string(html);
    TextWriter out;
    for (const xmlNode* node = doc->children; node; node = node->next)
        write_node(node, out, false, 0);
    std::string text = out.take();
    // At most one empty line in a row.
    std::string compact;
    for (char c : text) {
        if (c == '\n' && compact.size() >= 2 && compact[compact.size() - 1] == '\n' &&
            compact[compact.size() - 2] == '\n')
            continue;
        compact += c;
    }
    return std::string(util::trim(compact));
}

} // namespace lr::classify
