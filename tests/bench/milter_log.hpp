// leadmilter's own time per message, read off its log (ELAPSED_US of each
// "classified and stored" line), and percentiles of it.
#pragma once

#include "process.hpp"

#include <algorithm>
#include <string>
#include <vector>

namespace lr::bench {

// The ELAPSED_US values the log holds from byte offset on.
inline std::vector<long long> elapsed_since(const std::string& log, size_t offset) {
    std::vector<long long> out;
    std::string text = test::read_text_file(log).substr(offset);
    for (size_t at = text.find("ELAPSED_US="); at != std::string::npos;
         at = text.find("ELAPSED_US=", at + 1))
        out.push_back(std::stoll(text.substr(at + 11)));
    return out;
}

inline long long percentile(std::vector<long long> values, double p) {
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    return values[std::min(values.size() - 1, static_cast<size_t>(p * values.size()))];
}

} // namespace lr::bench
