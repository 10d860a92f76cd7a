// The simulated machine: shared by every session on it, guarded by one mutex.
#pragma once
#include <atomic>
#include <memory>
#include <cstdint>
#include <mutex>
#include <random>
#include <string>
#include <vector>

#include "model.h"
#include "state_file.h"

namespace vss {
namespace sim {

class Machine {
 public:
  Machine();
  ~Machine();  // removes the shadow copies' content folders
  Machine(const Machine&) = delete;
  Machine& operator=(const Machine&) = delete;

  // Everything below is guarded by `mutex`.
  mutable std::mutex mutex;
  std::string scenarioName = "windows-server-2022";
  std::string machineName = "sim-server.contoso.local";
  std::vector<SimWriter> writers;
  std::vector<SimVolume> volumes;
  std::vector<SimProvider> providers;
  std::vector<SimShadow> shadows;
  std::vector<SimService> services;  // scenario "services": dependents of writer-hosting services
  std::vector<SimFileServer> fileServers;  // the file servers this machine reaches (file_shares.h)
  Timing timing;
  int nextDeviceNumber = 1;       // HarddiskVolumeShadowCopyN, rising machine-wide
  uint64_t setCreationOwner = 0;  // the session creating a snapshot set, 0 if none
  bool externalSetInProgress = false;  // fault: another requester holds the set
  int externalSetInProgressRemaining = -1;  // refusals left before it is done; -1: never done
  int liveSessions = 0;
  // The machine's event log (VSS-related records only), in time order. With a state file
  // the records live in a file of their own (state_file.h) and are read only when something
  // asks for them: most commands never do, and a full log is megabytes.
  const std::vector<EventRecord>& Events() const;
  // For a change to the log: the state file writes the log again only after one.
  std::vector<EventRecord>& MutableEvents();
  uint64_t eventsRevision() const { return eventsRevision_; }
  // Scenario "eventLogMaxSize": a channel's maximum size in bytes where it is not the
  // default (event_log.h, EventLogMaxSize), keyed by the channel's canonical name.
  std::vector<std::pair<std::string, uint64_t>> eventLogMaxSize;

  // Appends a record as VSS or VolSnap would log it; the id must be in the event
  // catalogue (native/core/event_table.inc), which also gives its channel and level.
  // `trim`: bound the channel now (event_log.h); false for a bulk preload that trims once after.
  void LogEvent(const std::string& provider, uint32_t eventId, std::string message,
                std::vector<std::pair<std::string, std::string>> data = {}, int64_t time = 0, bool trim = true);
  // ERROR_EVT_CHANNEL_NOT_FOUND for a named channel the machine lacks (Channels()).
  std::vector<EventRecord> ReadEvents(const EventQuery& query) const;
  // The event log channels a Windows Server with this machine's roles has.
  std::vector<std::string> Channels() const;
  bool setHeldElsewhere = false;  // a session of another process sharing the state file creates a set
  // Set when the machine lives in a file shared across processes (state_file.h).
  std::unique_ptr<StateFile> stateFile;
  // Simulated time the engine has spent waiting on behalf of VSS and its writers, so that
  // `npm run bench` can tell the library's own overhead from the time it models.
  double modelledMs = 0;

  uint64_t NewSessionId() { return ++lastSessionId_; }
  // The record id the next logged event gets: ids keep rising however many records the
  // logs overwrote, and across processes sharing a state file (which keeps it).
  uint64_t nextRecordId() const { return nextRecordId_; }
  void setNextRecordId(uint64_t next) { nextRecordId_ = next; }
  Guid NewGuid();

  SimWriter* FindWriter(const std::string& nameOrId);
  SimWriter* FindWriterByInstance(const Guid& instanceId);
  SimVolume* FindVolume(const std::string& name);  // drive, mount folder or \\?\Volume{}\ name, any case
  SimProvider* FindProvider(const Guid& providerId);

  // Copies a backed volume into a new read-only folder; returns its path.
  std::string FreezeContent(const SimVolume& volume, int deviceNumber);
  // Puts the shadow copies' content folders (HarddiskVolumeShadowCopyN) into `folder`
  // instead of a private temporary one: the emulated vssapi.dll points it at the
  // folder Wine serves as \\?\GLOBALROOT\Device. The machine removes only its own
  // copies there, never the folder; device numbers continue after the copies already
  // there. Call before any shadow copy is made (MachineOptions::contentRoot does).
  void UseContentRoot(const std::string& folder);
  // Makes `volumePath` hold exactly what the shadow copy's content folder holds (a revert).
  static void RestoreContent(const std::string& contentPath, const std::string& volumePath);
  // Removes a shadow copy's content folder (best effort).
  static void RemoveContent(const std::string& path);

 private:
  std::string ContentRoot();

  friend class StateFile;  // sets the log it read without counting it as a change, or marks it unread

  std::atomic<uint64_t> lastSessionId_{0};
  uint64_t nextRecordId_ = 1;
  mutable std::vector<EventRecord> events_;
  mutable bool eventsUnread_ = false;  // the state file holds a log this process has not read yet
  uint64_t eventsRevision_ = 0;
  std::mt19937_64 random_;
  std::string contentRoot_;
  bool ownsContentRoot_ = true;
};

// Holds the machine: its mutex, and with a state file the cross-process lock, the
// state other processes left, and the write-back of this process's changes.
class MachineLock {
 public:
  explicit MachineLock(Machine& machine);
  // Describing a machine reads the state file too; the machine is otherwise untouched.
  explicit MachineLock(const Machine& machine) : MachineLock(const_cast<Machine&>(machine)) {}
  ~MachineLock();
  MachineLock(const MachineLock&) = delete;
  MachineLock& operator=(const MachineLock&) = delete;

 private:
  Machine& machine_;
  std::unique_lock<std::mutex> lock_;
};

// This process's id, and whether another process is still running.
unsigned long CurrentProcessId();
bool ProcessAlive(unsigned long pid);

// FILETIME now (100 ns since 1601-01-01 UTC).
int64_t NowFileTime();

}  // namespace sim
}  // namespace vss
