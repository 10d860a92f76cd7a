// Each enum type is written out as a union so that its reference page lists every value
// with its VSS number and meaning; this file fails the type-check when a union and the
// table the code converts with (lib/enums.ts) stop naming the same values.
import type {
  BackupType, ComponentType, FileRestoreStatus, ProviderType, RestoreMethodName, SnapshotContext, SnapshotState, SourceType,
  UsageType, WriterRestoreMode, WriterState, SnapshotAttribute, ComponentFlag, EventLevelName, AbortPhase, RestoreTarget,
} from '../../lib/index.js';
import type {
  BackupTypes, ComponentTypes, FileRestoreStatuses, ProviderTypes, RestoreMethods, SnapshotContexts, SnapshotStates, SourceTypes,
  UsageTypes, WriterRestoreModes, WriterStates, RestoreTargets,
  SnapshotAttributeBits, ComponentFlagBits,
} from '../../lib/enums.js';
import type { EventLevels } from '../../lib/events.js';
import type { ABORT_PHASES } from '../../lib/check-writer.js';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Names<T extends { names: readonly string[] }> = T['names'][number];

export const unionsMatchTables: [
  Same<WriterState, Names<typeof WriterStates>>,
  Same<BackupType, Exclude<Names<typeof BackupTypes>, 'unknown'>>,
  Same<UsageType, Names<typeof UsageTypes>>,
  Same<SourceType, Names<typeof SourceTypes>>,
  Same<ComponentType, Names<typeof ComponentTypes>>,
  Same<RestoreMethodName, Names<typeof RestoreMethods>>,
  Same<WriterRestoreMode, Names<typeof WriterRestoreModes>>,
  Same<SnapshotState, Names<typeof SnapshotStates>>,
  Same<ProviderType, Names<typeof ProviderTypes>>,
  Same<FileRestoreStatus, Names<typeof FileRestoreStatuses>>,
  Same<SnapshotContext, Exclude<Names<typeof SnapshotContexts>, 'all'>>,
  Same<SnapshotAttribute, keyof typeof SnapshotAttributeBits>,
  Same<ComponentFlag, keyof typeof ComponentFlagBits>,
  Same<EventLevelName, keyof typeof EventLevels>,
  Same<AbortPhase, (typeof ABORT_PHASES)[number]>,
  Same<RestoreTarget, Names<typeof RestoreTargets>>,
] = [true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true];
