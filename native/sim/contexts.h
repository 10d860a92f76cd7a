// Snapshot contexts and attribute bits: which values SetContext takes, and which
// attribute bits a provider can honour. Sources: "_VSS_SNAPSHOT_CONTEXT" and
// "_VSS_VOLUME_SNAPSHOT_ATTRIBUTES" (learn.microsoft.com/windows/win32/api/vss/),
// "Required behaviors for shadow copy providers", and the contexts Microsoft's
// VShadow sample passes (e.g. VSS_CTX_APP_ROLLBACK | VSS_VOLSNAP_ATTR_NO_AUTORECOVERY).
#pragma once
#include <cstdint>

namespace vss {
namespace sim {

namespace attr {
constexpr uint32_t kPersistent = 0x1;
constexpr uint32_t kNoAutoRecovery = 0x2;
constexpr uint32_t kClientAccessible = 0x4;
constexpr uint32_t kNoAutoRelease = 0x8;
constexpr uint32_t kNoWriters = 0x10;
constexpr uint32_t kTransportable = 0x20;
constexpr uint32_t kNotSurfaced = 0x40;
constexpr uint32_t kNotTransacted = 0x80;
constexpr uint32_t kHardwareAssisted = 0x10000;
constexpr uint32_t kDifferential = 0x20000;
constexpr uint32_t kPlex = 0x40000;
constexpr uint32_t kExposedLocally = 0x100000;
constexpr uint32_t kExposedRemotely = 0x200000;
constexpr uint32_t kRollbackRecovery = 0x800000;
constexpr uint32_t kDelayedPostSnapshot = 0x1000000;
constexpr uint32_t kTxfRecovery = 0x2000000;
}  // namespace attr

constexpr int32_t kContextAll = static_cast<int32_t>(0xffffffff);

// The bits that make up the VSS_CTX_* values themselves (0x1d): two contexts
// match when these agree, whatever extra attributes either carries.
constexpr uint32_t kContextBits = attr::kPersistent | attr::kClientAccessible | attr::kNoAutoRelease | attr::kNoWriters;

// The VSS_CTX_* part of a context (VSS_CTX_ALL stays itself).
inline uint32_t BaseContext(int32_t context) { return static_cast<uint32_t>(context) & kContextBits; }

// Whether SetContext takes it: VSS_CTX_ALL, or one of the six creation contexts
// OR'ed with attribute bits a requester may add.
bool ValidContext(int32_t context);

// The requested attribute bits (of `context`) a provider of this VSS_PROVIDER_TYPE
// cannot honour; 0 when it can make the shadow copy.
uint32_t UnsupportedAttributes(int32_t providerType, int32_t context);

}  // namespace sim
}  // namespace vss
