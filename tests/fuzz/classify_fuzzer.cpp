// libFuzzer target (issue #3): any bytes into the classifier. It must
// return a record or a clear error, never crash, leak or hang; with a
// configuration or without one.
#include "classify/classifier.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static const lr::classify::Classifier classifier;
    std::string_view raw(reinterpret_cast<const char*>(data), size);
    // The first byte picks the envelope: unknown, null sender, a person.
    lr::classify::Envelope envelope;
    if (size > 0 && data[0] % 3 == 1)
        envelope.sender = "";
    else if (size > 0 && data[0] % 3 == 2)
        envelope.sender = "customer@example.org";
    auto record = lr::classify::classify_bytes(classifier, raw, envelope);
    if (record)
        (void)lr::classify::to_json(*record);
    return 0;
}
