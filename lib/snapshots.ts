/**
 * High-level shadow copies: create a snapshot set with writers taking part, read
 * files from it, complete or abort the backup, and manage existing shadow copies.
 * @module
 */
import { join } from 'node:path';

import { checkBackend, simulatorOf, type BackendOption } from './backend.js';
import { checkCorrelateOption, withCorrelatedEvents } from './correlate.js';
import { BackupTypes, SnapshotContexts, type BackupType, type ProtectionLevel, type SnapshotContext } from './enums.js';
import { AbortError, VssError, VssRevertBlockedError, VssSessionError, VssWriterError, WritersBusyError, abortedBy } from './errors.js';
import { hresultValue } from './hresults.js';
import { debug } from './log.js';
import { reportVirtualMachines, type VirtualMachineVerdict } from './vm-verdicts.js';
import type { WriterMetadata } from './metadata/types.js';
import { BackupSession, exposeArguments, type CallOptions, type ExposeTarget, type StepTiming } from './session.js';
import { loadAddon } from './native.js';
import type { Simulator } from './simulator.js';
import type { ComponentRef, ComponentStatus, DeleteResult, FailedComponent, ProgressEvent, Provider, ShadowCopy, ShadowStorage, ShadowStorageVolume, VolumeProtection, WriterComponents, WriterStatus } from './types.js';
import {
  checkBoolean,
  checkFunction,
  checkGuid,
  checkObject,
  checkOneForm,
  checkOptionalObject,
  checkOptionsObject,
  checkSignal,
  invalidArgType,
  invalidArgValue,
  optionKeys,
  outOfRange,
} from './validate.js';
import { normalizeVolume, normalizeVolumeList, splitPath } from './volumes.js';
import { checkWriterSelection, selectWriters } from './writer-selection.js';
import { machineResolver, withMountedVolumes } from './machine-volumes.js';
import { checkSelectionOptions, decide, disabledWriters, toPlan, type BackupPlan } from './plan.js';
import type { ComponentSelection } from './selection.js';
import { checkJournalOption, forget, journalPath, journalled, keepSet, machineKey, noteExposure, recordSet } from './journal.js';

/** Which writers take part in a backup. */
export type WriterSelection = 'all' | 'none' | { include: string[] } | { exclude: string[] };

/** Retrying when another requester is creating a snapshot set (`VSS_E_SNAPSHOT_SET_IN_PROGRESS`). */
export interface RetryPolicy {
  /** Attempts in all, the first included (default 5). */
  attempts?: number;
  /** Wait before the second attempt, doubled each time (default 1000 ms). */
  delayMs?: number;
  /** The longest wait between attempts (default 30000 ms). */
  maxDelayMs?: number;
}

/** Options of {@link createSnapshotSet}. */
export interface SnapshotSetOptions {
  /** The backup type recorded for writers (default `'full'`). */
  backupType?: BackupType;
  /** The snapshot context; defaults from `persistent` and `writers`. */
  context?: SnapshotContext;
  /** Keep the shadow copies after the session ends (default `false`). */
  persistent?: boolean;
  /**
   * Make a transportable set (`VSS_VOLSNAP_ATTR_TRANSPORTABLE` OR-ed into the context; hardware
   * providers only, the system provider refuses the volume with `VSS_E_VOLUME_NOT_SUPPORTED`).
   * Its shadow copies are not surfaced on this computer: `set.snapshots` is empty, and the
   * document `complete()` reports (`report.document`) describes the set for
   * {@link importShadowCopySet} here or on another computer.
   */
  transportable?: boolean;
  /**
   * Which writers take part (default `'all'`): writer names, class ids or instance ids. The
   * choice is made with `EnableWriterClasses`/`DisableWriterClasses`/`DisableWriterInstances`
   * before the backup gathers writer metadata, so an excluded writer hears no event at all.
   */
  writers?: WriterSelection;
  /** Exactly these components (component mode), instead of the selection VSS's rules make. */
  components?: ComponentRef[];
  /**
   * Which components the backup adds (component mode, the default with writers): by default every
   * component that can be backed up whole from the set's volumes, as Microsoft's VShadow sample and
   * diskshadow select them (`SetBackupState(selectComponents: true)`, then `AddComponent` for each);
   * `include`/`exclude` narrow it, `verify` fails the backup before any snapshot when a writer or
   * component would not be in it. `set.plan` and `report.plan` say what was included and why the
   * rest was not; {@link planBackup} answers the same without a backup, and the final Backup
   * Components Document holds exactly `plan.add`.
   *
   * `false`: volume mode (`selectComponents: false`): no component is added, every writer takes
   * part whole, and the final document holds no component (a restore has nothing to select).
   * With `components`, or `writers: 'none'`, it is a TypeError.
   */
  selection?: ComponentSelection | false;
  /** Add to the set the volumes the selected components' files lie on (default `false`: such components are left out). */
  addRequiredVolumes?: boolean;
  /**
   * Also snapshot the volumes mounted at folders on the set's volumes, recursively (a volume
   * mounted under a mounted volume too), each once, named by its mount folder (default `false`),
   * as restic and Bareos do. On Windows they are found with FindFirstVolumeMountPointW on each
   * volume; on the simulator from its volume list. {@link SnapshotSet.pathFor} then maps a path
   * under a mount folder into that volume's shadow copy. They are added before components are
   * selected, so components on them are included too.
   */
  mountedVolumes?: boolean;
  /**
   * The leak journal a persistent set is recorded in before its snapshot (default: `VSS_NAPI_JOURNAL`,
   * else the per-user state folder); `false`: none. See {@link findOrphans}.
   */
  journal?: string | false;
  /**
   * Keep the persistent set after this process ends: once `complete()` succeeded, the journal marks
   * it kept and {@link cleanupOrphans} leaves it. Without it, a persistent set whose process is gone
   * is an orphan (default `false`).
   */
  keep?: boolean;
  /** The provider to use for every volume (default: VSS chooses). */
  provider?: string;
  /** Give up (and abort the backup) after this long. */
  timeoutMs?: number;
  backend?: BackendOption;
  signal?: AbortSignal;
  onProgress?: (event: ProgressEvent) => void;
  /** Retry while another backup is in progress (`VSS_E_SNAPSHOT_SET_IN_PROGRESS`, or its writers still waiting: `WritersBusyError`): off by default; `true` for the default policy. */
  retry?: boolean | RetryPolicy;
  /** On failure, attach the VSS-related events logged during the call to the VssError as `events` (default `true`). */
  correlateEvents?: boolean;
}

/** Options of {@link SnapshotSet.complete}. */
export interface CompleteOptions {
  /** Whether the backup of the components succeeded. */
  succeeded: boolean;
  /** Only these components (default: every component added); each must be one the set added. */
  components?: ComponentRef[];
  /**
   * What a writer failure (at any phase, `BackupComplete` included) does: `'throw'` (default)
   * rejects with a {@link VssWriterError} whose `report` is the {@link BackupReport}, after the
   * backup was finished; `'report'` resolves and lists it in `report.failures`.
   */
  writerFailures?: 'throw' | 'report';
}

/** A writer that failed during the backup, and at which phase. */
export interface WriterFailure {
  name: string;
  writerId: string;
  instanceId: string;
  /** The phase it failed at (`'backup-complete'`, `'freeze'`, ...), from its state. */
  phase: string;
  state: WriterStatus['state'];
  lastError: WriterStatus['lastError'];
  applicationError: WriterStatus['applicationError'];
  failureMessage: string | null;
  /**
   * The components it set a failure on (`IVssComponentEx2::GetFailure`), as far as they were read: a
   * writer failing with `VSS_E_WRITERERROR_PARTIAL_FAILURE` failed these and not its other components
   * (IVssComponentEx2::SetFailure: "use CVssWriterEx2::SetWriterFailureEx to report that a partial writer
   * failure has occurred"). Empty when none, or when the components could not be read.
   */
  failedComponents: FailedComponent[];
}

/** A component of the backup, as the final Backup Components Document records it. */
export interface ReportComponent extends ComponentStatus {
  writerId: string;
  instanceId: string;
  /** The writer's name (empty when the writer no longer reports a status). */
  writerName: string;
  /** Its writer's failure, if the writer failed. */
  writerFailure: WriterFailure | null;
}

/** What a backup did: the answer to "did every writer do its part, what was backed up, where is the document". */
export interface BackupReport {
  setId: string;
  /** `'completed'` (BackupComplete ran) or `'aborted'` (AbortBackup ran). */
  outcome: 'completed' | 'aborted';
  /** What the caller marked the components (`SetBackupSucceeded`); `false` on abort. */
  succeeded: boolean;
  /** Each writer's status after BackupComplete (or AbortBackup); empty without writers. */
  writers: WriterStatus[];
  /** Each component in the backup, with `backupSucceeded` and its backup stamp. */
  components: ReportComponent[];
  /** The writers that failed, at any phase; empty when every writer did its part. */
  failures: WriterFailure[];
  /**
   * The final Backup Components Document, saved after SetBackupSucceeded and BackupComplete
   * (restores need it); `null` when the session could not save it (then `documentError` says why).
   */
  document: string | null;
  documentError?: string;
  /** The shadow copies of the set (gone after the session unless persistent). */
  shadowCopies: ShadowCopy[];
  /** Every VSS call the backup made, with its duration. */
  timings: StepTiming[];
  /** With the Hyper-V writer: each virtual machine the backup covered and its verdict (lib/vm-verdicts.ts). */
  virtualMachines: VirtualMachineVerdict[];
  /** What was selected and why (component mode, or volume mode with `addRequiredVolumes`); `null` otherwise. */
  plan: BackupPlan | null;
}

