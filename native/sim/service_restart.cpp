#include "service_restart.h"

#include "../core/error.h"
#include "../core/service_dependents.h"

namespace vss {
namespace sim {
namespace {

std::vector<ServiceDependency> Configuration(const Machine& machine) {
  std::vector<ServiceDependency> services;
  for (const SimService& s : machine.services) services.push_back({s.name, s.dependsOn, s.running, s.group});
  return services;
}

SimService* Find(Machine& machine, const std::string& name) {
  for (SimService& s : machine.services)
    if (SameServiceName(s.name, name)) return &s;
  return nullptr;
}

// SERVICE_CONTROL_STOP as the SCM answers it: refused while a running service depends
// on this one ("ControlService": ERROR_DEPENDENT_SERVICES_RUNNING), so the order the
// restart stops services in is checked, not assumed. A running service that depends on
// a group this one belongs to counts too (service_dependents.h: inferred).
void Stop(Machine& machine, const std::string& name) {
  const SimService* self = Find(machine, name);
  const std::string group = self ? self->group : std::string();
  for (const SimService& s : machine.services) {
    if (!s.running || SameServiceName(s.name, name)) continue;
    if (DependsOn({s.name, s.dependsOn, s.running, s.group}, name, group))
      throw VssException(hr::kDependentServicesRunning, "ControlService", name + " (" + s.name + " depends on it)");
  }
  if (SimService* s = Find(machine, name)) s->running = false;
}

void Start(Machine& machine, const std::string& name) {
  if (SimService* s = Find(machine, name)) s->running = true;
}

}  // namespace

// No event is logged. What Windows logs for a restart is the Service Control Manager's
// 7036 "The %1 service entered the %2 state." (Information, System; Microsoft's "Basic
// Service Operations" event list for Windows Server 2008, cc756379), once for stopped and
// once for running, with the display name and the state name in the system's language.
// readVssEvents reads VolSnap only from System: 7036 is logged for every service of the
// machine, so adding the provider would bury the VSS events, and it could only be narrowed
// to writer-hosting services by localized text. The restart report already says what
// happened, so a logged 7036 would be seen on Linux only and never on Windows.
ServiceRestartResult RestartService(Machine& machine, const ServiceRestartRequest& request) {
  std::vector<SimWriter*> hosted;
  for (SimWriter& w : machine.writers) {
    const std::vector<Guid>& ids = request.instanceIds.empty() ? request.writerIds : request.instanceIds;
    const Guid& own = request.instanceIds.empty() ? w.metadata.writerId : w.metadata.instanceId;
    for (const Guid& id : ids)
      if (own == id) hosted.push_back(&w);
  }
  if (hosted.empty()) throw VssException(hr::kServiceDoesNotExist, "OpenService", request.service);
  ServiceRestartResult result;
  // A hosting service the scenario lists may be stopped; one it does not list runs.
  const SimService* self = Find(machine, request.service);
  result.wasRunning = !self || self->running;
  result.dependents = ActiveDependentsInStopOrder(request.service, Configuration(machine));
  for (const std::string& d : result.dependents) Stop(machine, d);
  Stop(machine, request.service);
  Start(machine, request.service);
  for (size_t i = result.dependents.size(); i-- > 0;) Start(machine, result.dependents[i]);
  for (SimWriter* w : hosted) {
    // The instance id is kept: sessions of this process may still refer to it (a real
    // restart gives most writers a new one; the library refuses to restart mid-backup).
    w->state = ws::kStable;
    w->lastError = 0;
    w->applicationError = 0;
    w->failureMessage.clear();
    w->identifyBroken = false;
  }
  return result;
}

}  // namespace sim
}  // namespace vss
