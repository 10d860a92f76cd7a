#include "volume_names.h"

#ifdef _WIN32
#include <windows.h>

#include <string>
#include <vector>
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

Napi::Value VolumePathNames(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsString()) return env.Null();
#ifdef _WIN32
  std::u16string name = info[0].As<Napi::String>().Utf16Value();
  if (name.empty() || name.back() != u'\\') name.push_back(u'\\');
  // A double-NUL-terminated list; grow once to the length the call asks for.
  std::vector<wchar_t> buffer(MAX_PATH + 1, L'\0');
  DWORD needed = 0;
  const wchar_t* volume = reinterpret_cast<const wchar_t*>(name.c_str());
  if (!GetVolumePathNamesForVolumeNameW(volume, buffer.data(), static_cast<DWORD>(buffer.size()), &needed)) {
    if (GetLastError() != ERROR_MORE_DATA) return env.Null();
    buffer.assign(needed + 1, L'\0');
    if (!GetVolumePathNamesForVolumeNameW(volume, buffer.data(), static_cast<DWORD>(buffer.size()), &needed)) return env.Null();
  }
  Napi::Array out = Napi::Array::New(env);
  uint32_t index = 0;
  for (const wchar_t* p = buffer.data(); *p; p += wcslen(p) + 1)
    out.Set(index++, Napi::String::New(env, reinterpret_cast<const char16_t*>(p)));
  return out;
#else
  return env.Null();
#endif
}

Napi::Value VolumeMountPoints(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsString()) return env.Null();
#ifdef _WIN32
  std::u16string name = info[0].As<Napi::String>().Utf16Value();
  if (name.empty() || name.back() != u'\\') name.push_back(u'\\');
  // Mount folder paths can be longer than MAX_PATH; 32767 is the longest a Win32 path gets.
  std::vector<wchar_t> buffer(32768, L'\0');
  HANDLE find = FindFirstVolumeMountPointW(reinterpret_cast<const wchar_t*>(name.c_str()), buffer.data(), static_cast<DWORD>(buffer.size()));
  Napi::Array out = Napi::Array::New(env);
  if (find == INVALID_HANDLE_VALUE) {
    // No mount point on the volume is an empty answer; anything else (no such volume,
    // access denied) is not known.
    DWORD error = GetLastError();
    return error == ERROR_NO_MORE_FILES ? Napi::Value(out) : env.Null();
  }
  // The handle is closed on every path out (RAII), also when a Set throws.
  struct Closer {
    HANDLE handle;
    ~Closer() { FindVolumeMountPointClose(handle); }
  } closer{find};
  uint32_t index = 0;
  do {
    out.Set(index++, Napi::String::New(env, reinterpret_cast<const char16_t*>(buffer.data())));
  } while (FindNextVolumeMountPointW(find, buffer.data(), static_cast<DWORD>(buffer.size())));
  return out;
#else
  return env.Null();
#endif
}

}  // namespace vssnapi
