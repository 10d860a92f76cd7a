#include "event_catalogue.h"

#include <cctype>
#include <iterator>

namespace vss {
namespace {

const CatalogueEvent kEvents[] = {
#define VSS_EVENT(provider, id, level, channel, message, meaning, causes, remedy, source) {provider, id, level, channel, message},
#include "event_table.inc"
#undef VSS_EVENT
};

bool SameName(const char* a, const std::string& b) {
  size_t i = 0;
  for (; a[i] && i < b.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  return !a[i] && i == b.size();
}

}  // namespace

const CatalogueEvent* FindCatalogueEvent(const std::string& provider, uint32_t eventId) {
  for (const CatalogueEvent& e : kEvents)
    if (e.eventId == eventId && SameName(e.provider, provider)) return &e;
  return nullptr;
}

}  // namespace vss
