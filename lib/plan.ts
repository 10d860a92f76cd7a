/**
 * `planBackup`: what `createSnapshotSet` would do with the same options, without doing it.
 * Only `GatherWriterMetadata` and `GatherWriterStatus` reach the writers (no snapshot set, no
 * `PrepareForBackup`). The same selection function ({@link selectComponents}) decides for both,
 * so what the plan says is added is exactly what the backup adds.
 * @module
 */
import type { BackendOption } from './backend.js';
import { BackupTypes, type BackupType } from './enums.js';
import { VssError } from './errors.js';
import { hresultValue } from './hresults.js';
import type { WriterMetadata } from './metadata/types.js';
import { machineResolver, withMountedVolumes } from './machine-volumes.js';
import { checkSelection, selectComponents, type ComponentSelection, type PlannedComponent, type PlannedWriter, type SelectionResult, type VolumeResolver } from './selection.js';
import { BackupSession } from './session.js';
import type { ComponentRef, WriterStatus } from './types.js';
import { checkBoolean, checkOptionsObject, checkSignal, invalidArgType, invalidArgValue, optionKeys } from './validate.js';
import { normalizeVolumeList } from './volumes.js';
import { checkWriterSelection, selectionCalls } from './writer-selection.js';

/** What a backup type does to the writers' data beyond the copy (`VSS_BACKUP_TYPE`, learn.microsoft.com). */
export interface BackupTypeEffects {
  backupType: BackupType;
  /** Writers record the backup in their files' backup history. */
  updatesHistory: boolean;
  /** Database writers (Exchange, SQL Server's log chain) may truncate their logs after it. */
  mayTruncateLogs: boolean;
  /** The same in words. */
  summary: string;
}

/**
 * The effects of each backup type, from the `VSS_BACKUP_TYPE` enumeration's page.
 * @example
 * backupTypeEffects('copy').mayTruncateLogs; // false: a copy backup leaves the writers' logs alone
 */
export function backupTypeEffects(backupType: BackupType): BackupTypeEffects {
  const table: Record<string, [boolean, boolean, string]> = {
    full: [true, true, 'every file is backed up and its backup history updated; database writers may truncate their logs (Exchange does) — another backup product relying on those logs loses them'],
    incremental: [true, true, 'files changed since the last full or incremental backup; the backup history is updated, and database writers may truncate their logs'],
    differential: [false, false, 'files changed since the last full backup; the backup history is not updated, logs are kept'],
    log: [true, true, "only the writers' log files; database writers truncate the logs backed up"],
    copy: [false, false, 'every file is copied and the backup history is not updated: writers truncate no logs (a backup that leaves another backup chain alone)'],
    other: [false, false, 'a type the writers do not know; most treat it as a copy'],
  };
  const [updatesHistory, mayTruncateLogs, summary] = table[backupType]!;
  return { backupType, updatesHistory, mayTruncateLogs, summary };
}

/** What {@link planBackup} answers. */
export interface BackupPlan {
  /** The volumes the snapshot set would hold (with those `addRequiredVolumes` adds). */
  volumes: string[];
  /** Volumes `addRequiredVolumes: true` added. */
  addedVolumes: string[];
  /** Volumes outside the set that components left out for that reason need (`addRequiredVolumes: true` adds them). */
  requiredVolumes: string[];
  /**
   * `'component'` (the default with writers): components are added (VShadow's selection, or
   * `components`); `'volume'` (`selection: false`): none is added and every writer takes part
   * whole; `'no-writers'`: `writers: 'none'`.
   */
  mode: 'component' | 'volume' | 'no-writers';
  backupType: BackupType;
  effects: BackupTypeEffects;
  /** Every writer, included or not, and why. */
  writers: PlannedWriter[];
  /** Every component, included or not, and why. */
  components: PlannedComponent[];
  /** The AddComponent calls the backup makes, in order. */
  add: ComponentRef[];
}

