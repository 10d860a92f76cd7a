// What the simulated VSS and VolSnap write to the machine's event log when
// something goes wrong, worded as Windows words it (texts modelled on the events
// quoted in ../shared/reference/events/ and the Microsoft pages the catalogue cites).
// Callers hold the machine's mutex.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "machine.h"
#include "model.h"

namespace vss {
namespace sim {

// VSS 8229: a writer rejected (vetoed) an event with `error`.
void LogWriterVeto(Machine& machine, const SimWriter& writer, Phase phase, uint32_t error);
// VSS 12293: a provider's routine failed while committing the shadow copies.
void LogProviderFailure(Machine& machine, const Guid& providerId, const Guid& setId, uint32_t error);
// VSS 12293 at AddToSnapshotSet: the provider's BeginPrepareSnapshot refused `volume` with `error`.
void LogProviderRefusedVolume(Machine& machine, const Guid& providerId, const Guid& setId, const SimVolume& volume, uint32_t error);
// The flush-and-hold window closed on `volume` (its index in the set is `index`): VolSnap 9 when the
// file system's flush did not end in it (VSS_E_FLUSH_WRITES_TIMEOUT), VolSnap 8 and VSS 12298 when the
// writes were held past it (VSS_E_HOLD_WRITES_TIMEOUT).
void LogFlushAndHoldTimeout(Machine& machine, uint32_t result, const SimVolume& volume, size_t index);
// VolSnap 33: the oldest shadow copy of `volume` was deleted to stay under the shadow storage maximum.
void LogOldestDeleted(Machine& machine, const std::string& volume);

// The size of each channel is bounded as Windows bounds a log: when a new record takes it
// past its maximum, the oldest records (the first written: lowest record ids) are
// overwritten, "Overwrite events as needed", the default retention of the classic logs
// ("Set Log Retention Policy", Microsoft Learn cc721981; Policy CSP EventLogService
// ControlEventLogBehavior: not configured, "new events overwrite old events"). Record ids
// keep rising. The newest record always stays, however large.

// The channels the machine's log can hold, by canonical name (readVssEvents' channels,
// Security and Setup): a scenario's eventLogMaxSize names one of them.
const std::vector<std::string>& KnownEventLogChannels();
// The canonical name of `channel` (any case), or empty when it is not a known channel.
std::string CanonicalEventLogChannel(const std::string& channel);
// The maximum size in bytes of `channel`: the scenario's eventLogMaxSize, else the default.
uint64_t EventLogMaxSize(const Machine& machine, const std::string& channel);
// The bytes a record takes in the log, estimated (event_log.cpp says how).
uint64_t EventRecordBytes(const EventRecord& record);
// Overwrites the oldest records of `channel` until it fits its maximum.
void TrimEventLog(Machine& machine, const std::string& channel);
// The limits Windows lets an administrator set (Policy CSP EventLogService,
// SpecifyMaximumFileSize*: "between 1 megabyte (1024 kilobytes) and 2 terabytes
// (2147483647 kilobytes)").
constexpr uint64_t kEventLogMinSize = 1024ull * 1024;
constexpr uint64_t kEventLogMaxSize = 2147483647ull * 1024;

}  // namespace sim
}  // namespace vss
