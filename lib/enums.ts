/**
 * Readable names for the numeric VSS enumerations, in both directions.
 * Names are the VSS constant without its prefix, in kebab case
 * (`VSS_WS_FAILED_AT_FREEZE` → `'failed-at-freeze'`); the raw numbers stay
 * available beside them wherever users need them. Code 0 of the `*_UNDEFINED`
 * enumerations, and any code VSS adds later, reads `'unknown'`. The tables come
 * from native/core/vocabulary.inc, the one the native layer reads too.
 * @module
 */

import { VOCABULARY } from './vocabulary.generated.js';

type Terms = readonly (readonly [number, string, string | null])[];

function table<const T extends Terms>(terms: T) {
  type N = T[number][1];
  const byName = new Map<string, number>(terms.map(([code, name]) => [name, code]));
  const byCode = new Map<number, N>(terms.map(([code, name]) => [code, name as N]));
  return {
    names: terms.map(([, name]) => name) as N[],
    code: (name: N): number => byName.get(name)!,
    name: (code: number): N | 'unknown' => byCode.get(code) ?? 'unknown',
    has: (name: string): name is N => byName.has(name),
  };
}

/** `VSS_WRITER_STATE`. */
export const WriterStates = table(VOCABULARY.WriterState.terms);
/**
 * A writer's state (`VSS_WRITER_STATE`), as `GatherWriterStatus` reports it: `stable`
 * between operations, `waiting-for-*` while a backup goes on, `failed-at-*` naming the event that failed.
 *
 * Source: [VSS_WRITER_STATE](https://learn.microsoft.com/windows/win32/api/vss/ne-vss-vss_writer_state).
 */
export type WriterState =
  /** `0`: the state is not known (a writer error) */
  | 'unknown'
  /** `1`: ready for a new backup or restore; no operation in progress */
  | 'stable'
  /** `2`: prepared for the snapshot, waiting to freeze its writes */
  | 'waiting-for-freeze'
  /** `3`: frozen, waiting for Thaw after the snapshot is taken */
  | 'waiting-for-thaw'
  /** `4`: thawed, waiting for PostSnapshot */
  | 'waiting-for-post-snapshot'
  /** `5`: waiting for the requester to call BackupComplete */
  | 'waiting-for-backup-complete'
  /** `6`: failed while describing itself (Identify, metadata gathering) */
  | 'failed-at-identify'
  /** `7`: failed at PrepareForBackup */
  | 'failed-at-prepare-backup'
  /** `8`: failed while preparing for the snapshot (PrepareForSnapshot) */
  | 'failed-at-prepare-snapshot'
  /** `9`: failed to freeze its writes */
  | 'failed-at-freeze'
  /** `10`: failed to thaw */
  | 'failed-at-thaw'
  /** `11`: failed at PostSnapshot, after the snapshot was taken */
  | 'failed-at-post-snapshot'
  /** `12`: failed at BackupComplete */
  | 'failed-at-backup-complete'
  /** `13`: failed at PreRestore */
  | 'failed-at-pre-restore'
  /** `14`: failed at PostRestore */
  | 'failed-at-post-restore'
  /** `15`: failed when the requester ended the backup (BackupShutdown) */
  | 'failed-at-backup-shutdown';

/** `VSS_BACKUP_TYPE`. */
export const BackupTypes = table(VOCABULARY.BackupType.terms);
/**
 * The kind of backup a requester declares with `SetBackupState` (`VSS_BACKUP_TYPE`); writers
 * decide from it which files to report and whether to record the backup in their history.
 *
 * Source: [VSS_BACKUP_TYPE](https://learn.microsoft.com/windows/win32/api/vss/ne-vss-vss_backup_type).
 */
export type BackupType =
  /** `1`: every file, whatever its last backup; writers record the backup in their history */
  | 'full'
  /** `2`: the files changed since the last full or incremental backup */
  | 'incremental'
  /** `3`: the files changed since the last full backup */
  | 'differential'
  /** `4`: only the writers' log files */
  | 'log'
  /** `5`: like full, but the writers' backup history is left as it was */
  | 'copy'
  /** `6`: none of the above (the writers decide) */
  | 'other';

/** `VSS_USAGE_TYPE`. */
export const UsageTypes = table(VOCABULARY.UsageType.terms);
/**
 * What a writer's data is for (`VSS_USAGE_TYPE`), from its metadata.
 *
 * Source: [VSS_USAGE_TYPE](https://learn.microsoft.com/windows/win32/api/vss/ne-vss-vss_usage_type).
 */
