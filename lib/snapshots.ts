/**
 * High-level shadow copies: create a snapshot set with writers taking part, read
 * files from it, complete or abort the backup, and manage existing shadow copies.
 * @module
 */
import { join } from 'node:path';

import { checkBackend, getDefaultBackend, getDefaultSimulator, type BackendOption } from './backend.js';
import { BackupTypes, SnapshotContexts, type BackupType, type SnapshotContext } from './enums.js';
import { AbortError, VssError, VssWriterError } from './errors.js';
import { hresultValue } from './hresults.js';
import { debug } from './log.js';
import { BackupSession, type CallOptions, type ExposeTarget } from './session.js';
import { loadAddon } from './native.js';
import { Simulator } from './simulator.js';
import type { ComponentRef, DeleteResult, ProgressEvent, Provider, ShadowCopy, ShadowStorage, WriterComponents, WriterStatus } from './types.js';
import {
  checkBoolean,
  checkFunction,
  checkGuid,
  checkOptionalObject,
  checkSignal,
  invalidArgType,
  invalidArgValue,
  outOfRange,
} from './validate.js';
import { normalizeVolume, normalizeVolumeList, splitPath } from './volumes.js';
import { selectWriters } from './writer-selection.js';

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
   * Which writers take part (default `'all'`): writer names, class ids or instance ids. The
   * choice is made with `EnableWriterClasses`/`DisableWriterClasses`/`DisableWriterInstances`
   * before the backup gathers writer metadata, so an excluded writer hears no event at all.
   */
  writers?: WriterSelection;
  /** Components to back up (component mode); by default every writer takes part whole (volume mode). */
  components?: ComponentRef[];
  /** The provider to use for every volume (default: VSS chooses). */
  provider?: string;
  /** Give up (and abort the backup) after this long. */
  timeoutMs?: number;
  backend?: BackendOption;
  signal?: AbortSignal;
  onProgress?: (event: ProgressEvent) => void;
  /** Retry on `VSS_E_SNAPSHOT_SET_IN_PROGRESS`: off by default; `true` for the default policy. */
  retry?: boolean | RetryPolicy;
}

/** Options of {@link SnapshotSet.complete}. */
export interface CompleteOptions {
  /** Whether the backup of the components succeeded. */
  succeeded: boolean;
  /** Only these components (default: every component added). */
  components?: ComponentRef[];
}

const SNAPSHOT_SET_IN_PROGRESS = hresultValue('VSS_E_SNAPSHOT_SET_IN_PROGRESS')!;
const FAILED_STATE = /^failed-at-/;

function resolveContext(options: SnapshotSetOptions, withWriters: boolean): SnapshotContext {
  if (options.context !== undefined) {
    if (!SnapshotContexts.has(options.context) || (options.context as string) === 'all')
      throw invalidArgValue('options.context', options.context, SnapshotContexts.names.filter((n) => n !== 'all').map((n) => `'${n}'`).join(', '));
    return options.context;
  }
  if (options.persistent) return withWriters ? 'app-rollback' : 'nas-rollback';
  return withWriters ? 'backup' : 'file-share-backup';
}

function checkWriterSelection(selection: unknown): WriterSelection {
  if (selection === undefined || selection === 'all' || selection === 'none') return selection ?? 'all';
  if (selection && typeof selection === 'object' && !Array.isArray(selection)) {
    const s = selection as Record<string, unknown>;
    const key = 'include' in s ? 'include' : 'exclude' in s ? 'exclude' : null;
    if (key && Array.isArray(s[key]) && (s[key] as unknown[]).every((w) => typeof w === 'string' && w.length > 0))
      return selection as WriterSelection;
  }
  throw invalidArgValue('options.writers', selection, "'all', 'none', { include: [names or ids] } or { exclude: [names or ids] }");
}

