#include "hresult.h"

#include <cstdio>

namespace vss {
namespace {
using Entry = HresultEntry;

const Entry* Find(uint32_t hresult) {
  for (const Entry& e : kHresultTable)
    if (e.value == hresult) return &e;
  return nullptr;
}
}  // namespace

std::string HresultName(uint32_t hresult) {
  if (const Entry* e = Find(hresult)) return e->name;
  char buf[32];
  std::snprintf(buf, sizeof buf, "HRESULT_0x%08X", hresult);
  return buf;
}

const char* HresultMeaning(uint32_t hresult) {
  const Entry* e = Find(hresult);
  return e ? e->meaning : "";
}

std::optional<uint32_t> HresultFromName(const std::string& name) {
  for (const Entry& e : kHresultTable)
    if (name == e.name) return e.value;
  return std::nullopt;
}

}  // namespace vss