/** The options {@link planBackup} and `createSnapshotSet` share for choosing what is backed up. */
export interface SelectionOptions {
  backupType?: BackupType;
  /** As {@link SnapshotSetOptions.writers}. */
  writers?: 'all' | 'none' | { include: string[] } | { exclude: string[] };
  /**
   * Component mode with VShadow's rules (see {@link ComponentSelection}); the default with writers
   * is every component that can be backed up whole (`{}`). `false`: volume mode (no component added).
   */
  selection?: ComponentSelection | false;
  components?: ComponentRef[];
  /** Add the volumes the selected components need to the set (default `false`: such components are left out). */
  addRequiredVolumes?: boolean;
  /**
   * Also take the volumes mounted at folders on the given volumes, recursively, each once, named
   * by mount folder (default `false`); see `SnapshotSetOptions.mountedVolumes`.
   */
  mountedVolumes?: boolean;
}

/** Options of {@link planBackup}. */
export interface PlanOptions extends SelectionOptions {
  backend?: BackendOption;
  signal?: AbortSignal;
}

/** Checks the selection-related options (before any VSS call). */
export function checkSelectionOptions(options: SelectionOptions): void {
  checkWriterSelection(options.writers);
  if (options.mountedVolumes !== undefined) checkBoolean(options.mountedVolumes, 'options.mountedVolumes');
  if (options.selection === false) {
    if (options.components !== undefined)
      throw invalidArgValue('options.selection', false, 'absent with options.components (components are added in component mode; selection: false is volume mode)');
    if (options.writers === 'none') throw invalidArgValue('options.selection', false, "absent with writers: 'none' (volume mode is writers taking part whole; with no writers there is no mode to choose)");
  } else if (options.selection !== undefined) {
    checkSelection(options.selection, 'options.selection');
    if (options.components !== undefined)
      throw invalidArgValue('options.selection', options.selection, 'absent with options.components (name the components in one of the two)');
    if (options.writers === 'none') throw invalidArgValue('options.selection', options.selection, "absent with writers: 'none' (no writer takes part)");
  }
  if (Array.isArray(options.components) && options.components.length === 0)
    throw invalidArgValue('options.components', options.components, 'at least one component (leave components out for every component that can be backed up, or selection: false for volume mode)');
  if (options.addRequiredVolumes !== undefined) checkBoolean(options.addRequiredVolumes, 'options.addRequiredVolumes');
  if (options.addRequiredVolumes && options.writers === 'none')
    throw invalidArgValue('options.addRequiredVolumes', true, "absent with writers: 'none' (no writer needs a volume)");
}

/** The writers `options.writers` keeps out, among those on the machine. @internal */
export function disabledWriters(choice: SelectionOptions['writers'], statuses: WriterStatus[]): WriterStatus[] {
  if (!choice || typeof choice !== 'object') return [];
  const argument = 'include' in choice ? 'options.writers.include' : 'options.writers.exclude';
  const calls = selectionCalls(choice, statuses, argument);
  return statuses.filter(
    (w) =>
      (calls.enableClasses.length > 0 && !calls.enableClasses.includes(w.writerId)) ||
      calls.disableClasses.includes(w.writerId) ||
      calls.disableInstances.includes(w.instanceId),
  );
}

/**
 * The selection for a session that gathered writer metadata and status: decides, and with
 * `addRequiredVolumes` grows the volume list until every component left out for a missing volume is in.
 * @internal
 */
