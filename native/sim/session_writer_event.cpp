// What a subscribed writer's getters answer while it handles an event (external_writer.h):
// the set, its volumes and devices, and the writer's part of the requester's document.
#include <algorithm>

#include "session.h"

namespace vss {
namespace sim {

WriterEvent SimSession::WriterEventLocked(Phase phase, const SimWriter& w) const {
  WriterEvent e;
  e.phase = phase;
  e.context = context_;
  e.backupType = backupState_.backupType;
  e.restoreType = mode_ == Mode::Restore ? restoreType_ : 0;
  e.componentMode = backupState_.selectComponents;
  e.bootableSystemState = backupState_.bootableSystemState;
  e.partialFileSupport = backupState_.partialFileSupport;
  e.backupSchema = w.metadata.backupSchema;
  e.sessionId = Guid::FromSeed("backup-session:" + std::to_string(id_));
  // A restore has no shadow copy set; a backup's is known from StartSnapshotSet on.
  if (mode_ == Mode::Backup && stage_ != Stage::Initialized) e.snapshotSetId = setId_;
  // CVssWriter::GetCurrentVolumeArray names the set's original volumes (and shares) for
  // OnPrepareSnapshot, OnFreeze and OnThaw (its page's "see also"); PostSnapshot and Abort
  // still belong to the set (inferred). Volumes by their \\?\Volume{GUID}\ names (inferred:
  // the page says "names of the original volumes", not which form).
  const bool setEvent = phase == Phase::PrepareSnapshot || phase == Phase::Freeze || phase == Phase::Thaw ||
                        phase == Phase::PostSnapshot || phase == Phase::Abort;
  if (mode_ == Mode::Backup && setEvent) {
    for (const PendingVolume& p : pending_) {
      WriterEvent::Volume v;
      if (p.share) {
        v.name = p.shareRoot;
      } else if (const SimVolume* volume = machine_->FindVolume(p.volumeName)) {
        v.name = volume->guidName;
        v.drive = volume->name;
      } else {
        v.name = p.volumeName;
      }
      if (phase == Phase::PostSnapshot)
        for (const SimShadow& s : machine_->shadows)
          if (s.properties.snapshotId == p.snapshotId) v.device = s.properties.snapshotDeviceObject;
      e.volumes.push_back(std::move(v));
    }
  }
  e.components.instanceId = w.metadata.instanceId;
  e.components.writerId = w.metadata.writerId;
  if (phase != Phase::Identify)
    for (const SelectedComponent& s : selected_)
      if (s.instanceId == w.metadata.instanceId) e.components.components.push_back(s.status);
  return e;
}

}  // namespace sim
}  // namespace vss
