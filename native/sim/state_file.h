// A simulated machine kept in a file, so that it outlives the process as a real
// machine's persistent shadow copies outlive the requester (and a reboot): shadow
// copies with their exposures, shadow storage limits, writer states, fault counters,
// the machine-wide snapshot-set lock, the services (configuration and whether each
// runs) and the event log (records, per-channel maximum sizes, the next record id).
// Every MachineLock (machine.h) of a machine
// with a state file holds a lock on "<file>.lock" across processes, reloads the file
// when another process changed it, and writes it back when the machine changed:
// temp file, flush to disk, rename over, so a crash leaves the old or the new state.
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

 private:
  void Load(Machine& machine, const std::string& text);
  std::string Serialize(const Machine& machine) const;
  void Write(const std::string& text);
  void LockFile();
  void UnlockFile() noexcept;

  std::string path_;
  std::string scenario_;
  std::string seen_;  // the file's content as last read or written by this process
  intptr_t lockHandle_ = -1;
  // The snapshot-set lock held by a session of another process (pid, session id), if any.
  unsigned long foreignSetPid_ = 0;
  uint64_t foreignSetSession_ = 0;
};

}  // namespace sim
}  // namespace vss
