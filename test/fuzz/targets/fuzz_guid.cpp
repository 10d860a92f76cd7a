// Fuzzes Guid::Parse (native/core/guid.cpp): never throws; what it accepts prints
// back in canonical form and parses to the same GUID.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "../../../native/core/guid.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  std::optional<vss::Guid> guid = vss::Guid::Parse(text);
  if (guid) {
    std::string canonical = guid->ToString();
    if (canonical.size() != 36) std::abort();
    std::optional<vss::Guid> again = vss::Guid::Parse(canonical);
    if (!again || *again != *guid) std::abort();
  }
  (void)vss::Guid::FromSeed(text);
  return 0;
}
