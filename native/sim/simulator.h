// Public face of the VSS simulation engine: a simulated machine (writers, volumes,
// providers, shadow copies, faults, timings) and a Backend whose sessions run the
// VSS requester state machine against it. Used by the Linux `simulated` backend and
// by the emulated vssapi.dll (test/fixtures/vssapi-emu), so one model of VSS serves
// both. Thread-safe: many sessions on many threads may share one machine.
#pragma once
#include <functional>
#include <memory>
#include <string>

#include "../core/backend.h"

namespace vss {
namespace sim {

class Machine;

// Builds a machine from a scenario (JSON text; format in README "Scenario format").
// An empty string or "{}" gives the built-in default machine ("windows-server-2022").
// A scenario may name a built-in with {"base": "<name>"} and override parts of it.
// Throws VssException(E_INVALIDARG, "LoadScenario", detail) for a malformed scenario.
std::shared_ptr<Machine> CreateMachine(const std::string& scenarioJson);

// The same machine kept in `stateFile` (state_file.h), shared with every process that
// opens it with the same scenario: a missing or empty file starts from the scenario,
// an existing one brings back its shadow copies, writer states and shadow storage.
// Throws VssException(E_INVALIDARG, "LoadState", detail) for a file made from another
// scenario or one that is not a machine's state.
std::shared_ptr<Machine> CreateMachine(const std::string& scenarioJson, const std::string& stateFile);

// What a machine takes from the system it runs in (the emulated vssapi.dll under Wine).
struct MachineOptions {
  std::string stateFile;  // as above; empty: the machine lives in this process only
  // A folder shared with other machines and processes for the shadow copies' content
  // (HarddiskVolumeShadowCopyN, see Machine::UseContentRoot), in force before the
  // scenario's own shadow copies ("shadows") are made, so theirs land there too.
  std::string contentRoot;
  // The system's \\?\Volume{GUID}\ name for a drive letter ("C:\"), or "" where the
  // system has no such drive: a volume the system has takes that name instead of its
  // scenario's, so a requester resolving the letter itself finds its shadow copies.
  std::function<std::string(const std::string& drive)> systemVolumeName;
};
std::shared_ptr<Machine> CreateMachine(const std::string& scenarioJson, const MachineOptions& options);

// Names of the built-in scenarios, e.g. "windows-server-2022", "sql-server", "hyper-v".
std::vector<std::string> BuiltInScenarioNames();

// Changes a live machine (faults, timings, writer states...) with a scenario fragment
// in the same JSON form; applies to sessions already running too.
void ConfigureMachine(Machine& machine, const std::string& patchJson);

// What a restart of the machine keeps: persistent shadow copies stay, the others end with
// their requesters, and volatile shadow storage maximums (ChangeDiffAreaMaximumSizeEx with
// bVolatile) give way to the last ones set without it. Refused (VSS_E_BAD_STATE) while a
// session of this process is open.
void RestartMachine(Machine& machine);

// The machine's current state as JSON: writers with states and last errors,
// volumes, providers, shadow copies (with the host path of their content where a
// volume is backed by a directory), and whether a snapshot set is in progress.
std::string DescribeMachine(const Machine& machine);

// The backend over a machine: each CreateSession() is a new requester.
std::unique_ptr<Backend> CreateBackend(std::shared_ptr<Machine> machine);

}  // namespace sim
}  // namespace vss
