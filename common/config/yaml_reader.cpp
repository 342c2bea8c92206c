#include "config/yaml_reader.hpp"

#include "core/address.hpp"
#include "core/duration.hpp"

namespace lr::config {

core::SourcePos Diagnostics::pos(const YAML::Mark& mark) const {
    if (mark.is_null())
        return {m_file, 0, 0};
    return {m_file, mark.line + 1, mark.column + 1};
}

void Diagnostics::error(const YAML::Mark& mark, std::string key, std::string message) {
    m_sink.push_back({core::Severity::error, pos(mark), std::move(key), std::move(message)});
}

void Diagnostics::warning(const YAML::Mark& mark, std::string key, std::string message) {
    m_sink.push_back({core::Severity::warning, pos(mark), std::move(key), std::move(message)});
}

void Diagnostics::record(std::string key, const YAML::Node& node) {
    m_sources.add(std::move(key), pos(node));
}

std::string describe(const YAML::Node& node) {
    switch (node.Type()) {
    case YAML::NodeType::Sequence:
        return "a list";
    case YAML::NodeType::Map:
        return "a mapping";
    case YAML::NodeType::Null:
        return "empty";
    case YAML::NodeType::Scalar:
        return "\"" + node.Scalar() + "\"";
    default:
        return "undefined";
    }
}

MapReader::MapReader(YAML::Node node, std::string key, Diagnostics& diagnostics)
    : m_node(std::move(node)), m_key(std::move(key)), m_diagnostics(diagnostics) {
    if (!m_node.IsMap()) {
        m_diagnostics.error(m_node.Mark(), m_key, "must be a mapping, not " + describe(m_node));
        m_valid = false;
        return;
    }
    m_diagnostics.record(m_key, m_node);
}

YAML::Node MapReader::get(const std::string& name, Need need) {
    m_known.insert(name);
    m_diagnostics.ask(key_of(name));
    if (!m_valid)
        return YAML::Node(YAML::NodeType::Undefined);
    YAML::Node value = lookup(name);
    if (!value.IsDefined()) {
        if (need == Need::required)
            m_diagnostics.error(m_node.Mark(), key_of(name), "is required but missing");
        return value;
    }
    m_diagnostics.record(key_of(name), value);
    return value;
}

void MapReader::error(const YAML::Node& at, const std::string& name, std::string message) {
    m_diagnostics.error(at.Mark(), key_of(name), std::move(message));
}

void MapReader::warning(const YAML::Node& at, const std::string& name, std::string message) {
    m_diagnostics.warning(at.Mark(), key_of(name), std::move(message));
}

std::optional<std::string> MapReader::scalar(const YAML::Node& value, const std::string& name) {
    if (!value.IsScalar()) {
        error(value, name, "must be a single value, not " + describe(value));
        return std::nullopt;
    }
    return value.Scalar();
}

std::optional<std::string> MapReader::text(const std::string& name, Need need) {
    YAML::Node value = get(name, need);
    if (!value.IsDefined())
        return std::nullopt;
    if (value.IsNull()) {
        if (need == Need::required)
            error(value, name, "is required but empty");
        return std::nullopt;
    }
    auto result = scalar(value, name);
    if (result && result->empty() && need == Need::required) {
        error(value, name, "is required but empty");
        return std::nullopt;
    }
    return result;
}

std::optional<std::string> MapReader::nullable_text(const std::string& name) {
    return text(name, Need::optional);
}

bool MapReader::flag(const std::string& name, bool fallback) {
    YAML::Node value = get(name);
    if (!value.IsDefined() || value.IsNull())
        return fallback;
    bool result = fallback;
    if (!value.IsScalar() || !YAML::convert<bool>::decode(value, result)) {
        error(value, name, describe(value) + " is not true or false");
        return fallback;
    }
    return result;
}

std::optional<std::chrono::seconds> MapReader::duration(const std::string& name) {
    auto raw = text(name);
    if (!raw)
        return std::nullopt;
    auto parsed = core::parse_duration(*raw);
    if (!parsed) {
        error(lookup(name), name,
              "\"" + *raw +
                  "\" is not a duration (write days, hours, minutes: 90m, 2h, 1h30m, 1d)");
        return std::nullopt;
    }
    return parsed;
}

std::optional<std::string> MapReader::address(const std::string& name, Need need) {
    auto raw = text(name, need);
    if (!raw)
        return std::nullopt;
    if (!core::is_valid_address(*raw)) {
        error(lookup(name), name,
              "\"" + *raw + "\" is not an e-mail address (name@domain.example)");
        return std::nullopt;
    }
    return core::canonical_address(*raw);
}

std::vector<std::string> MapReader::text_list(const std::string& name) {
    YAML::Node value = get(name);
    std::vector<std::string> out;
    if (!value.IsDefined() || value.IsNull())
        return out;
    if (value.IsScalar()) {
        out.push_back(value.Scalar());
        return out;
    }
    if (!value.IsSequence()) {
        error(value, name, "must be a value or a list of values, not " + describe(value));
        return out;
    }
    for (size_t i = 0; i < value.size(); ++i) {
        if (auto item = scalar(value[i], name + "[" + std::to_string(i) + "]"))
            out.push_back(*item);
    }
    return out;
}

bool MapReader::for_each_item(const std::string& name,
                              const std::function<void(const YAML::Node&, size_t)>& each) {
    YAML::Node value = get(name);
    if (!value.IsDefined() || value.IsNull())
        return true;
    if (!value.IsSequence()) {
        error(value, name, "must be a list, not " + describe(value));
        return false;
    }
    for (size_t i = 0; i < value.size(); ++i)
        each(value[i], i);
    return true;
}

YAML::Node MapReader::lookup(const std::string& name) const {
    const YAML::Node& node = m_node;
    return node[name];
}

void MapReader::finish() {
    if (!m_valid)
        return;
    std::set<std::string> seen;
    for (const auto& entry : m_node) {
        const YAML::Node& key_node = entry.first;
        std::string name = key_node.IsScalar() ? key_node.Scalar() : describe(key_node);
        if (!seen.insert(name).second)
            m_diagnostics.error(key_node.Mark(), key_of(name),
                                "is written twice (the second one would be ignored)");
        else if (m_known.count(name) == 0)
            m_diagnostics.error(key_node.Mark(), key_of(name), "is not a known key");
    }
}

} // namespace lr::config
