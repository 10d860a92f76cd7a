// RAII for a VSS_SNAPSHOT_PROP filled by VSS: its strings are freed with
// VssFreeSnapshotPropertiesInternal, as VSS requires.
#pragma once
#include <vss.h>

#include <cstring>

#include "../core/types.h"
#include "vssapi_library.h"

namespace vss {
namespace com {

class SnapshotProp {
 public:
  SnapshotProp() { std::memset(&prop_, 0, sizeof prop_); }
  SnapshotProp(const SnapshotProp&) = delete;
  SnapshotProp& operator=(const SnapshotProp&) = delete;
  ~SnapshotProp() {
    if (filled_) VssApiLibrary::Get().FreeSnapshotProperties(&prop_);
  }
  VSS_SNAPSHOT_PROP* Put() {
    filled_ = true;
    return &prop_;
  }
  const VSS_SNAPSHOT_PROP& Get() const { return prop_; }

 private:
  VSS_SNAPSHOT_PROP prop_;
  bool filled_ = false;
};

// Copies the fields into plain C++ (the strings are copied, not kept).
SnapshotProperties ToSnapshotProperties(const VSS_SNAPSHOT_PROP& prop);

}  // namespace com
}  // namespace vss
