// The simulated backend: sessions over a shared simulated machine.
#include <algorithm>
#include <chrono>
#include <thread>
#include "../core/error.h"
#include "machine.h"
#include "service_restart.h"
#include "session.h"
#include "shadow_storage.h"
#include "simulator.h"

namespace vss {
namespace sim {

namespace {

class SimBackend : public Backend {
 public:
  explicit SimBackend(std::shared_ptr<Machine> machine) : machine_(std::move(machine)) {}

  std::string Name() const override { return "simulated"; }

  std::unique_ptr<Session> CreateSession() override { return std::make_unique<SimSession>(machine_); }

  // Every association, as QueryDiffAreasForVolume gives them volume by volume.
  std::vector<DiffArea> QueryDiffAreas() override {
    MachineLock lock(*machine_);
    std::vector<DiffArea> areas;
    for (const SimVolume& v : machine_->volumes)
      if (HasDiffArea(v)) areas.push_back(AreaOf(v));
    return areas;
  }

  // The four queries' pages (vsmgmt.h, IVssDifferentialSoftwareSnapshotMgmt::Query*) list no
  // VSS_E_OBJECT_NOT_FOUND: a volume or shadow copy the machine does not have is E_INVALIDARG.
  std::vector<DiffArea> QueryDiffAreasForVolume(const std::string& volume) override {
    MachineLock lock(*machine_);
    const SimVolume& v = VolumeNamed(volume, "QueryDiffAreasForVolume", hr::kInvalidArg);
    if (!HasDiffArea(v)) return {};
    return {AreaOf(v)};
  }

  // "Queries shadow copy storage areas that physically reside on the given volume."
  std::vector<DiffArea> QueryDiffAreasOnVolume(const std::string& volume) override {
    MachineLock lock(*machine_);
    const SimVolume& storage = VolumeNamed(volume, "QueryDiffAreasOnVolume", hr::kInvalidArg);
    std::vector<DiffArea> areas;
    for (const SimVolume& v : machine_->volumes)
      if (HasDiffArea(v) && &StorageOf(v) == &storage) areas.push_back(AreaOf(v));
    return areas;
  }

  // "Queries shadow copy storage areas in use by the original volume associated with the input shadow copy."
  std::vector<DiffArea> QueryDiffAreasForSnapshot(const Guid& snapshotId) override {
    MachineLock lock(*machine_);
    for (const SimShadow& s : machine_->shadows) {
      if (s.properties.snapshotId != snapshotId) continue;
      const SimVolume* v = machine_->FindVolume(s.volumeName);
      if (!v || !HasDiffArea(*v)) return {};
      return {AreaOf(*v)};
    }
    throw VssException(hr::kInvalidArg, "QueryDiffAreasForSnapshot", "no shadow copy " + snapshotId.ToString());
  }

  // QueryVolumesSupportedForDiffAreas: the volumes the system provider can keep `originalVolume`'s
  // shadow storage on, with their size and free space (VSS_DIFF_VOLUME_PROP). The system provider
  // keeps shadow storage on volumes it can shadow (NTFS); the free space is what the scenario gives
  // less what the diff areas on the volume have allocated.
  std::vector<DiffVolume> QueryVolumesSupportedForDiffAreas(const std::string& originalVolume) override {
    const char* op = "QueryVolumesSupportedForDiffAreas";
    MachineLock lock(*machine_);
    const SimVolume& original = VolumeNamed(originalVolume, op, hr::kInvalidArg);
    if (original.Unsupported()) throw VssException(hr::kInvalidArg, op, originalVolume + " is not a volume the system provider shadows");
    std::vector<DiffVolume> volumes;
    for (const SimVolume& v : machine_->volumes) {
      if (v.Unsupported()) continue;
      DiffVolume d;
      d.volumeName = v.guidName;
      d.displayName = v.name;
      d.totalSpace = v.totalSpace;
      d.freeSpace = FreeSpaceOf(*machine_, v);
      volumes.push_back(d);
    }
    return volumes;
  }