export type UsageType =
  /** `0`: `*_UNDEFINED`: not stated by the writer, or a number this version of vss-napi does not know */
  | 'unknown'
  /** `1`: part of the bootable system state (needed to start Windows) */
  | 'bootable-system-state'
  /** `2`: belongs to a system service */
  | 'system-service'
  /** `3`: user data */
  | 'user-data'
  /** `4`: none of the above */
  | 'other';

/** `VSS_SOURCE_TYPE`. */
export const SourceTypes = table(VOCABULARY.SourceType.terms);
/**
 * What kind of store a writer's data is (`VSS_SOURCE_TYPE`), from its metadata.
 *
 * Source: [VSS_SOURCE_TYPE](https://learn.microsoft.com/windows/win32/api/vss/ne-vss-vss_source_type).
 */
export type SourceType =
  /** `0`: `*_UNDEFINED`: not stated by the writer, or a number this version of vss-napi does not know */
  | 'unknown'
  /** `1`: a database with transactions (for example SQL Server) */
  | 'transacted-db'
  /** `2`: a database without transactions */
  | 'non-transacted-db'
  /** `3`: neither: for example plain files */
  | 'other';

/** `VSS_COMPONENT_TYPE`. */
export const ComponentTypes = table(VOCABULARY.ComponentType.terms);
/**
 * What a writer component is (`VSS_COMPONENT_TYPE`).
 *
 * Source: [VSS_COMPONENT_TYPE](https://learn.microsoft.com/windows/win32/api/vss/ne-vss-vss_component_type).
 */
export type ComponentType =
  /** `0`: `*_UNDEFINED`: not stated by the writer, or a number this version of vss-napi does not know */
  | 'unknown'
  /** `1`: a database: data files and log files */
  | 'database'
  /** `2`: a group of files */
  | 'file-group';

/** `VSS_RESTOREMETHOD_ENUM`. */
export const RestoreMethods = table(VOCABULARY.RestoreMethod.terms);
/**
 * How a writer wants its files restored (`VSS_RESTOREMETHOD_ENUM`), from its metadata.
 *
 * Source: [VSS_RESTOREMETHOD_ENUM](https://learn.microsoft.com/windows/win32/api/vss/ne-vss-vss_restoremethod_enum).
 */
export type RestoreMethodName =
  /** `0`: `*_UNDEFINED`: not stated by the writer, or a number this version of vss-napi does not know */
  | 'unknown'
  /** `1`: restore only if none of the files exist on disk */
  | 'restore-if-not-there'
  /** `2`: restore if every file can be replaced */
  | 'restore-if-can-replace'
  /** `3`: stop the named service, restore, start it again */
  | 'stop-restore-start'
  /** `4`: restore to the alternate location the writer names */
  | 'restore-to-alternate-location'
  /** `5`: files are replaced when Windows restarts */
  | 'restore-at-reboot'
  /** `6`: replace now where possible, otherwise at restart */
  | 'restore-at-reboot-if-cannot-replace'
  /** `7`: a method of the writer's own; generic requesters do not support it */
  | 'custom'
  /** `8`: restore, then stop the named service and start it again */
  | 'restore-stop-start';

/** `VSS_WRITERRESTORE_ENUM`. */
export const WriterRestoreModes = table(VOCABULARY.WriterRestore.terms);
/**
 * Whether a writer takes part in a restore (`VSS_WRITERRESTORE_ENUM`): whether it receives
 * the PreRestore and PostRestore events.
 *
 * Source: [VSS_WRITERRESTORE_ENUM](https://learn.microsoft.com/windows/win32/api/vss/ne-vss-vss_writerrestore_enum).
 */
export type WriterRestoreMode =
  /** `0`: `*_UNDEFINED`: not stated by the writer, or a number this version of vss-napi does not know */
  | 'unknown'
  /** `1`: never takes part */
  | 'never'
  /** `2`: takes part only if files could not be replaced */
  | 'if-replace-fails'
  /** `3`: always takes part */
  | 'always';

/** `VSS_SNAPSHOT_STATE`. */
export const SnapshotStates = table(VOCABULARY.SnapshotState.terms);
/**
 * A shadow copy's state (`VSS_SNAPSHOT_STATE`). Queries of finished shadow copies report
 * `created`; the others are the provider's steps while a set is being made, which VSS reserves for its own use.
 *
 * Source: [VSS_SNAPSHOT_STATE](https://learn.microsoft.com/windows/win32/api/vss/ne-vss-vss_snapshot_state).
 */
