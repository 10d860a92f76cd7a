/**
 * The low-level requester: one method per `IVssBackupComponents` call, so a
 * harness can stop between any two steps and look at every writer.
 * @module
 */
import { checkBackend, createNativeSession, type BackendOption } from './backend.js';
import { noteVssCall } from './call-trace.js';
import {
  toDeleteResult,
  toProvider,
  toShadowCopy,
  toShadowStorage,
  toShadowStorageVolume,
  toWriterComponents,
  toWriterStatus,
} from './convert.js';
import {
  BackupTypes,
  ComponentTypes,
  FileRestoreStatuses,
  ProtectionFaults,
  ProtectionLevels,
  RestoreTypes,
  RollForwardTypes,
  SnapshotAttributeBits,
  SnapshotContexts,
  type BackupType,
  type FileRestoreStatus,
  type ProtectionFault,
  type ProtectionLevel,
  type RestoreType,
  type RollForwardType,
  type SnapshotContext,
} from './enums.js';
import { AbortError, VssSessionError, abortedBy, fromNativeError } from './errors.js';
import { debug } from './log.js';
import { normalizeVolume } from './volumes.js';
import { toWriterMetadata } from './metadata-convert.js';
import type { WriterMetadata } from './metadata/types.js';
import {
  comMethod,
  type NativeSessionHandle,
  type OperationArgs,
  type OperationName,
  type OperationResult,
  type RawComponentRef,
} from './native.js';
import type {
  ComponentRef,
  DeleteResult,
  ProgressEvent,
  Provider,
  ShadowCopy,
  ShadowStorage,
  ShadowStorageVolume,
  VolumeProtection,
  VolumeSnapshotState,
  WriterComponents,
  WriterStatus,
} from './types.js';
import {
  checkBoolean,
  checkFunction,
  checkGuid,
  checkObject,
  checkOneForm,
  checkOptionsObject,
  checkSignal,
  checkString,
  invalidArgType,
  invalidArgValue,
  optionKeys,
  outOfRange,
} from './validate.js';

/** Options every long-running session call accepts. */
export interface CallOptions {
  /**
   * Cancels the call: when it aborts, the running VSS call is cancelled
   * (`IVssAsync::Cancel`) and the promise rejects with an {@link AbortError}
   * (`code` `'ABORT_ERR'`, `cause` the signal's reason; `hresult` is
   * `VSS_S_ASYNC_CANCELLED` when VSS itself was cancelled). An already aborted
   * signal rejects before anything is called. `AbortSignal.timeout(ms)` gives a
   * deadline. Cancelling does not undo what VSS did: after a cancelled
   * `prepareForBackup` or `doSnapshotSet`, call `abortBackup()` (the high-level
   * calls do it for you).
   */
  signal?: AbortSignal;
  /**
   * Called while a long call (the ones VSS runs asynchronously: gathering metadata
   * or status, PrepareForBackup, DoSnapshotSet, BackupComplete, PreRestore,
   * PostRestore) is still pending, each time it is polled — about every 50 ms on
   * Windows, 20 ms on the simulator — with the COM method's name and the time since
   * the call started. It runs on the JavaScript thread; an exception it throws is
   * reported as uncaught, like one from an event listener, and does not stop the call.
   */
  onProgress?: (event: ProgressEvent) => void;
}

/** Options of {@link BackupSession.create}. */
export interface SessionOptions {
  /** Which VSS to talk to; defaults to the module default (`'native'`). */
  backend?: BackendOption;
  /** Cancels creating the session; it then rejects with an {@link AbortError}. */
  signal?: AbortSignal;
}

/** `SetBackupState`'s arguments. */
export interface BackupStateOptions {
  /** Component mode (`true`, the default) or volume mode. */
  selectComponents?: boolean;
  bootableSystemState?: boolean;
  backupType?: BackupType;
  partialFileSupport?: boolean;
}

/** How long one step took. */
export interface StepTiming {
  operation: string;
  startedAt: Date;
  durationMs: number;
  /** The error code when the step failed. */
  error?: string;
}

/** What `ExposeSnapshot` should do. */
export type ExposeTarget =
  | { driveLetter: string }
  | { mountPath: string }
  | { share: string; pathFromRoot?: string; allowShare: true };

const EXPOSED_LOCALLY = SnapshotAttributeBits['exposed-locally'];
const EXPOSED_REMOTELY = SnapshotAttributeBits['exposed-remotely'];

/**
 * Checks an {@link ExposeTarget} and turns it into ExposeSnapshot's arguments. Exported so that
 * exposeShadowCopy refuses a bad target before it opens a session. @internal
 */
