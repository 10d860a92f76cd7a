#include "service_control.h"

#include <windows.h>

#include <string>
#include <vector>

#include "../core/error.h"
#include "../core/service_dependents.h"
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

}  // namespace

std::vector<std::string> LocalizedDisplayNames(const std::vector<std::string>& services) {
  std::vector<std::string> names;
  ScHandle manager(OpenSCManagerW(nullptr, nullptr, SC_MANAGER_CONNECT));
  if (!manager) return names;
  for (const std::string& service : services) {
    const std::wstring key = Wide(service);
    DWORD chars = 0;
    GetServiceDisplayNameW(manager.get(), key.c_str(), nullptr, &chars);
    if (GetLastError() != ERROR_INSUFFICIENT_BUFFER || chars == 0) continue;
    std::wstring name(chars + 1, L'\0');
    chars = static_cast<DWORD>(name.size());
    if (!GetServiceDisplayNameW(manager.get(), key.c_str(), &name[0], &chars)) continue;
    names.push_back(Utf8(name.c_str()));
  }
  return names;
}

namespace {

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

// A REG_MULTI_SZ or MULTI_SZ list ("a\0b\0\0"), stopping at the first empty string or
// at the end of `chars` (a value stored without its final terminators). Each entry is
// appended with `prefix` (DependOnGroup's group names get "+", as lpDependencies has them).
void AppendMultiSz(const wchar_t* list, size_t chars, std::vector<std::string>& out, const char* prefix = "") {
  for (size_t at = 0; list && at < chars && list[at];) {
    size_t length = 0;
    while (at + length < chars && list[at + length]) ++length;
    out.push_back(prefix + Utf8(std::wstring(list + at, length).c_str()));
    at += length + 1;
  }
}

// A value of the service's key under HKLM\SYSTEM\CurrentControlSet\Services, read whole
// (wide characters, with room for terminators the value may lack); empty if absent.
std::vector<wchar_t> ServiceValue(const wchar_t* service, const wchar_t* value, DWORD flags) {
  const std::wstring key = std::wstring(L"SYSTEM\\CurrentControlSet\\Services\\") + service;
  DWORD type = 0, bytes = 0;
  if (RegGetValueW(HKEY_LOCAL_MACHINE, key.c_str(), value, flags, &type, nullptr, &bytes) != ERROR_SUCCESS || bytes == 0) return {};
  std::vector<wchar_t> data(bytes / sizeof(wchar_t) + 2, L'\0');
  if (RegGetValueW(HKEY_LOCAL_MACHINE, key.c_str(), value, flags, &type, data.data(), &bytes) != ERROR_SUCCESS) return {};
  data.resize(bytes / sizeof(wchar_t) + 2, L'\0');
  return data;
}

// The service's dependencies and load-ordering group from the SCM (QueryServiceConfigW's
// lpDependencies, "+Group" for a group; lpLoadOrderGroup) and from the values of its key
// under HKLM\SYSTEM\CurrentControlSet\Services where the SCM keeps them (CreateService
// remarks: DependOnService, DependOnGroup, Group). On Windows the two agree. Wine 8's
// QueryServiceConfigW leaves lpDependencies empty even for a service created with
// dependencies (measured with CreateServiceW), so the values are read as well; a service
// we may not query still has its values read.
void ConfigurationOf(SC_HANDLE manager, const wchar_t* name, ServiceDependency& into) {
  ScHandle service(OpenServiceW(manager, name, SERVICE_QUERY_CONFIG));
  DWORD needed = 0;
  if (service && !QueryServiceConfigW(service.get(), nullptr, 0, &needed) && GetLastError() == ERROR_INSUFFICIENT_BUFFER) {
    std::vector<BYTE> buffer(needed);
    auto* config = reinterpret_cast<QUERY_SERVICE_CONFIGW*>(buffer.data());
    if (QueryServiceConfigW(service.get(), config, needed, &needed)) {
      if (config->lpDependencies) {
        // The list lies inside the buffer: bound the walk by the buffer's end.
        const size_t chars = (buffer.data() + buffer.size() - reinterpret_cast<BYTE*>(config->lpDependencies)) / sizeof(wchar_t);
        AppendMultiSz(config->lpDependencies, chars, into.dependsOn);
      }
      if (config->lpLoadOrderGroup && config->lpLoadOrderGroup[0]) into.group = Utf8(config->lpLoadOrderGroup);
    }
  }
  const std::vector<wchar_t> onService = ServiceValue(name, L"DependOnService", RRF_RT_REG_MULTI_SZ);
  AppendMultiSz(onService.data(), onService.size(), into.dependsOn);
  const std::vector<wchar_t> onGroup = ServiceValue(name, L"DependOnGroup", RRF_RT_REG_MULTI_SZ);
  AppendMultiSz(onGroup.data(), onGroup.size(), into.dependsOn, "+");
  if (into.group.empty()) {
    const std::vector<wchar_t> group = ServiceValue(name, L"Group", RRF_RT_REG_SZ);
    if (!group.empty() && group[0]) into.group = Utf8(group.data());
  }
}

// The active services that depend on `service`, in the order to stop them (dependents of
// dependents first), from the configuration of every Win32 service (EnumServicesStatusExW),
// group dependencies included (service_dependents.h). Not EnumDependentServicesW: Wine 8's
// is a stub that answers "no dependents" (TRUE, count 0, measured), which cannot be told
// from a service nothing depends on; and its documentation (and MS-SCMR's
// REnumDependentServicesW) says it lists the services that depend on the service, with
// the start order's "group order taken into account", not that it lists the services
// that depend on a group the service belongs to, so those would have to be found here
// anyway.
std::vector<std::string> ActiveDependents(SC_HANDLE manager, const std::string& name) {
  DWORD needed = 0, count = 0, resume = 0;
  std::vector<BYTE> buffer;
  std::vector<ServiceDependency> services;
  for (;;) {
    const BOOL done = EnumServicesStatusExW(manager, SC_ENUM_PROCESS_INFO, SERVICE_WIN32, SERVICE_STATE_ALL, buffer.empty() ? nullptr : buffer.data(),
                                            static_cast<DWORD>(buffer.size()), &needed, &count, &resume, nullptr);
    if (!done && GetLastError() != ERROR_MORE_DATA) Throw("EnumServicesStatusEx", name);
    const auto* list = reinterpret_cast<const ENUM_SERVICE_STATUS_PROCESSW*>(buffer.data());
    for (DWORD i = 0; i < count; ++i) {
      ServiceDependency s;
      s.name = Utf8(list[i].lpServiceName);
      s.active = list[i].ServiceStatusProcess.dwCurrentState != SERVICE_STOPPED;
      ConfigurationOf(manager, list[i].lpServiceName, s);
      services.push_back(std::move(s));
    }
    if (done) break;
    // The next call returns from `resume` on: room for what is left.
    buffer.assign(needed, 0);
  }
  return ActiveDependentsInStopOrder(name, services);
}

}  // namespace

