#include "async_wait.h"

#include <chrono>

#include "../core/error.h"
#include "com_ptr.h"

namespace vss {
namespace com {

void WaitForAsync(HRESULT started, IVssAsync* raw, AsyncControl& control, const char* operation) {
  ComPtr<IVssAsync> async(raw);
  ThrowIfFailed(static_cast<uint32_t>(started), operation);
  if (!async) throw VssException(hr::kPointer, operation, "VSS returned no IVssAsync");
  const auto start = std::chrono::steady_clock::now();
  bool cancelled = false;
  for (;;) {
    // Wait in short slices: long enough to cost nothing, short enough to answer a cancel promptly.
    async->Wait(50);
    HRESULT result = S_OK;
    HRESULT queried = async->QueryStatus(&result, nullptr);
    ThrowIfFailed(static_cast<uint32_t>(queried), operation, "IVssAsync::QueryStatus failed");
    Progress progress;
    progress.operation = operation;
    progress.status = static_cast<uint32_t>(result);
    progress.elapsedMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    if (result == VSS_S_ASYNC_CANCELLED) throw VssException(hr::kVssAsyncCancelled, operation, "cancelled");
    if (result != VSS_S_ASYNC_PENDING) {
      ThrowIfFailed(static_cast<uint32_t>(result), operation);
      return;
    }
    control.Report(progress);
    if (control.CancelRequested() && !cancelled) {
      cancelled = true;
      async->Cancel();  // the operation then finishes with VSS_S_ASYNC_CANCELLED
    }
  }
}

}  // namespace com
}  // namespace vss
