// The event catalogue (event_table.inc) for native code: the engine asks it
// before writing an event, so it never writes one the catalogue cannot explain.
#pragma once
#include <cstdint>
#include <string>

namespace vss {

struct CatalogueEvent {
  const char* provider;
  uint32_t eventId;
  int32_t level;
  const char* channel;
  const char* message;  // the provider's message template (or a logged example), as the catalogue has it
};

// The entry for (provider, id), or nullptr. Provider names compare case-insensitively (VolSnap/volsnap).
const CatalogueEvent* FindCatalogueEvent(const std::string& provider, uint32_t eventId);

}  // namespace vss
