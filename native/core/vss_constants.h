// The VSS constants the native layers share (vss.h, vsbackup.h), named once: the
// system provider's id, and the contexts and snapshot attribute bits by their
// names in the vocabulary table (vocabulary.inc), so C++ and TypeScript agree.
#pragma once
#include <cstdint>

#include "guid.h"
#include "vocabulary.h"

namespace vss {

// The system provider, "Microsoft Software Shadow Copy provider 1.0"; it owns shadow storage.
inline constexpr Guid kSystemProviderId{0xb5946137, 0x7b9f, 0x4925, {0xaf, 0x80, 0x51, 0xab, 0xd6, 0x0b, 0x20, 0xd5}};

// VSS_SNAPSHOT_CONTEXT.
namespace ctx {
constexpr int32_t Context(const char* name) { return static_cast<int32_t>(TermCode(Vocabulary::SnapshotContext, name)); }
constexpr int32_t kBackup = Context("backup");
constexpr int32_t kAppRollback = Context("app-rollback");
constexpr int32_t kAll = Context("all");
}  // namespace ctx

// VSS_SNAPSHOT_STATE of a shadow copy that exists.
constexpr int32_t kSnapshotCreated = static_cast<int32_t>(TermCode(Vocabulary::SnapshotState, "created"));

// VSS_VOLUME_SNAPSHOT_ATTRIBUTES bits.
namespace attr {
constexpr uint32_t Bit(const char* name) { return TermCode(Vocabulary::SnapshotAttribute, name); }
constexpr uint32_t kPersistent = Bit("persistent");
constexpr uint32_t kNoAutoRecovery = Bit("no-autorecovery");
constexpr uint32_t kClientAccessible = Bit("client-accessible");
constexpr uint32_t kNoAutoRelease = Bit("no-auto-release");
constexpr uint32_t kNoWriters = Bit("no-writers");
constexpr uint32_t kTransportable = Bit("transportable");
constexpr uint32_t kNotSurfaced = Bit("not-surfaced");
constexpr uint32_t kNotTransacted = Bit("not-transacted");
constexpr uint32_t kHardwareAssisted = Bit("hardware-assisted");
constexpr uint32_t kDifferential = Bit("differential");
constexpr uint32_t kPlex = Bit("plex");
constexpr uint32_t kImported = Bit("imported");
constexpr uint32_t kExposedLocally = Bit("exposed-locally");
constexpr uint32_t kExposedRemotely = Bit("exposed-remotely");
constexpr uint32_t kRollbackRecovery = Bit("rollback-recovery");
constexpr uint32_t kDelayedPostSnapshot = Bit("delayed-postsnapshot");
constexpr uint32_t kTxfRecovery = Bit("txf-recovery");
constexpr uint32_t kFileShare = Bit("file-share");
}  // namespace attr

}  // namespace vss
