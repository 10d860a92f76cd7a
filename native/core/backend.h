// The backend seam: what vss-napi needs from VSS, in plain C++.
// Session mirrors IVssBackupComponents method for method (one session = one
// IVssBackupComponents instance); Backend creates sessions and answers the
// questions that sit outside a session. Implementations: the COM backend
// (native/com, Windows only) and the simulation backend (native/sim).
//
// Threading: every call on a Session, including its destruction, happens on the
// one thread that created it (the N-API layer gives each session its own thread,
// and calls Backend::ThreadEnter/ThreadLeave on it), so COM objects stay in the
// apartment they were made in. Errors are thrown as vss::VssException.
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "async_control.h"
#include "error.h"
#include "types.h"

namespace vss {

class Session {
 public:
  virtual ~Session() = default;

  // --- set-up ---
  virtual void InitializeForBackup(const std::optional<std::string>& bcdXml) = 0;
  virtual void InitializeForRestore(const std::string& bcdXml) = 0;
  virtual void SetContext(int32_t context) = 0;
  virtual void SetBackupState(const BackupState& state) = 0;

  // --- writers ---
  virtual void GatherWriterMetadata(AsyncControl& control) = 0;
  virtual WriterMetadataList GetWriterMetadata() = 0;
  virtual void FreeWriterMetadata() = 0;
  virtual void GatherWriterStatus(AsyncControl& control) = 0;
  virtual std::vector<WriterStatus> GetWriterStatus() = 0;
  virtual void FreeWriterStatus() = 0;
  virtual void EnableWriterClasses(const std::vector<Guid>& writerIds) = 0;
  virtual void DisableWriterClasses(const std::vector<Guid>& writerIds) = 0;
  virtual void DisableWriterInstances(const std::vector<Guid>& instanceIds) = 0;
  virtual void AddComponent(const ComponentRef& component) = 0;
  virtual void SetBackupOptions(const ComponentRef& component, const std::string& options) = 0;
  virtual void SetPreviousBackupStamp(const ComponentRef& component, const std::string& stamp) = 0;
  virtual std::vector<WriterComponents> GetWriterComponents() = 0;

  // --- the snapshot set ---
  virtual Guid StartSnapshotSet() = 0;
  virtual bool IsVolumeSupported(const std::string& volume, const Guid& providerId) = 0;
  virtual Guid AddToSnapshotSet(const std::string& volume, const Guid& providerId) = 0;
  // IVssBackupComponentsEx4 (Windows Server 2012 and later): normalizes a local or UNC path into
  // the root AddToSnapshotSet takes and its logical prefix; `normalizeFqdn` names a share's server
  // by its fully qualified domain name instead of its host name.
  virtual RootAndLogicalPrefix GetRootAndLogicalPrefixPaths(const std::string& filePath, bool normalizeFqdn) = 0;
  virtual void PrepareForBackup(AsyncControl& control) = 0;
  virtual void DoSnapshotSet(AsyncControl& control) = 0;
  virtual SnapshotProperties GetSnapshotProperties(const Guid& snapshotId) = 0;
  virtual void SetBackupSucceeded(const ComponentRef& component, bool succeeded) = 0;
  virtual void BackupComplete(AsyncControl& control) = 0;
  virtual void AbortBackup() = 0;
  virtual std::string SaveAsXml() = 0;
  // Brings in the transportable set described by the document InitializeForBackup loaded.
  virtual void ImportSnapshots(AsyncControl& control) = 0;

