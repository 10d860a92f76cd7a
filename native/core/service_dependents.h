// Which services must be stopped before a service can be, and in what order: the
// Service Control Manager refuses SERVICE_CONTROL_STOP while an active service
// depends on it (ERROR_DEPENDENT_SERVICES_RUNNING; "ControlService", Microsoft Learn),
// so a restart stops its dependents first, dependents of dependents before them, as
// `net stop` does, and starts them again in reverse order. Shared by the COM backend
// (native/com/service_control.cpp, over the machine's real configuration) and the
// engine (native/sim/service_restart.cpp, over a scenario's services).
#pragma once
#include <string>
#include <vector>

namespace vss {

// One service as the SCM's configuration describes it.
struct ServiceDependency {
  std::string name;                    // short name; the SCM compares names without case
  std::vector<std::string> dependsOn;  // its DependOnService list (group entries, "+Group", are not services)
  bool active = false;                 // neither stopped nor unknown (SERVICE_ACTIVE)
};

// The active services that depend on `service`, directly or through other services,
// each once, in the order to stop them: a service comes after every active service
// that depends on it. Inactive services are followed (a dependency chain may pass
// through one) but not listed. A cycle (which the SCM refuses to create) is followed once.
std::vector<std::string> ActiveDependentsInStopOrder(const std::string& service, const std::vector<ServiceDependency>& services);

// Names compared as the Service Control Manager does: without case (ASCII folding;
// service names are ASCII in practice, and a non-ASCII byte compares exactly).
bool SameServiceName(const std::string& a, const std::string& b);

}  // namespace vss
