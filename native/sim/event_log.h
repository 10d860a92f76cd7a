// What the simulated VSS and VolSnap write to the machine's event log when
// something goes wrong, worded as Windows words it (texts modelled on the events
// quoted in ../shared/reference/events/ and the Microsoft pages the catalogue cites).
// Callers hold the machine's mutex.
#pragma once
#include <cstdint>
#include <string>

#include "machine.h"
#include "model.h"

namespace vss {
namespace sim {

// VSS 8229: a writer rejected (vetoed) an event with `error`.
void LogWriterVeto(Machine& machine, const SimWriter& writer, Phase phase, uint32_t error);
// VSS 12293: a provider's routine failed while committing the shadow copies.
void LogProviderFailure(Machine& machine, const Guid& providerId, const Guid& setId, uint32_t error);
// VolSnap 33: the oldest shadow copy of `volume` was deleted to stay under the shadow storage maximum.
void LogOldestDeleted(Machine& machine, const std::string& volume);

}  // namespace sim
}  // namespace vss
