#include "event_log.h"

#include <algorithm>
#include <cctype>
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

// The text VSS puts after the code in event 8229's %1 is the system's message for the HRESULT, not
// ours: a logged 8229 reads "error 0x800423f2, The writer's timeout expired between the Freeze and
// Thaw events." (mcbsys.com, 'VSS CreateTimeout and the Persistence of a Typo', Server 2016); the
// others are vsserror.h's message texts as published (errors.dd86k.space, hresult.info). Codes
// without a sourced text keep the HRESULT table's meaning.
static std::string WindowsMessage(uint32_t error) {
  switch (error) {
    case 0: return "The operation completed successfully.";  // winerror.h, ERROR_SUCCESS
    case hr::kVssHoldWritesTimeout:
      return "The shadow copy provider timed out while holding writes to the volume being shadow copied. This is probably due to excessive "
             "activity on the volume by an application or a system service. Try again later when activity on the volume is reduced.";
    case hr::kWriterErrorInconsistentSnapshot:
      return "The shadow-copy set only contains only a subset of the volumes needed to correctly backup the selected components of the writer.";
    case hr::kWriterErrorTimeout: return "The writer's timeout expired between the Freeze and Thaw events.";
    case hr::kWriterErrorRetryable: return "The writer experienced a transient error. If the backup process is retried, the error may not reoccur.";
    case hr::kWriterErrorNonRetryable:
      return "The writer experienced a non-transient error. If the backup process is retried, the error is likely to reoccur.";
    default: return HresultMeaning(error);
  }
}

void LogWriterVeto(Machine& machine, const SimWriter& writer, Phase phase, uint32_t error) {
  const std::string meaning = WindowsMessage(error);
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

// VSS calls the provider's BeginPrepareSnapshot "for each shadow copy that is added to the shadow copy set",
// and for VSS_E_PROVIDER_VETO that page says "The provider logged the error in the event log" (vsprov.h,
// IVssSoftwareSnapshotProvider::BeginPrepareSnapshot). The text follows EndPrepareSnapshots' 12293 above;
// the Operation and Context lines for this routine are inferred (no logged example at hand).
void LogProviderRefusedVolume(Machine& machine, const Guid& providerId, const Guid& setId, const SimVolume& volume, uint32_t error) {
  const std::string name = volume.guidName.empty() ? volume.name : volume.guidName;
  std::string message = "Volume Shadow Copy Service error: Error calling a routine on a Shadow Copy Provider " + Braced(providerId) +
                        ". Routine details BeginPrepareSnapshot(" + Braced(setId) + "," + name + ") [hr = " + Hex(error) + ", " +
                        HresultMeaning(error) + "].\r\n\r\nOperation:\r\n   Add a Volume to a Shadow Copy Set\r\n\r\nContext:\r\n   Volume Name: " +
                        name;
  machine.LogEvent("VSS", 12293, std::move(message),
                   {{"hr", Hex(error)}, {"providerId", providerId.ToString()}, {"snapshotSetId", setId.ToString()}, {"volume", volume.name}});
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
  // VSS 12298 in vssvc.exe's own template (message 0x300a, libyal/winevt-kb MessageFile-vssvc.exe.md):
  // "... on volume %1.\r\nThe volume index in the shadow copy set is %2. Error details: Open[%3],
  // Flush[%4], Release[%5], OnRun[%6].\r\n%7". Inferred, as no logged 12298 with its inserts was found:
  // each bracket is "hr, message" as VSS writes an error in its other events (8229, 12293); the error
  // is in Release (VolSnap 8 says the driver stopped waiting for the release command, so releasing the
  // writes is what fails) and the other steps succeeded; %7 is the context block VSS ends its events with.
  const std::string name = volume.guidName.empty() ? volume.name : volume.guidName;
  const std::string ok = Hex(0) + ", " + WindowsMessage(0);
  machine.LogEvent("VSS", 12298,
                   "Volume Shadow Copy Service error: The I/O writes cannot be held during the shadow copy creation period on volume " + name +
                       ".\r\nThe volume index in the shadow copy set is " + std::to_string(index) + ". Error details: Open[" + ok + "], Flush[" + ok +
                       "], Release[" + Hex(result) + ", " + WindowsMessage(result) + "], OnRun[" + ok +
                       "].\r\n\r\nOperation:\r\n   Executing Asynchronous Operation\r\n\r\nContext:\r\n   Current State: DoSnapshotSet",
                   {{"hr", Hex(result)}, {"volume", volume.name}, {"open", Hex(0)}, {"flush", Hex(0)}, {"release", Hex(result)}, {"onRun", Hex(0)}});
}

void LogOldestDeleted(Machine& machine, const std::string& volume) {
  const std::string drive = VolSnapName(volume);
  machine.LogEvent("VolSnap", 33,
                   "The oldest shadow copy of volume " + drive + " was deleted to keep disk space usage for shadow copies of volume " + drive +
                       " below the user defined limit.",
                   {{"volume", volume}});
}

namespace {

// Default maximum sizes. Security: 20 MB, Policy CSP EventLogService
// (SpecifyMaximumFileSizeSecurityLog: "it defaults to 20 megabytes"). Application and
// System: 20 MB as well, from a third-party table of Windows Server 2008 R2's default
// sizes (sourcedaddy.com "Event Logs", Table 5: Application 20 MB, System 20 MB); the
// same Policy CSP page's help text says "defaults to 1 megabyte" for these two, an older
// figure. Not confirmed on a captured machine: unsourced from Microsoft. Setup and the
// manifest channels (VolumeSnapshot-Driver/Operational, Hyper-V Admin,
// Microsoft-Windows-Backup): 1 MiB, unsourced (what a channel gets without a maxSize of
// its own is not documented on a page we found).
struct ChannelDefault {
  const char* name;
  uint64_t bytes;
};
constexpr uint64_t kMiB = 1024ull * 1024;
constexpr ChannelDefault kChannels[] = {
    {"Application", 20 * kMiB},
    {"System", 20 * kMiB},
    {"Security", 20 * kMiB},
    {"Setup", kMiB},
    {"Microsoft-Windows-VolumeSnapshot-Driver/Operational", kMiB},
    {"Microsoft-Windows-Hyper-V-VMMS-Admin", kMiB},
    {"Microsoft-Windows-Hyper-V-Worker-Admin", kMiB},
    {"Microsoft-Windows-Backup", kMiB},
};

bool SameText(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  return true;
}

}  // namespace

const std::vector<std::string>& KnownEventLogChannels() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const ChannelDefault& c : kChannels) out.push_back(c.name);
    return out;
  }();
  return names;
}