  // --- restore ---
  virtual void SetSelectedForRestore(const ComponentRef& component, bool selected) = 0;
  virtual void SetRestoreOptions(const ComponentRef& component, const std::string& options) = 0;
  virtual void SetAdditionalRestores(const ComponentRef& component, bool additional) = 0;
  virtual void SetFileRestoreStatus(const ComponentRef& component, int32_t status) = 0;
  virtual void SetRestoreState(int32_t restoreType) = 0;  // VSS_RESTORE_TYPE
  virtual void AddNewTarget(const ComponentRef& component, const FileDescriptor& target) = 0;
  // mapping.alternatePath is the destination.
  virtual void AddAlternativeLocationMapping(const ComponentRef& component, const FileDescriptor& mapping) = 0;
  virtual void AddRestoreSubcomponent(const ComponentRef& component, const RestoreSubcomponent& subcomponent) = 0;
  virtual void SetRangesFilePath(const ComponentRef& component, uint32_t partialFile, const std::string& rangesFile) = 0;
  // IVssBackupComponentsEx2
  virtual void SetAuthoritativeRestore(const ComponentRef& component, bool authoritative) = 0;
  virtual void SetRestoreName(const ComponentRef& component, const std::string& name) = 0;
  virtual void SetRollForward(const ComponentRef& component, int32_t type, const std::string& point) = 0;
  virtual void PreRestore(AsyncControl& control) = 0;
  virtual void PostRestore(AsyncControl& control) = 0;

  // --- management (IVssBackupComponents::Query, DeleteSnapshots, Expose, Break) ---
  virtual std::vector<SnapshotProperties> QuerySnapshots() = 0;
  virtual std::vector<ProviderProperties> QueryProviders() = 0;
  virtual DeleteResult DeleteSnapshots(const Guid& id, bool wholeSet, bool forceDelete) = 0;
  virtual std::string ExposeSnapshot(const ExposeRequest& request) = 0;
  virtual void UnexposeSnapshot(const Guid& snapshotId) = 0;
  virtual void BreakSnapshotSet(const Guid& snapshotSetId) = 0;
  // IVssBackupComponentsEx2::BreakSnapshotSetEx: `flags` are _VSS_HARDWARE_OPTIONS
  // (VSS_BREAKEX_FLAG_MASK_LUNS 1, _MAKE_READ_WRITE 2, _REVERT_IDENTITY_ALL 4, _REVERT_IDENTITY_NONE 8).
  virtual void BreakSnapshotSetEx(const Guid& snapshotSetId, uint32_t flags, AsyncControl& control) = 0;

