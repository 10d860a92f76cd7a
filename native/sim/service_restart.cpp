#include "service_restart.h"

#include "../core/error.h"

namespace vss {
namespace sim {

ServiceRestartResult RestartService(Machine& machine, const ServiceRestartRequest& request) {
  std::vector<SimWriter*> hosted;
  for (SimWriter& w : machine.writers)
    for (const Guid& id : request.writerIds)
      if (w.metadata.writerId == id) hosted.push_back(&w);
  if (hosted.empty()) throw VssException(hr::kServiceDoesNotExist, "OpenService", request.service);
  for (SimWriter* w : hosted) {
    // The instance id is kept: sessions of this process may still refer to it (a real
    // restart gives most writers a new one; the library refuses to restart mid-backup).
    w->state = ws::kStable;
    w->lastError = 0;
    w->applicationError = 0;
    w->failureMessage.clear();
    w->identifyBroken = false;
  }
  ServiceRestartResult result;
  result.wasRunning = true;
  return result;
}

}  // namespace sim
}  // namespace vss
