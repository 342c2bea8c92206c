// leadctl classify FILE.eml: the classification record of one message
// (lead-formats.md §5) without touching the database. Without --config the
// built-in source profiles apply and every @dein.auto address is the
// dealer's own.
#include "classify/classifier.hpp"
#include "command.hpp"

#include <fstream>
#include <iostream>
#include <ostream>
#include <sstream>

namespace lr::ctl {

namespace {

std::string read_stream(std::istream& in) {
    std::ostringstream bytes;
    bytes << in.rdbuf();
    return bytes.str();
}

std::optional<std::string> read_input(const std::string& path) {
    if (path == "-")
        return read_stream(std::cin);
    // A file is read into a string of its size: a stream buffer and its
    // copy would hold a 40 MB message twice. A pipe (<(...)) has no size.
    std::ifstream file(path, std::ios::binary);
    if (!file)
        return std::nullopt;
    const std::streamoff size = file.seekg(0, std::ios::end) ? std::streamoff(file.tellg()) : -1;
    if (size < 0) {
        file.clear();
        return read_stream(file);
    }
    std::string bytes(static_cast<size_t>(size), '\0');
    file.seekg(0);
    if (!file.read(bytes.data(), size))
        return std::nullopt;
    return bytes;
}

int run_classify(Context& ctx) {
    if (ctx.args.positional.size() != 1) {
        ctx.err << "usage: leadctl classify FILE.eml [--config F]\n";
        return exit_usage;
    }
    const std::string& path = ctx.args.positional.front();
    std::shared_ptr<const core::Config> config;
    if (ctx.args.has("config")) {
        config = ctx.load_config();
        if (!config)
            return exit_failure;
    }
    auto bytes = read_input(path);
    if (!bytes) {
        ctx.err << "leadctl classify: cannot read " << path << "\n";
        return exit_usage;
    }
    classify::Classifier classifier(config.get());
    auto record = classify::classify_bytes(classifier, *bytes);
    if (!record) {
        ctx.err << "leadctl classify: " << path << ": " << record.error().message << "\n";
        return exit_usage;
    }
    ctx.out << classify::to_json(*record) << "\n";
    return exit_ok;
}

} // namespace

Command classify_command() {
    return {"classify",
            "print the classification of one message as JSON (no database)",
            "FILE.eml [--config F]",
            {},
            run_classify};
}

} // namespace lr::ctl
