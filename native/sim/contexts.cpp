#include "contexts.h"

#include <algorithm>
#include <iterator>

namespace vss {
namespace sim {

namespace {
constexpr int32_t kProviderSystem = 1;    // VSS_PROV_SYSTEM
constexpr int32_t kProviderSoftware = 2;  // VSS_PROV_SOFTWARE
constexpr int32_t kProviderHardware = 3;  // VSS_PROV_HARDWARE

// The bits the attribute page says a requester may OR into a context (the rest
// are set by VSS itself: persistent, exposed, imported, hardware-assisted, ...).
constexpr uint32_t kRequesterBits = attr::kNoAutoRecovery | attr::kTransportable | attr::kNotSurfaced | attr::kNotTransacted |
                                    attr::kDifferential | attr::kPlex | attr::kRollbackRecovery | attr::kDelayedPostSnapshot |
                                    attr::kTxfRecovery;

// Only hardware providers make transportable, plex or unsurfaced (LUN) shadow copies.
constexpr uint32_t kHardwareOnly = attr::kTransportable | attr::kPlex | attr::kNotSurfaced;
}  // namespace

bool ValidContext(int32_t context) {
  if (context == kContextAll) return true;
  const uint32_t raw = static_cast<uint32_t>(context);
  // VSS_CTX_BACKUP, FILE_SHARE_BACKUP, NAS_ROLLBACK, APP_ROLLBACK, CLIENT_ACCESSIBLE, CLIENT_ACCESSIBLE_WRITERS.
  const uint32_t contexts[] = {0x0, 0x10, 0x19, 0x9, 0x1d, 0xd};
  const bool known = std::find(std::begin(contexts), std::end(contexts), raw & kContextBits) != std::end(contexts);
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
