// The system provider's shadow storage (diff area) accounting: which volume holds a
// volume's shadow storage, how much it uses and allocates, and whether a new shadow
// copy can get storage. Shared by the management interfaces (backend.cpp) and shadow
// copy creation (session.cpp), so the two never disagree. Callers hold the machine's mutex.
#pragma once
#include <cstdint>
#include <string>

#include "../core/types.h"
#include "machine.h"
#include "model.h"

namespace vss {
namespace sim {

// VSS refuses a shadow storage maximum under 320 MB (AddDiffArea, ChangeDiffAreaMaximumSize).
constexpr int64_t kMinimumDiffArea = 320LL * 1024 * 1024;

int ShadowsOf(const Machine& m, const SimVolume& v);
// The volume holding `v`'s shadow storage: AddDiffArea's, or `v` itself.
const SimVolume& StorageOf(Machine& m, const SimVolume& v);
// Like vssadmin, there is an association only where there is one: shadow copies, a set
// maximum, or AddDiffArea's.
bool HasDiffArea(const Machine& m, const SimVolume& v);
DiffArea AreaOf(Machine& m, const SimVolume& v);
// `storage`'s free space (VSS_DIFF_VOLUME_PROP): the scenario's, less what the diff areas on it allocate.
int64_t FreeSpaceOf(Machine& m, const SimVolume& storage);

// Why the system provider cannot give new shadow copies of `volumes` their shadow storage
// (VSS_E_INSUFFICIENT_STORAGE), or empty when it can. `volumes` are those of one set.
std::string ShadowStorageShortfall(Machine& m, const std::vector<const SimVolume*>& volumes);

}  // namespace sim
}  // namespace vss
