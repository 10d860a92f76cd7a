/**
 * The public result types. GUIDs are lowercase strings without braces; enum
 * values are readable names with the raw VSS numbers beside them; times are `Date`.
 * @module
 */
import type {
  FileRestoreStatus,
  RollForwardType,
  RestoreTarget,
  ProviderType,
  SnapshotAttribute,
  SnapshotState,
  WriterState,
  ComponentType,
  ProtectionFault,
  ProtectionLevel,
} from './enums.js';
import type { DifferencedFile, DirectedTarget, PartialFile, RestoreSubcomponent } from './metadata/types.js';

/** An HRESULT with its symbolic name. */
export interface HresultInfo {
  /** Unsigned 32-bit value, e.g. `0x800423f2`. */
  hresult: number;
  /** Symbolic name, e.g. `'VSS_E_WRITERERROR_TIMEOUT'`. */
  name: string;
}

/**
 * A writer of the Backup Components Document that is not on this machine, and the components of
 * it that a restore selected (`restore`'s `allowMissingWriters`, `VssMissingWritersError`).
 */
export interface MissingWriter {
  writerId: string;
  instanceId: string;
  /** The name the known-writers table gives its class id; `null` when the class is not known. */
  name: string | null;
  /** The selected components, as `logicalPath\\name`. */
  components: string[];
}

/** One writer's status, as `IVssBackupComponents::GetWriterStatus` reports it. */
export interface WriterStatus {
  /** The writer's name, e.g. `'System Writer'`. */
  name: string;
  /** The writer class id. */
  writerId: string;
  /** The writer instance id. */
  instanceId: string;
  /** The instance name (often empty). */
  instanceName: string;
  /** The state, e.g. `'stable'`, `'failed-at-freeze'`. */
  state: WriterState;
  /** The raw `VSS_WRITER_STATE` number. */
  stateCode: number;
  /** The writer's failure (`VSS_E_WRITERERROR_*`), or `null` when it has none. */
  lastError: HresultInfo | null;
  /** The application's own error code (Windows Server 2008 and later), or `null`. */
  applicationError: HresultInfo | null;
  /** The application's failure message (Windows Server 2008 and later), or `null`. */
  failureMessage: string | null;
}

/** A shadow copy: every field of `VSS_SNAPSHOT_PROP`. */
export interface ShadowCopy {
  snapshotId: string;
  setId: string;
  /** How many shadow copies the set holds. */
  snapshotsCount: number;
  /** `\\?\GLOBALROOT\Device\HarddiskVolumeShadowCopyN`: open files through it. */
  deviceObject: string;
  /** The volume it copies, as `\\?\Volume{guid}\`. */
  originalVolume: string;
  originatingMachine: string;
  serviceMachine: string;
  /** Where it is exposed (drive letter, folder or share), or `null`. */
  exposedName: string | null;
  /** The exposed sub-path (shares), or `null`. */
  exposedPath: string | null;
  providerId: string;
  /** The named attribute bits (context included), e.g. `['persistent', 'no-auto-release']`. */
  attributes: SnapshotAttribute[];
  /** The raw `VSS_VOLUME_SNAPSHOT_ATTRIBUTES` bits. */
  attributesCode: number;
  createdAt: Date;
  state: SnapshotState;
  stateCode: number;
}

/** A shadow copy provider (`VSS_PROVIDER_PROP`). */
export interface Provider {
  providerId: string;
  name: string;
  type: ProviderType;
  typeCode: number;
  version: string;
  versionId: string;
  classId: string;
}

/** A component's backup/restore record in the Backup Components Document. */
export interface ComponentStatus {
  name: string;
  logicalPath: string;
  type: ComponentType;
  typeCode: number;
  backupSucceeded: boolean;
  backupStamp: string;
  previousBackupStamp: string;
  backupOptions: string;
  restoreOptions: string;
  selectedForRestore: boolean;
  additionalRestores: boolean;
  fileRestoreStatus: FileRestoreStatus;
  /** `SetAuthoritativeRestore`: the restored data wins over replicas (Active Directory, DFS-R). */
  authoritativeRestore: boolean;
  /** `SetRestoreName`: the name the component is restored under; `''` when not set. */
  restoreName: string;
  /** `SetRollForward`: how far the writer replays its logs after the restore; `'unknown'` when not set. */
  rollForward: RollForwardType;
  /** `SetRollForward`'s point for a `'partial'` roll-forward; `''` otherwise. */
  rollForwardPoint: string;
  /** `AddNewTarget`: files restored to another place than the one they were backed up from. */
  newTargets: NewTarget[];
  /**
   * `AddAlternativeLocationMapping`: file sets restored to the writer's alternate location
   * (`IVssComponent::GetAlternateLocationMapping`); `alternatePath` is where they went.
   */
  alternateLocationMappings: NewTarget[];
  /** The partial files the writer recorded at backup (`GetPartialFile`); `SetRangesFilePath` changes a `ranges`. */
  partialFiles: PartialFile[];
  /** `AddRestoreSubcomponent`: subcomponents restored on their own (`GetRestoreSubcomponent`). */
  restoreSubcomponents: RestoreSubcomponent[];
  /** The writer's private data from its backup (`SetBackupMetadata`, `GetBackupMetadata`), or `null`. */
  backupMetadata: string | null;
  /** The writer's private data from `OnPreRestore` (`SetRestoreMetadata`, `GetRestoreMetadata`), or `null`. */
  restoreMetadata: string | null;
  /** The writer's message from `OnPrepareBackup` (`GetPrepareForBackupFailureMsg`); `''` when none. */
  prepareForBackupFailureMessage: string;
  /** The writer's message from `OnPostSnapshot` (`GetPostSnapshotFailureMsg`); `''` when none. */
  postSnapshotFailureMessage: string;
  /** The writer's message from `OnPreRestore` (`GetPreRestoreFailureMsg`); `''` when none. */
  preRestoreFailureMessage: string;
  /** The writer's message from `OnPostRestore` (`GetPostRestoreFailureMsg`); `''` when none. */
  postRestoreFailureMessage: string;
  /** Where the writer wants the component restored (`SetRestoreTarget`, `GetRestoreTarget`); `'unknown'` when not set. */
  restoreTarget: RestoreTarget;
  /** The raw `VSS_RESTORE_TARGET`. */
  restoreTargetCode: number;
  /** `AddDirectedTarget`: files the writer remaps at restore, used when `restoreTarget` is `'directed'`. */
  directedTargets: DirectedTarget[];
  /** `AddDifferencedFilesByLastModifyTime`: files to back up only if changed since `lastModifyTime` (`GetDifferencedFile`). */
  differencedFiles: DifferencedFile[];
  /** The writer's failure on this component (`IVssComponentEx2::SetFailure`, `GetFailure`), or `null` when it set none. */
  failure: ComponentFailure | null;
}

