// Reading a YAML mapping into typed values while collecting diagnostics.
//
// A MapReader stands for one mapping at a key path. Every accessor records
// where its key was written (for later checks) and reports a wrong type or a
// bad value at the value's own line and column instead of throwing, so one
// run finds every problem. finish() reports the keys nobody asked for:
// a misspelt key is an error, never silently ignored.
#pragma once

#include "core/config.hpp"
#include "core/diagnostic.hpp"

#include <chrono>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>
#include <yaml-cpp/yaml.h>

namespace lr::config {

class Diagnostics {
public:
    Diagnostics(std::string file, std::vector<core::Diagnostic>& sink, core::SourceMap& sources)
        : m_file(std::move(file)), m_sink(sink), m_sources(sources) {}

    core::SourcePos pos(const YAML::Mark& mark) const;
    core::SourcePos pos(const YAML::Node& node) const { return pos(node.Mark()); }
    void error(const YAML::Mark& mark, std::string key, std::string message);
    void warning(const YAML::Mark& mark, std::string key, std::string message);
    void record(std::string key, const YAML::Node& node);
    void ask(std::string key) { m_sources.ask(std::move(key)); }
    const std::string& file() const { return m_file; }

private:
    std::string m_file;
    std::vector<core::Diagnostic>& m_sink;
    core::SourceMap& m_sources;
};

enum class Need { optional, required };

class MapReader {
public:
    // Reports an error and yields an empty reader when node is not a mapping.
    MapReader(YAML::Node node, std::string key, Diagnostics& diagnostics);

    bool valid() const { return m_valid; }
    const std::string& key() const { return m_key; }
    const YAML::Node& node() const { return m_node; }
    Diagnostics& diagnostics() const { return m_diagnostics; }
    std::string key_of(const std::string& name) const {
        return m_key.empty() ? name : m_key + "." + name;
    }

    // The raw value, marked as known; undefined when absent.
    YAML::Node get(const std::string& name, Need need = Need::optional);

    std::optional<std::string> text(const std::string& name, Need need = Need::optional);
    // A string or null; absent and null both give nullopt.
    std::optional<std::string> nullable_text(const std::string& name);
    bool flag(const std::string& name, bool fallback);
    std::optional<std::chrono::seconds> duration(const std::string& name);
    std::optional<std::string> address(const std::string& name, Need need = Need::optional);
    // A scalar or a list of scalars.
    std::vector<std::string> text_list(const std::string& name);
    // Calls each(item, index) for every element of a sequence; false when
    // the key is there but is not a list (already reported).
    bool for_each_item(const std::string& name,
                       const std::function<void(const YAML::Node&, size_t)>& each);

    void error(const YAML::Node& at, const std::string& name, std::string message);
    void warning(const YAML::Node& at, const std::string& name, std::string message);

    // Reports every key of the mapping that no accessor asked for.
    void finish();

private:
    std::optional<std::string> scalar(const YAML::Node& value, const std::string& name);
    // Read-only lookup: a non-const operator[] could add the key to the tree.
    YAML::Node lookup(const std::string& name) const;

    YAML::Node m_node;
    std::string m_key;
    Diagnostics& m_diagnostics;
    std::set<std::string> m_known;
    bool m_valid = true;
};

std::string describe(const YAML::Node& node); // "a list", "a mapping", "\"text\""

} // namespace lr::config