export type SnapshotState =
  /** `0`: not known */
  | 'unknown'
  /** `1`: the provider is preparing the shadow copy */
  | 'preparing'
  /** `2`: the preparation is running */
  | 'processing-prepare'
  /** `3`: prepared */
  | 'prepared'
  /** `4`: the pre-commit is running */
  | 'processing-precommit'
  /** `5`: pre-committed */
  | 'precommitted'
  /** `6`: the commit (the instant of the snapshot) is running */
  | 'processing-commit'
  /** `7`: committed */
  | 'committed'
  /** `8`: the post-commit is running */
  | 'processing-postcommit'
  /** `9`: the pre-final commit is running */
  | 'processing-prefinalcommit'
  /** `10`: pre-final committed */
  | 'prefinalcommitted'
  /** `11`: the post-final commit is running */
  | 'processing-postfinalcommit'
  /** `12`: made and ready for use */
  | 'created'
  /** `13`: the creation was aborted */
  | 'aborted'
  /** `14`: deleted */
  | 'deleted'
  /** `15`: post-committed */
  | 'postcommitted';

/** `VSS_PROVIDER_TYPE`. */
export const ProviderTypes = table(VOCABULARY.ProviderType.terms);
/**
 * The kind of shadow copy provider (`VSS_PROVIDER_TYPE`).
 *
 * Source: [VSS_PROVIDER_TYPE](https://learn.microsoft.com/windows/win32/api/vss/ne-vss-vss_provider_type).
 */
export type ProviderType =
  /** `0`: not known */
  | 'unknown'
  /** `1`: Windows' own provider (Microsoft Software Shadow Copy provider 1.0) */
  | 'system'
  /** `2`: a software provider of another vendor */
  | 'software'
  /** `3`: a hardware provider (a storage array) */
  | 'hardware'
  /** `4`: the provider of shadow copies of SMB file shares */
  | 'fileshare';

/** `VSS_RESTORE_TYPE`. */
export const RestoreTypes = table(VOCABULARY.RestoreType.terms);
/**
 * The kind of restore (`VSS_RESTORE_TYPE`, given to `SetRestoreState` before PreRestore).
 *
 * Source: [VSS_RESTORE_TYPE](https://learn.microsoft.com/windows/win32/api/vss/ne-vss-vss_restore_type).
 */
export type RestoreType =
  /** `0`: `VSS_RTYPE_UNDEFINED`: not set; writers read it as by-copy */
  | 'unknown'
  /** `1`: files are copied back from a backup */
  | 'by-copy'
  /** `2`: a transportable shadow copy is imported (no files copied) */
  | 'import'
  /** `3`: another kind of restore */
  | 'other';

/** `VSS_RESTORE_TARGET`. */
export const RestoreTargets = table(VOCABULARY.RestoreTarget.terms);
/**
 * Where a writer wants a component restored (`VSS_RESTORE_TARGET`, set by the writer with
 * `IVssComponent::SetRestoreTarget` during a restore).
 *
 * Source: [VSS_RESTORE_TARGET](https://learn.microsoft.com/windows/win32/api/vswriter/ne-vswriter-vss_restore_target).
 */
export type RestoreTarget =
  /** `0`: not set */
  | 'unknown'
  /** `1`: to the files' original location */
  | 'original'
  /** `2`: to the writer's alternate location mappings */
  | 'alternate'
  /** `3`: remapped as the component's `directedTargets` say */
  | 'directed'
  /** `4`: to the original location, with the files' own restore method (`VSS_RT_ORIGINAL_LOCATION`) */
  | 'original-location';

/** `VSS_ROLLFORWARD_TYPE`. */
export const RollForwardTypes = table(VOCABULARY.RollForwardType.terms);
/**
 * How far a writer rolls its data forward after a restore (`VSS_ROLLFORWARD_TYPE`, `SetRollForward`).
 *
 * Source: [VSS_ROLLFORWARD_TYPE](https://learn.microsoft.com/windows/win32/api/vss/ne-vss-vss_rollforward_type).
 */
export type RollForwardType =
  /** `0`: not set */
  | 'unknown'
  /** `1`: no roll-forward */
  | 'none'
  /** `2`: replay every log */
  | 'all'
  /** `3`: replay up to a point (`rollForwardPoint`) */
  | 'partial';

/** `VSS_PROTECTION_LEVEL`. */
export const ProtectionLevels = table(VOCABULARY.ProtectionLevel.terms);
/**
 * What a volume keeps when its shadow storage fails (`VSS_PROTECTION_LEVEL`, `SetVolumeProtectLevel`).
 *
 * Source: [VSS_PROTECTION_LEVEL](https://learn.microsoft.com/windows/win32/api/vsmgmt/ne-vsmgmt-vss_protection_level).
 */
