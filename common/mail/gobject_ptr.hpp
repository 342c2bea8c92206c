// Owner of a GObject reference (GMime objects): unref on destruction.
#pragma once

#include <glib-object.h>
#include <memory>

namespace lr::mail {

struct GObjectUnref {
    void operator()(void* object) const {
        if (object)
            g_object_unref(object);
    }
};

template <class T> using GObjectPtr = std::unique_ptr<T, GObjectUnref>;

struct GFree {
    void operator()(void* memory) const { g_free(memory); }
};
using GString = std::unique_ptr<char, GFree>;

} // namespace lr::mail
