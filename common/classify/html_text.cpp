#include "classify/html_text.hpp"

#include "util/strings.hpp"

#include <initializer_list>
#include <libxml/HTMLparser.h>
#include <memory>
#include <optional>
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

bool is_one_of(std::string_view name, std::initializer_list<std::string_view> names) {
    for (auto candidate : names)
        if (util::iequals(name, candidate))
            return true;
    return false;
}

// The text as libxml2's HTML parser reads it, event by event (SAX): no
// document tree is built, so a megabyte of tags costs what its text does
// (issue #14: the node count is bounded by never making nodes).
class SaxText {
public:
    void start(std::string_view name) {
        ++m_depth;
        if (m_skip_from)
            return;
        if (is_one_of(name, {"script", "style", "head", "title"})) {
            m_skip_from = m_depth;
            return;
        }
        if (util::iequals(name, "br")) {
            writer().line_break();
            return;
        }
        if (util::iequals(name, "tr")) {
            m_rows.emplace_back();
            return;
        }
        if (is_one_of(name, {"td", "th"}) && !m_rows.empty() && !m_rows.back().cell) {
            m_rows.back().cell.emplace();
            return;
        }
        if (util::iequals(name, "pre"))
            ++m_preformatted;
        if (is_block(name))
            writer().block_break();
    }

    void end(std::string_view name) {
        const int depth = m_depth--;
        if (m_skip_from) {
            if (depth == m_skip_from)
                m_skip_from = 0;
            return;
        }
        if (util::iequals(name, "tr") && !m_rows.empty()) {
            Row row = std::move(m_rows.back());
            m_rows.pop_back();
            finish_cell(row);
            write_row(row.cells, writer());
            return;
        }
        if (is_one_of(name, {"td", "th"}) && !m_rows.empty() && m_rows.back().cell) {
            finish_cell(m_rows.back());
            return;
        }
        if (util::iequals(name, "pre") && m_preformatted > 0)
            --m_preformatted;
        if (is_block(name))
            writer().block_break();
    }

    void characters(std::string_view text) {
        if (!m_skip_from)
            writer().text(text, m_preformatted > 0);
    }

    std::string take() {
        while (!m_rows.empty()) { // rows the document never closed
            Row row = std::move(m_rows.back());
            m_rows.pop_back();
            finish_cell(row);
            write_row(row.cells, writer());
        }
        return m_main.take();
    }

private:
    struct Row {
        std::vector<std::string> cells;
        std::optional<TextWriter> cell; // the open <td>/<th>
    };

    // Inside a row but outside its cells, text is not shown (only cells are).
    TextWriter& writer() {
        if (m_rows.empty())
            return m_main;
        if (m_rows.back().cell)
            return *m_rows.back().cell;
        m_ignored = TextWriter();
        return m_ignored;
    }

    static void finish_cell(Row& row) {
        if (!row.cell)
            return;
        std::string text = row.cell->take();
        row.cell.reset();
        for (char& c : text)
            if (c == '\n')
                c = ' ';
        if (auto trimmed = util::trim(text); !trimmed.empty())
            row.cells.emplace_back(trimmed);
    }

    // <tr><td>Label</td><td>value</td></tr> → "Label: value".
    static void write_row(std::vector<std::string> cells, TextWriter& out) {
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

    TextWriter m_main, m_ignored;
    std::vector<Row> m_rows; // open <tr>s, innermost last
    int m_depth = 0;
    int m_skip_from = 0; // the depth of the <script>/<style>/<head> being skipped
    int m_preformatted = 0;
};

SaxText* sax_of(void* context) {
    return static_cast<SaxText*>(static_cast<htmlParserCtxtPtr>(context)->_private);
}

} // namespace

std::string html_to_text(std::string_view html) {
    if (html.empty())
        return {};
    htmlSAXHandler handler{};
    handler.startElement = [](void* context, const xmlChar* name, const xmlChar**) {
        sax_of(context)->start(reinterpret_cast<const char*>(name));
    };
    handler.endElement = [](void* context, const xmlChar* name) {
        sax_of(context)->end(reinterpret_cast<const char*>(name));
    };
    handler.characters = [](void* context, const xmlChar* text, int length) {
        sax_of(context)->characters(
            {reinterpret_cast<const char*>(text), static_cast<size_t>(length)});
    };
    handler.ignorableWhitespace = handler.characters;
    handler.cdataBlock = handler.characters;
    SaxText out;
    struct ContextFree {
        void operator()(htmlParserCtxtPtr context) const {
            if (context->myDoc)
                xmlFreeDoc(context->myDoc);
            htmlFreeParserCtxt(context);
        }
    };
    std::unique_ptr<htmlParserCtxt, ContextFree> context(
        htmlCreatePushParserCtxt(&handler, nullptr, nullptr, 0, nullptr, XML_CHAR_ENCODING_UTF8));
    if (!context)
        return std::string(html);
    context->_private = &out;
    htmlCtxtUseOptions(context.get(), HTML_PARSE_RECOVER | HTML_PARSE_NOERROR |
                                          HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
    constexpr size_t chunk = 64 * 1024;
    for (size_t at = 0; at < html.size(); at += chunk) {
        const size_t length = std::min(chunk, html.size() - at);
        htmlParseChunk(context.get(), html.data() + at, static_cast<int>(length), 0);
    }
    htmlParseChunk(context.get(), nullptr, 0, 1);
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
