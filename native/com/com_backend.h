// The COM backend: vss::Backend over the real VSS (vssapi.dll, IVssBackupComponents).
#pragma once
#include <memory>

#include "../core/backend.h"

namespace vss {

std::unique_ptr<Backend> CreateComBackend();

}  // namespace vss
