// The simulated backend: sessions over a shared simulated machine.
#include <algorithm>
#include <chrono>
#include <thread>
#include "../core/error.h"
#include "machine.h"
#include "service_restart.h"
#include "session.h"
#include "simulator.h"

namespace vss {
namespace sim {

namespace {

class SimBackend : public Backend {
 public:
  explicit SimBackend(std::shared_ptr<Machine> machine) : machine_(std::move(machine)) {}

  std::string Name() const override { return "simulated"; }

  std::unique_ptr<Session> CreateSession() override { return std::make_unique<SimSession>(machine_); }

  std::vector<DiffArea> QueryDiffAreas() override {
    MachineLock lock(*machine_);
    std::vector<DiffArea> areas;
    for (const SimVolume& v : machine_->volumes) {
      int shadows = 0;
      for (const SimShadow& s : machine_->shadows) shadows += s.volumeName == v.name ? 1 : 0;
      // Like vssadmin, list an association only where there is one: shadows or a set maximum.
      if (shadows == 0 && v.diffAreaMaximum < 0 && !v.diffAreaAdded) continue;
      DiffArea area;
      area.volumeName = v.guidName;
      area.diffAreaVolumeName = StorageOf(v).guidName;
      area.maximumDiffSpace = v.diffAreaMaximum;
      area.usedDiffSpace = shadows * v.diffAreaUsedPerShadow;
      area.allocatedDiffSpace = area.usedDiffSpace + (shadows ? 64LL * 1024 * 1024 : 0);
      // The diff area grows in steps but never past its maximum (vssadmin list shadowstorage).
      if (area.maximumDiffSpace >= 0 && area.allocatedDiffSpace > area.maximumDiffSpace)
        area.allocatedDiffSpace = std::max(area.usedDiffSpace, area.maximumDiffSpace);
      areas.push_back(area);
    }
    return areas;
  }

  void ChangeDiffAreaMaximumSize(const std::string& volume, const std::string& diffAreaVolume, int64_t maximumSize) override {
    const char* op = "ChangeDiffAreaMaximumSize";
    // VSS refuses a maximum under 320 MB (VSS_E_INSUFFICIENT_STORAGE).
    constexpr int64_t kMinimum = 320LL * 1024 * 1024;
    if (maximumSize < -1) throw VssException(hr::kInvalidArg, op, "a maximum in bytes, -1 (no limit) or 0 (remove)");
    MachineLock lock(*machine_);
    SimVolume* v = machine_->FindVolume(volume);
    if (!v) throw VssException(hr::kVssObjectNotFound, op, "no volume " + volume);
    SimVolume* storage = machine_->FindVolume(diffAreaVolume);
    if (!storage || storage != &StorageOf(*v)) throw VssException(hr::kVssObjectNotFound, op, "no shadow storage association of " + volume + " on " + diffAreaVolume);
    int shadows = 0;
    for (const SimShadow& s : machine_->shadows) shadows += s.volumeName == v->name ? 1 : 0;
    if (maximumSize == 0) {
      // 0 removes the association, which only an unused one allows.
      if (shadows > 0) throw VssException(hr::kVssVolumeInUse, op, volume + " has shadow copies in this storage");
      v->diffAreaMaximum = -1;
      v->diffAreaOn.clear();
      v->diffAreaAdded = false;
      return;
    }
    if (maximumSize > 0 && maximumSize < kMinimum)
      throw VssException(hr::kVssInsufficientStorage, op, "shadow storage needs at least 320 MB");
    v->diffAreaMaximum = maximumSize;
  }

  // AddDiffArea (IVssDifferentialSoftwareSnapshotMgmt): `volume`'s shadow copies keep their
  // differences on `diffAreaVolume`, up to maximumSize bytes (at least 320 MB, or -1: no limit).
  // The page's errors: an association that exists is VSS_E_OBJECT_ALREADY_EXISTS; the system
  // provider keeps one per source volume, so one elsewhere is VSS_E_MAXIMUM_DIFFAREA_ASSOCIATIONS_REACHED.
  void AddDiffArea(const std::string& volume, const std::string& diffAreaVolume, int64_t maximumSize) override {
    const char* op = "AddDiffArea";
    constexpr int64_t kMinimum = 320LL * 1024 * 1024;
    if (maximumSize != -1 && maximumSize < kMinimum) throw VssException(hr::kInvalidArg, op, "the maximum is at least 320 MB, or -1 for no limit");
    MachineLock lock(*machine_);
    SimVolume& v = VolumeNamed(volume, op, hr::kInvalidArg);
    SimVolume& storage = VolumeNamed(diffAreaVolume, op, hr::kInvalidArg);
    int shadows = 0;
    for (const SimShadow& s : machine_->shadows) shadows += s.volumeName == v.name ? 1 : 0;
    if (shadows > 0 || v.diffAreaMaximum >= 0 || v.diffAreaAdded) {
      if (&StorageOf(v) == &storage) throw VssException(hr::kVssObjectAlreadyExists, op, volume + " already keeps its shadow storage on " + diffAreaVolume);
      throw VssException(hr::kVssMaximumDiffAreaAssociationsReached, op, volume + " already keeps its shadow storage on " + StorageOf(v).name);
    }
    v.diffAreaOn = &storage == &v ? std::string() : storage.name;
    v.diffAreaAdded = true;
    v.diffAreaMaximum = maximumSize;
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
      for (const EventRecord& e : machine_->events) followedUpTo_ = std::max(followedUpTo_, e.recordId);
    }
    for (;;) {
      std::vector<EventRecord> fresh;
      {
        MachineLock lock(*machine_);
        for (EventRecord& e : machine_->ReadEvents(followQuery_))
          if (e.recordId > followedUpTo_) fresh.push_back(std::move(e));
        // Past every record logged so far, matching or not.
        for (const EventRecord& e : machine_->events) followedUpTo_ = std::max(followedUpTo_, e.recordId);
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

  // The volume holding `v`'s shadow storage (the caller holds the MachineLock).
  const SimVolume& StorageOf(const SimVolume& v) {
    const SimVolume* on = v.diffAreaOn.empty() ? nullptr : machine_->FindVolume(v.diffAreaOn);
    return on ? *on : v;
  }

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