ServiceRestartResult RestartService(const ServiceRestartRequest& request) {
  const std::string& name = request.service;
  ScHandle manager(OpenSCManagerW(nullptr, nullptr, SC_MANAGER_CONNECT | SC_MANAGER_ENUMERATE_SERVICE));
  if (!manager) Throw("OpenSCManager", name);
  const std::wstring wide = Wide(name);
  ScHandle service(OpenServiceW(manager.get(), wide.c_str(), SERVICE_STOP | SERVICE_START | SERVICE_QUERY_STATUS));
  if (!service) Throw("OpenService", name);
  ServiceRestartResult result;
  result.wasRunning = StateOf(service.get(), name) != SERVICE_STOPPED;
  std::vector<ScHandle> opened;
  for (const std::string& d : ActiveDependents(manager.get(), name)) {
    opened.emplace_back(OpenServiceW(manager.get(), Wide(d).c_str(), SERVICE_STOP | SERVICE_START | SERVICE_QUERY_STATUS));
    if (!opened.back()) Throw("OpenService", d);
    result.dependents.push_back(d);
  }
  size_t stopped = 0;
  try {
    for (; stopped < opened.size(); ++stopped) Stop(opened[stopped].get(), result.dependents[stopped], request.timeoutMs);
    Stop(service.get(), name, request.timeoutMs);
    Start(service.get(), name, request.timeoutMs);
    // Started again in reverse: a dependent's own dependents were listed (and stopped) first.
    for (size_t i = opened.size(); i-- > 0;) Start(opened[i].get(), result.dependents[i], request.timeoutMs);
  } catch (const VssException&) {
    // A step failed: what this restart stopped is asked to start again (not waited for, its
    // errors ignored; the SCM starts a service's dependencies first), so a failed restart
    // does not leave the machine with fewer services running. The first failure is reported.
    if (result.wasRunning) StartServiceW(service.get(), 0, nullptr);
    for (size_t i = stopped; i-- > 0;) StartServiceW(opened[i].get(), 0, nullptr);
    throw;
  }
  return result;
}

}  // namespace com
}  // namespace vss
