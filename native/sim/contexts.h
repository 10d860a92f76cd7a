// Snapshot contexts and attribute bits: which values SetContext takes, and which
// attribute bits a provider can honour. Sources: "_VSS_SNAPSHOT_CONTEXT" and
// "_VSS_VOLUME_SNAPSHOT_ATTRIBUTES" (learn.microsoft.com/windows/win32/api/vss/),
// "Required behaviors for shadow copy providers", and the contexts Microsoft's
// VShadow sample passes (e.g. VSS_CTX_APP_ROLLBACK | VSS_VOLSNAP_ATTR_NO_AUTORECOVERY).
#pragma once
#include <cstdint>

#include "../core/vss_constants.h"

namespace vss {
namespace sim {

// The bits that make up the VSS_CTX_* values themselves (0x1d): two contexts
// match when these agree, whatever extra attributes either carries.
constexpr uint32_t kContextBits = attr::kPersistent | attr::kClientAccessible | attr::kNoAutoRelease | attr::kNoWriters;

// The VSS_CTX_* part of a context (meaningless for VSS_CTX_ALL, which callers test first).
inline uint32_t BaseContext(int32_t context) { return static_cast<uint32_t>(context) & kContextBits; }

// Whether SetContext takes it: VSS_CTX_ALL, or one of the six creation contexts
// OR'ed with attribute bits a requester may add.
bool ValidContext(int32_t context);

// The requested attribute bits (of `context`) a provider of this VSS_PROVIDER_TYPE
// cannot honour; 0 when it can make the shadow copy.
uint32_t UnsupportedAttributes(int32_t providerType, int32_t context);

}  // namespace sim
}  // namespace vss
