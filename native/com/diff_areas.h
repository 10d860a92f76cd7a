// Shadow storage (diff area) associations through IVssSnapshotMgmt and the system
// provider's IVssDifferentialSoftwareSnapshotMgmt, with their sizes.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "../core/types.h"

namespace vss {
namespace com {

// Every volume the system provider can shadow, and for each the diff areas that
// hold its shadow copies' differences (what "vssadmin list shadowstorage" shows).
// Runs on a session thread with COM initialized (MTA).
std::vector<DiffArea> QueryDiffAreas();

// IVssDifferentialSoftwareSnapshotMgmt::ChangeDiffAreaMaximumSize of the system provider.
void ChangeDiffAreaMaximumSize(const std::string& volume, const std::string& diffAreaVolume, int64_t maximumSize);

// IVssDifferentialSoftwareSnapshotMgmt::AddDiffArea of the system provider.
void AddDiffArea(const std::string& volume, const std::string& diffAreaVolume, int64_t maximumSize);

// IVssDifferentialSoftwareSnapshotMgmt2::ChangeDiffAreaMaximumSizeEx (QueryInterface of the above).
void ChangeDiffAreaMaximumSizeEx(const std::string& volume, const std::string& diffAreaVolume, int64_t maximumSize, bool isVolatile);

// IVssDifferentialSoftwareSnapshotMgmt3 (QueryInterface of the above): shadow copy protection.
void SetVolumeProtectLevel(const std::string& volume, int32_t level);
VolumeProtection GetVolumeProtectLevel(const std::string& volume);
void ClearVolumeProtectFault(const std::string& volume);
void DeleteUnusedDiffAreas(const std::string& diffAreaVolume);

// QueryDiffAreasForVolume, QueryDiffAreasOnVolume, QueryDiffAreasForSnapshot: the associations as
// VSS_DIFF_AREA_PROP; S_FALSE or no enumerator is none.
std::vector<DiffArea> QueryDiffAreasForVolume(const std::string& volume);
std::vector<DiffArea> QueryDiffAreasOnVolume(const std::string& volume);
std::vector<DiffArea> QueryDiffAreasForSnapshot(const Guid& snapshotId);

// QueryVolumesSupportedForDiffAreas: VSS_DIFF_VOLUME_PROP of each volume.
std::vector<DiffVolume> QueryVolumesSupportedForDiffAreas(const std::string& originalVolume);

}  // namespace com
}  // namespace vss
