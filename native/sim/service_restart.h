// What restarting the Windows service that hosts writers does to the simulated
// machine: the writers it hosts come back stable, their failure forgotten (as a
// writer process re-subscribing with VSS starts afresh). The running services that
// depend on it (scenario "services") are stopped first, dependents of dependents before
// them, and started again after, in reverse. Callers hold a MachineLock.
#pragma once
#include "../core/types.h"
#include "machine.h"

namespace vss {
namespace sim {

// ERROR_SERVICE_DOES_NOT_EXIST when the machine has none of the writers the service
// hosts (the service is not installed here).
ServiceRestartResult RestartService(Machine& machine, const ServiceRestartRequest& request);

}  // namespace sim
}  // namespace vss
