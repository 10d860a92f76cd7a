// A simulated machine kept in a file, so that it outlives the process as a real
// machine's persistent shadow copies outlive the requester (and a reboot): shadow
// copies with their exposures, shadow storage limits, writer states, fault counters,
// the machine-wide snapshot-set lock, the services (configuration and whether each
// runs) and the event log (records, per-channel maximum sizes, the next record id).
// Every MachineLock (machine.h) of a machine
// with a state file holds a lock on "<file>.lock" across processes, reloads the file
// when another process changed it, and writes it back when the machine changed:
// temp file, flush to disk, rename over, so a crash leaves the old or the new state.
// The event log, up to megabytes per channel, is kept beside it in "<file>.events.<N>":
// the state names the generation N that holds the log, a change to the log writes
// generation N+1 (the same temp file, flush, rename) before the state that names it, and
// the older generation is removed only after; a process reads the log only when it uses
// it. Serializing and comparing the whole log at every lock made `vss writers --state` on
// a machine with 20 000 records (a 15.8 MB file) take 2.0-3.0 s against 0.4 s with an empty
// log; with the log beside it both take the same (measured on a loaded 2-core machine).
#pragma once
#include <cstdint>
#include <string>

namespace vss {
namespace sim {

class Machine;

class StateFile {
 public:
  // Opens (creating) "<path>.lock". `scenarioJson` is what the machine was built
  // from: a file made from another scenario is refused (E_INVALIDARG).
  StateFile(std::string path, std::string scenarioJson);
  ~StateFile();
  StateFile(const StateFile&) = delete;
  StateFile& operator=(const StateFile&) = delete;

  const std::string& path() const { return path_; }
  // Folder for the content of shadow copies of backed volumes: it lives as long as the file.
  std::string ContentRoot() const { return path_ + ".content"; }

  // With machine.mutex held: take the cross-process lock and load the file if it changed.
  void Begin(Machine& machine);
  // With machine.mutex held: write the file if the machine changed, release the lock. Never throws.
  void End(Machine& machine) noexcept;
  // With the lock held: reads the event log the state names into the machine (Machine::Events).
  void ReadEvents(const Machine& machine) const;

 private:
  void Load(Machine& machine, const std::string& text);
  std::string Serialize(const Machine& machine) const;
  // Writes the event log if it changed, then the state; removes older logs after.
  void Commit(Machine& machine);
  void WriteEvents(const Machine& machine);
  void RemoveOtherEventFiles() const noexcept;
  std::string EventsPath(uint64_t generation) const;
  void Write(const std::string& text);
  void WriteAtomic(const std::string& target, const std::string& text) const;
  void LockFile();
  void UnlockFile() noexcept;

  std::string path_;
  std::string scenario_;
  std::string seen_;  // the file's content as last read or written by this process
  // The log generation the state named when last read or written (0: no log file, an
  // empty log); eventsKnown_ false until then. committedRevision_: the machine's
  // eventsRevision() that generation holds.
  uint64_t eventsGeneration_ = 0;
  bool eventsKnown_ = false;
  uint64_t committedRevision_ = 0;
  intptr_t lockHandle_ = -1;
  // The snapshot-set lock held by a session of another process (pid, session id), if any.
  unsigned long foreignSetPid_ = 0;
  uint64_t foreignSetSession_ = 0;
};

}  // namespace sim
}  // namespace vss
