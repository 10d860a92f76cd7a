// Plain C++ mirrors of the VSS data a requester sees. No COM or N-API types:
// both backends fill these, and the N-API layer turns them into JS objects.
// Numeric fields keep the raw VSS enum values (VSS_WRITER_STATE, VSS_BACKUP_TYPE, ...);
// names for them live in enums.h.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "guid.h"
#include "packed_files.h"

namespace vss {

struct WriterStatus {
  Guid instanceId;
  Guid writerId;
  std::string name;
  std::string instanceName;
  int32_t state = 0;                // VSS_WRITER_STATE
  uint32_t lastError = 0;           // hrWriterFailure: 0 or a VSS_E_WRITERERROR_* code
  uint32_t applicationError = 0;    // hrApplication (IVssBackupComponentsEx3 only)
  std::string failureMessage;       // bstrApplicationMessage (IVssBackupComponentsEx3 only)
  bool hasExtendedStatus = false;   // whether the two fields above were available
};

struct FileDescriptor {
  std::string path;
  std::string filespec;
  bool recursive = false;
  std::string alternatePath;
  uint32_t backupTypeMask = 0;  // VSS_FILE_SPEC_BACKUP_TYPE bits
};

struct Dependency {
  Guid writerId;
  std::string logicalPath;
  std::string componentName;
};

struct Component {
  int32_t type = 0;  // VSS_COMPONENT_TYPE: 1 database, 2 file group
  std::string logicalPath;
  std::string name;
  std::string caption;
  bool restoreMetadata = false;
  bool notifyOnBackupComplete = false;
  bool selectable = false;
  bool selectableForRestore = false;
  uint32_t flags = 0;  // VSS_COMPONENT_FLAGS
  std::vector<FileDescriptor> files;
  std::vector<FileDescriptor> databaseFiles;
  std::vector<FileDescriptor> logFiles;
  std::vector<Dependency> dependencies;
};

struct RestoreMethod {
  int32_t method = 0;  // VSS_RESTOREMETHOD_ENUM
  std::string service;
  std::string userProcedure;
  int32_t writerRestore = 0;  // VSS_WRITERRESTORE_ENUM
  bool rebootRequired = false;
  uint32_t mappingCount = 0;
};

struct WriterMetadata {
  Guid instanceId;
  Guid writerId;
  std::string name;
  std::string instanceName;
  int32_t usage = 0;   // VSS_USAGE_TYPE
  int32_t source = 0;  // VSS_SOURCE_TYPE
  uint32_t backupSchema = 0;
  uint32_t versionMajor = 0;
  uint32_t versionMinor = 0;
  bool hasRestoreMethod = false;
  RestoreMethod restoreMethod;
  std::vector<FileDescriptor> includeFiles;
  std::vector<FileDescriptor> excludeFiles;
  std::vector<FileDescriptor> excludeFromSnapshot;
  std::vector<FileDescriptor> alternateLocationMappings;
  std::vector<Component> components;
  std::string xml;  // IVssExamineWriterMetadata::SaveAsXML
  // Set by a backend that read the file lists straight into the form they cross to
  // JavaScript in (the COM route, from the writer's saved document: packed_files.h); the
  // file-list vectors above (the writer's and each component's) are then empty, and the
  // lists are here only. Nothing in the native code reads a gathered writer's files.
  std::optional<PackedFileLists> packedFiles;
};

// What GetWriterMetadata hands out: shared, not copied. A System Writer's metadata is 19,000
// files of strings; the engine keeps what the gathering found for later calls, and each copy
// of it (and its freeing) cost about as much as turning it into JavaScript (BENCHMARKS.md).
using WriterMetadataList = std::vector<std::shared_ptr<const WriterMetadata>>;


// VSS_SNAPSHOT_PROP, field for field.
struct SnapshotProperties {
  Guid snapshotId;
  Guid snapshotSetId;
  int32_t snapshotsCount = 0;
  std::string snapshotDeviceObject;
  std::string originalVolumeName;
  std::string originatingMachine;
  std::string serviceMachine;
  std::string exposedName;
  std::string exposedPath;
  Guid providerId;
  int32_t snapshotAttributes = 0;  // VSS_VOLSNAP_ATTR_* bits, context included
  int64_t creationTimestamp = 0;   // FILETIME: 100 ns intervals since 1601-01-01 UTC
  int32_t status = 0;              // VSS_SNAPSHOT_STATE
};

// A transportable snapshot set as the Backup Components Document carries it (SNAPSHOT_SET_DESCRIPTION,
// read on Windows through IVssSnapshotSetDescription / IVssSnapshotDescription): what ImportSnapshots
// needs to bring the shadow copies into another computer's VSS.
struct SnapshotSetDescription {
  Guid snapshotSetId;
  int32_t context = 0;  // the VSS_SNAPSHOT_CONTEXT the set was created in (TRANSPORTABLE among its bits)
  std::vector<SnapshotProperties> snapshots;
};

// VSS_PROVIDER_PROP.
struct ProviderProperties {
  Guid providerId;
  std::string name;
  int32_t type = 0;  // VSS_PROVIDER_TYPE
  std::string version;
  Guid versionId;
  Guid classId;
};

// IVssBackupComponentsEx4::GetRootAndLogicalPrefixPaths: the root to pass to AddToSnapshotSet, and
// the volume GUID name (local path) or fully evaluated share path (UNC path).
struct RootAndLogicalPrefix {
  std::string rootPath;
  std::string logicalPrefix;
};

struct DeleteResult {
  int32_t deletedCount = 0;
  Guid nonDeletedSnapshotId;
};

// Identifies one component of one writer instance, as AddComponent and friends take it.
struct ComponentRef {
  Guid instanceId;
  Guid writerId;
  int32_t componentType = 0;
  std::string logicalPath;
  std::string name;
};

struct BackupState {
  bool selectComponents = true;
  bool bootableSystemState = false;
  int32_t backupType = 1;  // VSS_BT_FULL
  bool partialFileSupport = false;
};

// A partial file a writer recorded for a component (IVssComponent::AddPartialFile / GetPartialFile).
struct PartialFile {
  std::string path, filespec;
  std::string ranges;  // "offset:length,..." or the path of a ranges file (SetRangesFilePath)
  std::string metadata;
};

// A file remapped at restore time (IVssComponent::AddDirectedTarget / GetDirectedTarget).
struct DirectedTarget {
  std::string sourcePath, sourceFilespec, sourceRanges, targetPath, targetFilespec, targetRanges;
};

// Files backed up only when changed since a time (IVssComponent::AddDifferencedFilesByLastModifyTime /
// GetDifferencedFile).
struct DifferencedFile {
  std::string path, filespec;
  bool recursive = false;
  bool hasTime = false;
  uint64_t lastModifyTime = 0;  // FILETIME (UTC); 0: the requester may use its own records
  std::string lastModifyLsn;
};

// A writer's failure on one component (IVssComponentEx2::SetFailure / GetFailure).
struct ComponentFailure {
  bool set = false;  // SetFailure was called (its hr may be S_OK)
  uint32_t hr = 0;
  uint32_t applicationError = 0;
  std::string message;
};

// A subcomponent selected for restore (AddRestoreSubcomponent / IVssComponent::GetRestoreSubcomponent).
struct RestoreSubcomponent {
  std::string logicalPath, componentName;
  bool repair = false;  // bRepair: reserved, false
};

// One component as the Backup Components Document records it (IVssComponent).
struct ComponentStatus {
  int32_t componentType = 0;
  std::string logicalPath;
  std::string name;
  bool backupSucceeded = false;
  std::string backupStamp;
  std::string previousBackupStamp;
  std::string postSnapshotBackupStamp;  // reserved for future use
  std::string backupOptions;
  std::string restoreOptions;
  bool selectedForRestore = false;
  bool additionalRestores = false;
  int32_t fileRestoreStatus = 0;  // VSS_FILE_RESTORE_STATUS
  // What the requester set for the restore, as the writer reads it (IVssComponent/IVssComponentEx).
  bool authoritativeRestore = false;  // SetAuthoritativeRestore
  std::string restoreName;            // SetRestoreName
  int32_t rollForwardType = 0;        // SetRollForward: VSS_ROLLFORWARD_TYPE (0 undefined)
  std::string rollForwardPoint;
  std::vector<FileDescriptor> newTargets;  // AddNewTarget: files restored elsewhere (alternatePath)
  // AddAlternativeLocationMapping: file sets restored to their alternate location (alternatePath: the destination).
  std::vector<FileDescriptor> alternateLocationMappings;
  std::vector<RestoreSubcomponent> restoreSubcomponents;  // AddRestoreSubcomponent
  std::vector<PartialFile> partialFiles;                  // the writer's AddPartialFile; SetRangesFilePath moves a ranges file
  // What a writer sets on the component while it handles an event (IVssComponent / IVssComponentEx
  // setters), kept in the Backup Components Document for the requester and for the restore.
  std::string backupMetadata;              // SetBackupMetadata (private to the writer)
  std::string prepareForBackupFailureMsg;  // SetPrepareForBackupFailureMsg (OnPrepareBackup)
  std::string postSnapshotFailureMsg;      // SetPostSnapshotFailureMsg (OnPostSnapshot)
  std::string preRestoreFailureMsg;        // SetPreRestoreFailureMsg
  std::string postRestoreFailureMsg;       // SetPostRestoreFailureMsg
  std::string restoreMetadata;             // SetRestoreMetadata (OnPreRestore)
  int32_t restoreTarget = 0;               // SetRestoreTarget: VSS_RESTORE_TARGET (0 undefined)
  std::vector<DirectedTarget> directedTargets;    // AddDirectedTarget (restore)
  std::vector<DifferencedFile> differencedFiles;  // AddDifferencedFilesByLastModifyTime (backup)
  ComponentFailure failure;                       // IVssComponentEx2::SetFailure
};

struct WriterComponents {
  Guid instanceId;
  Guid writerId;
  std::vector<ComponentStatus> components;
};

// Shadow storage association (VSS_DIFF_AREA_PROP).
struct DiffArea {
  std::string volumeName;
  std::string diffAreaVolumeName;
  int64_t maximumDiffSpace = 0;
  int64_t allocatedDiffSpace = 0;
  int64_t usedDiffSpace = 0;
};

// A volume that can hold shadow storage (VSS_DIFF_VOLUME_PROP), with its space in bytes.
struct DiffVolume {
  std::string volumeName;   // \\?\Volume{GUID}\ path
  std::string displayName;  // what a user sees: "D:\"
  int64_t freeSpace = 0;
  int64_t totalSpace = 0;
};

// GetVolumeProtectLevel's answer (VSS_VOLUME_PROTECTION_INFO).
struct VolumeProtection {
  int32_t level = 0;             // VSS_PROTECTION_LEVEL
  bool offline = false;          // m_volumeIsOfflineForProtection
  int32_t fault = 0;             // VSS_PROTECTION_FAULT that took it offline
  int32_t failureStatus = 0;     // the internal failure status
  bool hasUnusedDiffArea = false;  // shadow storage files here serve a volume offline for protection
};

// IsVolumeSnapshotted's answer for one volume.
struct VolumeSnapshotState {
  bool snapshotsPresent = false;
  int32_t snapshotCompatibility = 0;  // VSS_SNAPSHOT_COMPATIBILITY bits (VSS_SC_DISABLE_DEFRAG 1, VSS_SC_DISABLE_CONTENTINDEX 2)
};

// How ExposeSnapshot publishes a shadow copy.
struct ExposeRequest {
  Guid snapshotId;
  std::string pathFromRoot;     // share only: the sub-folder to share
  int32_t attributes = 0;       // VSS_VOLSNAP_ATTR_EXPOSED_LOCALLY or _REMOTELY
  std::string expose;           // drive letter ("X:"), mount folder, or share name
};

// One Windows event log record, as readVssEvents returns it (EvtRender's system
// properties plus the formatted message and the named event data).
struct EventRecord {
  int64_t timeCreated = 0;  // FILETIME
  std::string channel;      // "Application", "System", ...
  std::string provider;     // "VSS", "VolSnap", ...
  uint32_t eventId = 0;
  int32_t level = 0;        // 1 critical, 2 error, 3 warning, 4 information
  uint64_t recordId = 0;
  std::string message;
  std::vector<std::pair<std::string, std::string>> data;  // named <EventData>
};

// What to read: every set filter narrows the result; empty lists match all.
struct EventQuery {
  int64_t since = 0;  // FILETIME, 0: no lower bound
  int64_t until = 0;  // FILETIME, 0: no upper bound
  std::vector<std::string> channels;
  // The caller named the channels: one this machine lacks is ERROR_EVT_CHANNEL_NOT_FOUND
  // (as wevtutil says), not an empty answer. The default channels skip absent ones.
  bool channelsNamed = false;
  std::vector<uint32_t> ids;
  std::vector<int32_t> levels;
  // Service Control Manager 7023/7031/7034 are kept only for these services (key, English display
  // name: lib/services.ts vssRelatedServices); empty: not filtered (core/service_events.h).
  std::vector<std::pair<std::string, std::string>> services;
  uint32_t max = 0;  // 0: no limit; otherwise the newest `max` records
};

// Restart of the Windows service that hosts VSS writers (the remedy for a failed
// writer), through the Service Control Manager.
struct ServiceRestartRequest {
  std::string service;      // short name, as `sc` takes it ("CryptSvc")
  std::string displayName;  // for messages
  std::vector<Guid> writerIds;  // the writer classes it hosts (lib/services.ts): the simulation resets these
  // When given, only these instances: instances of one class can live in different services
  // (Exchange's Store writer in MSExchangeIS, its Replica writer in MSExchangeRepl).
  std::vector<Guid> instanceIds;
  uint32_t timeoutMs = 60000;   // for each of stop and start
};

struct ServiceRestartResult {
  bool wasRunning = false;
  std::vector<std::string> dependents;  // active services that depended on it: stopped first, started again after
};

}  // namespace vss