  // --- revert (IVssBackupComponents::RevertToSnapshot, QueryRevertStatus) ---
  virtual void RevertToSnapshot(const Guid& snapshotId, bool forceDismount) = 0;
  // Waits for the revert running on `volume` to finish.
  virtual void QueryRevertStatus(const std::string& volume, AsyncControl& control) = 0;
};

class Backend {
 public:
  virtual ~Backend() = default;
  // "com" or "simulated": reported to JS so users can see which one answered.
  virtual std::string Name() const = 0;
  // Run on a session thread before its first and after its last call (COM init).
  virtual void ThreadEnter() {}
  virtual void ThreadLeave() {}
  // CreateVssBackupComponents.
  virtual std::unique_ptr<Session> CreateSession() = 0;
  // Shadow storage associations (IVssDifferentialSoftwareSnapshotMgmt).
  virtual std::vector<DiffArea> QueryDiffAreas() = 0;
  // ChangeDiffAreaMaximumSize: the most shadow storage `volume`'s shadow copies may
  // use on `diffAreaVolume`, in bytes; -1 for no limit, 0 to remove the association.
  virtual void ChangeDiffAreaMaximumSize(const std::string& volume, const std::string& diffAreaVolume, int64_t maximumSize) {
    (void)volume;
    (void)diffAreaVolume;
    (void)maximumSize;
    throw VssException(hr::kNotImpl, "ChangeDiffAreaMaximumSize");
  }
  // AddDiffArea: `volume`'s shadow copies keep their differences on `diffAreaVolume`,
  // up to maximumSize bytes (-1: no limit).
  virtual void AddDiffArea(const std::string& volume, const std::string& diffAreaVolume, int64_t maximumSize) {
    (void)volume;
    (void)diffAreaVolume;
    (void)maximumSize;
    throw VssException(hr::kNotImpl, "AddDiffArea");
  }
  // IVssDifferentialSoftwareSnapshotMgmt2::ChangeDiffAreaMaximumSizeEx: as above; `isVolatile`
  // changes the maximum only until the machine restarts (a 0 maximum must not be volatile).
  virtual void ChangeDiffAreaMaximumSizeEx(const std::string& volume, const std::string& diffAreaVolume, int64_t maximumSize, bool isVolatile) {
    (void)volume;
    (void)diffAreaVolume;
    (void)maximumSize;
    (void)isVolatile;
    throw VssException(hr::kNotImpl, "ChangeDiffAreaMaximumSizeEx");
  }
  // QueryVolumesSupportedForDiffAreas: the volumes that can hold `originalVolume`'s shadow storage.
  virtual std::vector<DiffVolume> QueryVolumesSupportedForDiffAreas(const std::string& originalVolume) {
    (void)originalVolume;
    throw VssException(hr::kNotImpl, "QueryVolumesSupportedForDiffAreas");
  }
  // QueryDiffAreasForVolume (the associations of `volume`'s shadow copies), QueryDiffAreasOnVolume
  // (those stored on `volume`), QueryDiffAreasForSnapshot (those of the shadow copy's original volume).
  virtual std::vector<DiffArea> QueryDiffAreasForVolume(const std::string& volume) {
    (void)volume;
    throw VssException(hr::kNotImpl, "QueryDiffAreasForVolume");
  }
  virtual std::vector<DiffArea> QueryDiffAreasOnVolume(const std::string& volume) {
    (void)volume;
    throw VssException(hr::kNotImpl, "QueryDiffAreasOnVolume");
  }
  virtual std::vector<DiffArea> QueryDiffAreasForSnapshot(const Guid& snapshotId) {
    (void)snapshotId;
    throw VssException(hr::kNotImpl, "QueryDiffAreasForSnapshot");
  }
  // IVssDifferentialSoftwareSnapshotMgmt3: shadow copy protection.
  virtual void SetVolumeProtectLevel(const std::string& volume, int32_t level) {
    (void)volume;
    (void)level;
    throw VssException(hr::kNotImpl, "SetVolumeProtectLevel");
  }
  virtual VolumeProtection GetVolumeProtectLevel(const std::string& volume) {
    (void)volume;
    throw VssException(hr::kNotImpl, "GetVolumeProtectLevel");
  }
  virtual void ClearVolumeProtectFault(const std::string& volume) {
    (void)volume;
    throw VssException(hr::kNotImpl, "ClearVolumeProtectFault");
  }
  virtual void DeleteUnusedDiffAreas(const std::string& diffAreaVolume) {
    (void)diffAreaVolume;
    throw VssException(hr::kNotImpl, "DeleteUnusedDiffAreas");
  }
  // IsVolumeSnapshotted (a free vssapi.dll function): whether the volume has shadow copies,
  // and which operations they disable on it.
  virtual VolumeSnapshotState IsVolumeSnapshotted(const std::string& volume) {
    (void)volume;
    throw VssException(hr::kNotImpl, "IsVolumeSnapshotted");
  }
  // ShouldBlockRevert (a free vssapi.dll function): whether a writer the registry lists under
  // VSS\Settings\WritersBlockingRevert has components on the volume.
  virtual bool ShouldBlockRevert(const std::string& volume) {
    (void)volume;
    throw VssException(hr::kNotImpl, "ShouldBlockRevert");
  }
  // The VSS-related records of the machine's event logs, oldest first (COM: wevtapi.dll).
  virtual std::vector<EventRecord> ReadEvents(const EventQuery& query) {
    (void)query;
    throw VssException(hr::kNotImpl, "ReadEvents");
  }
  // Follows the log: the first call starts following `query`'s channels (COM: EvtSubscribe
  // with EvtSubscribeToFutureEvents on each) and returns what was logged since, later calls
  // continue where the previous one stopped (the first call's query holds). Returns as soon
  // as there are records, or none after `timeoutMs` or when `control` is cancelled.
  virtual std::vector<EventRecord> FollowEvents(const EventQuery& query, uint32_t timeoutMs, AsyncControl& control) {
    (void)query;
    (void)timeoutMs;
    (void)control;
    throw VssException(hr::kNotImpl, "FollowEvents");
  }
  // Stops and starts a service (with the active services that depend on it), waiting
  // for each to reach its state (COM: the Service Control Manager).
  virtual ServiceRestartResult RestartService(const ServiceRestartRequest& request) {
    (void)request;
    throw VssException(hr::kNotImpl, "RestartService");
  }
};

}  // namespace vss
