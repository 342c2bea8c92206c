#include "config/loader.hpp"

#include "config/readers.hpp"
#include "core/calendar.hpp"
#include "core/config_check.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <tuple>

namespace lr::config {

namespace fs = std::filesystem;

namespace {

std::optional<YAML::Node> parse_yaml(std::string_view text, const std::string& file_name,
                                     std::vector<core::Diagnostic>& out) {
    try {
        return YAML::Load(std::string(text));
    } catch (const YAML::Exception& e) {
        core::SourcePos pos{file_name, 0, 0};
        if (!e.mark.is_null())
            pos = {file_name, e.mark.line + 1, e.mark.column + 1};
        out.push_back({core::Severity::error, pos, "", "YAML syntax: " + e.msg});
        return std::nullopt;
    }
}

std::optional<std::string> read_file(const std::string& path, std::vector<core::Diagnostic>& out) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        out.push_back({core::Severity::error, {path, 0, 0}, "", "cannot be read"});
        return std::nullopt;
    }
    std::ostringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

void read_dealers_dir(const fs::path& dir, core::Config& config,
                      std::vector<core::Diagnostic>& out) {
    std::error_code ec;
    std::vector<fs::path> files;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
        if (it->path().extension() == ".yaml" && it->is_regular_file())
            files.push_back(it->path());
    if (ec) {
        out.push_back({core::Severity::error,
                       {dir.string(), 0, 0},
                       "system.dealers_dir",
                       "cannot be read: " + ec.message()});
        return;
    }
    std::sort(files.begin(), files.end()); // deterministic order: by file name
    for (const auto& file : files) {
        auto text = read_file(file.string(), out);
        if (!text)
            continue;
        auto root = parse_yaml(*text, file.string(), out);
        if (!root)
            continue;
        Diagnostics diagnostics(file.string(), out, config.sources);
        config.dealers.push_back(read_dealer(*root, file.stem().string(), diagnostics));
    }
}

// Files in the order they were read, and top to bottom within each file.
void sort_by_position(std::vector<core::Diagnostic>& diagnostics) {
    std::vector<std::string> files;
    for (const auto& d : diagnostics)
        if (std::find(files.begin(), files.end(), d.pos.file) == files.end())
            files.push_back(d.pos.file);
    auto rank = [&](const core::Diagnostic& d) {
        auto file = std::find(files.begin(), files.end(), d.pos.file) - files.begin();
        return std::tuple(file, d.pos.line, d.pos.column);
    };
    std::stable_sort(diagnostics.begin(), diagnostics.end(),
                     [&](const auto& a, const auto& b) { return rank(a) < rank(b); });
}

LoadResult finish(core::Config config, std::vector<core::Diagnostic> diagnostics) {
    // The model is complete even where a value was rejected (it keeps its
    // default), so the cross-reference checks run too: one run, every problem.
    auto findings = core::check_config(config);
    diagnostics.insert(diagnostics.end(), findings.begin(), findings.end());
    sort_by_position(diagnostics);
    LoadResult result;
    result.diagnostics = std::move(diagnostics);
    if (!core::has_errors(result.diagnostics)) {
        for (auto& dealer : config.dealers)
            dealer.calendar = std::make_shared<const core::BusinessCalendar>(dealer);
        result.config = std::make_shared<const core::Config>(std::move(config));
    }
    return result;
}

} // namespace

LoadResult load_config_text(std::string_view text, const std::string& file_name,
                            const std::string& base_dir) {
    std::vector<core::Diagnostic> out;
    core::Config config;
    auto root = parse_yaml(text, file_name, out);
    if (!root)
        return LoadResult{nullptr, std::move(out)};

    Diagnostics diagnostics(file_name, out, config.sources);
    MapReader top(*root, "", diagnostics);
    if (!top.valid())
        return finish(std::move(config), std::move(out));

    config.system = read_system(top.get("system", Need::required), diagnostics);
    top.for_each_item("dealers", [&](const YAML::Node& item, size_t i) {
        config.dealers.push_back(read_dealer(item, std::to_string(i), diagnostics));
    });
    top.finish();

    if (fs::path expose_dir = config.system.expose_dir; expose_dir.is_relative())
        config.system.expose_dir = (fs::path(base_dir) / expose_dir).string();
    if (config.system.dealers_dir) {
        fs::path dir = *config.system.dealers_dir;
        if (dir.is_relative())
            dir = fs::path(base_dir) / dir;
        read_dealers_dir(dir, config, out);
    }
    if (config.dealers.empty() && !core::has_errors(out))
        out.push_back({core::Severity::warning,
                       {file_name, 0, 0},
                       "dealers",
                       "no dealer is configured: no mailbox is handled"});
    return finish(std::move(config), std::move(out));
}

std::string config_path(const std::optional<std::string>& given) {
    if (given)
        return *given;
    if (const char* env = std::getenv("LEADROUTER_CONFIG"); env && *env)
        return env;
    return "/etc/leadrouter/leadrouter.yaml";
}

LoadResult load_config_file(const std::string& path) {
    std::vector<core::Diagnostic> out;
    auto text = read_file(path, out);
    if (!text)
        return LoadResult{nullptr, std::move(out)};
    return load_config_text(*text, path, fs::path(path).parent_path().string());
}

} // namespace lr::config