export type ProtectionLevel =
  /** `0`: the volume's I/O, at the expense of its shadow copies (the default) */
  | 'original-volume'
  /** `1`: the shadow copies, at the expense of the volume's I/O ("shadow copy protection mode") */
  | 'snapshot';

/** `VSS_PROTECTION_FAULT`. */
export const ProtectionFaults = table(VOCABULARY.ProtectionFault.terms);
/**
 * Why a volume in shadow copy protection mode went offline (`VSS_PROTECTION_FAULT`, `GetVolumeProtectLevel`).
 *
 * Source: [VSS_PROTECTION_FAULT](https://learn.microsoft.com/windows/win32/api/vsmgmt/ne-vsmgmt-vss_protection_fault).
 */
export type ProtectionFault =
  /** `0`: no fault */
  | 'none'
  /** `1`: the shadow storage volume is missing */
  | 'diff-area-missing'
  /** `2`: an I/O error while the shadow copies were brought online */
  | 'io-failure-during-online'
  /** `3`: the shadow storage's metadata is corrupt */
  | 'meta-data-corruption'
  /** `4`: a memory allocation failed */
  | 'memory-allocation-failure'
  /** `5`: a mapped memory failure */
  | 'mapped-memory-failure'
  /** `6`: a copy-on-write read failed */
  | 'cow-read-failure'
  /** `7`: a copy-on-write write failed */
  | 'cow-write-failure'
  /** `8`: the shadow storage is full and cannot grow */
  | 'diff-area-full'
  /** `9`: the shadow storage could not grow fast enough */
  | 'grow-too-slow'
  /** `10`: growing the shadow storage failed */
  | 'grow-failed'
  /** `11`: every shadow copy was deleted */
  | 'destroy-all-snapshots'
  /** `12`: a file system failure */
  | 'file-system-failure'
  /** `13`: an I/O failure */
  | 'io-failure'
  /** `14`: the shadow storage was removed */
  | 'diff-area-removed'
  /** `15`: something other than VSS wrote to the shadow storage */
  | 'external-writer-to-diff-area'
  /** `16`: the volume was mounted while its cluster resource was offline */
  | 'mount-during-cluster-offline';

/** `VSS_FILE_RESTORE_STATUS`. */
export const FileRestoreStatuses = table(VOCABULARY.FileRestoreStatus.terms);
/**
 * What a restore did to a component's files (`VSS_FILE_RESTORE_STATUS`), told to the writers
 * with `SetFileRestoreStatus` before PostRestore.
 *
 * Source: [VSS_FILE_RESTORE_STATUS](https://learn.microsoft.com/windows/win32/api/vss/ne-vss-vss_file_restore_status).
 */
export type FileRestoreStatus =
  /** `0`: `*_UNDEFINED`: not stated, or a number this version of vss-napi does not know */
  | 'unknown'
  /** `1`: no file was restored */
  | 'none'
  /** `2`: every file was restored */
  | 'all'
  /** `3`: the restore failed part way: the files are in an unknown state */
  | 'failed';

/** `VSS_SNAPSHOT_CONTEXT`: the contexts a requester may pass to `SetContext`. */
export const SnapshotContexts = table(VOCABULARY.SnapshotContext.terms);
/**
 * What kind of shadow copies a session makes (`VSS_SNAPSHOT_CONTEXT`, given to `SetContext`):
 * whether they persist after the session is released, and whether writers take part.
 *
 * Source: [VSS_SNAPSHOT_CONTEXT](https://learn.microsoft.com/windows/win32/api/vss/ne-vss-vss_snapshot_context).
 */
export type SnapshotContext =
  /** `0x0`: for a backup: writers take part; released with the session */
  | 'backup'
  /** `0x10`: no writers; released with the session */
  | 'file-share-backup'
  /** `0x19`: persistent, no writers (for rolling back a NAS volume) */
  | 'nas-rollback'
  /** `0x9`: persistent, writers take part (for rolling an application back) */
  | 'app-rollback'
  /** `0x1d`: persistent, no writers, visible to users as Previous Versions */
  | 'client-accessible'
  /** `0xd`: persistent, writers take part, visible as Previous Versions */
  | 'client-accessible-writers';

/** A bit set's names to their bits. */
function bits<const T extends Terms>(terms: T) {
  return Object.freeze(Object.fromEntries(terms.map(([code, name]) => [name, code]))) as { readonly [K in T[number][1]]: number };
}

