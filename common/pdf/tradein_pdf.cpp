#include "pdf/tradein_pdf.hpp"

#include "pdf/cairo_handles.hpp"
#include "pdf/page_writer.hpp"

#include <cairo-pdf.h>
#include <memory>

namespace lr::pdf {

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
    Surface surface(
        cairo_pdf_surface_create_for_stream(&append_to_string, &bytes, page_width, page_height));
    cairo_pdf_surface_set_metadata(
        surface.get(), CAIRO_PDF_METADATA_TITLE,
        ("Inzahlungnahme – Anfrage " + std::to_string(sheet.lead_id)).c_str());
    cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATOR, "leadrouter");
    {
        Cairo cr(cairo_create(surface.get()));
        PageWriter writer(cr.get());
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
    return rewritten_pdf(bytes, "trade-in sheet");
}

} // namespace lr::pdf
