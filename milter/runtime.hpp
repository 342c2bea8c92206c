// What the milter works from: the configuration with the classifier and
// mailbox index built from it. A reload (SIGUSR1) builds a new Runtime and
// swaps it in atomically; a message keeps the Runtime it started with.
#pragma once

#include "classify/classifier.hpp"
#include "core/config.hpp"
#include "mailbox_index.hpp"
#include "util/result.hpp"

#include <memory>
#include <mutex>
#include <string>

namespace lr::milter {

struct Runtime {
    explicit Runtime(std::shared_ptr<const core::Config> loaded)
        : config(std::move(loaded)), classifier(config.get()), mailboxes(*config) {}

    std::shared_ptr<const core::Config> config;
    classify::Classifier classifier;
    MailboxIndex mailboxes;
};

class RuntimeHolder {
public:
    explicit RuntimeHolder(std::shared_ptr<const Runtime> runtime)
        : m_runtime(std::move(runtime)) {}

    std::shared_ptr<const Runtime> current() const {
        std::lock_guard lock(m_mutex);
        return m_runtime;
    }
    void replace(std::shared_ptr<const Runtime> runtime) {
        std::lock_guard lock(m_mutex);
        m_runtime = std::move(runtime);
    }

private:
    mutable std::mutex m_mutex;
    std::shared_ptr<const Runtime> m_runtime;
};

// Loads and validates the configuration file; the error lists every problem.
Result<std::shared_ptr<const Runtime>> load_runtime(const std::string& path);

} // namespace lr::milter
