#include "com_backend.h"

#include <objbase.h>

#include "../core/error.h"
#include "bstr.h"
#include "com_ptr.h"
#include "com_session.h"
#include "diff_areas.h"
#include "event_log.h"
#include "service_control.h"
#include "vssapi_library.h"

namespace vss {

namespace {

class ComBackend : public Backend {
 public:
  std::string Name() const override { return "com"; }

  void ThreadEnter() override {
    com::CheckNotWow64();
    HRESULT init = CoInitializeEx(nullptr, COINIT_MULTITHREADED);
    if (FAILED(init)) throw VssException(static_cast<uint32_t>(init), "CoInitializeEx");
    initialized_ = true;
    // VSS calls back into the requester; it needs at least impersonation-level
    // security. Another part of the process may have set it first (RPC_E_TOO_LATE).
    HRESULT security = CoInitializeSecurity(nullptr, -1, nullptr, nullptr, RPC_C_AUTHN_LEVEL_PKT_PRIVACY, RPC_C_IMP_LEVEL_IDENTIFY, nullptr,
                                            EOAC_DYNAMIC_CLOAKING, nullptr);
    (void)security;
  }

  void ThreadLeave() override {
    if (initialized_) CoUninitialize();
    initialized_ = false;
  }

  std::unique_ptr<Session> CreateSession() override {
    const com::VssApiLibrary& library = com::VssApiLibrary::Get();
    IVssBackupComponents* raw = nullptr;
    HRESULT created = library.CreateBackupComponents(&raw);
    com::ComPtr<IVssBackupComponents> components(raw);
    ThrowIfFailed(static_cast<uint32_t>(created), "CreateVssBackupComponents");
    if (!components) throw VssException(hr::kPointer, "CreateVssBackupComponents", "no interface returned");
    return std::make_unique<com::ComSession>(std::move(components));
  }

  std::vector<DiffArea> QueryDiffAreas() override { return com::QueryDiffAreas(); }

  std::vector<EventRecord> ReadEvents(const EventQuery& query) override { return com::ReadEventLog(query); }

  ServiceRestartResult RestartService(const ServiceRestartRequest& request) override { return com::RestartService(request); }

  std::vector<EventRecord> FollowEvents(const EventQuery& query, uint32_t timeoutMs, AsyncControl& control) override {
    if (!follower_) follower_ = std::make_unique<com::EventFollower>(query);
    return follower_->Next(timeoutMs, control);
  }

  VolumeSnapshotState IsVolumeSnapshotted(const std::string& volume) override {
    auto call = com::VssApiLibrary::Get().isVolumeSnapshotted();
    if (!call) throw VssException(static_cast<uint32_t>(HRESULT_FROM_WIN32(ERROR_PROC_NOT_FOUND)), "IsVolumeSnapshotted", "vssapi.dll lacks IsVolumeSnapshottedInternal");
    std::wstring name = com::Wide(volume);
    BOOL present = FALSE;
    LONG capability = 0;
    ThrowIfFailed(static_cast<uint32_t>(call(name.data(), &present, &capability)), "IsVolumeSnapshotted", volume);
    VolumeSnapshotState state;
    state.snapshotsPresent = present != FALSE;
    state.snapshotCompatibility = capability;
    return state;
  }

  bool ShouldBlockRevert(const std::string& volume) override {
    auto call = com::VssApiLibrary::Get().shouldBlockRevert();
    if (!call) throw VssException(static_cast<uint32_t>(HRESULT_FROM_WIN32(ERROR_PROC_NOT_FOUND)), "ShouldBlockRevert", "vssapi.dll lacks ShouldBlockRevertInternal");
    std::wstring name = com::Wide(volume);
    boolean block = false;
    ThrowIfFailed(static_cast<uint32_t>(call(name.c_str(), &block)), "ShouldBlockRevert", volume);
    return block != 0;
  }

  void ChangeDiffAreaMaximumSize(const std::string& volume, const std::string& diffAreaVolume, int64_t maximumSize) override {
    com::ChangeDiffAreaMaximumSize(volume, diffAreaVolume, maximumSize);
  }

  void AddDiffArea(const std::string& volume, const std::string& diffAreaVolume, int64_t maximumSize) override {
    com::AddDiffArea(volume, diffAreaVolume, maximumSize);
  }

  void ChangeDiffAreaMaximumSizeEx(const std::string& volume, const std::string& diffAreaVolume, int64_t maximumSize, bool isVolatile) override {
    com::ChangeDiffAreaMaximumSizeEx(volume, diffAreaVolume, maximumSize, isVolatile);
  }

  std::vector<DiffVolume> QueryVolumesSupportedForDiffAreas(const std::string& originalVolume) override {
    return com::QueryVolumesSupportedForDiffAreas(originalVolume);
  }

  void SetVolumeProtectLevel(const std::string& volume, int32_t level) override { com::SetVolumeProtectLevel(volume, level); }
  VolumeProtection GetVolumeProtectLevel(const std::string& volume) override { return com::GetVolumeProtectLevel(volume); }
  void ClearVolumeProtectFault(const std::string& volume) override { com::ClearVolumeProtectFault(volume); }
  void DeleteUnusedDiffAreas(const std::string& diffAreaVolume) override { com::DeleteUnusedDiffAreas(diffAreaVolume); }

  std::vector<DiffArea> QueryDiffAreasForVolume(const std::string& volume) override { return com::QueryDiffAreasForVolume(volume); }
  std::vector<DiffArea> QueryDiffAreasOnVolume(const std::string& volume) override { return com::QueryDiffAreasOnVolume(volume); }
  std::vector<DiffArea> QueryDiffAreasForSnapshot(const Guid& snapshotId) override { return com::QueryDiffAreasForSnapshot(snapshotId); }

 private:
  bool initialized_ = false;
  std::unique_ptr<com::EventFollower> follower_;  // FollowEvents' subscriptions, from its first call on
};

}  // namespace

std::unique_ptr<Backend> CreateComBackend() { return std::make_unique<ComBackend>(); }

}  // namespace vss
