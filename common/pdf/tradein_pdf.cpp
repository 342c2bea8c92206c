#include "pdf/tradein_pdf.hpp"

#include <cairo-pdf.h>
#include <cairo.h>
#include <memory>
#include <pango/pangocairo.h>
#include <qpdf/Buffer.hh>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFWriter.hh>
#include <vector>

namespace lr::pdf {

namespace {

struct SurfaceDestroy {
    void operator()(cairo_surface_t* surface) const { cairo_surface_destroy(surface); }
};
struct CairoDestroy {
    void operator()(cairo_t* cr) const { cairo_destroy(cr); }
};
struct FontFree {
    void operator()(PangoFontDescription* font) const { pango_font_description_free(font); }
};
struct Unref {
    void operator()(void* object) const { g_object_unref(object); }
};

using Font = std::unique_ptr<PangoFontDescription, FontFree>;
using Layout = std::unique_ptr<PangoLayout, Unref>;

constexpr double page_width = 595.28; // A4 in points
constexpr double page_height = 841.89;
constexpr double margin = 56.0;
constexpr double label_width = 150.0;
constexpr double text_width = page_width - 2 * margin;

cairo_status_t append(void* closure, const unsigned char* data, unsigned int length) {
    static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
    return CAIRO_STATUS_SUCCESS;
}

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

class Writer {
public:
    explicit Writer(cairo_t* cr) : m_cr(cr), m_y(margin) {
        m_regular.reset(pango_font_description_from_string("DejaVu Sans 10"));
        m_bold.reset(pango_font_description_from_string("DejaVu Sans Bold 10"));
        m_title.reset(pango_font_description_from_string("DejaVu Sans Bold 18"));
        m_small.reset(pango_font_description_from_string("DejaVu Sans 8"));
    }

    Layout layout(const std::string& text, const PangoFontDescription* font, double width) {
        Layout layout(pango_cairo_create_layout(m_cr));
        pango_layout_set_font_description(layout.get(), font);
        pango_layout_set_width(layout.get(), static_cast<int>(width * PANGO_SCALE));
        pango_layout_set_wrap(layout.get(), PANGO_WRAP_WORD_CHAR);
        pango_layout_set_text(layout.get(), text.c_str(), -1);
        return layout;
    }

    // A layout drawn line by line, breaking the page where it must.
    void flow(PangoLayout* layout, double x, const std::string& link = {}) {
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

    void title(const std::string& text) {
        auto l = layout(text, m_title.get(), text_width);
        flow(l.get(), margin);
        m_y += 4;
    }

    void note(const std::string& text, const std::string& link = {}) {
        auto l = layout(text, m_small.get(), text_width);
        cairo_set_source_rgb(m_cr, 0.35, 0.35, 0.35);
        flow(l.get(), margin, link);
        cairo_set_source_rgb(m_cr, 0, 0, 0);
    }

    void heading(const std::string& text) {
        m_y += 12;
        auto l = layout(text, m_bold.get(), text_width);
        flow(l.get(), margin);
        cairo_set_line_width(m_cr, 0.5);
        cairo_move_to(m_cr, margin, m_y + 2);
        cairo_line_to(m_cr, page_width - margin, m_y + 2);
        cairo_stroke(m_cr);
        m_y += 6;
    }

    void field(const std::string& label, const std::string& value, const std::string& link = {}) {
        if (value.empty())
            return;
        auto label_layout = layout(label, m_bold.get(), label_width - 8);
        auto value_layout = layout(value, m_regular.get(), text_width - label_width);
        if (m_y + 14 > page_height - margin)
            new_page();
        double top = m_y;
        flow(label_layout.get(), margin);
        double after_label = m_y;
        m_y = top;
        if (!link.empty())
            cairo_set_source_rgb(m_cr, 0.0, 0.2, 0.6);
        flow(value_layout.get(), margin + label_width, link);
        cairo_set_source_rgb(m_cr, 0, 0, 0);
        m_y = std::max(m_y, after_label) + 3;
    }

    void paragraph(const std::string& text) {
        auto l = layout(text, m_regular.get(), text_width);
        flow(l.get(), margin);
    }

private:
    void new_page() {
        cairo_show_page(m_cr);
        m_y = margin;
    }

    cairo_t* m_cr;
    double m_y;
    Font m_regular, m_bold, m_title, m_small;
};

// cairo 1.16 (Debian 12) writes link tags with a structure-tree entry that
// points at an object it never writes, so the cross-reference table is
// damaged (qpdf --check: "expected 3 0 obj"). qpdf reads such a file,
// drops the dangling reference and writes a clean one; the links and all
// content stay as they are.
std::string repaired(const std::string& bytes) {
    QPDF reader;
    reader.setSuppressWarnings(true);
    reader.processMemoryFile("trade-in sheet", bytes.data(), bytes.size());
    QPDFWriter writer(reader);
    writer.setOutputMemory();
    writer.setStaticID(true); // same data, same bytes
    writer.write();
    std::shared_ptr<Buffer> buffer = writer.getBufferSharedPointer();
    return std::string(reinterpret_cast<const char*>(buffer->getBuffer()), buffer->getSize());
}

} // namespace

std::string format_mileage(long long km) {
    std::string digits = std::to_string(km < 0 ? -km : km);
    std::string out;
    for (size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0)
            out += '.';
        out += digits[i];
    }
    return (km < 0 ? "-" : "") + out + " km";
}

std::string render_tradein_pdf(const TradeInSheet& sheet) {
    std::string bytes;
    std::unique_ptr<cairo_surface_t, SurfaceDestroy> surface(
        cairo_pdf_surface_create_for_stream(&append, &bytes, page_width, page_height));
    cairo_pdf_surface_set_metadata(
        surface.get(), CAIRO_PDF_METADATA_TITLE,
        ("Inzahlungnahme – Anfrage " + std::to_string(sheet.lead_id)).c_str());
    cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATOR, "leadrouter");
    {
        std::unique_ptr<cairo_t, CairoDestroy> cr(cairo_create(surface.get()));
        Writer writer(cr.get());
        writer.title("Inzahlungnahme – Kerndaten");
        writer.note(sheet.dealer_name);
        writer.note("Vollständige Daten im Automanager: " + sheet.lead_url, sheet.lead_url);

        writer.heading("Anfrage");
        writer.field("Anfrage", "Nr. " + std::to_string(sheet.lead_id) + " im Automanager öffnen",
                     sheet.lead_url);
        writer.field("Eingang", sheet.received);
        writer.field("Quelle", sheet.source);

        writer.heading("Kunde");
        writer.field("Name", sheet.customer_name, sheet.lead_url);
        writer.field("E-Mail", sheet.email, sheet.lead_url);
        writer.field("Telefon", sheet.phone, sheet.lead_url);

        writer.heading("Fahrzeug des Kunden");
        writer.field("Marke", sheet.make);
        writer.field("Modell", sheet.model);
        writer.field("Erstzulassung", sheet.first_registration);
        writer.field("Kilometerstand", sheet.mileage_km ? format_mileage(*sheet.mileage_km) : "");
        writer.field("FIN", sheet.vin);

        if (!sheet.message.empty()) {
            writer.heading("Nachricht");
            writer.paragraph(sheet.message);
        }
    }
    surface.reset(); // finishes the PDF into bytes
    return repaired(bytes);
}

} // namespace lr::pdf
