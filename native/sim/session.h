// One simulated requester: the IVssBackupComponents state machine over a Machine.
#pragma once
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "../core/backend.h"
#include "../core/vss_constants.h"
#include "external_writer.h"
#include "machine.h"
#include "method_rules.h"
#include "xml.h"

namespace vss {
namespace sim {

class SimSession : public Session {
 public:
  explicit SimSession(std::shared_ptr<Machine> machine);
  ~SimSession() override;

  void InitializeForBackup(const std::optional<std::string>& bcdXml) override;
  void InitializeForRestore(const std::string& bcdXml) override;
  void SetContext(int32_t context) override;
  void SetBackupState(const BackupState& state) override;

  void GatherWriterMetadata(AsyncControl& control) override;
  WriterMetadataList GetWriterMetadata() override;
  void FreeWriterMetadata() override;
  void GatherWriterStatus(AsyncControl& control) override;
  std::vector<WriterStatus> GetWriterStatus() override;
  void FreeWriterStatus() override;
  void EnableWriterClasses(const std::vector<Guid>& writerIds) override;
  void DisableWriterClasses(const std::vector<Guid>& writerIds) override;
  void DisableWriterInstances(const std::vector<Guid>& instanceIds) override;
  void AddComponent(const ComponentRef& component) override;
  void SetBackupOptions(const ComponentRef& component, const std::string& options) override;
  void SetPreviousBackupStamp(const ComponentRef& component, const std::string& stamp) override;
  std::vector<WriterComponents> GetWriterComponents() override;

  Guid StartSnapshotSet() override;
  bool IsVolumeSupported(const std::string& volume, const Guid& providerId) override;
  Guid AddToSnapshotSet(const std::string& volume, const Guid& providerId) override;
  RootAndLogicalPrefix GetRootAndLogicalPrefixPaths(const std::string& filePath, bool normalizeFqdn) override;
  void PrepareForBackup(AsyncControl& control) override;
  void DoSnapshotSet(AsyncControl& control) override;
  SnapshotProperties GetSnapshotProperties(const Guid& snapshotId) override;
  void SetBackupSucceeded(const ComponentRef& component, bool succeeded) override;
  void BackupComplete(AsyncControl& control) override;
  void AbortBackup() override;
  std::string SaveAsXml() override;
  void ImportSnapshots(AsyncControl& control) override;

  void SetSelectedForRestore(const ComponentRef& component, bool selected) override;
  void SetRestoreOptions(const ComponentRef& component, const std::string& options) override;
  void SetAdditionalRestores(const ComponentRef& component, bool additional) override;
  void SetFileRestoreStatus(const ComponentRef& component, int32_t status) override;
  void SetRestoreState(int32_t restoreType) override;
  int32_t RestoreState() const { return restoreType_; }
  void AddNewTarget(const ComponentRef& component, const FileDescriptor& target) override;
  void AddAlternativeLocationMapping(const ComponentRef& component, const FileDescriptor& mapping) override;
  void AddRestoreSubcomponent(const ComponentRef& component, const RestoreSubcomponent& subcomponent) override;
  void SetRangesFilePath(const ComponentRef& component, uint32_t partialFile, const std::string& rangesFile) override;
  void SetAuthoritativeRestore(const ComponentRef& component, bool authoritative) override;
  void SetRestoreName(const ComponentRef& component, const std::string& name) override;
  void SetRollForward(const ComponentRef& component, int32_t type, const std::string& point) override;
  void PreRestore(AsyncControl& control) override;
  void PostRestore(AsyncControl& control) override;

  std::vector<SnapshotProperties> QuerySnapshots() override;
  std::vector<ProviderProperties> QueryProviders() override;
  DeleteResult DeleteSnapshots(const Guid& id, bool wholeSet, bool forceDelete) override;
  std::string ExposeSnapshot(const ExposeRequest& request) override;
  void UnexposeSnapshot(const Guid& snapshotId) override;
  void BreakSnapshotSet(const Guid& snapshotSetId) override;
  void BreakSnapshotSetEx(const Guid& snapshotSetId, uint32_t flags, AsyncControl& control) override;
  void BreakLocked(const Guid& snapshotSetId, const char* op, uint32_t flags);  // holds the MachineLock
  void RevertToSnapshot(const Guid& snapshotId, bool forceDismount) override;
  void QueryRevertStatus(const std::string& volume, AsyncControl& control) override;

 private:
  enum class Mode { None, Backup, Restore };
  // Failed: DoSnapshotSet failed or was cancelled; only AbortBackup (and release) remain.
  enum class Stage { Created, Initialized, SetStarted, Prepared, SnapshotsDone, Completed, Aborted, Failed, PreRestored, PostRestored };

  struct SelectedComponent {
    Guid instanceId;
    Guid writerId;
    ComponentStatus status;
  };
  struct PendingVolume {
    Guid snapshotId;
    std::string volumeName;  // a share's: its physical path (\\fqdn\share\), the key two spellings share
    Guid providerId;
    // A remote file share (file_shares.h): the root as added, the server's FQDN, its backing folder.
    bool share = false;
    bool fqdnForm = false;
    std::string shareRoot;
    std::string serverName;  // the file server's host name
    std::string shareName;   // the share's name as the server spells it
    std::string shareHostPath;
  };
  // AddToSnapshotSet and IsVolumeSupported of a UNC path: whether the share can be shadow-copied
  // by `providerId` (null: any provider), and, adding, the pending entry.
  Guid AddShareLocked(const std::string& path, const Guid& providerId);
  bool ShareSupportedLocked(const std::string& path, const Guid& providerId, const char* op);
  void CommitShareLocked(const PendingVolume& p, int64_t now);

