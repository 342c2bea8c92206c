#include "raw_message.hpp"

#include <algorithm>
#include <cstring>
#include <new>
#include <utility>

namespace lr::milter {

void RawMessage::reserve(size_t bytes) {
    if (bytes <= m_capacity)
        return;
    void* grown = std::realloc(m_data, bytes);
    if (!grown)
        throw std::bad_alloc();
    m_data = static_cast<char*>(grown);
    m_capacity = bytes;
}

void RawMessage::append(std::string_view bytes) {
    if (m_size + bytes.size() > m_capacity)
        reserve(std::max(m_size + bytes.size(), m_capacity + m_capacity / 2 + 64 * 1024));
    if (!bytes.empty())
        std::memcpy(m_data + m_size, bytes.data(), bytes.size());
    m_size += bytes.size();
}

void RawMessage::release() {
    std::free(m_data);
    m_data = nullptr;
    m_size = m_capacity = 0;
}

void RawMessage::swap(RawMessage& other) noexcept {
    std::swap(m_data, other.m_data);
    std::swap(m_size, other.m_size);
    std::swap(m_capacity, other.m_capacity);
}

} // namespace lr::milter
