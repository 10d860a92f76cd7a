#include "external_writer.h"

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <thread>
#include <utility>

#include "../core/hresult.h"
#include "machine.h"

namespace vss {
namespace sim {

std::optional<WriterFault> FaultForAnswer(Phase phase, const WriterAnswer& answer) {
  if (answer.succeeded && answer.failure == 0) return std::nullopt;
  WriterFault f;
  f.phase = phase;
  // true after SetWriterFailure: a non-fatal failure; false: a fatal one, which in
  // PrepareForSnapshot, Freeze and Thaw vetoes the shadow copy (CVssWriter::OnFreeze,
  // OnThaw: "If a fatal error occurs, the method must call SetWriterFailure ... before
  // returning false. If a nonfatal error occurs, ... call SetWriterFailure but return true").
  f.kind = answer.succeeded ? FaultKind::Fail : FaultKind::Veto;
  f.error = answer.failure ? answer.failure : hr::kWriterErrorNonRetryable;
  f.applicationError = answer.applicationError;
  f.message = answer.message;
  return f;
}

void WriterSetFields(ComponentStatus& to, const ComponentStatus& from) {
  to.backupStamp = from.backupStamp;
  to.backupMetadata = from.backupMetadata;
  to.prepareForBackupFailureMsg = from.prepareForBackupFailureMsg;
  to.postSnapshotFailureMsg = from.postSnapshotFailureMsg;
  to.preRestoreFailureMsg = from.preRestoreFailureMsg;
  to.postRestoreFailureMsg = from.postRestoreFailureMsg;
  to.restoreMetadata = from.restoreMetadata;
  to.restoreTarget = from.restoreTarget;
  to.directedTargets = from.directedTargets;
  to.partialFiles = from.partialFiles;
  to.differencedFiles = from.differencedFiles;
  to.failure = from.failure;
}

namespace {

// One handler call on its own thread. Polled, not waited on with std::condition_variable: the
// engine is also built into the emulated vssapi.dll, and under Wine winpthreads' condition
// variable was seen to miss a wake-up (test/fixtures/vssapi-emu/emu_async.cpp).
struct Call {
  std::atomic<bool> done{false};
  WriterAnswer answer;  // written before done is set, read only after
};

std::mutex callsMutex;
// Each writer's last call, while it may still run (keyed by the writer object; the call's thread
// holds the writer alive).
std::map<const ExternalWriter*, std::shared_ptr<Call>> lastCalls;

using Clock = std::chrono::steady_clock;

bool WaitDone(const Call& call, Clock::time_point deadline) {
  while (!call.done.load(std::memory_order_acquire)) {
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

}  // namespace

std::optional<WriterAnswer> HandleWithin(const std::shared_ptr<ExternalWriter>& writer, const WriterEvent& event, double waitMs) {
  const Clock::time_point deadline = Clock::now() + std::chrono::microseconds(static_cast<int64_t>(waitMs * 1000));
  std::shared_ptr<Call> earlier;
  {
    std::lock_guard<std::mutex> lock(callsMutex);
    auto found = lastCalls.find(writer.get());
    if (found != lastCalls.end()) earlier = found->second;
  }
  if (earlier && !WaitDone(*earlier, deadline)) return std::nullopt;  // still in its last handler
  auto call = std::make_shared<Call>();
  {
    std::lock_guard<std::mutex> lock(callsMutex);
    lastCalls[writer.get()] = call;
  }
  std::thread([writer, event, call] {
    WriterAnswer answer;
    try {
      answer = writer->Handle(event);
    } catch (...) {
      // A handler must not throw; one that does answered nothing.
    }
    call->answer = std::move(answer);
    call->done.store(true, std::memory_order_release);
    std::lock_guard<std::mutex> lock(callsMutex);
    auto found = lastCalls.find(writer.get());
    if (found != lastCalls.end() && found->second == call) lastCalls.erase(found);
  }).detach();
  if (!WaitDone(*call, deadline)) return std::nullopt;
  return std::move(call->answer);
}

bool StillHandling(const ExternalWriter* writer) {
  std::lock_guard<std::mutex> lock(callsMutex);
  auto found = lastCalls.find(writer);
  return found != lastCalls.end() && !found->second->done.load(std::memory_order_acquire);
}

namespace {

struct Queued {
  std::shared_ptr<Machine> machine;
  std::shared_ptr<ExternalWriter> writer;
  Guid instanceId;
  WriterEvent event;
};

// Per thread: the engine queues while it holds the machine, and the same thread delivers.
// A plain pointer, allocated only while something is queued: a thread_local with a destructor
// would register a thread-exit hook on every thread that takes the machine (and in a mingw DLL
// those hooks run after the DLL's own teardown).
thread_local std::vector<Queued>* queued = nullptr;

}  // namespace

void QueueExternalWriterEvent(std::shared_ptr<Machine> machine, std::shared_ptr<ExternalWriter> writer, Guid instanceId, WriterEvent event) {
  if (!queued) queued = new std::vector<Queued>();
  queued->push_back({std::move(machine), std::move(writer), instanceId, std::move(event)});
}

void DeliverExternalWriterEvents() {
  while (queued) {
    std::unique_ptr<std::vector<Queued>> now(queued);
    queued = nullptr;
    for (Queued& q : *now) {
      double waitMs = 0;
      {
        MachineLock lock(*q.machine);
        waitMs = q.machine->timing.responseTimeoutMs * q.machine->timing.timeScale;
      }
      std::optional<WriterAnswer> answer;
      try {
        answer = HandleWithin(q.writer, q.event, waitMs);
      } catch (...) {
        continue;  // here, possibly during unwinding, nothing may throw
      }
      // A handler VSS stopped waiting for answers nothing (its writer failed in an earlier phase
      // already, or is still in that phase's handler).
      if (!answer) continue;
      // OnAbort's result is ignored (VSS_WRITER_STATE has no failed-at-abort state).
      if (q.event.phase != Phase::BackupShutdown) continue;
      const std::optional<WriterFault> fault = FaultForAnswer(q.event.phase, *answer);
      if (!fault) continue;
      MachineLock lock(*q.machine);
      SimWriter* w = q.machine->FindWriterByInstance(q.instanceId);
      // Unsubscribed meanwhile, or failed earlier in the backup (a failure stands, as a fault's does).
      if (!w || w->external != q.writer || w->state >= FailedStateFor(Phase::Identify)) continue;
      w->state = FailedStateFor(Phase::BackupShutdown);
      w->lastError = fault->error;
      w->applicationError = fault->applicationError;
      w->failureMessage = fault->message.empty() ? "The writer failed during backup-shutdown" : fault->message;
    }
  }
}

}  // namespace sim
}  // namespace vss
