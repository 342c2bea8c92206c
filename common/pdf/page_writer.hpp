// A4 pages written top to bottom with pango: a title, headings, labelled
// fields, paragraphs and drawings, a new page where the next line would
// not fit. Text is set as plain text, never as markup, so nothing a
// customer types can change the layout. Used by the trade-in sheet and the
// monthly report (issue #18).
#pragma once

#include "pdf/cairo_handles.hpp"

#include <functional>
#include <string>

namespace lr::pdf {

inline constexpr double page_width = 595.28; // A4 in points
inline constexpr double page_height = 841.89;
inline constexpr double page_margin = 56.0;
inline constexpr double page_text_width = page_width - 2 * page_margin;

class PageWriter {
public:
    // label_width: the column of the fields' labels, in points.
    explicit PageWriter(cairo_t* cr, double label_width = 150.0);

    void title(const std::string& text);
    void note(const std::string& text, const std::string& link = {});
    void heading(const std::string& text);
    // Label and value side by side; nothing for an empty value. A link
    // makes the value clickable.
    void field(const std::string& label, const std::string& value, const std::string& link = {});
    void paragraph(const std::string& text);
    // A drawing of the text width and this height, on a new page when it
    // does not fit on this one: draw(cr, x, y, width, height).
    void drawing(double height,
                 const std::function<void(cairo_t*, double, double, double, double)>& draw);

private:
    Layout layout(const std::string& text, const PangoFontDescription* font, double width);
    void flow(PangoLayout* layout, double x, const std::string& link = {});
    void new_page();

    cairo_t* m_cr;
    double m_label_width;
    double m_y;
    Font m_regular, m_bold, m_title, m_small;
};

} // namespace lr::pdf
