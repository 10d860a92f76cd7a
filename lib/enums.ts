/**
 * Readable names for the numeric VSS enumerations, in both directions.
 * Names are the VSS constant without its prefix, in kebab case
 * (`VSS_WS_FAILED_AT_FREEZE` → `'failed-at-freeze'`); the raw numbers stay
 * available beside them wherever users need them.
 * @module
 */

function table<const N extends string>(entries: Record<N, number>) {
  const byCode = new Map<number, N>();
  for (const [name, code] of Object.entries(entries) as [N, number][]) byCode.set(code, name);
  return {
    names: Object.keys(entries) as N[],
    code: (name: N): number => entries[name],
    name: (code: number): N | 'unknown' => byCode.get(code) ?? 'unknown',
    has: (name: string): name is N => Object.prototype.hasOwnProperty.call(entries, name),
  };
}

/** `VSS_WRITER_STATE`. */
export const WriterStates = table({
  unknown: 0,
  stable: 1,
  'waiting-for-freeze': 2,
  'waiting-for-thaw': 3,
  'waiting-for-post-snapshot': 4,
  'waiting-for-backup-complete': 5,
  'failed-at-identify': 6,
  'failed-at-prepare-backup': 7,
  'failed-at-prepare-snapshot': 8,
  'failed-at-freeze': 9,
  'failed-at-thaw': 10,
  'failed-at-post-snapshot': 11,
  'failed-at-backup-complete': 12,
  'failed-at-pre-restore': 13,
  'failed-at-post-restore': 14,
  'failed-at-backup-shutdown': 15,
});
/** A writer state name, e.g. `'stable'` or `'failed-at-freeze'`. */
export type WriterState = (typeof WriterStates.names)[number];

/** `VSS_BACKUP_TYPE`. */
export const BackupTypes = table({
  undefined: 0,
  full: 1,
  incremental: 2,
  differential: 3,
  log: 4,
  copy: 5,
  other: 6,
});
/** A backup type accepted by `SetBackupState`. */
export type BackupType = Exclude<(typeof BackupTypes.names)[number], 'undefined'>;

/** `VSS_USAGE_TYPE`. */
export const UsageTypes = table({
  undefined: 0,
  'bootable-system-state': 1,
  'system-service': 2,
  'user-data': 3,
  other: 4,
});
export type UsageType = (typeof UsageTypes.names)[number] | 'unknown';

/** `VSS_SOURCE_TYPE`. */
export const SourceTypes = table({
  undefined: 0,
  'transacted-db': 1,
  'non-transacted-db': 2,
  other: 3,
});
export type SourceType = (typeof SourceTypes.names)[number] | 'unknown';

/** `VSS_COMPONENT_TYPE`. */
export const ComponentTypes = table({
  undefined: 0,
  database: 1,
  'file-group': 2,
});
export type ComponentType = (typeof ComponentTypes.names)[number] | 'unknown';

/** `VSS_RESTOREMETHOD_ENUM`. */
export const RestoreMethods = table({
  undefined: 0,
  'restore-if-not-there': 1,
  'restore-if-can-replace': 2,
  'stop-restore-start': 3,
  'restore-to-alternate-location': 4,
  'restore-at-reboot': 5,
  'restore-at-reboot-if-cannot-replace': 6,
  custom: 7,
  'restore-stop-start': 8,
});
export type RestoreMethodName = (typeof RestoreMethods.names)[number] | 'unknown';

/** `VSS_WRITERRESTORE_ENUM`. */
export const WriterRestoreModes = table({
  undefined: 0,
  never: 1,
  'if-replace-fails': 2,
  always: 3,
});
export type WriterRestoreMode = (typeof WriterRestoreModes.names)[number] | 'unknown';

/** `VSS_SNAPSHOT_STATE`. */
export const SnapshotStates = table({
  unknown: 0,
  preparing: 1,
  'processing-prepare': 2,
  prepared: 3,
  'processing-precommit': 4,
  precommitted: 5,
  'processing-commit': 6,
  committed: 7,
  'processing-postcommit': 8,
  'processing-prefinalcommit': 9,
  'prefinalcommitted': 10,
  'processing-postfinalcommit': 11,
  created: 12,
  aborted: 13,
  deleted: 14,
  postcommitted: 15,
});
export type SnapshotState = (typeof SnapshotStates.names)[number];

/** `VSS_PROVIDER_TYPE`. */
export const ProviderTypes = table({
  unknown: 0,
  system: 1,
  software: 2,
  hardware: 3,
  fileshare: 4,
});
export type ProviderType = (typeof ProviderTypes.names)[number];

/** `VSS_FILE_RESTORE_STATUS`. */
export const FileRestoreStatuses = table({
  undefined: 0,
  none: 1,
  all: 2,
  failed: 3,
});
export type FileRestoreStatus = (typeof FileRestoreStatuses.names)[number] | 'unknown';

/** `VSS_SNAPSHOT_CONTEXT`: the contexts a requester may pass to `SetContext`. */
export const SnapshotContexts = table({
  backup: 0x0,
  'file-share-backup': 0x10,
  'nas-rollback': 0x19,
  'app-rollback': 0x9,
  'client-accessible': 0x1d,
  'client-accessible-writers': 0xd,
  all: 0xffffffff,
});
export type SnapshotContext = Exclude<(typeof SnapshotContexts.names)[number], 'all'>;

/** `VSS_VOLUME_SNAPSHOT_ATTRIBUTES` bits, named. */
export const SnapshotAttributeBits = {
  persistent: 0x1,
  'no-autorecovery': 0x2,
  'client-accessible': 0x4,
  'no-auto-release': 0x8,
  'no-writers': 0x10,
  transportable: 0x20,
  'not-surfaced': 0x40,
  'not-transacted': 0x80,
  'hardware-assisted': 0x10000,
  differential: 0x20000,
  plex: 0x40000,
  imported: 0x80000,
  'exposed-locally': 0x100000,
  'exposed-remotely': 0x200000,
  autorecover: 0x400000,
  'rollback-recovery': 0x800000,
  'delayed-postsnapshot': 0x1000000,
  'txf-recovery': 0x2000000,
  'file-share': 0x4000000,
} as const;
export type SnapshotAttribute = keyof typeof SnapshotAttributeBits;

/**
 * The names of the bits set in a `VSS_VOLUME_SNAPSHOT_ATTRIBUTES` value.
 * @example
 * snapshotAttributeNames(0x1d); // ['persistent', 'no-auto-recovery', 'client-accessible', 'no-auto-release']
 */
export function snapshotAttributeNames(bits: number): SnapshotAttribute[] {
  return (Object.entries(SnapshotAttributeBits) as [SnapshotAttribute, number][])
    .filter(([, bit]) => (bits & bit) === bit)
    .map(([name]) => name);
}

/** `VSS_COMPONENT_FLAGS` bits, named. */
export const ComponentFlagBits = {
  'backup-recovery': 0x1,
  'app-rollback-recovery': 0x2,
  'not-system-state': 0x4,
} as const;
export type ComponentFlag = keyof typeof ComponentFlagBits;

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
