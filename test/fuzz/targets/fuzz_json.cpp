// Fuzzes the scenario JSON reader (native/sim/json.cpp): any text either parses
// or throws JsonError; a parsed document writes back out without failing.
#include <cstddef>
#include <cstdint>
#include <string>

#include "../../../native/sim/json.h"
#include "fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  fuzz::ExpectOnlyDocumentedErrors("json", [&] {
    vss::sim::Json json = vss::sim::Json::Parse(text);
    if (json.IsObject())
      for (const auto& member : json.AsObject()) (void)vss::sim::JsonEscape(member.first);
  }, true);
  return 0;
}
