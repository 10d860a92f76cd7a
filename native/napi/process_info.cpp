#include "process_info.h"

#include <string>

#ifdef _WIN32
#include <windows.h>
#else
#include <fstream>
#include <sstream>
#endif

namespace vssnapi {

namespace {

#ifdef _WIN32
std::string StartTimeOf(unsigned long pid) {
  HANDLE process = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, static_cast<DWORD>(pid));
  if (!process) return {};
  FILETIME created{}, exited{}, kernel{}, user{};
  const bool ok = GetProcessTimes(process, &created, &exited, &kernel, &user) != 0;
  CloseHandle(process);
  if (!ok) return {};
  const unsigned long long ticks = (static_cast<unsigned long long>(created.dwHighDateTime) << 32) | created.dwLowDateTime;
  return std::to_string(ticks);
}
#else
// The boot time (seconds since the epoch) from /proc/stat's "btime" line.
std::string BootTime() {
  std::ifstream stat("/proc/stat");
  std::string line;
  while (std::getline(stat, line))
    if (line.rfind("btime ", 0) == 0) return line.substr(6);
  return {};
}

std::string StartTimeOf(unsigned long pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  // The command name (field 2) is in parentheses and may hold spaces: count fields after the last ')'.
  const size_t close = text.rfind(')');
  if (close == std::string::npos) return {};
  std::istringstream fields(text.substr(close + 1));
  std::string field;
  // Fields 3..22: state is the 3rd, starttime the 22nd.
  for (int i = 3; i <= 22; ++i)
    if (!(fields >> field)) return {};
  return BootTime() + ":" + field;
}
#endif

}  // namespace

Napi::Value ProcessStartTime(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsNumber()) return env.Null();
  const double pid = info[0].As<Napi::Number>().DoubleValue();
  if (!(pid >= 1 && pid <= 4294967295.0) || pid != static_cast<double>(static_cast<unsigned long long>(pid))) return env.Null();
  const std::string start = StartTimeOf(static_cast<unsigned long>(pid));
  if (start.empty()) return env.Null();
  return Napi::String::New(env, start);
}

}  // namespace vssnapi
