// A writer of the machine that is not the scenario's: its event handlers live outside the
// engine (a CVssWriter a process subscribed through the emulated vssapi.dll). The engine
// sends it the events it sends every writer, and turns each handler's answer into the
// writer's state and failure as it does for a scenario writer's fault (writer status,
// VSS_E_WRITERERROR_*, the VSS 8229 event-log record): a handler that returns true after
// SetWriterFailure is a Fail, one that returns false a Veto (model.h).
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "../core/types.h"
#include "model.h"

namespace vss {
namespace sim {

class Machine;

// What the writer's getters answer while it handles one event (CVssWriter's protected
// GetCurrentVolumeArray, GetCurrentSnapshotSetId, GetBackupType...).
struct WriterEvent {
  struct Volume {
    std::string name;      // as the set holds it: \\?\Volume{GUID}\ (a share: its UNC root)
    std::string drive;     // the drive letter or mount folder the machine knows it by ("C:\"); may be empty
    std::string device;    // the shadow copy's device object, once the set exists (PostSnapshot)
  };
  Phase phase = Phase::Identify;
  Guid snapshotSetId;  // null before PrepareForSnapshot and in restore events
  int32_t context = 0;
  int32_t backupType = 0;   // VSS_BACKUP_TYPE (SetBackupState)
  int32_t restoreType = 0;  // VSS_RESTORE_TYPE (SetRestoreState)
  bool componentMode = false;      // SetBackupState's bSelectComponents (AreComponentsSelected)
  bool bootableSystemState = false;
  bool partialFileSupport = false;
  uint32_t backupSchema = 0;    // the writer's VSS_BACKUP_SCHEMA, as its metadata declares it
  std::vector<Volume> volumes;  // the set's volumes, from PrepareForSnapshot on
  WriterComponents components;  // this writer's components in the requester's document
  Guid sessionId;               // the requester's backup session (CVssWriterEx2::GetSessionId)
};

// What the handler answered.
struct WriterAnswer {
  bool succeeded = true;          // the handler's bool
  uint32_t failure = 0;           // SetWriterFailure's HRESULT; 0: not called
  uint32_t applicationError = 0;  // SetWriterFailureEx's hrApplication
  std::string message;            // SetWriterFailureEx's message
  std::optional<WriterMetadata> metadata;  // Identify: the document OnIdentify built
  // The writer's components as its handler left them (IVssComponent / IVssComponentEx setters:
  // backup stamp, backup metadata, failure messages); empty when it changed none. The engine
  // copies what a writer may set into the requester's document (WriterSetFields).
  std::vector<ComponentStatus> components;
};

// Copies into `to` the fields a writer sets on a component (backup stamp, backup metadata, the
// four failure messages), leaving what the requester set alone.
void WriterSetFields(ComponentStatus& to, const ComponentStatus& from);

class ExternalWriter {
 public:
  virtual ~ExternalWriter() = default;
  // Called with the machine unlocked, on the requester's thread, for the events the
  // requester waits for; Abort and BackupShutdown, which reach writers while the engine
  // holds the machine, are queued and delivered on the same thread once it lets go
  // (DeliverExternalWriterEvents). Must not throw.
  virtual WriterAnswer Handle(const WriterEvent& event) = 0;
};

// Runs writer.Handle(event) on a thread of its own and waits at most waitMs real milliseconds for
// its answer; nullopt when the handler is still running then. VSS does not wait for a writer
// without end: "Determining Writer Status" counts "an unresponsive writer currently processing an
// event" among what GatherWriterStatus may find, so the requester's call returns while the
// handler runs on, and what it answers at last is dropped. One event at a time per writer: while
// an earlier handler of this writer still runs, the next event waits for it within the same
// budget, and is not delivered at all (nullopt) if it has not returned by then.
std::optional<WriterAnswer> HandleWithin(const std::shared_ptr<ExternalWriter>& writer, const WriterEvent& event, double waitMs);
// True while a handler of this writer that VSS stopped waiting for still runs.
bool StillHandling(const ExternalWriter* writer);

// The engine's fault for an answer (none: the handler succeeded without a failure).
// A handler that returns false without calling SetWriterFailure: no page names the error VSS
// reports then; VSS_E_WRITERERROR_NONRETRYABLE (inferred: the error its writer pages give for
// a failure that would recur).
std::optional<WriterFault> FaultForAnswer(Phase phase, const WriterAnswer& answer);

// Abort and BackupShutdown: queued under the machine lock, delivered after it. The answer
// to BackupShutdown fails the writer (failed-at-backup-shutdown) as a fault would.
void QueueExternalWriterEvent(std::shared_ptr<Machine> machine, std::shared_ptr<ExternalWriter> writer, Guid instanceId, WriterEvent event);
// Delivers this thread's queued events; MachineLock calls it once it has unlocked.
void DeliverExternalWriterEvents();

}  // namespace sim
}  // namespace vss
