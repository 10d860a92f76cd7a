#include "hresult.h"

#include <cstdio>

namespace vss {
namespace {
struct Entry {
  const char* name;
  uint32_t value;
  const char* meaning;
};
const Entry kTable[] = {
#define HRESULT_ENTRY(name, value, meaning) {#name, static_cast<uint32_t>(value##u), meaning},
#include "hresult_table.inc"
#undef HRESULT_ENTRY
};

const Entry* Find(uint32_t hresult) {
  for (const Entry& e : kTable)
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
  for (const Entry& e : kTable)
    if (name == e.name) return e.value;
  return std::nullopt;
}

}  // namespace vss
