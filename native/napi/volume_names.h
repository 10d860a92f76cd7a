// Volume names as VSS reports them: shadow copies name their original volume by
// its GUID path (\\?\Volume{guid}\), users by drive letter or mount folder.
#pragma once
#include <napi.h>

namespace vssnapi {

// volumeGuidPath(name: string): the volume's \\?\Volume{guid}\ path
// (GetVolumeNameForVolumeMountPointW), or null where it cannot be resolved
// (no such volume; off Windows, where there is no real volume).
Napi::Value VolumeGuidPath(const Napi::CallbackInfo& info);

// volumePathNames(guidPath: string): the drive letters and mount folders of a
// volume named by its \\?\Volume{guid}\ path (GetVolumePathNamesForVolumeNameW),
// [] when it has none, or null where it cannot be resolved (off Windows).
Napi::Value VolumePathNames(const Napi::CallbackInfo& info);

// volumeMountPoints(guidPath: string): the folders on a volume where other volumes
// are mounted, relative to its root (FindFirstVolumeMountPointW / FindNextVolumeMountPointW,
// as Bareos and restic enumerate them), [] when there are none, or null where the
// volume cannot be enumerated (off Windows; the call failed for another reason).
Napi::Value VolumeMountPoints(const Napi::CallbackInfo& info);

}  // namespace vssnapi