  void ChangeDiffAreaMaximumSize(const std::string& volume, const std::string& diffAreaVolume, int64_t maximumSize) override {
    ChangeMaximum("ChangeDiffAreaMaximumSize", volume, diffAreaVolume, maximumSize, false);
  }

  // IVssDifferentialSoftwareSnapshotMgmt2::ChangeDiffAreaMaximumSizeEx: "If the bVolatile parameter
  // is FALSE, the change continues even if the computer is rebooted"; with TRUE a restart brings back
  // the maximum set last without it. "If the value of llMaximumDiffSpace is zero, bVolatile must be FALSE."
  void ChangeDiffAreaMaximumSizeEx(const std::string& volume, const std::string& diffAreaVolume, int64_t maximumSize, bool isVolatile) override {
    const char* op = "ChangeDiffAreaMaximumSizeEx";
    if (isVolatile && maximumSize == 0) throw VssException(hr::kInvalidArg, op, "a maximum of 0 deletes the association, which cannot be volatile");
    ChangeMaximum(op, volume, diffAreaVolume, maximumSize, isVolatile);
  }

  // AddDiffArea (IVssDifferentialSoftwareSnapshotMgmt): `volume`'s shadow copies keep their
  // differences on `diffAreaVolume`, up to maximumSize bytes (at least 320 MB, or -1: no limit).
  // The page's errors: an association that exists is VSS_E_OBJECT_ALREADY_EXISTS; the system
  // provider keeps one per source volume, so one elsewhere is VSS_E_MAXIMUM_DIFFAREA_ASSOCIATIONS_REACHED.
  void AddDiffArea(const std::string& volume, const std::string& diffAreaVolume, int64_t maximumSize) override {
    const char* op = "AddDiffArea";
    if (maximumSize != -1 && maximumSize < kMinimumDiffArea) throw VssException(hr::kInvalidArg, op, "the maximum is at least 320 MB, or -1 for no limit");
    MachineLock lock(*machine_);
    SimVolume& v = VolumeNamed(volume, op, hr::kInvalidArg);
    SimVolume& storage = VolumeNamed(diffAreaVolume, op, hr::kInvalidArg);
    if (HasDiffArea(v)) {
      if (&StorageOf(v) == &storage) throw VssException(hr::kVssObjectAlreadyExists, op, volume + " already keeps its shadow storage on " + diffAreaVolume);
      throw VssException(hr::kVssMaximumDiffAreaAssociationsReached, op, volume + " already keeps its shadow storage on " + StorageOf(v).name);
    }
    Associate(v, storage);
    v.diffAreaMaximum = maximumSize;
  }

  // IVssDifferentialSoftwareSnapshotMgmt3 (vsmgmt.h). The Clear/DeleteUnused pages list
  // VSS_E_OBJECT_NOT_FOUND for a volume that is not there; Set/Get are taken to answer the same.
  void SetVolumeProtectLevel(const std::string& volume, int32_t level) override {
    const char* op = "SetVolumeProtectLevel";
    if (level != 0 && level != 1) throw VssException(hr::kInvalidArg, op, "VSS_PROTECTION_LEVEL is 0 (original volume) or 1 (snapshot)");
    MachineLock lock(*machine_);
    VolumeNamed(volume, op, hr::kVssObjectNotFound).protectionLevel = level;
  }

  VolumeProtection GetVolumeProtectLevel(const std::string& volume) override {
    MachineLock lock(*machine_);
    const SimVolume& v = VolumeNamed(volume, "GetVolumeProtectLevel", hr::kVssObjectNotFound);
    VolumeProtection p;
    p.level = v.protectionLevel;
    p.offline = v.offlineForProtection;
    p.fault = v.protectionFault;
    p.failureStatus = v.protectionFailureStatus;
    for (const SimVolume& source : machine_->volumes) p.hasUnusedDiffArea = p.hasUnusedDiffArea || HoldsUnusedDiffArea(v, source);
    return p;
  }

  // "Dismounts the volume and resets the volume's protection fault member to FALSE to allow normal
  // I/O to continue on the volume. If the volume is not in a faulted state, this method does nothing."
  void ClearVolumeProtectFault(const std::string& volume) override {
    MachineLock lock(*machine_);
    SimVolume& v = VolumeNamed(volume, "ClearVolumeProtectFault", hr::kVssObjectNotFound);
    v.offlineForProtection = false;
    v.protectionFault = 0;
    v.protectionFailureStatus = 0;
  }