const MAX_TIMEOUT_MS = 2 ** 32 - 1;
const SNAPSHOT_SET_IN_PROGRESS = hresultValue('VSS_E_SNAPSHOT_SET_IN_PROGRESS')!;
const FAILED_STATE = /^failed-at-/;

/** The contexts whose shadow copies outlive the requester's session (VSS_VOLSNAP_ATTR_NO_AUTO_RELEASE). */
const PERSISTENT_CONTEXTS: readonly string[] = ['app-rollback', 'nas-rollback', 'client-accessible', 'client-accessible-writers'];

/** Where a backend's persistent sets are journaled, or `null` (an in-memory simulator, or `journal: false`). */
function journalTarget(option: string | false | undefined, backend: BackendOption | undefined): { path: string; machine: string } | null {
  if (option === false) return null;
  const machine = machineKey(backend);
  return machine === null ? null : { path: journalPath(option), machine };
}

/** Strikes deleted sets or shadow copies off the journal; a failure leaves a stale entry that cleanup drops, so it is only logged. */
function forgetQuietly(journal: { path: string; machine: string } | null, what: { setIds?: string[]; shadowIds?: string[] }): void {
  if (!journal) return;
  try {
    forget(journal.path, journal.machine, what);
  } catch (error) {
    debug('journal: %s', (error as Error).message);
  }
}

function noteExposureQuietly(journal: { path: string; machine: string } | null, snapshotId: string, name: string | null): void {
  if (!journal) return;
  try {
    noteExposure(journal.path, journal.machine, snapshotId, name);
  } catch (error) {
    debug('journal: %s', (error as Error).message);
  }
}

// VSS_VOLSNAP_ATTR_TRANSPORTABLE.
const TRANSPORTABLE = 0x20;

function resolveContext(options: SnapshotSetOptions, withWriters: boolean): SnapshotContext {
  if (options.context !== undefined) {
    if (!SnapshotContexts.has(options.context) || (options.context as string) === 'all')
      throw invalidArgValue('options.context', options.context, SnapshotContexts.names.filter((n) => n !== 'all').map((n) => `'${n}'`).join(', '));
    // A context fixes persistence (see "_VSS_SNAPSHOT_CONTEXT" on learn.microsoft.com); a contradicting flag is a mistake.
    if (options.persistent !== undefined && options.persistent !== PERSISTENT_CONTEXTS.includes(options.context))
      throw invalidArgValue(
        'options.persistent',
        options.persistent,
        `${String(!options.persistent)} with options.context '${options.context}' (its shadow copies are ${options.persistent ? 'not ' : ''}persistent), or options.context left out`,
      );
    return options.context;
  }
  if (options.persistent) return withWriters ? 'app-rollback' : 'nas-rollback';
  return withWriters ? 'backup' : 'file-share-backup';
}


function checkRetry(retry: unknown): Required<RetryPolicy> | null {
  if (retry === undefined || retry === false) return null;
  const defaults = { attempts: 5, delayMs: 1000, maxDelayMs: 30_000 };
  if (retry === true) return defaults;
  checkOptionsObject(retry, 'options.retry', optionKeys<RetryPolicy>()({ attempts: true, delayMs: true, maxDelayMs: true }));
  const policy = { ...defaults, ...(retry as RetryPolicy) };
  if (!Number.isInteger(policy.attempts) || policy.attempts < 1 || policy.attempts > 100)
    throw outOfRange('options.retry.attempts', policy.attempts, 'an integer from 1 to 100');
  for (const key of ['delayMs', 'maxDelayMs'] as const)
    if (typeof policy[key] !== 'number' || !(policy[key] >= 0)) throw outOfRange(`options.retry.${key}`, policy[key], '>= 0');
  return policy;
}

/** A component of a writer the selection leaves out would be reported backed up though no writer took part. */
function checkComponentsSelected(components: ComponentRef[], metadata: { writerId: string; name: string }[], included: (writerId: string) => boolean): void {
  components.forEach((c, i) => {
    const writerId = String(c?.writerId ?? '').toLowerCase();
    if (!included(writerId)) {
      const name = metadata.find((m) => m.writerId === writerId)?.name ?? writerId;
      throw invalidArgValue(`options.components[${i}]`, c, `a component of a writer taking part (writer ${name} is excluded by options.writers)`);
    }
  });
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortedBy(signal, () => new AbortError(undefined, { cause: signal.reason })));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortedBy(signal, () => new AbortError(undefined, { cause: signal?.reason })));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** The simulator behind a backend option, if it is one. */
const VOLUME_GUID_PATH = /^\\\\\?\\Volume\{[0-9a-f-]{36}\}\\$/i;

/**
 * The `\\?\Volume{guid}\` path of a volume named by drive letter or mount folder,
 * the form shadow copies name their original volume in. On the simulator, from its
 * volume list; on Windows, from the system. Unknown volumes keep their name (and so
 * match no shadow copy).
 */
function volumeGuidPath(volume: string, backend: BackendOption | undefined): string {
  if (VOLUME_GUID_PATH.test(volume)) return volume.toLowerCase();
  const simulator = simulatorOf(backend);
  if (simulator) {
    const match = simulator.describe().volumes.find((v) => v.name.toLowerCase() === volume.toLowerCase());
    return (match?.guidName ?? volume).toLowerCase();
  }
  return (loadAddon().volumeGuidPath(volume) ?? volume).toLowerCase();
}

/**
 * Whether a writer's failure concerns the backup: in component mode only the writers the selection
 * includes do (VShadow checks only its selected writers, CheckSelectedWriterStatus); otherwise all.
 * A writer left out because it had failed (at identify: it gave no metadata, so none of its
 * components could be chosen) still fails the backup: its data is in no component of the
 * backup, and a failure is never silent (issue 9). A writer the plan does not know (it appeared
 * after the selection) is reported too.
 */
function involved(plan: BackupPlan | null, writer: { instanceId: string }): boolean {
  if (!plan || plan.mode !== 'component') return true;
  const planned = plan.writers.find((p) => p.instanceId === writer.instanceId);
  return !planned || planned.included || planned.reason === 'writer-failed';
}

/** The phase a failed writer state names (`'failed-at-backup-complete'` → `'backup-complete'`). */
function failedPhase(state: string): string {
  return state.replace(FAILED_STATE, '');
}

/** The writers that failed: in a `failed-at-*` state, or carrying a last error. */
export function writerFailures(statuses: WriterStatus[], components: WriterComponents[] = []): WriterFailure[] {
  const failed = failedComponentsOf(components);
  return statuses
    .filter((w) => FAILED_STATE.test(w.state) || w.lastError)
    .map((w) => ({
      name: w.name,
      writerId: w.writerId,
      instanceId: w.instanceId,
      phase: FAILED_STATE.test(w.state) ? failedPhase(w.state) : 'unknown',
      state: w.state,
      lastError: w.lastError,
      applicationError: w.applicationError,
      failureMessage: w.failureMessage,
      failedComponents: failed.filter((c) => c.instanceId === w.instanceId),
    }));
}

/** The components a writer set a failure other than S_OK on (`GetFailure`). */
function failedComponentsOf(components: WriterComponents[]): FailedComponent[] {
  return components.flatMap((wc) =>
    wc.components
      .filter((c) => c.failure !== null && c.failure.error.hresult !== 0)
      .map((c) => ({ instanceId: wc.instanceId, logicalPath: c.logicalPath, name: c.name, failure: c.failure! })),
  );
}

const PARTIAL_FAILURE = hresultValue('VSS_E_WRITERERROR_PARTIAL_FAILURE')!;

/**
 * The components the failing writers set a failure on, read from the document only when one of them
 * reports `VSS_E_WRITERERROR_PARTIAL_FAILURE` (its components say what failed); empty if unreadable.
 */
async function partialFailures(session: BackupSession, statuses: WriterStatus[]): Promise<WriterComponents[]> {
  if (!statuses.some((w) => FAILED_STATE.test(w.state) && w.lastError?.hresult === PARTIAL_FAILURE)) return [];
  try {
    return await session.getWriterComponents();
  } catch (error) {
    debug('partial failure: components unavailable: %s', (error as Error).message);
    return [];
  }
}

/** The COM call during which a writer fails at a phase, for the error's `operation`. */
const OPERATION_OF_PHASE: Record<string, string> = {
  identify: 'GatherWriterMetadata',
  'prepare-backup': 'PrepareForBackup',
  'prepare-snapshot': 'DoSnapshotSet',
  freeze: 'DoSnapshotSet',
  thaw: 'DoSnapshotSet',
  'post-snapshot': 'DoSnapshotSet',
  'backup-complete': 'BackupComplete',
  'backup-shutdown': 'BackupComplete',
};

function sameComponent(a: ComponentRef, b: ComponentRef): boolean {
  return (
    a.writerId.toLowerCase() === b.writerId.toLowerCase() &&
    a.instanceId.toLowerCase() === b.instanceId.toLowerCase() &&
    (a.logicalPath ?? '').toLowerCase() === (b.logicalPath ?? '').toLowerCase() &&
    a.name.toLowerCase() === b.name.toLowerCase()
  );
}

function componentLabel(c: ComponentRef): string {
  return `${c.logicalPath ? `${c.logicalPath}\\` : ''}${c.name}`;
}

/** A NUL character would cut the path short in Win32 calls, so it is refused. */
/**
 * AddToSnapshotSet's remarks: the server of a UNC share "must be in hostname or fully qualified
 * domain name format"; one named by IP address must first be normalized by
 * IVssBackupComponentsEx4::GetRootAndLogicalPrefixPaths. Other names go to VSS as given.
 */
async function shareRoot(session: BackupSession, volume: string): Promise<string> {
  const server = /^\\\\([^\\?.][^\\]*)\\/.exec(volume)?.[1];
  if (!server || !(/^\d{1,3}(\.\d{1,3}){3}$/.test(server) || server.includes(':'))) return volume;
  return (await session.getRootAndLogicalPrefixPaths(volume)).rootPath;
}

