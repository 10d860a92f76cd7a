#include "event_log.h"

#include <cstdio>

#include "../core/hresult.h"

namespace vss {
namespace sim {
namespace {

std::string Hex(uint32_t value) {
  char text[16];
  std::snprintf(text, sizeof text, "0x%08x", value);
  return text;
}

// How the VSS event texts name each writer event ("PreRestore Event" in KB 978773's sample).
const char* EventName(Phase phase) {
  switch (phase) {
    case Phase::Identify: return "Identify Event";
    case Phase::PrepareBackup: return "PrepareForBackup Event";
    case Phase::PrepareSnapshot: return "PrepareForSnapshot Event";
    case Phase::Freeze: return "Freeze Event";
    case Phase::Thaw: return "Thaw Event";
    case Phase::PostSnapshot: return "PostSnapshot Event";
    case Phase::BackupComplete: return "BackupComplete Event";
    case Phase::PreRestore: return "PreRestore Event";
    case Phase::PostRestore: return "PostRestore Event";
    case Phase::BackupShutdown: return "BackupShutdown Event";
    case Phase::Abort: return "Abort Event";
  }
  return "Unknown Event";
}

std::string Braced(const Guid& id) { return "{" + id.ToString() + "}"; }

// "C:\" -> "C:", as VolSnap names a volume.
std::string VolSnapName(std::string volume) {
  if (volume.size() == 3 && volume[1] == ':') volume.pop_back();
  return volume;
}

}  // namespace

void LogWriterVeto(Machine& machine, const SimWriter& writer, Phase phase, uint32_t error) {
  const std::string meaning = HresultMeaning(error);
  const WriterMetadata& w = writer.metadata;
  std::string message = "A VSS writer has rejected an event with error " + Hex(error) + ", " + meaning +
                        "\r\n. Changes that the writer made to the writer components while handling the event will not be available to the requester. "
                        "Check the event log for related events from the application hosting the VSS writer.\r\n\r\nOperation:\r\n   " +
                        EventName(phase) + "\r\n\r\nContext:\r\n   Execution Context: Writer\r\n   Writer Class Id: " + Braced(w.writerId) +
                        "\r\n   Writer Name: " + w.name + "\r\n   Writer Instance ID: " + Braced(w.instanceId);
  if (!writer.failureMessage.empty()) message += "\r\n   Writer message: " + writer.failureMessage;
  machine.LogEvent("VSS", 8229, std::move(message),
                   {{"hr", Hex(error)}, {"operation", EventName(phase)}, {"writerName", w.name}, {"writerId", w.writerId.ToString()},
                    {"instanceId", w.instanceId.ToString()}});
}

void LogProviderFailure(Machine& machine, const Guid& providerId, const Guid& setId, uint32_t error) {
  std::string message = "Volume Shadow Copy Service error: Error calling a routine on a Shadow Copy Provider " + Braced(providerId) +
                        ". Routine details EndPrepareSnapshots(" + Braced(setId) + ") [hr = " + Hex(error) + ", " + HresultMeaning(error) +
                        "].\r\n\r\nOperation:\r\n   Executing Asynchronous Operation\r\n\r\nContext:\r\n   Current State: DoSnapshotSet";
  machine.LogEvent("VSS", 12293, std::move(message),
                   {{"hr", Hex(error)}, {"providerId", providerId.ToString()}, {"snapshotSetId", setId.ToString()}});
}

void LogFlushAndHoldTimeout(Machine& machine, uint32_t result, const SimVolume& volume, size_t index) {
  const std::string drive = VolSnapName(volume.name);
  // VolSnap's texts: TechNet "Volume Snapshot Driver Integrity" (dd364896), events 8 and 9.
  if (result == hr::kVssFlushWritesTimeout) {
    machine.LogEvent("VolSnap", 9, "The flush and hold writes operation on volume " + drive + " timed out while waiting for file system cleanup.",
                     {{"volume", volume.name}});
    return;
  }
  machine.LogEvent("VolSnap", 8, "The flush and hold writes operation on volume " + drive + " timed out while waiting for a release writes command.",
                   {{"volume", volume.name}});
  // VSS 12298 as quoted by kb.msp360.com ("Shadow Copy Creation Period Is Exceeded").
  const std::string name = volume.guidName.empty() ? volume.name : volume.guidName;
  machine.LogEvent("VSS", 12298,
                   "Volume Shadow Copy Service error: The I/O writes cannot be held during the shadow copy creation period on volume " + name +
                       ". The volume index in the shadow copy set is " + std::to_string(index) + ".",
                   {{"hr", Hex(result)}, {"volume", volume.name}});
}

void LogOldestDeleted(Machine& machine, const std::string& volume) {
  const std::string drive = VolSnapName(volume);
  machine.LogEvent("VolSnap", 33,
                   "The oldest shadow copy of volume " + drive + " was deleted to keep disk space usage for shadow copies of volume " + drive +
                       " below the user defined limit.",
                   {{"volume", volume}});
}

}  // namespace sim
}  // namespace vss