  // Its remarks: unused shadow storage files are on a storage volume "when the associated original
  // volume is offline due to a protection fault"; deleting them frees the space, and the shadow
  // copies that lived in them are gone.
  void DeleteUnusedDiffAreas(const std::string& diffAreaVolume) override {
    MachineLock lock(*machine_);
    const SimVolume& storage = VolumeNamed(diffAreaVolume, "DeleteUnusedDiffAreas", hr::kVssObjectNotFound);
    std::vector<std::string> lost;
    for (const SimVolume& source : machine_->volumes)
      if (HoldsUnusedDiffArea(storage, source)) lost.push_back(source.name);
    std::vector<SimShadow> kept;
    for (SimShadow& s : machine_->shadows) {
      if (std::find(lost.begin(), lost.end(), s.volumeName) == lost.end()) {
        kept.push_back(std::move(s));
      } else if (!s.contentPath.empty()) {
        Machine::RemoveContent(s.contentPath);
      }
    }
    machine_->shadows = std::move(kept);
  }

  // IsVolumeSnapshotted (vsbackup.h): the name is a drive, mount folder or volume GUID path
  // with its trailing backslash; shadow copies of every context count.
  VolumeSnapshotState IsVolumeSnapshotted(const std::string& volume) override {
    MachineLock lock(*machine_);
    const SimVolume& v = VolumeNamed(volume, "IsVolumeSnapshotted", hr::kVssObjectNotFound);
    VolumeSnapshotState state;
    for (const SimShadow& s : machine_->shadows) state.snapshotsPresent = state.snapshotsPresent || s.volumeName == v.name;
    // The operations shadow copies disable stay enabled while there are none.
    if (state.snapshotsPresent) state.snapshotCompatibility = v.snapshotCompatibility;
    return state;
  }

  // ShouldBlockRevert (vsbackup.h): true when a writer listed under WritersBlockingRevert has
  // data on the volume. Its page documents no VSS_E_OBJECT_NOT_FOUND: a volume the machine
  // does not have is a parameter that is not valid.
  bool ShouldBlockRevert(const std::string& volume) override {
    MachineLock lock(*machine_);
    const SimVolume& v = VolumeNamed(volume, "ShouldBlockRevert", hr::kInvalidArg);
    for (const SimWriter& w : machine_->writers) {
      if (!w.blocksRevert) continue;
      for (const std::string& name : w.volumes)
        if (machine_->FindVolume(name) == &v) return true;
    }
    return false;
  }

  std::vector<EventRecord> ReadEvents(const EventQuery& query) override {
    MachineLock lock(*machine_);
    return machine_->ReadEvents(query);
  }

