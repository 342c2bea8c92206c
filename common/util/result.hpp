// Result<T>: the value of an operation or the Error that prevented it.
//
// Adapters (database, files) and parsers return Result; exceptions are kept
// for start-up and configuration and caught once in main. An Error's message
// names the thing that failed, so callers can print it as it is.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace lr {

enum class ErrorCode {
    invalid_input, // the caller's data is wrong: fix the input
    not_found,     // a referenced thing does not exist
    conflict,      // the operation lost a race or violates a rule
    refused,       // a setting forbids the operation
    database,      // the database failed or is unreachable: retry later
    io,            // a file or socket failed
    internal,      // one of our own invariants broke: a bug, never retried blindly
};

struct Error {
    ErrorCode code;
    std::string message;
};

template <class T> class [[nodiscard]] Result {
public:
    Result(T value) : m_state(std::move(value)) {}
    Result(Error error) : m_state(std::move(error)) {}

    bool ok() const { return std::holds_alternative<T>(m_state); }
    explicit operator bool() const { return ok(); }

    T& value() & { return std::get<T>(m_state); }
    const T& value() const& { return std::get<T>(m_state); }
    T&& value() && { return std::get<T>(std::move(m_state)); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

    const Error& error() const { return std::get<Error>(m_state); }

private:
    std::variant<T, Error> m_state;
};

template <> class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error error) : m_error(std::move(error)), m_failed(true) {}

    bool ok() const { return !m_failed; }
    explicit operator bool() const { return ok(); }
    const Error& error() const { return m_error; }

private:
    Error m_error{ErrorCode::invalid_input, {}};
    bool m_failed = false;
};

inline Error make_error(ErrorCode code, std::string message) {
    return Error{code, std::move(message)};
}

} // namespace lr
