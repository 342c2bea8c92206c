#include "pdf/page_writer.hpp"

#include <algorithm>
#include <qpdf/Buffer.hh>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFWriter.hh>

namespace lr::pdf {

namespace {

constexpr double margin = page_margin;
constexpr double text_width = page_text_width;

// Only what a cairo tag attribute string cannot hold as it is.
std::string tag_escape(const std::string& text) {
    std::string out;
    for (char c : text) {
        if (c == '\'' || c == '\\')
            out += '\\';
        out += c;
    }
    return out;
}

} // namespace

PageWriter::PageWriter(cairo_t* cr, double label_width)
    : m_cr(cr), m_label_width(label_width), m_y(margin) {
    m_regular.reset(pango_font_description_from_string("DejaVu Sans 10"));
    m_bold.reset(pango_font_description_from_string("DejaVu Sans Bold 10"));
    m_title.reset(pango_font_description_from_string("DejaVu Sans Bold 18"));
    m_small.reset(pango_font_description_from_string("DejaVu Sans 8"));
}

Layout PageWriter::layout(const std::string& text, const PangoFontDescription* font, double width) {
    Layout layout(pango_cairo_create_layout(m_cr));
    pango_layout_set_font_description(layout.get(), font);
    pango_layout_set_width(layout.get(), static_cast<int>(width * PANGO_SCALE));
    pango_layout_set_wrap(layout.get(), PANGO_WRAP_WORD_CHAR);
    pango_layout_set_text(layout.get(), text.c_str(), -1);
    return layout;
}

// A layout drawn line by line, breaking the page where it must.
void PageWriter::flow(PangoLayout* layout, double x, const std::string& link) {
    PangoLayoutIter* iter = pango_layout_get_iter(layout);
    do {
        PangoRectangle logical;
        pango_layout_iter_get_line_extents(iter, nullptr, &logical);
        double height = logical.height / double(PANGO_SCALE);
        if (m_y + height > page_height - margin)
            new_page();
        int baseline = pango_layout_iter_get_baseline(iter);
        int line_top = logical.y;
        PangoLayoutLine* line = pango_layout_iter_get_line_readonly(iter);
        if (!link.empty())
            cairo_tag_begin(m_cr, CAIRO_TAG_LINK, ("uri='" + tag_escape(link) + "'").c_str());
        cairo_move_to(m_cr, x + logical.x / double(PANGO_SCALE),
                      m_y + (baseline - line_top) / double(PANGO_SCALE));
        pango_cairo_show_layout_line(m_cr, line);
        if (!link.empty())
            cairo_tag_end(m_cr, CAIRO_TAG_LINK);
        m_y += height;
    } while (pango_layout_iter_next_line(iter));
    pango_layout_iter_free(iter);
}

void PageWriter::title(const std::string& text) {
    auto l = layout(text, m_title.get(), text_width);
    flow(l.get(), margin);
    m_y += 4;
}

void PageWriter::note(const std::string& text, const std::string& link) {
    auto l = layout(text, m_small.get(), text_width);
    cairo_set_source_rgb(m_cr, 0.35, 0.35, 0.35);
    flow(l.get(), margin, link);
    cairo_set_source_rgb(m_cr, 0, 0, 0);
}

void PageWriter::heading(const std::string& text) {
    m_y += 12;
    auto l = layout(text, m_bold.get(), text_width);
    flow(l.get(), margin);
    cairo_set_line_width(m_cr, 0.5);
    cairo_move_to(m_cr, margin, m_y + 2);
    cairo_line_to(m_cr, page_width - margin, m_y + 2);
    cairo_stroke(m_cr);
    m_y += 6;
}

void PageWriter::field(const std::string& label, const std::string& value,
                       const std::string& link) {
    if (value.empty())
        return;
    auto label_layout = layout(label, m_bold.get(), m_label_width - 8);
    auto value_layout = layout(value, m_regular.get(), text_width - m_label_width);
    if (m_y + 14 > page_height - margin)
        new_page();
    double top = m_y;
    flow(label_layout.get(), margin);
    double after_label = m_y;
    m_y = top;
    if (!link.empty())
        cairo_set_source_rgb(m_cr, 0.0, 0.2, 0.6);
    flow(value_layout.get(), margin + m_label_width, link);
    cairo_set_source_rgb(m_cr, 0, 0, 0);
    m_y = std::max(m_y, after_label) + 3;
}

void PageWriter::paragraph(const std::string& text) {
    auto l = layout(text, m_regular.get(), text_width);
    flow(l.get(), margin);
}

void PageWriter::drawing(
    double height, const std::function<void(cairo_t*, double, double, double, double)>& draw) {
    m_y += 8;
    if (m_y + height > page_height - margin)
        new_page();
    cairo_save(m_cr);
    draw(m_cr, margin, m_y, text_width, height);
    cairo_restore(m_cr);
    m_y += height;
}

void PageWriter::new_page() {
    cairo_show_page(m_cr);
    m_y = margin;
}

// cairo 1.16 (Debian 12) writes link tags with a structure-tree entry that
// points at an object it never writes, so the cross-reference table is
// damaged (qpdf --check: "expected 3 0 obj"). qpdf reads such a file,
// drops the dangling reference and writes a clean one; the links and all
// content stay as they are.
std::string rewritten_pdf(const std::string& bytes, const char* description) {
    QPDF reader;
    reader.setSuppressWarnings(true);
    reader.processMemoryFile(description, bytes.data(), bytes.size());
    QPDFWriter writer(reader);
    writer.setOutputMemory();
    writer.setStaticID(true); // same data, same bytes
    writer.write();
    std::shared_ptr<Buffer> buffer = writer.getBufferSharedPointer();
    return std::string(reinterpret_cast<const char*>(buffer->getBuffer()), buffer->getSize());
}

} // namespace lr::pdf
