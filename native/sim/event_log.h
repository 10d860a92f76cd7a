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
// The flush-and-hold window closed on `volume` (its index in the set is `index`): VolSnap 9 when the
// file system's flush did not end in it (VSS_E_FLUSH_WRITES_TIMEOUT), VolSnap 8 and VSS 12298 when the
// writes were held past it (VSS_E_HOLD_WRITES_TIMEOUT).
void LogFlushAndHoldTimeout(Machine& machine, uint32_t result, const SimVolume& volume, size_t index);
// VolSnap 33: the oldest shadow copy of `volume` was deleted to stay under the shadow storage maximum.
void LogOldestDeleted(Machine& machine, const std::string& volume);

}  // namespace sim
}  // namespace vss
