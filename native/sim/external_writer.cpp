#include "external_writer.h"

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
      WriterAnswer answer;
      try {
        answer = q.writer->Handle(q.event);
      } catch (...) {
        continue;  // a handler must not throw; here, possibly during unwinding, nothing may
      }
      // OnAbort's result is ignored (VSS_WRITER_STATE has no failed-at-abort state).
      if (q.event.phase != Phase::BackupShutdown) continue;
      const std::optional<WriterFault> fault = FaultForAnswer(q.event.phase, answer);
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