/**
 * A component a writer set a failure on (`IVssComponentEx2::SetFailure`, read with `GetFailure`): with
 * `VSS_E_WRITERERROR_PARTIAL_FAILURE` as its writer's error, the components that failed.
 */
export interface FailedComponent {
  /** The writer's instance. */
  instanceId: string;
  logicalPath: string;
  name: string;
  failure: ComponentFailure;
}

/** A writer's failure on one component (`IVssComponentEx2::GetFailure`). */
export interface ComponentFailure {
  /** The writer's `VSS_E_WRITERERROR_*` (or `S_OK`). */
  error: HresultInfo;
  /** The application's own error code, or `null`. */
  applicationError: HresultInfo | null;
  /** The application's message, or `null`. */
  message: string | null;
}

/** A file specification restored elsewhere (`AddNewTarget`, read back with `IVssComponent::GetNewTarget`). */
export interface NewTarget {
  /** The folder the files were backed up from. */
  path: string;
  /** Their file name pattern. */
  filespec: string;
  /** Whether sub-folders are included. */
  recursive: boolean;
  /** Where they are restored to. */
  alternatePath: string;
}

/** One writer's components as recorded after a backup (`GetWriterComponents`). */
export interface WriterComponents {
  writerId: string;
  instanceId: string;
  components: ComponentStatus[];
}

/** A shadow storage association (diff area). Sizes in bytes. */
export interface ShadowStorage {
  volume: string;
  diffAreaVolume: string;
  maximumSize: bigint;
  allocatedSize: bigint;
  usedSize: bigint;
}

/**
 * A volume that can hold shadow storage (`VSS_DIFF_VOLUME_PROP`, from
 * `QueryVolumesSupportedForDiffAreas`), with its size and free space in bytes.
 */
export interface ShadowStorageVolume {
  /** The volume's `\\?\Volume{GUID}\` path. */
  volume: string;
  /** What VSS shows users for it (`C:\`). */
  displayName: string;
  freeSpace: bigint;
  totalSpace: bigint;
}

/**
 * A volume's shadow copy protection (`GetVolumeProtectLevel`, `VSS_VOLUME_PROTECTION_INFO`).
 */
export interface VolumeProtection {
  /** What the volume keeps when its shadow storage fails (`VSS_PROTECTION_LEVEL`). */
  level: ProtectionLevel;
  /** The volume is offline because of a protection fault (at level `snapshot`). */
  offline: boolean;
  /** The fault that took it offline (`VSS_PROTECTION_FAULT`; `none` when online). */
  fault: ProtectionFault;
  /** The fault's raw number beside its name. */
  faultCode: number;
  /** The internal failure status code. */
  failureStatus: number;
  /** The volume holds shadow storage files of a volume offline for protection (`DeleteUnusedDiffAreas` frees them). */
  hasUnusedDiffArea: boolean;
}

/** `IsVolumeSnapshotted`'s answer for one volume. */
export interface VolumeSnapshotState {
  /** The volume has at least one shadow copy (of any context). */
  snapshotsPresent: boolean;
  /** The raw `VSS_SNAPSHOT_COMPATIBILITY` bit mask; 0 when nothing is disabled. */
  snapshotCompatibility: number;
  /** `VSS_SC_DISABLE_DEFRAG` (1): defragmenting the volume is disabled while its shadow copies exist. */
  disableDefrag: boolean;
  /** `VSS_SC_DISABLE_CONTENTINDEX` (2): content indexing of the volume is disabled. */
  disableContentIndex: boolean;
}

/** The result of `DeleteSnapshots`. */
export interface DeleteResult {
  deletedCount: number;
  /** The id of the shadow copy that could not be deleted, or `null`. */
  nonDeletedId: string | null;
}

/** Identifies a component of a writer instance. */
export interface ComponentRef {
  writerId: string;
  instanceId: string;
  type: ComponentType;
  logicalPath?: string;
  name: string;
}

/** A progress report from a long VSS call. */
export interface ProgressEvent {
  /** The VSS call, e.g. `'DoSnapshotSet'`. */
  operation: string;
  /** Milliseconds since the call started. */
  elapsedMs: number;
  /**
   * Where the call is, when the backend knows it (the simulator does; real VSS's IVssAsync does not say):
   * the writers' phase (`'prepare-snapshot'`, `'freeze'`, `'commit'` (the provider), `'thaw'`,
   * `'post-snapshot'`, `'identify'`, `'prepare-backup'`, `'backup-complete'`, ...).
   */
  phase?: string;
  /** The writer (or writers, comma-separated) the phase still waits for after the others answered. */
  writer?: string;
}
