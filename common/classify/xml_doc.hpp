// Owner of a libxml2 document: xmlFreeDoc on destruction.
#pragma once

#include <libxml/tree.h>
#include <memory>
#include <string_view>

namespace lr::classify {

struct XmlDocFree {
    void operator()(xmlDoc* doc) const { xmlFreeDoc(doc); }
};
using XmlDoc = std::unique_ptr<xmlDoc, XmlDocFree>;

inline std::string_view node_name(const xmlNode* node) {
    return node->name ? reinterpret_cast<const char*>(node->name) : std::string_view();
}

} // namespace lr::classify
