#include "volume_names.h"

#ifdef _WIN32
#include <windows.h>

#include <string>
#include <vector>
#endif

namespace vssnapi {

#ifdef _WIN32
namespace {

// Every path (drive letter or mount folder) of a volume, from GetVolumePathNamesForVolumeNameW:
// a double-NUL-terminated list; grown once to the length the call asks for.
bool PathNamesOf(const wchar_t* volume, std::vector<std::wstring>& paths) {
  std::vector<wchar_t> buffer(MAX_PATH + 1, L'\0');
  DWORD needed = 0;
  if (!GetVolumePathNamesForVolumeNameW(volume, buffer.data(), static_cast<DWORD>(buffer.size()), &needed)) {
    if (GetLastError() != ERROR_MORE_DATA) return false;
    buffer.assign(needed + 1, L'\0');
    if (!GetVolumePathNamesForVolumeNameW(volume, buffer.data(), static_cast<DWORD>(buffer.size()), &needed)) return false;
  }
  for (const wchar_t* p = buffer.data(); *p; p += wcslen(p) + 1) paths.emplace_back(p);
  return true;
}

bool StartsWithFolder(const std::wstring& path, const std::wstring& folder) {
  return path.size() > folder.size() && CompareStringOrdinal(path.c_str(), static_cast<int>(folder.size()), folder.c_str(), static_cast<int>(folder.size()), TRUE) == CSTR_EQUAL;
}

struct VolumeFindCloser {
  HANDLE handle;
  ~VolumeFindCloser() { FindVolumeClose(handle); }
};

// The folders directly on `volume` where other volumes are mounted, relative to its root, as
// FindFirstVolumeMountPointW lists them, derived from all volumes' path names
// (FindFirstVolumeW + GetVolumePathNamesForVolumeNameW, the other enumeration Microsoft's
// "Enumerating Volume GUID Paths" and "Mounted Folders" pages describe). A path belongs to the
// volume whose path is its deepest proper prefix, so a folder under a nested mount is left to
// the nested volume, as the direct call does.
bool MountPointsFromVolumePaths(const wchar_t* volume, std::vector<std::wstring>& folders) {
  // A GUID path is taken as it is: Wine's GetVolumeNameForVolumeMountPointW refuses one
  // (ERROR_NOT_A_REPARSE_POINT, measured), and the comparison below ignores case.
  wchar_t ownGuid[MAX_PATH] = {};
  if (CompareStringOrdinal(volume, 11, L"\\\\?\\Volume{", 11, TRUE) == CSTR_EQUAL && wcslen(volume) < MAX_PATH) {
    wcscpy(ownGuid, volume);
  } else if (!GetVolumeNameForVolumeMountPointW(volume, ownGuid, MAX_PATH)) {
    return false;
  }
  struct VolumePath {
    std::wstring path;
    bool own;
  };
  std::vector<VolumePath> all;
  wchar_t guid[MAX_PATH] = {};
  HANDLE find = FindFirstVolumeW(guid, MAX_PATH);
  if (find == INVALID_HANDLE_VALUE) return false;
  VolumeFindCloser closer{find};
  do {
    std::vector<std::wstring> paths;
    if (!PathNamesOf(guid, paths)) continue;  // a volume that vanished meanwhile names nothing
    bool own = CompareStringOrdinal(guid, -1, ownGuid, -1, TRUE) == CSTR_EQUAL;
    for (std::wstring& path : paths) all.push_back({std::move(path), own});
  } while (FindNextVolumeW(find, guid, MAX_PATH));
  if (GetLastError() != ERROR_NO_MORE_FILES) return false;
  for (const VolumePath& candidate : all) {
    if (candidate.own) continue;
    const VolumePath* parent = nullptr;
    for (const VolumePath& other : all)
      if (StartsWithFolder(candidate.path, other.path) && (!parent || other.path.size() > parent->path.size())) parent = &other;
    if (!parent || !parent->own) continue;
    std::wstring relative = candidate.path.substr(parent->path.size());
    bool seen = false;
    for (const std::wstring& folder : folders) seen = seen || CompareStringOrdinal(folder.c_str(), -1, relative.c_str(), -1, TRUE) == CSTR_EQUAL;
    if (!seen) folders.push_back(std::move(relative));
  }
  return true;
}

}  // namespace
#endif

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
  std::vector<std::wstring> paths;
  if (!PathNamesOf(reinterpret_cast<const wchar_t*>(name.c_str()), paths)) return env.Null();
  Napi::Array out = Napi::Array::New(env);
  uint32_t index = 0;
  for (const std::wstring& path : paths) out.Set(index++, Napi::String::New(env, reinterpret_cast<const char16_t*>(path.c_str())));
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
    if (error == ERROR_NO_MORE_FILES) return out;
    // A system that does not implement the call (Wine 8.0 answers ERROR_CALL_NOT_IMPLEMENTED,
    // measured) still names every volume's paths: derive the same answer from those.
    if (error != ERROR_CALL_NOT_IMPLEMENTED) return env.Null();
    std::vector<std::wstring> folders;
    if (!MountPointsFromVolumePaths(reinterpret_cast<const wchar_t*>(name.c_str()), folders)) return env.Null();
    uint32_t index = 0;
    for (const std::wstring& folder : folders)
      out.Set(index++, Napi::String::New(env, reinterpret_cast<const char16_t*>(folder.c_str())));
    return out;
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
