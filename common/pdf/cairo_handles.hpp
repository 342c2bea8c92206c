// RAII around the cairo and pango handles the PDFs and charts use, and the
// stream callback that collects a surface's output in a string.
#pragma once

#include <cairo.h>
#include <memory>
#include <pango/pangocairo.h>
#include <string>

namespace lr::pdf {

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

using Surface = std::unique_ptr<cairo_surface_t, SurfaceDestroy>;
using Cairo = std::unique_ptr<cairo_t, CairoDestroy>;
using Font = std::unique_ptr<PangoFontDescription, FontFree>;
using Layout = std::unique_ptr<PangoLayout, Unref>;

// cairo_write_func_t appending to the std::string behind closure.
inline cairo_status_t append_to_string(void* closure, const unsigned char* data,
                                       unsigned int length) {
    static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
    return CAIRO_STATUS_SUCCESS;
}

// A PDF as qpdf writes it back: a clean cross-reference table whatever
// cairo left (see tradein_pdf.cpp), the same bytes for the same data.
std::string rewritten_pdf(const std::string& bytes, const char* description);

} // namespace lr::pdf