/** `VSS_VOLUME_SNAPSHOT_ATTRIBUTES` bits, named. */
export const SnapshotAttributeBits = bits(VOCABULARY.SnapshotAttribute.terms);
/**
 * One bit of a shadow copy's attributes (`VSS_VOLUME_SNAPSHOT_ATTRIBUTES`), by name; a context
 * is a set of them. The number before each value is its bit.
 *
 * Source: [_VSS_VOLUME_SNAPSHOT_ATTRIBUTES](https://learn.microsoft.com/windows/win32/api/vss/ne-vss-vss_volume_snapshot_attributes).
 */
export type SnapshotAttribute =
  /** `0x1`: persistent: kept after the requester ends (and across reboots) */
  | 'persistent'
  /** `0x2`: auto-recovery is off: writers do not make the copy consistent after it is taken */
  | 'no-autorecovery'
  /** `0x4`: a client-accessible copy, as Shadow Copies of Shared Folders (Previous Versions) make */
  | 'client-accessible'
  /** `0x8`: not deleted when the requester's session is released (VSS_VOLSNAP_ATTR_NO_AUTO_RELEASE) */
  | 'no-auto-release'
  /** `0x10`: made without writers taking part */
  | 'no-writers'
  /** `0x20`: transportable: can be imported on another machine (hardware providers) */
  | 'transportable'
  /** `0x40`: not surfaced: not yet visible as a device on this machine (hardware providers) */
  | 'not-surfaced'
  /** `0x80`: not transacted: the provider did not use transaction support */
  | 'not-transacted'
  /** `0x10000`: made by a hardware provider */
  | 'hardware-assisted'
  /** `0x20000`: differential: copy-on-write, sharing unchanged data with the volume */
  | 'differential'
  /** `0x40000`: plex: a full copy (a split mirror) */
  | 'plex'
  /** `0x80000`: imported with ImportSnapshots */
  | 'imported'
  /** `0x100000`: exposed on this machine (a drive letter or a mount folder) */
  | 'exposed-locally'
  /** `0x200000`: exposed as a share */
  | 'exposed-remotely'
  /** `0x400000`: writers are to make the copy consistent after it is taken (auto-recover) */
  | 'autorecover'
  /** `0x800000`: made for application rollback */
  | 'rollback-recovery'
  /** `0x1000000`: reserved for system use (PostSnapshot delayed) */
  | 'delayed-postsnapshot'
  /** `0x2000000`: TxF recovery enforced while the copy is made */
  | 'txf-recovery'
  /** `0x4000000`: a shadow copy of a file share (Windows Server 2012 and later) */
  | 'file-share';

/**
 * The names of the bits set in a `VSS_VOLUME_SNAPSHOT_ATTRIBUTES` value.
 * @example
 * snapshotAttributeNames(0x1d); // ['persistent', 'client-accessible', 'no-auto-release', 'no-writers']
 */
export function snapshotAttributeNames(bits: number): SnapshotAttribute[] {
  return (Object.entries(SnapshotAttributeBits) as [SnapshotAttribute, number][])
    .filter(([, bit]) => (bits & bit) === bit)
    .map(([name]) => name);
}

/** `VSS_COMPONENT_FLAGS` bits, named. */
export const ComponentFlagBits = bits(VOCABULARY.ComponentFlag.terms);
/**
 * One bit of a component's flags (`VSS_COMPONENT_FLAGS`), by name. The number before each
 * value is its bit.
 *
 * Source: [VSS_COMPONENT_FLAGS](https://learn.microsoft.com/windows/win32/api/vss/ne-vss-vss_component_flags).
 */
export type ComponentFlag =
  /** `0x1`: the writer needs write access to the component in a backup shadow copy (auto-recovery) */
  | 'backup-recovery'
  /** `0x2`: the writer needs write access to the component in an application-rollback shadow copy */
  | 'app-rollback-recovery'
  /** `0x4`: not part of the system state (Windows Server 2008 and later) */
  | 'not-system-state';

/**
 * The names of the bits set in a `VSS_COMPONENT_FLAGS` value.
 * @example
 * componentFlagNames(1); // ['backup-recovery']
 */
export function componentFlagNames(bits: number): ComponentFlag[] {
  return (Object.entries(ComponentFlagBits) as [ComponentFlag, number][])
    .filter(([, bit]) => (bits & bit) === bit)
    .map(([name]) => name);
}

/** The well-known id of Microsoft's system provider (Microsoft Software Shadow Copy provider 1.0). */
export const SYSTEM_PROVIDER_ID = 'b5946137-7b9f-4925-af80-51abd60b20d5';
