// Which services must be stopped before a service can be, and in what order: the
// Service Control Manager refuses SERVICE_CONTROL_STOP while an active service
// depends on it (ERROR_DEPENDENT_SERVICES_RUNNING; "ControlService", Microsoft Learn),
// so a restart stops its dependents first, dependents of dependents before them, as
// `net stop` does, and starts them again in reverse order. Shared by the COM backend
// (native/com/service_control.cpp, over the machine's real configuration) and the
// engine (native/sim/service_restart.cpp, over a scenario's services).
//
// A service may also depend on a load-ordering group: "+Group" in its lpDependencies
// (SC_GROUP_IDENTIFIER), DependOnGroup in its registry key (CreateService, Microsoft
// Learn). It then depends on the services whose lpLoadOrderGroup (registry "Group") is
// that group: CreateService says such a service "can run if at least one member of the
// group is running". Whether the SCM refuses to stop a member while a group dependent
// runs is not documented; we treat every member as a dependency (inferred), so a
// restart stops the group's dependents too rather than leave one running on a
// dependency that went away under it.
#pragma once
#include <string>
#include <vector>

namespace vss {

// One service as the SCM's configuration describes it.
struct ServiceDependency {
  std::string name;                    // short name; the SCM compares names without case
  std::vector<std::string> dependsOn;  // DependOnService names, and "+Group" for each DependOnGroup entry
  bool active = false;                 // neither stopped nor unknown (SERVICE_ACTIVE)
  std::string group;                   // its load-ordering group (lpLoadOrderGroup), empty if none
};

// The active services that depend on `service`, directly, through other services or
// through a group one of them belongs to, each once, in the order to stop them: a
// service comes after every active service that depends on it. Inactive services are
// followed (a dependency chain may pass through one) but not listed. A cycle (which the
// SCM refuses to create) is followed once. `service` need not be in `services`; its group
// is then unknown.
std::vector<std::string> ActiveDependentsInStopOrder(const std::string& service, const std::vector<ServiceDependency>& services);

// Whether `dependent` depends on the service named `name` whose group is `group` (empty
// for none): by name, or through "+group".
bool DependsOn(const ServiceDependency& dependent, const std::string& name, const std::string& group);

// Whether `service` depends on itself, directly or through others and groups
// (CreateService: ERROR_CIRCULAR_DEPENDENCY).
bool InDependencyCycle(const std::string& service, const std::vector<ServiceDependency>& services);

// Names compared as the Service Control Manager does: without case (ASCII folding;
// service names are ASCII in practice, and a non-ASCII byte compares exactly). Group
// names are compared the same way (inferred: the SCM keeps groups and services in one
// name space, CreateService).
bool SameServiceName(const std::string& a, const std::string& b);

}  // namespace vss
