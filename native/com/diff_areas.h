// Shadow storage (diff area) associations through IVssSnapshotMgmt and the system
// provider's IVssDifferentialSoftwareSnapshotMgmt, with their sizes.
#pragma once
#include <vector>

#include "../core/types.h"

namespace vss {
namespace com {

// Every volume the system provider can shadow, and for each the diff areas that
// hold its shadow copies' differences (what "vssadmin list shadowstorage" shows).
// Runs on a session thread with COM initialized (MTA).
std::vector<DiffArea> QueryDiffAreas();

}  // namespace com
}  // namespace vss