function checkRetry(retry: unknown): Required<RetryPolicy> | null {
  if (retry === undefined || retry === false) return null;
  const defaults = { attempts: 5, delayMs: 1000, maxDelayMs: 30_000 };
  if (retry === true) return defaults;
  checkOptionalObject(retry, 'options.retry');
  const policy = { ...defaults, ...(retry as RetryPolicy) };
  if (!Number.isInteger(policy.attempts) || policy.attempts < 1 || policy.attempts > 100)
    throw outOfRange('options.retry.attempts', policy.attempts, 'an integer from 1 to 100');
  for (const key of ['delayMs', 'maxDelayMs'] as const)
    if (typeof policy[key] !== 'number' || !(policy[key] >= 0)) throw outOfRange(`options.retry.${key}`, policy[key], '>= 0');
  return policy;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new AbortError(undefined, { cause: signal.reason }));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new AbortError(undefined, { cause: signal?.reason }));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** The simulator behind a backend option, if it is one. */
function simulatorOf(backend: BackendOption | undefined): Simulator | null {
  const chosen = backend ?? getDefaultBackend();
  if (chosen instanceof Simulator) return chosen;
  return chosen === 'simulated' ? getDefaultSimulator() : null;
}

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
  /** Whether the shadow copies outlive the session. */
  readonly persistent: boolean;
  readonly #session: BackupSession;
  readonly #volumes: Map<string, ShadowCopy>;
  readonly #components: ComponentRef[];
  readonly #simulator: Simulator | null;
  readonly #withWriters: boolean;
  #ended = false;

  /** @internal */
  constructor(session: BackupSession, setId: string, volumes: Map<string, ShadowCopy>, components: ComponentRef[], persistent: boolean, simulator: Simulator | null, withWriters = true) {
    this.#session = session;
    this.setId = setId;
    this.#volumes = volumes;
    this.snapshots = [...volumes.values()];
    this.#components = components;
    this.persistent = persistent;
    this.#simulator = simulator;
    this.#withWriters = withWriters;
  }

  /** Whether {@link complete} or {@link abort} already ran. */
  get ended(): boolean {
    return this.#ended;
  }

  /** The low-level session, for steps the high-level API does not cover. */
  get session(): BackupSession {
    return this.#session;
  }

  /**
   * Maps a path on an original volume to the same file inside its shadow copy.
   * On Windows that is a path under the shadow copy's device object; on the
   * simulator, for a volume backed by a host folder, a path in that folder's copy.
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
    if (typeof originalPath !== 'string') throw invalidArgType('originalPath', originalPath, 'of type string');
    if (originalPath.split(/[\\/]/).includes('..')) throw invalidArgValue('originalPath', originalPath, "a path without '..'");
    const split = splitPath(originalPath.replace(/\//g, '\\'), [...this.#volumes.keys()]);
    if (!split)
      throw invalidArgValue('originalPath', originalPath, `a path on a volume in this snapshot set (${[...this.#volumes.keys()].join(', ')})`);
    const shadow = this.#volumes.get(split.volume)!;
    if (this.#simulator) {
      const content = this.#simulator.describe().shadows.find((s) => s.snapshotId === shadow.snapshotId)?.contentPath;
      if (content) return join(content, ...split.rest.split('\\').filter(Boolean));
    }
    return `${shadow.deviceObject}\\${split.rest}`;
  }

  /**
   * The shadow copy of a volume in the set.
   * @example
   * const { deviceObject } = set.snapshotFor('C:\\');
   */
  snapshotFor(volume: string): ShadowCopy {
    const canonical = normalizeVolume(volume);
    const shadow = this.#volumes.get(canonical);
    if (!shadow) throw invalidArgValue('volume', volume, `a volume in this snapshot set (${[...this.#volumes.keys()].join(', ')})`);
    return shadow;
  }

  /**
   * The Backup Components Document of this backup (save it with the backup; restores need it).
   * @example
   * await fs.promises.writeFile('backup-components.xml', await set.saveAsXml());
   */
  async saveAsXml(): Promise<string> {
    return this.#session.saveAsXml();
  }

  /**
   * Ends the backup: marks the components succeeded or failed (`SetBackupSucceeded`),
   * calls `BackupComplete`, and releases the session.
   * @example
   * const components = await set.complete({ succeeded: true });
   */
  async complete(options: CompleteOptions): Promise<WriterComponents[]> {
    checkOptionalObject(options as unknown, 'options');
    checkBoolean(options?.succeeded, 'options.succeeded');
    if (this.#ended) throw new VssError(hresultValue('VSS_E_BAD_STATE')!, 'The snapshot set was already completed or aborted', { operation: 'BackupComplete' });
    this.#ended = true;
    try {
      for (const component of options.components ?? this.#components) await this.#session.setBackupSucceeded(component, options.succeeded);
      await this.#session.backupComplete();
      if (!this.#withWriters) return [];
      await this.#session.gatherWriterStatus();
      return await this.#session.getWriterComponents();
    } finally {
      await this.#session.release();
    }
  }

  /**
   * Aborts the backup (`AbortBackup`) and releases the session; persistent shadow copies of the set are deleted.
   * @example
   * await set.abort();
   */
  async abort(): Promise<void> {
    if (this.#ended) return;
    this.#ended = true;
    try {
      await this.#session.abortBackup();
      if (this.persistent) await this.#session.deleteSnapshots(this.setId, { wholeSet: true, force: true }).catch(() => undefined);
    } finally {
      await this.#session.release();
    }
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

async function failWriters(session: BackupSession, operation: string, hresult: number): Promise<never> {
  await session.gatherWriterStatus();
  const failing = (await session.getWriterStatus()).filter((w: WriterStatus) => FAILED_STATE.test(w.state) || w.lastError);
  if (failing.length > 0)
    throw new VssWriterError(failing[0]!.lastError?.hresult ?? hresult, failing, { operation });
  throw new VssError(hresult, undefined, { operation });
}

async function createOnce(volumes: string[], options: SnapshotSetOptions, signal: AbortSignal | undefined): Promise<SnapshotSet> {
  const writers = checkWriterSelection(options.writers);
  const withWriters = writers !== 'none';
  const context = resolveContext(options, withWriters);
  const persistent = options.persistent ?? ['app-rollback', 'nas-rollback', 'client-accessible', 'client-accessible-writers'].includes(context);
  const backupType = options.backupType ?? 'full';
  if (!BackupTypes.has(backupType) || (backupType as string) === 'unknown')
    throw invalidArgValue('options.backupType', backupType, "'full', 'incremental', 'differential', 'log', 'copy' or 'other'");
  const provider = options.provider === undefined ? undefined : checkGuid(options.provider, 'options.provider');
  const call: CallOptions = { signal, onProgress: options.onProgress };

  const session = await BackupSession.create({ backend: options.backend, signal });
  let prepared = false;
  let setId: string | undefined;
  try {
    await session.initializeForBackup();
    await session.setContext(context);
    const components = options.components ?? [];
    await session.setBackupState({ selectComponents: components.length > 0, backupType });
    if (withWriters) {
      // The selection reaches VSS before GatherWriterMetadata; after it, it would have no effect.
      if (typeof writers === 'object')
        await selectWriters(session, writers, 'include' in writers ? 'options.writers.include' : 'options.writers.exclude', options.backend, signal);
      await session.gatherWriterMetadata(call);
      for (const component of components) await session.addComponent(component);
    }
    setId = await session.startSnapshotSet();
    const ids = new Map<string, string>();
    for (const volume of volumes) ids.set(volume, await session.addToSnapshotSet(volume, provider));
    // PrepareForBackup comes before DoSnapshotSet even without writers (VSS requires it).
    prepared = true;
    try {
      await session.prepareForBackup(call);
    } catch (error) {
      if (withWriters && error instanceof VssError && !(error instanceof VssWriterError)) await failWriters(session, 'PrepareForBackup', error.hresult);
      throw error;
    }
    if (withWriters) {
      await session.gatherWriterStatus(call);
      const failing = (await session.getWriterStatus()).filter((w) => FAILED_STATE.test(w.state));
      if (failing.length > 0) throw new VssWriterError(failing[0]!.lastError?.hresult ?? 0x80042315, failing, { operation: 'PrepareForBackup' });
    }
    try {
      await session.doSnapshotSet(call);
    } catch (error) {
      if (withWriters && error instanceof VssError && !(error instanceof VssWriterError)) await failWriters(session, 'DoSnapshotSet', error.hresult);
      throw error;
    }
    if (withWriters) {
      await session.gatherWriterStatus(call);
      const failing = (await session.getWriterStatus()).filter((w) => FAILED_STATE.test(w.state));
      if (failing.length > 0) throw new VssWriterError(failing[0]!.lastError?.hresult ?? 0x80042315, failing, { operation: 'DoSnapshotSet' });
    }
    const shadows = new Map<string, ShadowCopy>();
    for (const [volume, id] of ids) shadows.set(volume, await session.getSnapshotProperties(id));
    return new SnapshotSet(session, setId, shadows, components, persistent, simulatorOf(options.backend), withWriters);
  } catch (error) {
    // Leave nothing behind: writers thawed (AbortBackup), persistent shadows deleted, session released.
    if (prepared) await session.abortBackup().catch(() => undefined);
    if (persistent && setId) await session.deleteSnapshots(setId, { wholeSet: true, force: true }).catch(() => undefined);
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
  checkOptionalObject(options as unknown, 'options');
  const list = normalizeVolumeList(volumes);
  if (options.backend !== undefined) checkBackend(options.backend, 'options.backend');
  checkSignal(options.signal, 'options.signal');
  checkFunction(options.onProgress, 'options.onProgress');
  if (options.persistent !== undefined) checkBoolean(options.persistent, 'options.persistent');
  if (options.components !== undefined && !Array.isArray(options.components))
    throw invalidArgType('options.components', options.components, 'an array of components');
  if (options.timeoutMs !== undefined && (!Number.isFinite(options.timeoutMs) || options.timeoutMs <= 0))
    throw outOfRange('options.timeoutMs', options.timeoutMs, 'a positive number of milliseconds');
  const retry = checkRetry(options.retry);

  const signals = [options.signal, options.timeoutMs ? AbortSignal.timeout(options.timeoutMs) : undefined].filter(
    (s): s is AbortSignal => s !== undefined,
  );
  const signal = signals.length > 1 ? AbortSignal.any(signals) : signals[0];
  if (signal?.aborted) throw new AbortError(undefined, { cause: signal.reason });

  let delay = retry?.delayMs ?? 0;
  for (let attempt = 1; ; attempt++) {
    try {
      return await createOnce(list, options, signal);
    } catch (error) {
      const inProgress = error instanceof VssError && error.hresult === SNAPSHOT_SET_IN_PROGRESS;
      if (!retry || !inProgress || attempt >= retry.attempts) throw error;
      debug('VSS_E_SNAPSHOT_SET_IN_PROGRESS: attempt %d of %d failed, retrying in %dms', attempt, retry.attempts, delay);
      await sleep(delay, signal);
      delay = Math.min(delay * 2, retry.maxDelayMs);
    }
  }
}

/**
 * Runs `body` with a snapshot set that lives exactly as long as the callback:
 * success marks the backup succeeded, a throw marks it failed (and rethrows).
 *
 * @example
 * const sim = createSimulator({ volumes: [{ name: 'C:\\', path: 'c-volume' }] }); // C: is the host folder ./c-volume
 * const bytes = await withSnapshotSet(['C:\\'], { backend: sim }, async (set) => {
 *   return (await fs.promises.readFile(set.pathFor('C:\\data\\app.db'))).length;
 * });
 */
export async function withSnapshotSet<T>(volumes: string | string[], options: SnapshotSetOptions, body: (set: SnapshotSet) => Promise<T> | T): Promise<T> {
  if (typeof body !== 'function') throw invalidArgType('body', body, 'a function');
  const set = await createSnapshotSet(volumes, options);
  let result: T;
  try {
    result = await body(set);
  } catch (error) {
    await set.complete({ succeeded: false }).catch(() => undefined);
    throw error;
  }
  await set.complete({ succeeded: true });
  return result;
}

/** Options of the management calls. */
export interface ManagementOptions {
  backend?: BackendOption;
  signal?: AbortSignal;
}

async function withManagementSession<T>(options: ManagementOptions | undefined, body: (session: BackupSession) => Promise<T>): Promise<T> {
  checkOptionalObject(options as unknown, 'options');
  await using session = await BackupSession.create({ backend: options?.backend, signal: options?.signal });
  await session.initializeForBackup();
  // VSS_CTX_ALL: see and manage shadow copies of every context.
  await session.setContext(0xffffffff);
  return await body(session);  // awaited here, so the session outlives the body
}

/**
 * Lists existing shadow copies, optionally of one volume or one set.
 * @example const copies = await listShadowCopies({ backend: 'simulated' });
 */
export async function listShadowCopies(options: ManagementOptions & { volume?: string; setId?: string } = {}): Promise<ShadowCopy[]> {
  checkOptionalObject(options as unknown, 'options');
  const volume = options.volume === undefined ? undefined : normalizeVolume(options.volume, 'options.volume');
  const setId = options.setId === undefined ? undefined : checkGuid(options.setId, 'options.setId');
  const all = await withManagementSession(options, (s) => s.querySnapshots());
  const guidPath = volume === undefined ? undefined : volumeGuidPath(volume, options.backend);
  return all.filter(
    (c) => (setId === undefined || c.setId === setId) && (guidPath === undefined || c.originalVolume.toLowerCase() === guidPath),
  );
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
  if (Array.isArray(target)) {
    if (target.length === 0) throw outOfRange('target.length', 0, '>= 1');
    const ids = target.map((id, i) => checkGuid(id, `target[${i}]`));
    return withManagementSession(options, (session) => deleteEach(session, ids));
  }
  checkOptionalObject(target, 'target');
  const t = (target ?? {}) as Record<string, unknown>;
  if (typeof t.setId === 'string') {
    const setId = checkGuid(t.setId, 'target.setId');
    return withManagementSession(options, (s) => s.deleteSnapshots(setId, { wholeSet: true, force: true }));
  }
  if (t.volume !== undefined) {
    const volume = normalizeVolume(t.volume, 'target.volume');
    if (t.oldest !== undefined) checkBoolean(t.oldest, 'target.oldest');
    const guidPath = volumeGuidPath(volume, options.backend);
    return withManagementSession(options, async (session) => {
      const copies = (await session.querySnapshots()).filter((c) => c.originalVolume.toLowerCase() === guidPath);
      copies.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
      // Oldest first, as vshadow -do and vssadmin delete shadows /oldest do.
      return deleteEach(session, (t.oldest ? copies.slice(0, 1) : copies).map((c) => c.snapshotId));
    });
  }
  if (t.exposed !== undefined) {
    if (typeof t.exposed !== 'string' || t.exposed.length === 0) throw invalidArgValue('target.exposed', t.exposed, 'a drive letter, folder or share name');
    const key = exposedKey(t.exposed);
    return withManagementSession(options, async (session) => {
      const copy = (await session.querySnapshots()).find((c) => c.exposedName !== null && exposedKey(c.exposedName) === key);
      // Nothing is exposed there: VSS's answer for a shadow copy that does not exist.
      if (!copy) throw new VssError(hresultValue('VSS_E_OBJECT_NOT_FOUND')!, undefined, { operation: 'DeleteSnapshots', detail: `no shadow copy is exposed as ${t.exposed}` });
      return deleteEach(session, [copy.snapshotId]);
    });
  }
  if (t.all !== undefined) {
    if (t.all !== true) throw invalidArgValue('target.all', t.all, 'true');
    return withManagementSession(options, async (session) => deleteEach(session, (await session.querySnapshots()).map((c) => c.snapshotId)));
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
  return withManagementSession(options, (s) => s.exposeSnapshot(id, target));
}

/**
 * Stops exposing a shadow copy (`IVssBackupComponentsEx2::UnexposeSnapshot`).
 * @example await unexposeShadowCopy(id, { backend: 'simulated' });
 */
export async function unexposeShadowCopy(snapshotId: string, options: ManagementOptions = {}): Promise<void> {
  const id = checkGuid(snapshotId, 'snapshotId');
  return withManagementSession(options, (s) => s.unexposeSnapshot(id));
}

/**
 * One shadow copy by id (`GetSnapshotProperties` in `VSS_CTX_ALL`, as `vshadow -s` does); rejects with
 * `VSS_E_OBJECT_NOT_FOUND` when there is none.
 * @example const copy = await getShadowCopy(id, { backend: 'simulated' });
 */
export async function getShadowCopy(snapshotId: string, options: ManagementOptions = {}): Promise<ShadowCopy> {
  const id = checkGuid(snapshotId, 'snapshotId');
  return withManagementSession(options, (s) => s.getSnapshotProperties(id));
}

/**
 * Reverts a volume to a persistent shadow copy, as `vshadow -revert` does: reads the shadow
 * copy's properties, `RevertToSnapshot` (dismounting the volume if it is in use unless
 * `forceDismount: false`), then waits for the revert with `QueryRevertStatus`. Everything
 * written to the volume since the shadow copy was made is lost. Resolves to the reverted volume.
 * @example await revertToShadowCopy(id, { backend: 'simulated' });
 */
export async function revertToShadowCopy(
  snapshotId: string,
  options: ManagementOptions & { forceDismount?: boolean; onProgress?: (event: ProgressEvent) => void } = {},
): Promise<string> {
  const id = checkGuid(snapshotId, 'snapshotId');
  checkOptionalObject(options as unknown, 'options');
  if (options.forceDismount !== undefined) checkBoolean(options.forceDismount, 'options.forceDismount');
  checkFunction(options.onProgress, 'options.onProgress');
  return withManagementSession(options, async (session) => {
    const { originalVolume } = await session.getSnapshotProperties(id);
    await session.revertToSnapshot(id, { forceDismount: options.forceDismount ?? true });
    try {
      await session.queryRevertStatus(originalVolume, { signal: options.signal, onProgress: options.onProgress });
    } catch (error) {
      // Already finished: nothing left to track (VShadow's revert.cpp reads it the same way).
      if (!(error instanceof VssError && error.code === 'VSS_E_OBJECT_NOT_FOUND')) throw error;
    }
    return originalVolume;
  });
}

/**
 * Lists the shadow copy providers.
 * @example const [system] = await listProviders({ backend: 'simulated' });
 */
export async function listProviders(options: ManagementOptions = {}): Promise<Provider[]> {
  return withManagementSession(options, (s) => s.queryProviders());
}

/**
 * Lists shadow storage associations (diff areas) and their sizes.
 * @example for (const s of await listShadowStorage({ backend: 'simulated' })) console.log(s.volume, s.usedSize);
 */
export async function listShadowStorage(options: ManagementOptions = {}): Promise<ShadowStorage[]> {
  checkOptionalObject(options as unknown, 'options');
  await using session = await BackupSession.create({ backend: options.backend, signal: options.signal });
  return await session.queryShadowStorage(); // awaited here, so the session outlives the query
}