  void RequireInitialized(const char* operation) const;
  void RequireBackup(const char* operation) const;
  void RequireMetadata(const char* operation) const;
  // DoSnapshotSet's providers preparing the set's volumes: fails the set (FailSet) for a
  // volume offline for protection or short of shadow storage (the rows of method_rules.inc).
  void PrepareVolumes(const char* operation);
  SessionFacts Facts() const;  // what the method rules (method_rules.inc) test
  std::string SetHistory() const;  // what created or ended this session's set (SessionFacts::setHistory)
  bool Persistent() const { return (context_ & 0x1) != 0; }
  bool Transportable() const { return (static_cast<uint32_t>(context_) & attr::kTransportable) != 0 && context_ != ctx::kAll; }
  bool WithWriters() const { return (context_ & 0x10) == 0; }
  // Writers taking part in this backup (instance ids), under the machine lock.
  std::vector<Guid> ChooseParticipants();
  // Whether EnableWriterClasses/DisableWriterClasses/DisableWriterInstances leave `w` in this session.
  bool Selected(const SimWriter& w) const;
  struct Veto {
    uint32_t error;
    std::string writer;
  };
  // Runs one writer event across `writers`, with its simulated time, faults and
  // timeouts; throws VSS_S_ASYNC_CANCELLED (after aborting) when cancelled. Returns the
  // first writer's veto, if one vetoed.
  std::optional<Veto> RunPhase(Phase phase, const std::vector<Guid>& writers, AsyncControl& control, const char* operation);
  // Fails the set (none of its shadow copies stays), ends it as the ABORT row for `when`
  // says (writers told or not), and throws `result`.
  [[noreturn]] void FailSet(uint32_t result, const char* operation, const std::string& why, AbortWhen when);
  void StampComponents();  // the writers' SetBackupStamp in PostSnapshot
  void SetRestoreChoices();  // the writers' SetRestoreTarget, AddDirectedTarget, SetRestoreMetadata in PreRestore
  // What a subscribed writer's getters answer during `phase` (session_writer_event.cpp); machine held.
  WriterEvent WriterEventLocked(Phase phase, const SimWriter& w) const;
  // Waits `ms` of simulated time; false when cancelled.
  // A writer the wait is for, and when (ms after the wait began, real time) it answers.
  struct Pending {
    std::string name;
    double answersAtMs;
  };
  // Waits ms (scaled), reporting progress with the phase and, once the quick writers have
  // answered (after quickMs), the writers still pending.
  bool Wait(double ms, AsyncControl& control, const char* operation, double startedMs, const char* phase = "",
            const std::vector<Pending>& pending = {}, double quickMs = 0);
  void ShutdownWritersLocked();  // OnBackupShutdown, sent when the requester releases after a backup
  // Ends the backup early as the ABORT row for `when` says (method_rules.inc): the writers taking
  // part hear Abort or not, the set lock is released, this set's auto-release shadows deleted or kept.
  void AbortLocked(AbortWhen when);
  // The requester's AbortBackup, or its release mid-backup: the ABORT row for this stage.
  AbortWhen RequesterAbort() const;
  void ReleaseSetLockLocked();
  void DeleteShadowLocked(size_t index);
  void MakeRoomLocked(const SimVolume& volume);  // deletes the oldest shadow copies over the storage maximum
  SelectedComponent* FindSelected(const ComponentRef& component);
  SelectedComponent& RestoredComponent(const ComponentRef& component, const char* op);
  std::vector<WriterComponents> GroupedComponents() const;
  bool Visible(const SimShadow& shadow) const;
  // Whether this session created it (sessions of other processes sharing a state file have ids of their own).
  bool OwnedHere(const SimShadow& shadow) const { return shadow.ownerSession == id_ && shadow.ownerProcess == 0; }

  std::shared_ptr<Machine> machine_;
  uint64_t id_;
  Mode mode_ = Mode::None;
  Stage stage_ = Stage::Created;
  int32_t context_ = 0;
  bool contextSet_ = false;
  BackupState backupState_;
  bool metadataGathered_ = false;
  int32_t restoreType_ = 0;  // SetRestoreState: VSS_RESTORE_TYPE, VSS_RTYPE_UNDEFINED until set
  bool metadataAvailable_ = false;
  bool statusAvailable_ = false;
  WriterMetadataList metadata_;
  std::vector<WriterStatus> status_;
  std::set<std::string> enabledClasses_, disabledClasses_, disabledInstances_;
  std::set<std::string> excluded_;  // instance ids left out of this session when GatherWriterMetadata ran
  std::vector<Guid> identified_;    // instance ids that answered this session's Identify
  std::vector<SelectedComponent> selected_;
  std::vector<Guid> participants_;
  Guid setId_;
  bool holdsSetLock_ = false;
  // DoSnapshotSet failed without VSS sending Abort (a PrepareForSnapshot veto): the writers
  // that prepared wait for the requester's AbortBackup.
  bool abortPending_ = false;
  std::vector<PendingVolume> pending_;
  std::vector<Guid> created_;
  int stampCounter_ = 0;
  // A transportable set this session made: its shadow copies stay on the storage array, out of
  // this machine's VSS, described in the saved document (SNAPSHOT_SET_DESCRIPTION).
  std::optional<SnapshotSetDescription> transported_;
  // The description in the document InitializeForBackup loaded (what ImportSnapshots brings in).
  std::optional<SnapshotSetDescription> loadedSet_;
  // Subscribed writers (external_writer.h): when each one's Freeze was delivered (NowMs), by instance
  // id, until Thaw or Abort: its freeze window is measured, not declared.
  std::map<std::string, double> freezeStartedMs_;
  std::set<std::string> unstamped_;  // instance ids whose PostSnapshot set no backup stamp (a 'no-stamp' fault)
};

}  // namespace sim
}  // namespace vss