std::string CanonicalEventLogChannel(const std::string& channel) {
  for (const ChannelDefault& c : kChannels)
    if (SameText(c.name, channel)) return c.name;
  return std::string();
}

uint64_t EventLogMaxSize(const Machine& machine, const std::string& channel) {
  for (const auto& [name, bytes] : machine.eventLogMaxSize)
    if (SameText(name, channel)) return bytes;
  for (const ChannelDefault& c : kChannels)
    if (SameText(c.name, channel)) return c.bytes;
  return kMiB;
}

// An estimate of what the record takes in an .evtx file: the strings as UTF-16 (twice
// their UTF-8 bytes, exact for ASCII, which these texts are) and a fixed 512 bytes for
// the record header and the System element's binary XML (time, ids, level, provider
// GUID, computer, security). Inferred, not measured; it makes a 20 MB log hold about as
// many records of this size as Windows' does, not the same number to the record.
uint64_t EventRecordBytes(const EventRecord& record) {
  constexpr uint64_t kRecordOverhead = 512;
  uint64_t chars = record.message.size() + record.provider.size() + record.channel.size();
  for (const auto& [key, value] : record.data) chars += key.size() + value.size();
  return kRecordOverhead + 2 * chars;
}

void TrimEventLog(Machine& machine, const std::string& channel) {
  const uint64_t limit = EventLogMaxSize(machine, channel);
  std::vector<std::pair<uint64_t, uint64_t>> records;  // (record id, bytes) of the channel
  uint64_t used = 0;
  for (const EventRecord& e : machine.Events())
    if (SameText(e.channel, channel)) {
      records.emplace_back(e.recordId, EventRecordBytes(e));
      used += records.back().second;
    }
  if (used <= limit) return;
  // The oldest written first (lowest record ids), which a preloaded old record need not be in time order.
  std::sort(records.begin(), records.end());
  uint64_t cutoff = 0;
  for (size_t i = 0; used > limit && i + 1 < records.size(); ++i) {
    used -= records[i].second;
    cutoff = records[i].first;
  }
  std::vector<EventRecord>& events = machine.MutableEvents();
  events.erase(std::remove_if(events.begin(), events.end(), [&](const EventRecord& e) { return e.recordId <= cutoff && SameText(e.channel, channel); }),
               events.end());
}

}  // namespace sim
}  // namespace vss
