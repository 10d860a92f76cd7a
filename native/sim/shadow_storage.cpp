#include "shadow_storage.h"

#include <algorithm>
#include <utility>
#include <vector>

namespace vss {
namespace sim {

namespace {

std::string Megabytes(int64_t bytes) { return std::to_string(bytes / (1024 * 1024)) + " MB"; }

}  // namespace

int ShadowsOf(const Machine& m, const SimVolume& v) {
  int shadows = 0;
  for (const SimShadow& s : m.shadows) shadows += s.volumeName == v.name ? 1 : 0;
  return shadows;
}

const SimVolume& StorageOf(Machine& m, const SimVolume& v) {
  const SimVolume* on = v.diffAreaOn.empty() ? nullptr : m.FindVolume(v.diffAreaOn);
  return on ? *on : v;
}

bool HasDiffArea(const Machine& m, const SimVolume& v) { return v.diffAreaMaximum >= 0 || v.diffAreaAdded || ShadowsOf(m, v) > 0; }

DiffArea AreaOf(Machine& m, const SimVolume& v) {
  const int shadows = ShadowsOf(m, v);
  DiffArea area;
  area.volumeName = v.guidName;
  area.diffAreaVolumeName = StorageOf(m, v).guidName;
  area.maximumDiffSpace = v.diffAreaMaximum;
  area.usedDiffSpace = shadows * v.diffAreaUsedPerShadow;
  area.allocatedDiffSpace = area.usedDiffSpace + (shadows ? 64LL * 1024 * 1024 : 0);
  // The diff area grows in steps but never past its maximum (vssadmin list shadowstorage).
  if (area.maximumDiffSpace >= 0 && area.allocatedDiffSpace > area.maximumDiffSpace)
    area.allocatedDiffSpace = std::max(area.usedDiffSpace, area.maximumDiffSpace);
  return area;
}

int64_t FreeSpaceOf(Machine& m, const SimVolume& storage) {
  int64_t allocated = 0;
  for (const SimVolume& source : m.volumes)
    if (HasDiffArea(m, source) && &StorageOf(m, source) == &storage) allocated += AreaOf(m, source).allocatedDiffSpace;
  return std::max<int64_t>(0, storage.freeSpace - allocated);
}

// The provider's EndPrepareSnapshots answers VSS_E_INSUFFICIENT_STORAGE when "there is not enough
// disk storage to create a shadow copy" (its page, vsprov.h), and DoSnapshotSet passes it on. How
// much is enough no Microsoft page gives; VSS's developer Adi Oltean wrote (MSDN blog, "When is a
// volume eligible for Shadow Copies for Shared Folders?", 2004): "The shadow storage volume must
// contain enough free space. At the very minimum you need at least 300 MB or so, for a single shadow
// copy", and none on the original volume when the storage is elsewhere. The model asks the storage
// volume for the documented minimum shadow storage (320 MB) per new copy, so set volumes sharing one
// storage volume add up. A maximum is not a shortfall while older copies can be deleted to make room
// (VolSnap 33, SimSession::MakeRoomLocked): only one that cannot hold a single copy is.
std::string ShadowStorageShortfall(Machine& m, const std::vector<const SimVolume*>& volumes) {
  std::vector<std::pair<const SimVolume*, int64_t>> needs;
  for (const SimVolume* v : volumes) {
    if (v->diffAreaMaximum >= 0 && v->diffAreaMaximum < v->diffAreaUsedPerShadow)
      return "the shadow storage maximum of " + v->name + " (" + Megabytes(v->diffAreaMaximum) + ") cannot hold a single shadow copy";
    const SimVolume* storage = &StorageOf(m, *v);
    auto it = std::find_if(needs.begin(), needs.end(), [&](const auto& n) { return n.first == storage; });
    if (it == needs.end())
      needs.emplace_back(storage, kMinimumDiffArea);
    else
      it->second += kMinimumDiffArea;
  }
  for (const auto& need : needs) {
    const int64_t free = FreeSpaceOf(m, *need.first);
    if (free < need.second)
      return need.first->name + " has " + Megabytes(free) + " free for shadow storage; the new shadow " + (need.second > kMinimumDiffArea ? "copies need " : "copy needs ") +
             Megabytes(need.second);
  }
  return {};
}

}  // namespace sim
}  // namespace vss