export function decide(
  volumes: string[],
  options: SelectionOptions,
  metadata: WriterMetadata[],
  statuses: WriterStatus[],
  disabled: WriterStatus[],
  resolver: VolumeResolver,
): { result: SelectionResult; volumes: string[]; added: string[] } {
  const keyOf = (v: string) => resolver.volumeOf(v)?.key ?? `path:${v.toLowerCase()}`;
  const run = (list: string[]) =>
    selectComponents({
      metadata,
      statuses,
      disabledWriters: disabled,
      setVolumes: new Set(list.map(keyOf)),
      resolver,
      // Component mode by default (an empty selection: every component that can be); false: volume mode.
      selection: options.selection === false ? null : (options.selection ?? {}),
      ...(options.components !== undefined ? { components: options.components } : {}),
    });
  let result = run(volumes);
  const added: string[] = [];
  if (options.addRequiredVolumes) {
    for (const v of result.requiredVolumes) added.push(v.name);
    if (added.length > 0) result = run([...volumes, ...added]);
  }
  return { result, volumes: [...volumes, ...added], added };
}

/** Builds the plan from a decision. @internal */
export function toPlan(volumes: string[], added: string[], options: SelectionOptions, result: SelectionResult | null): BackupPlan {
  const backupType = options.backupType ?? 'full';
  return {
    volumes,
    addedVolumes: added,
    requiredVolumes: result?.requiredVolumes.map((v) => v.name) ?? [],
    mode: result === null ? 'no-writers' : result.mode,
    backupType,
    effects: backupTypeEffects(backupType),
    writers: result?.writers ?? [],
    components: result?.components ?? [],
    add: result?.add ?? [],
  };
}

const PLAN_OPTION_KEYS = optionKeys<PlanOptions>()({ backend: true, signal: true, backupType: true, writers: true, selection: true, components: true, addRequiredVolumes: true, mountedVolumes: true });

/**
 * A dry run of {@link createSnapshotSet} with the same options: for every writer and component,
 * whether the backup would include it and why not; the volumes the selected components need
 * beyond those given; what the backup type does to the writers' logs. No snapshot set is
 * started and no writer is prepared: only writer metadata and status are gathered.
 *
 * @example
 * const plan = await planBackup(['C:\\'], { backend: 'simulated', selection: { exclude: ['WMI Writer'] } });
 * for (const c of plan.components) console.log(c.path, c.included ? 'in' : `out: ${c.detail}`);
 */
export async function planBackup(volumes: string | string[], options: PlanOptions = {}): Promise<BackupPlan> {
  checkOptionsObject(options as unknown, 'options', PLAN_OPTION_KEYS);
  const named = normalizeVolumeList(volumes, 'volumes', true);
  checkSignal(options.signal, 'options.signal');
  const backupType = options.backupType ?? 'full';
  if (!BackupTypes.has(backupType) || (backupType as string) === 'unknown')
    throw invalidArgValue('options.backupType', backupType, "'full', 'incremental', 'differential', 'log', 'copy' or 'other'");
  if (options.components !== undefined && !Array.isArray(options.components)) throw invalidArgType('options.components', options.components, 'an array of components');
  checkSelectionOptions(options);
  const list = options.mountedVolumes ? withMountedVolumes(named, options.backend) : named;
  const session = await BackupSession.create({ backend: options.backend, signal: options.signal });
  try {
    await session.initializeForBackup();
    for (const v of list)
      if (!(await session.isVolumeSupported(v)))
        throw new VssError(hresultValue('VSS_E_VOLUME_NOT_SUPPORTED')!, undefined, { operation: 'IsVolumeSupported', detail: `${v} cannot be shadow copied` });
    if (options.writers === 'none') return toPlan(list, [], options, null);
    await session.setBackupState({ selectComponents: options.selection !== false, backupType });
    await session.gatherWriterMetadata({ signal: options.signal });
    await session.gatherWriterStatus({ signal: options.signal });
    const statuses = await session.getWriterStatus();
    const disabled = disabledWriters(options.writers, statuses);
    const metadata = (await session.getWriterMetadata()).filter((m) => !disabled.some((d) => d.instanceId === m.instanceId));
    const shown = statuses.filter((s) => !disabled.some((d) => d.instanceId === s.instanceId));
    const { result, volumes: all, added } = decide(list, options, metadata, shown, disabled, machineResolver(options.backend));
    return toPlan(all, added, options, result);
  } finally {
    await session.release();
  }
}
