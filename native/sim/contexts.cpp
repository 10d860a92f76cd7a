#include "contexts.h"

namespace vss {
namespace sim {

namespace {
constexpr int32_t kProviderSystem = static_cast<int32_t>(TermCode(Vocabulary::ProviderType, "system"));
constexpr int32_t kProviderSoftware = static_cast<int32_t>(TermCode(Vocabulary::ProviderType, "software"));
constexpr int32_t kProviderHardware = static_cast<int32_t>(TermCode(Vocabulary::ProviderType, "hardware"));

// The bits the attribute page says a requester may OR into a context (the rest
// are set by VSS itself: persistent, exposed, imported, hardware-assisted, ...).
constexpr uint32_t kRequesterBits = attr::kNoAutoRecovery | attr::kTransportable | attr::kNotSurfaced | attr::kNotTransacted |
                                    attr::kDifferential | attr::kPlex | attr::kRollbackRecovery | attr::kDelayedPostSnapshot |
                                    attr::kTxfRecovery;

// Only hardware providers make transportable, plex or unsurfaced (LUN) shadow copies.
constexpr uint32_t kHardwareOnly = attr::kTransportable | attr::kPlex | attr::kNotSurfaced;
}  // namespace

bool ValidContext(int32_t context) {
  if (context == ctx::kAll) return true;
  const uint32_t raw = static_cast<uint32_t>(context);
  // One of the six creation contexts of the vocabulary table (VSS_CTX_BACKUP ... CLIENT_ACCESSIBLE_WRITERS).
  const bool known = TermName(Vocabulary::SnapshotContext, raw & kContextBits) != nullptr;
  return known && (raw & ~kContextBits & ~kRequesterBits) == 0;
}

uint32_t UnsupportedAttributes(int32_t providerType, int32_t context) {
  const uint32_t raw = static_cast<uint32_t>(context);
  switch (providerType) {
    case kProviderSystem:
    case kProviderSoftware:
      return raw & kHardwareOnly;
    case kProviderHardware:
      // "Only the system provider can create" client-accessible shadow copies (_VSS_SNAPSHOT_CONTEXT).
      return raw & attr::kClientAccessible;
    default:
      // A file-share provider makes shadow copies of shares, not volumes.
      return raw & (kHardwareOnly | attr::kClientAccessible);
  }
}

}  // namespace sim
}  // namespace vss
