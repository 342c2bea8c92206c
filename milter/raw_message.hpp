// The bytes of one message as the milter collects them (headers and body),
// in one buffer that grows with realloc: a large buffer lives in its own
// mapping, which the kernel moves instead of copying, so a 40 MB message
// never exists twice while it arrives (std::string would copy on every
// doubling; twenty such mails at once would each hold both copies).
#pragma once

#include <cstddef>
#include <cstdlib>
#include <string_view>

namespace lr::milter {

class RawMessage {
public:
    RawMessage() = default;
    RawMessage(const RawMessage&) = delete;
    RawMessage& operator=(const RawMessage&) = delete;
    RawMessage(RawMessage&& other) noexcept { swap(other); }
    RawMessage& operator=(RawMessage&& other) noexcept {
        RawMessage gone(std::move(other));
        swap(gone);
        return *this;
    }
    ~RawMessage() { std::free(m_data); }

    // Room for at least bytes in all (a hint: the SIZE the client gave).
    void reserve(size_t bytes);
    void append(std::string_view bytes);
    void release(); // frees the buffer
    std::string_view view() const { return {m_data, m_size}; }
    operator std::string_view() const { return view(); }
    size_t size() const { return m_size; }

private:
    void swap(RawMessage& other) noexcept;

    char* m_data = nullptr;
    size_t m_size = 0;
    size_t m_capacity = 0;
};

} // namespace lr::milter
