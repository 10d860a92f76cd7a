// Restarts a Windows service through the Service Control Manager (advapi32):
// the remedy Microsoft gives for a writer stuck in a failed state ("restart the
// service that hosts the writer").
#pragma once
#include "../core/types.h"

namespace vss {
namespace com {

// OpenSCManager, OpenService; the active services that depend on it, directly or
// through a load-ordering group it belongs to, are stopped first (found from every
// service's configuration, not EnumDependentServices: service_control.cpp), then ControlService
// (SERVICE_CONTROL_STOP) and QueryServiceStatusEx until SERVICE_STOPPED, StartService
// and QueryServiceStatusEx until SERVICE_RUNNING, then the dependents are started again.
// Each wait ends after request.timeoutMs with ERROR_SERVICE_REQUEST_TIMEOUT.
ServiceRestartResult RestartService(const ServiceRestartRequest& request);

// The display names of `services` (keys) in the system's language (GetServiceDisplayNameW); a
// service not installed, or an SCM that cannot be opened, gives no name.
std::vector<std::string> LocalizedDisplayNames(const std::vector<std::string>& services);

}  // namespace com
}  // namespace vss
