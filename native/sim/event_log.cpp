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

void LogOldestDeleted(Machine& machine, const std::string& volume) {
  std::string drive = volume;
  if (drive.size() == 3 && drive[1] == ':') drive.pop_back();  // "C:\" -> "C:" as VolSnap names it
  machine.LogEvent("VolSnap", 33,
                   "The oldest shadow copy of volume " + drive + " was deleted to keep disk space usage for shadow copies of volume " + drive +
                       " below the user defined limit.",
                   {{"volume", volume}});
}

}  // namespace sim
}  // namespace vss
