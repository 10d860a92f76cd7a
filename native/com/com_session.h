// One IVssBackupComponents, method for method behind vss::Session.
#pragma once
#include <vsbackup.h>

#include "../core/backend.h"
#include "com_ptr.h"

namespace vss {
namespace com {

class ComSession : public Session {
 public:
  explicit ComSession(ComPtr<IVssBackupComponents> components);
  ~ComSession() override;

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
  void RevertToSnapshot(const Guid& snapshotId, bool forceDismount) override;
  void QueryRevertStatus(const std::string& volume, AsyncControl& control) override;

 private:
  using AsyncStart = HRESULT (STDMETHODCALLTYPE IVssBackupComponents::*)(IVssAsync**);
  // Starts one of IVssBackupComponents' asynchronous calls and waits for it on this thread.
  void RunAsync(AsyncStart start, AsyncControl& control, const char* operation);

  ComPtr<IVssBackupComponents> components_;
  bool backupStarted_ = false;  // PrepareForBackup ran and the backup has not ended
};

}  // namespace com
}  // namespace vss
