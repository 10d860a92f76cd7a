#include "vssapi_library.h"

#include <mutex>
#include <string>

#include "../core/error.h"

namespace vss {
namespace com {

namespace {
std::once_flag loadOnce;
VssApiLibrary* loaded = nullptr;
uint32_t loadError = 0;
std::string loadDetail;
}  // namespace

const VssApiLibrary& VssApiLibrary::Get() {
  std::call_once(loadOnce, [] {
    HMODULE module = LoadLibraryExW(L"vssapi.dll", nullptr, LOAD_LIBRARY_SEARCH_SYSTEM32);
    if (!module) {
      loadError = HRESULT_FROM_WIN32(GetLastError());
      loadDetail = "vssapi.dll could not be loaded from the system directory";
      return;
    }
    auto* library = new VssApiLibrary();  // lives for the process, like the DLL
    library->create_ = reinterpret_cast<CreateFn>(reinterpret_cast<void*>(GetProcAddress(module, "CreateVssBackupComponentsInternal")));
    library->free_ = reinterpret_cast<FreeFn>(reinterpret_cast<void*>(GetProcAddress(module, "VssFreeSnapshotPropertiesInternal")));
    library->isVolumeSnapshotted_ =
        reinterpret_cast<IsVolumeSnapshottedFn>(reinterpret_cast<void*>(GetProcAddress(module, "IsVolumeSnapshottedInternal")));
    library->shouldBlockRevert_ =
        reinterpret_cast<ShouldBlockRevertFn>(reinterpret_cast<void*>(GetProcAddress(module, "ShouldBlockRevertInternal")));
    if (!library->create_ || !library->free_) {
      loadError = HRESULT_FROM_WIN32(ERROR_PROC_NOT_FOUND);
      loadDetail = std::string("vssapi.dll lacks ") + (!library->create_ ? "CreateVssBackupComponentsInternal" : "VssFreeSnapshotPropertiesInternal");
      delete library;
      return;
    }
    loaded = library;
  });
  if (!loaded) throw VssException(loadError, "LoadLibrary(vssapi.dll)", loadDetail);
  return *loaded;
}

void CheckNotWow64() {
  using IsWow64Process2Fn = BOOL(WINAPI*)(HANDLE, USHORT*, USHORT*);
  HMODULE kernel = GetModuleHandleW(L"kernel32.dll");
  auto isWow64Process2 = kernel ? reinterpret_cast<IsWow64Process2Fn>(reinterpret_cast<void*>(GetProcAddress(kernel, "IsWow64Process2"))) : nullptr;
  bool wow64 = false;
  if (isWow64Process2) {
    USHORT processMachine = 0, nativeMachine = 0;
    wow64 = isWow64Process2(GetCurrentProcess(), &processMachine, &nativeMachine) && processMachine != IMAGE_FILE_MACHINE_UNKNOWN;
  } else {
    BOOL flag = FALSE;
    wow64 = IsWow64Process(GetCurrentProcess(), &flag) && flag;
  }
  if (wow64)
    throw UnsupportedPlatformException(
        "VSS does not support a 32-bit process on 64-bit Windows (WOW64): run a 64-bit node.exe. No VSS call was made.");
}

}  // namespace com
}  // namespace vss