function checkOriginalPath(originalPath: unknown): string {
  if (typeof originalPath !== 'string') throw invalidArgType('originalPath', originalPath, 'of type string');
  if (originalPath.includes('\0')) throw invalidArgValue('originalPath', originalPath, 'a path without NUL characters');
  if (originalPath.split(/[\\/]/).includes('..')) throw invalidArgValue('originalPath', originalPath, "a path without '..'");
  return originalPath.replace(/\//g, '\\');
}

/** Gathers what the report needs from the session (before it is released). */
async function buildReport(
  session: BackupSession,
  setId: string,
  shadowCopies: ShadowCopy[],
  withWriters: boolean,
  outcome: BackupReport['outcome'],
  succeeded: boolean,
  plan: BackupPlan | null = null,
  backend?: BackendOption,
  setVolumes: string[] = [],
  correlateEvents = true,
): Promise<BackupReport> {
  let writers: WriterStatus[] = [];
  let statuses: WriterComponents[] = [];
  if (withWriters) {
    try {
      await session.gatherWriterStatus();
      writers = await session.getWriterStatus();
      if (outcome === 'completed') statuses = await session.getWriterComponents();
    } catch (error) {
      debug('report: writer status unavailable: %s', (error as Error).message);
    }
  }
  let document: string | null = null;
  let documentError: string | undefined;
  try {
    document = await session.saveAsXml();
  } catch (error) {
    documentError = (error as Error).message;
  }
  const failures = writerFailures(writers.filter((w) => involved(plan, w)), statuses);
  const components: ReportComponent[] = statuses.flatMap((wc) =>
    wc.components.map((c) => ({
      ...c,
      writerId: wc.writerId,
      instanceId: wc.instanceId,
      writerName: writers.find((w) => w.instanceId === wc.instanceId)?.name ?? '',
      writerFailure: failures.find((f) => f.instanceId === wc.instanceId) ?? null,
    })),
  );
  const timings = [...session.timings];
  const virtualMachines = withWriters ? await reportVirtualMachines(session, backend, {
        outcome,
        writers,
        components,
        failures,
        timings,
        ...(plan ? { mode: plan.mode, volumes: [...plan.volumes, ...plan.addedVolumes], added: plan.add } : { mode: 'volume' as const, volumes: setVolumes }),
      }, correlateEvents) : [];
  return {
    setId,
    outcome,
    succeeded,
    writers,
    components,
    failures,
    document,
    ...(documentError === undefined ? {} : { documentError }),
    shadowCopies,
    timings,
    virtualMachines,
    plan,
  };
}

/** Gives an error the report of the backup it ended (`error.report`). */
function attachReport(error: unknown, report: BackupReport): void {
  if (error instanceof Error) Object.defineProperty(error, 'report', { value: report, enumerable: false, configurable: true, writable: true });
}

/**
 * The drive letters and mount folders of a volume named by its `\\?\Volume{guid}\`
 * path (the form shadow copies name their original volume in): on the simulator
 * from its volume list, on Windows from `GetVolumePathNamesForVolumeNameW`.
 * Empty when the volume has none or cannot be resolved.
 * @internal
 */
export function volumePathNames(guidPath: string, backend: BackendOption | undefined): string[] {
  const simulator = simulatorOf(backend);
  if (simulator) return simulator.describe().volumes.filter((v) => v.guidName.toLowerCase() === guidPath.toLowerCase()).map((v) => v.name);
  return loadAddon().volumePathNames(guidPath) ?? [];
}

/**
 * A snapshot set being backed up. Read files through {@link pathFor}; end with
 * {@link complete} or {@link abort} — or let `await using` (TypeScript 5.2+) end it:
 * disposal without `complete()` aborts the backup. Either way the session is
 * released, and non-persistent shadow copies go with it.
 *
 * @example
 * ```js
 * const set = await createSnapshotSet(['C:\\'], { backend: 'simulated' });
 * try {
 *   console.log(set.setId, set.snapshots.map((s) => s.deviceObject));
 *   await set.complete({ succeeded: true });
 * } finally {
 *   if (!set.ended) await set.abort();
 * }
 * ```
 */
export class SnapshotSet implements AsyncDisposable {
  /** The snapshot set id. */
  readonly setId: string;
  /** Every shadow copy in the set. */
  readonly snapshots: ShadowCopy[];
  /**
   * The volumes in the set, in the order of {@link snapshots}, named as they were added: those
   * asked for, then those `addRequiredVolumes` or `mountedVolumes` (by mount folder) added.
   */
  readonly volumes: string[];
  /** Whether the shadow copies outlive the session. */
  readonly persistent: boolean;
  /** What was selected and why (component mode, or volume mode with `addRequiredVolumes`); `null` otherwise. */
  readonly plan: BackupPlan | null;
  readonly #session: BackupSession;
  readonly #volumes: Map<string, ShadowCopy>;
  readonly #components: ComponentRef[];
  readonly #simulator: Simulator | null;
  readonly #backend: BackendOption | undefined;
  readonly #withWriters: boolean;
  readonly #journal: { path: string; machine: string } | null;
  readonly #keep: boolean;
  /** `correlateEvents: false`: no event query at all, the VMs' verdicts' included (cold10 F14). */
  readonly #correlateEvents: boolean;
  #ended = false;
  #report: BackupReport | null = null;

  /** @internal */
  constructor(
    session: BackupSession,
    setId: string,
    volumes: Map<string, ShadowCopy>,
    components: ComponentRef[],
    persistent: boolean,
    backend: BackendOption | undefined,
    withWriters = true,
    plan: BackupPlan | null = null,
    journal: { path: string; machine: string } | null = null,
    keep = false,
    correlateEvents = true,
  ) {
    this.#correlateEvents = correlateEvents;
    this.plan = plan;
    this.#journal = journal;
    this.#keep = keep;
    this.#session = session;
    this.setId = setId;
    this.#volumes = volumes;
    this.snapshots = [...volumes.values()];
    this.volumes = [...volumes.keys()];
    this.#components = components;
    this.persistent = persistent;
    this.#backend = backend;
    this.#simulator = simulatorOf(backend);
    this.#withWriters = withWriters;
  }

  /** Whether {@link complete} or {@link abort} already ran. */
  get ended(): boolean {
    return this.#ended;
  }

  /** The report of the ended backup ({@link complete} or {@link abort}), or `null` while it runs. */
  get report(): BackupReport | null {
    return this.#report;
  }

  /** The low-level session, for steps the high-level API does not cover. */
  get session(): BackupSession {
    return this.#session;
  }

  /** The shadow copies can be read: the backup runs, or it completed and they persist. */
  #checkReadable(what: string): void {
    if (this.#ended && !(this.persistent && this.#report?.outcome === 'completed'))
      throw new VssSessionError(
        'ERR_VSS_SESSION_RELEASED',
        `${what}: the snapshot set was ${this.#report?.outcome ?? 'ended'} and its shadow copies are gone (only a persistent set's outlive complete())`,
      );
  }

  /**
   * Maps a path on an original volume to the same file inside its shadow copy.
   * On Windows that is a path under the shadow copy's device object; on the
   * simulator, for a volume backed by a host folder, a path in that folder's copy.
   * Paths compare case-insensitively, as Windows paths do; a volume may be named by
   * drive letter, mount folder or `\\?\Volume{guid}\`. A path under a mount folder
   * that is another volume lies on that volume (so it must be in the set).
   *
   * @example
   * ```js
   * // A simulated machine whose C: is the host folder ./c-volume (holding data/app.db).
   * const sim = createSimulator({ volumes: [{ name: 'C:\\', path: 'c-volume' }] });
   * const set = await createSnapshotSet(['C:\\'], { backend: sim });
   * const copy = set.pathFor('C:\\data\\app.db'); // the file as it was at snapshot time
   * console.log(fs.readFileSync(copy, 'utf8'));
   * await set.complete({ succeeded: true });
   * ```
   */
  pathFor(originalPath: string): string {
    const path = checkOriginalPath(originalPath);
    this.#checkReadable('pathFor');
    const inSet = () => `a path on a volume in this snapshot set (${[...this.#volumes.keys()].join(', ')})`;
    if (!splitPath(path, [...this.#volumes.keys(), ...this.snapshots.map((s) => s.originalVolume)]) && !/^\\\\\?\\volume\{/i.test(path))
      throw invalidArgValue('originalPath', originalPath, inSet());
    // A path on a remote file share: the share's shadow copy is itself a share, \\server\share@{id}
    // (its device object), so the path maps into it; on the simulator into the copy of the share's folder.
    if (/^\\\\[^\\?.]/.test(path)) {
      const lower = path.toLowerCase();
      const under = (root: string) => root.startsWith('\\\\') && (lower.startsWith(root.toLowerCase()) || lower === root.slice(0, -1).toLowerCase());
      let share: [string, ShadowCopy] | undefined;
      let root = '';
      for (const entry of this.#volumes) {
        const r = [entry[0], entry[1].originalVolume].find(under);
        if (r) [share, root] = [entry, r];
      }
      if (!share) throw invalidArgValue('originalPath', originalPath, inSet());
      const rest = path.slice(Math.min(root.length, path.length));
      if (this.#simulator) {
        const content = this.#simulator.describe().shadows.find((s) => s.snapshotId === share[1].snapshotId)?.contentPath;
        if (content) return join(content, ...rest.split('\\').filter(Boolean));
      }
      return `${share[1].deviceObject}\\${rest}`;
    }
    // The machine's deepest mount point; where the system names none (under Wine, a volume only
    // the emulated VSS has), the set's volumes by the names they were added under.
    const known = [...this.#volumes].map(([name, s]) => ({ name, key: s.originalVolume }));
    const volume = machineResolver(this.#backend, known).volumeOf(path);
    // By GUID; else by the name the set was given for the same mount point (under Wine the emulated
    // VSS and the system name a volume by different GUIDs).
    const prefix = volume && path.slice(0, volume.prefixLength).toLowerCase();
    const shadow =
      volume &&
      (this.snapshots.find((s) => s.originalVolume.toLowerCase() === volume.key) ??
        [...this.#volumes].find(([name]) => name.toLowerCase() === prefix || name.toLowerCase() === volume.name.toLowerCase())?.[1]);
    if (!volume || !shadow) throw invalidArgValue('originalPath', originalPath, inSet());
    const rest = path.slice(Math.min(volume.prefixLength, path.length));
    if (this.#simulator) {
      const content = this.#simulator.describe().shadows.find((s) => s.snapshotId === shadow.snapshotId)?.contentPath;
      if (content) return join(content, ...rest.split('\\').filter(Boolean));
    }
    return `${shadow.deviceObject}\\${rest}`;
  }

  /**
   * The shadow copy of a volume in the set, named as it was given, by another
   * spelling (case), or by its `\\?\Volume{guid}\` path.
   * @example
   * const { deviceObject } = set.snapshotFor('C:\\');
   */
  snapshotFor(volume: string): ShadowCopy {
    const canonical = normalizeVolume(volume, 'volume', true).toLowerCase();
    this.#checkReadable('snapshotFor');
    for (const [name, shadow] of this.#volumes)
      if (name.toLowerCase() === canonical || shadow.originalVolume.toLowerCase() === canonical) return shadow;
    throw invalidArgValue('volume', volume, `a volume in this snapshot set (${[...this.#volumes.keys()].join(', ')})`);
  }

  /**
   * The Backup Components Document. While the backup runs it is the document as it stands
   * (components not yet marked succeeded, no backup stamps); once {@link complete} ran, it is
   * the final document of {@link BackupReport.document}, the one to keep for restores.
   * @example
   * const report = await set.complete({ succeeded: true });
   * await fs.promises.writeFile('backup-components.xml', report.document!);
   */
  async saveAsXml(): Promise<string> {
    if (this.#report) {
      if (this.#report.document === null)
        throw new VssSessionError('ERR_VSS_SESSION_RELEASED', `The backup was ${this.#report.outcome} and no document was saved (${this.#report.documentError ?? 'no session'})`);
      return this.#report.document;
    }
    return this.#session.saveAsXml();
  }

  /** Checks complete()'s options before any VSS call, so a mistake leaves the set usable. */
  #checkComplete(options: CompleteOptions): { components: ComponentRef[]; writerFailures: 'throw' | 'report' } {
    checkObject(options as unknown, 'options');
    checkOptionsObject(options as unknown, 'options', optionKeys<CompleteOptions>()({ succeeded: true, components: true, writerFailures: true }));
    checkBoolean(options.succeeded, 'options.succeeded');
    const mode = options.writerFailures ?? 'throw';
    if (mode !== 'throw' && mode !== 'report') throw invalidArgValue('options.writerFailures', mode, "'throw' or 'report'");
    if (options.components === undefined) return { components: this.#components, writerFailures: mode };
    if (!Array.isArray(options.components)) throw invalidArgType('options.components', options.components, 'an array of components');
    const components = options.components.map((c, i) => {
      checkObject(c as unknown, `options.components[${i}]`);
      const match = this.#components.find((added) => typeof c.name === 'string' && typeof c.writerId === 'string' && typeof c.instanceId === 'string' && sameComponent(added, c));
      if (!match)
        throw invalidArgValue(
          `options.components[${i}]`,
          c,
          this.#components.length > 0
            ? `a component this set added (${this.#components.map(componentLabel).join(', ')})`
            : 'absent: this set added no components (volume mode)',
        );
      return match;
    });
    return { components, writerFailures: mode };
  }

  /**
   * Ends the backup: marks the components succeeded or failed (`SetBackupSucceeded`),
   * calls `BackupComplete`, gathers the writers' status, saves the final Backup Components
   * Document and releases the session. Resolves to the {@link BackupReport}; when a writer
   * failed (at any phase) it rejects with a {@link VssWriterError} carrying that report in
   * `error.report`, unless `writerFailures: 'report'`. If the calls themselves fail, the
   * backup is ended as {@link abort} ends it (outcome `'aborted'`).
   * @example
   * const report = await set.complete({ succeeded: true });
   * await fs.promises.writeFile('backup-components.xml', report.document!);
   */
  async complete(options: CompleteOptions): Promise<BackupReport> {
    const { components, writerFailures: mode } = this.#checkComplete(options);
    if (this.#ended) throw new VssError(hresultValue('VSS_E_BAD_STATE')!, 'The snapshot set was already completed or aborted', { operation: 'BackupComplete' });
    this.#ended = true;
    const session = this.#session;
    try {
      try {
        for (const component of components) await session.setBackupSucceeded(component, options.succeeded);
        await session.backupComplete();
      } catch (error) {
        // The backup did not complete: end it all the same, so writers are not left waiting.
        await endFailedBackup(session, true, this.#withWriters, this.#components);
        if (this.persistent)
          await session.deleteSnapshots(this.setId, { wholeSet: true, force: true }).then(() => forgetQuietly(this.#journal, { setIds: [this.setId] }), () => undefined);
        this.#report = await buildReport(this.#session, this.setId, this.snapshots, this.#withWriters, 'aborted', false, this.plan, this.#backend, this.volumes, this.#correlateEvents);
        attachReport(error, this.#report);
        throw error;
      }
      this.#report = await buildReport(this.#session, this.setId, this.snapshots, this.#withWriters, 'completed', options.succeeded, this.plan, this.#backend, this.volumes, this.#correlateEvents);
      if (this.#journal && this.#keep) journalled(this.#journal.path, 'mark the set kept', () => keepSet(this.#journal!.path, this.setId));
    } finally {
      await session.release();
    }
    return this.#settle(this.#report, mode, 'BackupComplete');
  }

  /** Rejects with VssWriterError carrying the report when a writer failed, unless told to report. */
  #settle(report: BackupReport, mode: 'throw' | 'report', operation: string): BackupReport {
    if (report.failures.length === 0 || mode === 'report') return report;
    const failed = report.writers.filter((w) => report.failures.some((f) => f.instanceId === w.instanceId));
    const first = report.failures[0]!;
    throw new VssWriterError(first.lastError?.hresult ?? WRITER_FAILED, failed, {
      operation: OPERATION_OF_PHASE[first.phase] ?? operation,
      report,
      failedComponents: report.failures.flatMap((f) => f.failedComponents),
    });
  }

  /**
   * Ends the backup as failed and releases the session; persistent shadow copies of the set are
   * deleted. The set exists, so DoSnapshotSet succeeded and the writers have run PostSnapshot,
   * which VSS's Abort event no longer reaches (CVssWriter::OnAbort): with writers the components
   * are marked not backed up (`SetBackupSucceeded(false)`) and `BackupComplete` tells the writers
   * the backup ended, as VShadow does on failure; without writers it is `AbortBackup`.
   * Resolves to the report (outcome `'aborted'`), the same shape {@link complete} gives.
   * @example
   * await set.abort();
   */
  async abort(): Promise<BackupReport> {
    if (this.#ended && this.#report) return this.#report;
    this.#ended = true;
    try {
      await endFailedBackup(this.#session, true, this.#withWriters, this.#components);
      if (this.persistent)
        await this.#session.deleteSnapshots(this.setId, { wholeSet: true, force: true }).then(() => forgetQuietly(this.#journal, { setIds: [this.setId] }), () => undefined);
      this.#report = await buildReport(this.#session, this.setId, this.snapshots, this.#withWriters, 'aborted', false, this.plan, this.#backend, this.volumes, this.#correlateEvents);
    } finally {
      await this.#session.release();
    }
    return this.#report;
  }

  /**
   * `await using` support: aborts the backup unless {@link complete} ran, and releases
   * the session. `await using` is TypeScript 5.2+ syntax (compiled for Node 20) or
   * Node 24+; in plain JavaScript on Node 20 use `try`/`finally` (see {@link SnapshotSet}).
   * @example
   * ```ts
   * {
   *   await using set = await createSnapshotSet('C:\\', { backend: 'simulated' });
   *   // ... no complete(): the backup is aborted when the block ends
   * }
   * ```
   */
  async [Symbol.asyncDispose](): Promise<void> {
    if (!this.#ended) await this.abort();
  }
}

const WRITER_FAILED = hresultValue('VSS_E_UNEXPECTED_WRITER_ERROR')!;

/**
 * Throws VssWriterError for the writers that failed, named by the call during which they
 * failed (a writer failing at identify fails GatherWriterMetadata, not PrepareForBackup),
 * keeping the error VSS gave as the cause (its detail says what went wrong).
 */
function throwWriterFailures(statuses: WriterStatus[], operation: string, cause?: VssError, components: WriterComponents[] = []): void {
  const failures = writerFailures(statuses, components);
  const failing = statuses.filter((w) => failures.some((f) => f.instanceId === w.instanceId));
  if (failing.length === 0) return;
  const first = failures[0]!;
  throw new VssWriterError(first.lastError?.hresult ?? cause?.hresult ?? WRITER_FAILED, failing, {
    operation: OPERATION_OF_PHASE[first.phase] ?? operation,
    cause,
    failedComponents: failures.flatMap((f) => f.failedComponents),
  });
}

/**
 * Ends a backup that will not complete successfully. Before DoSnapshotSet succeeded that is
 * `AbortBackup` (writers hear Abort). After it, every writer taking part has run OnPostSnapshot
 * and is not sent Abort (CVssWriter::OnAbort: "not called if the writer has called
 * CVssWriter::OnPostSnapshot"), so AbortBackup would leave them waiting for BackupComplete; the
 * backup is ended as VShadow ends a failed one (shadow.cpp, `BackupComplete(false)`): the
 * components marked not backed up (`SetBackupSucceeded(false)`), then `BackupComplete`. If that
 * fails, `AbortBackup` still ends the backup. Never throws.
 */
async function endFailedBackup(session: BackupSession, committed: boolean, withWriters: boolean, components: ComponentRef[]): Promise<void> {
  if (committed && withWriters) {
    try {
      for (const component of components) await session.setBackupSucceeded(component, false);
      await session.backupComplete();
      return;
    } catch {
      // fall through: AbortBackup is the end left
    }
  }
  await session.abortBackup().catch(() => undefined);
}

async function failWriters(session: BackupSession, operation: string, error: VssError, plan: BackupPlan | null): Promise<never> {
  await session.gatherWriterStatus();
  throwWriterFailures((await session.getWriterStatus()).filter((w) => involved(plan, w)), operation, error);
  throw error;
}

async function createOnce(requested: string[], options: SnapshotSetOptions, signal: AbortSignal | undefined): Promise<SnapshotSet> {
  let volumes = requested;
  let plan: BackupPlan | null = null;
  const writers = checkWriterSelection(options.writers);
  const withWriters = writers !== 'none';
  const context = resolveContext(options, withWriters);
  const persistent = PERSISTENT_CONTEXTS.includes(context);
  const backupType = options.backupType ?? 'full';
  if (!BackupTypes.has(backupType) || (backupType as string) === 'unknown')
    throw invalidArgValue('options.backupType', backupType, "'full', 'incremental', 'differential', 'log', 'copy' or 'other'");
  const provider = options.provider === undefined ? undefined : checkGuid(options.provider, 'options.provider');
  const call: CallOptions = { signal, onProgress: options.onProgress };
  const transportable = options.transportable === true;
  // A transportable set is not on this computer until imported: nothing for the leak journal to clean.
  const journal = persistent && !transportable ? journalTarget(options.journal, options.backend) : null;

  const session = await BackupSession.create({ backend: options.backend, signal });
  let prepared = false;
  let committed = false; // DoSnapshotSet succeeded: the writers have run PostSnapshot
  const addedComponents: ComponentRef[] = [];
  let setId: string | undefined;
  try {
    await session.initializeForBackup();
    // "Importing Transportable Shadow Copied Volumes": the transportable attribute is OR-ed into the context.
    await session.setContext(transportable ? SnapshotContexts.code(context) | TRANSPORTABLE : context);
    if (options.mountedVolumes) volumes = withMountedVolumes(volumes, options.backend);
    let components = options.components ?? [];
    // Component mode unless asked otherwise, as VShadow (vssclient.cpp: SetBackupState(true, ...))
    // and diskshadow back up: the final document then holds the components a restore selects.
    const componentMode = withWriters && options.selection !== false;
    const selecting = withWriters && (componentMode || options.addRequiredVolumes === true);
    await session.setBackupState({ selectComponents: componentMode, backupType });
    if (withWriters) {
      // The selection reaches VSS before GatherWriterMetadata; after it, it would have no effect.
      let known: WriterStatus[] = [];
      if (typeof writers === 'object')
        known = await selectWriters(session, writers, 'include' in writers ? 'options.writers.include' : 'options.writers.exclude', options.backend, signal);
      await session.gatherWriterMetadata(call);
      if (typeof writers === 'object' && components.length > 0) {
        // Disabled writers gave no metadata: a component of one would be reported backed up though
        // its writer took no part (GetWriterMetadata reads what the identify pass brought back).
        const metadata = await session.getWriterMetadata();
        checkComponentsSelected(components, [...metadata, ...known], (writerId) => metadata.some((m) => m.writerId === writerId));
      }
      if (selecting) {
        // The same decision planBackup makes (lib/plan.ts), from this session's metadata and status.
        await session.gatherWriterStatus(call);
        const statuses = await session.getWriterStatus();
        const disabled = typeof writers === 'object' ? disabledWriters(writers, known) : [];
        const decision = decide(volumes, options, await session.getWriterMetadata(), statuses, disabled, machineResolver(options.backend));
        plan = toPlan(decision.volumes, decision.added, options, decision.result);
        volumes = decision.volumes;
        if (componentMode) components = decision.result.add;
        // A writer still in another backup's sequence cannot be selected: backing up without it would
        // look like success with its data left out, so the backup does not start (nothing is left behind).
        const busy = componentMode ? plan.writers.filter((w) => w.reason === 'writer-busy') : [];
        if (busy.length > 0)
          throw new WritersBusyError(
            busy.map((w) => ({ name: w.name, writerId: w.writerId, instanceId: w.instanceId, state: w.state ?? 'unknown' })),
            'the backup did not start, since it would leave those writers out. Try again when that backup has finished ("options.retry" waits and tries again; a requester that never calls BackupComplete keeps them waiting until its process ends), or leave them out ("options.writers.exclude" or "options.selection.exclude").',
          );
      }
      for (const component of components) {
        await session.addComponent(component);
        addedComponents.push(component);
      }
    }
    setId = await session.startSnapshotSet();
    const ids = new Map<string, string>();
    for (const volume of volumes) ids.set(volume, await session.addToSnapshotSet(await shareRoot(session, volume), provider));
    // Written down before the snapshot exists, so a process killed at any later point leaves an entry.
    if (journal) journalled(journal.path, 'record the snapshot set', () => recordSet(journal.path, { setId: setId!, shadowIds: [...ids.values()], machine: journal.machine }));
    // PrepareForBackup comes before DoSnapshotSet even without writers (VSS requires it).
    prepared = true;
    try {
      await session.prepareForBackup(call);
    } catch (error) {
      if (withWriters && error instanceof VssError && !(error instanceof VssWriterError)) await failWriters(session, 'PrepareForBackup', error, plan);
      throw error;
    }
    if (withWriters) {
      await session.gatherWriterStatus(call);
      const failing = (await session.getWriterStatus()).filter((w) => FAILED_STATE.test(w.state) && involved(plan, w));
      throwWriterFailures(failing, 'PrepareForBackup', undefined, await partialFailures(session, failing));
    }
    try {
      await session.doSnapshotSet(call);
      committed = true;
    } catch (error) {
      if (withWriters && error instanceof VssError && !(error instanceof VssWriterError)) await failWriters(session, 'DoSnapshotSet', error, plan);
      throw error;
    }
    if (withWriters) {
      await session.gatherWriterStatus(call);
      const failing = (await session.getWriterStatus()).filter((w) => FAILED_STATE.test(w.state) && involved(plan, w));
      throwWriterFailures(failing, 'DoSnapshotSet', undefined, await partialFailures(session, failing));
    }
    const shadows = new Map<string, ShadowCopy>();
    // A transportable set's copies stay off this computer (VShadow does not query them either).
    if (!transportable) for (const [volume, id] of ids) shadows.set(volume, await session.getSnapshotProperties(id));
    return new SnapshotSet(session, setId, shadows, components, persistent, options.backend, withWriters, plan, journal, options.keep ?? false, options.correlateEvents !== false);
  } catch (error) {
    // Leave nothing behind: the backup ended (writers not left waiting), persistent shadows deleted, session released.
    if (prepared) await endFailedBackup(session, committed, withWriters, addedComponents);
    if (persistent && setId) {
      const id = setId;
      await session.deleteSnapshots(id, { wholeSet: true, force: true }).then(() => forgetQuietly(journal, { setIds: [id] }), () => undefined);
    }
    // A failure after the set was started (a writer's, the provider's) says what the aborted backup's document holds.
    if (error instanceof VssError && setId && !session.released)
      attachReport(error, await buildReport(session, setId, [], withWriters, 'aborted', false, plan, options.backend, [], options.correlateEvents !== false));
    await session.release();
    throw error;
  }
}

/**
 * Creates a snapshot set of one or more volumes, with the writers taking part
 * (`PrepareForBackup`, `DoSnapshotSet`), and resolves once every shadow copy exists.
 *
 * @example
 * ```js
 * const set = await createSnapshotSet(['C:\\'], { backend: 'simulated' });
 * try {
 *   const copy = set.pathFor('C:\\Windows\\System32\\config\\SOFTWARE');
 *   // ... read from `copy` ...
 *   await set.complete({ succeeded: true });
 * } finally {
 *   if (!set.ended) await set.abort(); // writers thawed, session released
 * }
 * ```
 */
export async function createSnapshotSet(volumes: string | string[], options: SnapshotSetOptions = {}): Promise<SnapshotSet> {
  checkOptionsObject(options as unknown, 'options', SNAPSHOT_SET_OPTION_KEYS);
  const list = normalizeVolumeList(volumes, 'volumes', true);
  if (options.backend !== undefined) checkBackend(options.backend, 'options.backend');
  checkSignal(options.signal, 'options.signal');
  checkFunction(options.onProgress, 'options.onProgress');
  if (options.persistent !== undefined) checkBoolean(options.persistent, 'options.persistent');
  if (options.transportable !== undefined) checkBoolean(options.transportable, 'options.transportable');
  if (options.components !== undefined && !Array.isArray(options.components))
    throw invalidArgType('options.components', options.components, 'an array of components');
  if (options.writers === 'none' && options.components && options.components.length > 0)
    throw invalidArgValue('options.components', options.components, "absent with writers: 'none' (no writer takes part to back them up)");
  if (options.timeoutMs !== undefined) {
    if (typeof options.timeoutMs !== 'number') throw invalidArgType('options.timeoutMs', options.timeoutMs, 'of type number');
    // AbortSignal.timeout() takes up to 2^32 - 1 ms (about 49 days).
    if (!Number.isFinite(options.timeoutMs) || options.timeoutMs <= 0 || options.timeoutMs > MAX_TIMEOUT_MS)
      throw outOfRange('options.timeoutMs', options.timeoutMs, `a number of milliseconds from 1 to ${MAX_TIMEOUT_MS}`);
  }
  checkSelectionOptions(options);
  checkJournalOption(options.journal);
  if (options.keep !== undefined) checkBoolean(options.keep, 'options.keep');
  const retry = checkRetry(options.retry);
  checkCorrelateOption(options.correlateEvents);
  const started = Date.now();

  const signals = [options.signal, options.timeoutMs ? AbortSignal.timeout(options.timeoutMs) : undefined].filter(
    (s): s is AbortSignal => s !== undefined,
  );
  const signal = signals.length > 1 ? AbortSignal.any(signals) : signals[0];
  if (signal?.aborted) throw abortedBy(signal, () => new AbortError(undefined, { cause: signal.reason }));

  let delay = retry?.delayMs ?? 0;
  for (let attempt = 1; ; attempt++) {
    try {
      return await createOnce(list, options, signal);
    } catch (error) {
      // Another backup in progress: its snapshot set (VSS says so), or its writers still waiting (the selection does).
      const inProgress = (error instanceof VssError && error.hresult === SNAPSHOT_SET_IN_PROGRESS) || error instanceof WritersBusyError;
      if (!retry || !inProgress || attempt >= retry.attempts) throw await withCorrelatedEvents(error, options, started);
      debug('%s: attempt %d of %d failed, retrying in %dms', (error as { code?: string }).code, attempt, retry.attempts, delay);
      await sleep(delay, signal);
      delay = Math.min(delay * 2, retry.maxDelayMs);
    }
  }
}

/** Options of {@link withSnapshotSet}: those of {@link createSnapshotSet}, and what to do with the report. */
export interface WithSnapshotSetOptions extends SnapshotSetOptions {
  /** As in {@link CompleteOptions.writerFailures}: `'throw'` (default) or `'report'`. */
  writerFailures?: 'throw' | 'report';
  /** Receives the backup's report once the set is finished (also when the body threw); a promise it returns is awaited. */
  onReport?: (report: BackupReport) => void | Promise<void>;
}

/**
 * Runs `body` with a snapshot set that lives exactly as long as the callback:
 * success marks the backup succeeded, a throw marks it failed (and rethrows).
 * A writer that failed at any phase, `BackupComplete` included, rejects with
 * {@link VssWriterError} (its `report` says what was backed up) unless
 * `writerFailures: 'report'`; `onReport` receives the {@link BackupReport} either way.
 *
 * @example
 * const sim = createSimulator({ volumes: [{ name: 'C:\\', path: 'c-volume' }] }); // C: is the host folder ./c-volume
 * const bytes = await withSnapshotSet(['C:\\'], { backend: sim, onReport: (r) => fs.promises.writeFile('bcd.xml', r.document!) }, async (set) => {
 *   return (await fs.promises.readFile(set.pathFor('C:\\data\\app.db'))).length;
 * });
 */
export async function withSnapshotSet<T>(volumes: string | string[], options: WithSnapshotSetOptions, body: (set: SnapshotSet) => Promise<T> | T): Promise<T> {
  if (typeof body !== 'function') throw invalidArgType('body', body, 'a function');
  checkOptionsObject(options as unknown, 'options', WITH_SNAPSHOT_SET_OPTION_KEYS);
  checkFunction(options?.onReport, 'options.onReport');
  const writerFailuresMode = options?.writerFailures ?? 'throw';
  if (writerFailuresMode !== 'throw' && writerFailuresMode !== 'report')
    throw invalidArgValue('options.writerFailures', writerFailuresMode, "'throw' or 'report'");
  const { writerFailures: _writerFailures, onReport: _onReport, ...setOptions } = options ?? {};
  const set = await createSnapshotSet(volumes, setOptions);
  let result: T;
  try {
    result = await body(set);
  } catch (error) {
    if (!set.ended) await set.complete({ succeeded: false, writerFailures: 'report' }).catch(() => undefined);
    if (set.report) await options.onReport?.(set.report);
    throw error;
  }
  try {
    await set.complete({ succeeded: true, writerFailures: writerFailuresMode });
  } finally {
    if (set.report) await options.onReport?.(set.report);
  }
  return result;
}

/** Options of the management calls. */
export interface ManagementOptions {
  backend?: BackendOption;
  signal?: AbortSignal;
  /** The leak journal to strike deleted sets off and note exposures in (default as {@link SnapshotSetOptions.journal}); `false`: none. */
  journal?: string | false;
}

// The options each function takes, checked against its type by the compiler (optionKeys), so
// a misspelt option is refused instead of ignored.
const SNAPSHOT_SET_OPTION_KEYS = optionKeys<SnapshotSetOptions>()({
  backupType: true, context: true, persistent: true, transportable: true, writers: true, components: true, selection: true,
  addRequiredVolumes: true, mountedVolumes: true, journal: true, keep: true, provider: true, timeoutMs: true, backend: true,
  signal: true, onProgress: true, retry: true, correlateEvents: true,
});
const WITH_SNAPSHOT_SET_OPTION_KEYS = [...SNAPSHOT_SET_OPTION_KEYS, ...optionKeys<Omit<WithSnapshotSetOptions, keyof SnapshotSetOptions>>()({ writerFailures: true, onReport: true })];
const MANAGEMENT_OPTION_KEYS = optionKeys<ManagementOptions>()({ backend: true, signal: true, journal: true });
const LIST_SHADOW_COPIES_OPTION_KEYS = optionKeys<ManagementOptions & { volume?: string; setId?: string }>()({ backend: true, signal: true, journal: true, volume: true, setId: true });
const REVERT_OPTION_KEYS = optionKeys<ManagementOptions & { forceDismount?: boolean; ignoreBlockingWriters?: boolean; onProgress?: (event: ProgressEvent) => void }>()({ backend: true, signal: true, journal: true, forceDismount: true, ignoreBlockingWriters: true, onProgress: true });
const RESIZE_OPTION_KEYS = optionKeys<ManagementOptions & { volatile?: boolean }>()({ backend: true, signal: true, journal: true, volatile: true });
const LIST_SHADOW_STORAGE_OPTION_KEYS = optionKeys<ManagementOptions & { volume?: string; on?: string; snapshotId?: string }>()({ backend: true, signal: true, journal: true, volume: true, on: true, snapshotId: true });
const VOLUME_PROTECTION_OPTION_KEYS = optionKeys<ManagementOptions & { level?: ProtectionLevel; clear?: boolean }>()({ backend: true, signal: true, journal: true, level: true, clear: true });

async function withManagementSession<T>(options: ManagementOptions | undefined, body: (session: BackupSession) => Promise<T>): Promise<T> {
  checkOptionalObject(options as unknown, 'options');
  await using session = await openManagementSession(options);
  return await body(session);  // awaited here, so the session outlives the body
}

async function openManagementSession(options: ManagementOptions | undefined): Promise<BackupSession> {
  const session = await BackupSession.create({ backend: options?.backend, signal: options?.signal });
  try {
    await session.initializeForBackup();
    // VSS_CTX_ALL: see and manage shadow copies of every context.
    await session.setContext(0xffffffff);
    return session;
  } catch (error) {
    await session.release();
    throw error;
  }
}

/**
 * A volume that does not exist is VSS's error, not an empty answer: IsVolumeSupported
 * fails with VSS_E_OBJECT_NOT_FOUND for it ("IVssBackupComponents::IsVolumeSupported",
 * learn.microsoft.com), where filtering the shadow copies by its name would find none.
 */
async function checkVolumeExists(session: BackupSession, volume: string): Promise<void> {
  await session.isVolumeSupported(volume);
}

/** A UNC share (\\server\share\), as opposed to a local volume name. */
const SHARE_NAME = /^\\\\[^\\?.][^\\]*\\/;

/**
 * The shadow copies whose original volume is `volume`. A share may be spelled by host name,
 * FQDN or IP address, and its copies carry the spelling given at create; both sides are
 * normalized to the host-name root with IVssBackupComponentsEx4::GetRootAndLogicalPrefixPaths
 * (as createSnapshotSet does for an IP form; AddToSnapshotSet's remarks), so every spelling of
 * one share matches its copies (cold12 F1). A share VSS cannot resolve is an error from VSS.
 */
async function copiesOfVolume(session: BackupSession, volume: string, backend: BackendOption | undefined): Promise<ShadowCopy[]> {
  const all = await session.querySnapshots();
  if (!SHARE_NAME.test(volume)) {
    const guidPath = volumeGuidPath(volume, backend);
    return all.filter((c) => c.originalVolume.toLowerCase() === guidPath);
  }
  const roots = new Map<string, string>();
  const rootOf = async (share: string, strict: boolean): Promise<string> => {
    const key = share.toLowerCase();
    let root = roots.get(key);
    if (root === undefined) {
      try {
        root = (await session.getRootAndLogicalPrefixPaths(share)).rootPath.toLowerCase();
      } catch (error) {
        // The share asked for must resolve; a copy of a server gone since keeps its own spelling.
        if (strict) throw error;
        root = key;
      }
      roots.set(key, root);
    }
    return root;
  };
  const wanted = await rootOf(volume, true);
  const copies: ShadowCopy[] = [];
  for (const c of all) if (SHARE_NAME.test(c.originalVolume) && (await rootOf(c.originalVolume, false)) === wanted) copies.push(c);
  return copies;
}

/**
 * Lists existing shadow copies, optionally of one volume or one set.
 * @example const copies = await listShadowCopies({ backend: 'simulated' });
 */
export async function listShadowCopies(options: ManagementOptions & { volume?: string; setId?: string } = {}): Promise<ShadowCopy[]> {
  checkOptionsObject(options as unknown, 'options', LIST_SHADOW_COPIES_OPTION_KEYS);
  // A remote file share too: its shadow copies are listed with the share as their original volume (cold8 F16).
  const volume = options.volume === undefined ? undefined : normalizeVolume(options.volume, 'options.volume', true);
  const setId = options.setId === undefined ? undefined : checkGuid(options.setId, 'options.setId');
  const all = await withManagementSession(options, async (s) => {
    if (volume === undefined) return s.querySnapshots();
    await checkVolumeExists(s, volume);
    return copiesOfVolume(s, volume, options.backend);
  });
  return all.filter((c) => setId === undefined || c.setId === setId);
}

/**
 * What to delete: shadow copy ids, a whole set, every shadow copy of a volume (or only its
 * oldest), the shadow copy exposed under a drive letter, folder or share name, or every
 * shadow copy on the machine (`{ all: true }`, as `vshadow -da` and `vssadmin delete shadows /all`).
 */
export type DeleteTarget =
  | string[]
  | { setId: string }
  | { volume: string; oldest?: boolean }
  | { exposed: string }
  | { all: true };

/** Deletes each shadow copy by id (`DeleteSnapshots` with `VSS_OBJECT_SNAPSHOT`), stopping at the first one VSS keeps. */
async function deleteEach(session: BackupSession, ids: string[]): Promise<DeleteResult> {
  let deletedCount = 0;
  for (const id of ids) {
    const result = await session.deleteSnapshots(id, { force: true });
    deletedCount += result.deletedCount;
    if (result.nonDeletedId) return { deletedCount, nonDeletedId: result.nonDeletedId };
  }
  return { deletedCount, nonDeletedId: null };
}

/** A drive letter ("X", "x:", "X:\") as VSS names an exposure ("X:"); folders and share names as given. */
function exposedKey(name: string): string {
  const letter = /^([A-Za-z]):?\\?$/.exec(name);
  return letter ? `${letter[1]!.toUpperCase()}:` : name.replace(/\\$/, '').toLowerCase();
}

/**
 * Deletes shadow copies (`DeleteSnapshots`).
 * @example
 * const set = await createSnapshotSet(['C:\\'], { backend: 'simulated', persistent: true });
 * await set.complete({ succeeded: true }); // persistent: the shadow copy outlives the session
 * const { deletedCount } = await deleteShadowCopies({ setId: set.setId }, { backend: 'simulated' });
 */
export async function deleteShadowCopies(target: DeleteTarget, options: ManagementOptions = {}): Promise<DeleteResult> {
  checkOptionsObject(options as unknown, 'options', MANAGEMENT_OPTION_KEYS);
  checkJournalOption(options.journal);
  const journal = journalTarget(options.journal, options.backend);
  // Deleted shadow copies are struck off the leak journal: up to the first one VSS kept.
  const forgetting = async (ids: string[], run: Promise<DeleteResult>): Promise<DeleteResult> => {
    const result = await run;
    const kept = result.nonDeletedId === null ? -1 : ids.indexOf(result.nonDeletedId);
    forgetQuietly(journal, { shadowIds: kept < 0 ? ids : ids.slice(0, kept) });
    return result;
  };
  if (Array.isArray(target)) {
    if (target.length === 0) throw outOfRange('target.length', 0, '>= 1');
    // An id given twice is deleted once: the second DeleteSnapshots could only fail with VSS_E_OBJECT_NOT_FOUND.
    const ids = [...new Set(target.map((id, i) => checkGuid(id, `target[${i}]`)))];
    return forgetting(ids, withManagementSession(options, (session) => deleteEach(session, ids)));
  }
  checkOptionalObject(target, 'target');
  const t = (target ?? {}) as Record<string, unknown>;
  checkOneForm(t, 'target', { setId: [], volume: ['oldest'], exposed: [], all: [] });
  if (typeof t.setId === 'string') {
    const setId = checkGuid(t.setId, 'target.setId');
    const result = await withManagementSession(options, (s) => s.deleteSnapshots(setId, { wholeSet: true, force: true }));
    if (result.nonDeletedId === null) forgetQuietly(journal, { setIds: [setId] });
    return result;
  }
  if (t.volume !== undefined) {
    const volume = normalizeVolume(t.volume, 'target.volume', true);
    if (t.oldest !== undefined) checkBoolean(t.oldest, 'target.oldest');
    return withManagementSession(options, async (session) => {
      await checkVolumeExists(session, volume);
      const copies = await copiesOfVolume(session, volume, options.backend);
      copies.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
      // Oldest first, as vshadow -do and vssadmin delete shadows /oldest do.
      const ids = (t.oldest ? copies.slice(0, 1) : copies).map((c) => c.snapshotId);
      return forgetting(ids, deleteEach(session, ids));
    });
  }
  if (t.exposed !== undefined) {
    if (typeof t.exposed !== 'string' || t.exposed.length === 0) throw invalidArgValue('target.exposed', t.exposed, 'a drive letter, folder or share name');
    const key = exposedKey(t.exposed);
    return withManagementSession(options, async (session) => {
      const copy = (await session.querySnapshots()).find((c) => c.exposedName !== null && exposedKey(c.exposedName) === key);
      // Nothing is exposed there: VSS's answer for a shadow copy that does not exist.
      if (!copy) throw new VssError(hresultValue('VSS_E_OBJECT_NOT_FOUND')!, undefined, { operation: 'DeleteSnapshots', detail: `no shadow copy is exposed as ${t.exposed}` });
      return forgetting([copy.snapshotId], deleteEach(session, [copy.snapshotId]));
    });
  }
  if (t.all !== undefined) {
    if (t.all !== true) throw invalidArgValue('target.all', t.all, 'true');
    return withManagementSession(options, async (session) => {
      const ids = (await session.querySnapshots()).map((c) => c.snapshotId);
      return forgetting(ids, deleteEach(session, ids));
    });
  }
  throw invalidArgValue('target', target, 'an array of shadow copy ids, { setId }, { volume[, oldest: true] }, { exposed } or { all: true }');
}

/**
 * Exposes a persistent shadow copy as a drive letter, a folder, or (only with
 * `allowShare: true`) a network share. Resolves to the exposed name.
 * @example
 * const set = await createSnapshotSet(['C:\\'], { backend: 'simulated', persistent: true });
 * await set.complete({ succeeded: true }); // only persistent shadow copies can be exposed
 * console.log(await exposeShadowCopy(set.snapshots[0].snapshotId, { driveLetter: 'X:' }, { backend: 'simulated' })); // 'X:\\'
 */
export async function exposeShadowCopy(
  snapshotId: string,
  target: ExposeTarget,
  options: ManagementOptions = {},
): Promise<string> {
  const id = checkGuid(snapshotId, 'snapshotId');
  checkOptionsObject(options as unknown, 'options', MANAGEMENT_OPTION_KEYS);
  checkJournalOption(options.journal);
  exposeArguments(target); // a bad target is refused before a session is opened
  const name = await withManagementSession(options, (s) => s.exposeSnapshot(id, target));
  noteExposureQuietly(journalTarget(options.journal, options.backend), id, name);
  return name;
}

/**
 * Stops exposing a shadow copy (`IVssBackupComponentsEx2::UnexposeSnapshot`).
 * @example
 * const set = await createSnapshotSet(['C:\\'], { backend: 'simulated', persistent: true, writers: 'none' });
 * await set.complete({ succeeded: true });
 * const id = set.snapshots[0].snapshotId;
 * await exposeShadowCopy(id, { driveLetter: 'X:' }, { backend: 'simulated' });
 * await unexposeShadowCopy(id, { backend: 'simulated' });
 */
export async function unexposeShadowCopy(snapshotId: string, options: ManagementOptions = {}): Promise<void> {
  const id = checkGuid(snapshotId, 'snapshotId');
  checkOptionsObject(options as unknown, 'options', MANAGEMENT_OPTION_KEYS);
  checkJournalOption(options.journal);
  await withManagementSession(options, (s) => s.unexposeSnapshot(id));
  noteExposureQuietly(journalTarget(options.journal, options.backend), id, null);
}

/**
 * One shadow copy by id (`GetSnapshotProperties` in `VSS_CTX_ALL`, as `vshadow -s` does); rejects with
 * `VSS_E_OBJECT_NOT_FOUND` when there is none.
 * @example
 * const set = await createSnapshotSet(['C:\\'], { backend: 'simulated', persistent: true, writers: 'none' });
 * await set.complete({ succeeded: true });
 * const id = set.snapshots[0].snapshotId;
 * const copy = await getShadowCopy(id, { backend: 'simulated' });
 * console.log(copy.originalVolume, copy.createdAt);
 */
export async function getShadowCopy(snapshotId: string, options: ManagementOptions = {}): Promise<ShadowCopy> {
  const id = checkGuid(snapshotId, 'snapshotId');
  checkOptionsObject(options as unknown, 'options', MANAGEMENT_OPTION_KEYS);
  return withManagementSession(options, (s) => s.getSnapshotProperties(id));
}

/**
 * Reverts a volume to a persistent shadow copy, as `vshadow -revert` does: reads the shadow
 * copy's properties, `RevertToSnapshot` (dismounting the volume if it is in use unless
 * `forceDismount: false`), then waits for the revert with `QueryRevertStatus`. Everything
 * written to the volume since the shadow copy was made is lost. Resolves to the reverted volume.
 * First it asks `ShouldBlockRevert` for the volume and refuses with {@link VssRevertBlockedError}
 * (`code` `'ERR_VSS_REVERT_BLOCKED'`)
 * when a writer the registry lists as blocking reverts has data there (`ignoreBlockingWriters: true`
 * skips the check; a vssapi.dll without the function, as on client Windows, is no block).
 * A revert cannot be cancelled (RevertToSnapshot's page): `signal` stops only the waiting, with
 * AbortError (or the signal's TimeoutError), while the revert runs on to its end.
 * @example
 * const set = await createSnapshotSet(['C:\\'], { backend: 'simulated', persistent: true, writers: 'none' });
 * await set.complete({ succeeded: true });
 * const id = set.snapshots[0].snapshotId;
 * console.log(await revertToShadowCopy(id, { backend: 'simulated' })); // the reverted volume
 */
export async function revertToShadowCopy(
  snapshotId: string,
  options: ManagementOptions & { forceDismount?: boolean; ignoreBlockingWriters?: boolean; onProgress?: (event: ProgressEvent) => void } = {},
): Promise<string> {
  const id = checkGuid(snapshotId, 'snapshotId');
  checkOptionsObject(options as unknown, 'options', REVERT_OPTION_KEYS);
  if (options.forceDismount !== undefined) checkBoolean(options.forceDismount, 'options.forceDismount');
  if (options.ignoreBlockingWriters !== undefined) checkBoolean(options.ignoreBlockingWriters, 'options.ignoreBlockingWriters');
  checkFunction(options.onProgress, 'options.onProgress');
  checkOptionalObject(options as unknown, 'options');
  const session = await openManagementSession(options);
  // Set when the signal stopped the wait: the session is busy until the revert ends, and is released then.
  let leftRunning = false;
  try {
    const { originalVolume, attributes } = await session.getSnapshotProperties(id);
    // A share's copy is no volume here: ShouldBlockRevert takes volumes only, so RevertToSnapshot answers for it.
    const share = attributes.includes('file-share');
    if (!options.ignoreBlockingWriters && !share) await refuseBlockedRevert(session, originalVolume);
    // Not given the signal: RevertToSnapshot "cannot be canceled" (its page); the signal stops only the wait.
    await session.revertToSnapshot(id, { forceDismount: options.forceDismount ?? true });
    try {
      await session.queryRevertStatus(originalVolume, { signal: options.signal, onProgress: options.onProgress });
    } catch (error) {
      // Already finished: nothing left to track (VShadow's revert.cpp reads it the same way).
      if (error instanceof VssError && error.code === 'VSS_E_OBJECT_NOT_FOUND') return originalVolume;
      leftRunning = options.signal?.aborted === true;
      throw error;
    }
    return originalVolume;
  } finally {
    if (leftRunning) session.release().catch(() => undefined);
    else await session.release();
  }
}

/** Refuses, before anything changes, a revert that a writer listed under WritersBlockingRevert blocks. */
async function refuseBlockedRevert(session: BackupSession, volume: string): Promise<void> {
  let blocked: boolean;
  try {
    blocked = await session.shouldBlockRevert(volume);
  } catch (error) {
    // Client Windows has no ShouldBlockRevert (its page: Windows Server only): nothing blocks there.
    const code = (error as { code?: string }).code;
    if (code === 'E_NOTIMPL' || code === 'ERROR_PROC_NOT_FOUND') return;
    throw error;
  }
  if (blocked) throw new VssRevertBlockedError(volume);
}

/**
 * Lists the shadow copy providers.
 * @example const [system] = await listProviders({ backend: 'simulated' });
 */
export async function listProviders(options: ManagementOptions = {}): Promise<Provider[]> {
  checkOptionsObject(options as unknown, 'options', MANAGEMENT_OPTION_KEYS);
  return withManagementSession(options, (s) => s.queryProviders());
}

/**
 * Adds a shadow storage association (`AddDiffArea`): `volume`'s shadow copies keep their
 * differences on `diffAreaVolume`, up to `maximumSize` bytes (at least 320 MB; -1: no limit).
 * @example
 * await addShadowStorage('C:\\', 'C:\\', 20n * 1024n ** 3n, { backend: 'simulated' });
 * await resizeShadowStorage('C:\\', 'C:\\', 0, { backend: 'simulated' }); // and delete it again
 */
export async function addShadowStorage(volume: string, diffAreaVolume: string, maximumSize: bigint | number, options: ManagementOptions = {}): Promise<void> {
  checkOptionsObject(options as unknown, 'options', MANAGEMENT_OPTION_KEYS);
  await using session = await BackupSession.create({ backend: options.backend, signal: options.signal });
  await session.addDiffArea(volume, diffAreaVolume, maximumSize);
}

/**
 * Changes the most shadow storage `volume`'s shadow copies may use on `diffAreaVolume`
 * (`ChangeDiffAreaMaximumSize`; -1: no limit), or deletes the association with `0` (refused with
 * `VSS_E_VOLUME_IN_USE` while the volume has shadow copies). With `volatile: true`
 * (`ChangeDiffAreaMaximumSizeEx`) the new maximum lasts until the machine restarts.
 * @example await resizeShadowStorage('C:\\', 'C:\\', 10n * 1024n ** 3n, { backend: 'simulated' });
 */
export async function resizeShadowStorage(
  volume: string,
  diffAreaVolume: string,
  maximumSize: bigint | number,
  options: ManagementOptions & { volatile?: boolean } = {},
): Promise<void> {
  checkOptionsObject(options as unknown, 'options', RESIZE_OPTION_KEYS);
  if (options.volatile !== undefined) checkBoolean(options.volatile, 'options.volatile');
  await using session = await BackupSession.create({ backend: options.backend, signal: options.signal });
  if (options.volatile !== undefined) await session.changeDiffAreaMaximumSizeEx(volume, diffAreaVolume, maximumSize, options.volatile);
  else await session.resizeShadowStorage(volume, maximumSize, diffAreaVolume);
}

/**
 * Lists shadow storage associations (diff areas) and their sizes: every one
 * (`QueryDiffAreasForVolume` for each volume), or only those of one volume's shadow copies
 * (`volume`, `QueryDiffAreasForVolume`), those stored on one volume (`on`,
 * `QueryDiffAreasOnVolume`) or those of a shadow copy's volume (`snapshotId`,
 * `QueryDiffAreasForSnapshot`); give at most one of the three.
 * @example for (const s of await listShadowStorage({ backend: 'simulated' })) console.log(s.volume, s.usedSize);
 * @example const onC = await listShadowStorage({ on: 'C:\\', backend: 'simulated' });
 */
export async function listShadowStorage(options: ManagementOptions & { volume?: string; on?: string; snapshotId?: string } = {}): Promise<ShadowStorage[]> {
  checkOptionsObject(options as unknown, 'options', LIST_SHADOW_STORAGE_OPTION_KEYS);
  const filters = (['volume', 'on', 'snapshotId'] as const).filter((k) => options[k] !== undefined);
  if (filters.length > 1) throw invalidArgValue(`options.${filters[1]}`, options[filters[1]!], `not with options.${filters[0]}: give one of volume, on, snapshotId`);
  await using session = await BackupSession.create({ backend: options.backend, signal: options.signal });
  // Each awaited here, so the session outlives the query.
  if (options.volume !== undefined) return await session.queryDiffAreasForVolume(options.volume);
  if (options.on !== undefined) return await session.queryDiffAreasOnVolume(options.on);
  if (options.snapshotId !== undefined) return await session.queryDiffAreasForSnapshot(options.snapshotId);
  return await session.queryShadowStorage();
}

/**
 * A volume's shadow copy protection (`GetVolumeProtectLevel`): its level, and whether a protection
 * fault took it offline; with `level` it is set first (`SetVolumeProtectLevel`), with `clear: true`
 * a fault is cleared first (`ClearVolumeProtectFault`).
 * @example const { level, offline } = await volumeProtection('C:\\', { backend: 'simulated' });
 * @example await volumeProtection('C:\\', { level: 'snapshot', backend: 'simulated' });
 */
export async function volumeProtection(volume: string, options: ManagementOptions & { level?: ProtectionLevel; clear?: boolean } = {}): Promise<VolumeProtection> {
  checkOptionsObject(options as unknown, 'options', VOLUME_PROTECTION_OPTION_KEYS);
  if (options.clear !== undefined) checkBoolean(options.clear, 'options.clear');
  await using session = await BackupSession.create({ backend: options.backend, signal: options.signal });
  if (options.clear) await session.clearVolumeProtectFault(volume);
  if (options.level !== undefined) await session.setVolumeProtectLevel(volume, options.level);
  return await session.getVolumeProtectLevel(volume);
}

/**
 * Deletes the shadow storage on `diffAreaVolume` that serves volumes a protection fault took
 * offline (`DeleteUnusedDiffAreas`); the shadow copies kept there go with it.
 * @example await deleteUnusedShadowStorage('C:\\', { backend: 'simulated' });
 */
export async function deleteUnusedShadowStorage(diffAreaVolume: string, options: ManagementOptions = {}): Promise<void> {
  checkOptionsObject(options as unknown, 'options', MANAGEMENT_OPTION_KEYS);
  await using session = await BackupSession.create({ backend: options.backend, signal: options.signal });
  await session.deleteUnusedDiffAreas(diffAreaVolume);
}

/**
 * The volumes that can hold `volume`'s shadow storage, with their size and free space
 * (`QueryVolumesSupportedForDiffAreas`, `VSS_DIFF_VOLUME_PROP`).
 * @example for (const v of await listShadowStorageVolumes('C:\\', { backend: 'simulated' })) console.log(v.displayName, v.freeSpace);
 */
export async function listShadowStorageVolumes(volume: string, options: ManagementOptions = {}): Promise<ShadowStorageVolume[]> {
  checkOptionsObject(options as unknown, 'options', MANAGEMENT_OPTION_KEYS);
  await using session = await BackupSession.create({ backend: options.backend, signal: options.signal });
  return await session.queryVolumesSupportedForDiffAreas(volume);
}
