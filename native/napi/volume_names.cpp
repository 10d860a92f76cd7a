#include "volume_names.h"

#ifdef _WIN32
#include <windows.h>

#include <string>
#endif

namespace vssnapi {

Napi::Value VolumeGuidPath(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsString()) return env.Null();
#ifdef _WIN32
  std::u16string name = info[0].As<Napi::String>().Utf16Value();
  if (name.empty() || name.back() != u'\\') name.push_back(u'\\');  // the call wants the trailing backslash
  wchar_t guidPath[MAX_PATH] = {};
  if (!GetVolumeNameForVolumeMountPointW(reinterpret_cast<const wchar_t*>(name.c_str()), guidPath, MAX_PATH)) return env.Null();
  return Napi::String::New(env, reinterpret_cast<const char16_t*>(guidPath));
#else
  return env.Null();
#endif
}

}  // namespace vssnapi
