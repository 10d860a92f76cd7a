// vssapi.dll, loaded at run time from the system directory only, so a DLL planted
// beside node.exe or in the current folder is never used in its place, and a
// missing export is a typed error rather than a load failure of the addon.
#pragma once
#include <windows.h>
#include <vss.h>
#include <vsbackup.h>

namespace vss {
namespace com {

class VssApiLibrary {
 public:
  // Loads once per process (thread-safe); throws VssException on failure.
  static const VssApiLibrary& Get();

  HRESULT CreateBackupComponents(IVssBackupComponents** out) const { return create_(out); }
  void FreeSnapshotProperties(VSS_SNAPSHOT_PROP* prop) const { free_(prop); }
  // The free functions, exported as ...Internal; null when this vssapi.dll lacks them
  // (ShouldBlockRevert is documented for Windows Server only).
  using IsVolumeSnapshottedFn = HRESULT(WINAPI*)(VSS_PWSZ, BOOL*, LONG*);
  using ShouldBlockRevertFn = HRESULT(WINAPI*)(LPCWSTR, boolean*);
  IsVolumeSnapshottedFn isVolumeSnapshotted() const { return isVolumeSnapshotted_; }
  ShouldBlockRevertFn shouldBlockRevert() const { return shouldBlockRevert_; }

 private:
  using CreateFn = HRESULT(WINAPI*)(IVssBackupComponents**);
  using FreeFn = void(WINAPI*)(VSS_SNAPSHOT_PROP*);
  VssApiLibrary() = default;

  CreateFn create_ = nullptr;
  FreeFn free_ = nullptr;
  IsVolumeSnapshottedFn isVolumeSnapshotted_ = nullptr;
  ShouldBlockRevertFn shouldBlockRevert_ = nullptr;
};

// Throws VssException when this is a 32-bit process on 64-bit Windows (WOW64),
// which VSS does not support.
void CheckNotWow64();

}  // namespace com
}  // namespace vss