  std::vector<EventRecord> FollowEvents(const EventQuery& query, uint32_t timeoutMs, AsyncControl& control) override {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    if (!following_) {
      following_ = true;
      followQuery_ = query;
      followQuery_.since = followQuery_.until = 0;
      followQuery_.max = 0;
      MachineLock lock(*machine_);
      for (const EventRecord& e : machine_->Events()) followedUpTo_ = std::max(followedUpTo_, e.recordId);
    }
    for (;;) {
      std::vector<EventRecord> fresh;
      {
        MachineLock lock(*machine_);
        for (EventRecord& e : machine_->ReadEvents(followQuery_))
          if (e.recordId > followedUpTo_) fresh.push_back(std::move(e));
        // Past every record logged so far, matching or not.
        for (const EventRecord& e : machine_->Events()) followedUpTo_ = std::max(followedUpTo_, e.recordId);
      }
      if (!fresh.empty() || control.CancelRequested() || std::chrono::steady_clock::now() >= deadline) return fresh;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }

  ServiceRestartResult RestartService(const ServiceRestartRequest& request) override {
    MachineLock lock(*machine_);
    return sim::RestartService(*machine_, request);
  }

 private:
  // The volume a free function names (the caller holds the MachineLock); both pages
  // require the trailing backslash.
  SimVolume& VolumeNamed(const std::string& volume, const char* op, uint32_t unknown) {
    if (volume.empty() || volume.back() != '\\')
      throw VssException(hr::kInvalidArg, op, "a volume name ends with a backslash (C:\\, a mount folder or \\\\?\\Volume{GUID}\\)");
    SimVolume* v = machine_->FindVolume(volume);
    if (!v) throw VssException(unknown, op, "no volume " + volume);
    return *v;
  }

  // The accounting is shadow_storage.h's, shared with shadow copy creation.
  int ShadowsOf(const SimVolume& v) const { return sim::ShadowsOf(*machine_, v); }
  bool HasDiffArea(const SimVolume& v) const { return sim::HasDiffArea(*machine_, v); }
  DiffArea AreaOf(const SimVolume& v) { return sim::AreaOf(*machine_, v); }
  const SimVolume& StorageOf(const SimVolume& v) const { return sim::StorageOf(*machine_, v); }

  // Whether `storage` holds shadow storage files of `source` while `source` is offline for protection.
  bool HoldsUnusedDiffArea(const SimVolume& storage, const SimVolume& source) const {
    return source.offlineForProtection && ShadowsOf(source) > 0 && &StorageOf(source) == &storage;
  }

  void Associate(SimVolume& v, const SimVolume& storage) {
    v.diffAreaOn = &storage == &v ? std::string() : storage.name;
    v.diffAreaAdded = true;
  }

  // ChangeDiffAreaMaximumSize(Ex): the association is named by its storage volume. Since Windows 7
  // the page's remarks say the call creates the association when the volume has none; 0 deletes an
  // association no shadow copy uses (VSS_E_VOLUME_IN_USE otherwise).
  void ChangeMaximum(const char* op, const std::string& volume, const std::string& diffAreaVolume, int64_t maximumSize, bool isVolatile) {
    if (maximumSize < -1) throw VssException(hr::kInvalidArg, op, "a maximum in bytes, -1 (no limit) or 0 (remove)");
    MachineLock lock(*machine_);
    SimVolume& v = VolumeNamed(volume, op, hr::kVssObjectNotFound);
    SimVolume* storage = machine_->FindVolume(diffAreaVolume);
    const bool exists = HasDiffArea(v);
    if (!storage || (exists && storage != &StorageOf(v)) || (!exists && maximumSize == 0))
      throw VssException(hr::kVssObjectNotFound, op, "no shadow storage association of " + volume + " on " + diffAreaVolume);
    if (maximumSize == 0) {
      if (ShadowsOf(v) > 0) throw VssException(hr::kVssVolumeInUse, op, volume + " has shadow copies in this storage");
      v.diffAreaMaximum = -1;
      v.diffAreaOn.clear();
      v.diffAreaAdded = false;
      v.diffAreaBootMaximum.reset();
      return;
    }
    if (maximumSize > 0 && maximumSize < kMinimumDiffArea) throw VssException(hr::kVssInsufficientStorage, op, "shadow storage needs at least 320 MB");
    if (isVolatile) {
      // The first volatile change keeps what a restart brings back: the maximum until now, or
      // 0 (no association) when this call creates it.
      if (!v.diffAreaBootMaximum) v.diffAreaBootMaximum = exists ? v.diffAreaMaximum : 0;
    } else {
      v.diffAreaBootMaximum.reset();
    }
    if (!exists) Associate(v, *storage);
    v.diffAreaMaximum = maximumSize;
  }

  // The volume holding `v`'s shadow storage (the caller holds the MachineLock).
  std::shared_ptr<Machine> machine_;
  // FollowEvents: the query followed, and the newest record id already looked at.
  bool following_ = false;
  EventQuery followQuery_;
  uint64_t followedUpTo_ = 0;
};

}  // namespace

std::unique_ptr<Backend> CreateBackend(std::shared_ptr<Machine> machine) {
  if (!machine) throw VssException(hr::kPointer, "CreateBackend", "no machine");
  return std::make_unique<SimBackend>(std::move(machine));
}

}  // namespace sim
}  // namespace vss