export function exposeArguments(target: unknown): { attributes: number; expose: string; pathFromRoot?: string } {
  checkObject(target, 'target');
  const t = target;
  checkOneForm(t, 'target', { driveLetter: [], mountPath: [], share: ['pathFromRoot', 'allowShare'] });
  if (typeof t.driveLetter === 'string') {
    if (!/^[A-Za-z]:?$/.test(t.driveLetter)) throw invalidArgValue('target.driveLetter', t.driveLetter, "a drive letter such as 'X:'");
    return { attributes: EXPOSED_LOCALLY, expose: `${t.driveLetter[0]!.toUpperCase()}:` };
  }
  if (typeof t.mountPath === 'string') {
    if (!/^[A-Za-z]:\\/.test(t.mountPath) || /(^|\\)\.\.(\\|$)/.test(t.mountPath))
      throw invalidArgValue('target.mountPath', t.mountPath, 'an absolute folder path such as C:\\mnt\\shadow, without ..');
    return { attributes: EXPOSED_LOCALLY, expose: t.mountPath };
  }
  if (typeof t.share === 'string') {
    if (t.allowShare !== true)
      throw invalidArgValue('target.allowShare', t.allowShare, 'true: exposing a shadow copy as a network share must be asked for explicitly');
    if (!/^[^\\/:*?"<>|]{1,80}$/.test(t.share)) throw invalidArgValue('target.share', t.share, 'a share name');
    const pathFromRoot = t.pathFromRoot === undefined ? '' : t.pathFromRoot;
    checkString(pathFromRoot, 'target.pathFromRoot');
    return { attributes: EXPOSED_REMOTELY, expose: t.share, pathFromRoot };
  }
  throw invalidArgValue('target', target, '{ driveLetter }, { mountPath } or { share, allowShare: true }');
}

const CALL_OPTION_KEYS = optionKeys<CallOptions>()({ signal: true, onProgress: true });

function checkCallOptions(options: unknown, name = 'options', keys: readonly string[] = CALL_OPTION_KEYS): CallOptions {
  checkOptionsObject(options, name, keys);
  const o = (options ?? {}) as CallOptions;
  checkSignal(o.signal, `${name}.signal`);
  checkFunction(o.onProgress, `${name}.onProgress`);
  return o;
}

function componentArgs(component: unknown, name = 'component'): RawComponentRef {
  checkObject(component, name);
  const c = component as unknown as ComponentRef;
  checkString(c.name, `${name}.name`);
  if (c.logicalPath !== undefined) checkString(c.logicalPath, `${name}.logicalPath`);
  if (!ComponentTypes.has(c.type) || c.type === 'unknown')
    throw invalidArgValue(`${name}.type`, c.type, "'database' or 'file-group'");
  return {
    writerId: checkGuid(c.writerId, `${name}.writerId`),
    instanceId: checkGuid(c.instanceId, `${name}.instanceId`),
    type: ComponentTypes.code(c.type),
    logicalPath: c.logicalPath ?? '',
    name: c.name,
  };
}

function guidList(ids: unknown, name: string): string[] {
  if (!Array.isArray(ids)) throw invalidArgType(name, ids, 'an array of GUID strings');
  return ids.map((id, i) => checkGuid(id, `${name}[${i}]`));
}

/**
 * One VSS requester session: an `IVssBackupComponents` instance with its own
 * thread. Calls made in the wrong order reject with the VSS error
 * (`VSS_E_BAD_STATE` and friends); a second call while one runs rejects with
 * `VssSessionError` (`ERR_VSS_SESSION_BUSY`). Release it with
 * {@link BackupSession.release} in a `finally` (or `await using` in TypeScript 5.2+,
 * which compiles for Node 20; Node 20 itself has no such syntax); a session you
 * forget is released when it is garbage-collected.
 *
 * The methods are grouped by the phase of a backup or restore they belong to, in
 * the order VSS expects them: see the guide [Backing up](../docs/backup.md) for the whole sequence.
 *
 * @example
 * ```js
 * const session = await BackupSession.create({ backend: 'simulated' });
 * try {
 *   await session.initializeForBackup();
 *   await session.gatherWriterMetadata();
 *   await session.gatherWriterStatus();
 *   console.log(await session.getWriterStatus());
 * } finally {
 *   await session.release();
 * }
 * ```
 * @sortStrategy source-order
 */
export class BackupSession implements AsyncDisposable {
  /** Which backend answered: `'com'` or `'simulated'`. */
  readonly backendName: string;
  /** How long each step took, in call order. */
  readonly timings: StepTiming[] = [];
  readonly #native: NativeSessionHandle;

  private constructor(native: NativeSessionHandle, backendName: string) {
    this.#native = native;
    this.backendName = backendName;
  }

  /**
   * Creates the session (`CreateVssBackupComponents`).
   * @example const session = await BackupSession.create({ backend: createSimulator() });
   * @group Session
   */
  static async create(options: SessionOptions = {}): Promise<BackupSession> {
    checkOptionsObject(options, 'options', optionKeys<SessionOptions>()({ backend: true, signal: true }));
    if (options.backend !== undefined) checkBackend(options.backend, 'options.backend');
    checkSignal(options.signal, 'options.signal');
    if (options.signal?.aborted) throw abortedBy(options.signal, () => new AbortError(undefined, { cause: options.signal!.reason }));
    const native = createNativeSession(options.backend);
    noteVssCall('CreateVssBackupComponents');
    const started = performance.now();
    try {
      const name = await native.open();
      debug('CreateVssBackupComponents -> S_OK (%s) in %dms', name, Math.round(performance.now() - started));
      return new BackupSession(native, name);
    } catch (error) {
      debug('CreateVssBackupComponents -> %s', (error as { code?: string }).code);
      await native.release();
      throw fromNativeError(error);
    }
  }

  /**
   * Whether a call is running.
   * @group Session
   */
  get busy(): boolean {
    return this.#native.busy;
  }

  /**
   * Whether the session was released.
   * @group Session
   */
  get released(): boolean {
    return this.#native.released;
  }

  async #run<K extends OperationName>(operation: K, args: OperationArgs<K>, options: CallOptions = {}): Promise<OperationResult<K>> {
    const { signal, onProgress } = options;
    const comName = comMethod(operation);
    if (this.#native.released)
      throw new VssSessionError('ERR_VSS_SESSION_RELEASED', `${operation} called on a released session`);
    if (signal?.aborted) throw abortedBy(signal, () => new AbortError(`${operation} was aborted before it started`, { cause: signal.reason, operation }));
    const onAbort = () => this.#native.cancel();
    signal?.addEventListener('abort', onAbort, { once: true });
    const startedAt = new Date();
    const started = performance.now();
    noteVssCall(comName);
    try {
      const result = await this.#native.call(
        operation,
        args,
        // Elapsed time since the call started, measured here: the engine's own count restarts at each writer phase.
        onProgress
          ? (e) =>
              onProgress({
                operation: e.operation,
                elapsedMs: Math.max(e.elapsedMs, performance.now() - started),
                ...(e.phase ? { phase: e.phase } : {}),
                ...(e.writer ? { writer: e.writer } : {}),
              })
          : undefined,
      );
      const durationMs = performance.now() - started;
      this.timings.push({ operation: comName, startedAt, durationMs });
      debug('%s -> S_OK in %dms', comName, Math.round(durationMs));
      return result;
    } catch (error) {
      const durationMs = performance.now() - started;
      const mapped = fromNativeError(error);
      this.timings.push({ operation: comName, startedAt, durationMs, error: (mapped as { code?: string }).code });
      debug('%s -> %s in %dms', comName, (mapped as { code?: string }).code, Math.round(durationMs));
      // A cancel requested by a signal surfaces as AbortError even where VSS finished the step regardless.
      if (signal?.aborted) throw abortedBy(signal, () => (mapped instanceof AbortError ? mapped : new AbortError(`${comName} was aborted`, { cause: mapped, operation: comName })));
      throw mapped;
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /**
   * `InitializeForBackup`, optionally from a saved Backup Components Document.
   * @example
   * await session.initializeForBackup(); // or from a saved document: initializeForBackup(bcdXml)
   * @group 1. Start a backup
   */
  async initializeForBackup(bcdXml?: string): Promise<void> {
    if (bcdXml !== undefined) checkString(bcdXml, 'bcdXml');
    await this.#run('initializeForBackup', bcdXml === undefined ? {} : { bcdXml });
  }

  /**
   * `InitializeForRestore` from a saved Backup Components Document.
   * @example
   * await session.initializeForRestore(await fs.promises.readFile('backup-components.xml', 'utf8'));
   * @group Restore
   */
  async initializeForRestore(bcdXml: string): Promise<void> {
    checkString(bcdXml, 'bcdXml');
    await this.#run('initializeForRestore', { bcdXml });
  }

  /**
   * `SetContext`: a named context, or raw `VSS_CTX_*`/attribute bits.
   * @example
   * await session.setContext('backup');
   * @group 1. Start a backup
   */
  async setContext(context: SnapshotContext | number): Promise<void> {
    let code: number;
    if (typeof context === 'number') {
      if (!Number.isInteger(context) || context < 0 || context > 0xffffffff)
        throw invalidArgValue('context', context, 'a named context or a 32-bit unsigned integer');
      code = context;
    } else if (typeof context === 'string' && SnapshotContexts.has(context) && (context as string) !== 'all') {
      code = SnapshotContexts.code(context);
    } else {
      throw invalidArgValue('context', context, SnapshotContexts.names.filter((n) => n !== 'all').map((n) => `'${n}'`).join(', '));
    }
    await this.#run('setContext', { context: code });
  }

  /**
   * `SetBackupState`.
   * @example
   * await session.setBackupState({ selectComponents: false, backupType: 'copy' });
   * @group 1. Start a backup
   */
  async setBackupState(state: BackupStateOptions = {}): Promise<void> {
    checkObject(state as unknown, 'state');
    const backupType: string = state.backupType ?? 'full';
    if (!BackupTypes.has(backupType) || backupType === 'unknown')
      throw invalidArgValue('state.backupType', backupType, "'full', 'incremental', 'differential', 'log', 'copy' or 'other'");
    for (const key of ['selectComponents', 'bootableSystemState', 'partialFileSupport'] as const)
      if (state[key] !== undefined) checkBoolean(state[key], `state.${key}`);
    await this.#run('setBackupState', {
      selectComponents: state.selectComponents ?? true,
      bootableSystemState: state.bootableSystemState ?? false,
      backupType: BackupTypes.code(backupType),
      partialFileSupport: state.partialFileSupport ?? false,
    });
  }

  /**
   * `GatherWriterMetadata`, waited to completion.
   * @example
   * await session.gatherWriterMetadata({ onProgress: (e) => console.log(e.operation, e.elapsedMs) });
   * @group 2. Writers and components
   */
  async gatherWriterMetadata(options?: CallOptions): Promise<void> {
    await this.#run('gatherWriterMetadata', {}, checkCallOptions(options));
  }

  /**
   * The gathered metadata of every writer (`GetWriterMetadata` through `IVssExamineWriterMetadata`).
   * @example
   * for (const writer of await session.getWriterMetadata()) console.log(writer.name, writer.components.length);
   * @group 2. Writers and components
   */
  async getWriterMetadata(): Promise<WriterMetadata[]> {
    const raw = await this.#run('getWriterMetadata', {});
    return raw.map(toWriterMetadata);
  }

  /**
   * `FreeWriterMetadata`.
   * @example
   * await session.freeWriterMetadata();
   * @group 2. Writers and components
   */
  async freeWriterMetadata(): Promise<void> {
    await this.#run('freeWriterMetadata', {});
  }

  /**
   * `GatherWriterStatus`, waited to completion.
   * @example
   * await session.gatherWriterStatus();
   * const writers = await session.getWriterStatus();
   * @group 2. Writers and components
   */
  async gatherWriterStatus(options?: CallOptions): Promise<void> {
    await this.#run('gatherWriterStatus', {}, checkCallOptions(options));
  }

  /**
   * Every writer's status from the last `GatherWriterStatus`.
   * @example
   * const failing = (await session.getWriterStatus()).filter((w) => w.lastError !== null);
   * @group 2. Writers and components
   */
  async getWriterStatus(): Promise<WriterStatus[]> {
    const raw = await this.#run('getWriterStatus', {});
    return raw.map(toWriterStatus);
  }

  /**
   * `FreeWriterStatus`.
   * @example
   * await session.freeWriterStatus();
   * @group 2. Writers and components
   */
  async freeWriterStatus(): Promise<void> {
    await this.#run('freeWriterStatus', {});
  }

  /**
   * `EnableWriterClasses`: only these writer classes take part.
   * @example
   * await session.enableWriterClasses(['e8132975-6f93-4464-a53e-1050253ae220']); // System Writer only
   * @group 2. Writers and components
   */
  async enableWriterClasses(writerIds: string[]): Promise<void> {
    await this.#run('enableWriterClasses', { ids: guidList(writerIds, 'writerIds') });
  }

  /**
   * `DisableWriterClasses`: these writer classes do not take part.
   * @example
   * await session.disableWriterClasses(['a6ad56c2-b509-4e6c-bb19-49d8f43532f0']); // not the WMI Writer
   * @group 2. Writers and components
   */
  async disableWriterClasses(writerIds: string[]): Promise<void> {
    await this.#run('disableWriterClasses', { ids: guidList(writerIds, 'writerIds') });
  }

  /**
   * `DisableWriterInstances`.
   * @example
   * await session.disableWriterInstances(['e795e5ac-50b0-4127-ab18-6b09138b6669']);
   * @group 2. Writers and components
   */
  async disableWriterInstances(instanceIds: string[]): Promise<void> {
    await this.#run('disableWriterInstances', { ids: guidList(instanceIds, 'instanceIds') });
  }

  /**
   * `AddComponent`: selects a component for backup.
   * @example
   * await session.addComponent({ writerId, instanceId, type: 'file-group', logicalPath: '', name: 'System Files' }); // the System Writer's component
   * @group 2. Writers and components
   */
  async addComponent(component: ComponentRef): Promise<void> {
    await this.#run('addComponent', { component: componentArgs(component) });
  }

  /**
   * `SetBackupOptions` for a component.
   * @example
   * await session.setBackupOptions(component, 'COPY_ONLY');
   * @group 2. Writers and components
   */
  async setBackupOptions(component: ComponentRef, options: string): Promise<void> {
    checkString(options, 'options');
    await this.#run('setBackupOptions', { component: componentArgs(component), options });
  }

  /**
   * `SetPreviousBackupStamp` for an incremental or differential backup.
   * @example
   * await session.setPreviousBackupStamp(component, savedStamp);
   * @group 2. Writers and components
   */
  async setPreviousBackupStamp(component: ComponentRef, stamp: string): Promise<void> {
    checkString(stamp, 'stamp');
    await this.#run('setPreviousBackupStamp', { component: componentArgs(component), stamp });
  }

  /**
   * The components recorded in the Backup Components Document, with their stamps (`GetWriterComponents`).
   * @example
   * const stamps = (await session.getWriterComponents()).flatMap((w) => w.components.map((c) => c.backupStamp));
   * @group 4. Finish the backup
   */
  async getWriterComponents(): Promise<WriterComponents[]> {
    const raw = await this.#run('getWriterComponents', {});
    return raw.map(toWriterComponents);
  }

  /**
   * `StartSnapshotSet`; resolves to the new set's id.
   * @example
   * const setId = await session.startSnapshotSet();
   * @group 3. Snapshot
   */
  async startSnapshotSet(): Promise<string> {
    return this.#run('startSnapshotSet', {});
  }

  /**
   * `IsVolumeSupported`, for a provider or any provider.
   * @example
   * if (await session.isVolumeSupported('C:\\')) await session.addToSnapshotSet('C:\\');
   * @group 3. Snapshot
   */
  async isVolumeSupported(volume: string, providerId?: string): Promise<boolean> {
    checkString(volume, 'volume');
    return this.#run('isVolumeSupported', {
      volume,
      providerId: providerId === undefined ? undefined : checkGuid(providerId, 'providerId'),
    });
  }

  /**
   * `AddToSnapshotSet`; resolves to the new shadow copy's id.
   * @example
   * const snapshotId = await session.addToSnapshotSet('C:\\');
   * @group 3. Snapshot
   */
  async addToSnapshotSet(volume: string, providerId?: string): Promise<string> {
    checkString(volume, 'volume');
    // Other names go to VSS as given (it answers for them); an empty one names nothing at all.
    if (volume.trim() === '' || volume.includes('\0'))
      throw invalidArgValue('volume', volume, "a volume name such as 'C:\\', '\\\\?\\Volume{…}\\' or '\\\\server\\share\\'");
    return this.#run('addToSnapshotSet', {
      volume,
      providerId: providerId === undefined ? undefined : checkGuid(providerId, 'providerId'),
    });
  }

  /**
   * `IVssBackupComponentsEx4::GetRootAndLogicalPrefixPaths` (Windows Server 2012 / Windows 8 and
   * later): normalizes a local path or a path on a remote file share. `rootPath` is what
   * {@link addToSnapshotSet} takes (`C:\`, a mount folder, or `\\server\share\` with the
   * server as a host name, or its fully qualified domain name with `normalizeFqdn`);
   * `logicalPrefix` is the volume's `\\?\Volume{guid}\` name, or the share's fully evaluated
   * path. A share named by IP address must go through here before `addToSnapshotSet`. Where VSS
   * lacks the interface the call fails with `E_NOINTERFACE`.
   * @example
   * // A path on a share gives '\\fs1\Data\' for '\\10.0.0.5\Data\reports'; a local one its volume:
   * const { rootPath, logicalPrefix } = await session.getRootAndLogicalPrefixPaths('C:\\Windows\\System32');
   * await session.addToSnapshotSet(rootPath); // 'C:\'
   * console.log(logicalPrefix); // '\\?\Volume{…}\'
   * @group 3. Snapshot
   */
  async getRootAndLogicalPrefixPaths(path: string, options: { normalizeFqdn?: boolean } = {}): Promise<{ rootPath: string; logicalPrefix: string }> {
    checkString(path, 'path');
    checkOptionsObject(options, 'options', ['normalizeFqdn']);
    if (options.normalizeFqdn !== undefined) checkBoolean(options.normalizeFqdn, 'options.normalizeFqdn');
    return this.#run('getRootAndLogicalPrefixPaths', { path, normalizeFqdn: options.normalizeFqdn ?? false });
  }

  /**
   * `PrepareForBackup`, waited to completion.
   * @example
   * await session.prepareForBackup({ signal: AbortSignal.timeout(60_000) });
   * @group 3. Snapshot
   */
  async prepareForBackup(options?: CallOptions): Promise<void> {
    await this.#run('prepareForBackup', {}, checkCallOptions(options));
  }

  /**
   * `DoSnapshotSet`, waited to completion: writers freeze, the provider commits, writers thaw.
   * @example
   * await session.doSnapshotSet({ onProgress: (e) => process.stderr.write(`\r${e.elapsedMs} ms`) });
   * @group 3. Snapshot
   */
  async doSnapshotSet(options?: CallOptions): Promise<void> {
    await this.#run('doSnapshotSet', {}, checkCallOptions(options));
  }

  /**
   * `GetSnapshotProperties`.
   * @example
   * const { deviceObject } = await session.getSnapshotProperties(snapshotId);
   * @group 3. Snapshot
   */
  async getSnapshotProperties(snapshotId: string): Promise<ShadowCopy> {
    return toShadowCopy(await this.#run('getSnapshotProperties', { snapshotId: checkGuid(snapshotId, 'snapshotId') }));
  }

  /**
   * `SetBackupSucceeded` for a component.
   * @example
   * await session.setBackupSucceeded(component, true);
   * @group 4. Finish the backup
   */
  async setBackupSucceeded(component: ComponentRef, succeeded: boolean): Promise<void> {
    checkBoolean(succeeded, 'succeeded');
    await this.#run('setBackupSucceeded', { component: componentArgs(component), succeeded });
  }

  /**
   * `BackupComplete`, waited to completion.
   * @example
   * await session.backupComplete();
   * @group 4. Finish the backup
   */
  async backupComplete(options?: CallOptions): Promise<void> {
    await this.#run('backupComplete', {}, checkCallOptions(options));
  }

  /**
   * `AbortBackup`.
   * @example
   * await session.abortBackup(); // writers thaw, non-persistent shadow copies go
   * @group 4. Finish the backup
   */
  async abortBackup(): Promise<void> {
    await this.#run('abortBackup', {});
  }

  /**
   * The Backup Components Document (`SaveAsXML`).
   * @example
   * await fs.promises.writeFile('backup-components.xml', await session.saveAsXml());
   * @group 4. Finish the backup
   */
  async saveAsXml(): Promise<string> {
    return this.#run('saveAsXml', {});
  }

  /**
   * `ImportSnapshots`, waited to completion: brings a transportable shadow copy set (made by a
   * hardware provider, possibly on another computer) into this computer's VSS. The session must
   * have been initialized with the Backup Components Document saved where the set was made
   * (`initializeForBackup(xml)`); a document without a transportable set is
   * `VSS_E_NONTRANSPORTABLE_BCD`. See "Importing Transportable Shadow Copied Volumes".
   * @example
   * // The document saved where the set was made; this one (from a backup with no transportable set) has none.
   * const maker = await BackupSession.create({ backend: 'simulated' });
   * await maker.initializeForBackup();
   * const document = await maker.saveAsXml();
   * await maker.release();
   * await session.initializeForBackup(document);
   * await session.setContext(0xffffffff); // VSS_CTX_ALL, as vshadow -i
   * await session.importSnapshots().catch((e) => console.log(e.code)); // VSS_E_NONTRANSPORTABLE_BCD
   * @group Managing shadow copies
   */
  async importSnapshots(options?: CallOptions): Promise<void> {
    await this.#run('importSnapshots', {}, checkCallOptions(options));
  }

  /**
   * `SetSelectedForRestore`.
   * @example
   * await session.setSelectedForRestore(component, true);
   * @group Restore
   */
  async setSelectedForRestore(component: ComponentRef, selected: boolean): Promise<void> {
    checkBoolean(selected, 'selected');
    await this.#run('setSelectedForRestore', { component: componentArgs(component), selected });
  }

  /**
   * `SetRestoreOptions`.
   * @example
   * await session.setRestoreOptions(component, 'RESTORE_TO_ORIGINAL');
   * @group Restore
   */
  async setRestoreOptions(component: ComponentRef, options: string): Promise<void> {
    checkString(options, 'options');
    await this.#run('setRestoreOptions', { component: componentArgs(component), options });
  }

  /**
   * `SetAdditionalRestores`.
   * @example
   * await session.setAdditionalRestores(component, false);
   * @group Restore
   */
  async setAdditionalRestores(component: ComponentRef, additional: boolean): Promise<void> {
    checkBoolean(additional, 'additional');
    await this.#run('setAdditionalRestores', { component: componentArgs(component), additional });
  }

  /**
   * `SetFileRestoreStatus`.
   * @example
   * await session.setFileRestoreStatus(component, 'all');
   * @group Restore
   */
  async setFileRestoreStatus(component: ComponentRef, status: FileRestoreStatus): Promise<void> {
    if (!FileRestoreStatuses.has(status) || status === 'unknown')
      throw invalidArgValue('status', status, "'none', 'all' or 'failed'");
    await this.#run('setFileRestoreStatus', { component: componentArgs(component), status: FileRestoreStatuses.code(status) });
  }

  /**
   * `SetRestoreState`: the kind of restore, before PreRestore (left unset, writers read it as `'by-copy'`).
   * @example
   * await session.setRestoreState('by-copy');
   * @group Restore
   */
  async setRestoreState(restoreType: Exclude<RestoreType, 'unknown'>): Promise<void> {
    if (!RestoreTypes.has(restoreType) || (restoreType as string) === 'unknown') throw invalidArgValue('restoreType', restoreType, "'by-copy', 'import' or 'other'");
    await this.#run('setRestoreState', { restoreType: RestoreTypes.code(restoreType) });
  }

  /**
   * `AddNewTarget`: the component's files under `path` matching `filespec` are restored to
   * `alternatePath` instead; the writer reads it with `IVssComponent::GetNewTarget`. Before PreRestore.
   * @example
   * await session.addNewTarget(component, { path: 'D:\\db', filespec: '*.mdf', alternatePath: 'E:\\restored' });
   * @group Restore
   */
  async addNewTarget(component: ComponentRef, target: { path: string; filespec: string; recursive?: boolean; alternatePath: string }): Promise<void> {
    checkObject(target, 'target');
    checkString(target.path, 'target.path');
    checkString(target.filespec, 'target.filespec');
    checkString(target.alternatePath, 'target.alternatePath');
    if (target.recursive !== undefined) checkBoolean(target.recursive, 'target.recursive');
    await this.#run('addNewTarget', {
      component: componentArgs(component),
      path: target.path,
      filespec: target.filespec,
      recursive: target.recursive ?? false,
      alternatePath: target.alternatePath,
    });
  }

  /**
   * `AddAlternativeLocationMapping`: the component's file set `path` + `filespec` (+ `recursive`),
   * as the writer's metadata declares it, was restored to the writer's alternate location
   * `destination`; the writer reads it with `IVssComponent::GetAlternateLocationMapping`.
   * In a restore, typically after PreRestore, and before PostRestore.
   * @example
   * await session.addAlternativeLocationMapping(component, { path: 'C:\\Windows\\System32', filespec: '*.dll', destination: 'E:\\alternate' });
   * @group Restore
   */
  async addAlternativeLocationMapping(component: ComponentRef, mapping: { path: string; filespec: string; recursive?: boolean; destination: string }): Promise<void> {
    checkObject(mapping, 'mapping');
    checkString(mapping.path, 'mapping.path');
    checkString(mapping.filespec, 'mapping.filespec');
    checkString(mapping.destination, 'mapping.destination');
    if (mapping.recursive !== undefined) checkBoolean(mapping.recursive, 'mapping.recursive');
    await this.#run('addAlternativeLocationMapping', {
      component: componentArgs(component),
      path: mapping.path,
      filespec: mapping.filespec,
      recursive: mapping.recursive ?? false,
      destination: mapping.destination,
    });
  }

  /**
   * `AddRestoreSubcomponent`: restore one subcomponent of `component`'s set on its own (one the
   * writer declared selectable for restore). `component` must be selected for restore first
   * (`setSelectedForRestore`); before PreRestore.
   * @example
   * // (the Mail Writer of the example machine: a database with a subcomponent selectable for restore)
   * await session.setSelectedForRestore(component, true);
   * await session.addRestoreSubcomponent(component, { logicalPath: 'Mail\\Storage Group 1', name: 'Mailbox Store' });
   * @group Restore
   */
  async addRestoreSubcomponent(component: ComponentRef, subcomponent: { logicalPath: string; name: string }): Promise<void> {
    checkObject(subcomponent, 'subcomponent');
    checkString(subcomponent.logicalPath, 'subcomponent.logicalPath');
    checkString(subcomponent.name, 'subcomponent.name');
    await this.#run('addRestoreSubcomponent', {
      component: componentArgs(component),
      subcomponentLogicalPath: subcomponent.logicalPath,
      subcomponentName: subcomponent.name,
    });
  }

  /**
   * `SetRangesFilePath`: the ranges file of the component's partial file number `partialFile`
   * (an index into `partialFiles` of `getWriterComponents()`) was restored to `rangesFile`
   * instead of its original place. In a restore, before PostRestore.
   * @example
   * const record = (await session.getWriterComponents()).flatMap((w) => w.components).find((c) => c.name === component.name);
   * console.log('ranges were at', record?.partialFiles[0]?.ranges);
   * await session.setRangesFilePath(component, 0, 'E:\\restore\\priv1.ranges');
   * @group Restore
   */
  async setRangesFilePath(component: ComponentRef, partialFile: number, rangesFile: string): Promise<void> {
    if (typeof partialFile !== 'number') throw invalidArgType('partialFile', partialFile, 'of type number');
    if (!Number.isInteger(partialFile) || partialFile < 0 || partialFile > 0xffffffff) throw outOfRange('partialFile', partialFile, 'an integer from 0 to 4294967295');
    checkString(rangesFile, 'rangesFile');
    await this.#run('setRangesFilePath', { component: componentArgs(component), partialFile, rangesFile });
  }

  /**
   * `SetAuthoritativeRestore` (`IVssBackupComponentsEx2`): the restored data wins over other replicas. Before PreRestore.
   * @example
   * await session.setAuthoritativeRestore(component, true);
   * @group Restore
   */
  async setAuthoritativeRestore(component: ComponentRef, authoritative: boolean): Promise<void> {
    checkBoolean(authoritative, 'authoritative');
    await this.#run('setAuthoritativeRestore', { component: componentArgs(component), authoritative });
  }

  /**
   * `SetRestoreName` (`IVssBackupComponentsEx2`): the name the component is restored under. Before PreRestore.
   * @example
   * await session.setRestoreName(component, 'SalesDb_Restored');
   * @group Restore
   */
  async setRestoreName(component: ComponentRef, name: string): Promise<void> {
    checkString(name, 'name');
    await this.#run('setRestoreName', { component: componentArgs(component), name });
  }

  /**
   * `SetRollForward` (`IVssBackupComponentsEx2`): how far the writer replays its logs after the
   * restore; `'partial'` needs the point to stop at. Before PreRestore.
   * @example
   * await session.setRollForward(component, 'partial', '2024-05-01T12:00:00');
   * @group Restore
   */
  async setRollForward(component: ComponentRef, type: Exclude<RollForwardType, 'unknown'>, point?: string): Promise<void> {
    if (!RollForwardTypes.has(type) || (type as string) === 'unknown') throw invalidArgValue('type', type, "'none', 'all' or 'partial'");
    if (point !== undefined) checkString(point, 'point');
    await this.#run('setRollForward', { component: componentArgs(component), rollForwardType: RollForwardTypes.code(type), point: point ?? '' });
  }

  /**
   * `PreRestore`, waited to completion.
   * @example
   * await session.preRestore();
   * @group Restore
   */
  async preRestore(options?: CallOptions): Promise<void> {
    await this.#run('preRestore', {}, checkCallOptions(options));
  }

  /**
   * `PostRestore`, waited to completion.
   * @example
   * await session.postRestore();
   * @group Restore
   */
  async postRestore(options?: CallOptions): Promise<void> {
    await this.#run('postRestore', {}, checkCallOptions(options));
  }

  /**
   * Every shadow copy visible in the session's context (`Query` for snapshots).
   * @example
   * const copies = await session.querySnapshots();
   * @group Managing shadow copies
   */
  async querySnapshots(): Promise<ShadowCopy[]> {
    return (await this.#run('querySnapshots', {})).map(toShadowCopy);
  }

  /**
   * The registered providers (`Query` for providers).
   * @example
   * const providers = await session.queryProviders();
   * @group Managing shadow copies
   */
  async queryProviders(): Promise<Provider[]> {
    return (await this.#run('queryProviders', {})).map(toProvider);
  }

  /**
   * `DeleteSnapshots`: one shadow copy, or a whole set with `{ wholeSet: true }`.
   * @example
   * const { deletedCount } = await session.deleteSnapshots(setId, { wholeSet: true });
   * @group Managing shadow copies
   */
  async deleteSnapshots(id: string, options: { wholeSet?: boolean; force?: boolean } = {}): Promise<DeleteResult> {
    checkOptionsObject(options as unknown, 'options', optionKeys<{ wholeSet?: boolean; force?: boolean }>()({ wholeSet: true, force: true }));
    return toDeleteResult(
      await this.#run('deleteSnapshots', {
        id: checkGuid(id, 'id'),
        wholeSet: options.wholeSet ?? false,
        force: options.force ?? false,
      }),
    );
  }

  /**
   * `ExposeSnapshot` as a drive letter, a mount folder, or (with `allowShare: true`) a share. Resolves to the exposed name.
   * @example
   * const name = await session.exposeSnapshot(snapshotId, { driveLetter: 'X:' });
   * @group Managing shadow copies
   */
  async exposeSnapshot(snapshotId: string, target: ExposeTarget): Promise<string> {
    const id = checkGuid(snapshotId, 'snapshotId');
    return this.#run('exposeSnapshot', { snapshotId: id, ...exposeArguments(target) });
  }

  /**
   * `UnexposeSnapshot` (Windows Server 2008 and later).
   * @example
   * await session.exposeSnapshot(snapshotId, { driveLetter: 'X:' }); // a persistent shadow copy
   * await session.unexposeSnapshot(snapshotId);
   * @group Managing shadow copies
   */
  async unexposeSnapshot(snapshotId: string): Promise<void> {
    await this.#run('unexposeSnapshot', { snapshotId: checkGuid(snapshotId, 'snapshotId') });
  }

  /**
   * `RevertToSnapshot`: the volume goes back to the shadow copy's content (persistent shadow
   * copies of the system provider only). The revert then runs on; wait for it with
   * {@link queryRevertStatus}. It cannot be cancelled or undone.
   * @example
   * const set = await createSnapshotSet(['C:\\'], { backend: 'simulated', persistent: true, writers: 'none' });
   * await set.complete({ succeeded: true });
   * const session = await BackupSession.create({ backend: 'simulated' });
   * await session.initializeForBackup();
   * await session.setContext(0xffffffff); // VSS_CTX_ALL, where persistent shadow copies are seen
   * await session.revertToSnapshot(set.snapshots[0].snapshotId, { forceDismount: true });
   * await session.queryRevertStatus('C:\\');
   * await session.release();
   * @group Managing shadow copies
   */
  async revertToSnapshot(snapshotId: string, options: { forceDismount?: boolean } = {}): Promise<void> {
    const id = checkGuid(snapshotId, 'snapshotId');
    checkOptionsObject(options as unknown, 'options', ['forceDismount']);
    if (options.forceDismount !== undefined) checkBoolean(options.forceDismount, 'options.forceDismount');
    await this.#run('revertToSnapshot', { snapshotId: id, forceDismount: options.forceDismount ?? false });
  }

  /**
   * `QueryRevertStatus`, waited to completion: resolves when the revert running on the volume
   * has finished; `VSS_E_OBJECT_NOT_FOUND` when there is none to track. A signal stops the
   * waiting, never the revert (RevertToSnapshot "cannot be canceled"): it rejects with
   * AbortError (or the signal's TimeoutError) while the revert goes on, and the session stays
   * busy (`ERR_VSS_SESSION_BUSY`) until the revert has finished.
   * @example
   * const set = await createSnapshotSet(['C:\\'], { backend: 'simulated', persistent: true, writers: 'none' });
   * await set.complete({ succeeded: true });
   * const session = await BackupSession.create({ backend: 'simulated' });
   * await session.initializeForBackup();
   * await session.setContext(0xffffffff); // VSS_CTX_ALL, where persistent shadow copies are seen
   * await session.revertToSnapshot(set.snapshots[0].snapshotId);
   * await session.queryRevertStatus('C:\\', { onProgress: (e) => console.log(e.elapsedMs) });
   * await session.release();
   * @group Managing shadow copies
   */
  async queryRevertStatus(volume: string, options?: CallOptions): Promise<void> {
    checkString(volume, 'volume');
    const { signal, onProgress } = checkCallOptions(options);
    const stopped = () =>
      abortedBy(signal, () => new AbortError('stopped waiting for QueryRevertStatus; the revert goes on (RevertToSnapshot cannot be cancelled)', { cause: signal?.reason, operation: 'QueryRevertStatus' }));
    if (signal?.aborted) throw stopped();
    // The signal is not handed to the call: a cancel must never reach the revert (RevertToSnapshot's
    // page: it "cannot be canceled"). It only stops this wait; the call runs on to its end (cold12 F2).
    let waiting = true;
    const call = this.#run('queryRevertStatus', { volume }, onProgress ? { onProgress: (e) => waiting && onProgress(e) } : {});
    if (!signal) return call;
    try {
      await new Promise<void>((resolve, reject) => {
        const onAbort = () => reject(stopped());
        signal.addEventListener('abort', onAbort, { once: true });
        call.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
      });
    } finally {
      waiting = false;
    }
  }

  /**
   * `BreakSnapshotSet`: makes the shadow copies regular volumes, no longer managed by VSS (its page).
   * To make them read-write use `breakSnapshotSetEx` with `makeReadWrite` (VSS_BREAKEX_FLAG_MAKE_READ_WRITE);
   * VShadow's break.cpp clears the read-only flag itself, through VDS.
   * @example
   * try {
   *   await session.breakSnapshotSet(setId);
   * } catch (e) {
   *   // The system provider's shadow copies cannot be broken off: only hardware ones.
   *   if (!(e instanceof VssError && e.code === 'VSS_E_PROVIDER_VETO')) throw e;
   * }
   * @group Managing shadow copies
   */
  async breakSnapshotSet(setId: string): Promise<void> {
    await this.#run('breakSnapshotSet', { snapshotSetId: checkGuid(setId, 'setId') });
  }

  /**
   * `BreakSnapshotSetEx` (`IVssBackupComponentsEx2`): breaks a hardware provider's set as the
   * flags say (`_VSS_HARDWARE_OPTIONS`): `maskLuns` (`VSS_BREAKEX_FLAG_MASK_LUNS`: the LUNs are
   * masked from this computer), `makeReadWrite` (`_MAKE_READ_WRITE`), `revertIdentity: 'all'`
   * (`_REVERT_IDENTITY_ALL`: the originals' disk identifiers; `VSS_E_BREAK_REVERT_ID_FAILED` while
   * the original LUNs are visible here) or `'none'` (`_REVERT_IDENTITY_NONE`). A software provider's
   * set is `VSS_E_PROVIDER_VETO`, as with {@link BackupSession.breakSnapshotSet}.
   * @example
   * try {
   *   await session.breakSnapshotSetEx(setId, { makeReadWrite: true });
   * } catch (e) {
   *   // Only a hardware provider's sets can be broken.
   *   if (!(e instanceof VssError && e.code === 'VSS_E_PROVIDER_VETO')) throw e;
   * }
   * @group Managing shadow copies
   */
  async breakSnapshotSetEx(
    setId: string,
    options: { maskLuns?: boolean; makeReadWrite?: boolean; revertIdentity?: 'all' | 'none' } & CallOptions = {},
  ): Promise<void> {
    const snapshotSetId = checkGuid(setId, 'setId');
    const keys = [...CALL_OPTION_KEYS, 'maskLuns', 'makeReadWrite', 'revertIdentity'];
    checkOptionsObject(options, 'options', keys);
    if (options.maskLuns !== undefined) checkBoolean(options.maskLuns, 'options.maskLuns');
    if (options.makeReadWrite !== undefined) checkBoolean(options.makeReadWrite, 'options.makeReadWrite');
    if (options.revertIdentity !== undefined && options.revertIdentity !== 'all' && options.revertIdentity !== 'none')
      throw invalidArgValue('options.revertIdentity', options.revertIdentity, "'all' or 'none'");
    const flags =
      (options.maskLuns ? 0x1 : 0) | (options.makeReadWrite ? 0x2 : 0) | (options.revertIdentity === 'all' ? 0x4 : options.revertIdentity === 'none' ? 0x8 : 0);
    await this.#run('breakSnapshotSetEx', { snapshotSetId, flags }, checkCallOptions(options, 'options', keys));
  }

  /**
   * Shadow storage associations and their sizes.
   * @example
   * for (const s of await session.queryShadowStorage()) console.log(s.volume, s.usedSize);
   * @group Managing shadow copies
   */
  async queryShadowStorage(): Promise<ShadowStorage[]> {
    return (await this.#outsideSession('QueryDiffAreas', () => this.#native.queryDiffAreas())).map(toShadowStorage);
  }

  /**
   * `IVssDifferentialSoftwareSnapshotMgmt::QueryDiffAreasForVolume`: the shadow storage
   * association of `volume`'s shadow copies (none: an empty list). A volume the machine does not
   * have is `E_INVALIDARG` (the page lists no not-found).
   * @example const [area] = await session.queryDiffAreasForVolume('C:\\');
   * @group Managing shadow copies
   */
  async queryDiffAreasForVolume(volume: string): Promise<ShadowStorage[]> {
    const name = normalizeVolume(volume, 'volume');
    return this.#queryDiffAreasBy('QueryDiffAreasForVolume', name);
  }

  /**
   * `IVssDifferentialSoftwareSnapshotMgmt::QueryDiffAreasOnVolume`: the shadow storage
   * associations that physically reside on `volume`, whichever volumes they serve.
   * @example for (const a of await session.queryDiffAreasOnVolume('C:\\')) console.log(a.volume);
   * @group Managing shadow copies
   */
  async queryDiffAreasOnVolume(volume: string): Promise<ShadowStorage[]> {
    const name = normalizeVolume(volume, 'volume');
    return this.#queryDiffAreasBy('QueryDiffAreasOnVolume', name);
  }

  /**
   * `IVssDifferentialSoftwareSnapshotMgmt::QueryDiffAreasForSnapshot`: the shadow storage in use
   * by the original volume of the shadow copy `snapshotId`. An id the machine does not have is
   * `E_INVALIDARG`.
   * @example const [area] = await session.queryDiffAreasForSnapshot(set.snapshots[0]!.snapshotId);
   * @group Managing shadow copies
   */
  async queryDiffAreasForSnapshot(snapshotId: string): Promise<ShadowStorage[]> {
    const id = checkGuid(snapshotId, 'snapshotId');
    return this.#queryDiffAreasBy('QueryDiffAreasForSnapshot', id);
  }

  async #queryDiffAreasBy(operation: 'QueryDiffAreasForVolume' | 'QueryDiffAreasOnVolume' | 'QueryDiffAreasForSnapshot', name: string): Promise<ShadowStorage[]> {
    return (await this.#outsideSession(operation, () => this.#native.queryDiffAreasBy(operation, name))).map(toShadowStorage);
  }

  /**
   * `IVssDifferentialSoftwareSnapshotMgmt::QueryVolumesSupportedForDiffAreas`: the volumes that
   * can hold `originalVolume`'s shadow storage, with their size and free space
   * (`VSS_DIFF_VOLUME_PROP`), as `vssadmin list volumes` lists them.
   * @example for (const v of await session.queryVolumesSupportedForDiffAreas('C:\\')) console.log(v.displayName, v.freeSpace);
   * @group Managing shadow copies
   */
  async queryVolumesSupportedForDiffAreas(originalVolume: string): Promise<ShadowStorageVolume[]> {
    const name = normalizeVolume(originalVolume, 'originalVolume');
    return (await this.#outsideSession('QueryVolumesSupportedForDiffAreas', () => this.#native.queryVolumesSupportedForDiffAreas(name))).map(toShadowStorageVolume);
  }

  /**
   * `IVssDifferentialSoftwareSnapshotMgmt3::SetVolumeProtectLevel`: what `volume` keeps when its
   * shadow storage fails: `'original-volume'` (the default: its I/O, the shadow copies are deleted)
   * or `'snapshot'` (its shadow copies, the volume goes offline). Set the same level on the volume
   * holding the shadow storage (the interface page). A volume the machine lacks is `VSS_E_OBJECT_NOT_FOUND`.
   * @example await session.setVolumeProtectLevel('C:\\', 'snapshot');
   * @group Managing shadow copies
   */
  async setVolumeProtectLevel(volume: string, level: ProtectionLevel): Promise<void> {
    const name = normalizeVolume(volume, 'volume');
    if (typeof level !== 'string' || !ProtectionLevels.names.includes(level)) throw invalidArgValue('level', level, ProtectionLevels.names.map((n) => `'${n}'`).join(' or '));
    await this.#outsideSession('SetVolumeProtectLevel', () => this.#native.protectionCall('SetVolumeProtectLevel', name, ProtectionLevels.code(level)));
  }

  /**
   * `IVssDifferentialSoftwareSnapshotMgmt3::GetVolumeProtectLevel`: the volume's protection level,
   * whether a protection fault took it offline and which (`VSS_VOLUME_PROTECTION_INFO`).
   * @example const { level, offline, fault } = await session.getVolumeProtectLevel('C:\\');
   * @group Managing shadow copies
   */
  async getVolumeProtectLevel(volume: string): Promise<VolumeProtection> {
    const name = normalizeVolume(volume, 'volume');
    const raw = await this.#outsideSession('GetVolumeProtectLevel', () => this.#native.protectionCall('GetVolumeProtectLevel', name));
    return {
      level: ProtectionLevels.name(raw.protectionLevel) as ProtectionLevel,
      offline: raw.volumeIsOfflineForProtection,
      fault: ProtectionFaults.name(raw.protectionFault) as ProtectionFault,
      faultCode: raw.protectionFault,
      failureStatus: raw.failureStatus,
      hasUnusedDiffArea: raw.volumeHasUnusedDiffArea,
    };
  }

  /**
   * `IVssDifferentialSoftwareSnapshotMgmt3::ClearVolumeProtectFault`: brings a volume a protection
   * fault took offline back (its page: "dismounts the volume and resets the volume's protection fault";
   * a volume without a fault is left as it is).
   * @example await session.clearVolumeProtectFault('C:\\');
   * @group Managing shadow copies
   */
  async clearVolumeProtectFault(volume: string): Promise<void> {
    const name = normalizeVolume(volume, 'volume');
    await this.#outsideSession('ClearVolumeProtectFault', () => this.#native.protectionCall('ClearVolumeProtectFault', name));
  }

  /**
   * `IVssDifferentialSoftwareSnapshotMgmt3::DeleteUnusedDiffAreas`: deletes the shadow storage on
   * `diffAreaVolume` that serves volumes offline for protection (the shadow copies kept there go).
   * @example await session.deleteUnusedDiffAreas('C:\\');
   * @group Managing shadow copies
   */
  async deleteUnusedDiffAreas(diffAreaVolume: string): Promise<void> {
    const name = normalizeVolume(diffAreaVolume, 'diffAreaVolume');
    await this.#outsideSession('DeleteUnusedDiffAreas', () => this.#native.protectionCall('DeleteUnusedDiffAreas', name));
  }

  /**
   * `IsVolumeSnapshotted` (a vssapi.dll function, answered for the whole machine): whether the
   * volume has shadow copies, of any context, and which operations they disable on it
   * (`VSS_SNAPSHOT_COMPATIBILITY`: `disableDefrag`, `disableContentIndex`; both false with none).
   * @example
   * const { snapshotsPresent } = await session.isVolumeSnapshotted('C:\\');
   * @group Managing shadow copies
   */
  async isVolumeSnapshotted(volume: string): Promise<VolumeSnapshotState> {
    const name = normalizeVolume(volume, 'volume');
    const raw = await this.#outsideSession('IsVolumeSnapshotted', () => this.#native.isVolumeSnapshotted(name));
    return {
      snapshotsPresent: raw.snapshotsPresent,
      snapshotCompatibility: raw.snapshotCompatibility,
      disableDefrag: (raw.snapshotCompatibility & 1) !== 0,
      disableContentIndex: (raw.snapshotCompatibility & 2) !== 0,
    };
  }

  /**
   * `ShouldBlockRevert` (a vssapi.dll function, Windows Server only): `true` when a writer the
   * registry lists under `VSS\Settings\WritersBlockingRevert` has components on the volume, so
   * reverting it would lose that writer's data behind its back.
   * @example
   * if (await session.shouldBlockRevert('C:\\')) console.log('a writer blocks reverting C:');
   * @group Managing shadow copies
   */
  async shouldBlockRevert(volume: string): Promise<boolean> {
    const name = normalizeVolume(volume, 'volume');
    return this.#outsideSession('ShouldBlockRevert', () => this.#native.shouldBlockRevert(name));
  }

  /** A call that is not an IVssBackupComponents method (the session's thread runs it), traced and timed. */
  async #outsideSession<T>(operation: string, call: () => Promise<T>): Promise<T> {
    const started = performance.now();
    noteVssCall(operation);
    try {
      const result = await call();
      debug('%s -> S_OK in %dms', operation, Math.round(performance.now() - started));
      return result;
    } catch (error) {
      const mapped = fromNativeError(error);
      debug('%s -> %s in %dms', operation, (mapped as { code?: string }).code, Math.round(performance.now() - started));
      throw mapped;
    }
  }

  /**
   * Sets the most shadow storage a volume's shadow copies may use
   * (`IVssDifferentialSoftwareSnapshotMgmt::ChangeDiffAreaMaximumSize`), in bytes;
   * `-1` for no limit. The diff area volume defaults to the volume itself.
   * @example await session.resizeShadowStorage('C:\\', 10n * 1024n ** 3n);
   * @group Managing shadow copies
   */
  async resizeShadowStorage(volume: string, maximumSize: bigint | number, diffAreaVolume?: string): Promise<void> {
    await this.#diffAreaCall('ChangeDiffAreaMaximumSize', volume, diffAreaVolume, maximumSize, 'a size in bytes, -1 for no limit, or 0 to delete the association');
  }

  /**
   * `IVssDifferentialSoftwareSnapshotMgmt2::ChangeDiffAreaMaximumSizeEx`: as
   * `resizeShadowStorage`, and with `isVolatile` the new maximum lasts only until the machine
   * restarts (then the last one set without it applies again). A maximum of 0 (delete) cannot be
   * volatile (`E_INVALIDARG`, the page: "If the value of llMaximumDiffSpace is zero, bVolatile must be FALSE").
   * @example await session.changeDiffAreaMaximumSizeEx('C:\\', 'C:\\', 8n * 1024n ** 3n, true);
   * @group Managing shadow copies
   */
  async changeDiffAreaMaximumSizeEx(volume: string, diffAreaVolume: string, maximumSize: bigint | number, isVolatile: boolean): Promise<void> {
    checkBoolean(isVolatile, 'isVolatile');
    await this.#diffAreaCall('ChangeDiffAreaMaximumSizeEx', volume, diffAreaVolume, maximumSize, 'a size in bytes, -1 for no limit, or 0 to delete the association', isVolatile);
  }

  /**
   * `IVssDifferentialSoftwareSnapshotMgmt::AddDiffArea`: `volume`'s shadow copies keep their
   * differences on `diffAreaVolume` (default: the volume itself), up to `maximumSize` bytes (at
   * least 320 MB; `-1`: no limit). An association that exists is `VSS_E_OBJECT_ALREADY_EXISTS`,
   * one on another volume `VSS_E_MAXIMUM_DIFFAREA_ASSOCIATIONS_REACHED`. Delete one with
   * `resizeShadowStorage(volume, 0, diffAreaVolume)` while the volume has no shadow copies.
   * @example await session.addDiffArea('C:\\', 'C:\\', 20n * 1024n ** 3n);
   * @group Managing shadow copies
   */
  async addDiffArea(volume: string, diffAreaVolume: string | undefined, maximumSize: bigint | number): Promise<void> {
    await this.#diffAreaCall('AddDiffArea', volume, diffAreaVolume, maximumSize, 'a size in bytes (at least 320 MB), or -1 for no limit');
  }

  async #diffAreaCall(
    operation: 'AddDiffArea' | 'ChangeDiffAreaMaximumSize' | 'ChangeDiffAreaMaximumSizeEx',
    volume: string,
    diffAreaVolume: string | undefined,
    maximumSize: bigint | number,
    accepted: string,
    isVolatile = false,
  ) {
    const original = normalizeVolume(volume, 'volume');
    const storage = diffAreaVolume === undefined ? original : normalizeVolume(diffAreaVolume, 'diffAreaVolume');
    const size = typeof maximumSize === 'bigint' ? Number(maximumSize) : maximumSize;
    if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < -1) throw invalidArgValue('maximumSize', maximumSize, accepted);
    noteVssCall(operation);
    try {
      if (operation === 'AddDiffArea') await this.#native.addDiffArea(original, storage, size);
      else if (operation === 'ChangeDiffAreaMaximumSizeEx') await this.#native.changeDiffAreaMaximumSizeEx(original, storage, size, isVolatile);
      else await this.#native.changeDiffAreaMaximumSize(original, storage, size);
    } catch (error) {
      throw fromNativeError(error);
    }
  }

  /**
   * Releases the session (the `IVssBackupComponents` instance) on its own thread.
   * Non-persistent shadow copies it created are released with it, as VSS does.
   * A running call is cancelled first. Safe to call twice.
   * @example
   * await session.release();
   * @group Session
   */
  async release(): Promise<void> {
    if (this.#native.released) return this.#native.release();
    noteVssCall('Release');
    const started = performance.now();
    await this.#native.release();
    debug('Release -> S_OK in %dms', Math.round(performance.now() - started));
  }

  /**
   * `await using` support: releases the session, as {@link BackupSession.release} does.
   * `await using` is TypeScript 5.2+ syntax (compiled for Node 20) or Node 24+;
   * on Node 20 in plain JavaScript, call `release()` in a `finally`.
   * @example
   * ```ts
   * {
   *   await using session = await BackupSession.create({ backend: 'simulated' });
   *   await session.initializeForBackup();
   * } // released here
   * ```
   * @group Session
   */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.release();
  }
}
