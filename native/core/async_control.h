// What a long-running VSS call needs from its caller: a cancel flag that another
// thread may set at any time, and a progress sink. The COM backend maps the flag to
// IVssAsync::Cancel; the simulation engine checks it between its simulated steps.
#pragma once
#include <atomic>
#include <cstdint>
#include <functional>
#include <string>

namespace vss {

struct Progress {
  std::string operation;    // "GatherWriterMetadata", "DoSnapshotSet", ...
  uint32_t status = 0;      // the last IVssAsync::QueryStatus result (VSS_S_ASYNC_PENDING while running)
  double elapsedMs = 0;
  // Where the call is, when the backend knows (the simulation engine does; IVssAsync says nothing):
  // the writer phase ("prepare-snapshot", "freeze", "commit", "thaw", "post-snapshot", ...) and the
  // writer(s) it still waits for once the others have answered ("" when none stands out).
  std::string phase;
  std::string writer;
};

class AsyncControl {
 public:
  void RequestCancel() { cancel_.store(true); }
  bool CancelRequested() const { return cancel_.load(); }
  void Report(const Progress& progress) const {
    if (onProgress) onProgress(progress);
  }

  std::function<void(const Progress&)> onProgress;

 private:
  std::atomic<bool> cancel_{false};
};

}  // namespace vss
