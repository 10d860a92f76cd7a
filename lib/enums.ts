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
/** A writer state name, e.g. `'stable'` or `'failed-at-freeze'`. */
export type WriterState = (typeof WriterStates.names)[number];

/** `VSS_BACKUP_TYPE`. */
export const BackupTypes = table(VOCABULARY.BackupType.terms);
/** A backup type accepted by `SetBackupState`. */
export type BackupType = Exclude<(typeof BackupTypes.names)[number], 'unknown'>;

/** `VSS_USAGE_TYPE`. */
export const UsageTypes = table(VOCABULARY.UsageType.terms);
export type UsageType = (typeof UsageTypes.names)[number];

/** `VSS_SOURCE_TYPE`. */
export const SourceTypes = table(VOCABULARY.SourceType.terms);
export type SourceType = (typeof SourceTypes.names)[number];

/** `VSS_COMPONENT_TYPE`. */
export const ComponentTypes = table(VOCABULARY.ComponentType.terms);
export type ComponentType = (typeof ComponentTypes.names)[number];

/** `VSS_RESTOREMETHOD_ENUM`. */
export const RestoreMethods = table(VOCABULARY.RestoreMethod.terms);
export type RestoreMethodName = (typeof RestoreMethods.names)[number];

/** `VSS_WRITERRESTORE_ENUM`. */
export const WriterRestoreModes = table(VOCABULARY.WriterRestore.terms);
export type WriterRestoreMode = (typeof WriterRestoreModes.names)[number];

/** `VSS_SNAPSHOT_STATE`. */
export const SnapshotStates = table(VOCABULARY.SnapshotState.terms);
export type SnapshotState = (typeof SnapshotStates.names)[number];

/** `VSS_PROVIDER_TYPE`. */
export const ProviderTypes = table(VOCABULARY.ProviderType.terms);
export type ProviderType = (typeof ProviderTypes.names)[number];

/** `VSS_FILE_RESTORE_STATUS`. */
export const FileRestoreStatuses = table(VOCABULARY.FileRestoreStatus.terms);
export type FileRestoreStatus = (typeof FileRestoreStatuses.names)[number];

/** `VSS_SNAPSHOT_CONTEXT`: the contexts a requester may pass to `SetContext`. */
export const SnapshotContexts = table(VOCABULARY.SnapshotContext.terms);
export type SnapshotContext = Exclude<(typeof SnapshotContexts.names)[number], 'all'>;

/** A bit set's names to their bits. */
function bits<const T extends Terms>(terms: T) {
  return Object.freeze(Object.fromEntries(terms.map(([code, name]) => [name, code]))) as { readonly [K in T[number][1]]: number };
}

/** `VSS_VOLUME_SNAPSHOT_ATTRIBUTES` bits, named. */
export const SnapshotAttributeBits = bits(VOCABULARY.SnapshotAttribute.terms);
export type SnapshotAttribute = keyof typeof SnapshotAttributeBits;

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
