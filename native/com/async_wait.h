// Waiting on an IVssAsync from the session's own thread: polls QueryStatus so
// progress can be reported and an AbortSignal can call IVssAsync::Cancel.
#pragma once
#include <vss.h>

#include "../core/async_control.h"

namespace vss {
namespace com {

// Takes ownership of `async` (may be null when `started` failed). Throws
// VssException with the operation's HRESULT, or VSS_S_ASYNC_CANCELLED once cancelled.
void WaitForAsync(HRESULT started, IVssAsync* async, AsyncControl& control, const char* operation);

}  // namespace com
}  // namespace vss
