#include "service_control.h"

#include <windows.h>

#include <string>
#include <vector>

#include "../core/error.h"
#include "bstr.h"

namespace vss {
namespace com {
namespace {

// RAII for SC_HANDLE.
class ScHandle {
 public:
  explicit ScHandle(SC_HANDLE h = nullptr) : h_(h) {}
  ~ScHandle() {
    if (h_) CloseServiceHandle(h_);
  }
  ScHandle(const ScHandle&) = delete;
  ScHandle& operator=(const ScHandle&) = delete;
  ScHandle(ScHandle&& other) noexcept : h_(other.h_) { other.h_ = nullptr; }
  SC_HANDLE get() const { return h_; }
  explicit operator bool() const { return h_ != nullptr; }

 private:
  SC_HANDLE h_;
};

[[noreturn]] void Throw(const char* operation, const std::string& service) {
  throw VssException(HRESULT_FROM_WIN32(GetLastError()), operation, service);
}

DWORD StateOf(SC_HANDLE service, const std::string& name) {
  SERVICE_STATUS_PROCESS status = {};
  DWORD needed = 0;
  if (!QueryServiceStatusEx(service, SC_STATUS_PROCESS_INFO, reinterpret_cast<BYTE*>(&status), sizeof status, &needed)) Throw("QueryServiceStatusEx", name);
  return status.dwCurrentState;
}

// Polls until the service reaches `wanted`, sleeping a tenth of its wait hint
// (between 100 ms and 1 s), as Microsoft's "Stopping a Service" sample does.
void WaitFor(SC_HANDLE service, const std::string& name, DWORD wanted, uint32_t timeoutMs) {
  const ULONGLONG deadline = GetTickCount64() + timeoutMs;
  for (;;) {
    SERVICE_STATUS_PROCESS status = {};
    DWORD needed = 0;
    if (!QueryServiceStatusEx(service, SC_STATUS_PROCESS_INFO, reinterpret_cast<BYTE*>(&status), sizeof status, &needed)) Throw("QueryServiceStatusEx", name);
    if (status.dwCurrentState == wanted) return;
    // A service that stopped while we waited for it to run failed to start.
    if (wanted == SERVICE_RUNNING && status.dwCurrentState == SERVICE_STOPPED)
      throw VssException(HRESULT_FROM_WIN32(status.dwWin32ExitCode ? status.dwWin32ExitCode : ERROR_SERVICE_NEVER_STARTED), "StartService", name + " stopped while starting");
    if (GetTickCount64() >= deadline) throw VssException(HRESULT_FROM_WIN32(ERROR_SERVICE_REQUEST_TIMEOUT), wanted == SERVICE_RUNNING ? "StartService" : "ControlService", name);
    DWORD pause = status.dwWaitHint / 10;
    Sleep(pause < 100 ? 100 : pause > 1000 ? 1000 : pause);
  }
}

void Stop(SC_HANDLE service, const std::string& name, uint32_t timeoutMs) {
  SERVICE_STATUS status = {};
  if (!ControlService(service, SERVICE_CONTROL_STOP, &status)) {
    if (GetLastError() == ERROR_SERVICE_NOT_ACTIVE) return;
    Throw("ControlService", name);
  }
  WaitFor(service, name, SERVICE_STOPPED, timeoutMs);
}

void Start(SC_HANDLE service, const std::string& name, uint32_t timeoutMs) {
  if (!StartServiceW(service, 0, nullptr) && GetLastError() != ERROR_SERVICE_ALREADY_RUNNING) Throw("StartService", name);
  WaitFor(service, name, SERVICE_RUNNING, timeoutMs);
}

// The active services that depend on `service`, in the order to stop them (dependents of dependents first).
std::vector<std::wstring> ActiveDependents(SC_HANDLE service, const std::string& name) {
  DWORD needed = 0, count = 0;
  if (EnumDependentServicesW(service, SERVICE_ACTIVE, nullptr, 0, &needed, &count)) return {};
  if (GetLastError() != ERROR_MORE_DATA) Throw("EnumDependentServices", name);
  std::vector<BYTE> buffer(needed);
  auto* list = reinterpret_cast<ENUM_SERVICE_STATUSW*>(buffer.data());
  if (!EnumDependentServicesW(service, SERVICE_ACTIVE, list, needed, &needed, &count)) Throw("EnumDependentServices", name);
  std::vector<std::wstring> names;
  for (DWORD i = 0; i < count; ++i) names.emplace_back(list[i].lpServiceName);
  return names;
}

}  // namespace

ServiceRestartResult RestartService(const ServiceRestartRequest& request) {
  const std::string& name = request.service;
  ScHandle manager(OpenSCManagerW(nullptr, nullptr, SC_MANAGER_CONNECT));
  if (!manager) Throw("OpenSCManager", name);
  const std::wstring wide = Wide(name);
  ScHandle service(OpenServiceW(manager.get(), wide.c_str(), SERVICE_STOP | SERVICE_START | SERVICE_QUERY_STATUS | SERVICE_ENUMERATE_DEPENDENTS));
  if (!service) Throw("OpenService", name);
  ServiceRestartResult result;
  result.wasRunning = StateOf(service.get(), name) != SERVICE_STOPPED;
  std::vector<std::wstring> dependents = ActiveDependents(service.get(), name);
  std::vector<ScHandle> opened;
  for (const std::wstring& d : dependents) {
    opened.emplace_back(OpenServiceW(manager.get(), d.c_str(), SERVICE_STOP | SERVICE_START | SERVICE_QUERY_STATUS));
    if (!opened.back()) Throw("OpenService", Utf8(d.c_str()));
    result.dependents.push_back(Utf8(d.c_str()));
  }
  for (size_t i = 0; i < opened.size(); ++i) Stop(opened[i].get(), result.dependents[i], request.timeoutMs);
  Stop(service.get(), name, request.timeoutMs);
  Start(service.get(), name, request.timeoutMs);
  // Started again in reverse: a dependent's own dependents were listed (and stopped) first.
  for (size_t i = opened.size(); i-- > 0;) Start(opened[i].get(), result.dependents[i], request.timeoutMs);
  return result;
}

}  // namespace com
}  // namespace vss
