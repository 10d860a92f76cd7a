/**
 * The error classes vss-napi throws. Every error has a stable `code`; errors that
 * come from VSS also carry the `hresult` and the COM `operation` that returned it.
 * @module
 */
import { hresultMeaning, hresultName, toUnsignedHresult } from './hresults.js';
import type { VssEvent } from './events.js';
import { hostingServiceOf } from './services.js';
import type { FailedComponent, MissingWriter, WriterStatus } from './types.js';

/** Remedies for the causes users meet most, keyed by the HRESULT's name. */
const REMEDIES: Record<string, string> = {
  E_ACCESSDENIED:
    'Run the process elevated (as Administrator): VSS requesters need SeBackupPrivilege and an administrator token.',
  ERROR_PRIVILEGE_NOT_HELD: 'Run the process elevated (as Administrator) so it holds SeBackupPrivilege.',
  VSS_E_SNAPSHOT_SET_IN_PROGRESS:
    'A snapshot set is being created already (by another backup, or earlier in this session); wait and retry: createSnapshotSet takes a retry policy (options.retry), vss create takes --retry.',
  RPC_S_SERVER_UNAVAILABLE: 'Start the Volume Shadow Copy service (net start vss) and check that it is not disabled.',
  ERROR_SERVICE_DISABLED: 'Enable the Volume Shadow Copy service (sc config vss start= demand).',
  CO_E_SERVER_EXEC_FAILURE:
    'The Volume Shadow Copy service could not start: check it in services.msc and the System event log (VSS, VolSnap sources).',
  E_NOTIMPL:
    'This vssapi.dll does not implement VSS (Wine\'s stub, or a stripped Windows). Use a real Windows machine, or pass backend: "simulated".',
  ERROR_MOD_NOT_FOUND: 'vssapi.dll was not found in the system directory; VSS is missing from this Windows installation.',
  VSS_E_WRITERERROR_RETRYABLE: 'A writer failed transiently; retry the backup.',
  VSS_E_WRITERERROR_TIMEOUT:
    'A writer timed out, usually because the freeze took too long; retry when the machine is less busy, or exclude the writer.',
  VSS_E_INSUFFICIENT_STORAGE:
    'Delete old shadow copies (vss delete), free space on the volume that holds the shadow storage, or keep the shadow storage on a volume with room (vss storage add, vss storage resize: at least 320 MB).',
  VSS_E_PROVIDER_VETO: 'The provider logged why in the event log (vss events).',
  VSS_E_BAD_STATE: 'The requester calls are out of order; follow the backup sequence (see BackupSession).',
};

/**
 * Where a method's page gives an HRESULT its own meaning, that meaning (`'CODE Operation'` keys): the
 * table's generic text would send the user elsewhere. BreakSnapshotSet(Ex)'s pages: VSS_E_PROVIDER_VETO
 * "The shadow copy was created by a software provider and cannot be broken" (no event is promised).
 */
const OPERATION_MEANINGS: Record<string, string> = {
  'VSS_E_PROVIDER_VETO BreakSnapshotSet': 'The shadow copies were made by a software provider; only a hardware provider\'s can be broken.',
  'VSS_E_PROVIDER_VETO BreakSnapshotSetEx': 'The shadow copies were made by a software provider; only a hardware provider\'s can be broken.',
  // RevertToSnapshot's page: E_NOTIMPL "Revert is not supported" (the provider's, not a missing VSS).
  'E_NOTIMPL RevertToSnapshot': 'Revert is not supported for this shadow copy: its provider does not revert.',
};

/**
 * What to do about a writer's own error (cold10 F12), from Microsoft's pages on the
 * VSS_E_WRITERERROR_* values: CVssWriterEx2::SetWriterFailureEx and IVssComponentEx2::SetFailure
 * ("wait ten minutes and then repeat the operation, up to three times" for OUTOFRESOURCES, TIMEOUT
 * and RETRYABLE; NONRETRYABLE "might recur if another shadow copy is created"; PARTIAL_FAILURE
 * "one or more component-level errors") and "Writer Errors and Vetoes" (INCONSISTENTSNAPSHOT:
 * "add additional volumes to the shadow copy"; OUTOFRESOURCES or TIMEOUT: lower the system's load
 * before retrying; an error that stays after several retries: "try restarting the service that
 * hosts the writer"). RECOVERY_FAILED has no page of its own: its vsserror.h text (auto-recovery
 * of the shadow copy failed) and the general advice above. The service sentence is added by
 * {@link writerServiceSentence} when the writer is known.
 */
const WRITER_ERROR_REMEDIES: Record<string, string> = {
  VSS_E_WRITERERROR_RETRYABLE: 'The writer failed with an error that should not recur: wait ten minutes and retry the backup (Microsoft: up to three times); if it keeps failing, restart the service that hosts it.',
  VSS_E_WRITERERROR_OUTOFRESOURCES:
    'The writer ran out of memory or other system resources: lower the machine\'s load, wait ten minutes and retry (Microsoft: up to three times); if it keeps failing, restart the service that hosts it.',
  VSS_E_WRITERERROR_NONRETRYABLE:
    "The writer's error is likely to recur on a retry: find its cause in the events of the writer's application (vss events), fix it, then restart the service that hosts the writer before the next backup.",
  VSS_E_WRITERERROR_INCONSISTENTSNAPSHOT:
    "The snapshot set lacks a volume the writer needs: add every volume that holds the writer's files (vss metadata lists them) to the set, or leave the writer's components out.",
  VSS_E_WRITERERROR_PARTIAL_FAILURE:
    "The writer failed some of its components: each component's own failure (its failure message, IVssComponentEx2::GetFailure) says which and why; fix those, or leave them out of the selection, and retry.",
  VSS_E_WRITERERROR_RECOVERY_FAILED:
    "The writer could not recover the shadow copy (auto-recovery failed): delete the set, read the writer's application events (vss events), and restart the service that hosts the writer before retrying.",
};

/** The hosting service's sentence for a failed writer, as `vss health` words it (lib/health.ts). */
function writerServiceSentence(writer: { name: string; writerId: string }): string {
  const service = hostingServiceOf(writer);
  return service
    ? `Its service is ${service.displayName} (${service.service}); restart it from an elevated prompt: vss writers --restart-failed --yes (or net stop ${service.service} && net start ${service.service}).`
    : 'Its service is not known to vss: restart the service or application that hosts this writer, then run vss writers again.';
}

/** The remedy for an HRESULT from a VSS call, where the cause is a common one. */
function remedyFor(code: string, operation: string, phase?: string, detail?: string, writer?: { name: string; writerId: string } | null): string | undefined {
  // A writer's own error, from the call that met it (vss create, hyperv, metadata): what the
  // error value calls for, and the service that hosts that writer (cold10 F12).
  if (writer && code.startsWith('VSS_E_WRITERERROR_') && (WRITER_ERROR_REMEDIES[code] || code === 'VSS_E_WRITERERROR_TIMEOUT')) {
    const own = code === 'VSS_E_WRITERERROR_TIMEOUT' ? remedyFor(code, operation, phase, detail) : WRITER_ERROR_REMEDIES[code];
    return `${own} ${writerServiceSentence(writer)}`;
  }
  // The engine's rule for a second StartSnapshotSet in one session (native/sim/method_rules.inc) says so in
  // its detail; waiting or retrying in that session cannot help.
  if (code === 'VSS_E_SNAPSHOT_SET_IN_PROGRESS' && detail?.includes('this session is already creating a snapshot set'))
    return 'This session started its snapshot set already: go on with it (addToSnapshotSet, doSnapshotSet), or use a new session for another set.';
  // Only a timeout at freeze or thaw is the freeze taking too long.
  if (code === 'VSS_E_WRITERERROR_TIMEOUT' && phase && phase !== 'freeze' && phase !== 'thaw')
    return `A writer did not answer in time at ${phase}; retry when the machine is less busy, or exclude the writer.`;
  // The COM backend refuses a 32-bit process on 64-bit Windows before VSS would fail obscurely.
  if (code === 'ERROR_NOT_SUPPORTED' && operation === 'CreateVssBackupComponents')
    return 'VSS does not serve 32-bit processes on 64-bit Windows (WOW64): run a 64-bit node.exe.';
  // Making a shadow copy, one cause is a volume offline for shadow copy protection (native/sim/method_rules.inc).
  if (code === 'E_NOTIMPL' && operation === 'RevertToSnapshot')
    return 'Only persistent shadow copies of the system provider can be reverted; copy the files back from this shadow copy instead.';
  if (code === 'VSS_E_PROVIDER_VETO' && (operation === 'BreakSnapshotSet' || operation === 'BreakSnapshotSetEx'))
    return "A software provider's shadow copies stay VSS's: use them as they are, or delete them (vss delete --set ID) when done.";
  if (code === 'VSS_E_PROVIDER_VETO' && (operation === 'AddToSnapshotSet' || operation === 'DoSnapshotSet'))
    return 'A volume offline for shadow copy protection (vss storage protect VOLUME shows it) takes no new shadow copy until its fault is cleared (vss storage protect VOLUME --clear); otherwise the provider logged why (vss events).';
  // Exposing an exposed copy again is no out-of-order call: the generic VSS_E_BAD_STATE remedy misled (cold8 F21).
  if (code === 'VSS_E_BAD_STATE' && operation === 'ExposeSnapshot')
    return 'A shadow copy is exposed once: if it is exposed already (vss list shows where), unexpose it first (unexposeShadowCopy, vss unexpose ID).';
  return REMEDIES[code];
}

/** Fields common to errors that come from VSS. */
export interface VssErrorOptions {
  /** The COM method that failed, e.g. `'DoSnapshotSet'`. */
  operation?: string;
  /** The writer that caused the failure, where one did. */
  writer?: { name: string; writerId: string; instanceId?: string } | null;
  /** Extra detail from the backend. */
  detail?: string;
  cause?: unknown;
  /** The phase a writer failed at (`'freeze'`, `'post-snapshot'`), where one did. */
  phase?: string;
  /** The report of the backup that failed ({@link VssWriterError} from `complete()`). */
  report?: unknown;
  /** A remedy that fits the call better than the HRESULT's own (a listing has no backup to retry). */
  remedy?: string;
  /** {@link VssWriterError}: the components the failing writers set a failure on. */
  failedComponents?: FailedComponent[];
}

/** Details longer than this are cut: a 1 MB volume name is not echoed whole. */
const MAX_DETAIL = 300;

function shorten(text: string): string {
  return text.length > MAX_DETAIL ? `${text.slice(0, MAX_DETAIL)}... (${text.length} characters)` : text;
}

/**
 * An error returned by VSS (or by the simulated VSS).
 *
 * @example
 * try { await listWriters(); } catch (e) { if (e instanceof VssError) console.log(e.code, e.hresult.toString(16)); }
 */
export class VssError extends Error {
  override name = 'VssError';
  /** The symbolic name of the HRESULT, e.g. `'VSS_E_BAD_STATE'`, `'E_ACCESSDENIED'`. */
  readonly code: string;
  /** The HRESULT as an unsigned 32-bit number. */
  readonly hresult: number;
  /** The COM method that returned it. */
  readonly operation: string;
  /** The writer that caused it, or `null`. */
  readonly writer: { name: string; writerId: string; instanceId?: string } | null;
  /** What to do about it, for the common causes; `undefined` otherwise. */
  readonly remedy: string | undefined;
  /**
   * The VSS-related events this machine logged while the failing high-level call
   * ran (filled by the high-level calls unless `correlateEvents: false`; empty otherwise).
   */
  readonly events: VssEvent[] = [];
  /**
   * From `createSnapshotSet`, when the backup failed after its snapshot set was started: the
   * aborted backup's report (which writers, the plan, the document as it stood), as a writer's
   * failure carries it. Absent otherwise.
   */
  declare readonly report?: import('./snapshots.js').BackupReport;

  constructor(hresult: number, message?: string, options: VssErrorOptions = {}) {
    if (typeof hresult !== 'number' || !Number.isInteger(hresult) || hresult < -0x80000000 || hresult > 0xffffffff) {
      const error = new TypeError(`The "hresult" argument must be a 32-bit HRESULT number. Received ${typeof hresult === 'string' ? `'${shorten(hresult)}'` : String(hresult)}`);
      (error as TypeError & { code: string }).code = 'ERR_INVALID_ARG_TYPE';
      throw error;
    }
    const value = toUnsignedHresult(hresult);
    const code = hresultName(value);
    const operation = options.operation ?? 'unknown';
    const meaning = OPERATION_MEANINGS[`${code} ${operation}`] ?? hresultMeaning(value);
    super(
      message ??
        `${operation} failed with ${code} (0x${value.toString(16).padStart(8, '0')})${meaning ? `: ${meaning}` : ''}${
          options.detail ? ` (${shorten(options.detail)})` : ''
        }`,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.code = code;
    this.hresult = value;
    this.operation = operation;
    this.writer = options.writer ?? null;
    this.remedy = options.remedy ?? remedyFor(code, operation, options.phase, options.detail, options.writer);
    if (this.remedy && !this.message.includes(this.remedy)) this.message += `\nRemedy: ${this.remedy}`;
  }
}

/** A backup failed because one or more writers failed; `writers` lists them with their states. */
export class VssWriterError extends VssError {
  override name = 'VssWriterError';
  /** The failing writers, each with its state and last error. */
  readonly writers: WriterStatus[];
  /**
   * The backup's report (`BackupReport`) when the error comes from `complete()` or
   * `withSnapshotSet`: the backup was finished first, and the report says what it did.
   */
  override readonly report: import('./snapshots.js').BackupReport | undefined;

  /**
   * The components the failing writers set a failure on (`IVssComponentEx2::GetFailure`): read when a
   * writer's error is `VSS_E_WRITERERROR_PARTIAL_FAILURE` ("The writer is reporting one or more
   * component-level errors", CVssWriterEx2::SetWriterFailureEx), so the failed ones are named; else empty.
   */
  readonly failedComponents: FailedComponent[];

  constructor(hresult: number, writers: WriterStatus[], options: VssErrorOptions = {}) {
    const first = writers[0];
    const failedComponents = options.failedComponents ?? [];
    const componentsOf = (w: WriterStatus) => {
      const own = failedComponents.filter((c) => c.instanceId === w.instanceId);
      if (own.length === 0) return '';
      const one = (c: FailedComponent) =>
        `${c.logicalPath ? `${c.logicalPath}\\` : ''}${c.name} ${c.failure.error.name}${c.failure.message ? ` '${c.failure.message}'` : ''}`;
      return `; failed components: ${own.map(one).join(', ')}`;
    };
    const list = writers
      .map((w) => `${w.name} (${w.state}${w.lastError ? `, ${w.lastError.name}` : ''}${componentsOf(w)})`)
      .join(', ');
    super(hresult, `${options.operation ?? 'Backup'} failed: ${writers.length === 1 ? 'writer' : 'writers'} ${list}`, {
      ...options,
      phase: options.phase ?? (first?.state.startsWith('failed-at-') ? first.state.slice('failed-at-'.length) : undefined),
      writer: options.writer ?? (first ? { name: first.name, writerId: first.writerId, instanceId: first.instanceId } : null),
    });
    this.writers = writers;
    this.failedComponents = failedComponents;
    this.report = options.report as VssWriterError['report'];
  }
}

/**
 * The compiled addon could not be loaded: no prebuilt binary for this platform and none
 * built at install (or a build for another Node ABI). Every call of the library needs it.
 */
export class VssAddonLoadError extends Error {
  override name = 'VssAddonLoadError';
  readonly code = 'ERR_VSS_ADDON_NOT_FOUND';
  /** What to do about it. */
  readonly remedy =
    'Reinstall vss-napi (npm ci) on a platform it ships prebuilt binaries for (win32-x64, linux-x64), or build the addon: npm run build:native (needs a C++ compiler).';

  constructor(cause: unknown) {
    super(`The vss-napi addon could not be loaded: ${cause instanceof Error ? cause.message.split('\n')[0] : String(cause)}`, { cause });
  }
}

/** VSS is not available on this platform or process (not Windows, or a 32-bit process on 64-bit Windows). */
export class VssUnsupportedPlatformError extends Error {
  override name = 'VssUnsupportedPlatformError';
  readonly code = 'ERR_VSS_UNSUPPORTED_PLATFORM';
  readonly platform: string;
  /** What to do about it. */
  readonly remedy = "Run on Windows (64-bit node.exe), or pass { backend: 'simulated' } (the CLI's --simulate) to use the simulation backend.";

  constructor(message?: string) {
    super(
      message ??
        `The native VSS backend needs Windows, and this is ${process.platform}. ` +
          `Pass { backend: 'simulated' } (or the CLI's --simulate) to use the simulation backend.`,
    );
    this.platform = process.platform;
  }
}

/**
 * The operation was cancelled through an `AbortSignal`. Like Node's own AbortError,
 * its `name` is `'AbortError'` and its `code` is `'ABORT_ERR'`; when VSS itself was
 * cancelled, `hresult` is `VSS_S_ASYNC_CANCELLED` (0x0004230b).
 */
export class AbortError extends Error {
  override name = 'AbortError';
  readonly code = 'ABORT_ERR';
  readonly hresult: number | undefined;
  readonly operation: string | undefined;

  constructor(message = 'The operation was aborted', options: { cause?: unknown; hresult?: number; operation?: string } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.hresult = options.hresult;
    this.operation = options.operation;
  }
}

/**
 * The error an operation stopped by `signal` rejects with: the signal's own reason when
 * it is a timeout (`AbortSignal.timeout()`, `timeoutMs`), as `fetch` does, so a timeout is
 * told apart from a user's abort; otherwise `fallback()`, an {@link AbortError}.
 * @internal
 */
export function abortedBy(signal: AbortSignal | undefined, fallback: () => Error): Error {
  const reason: unknown = signal?.reason;
  return reason instanceof Error && reason.name === 'TimeoutError' ? reason : fallback();
}

/** A session method was used wrongly: called after release, or while another call runs. */
export class VssSessionError extends Error {
  override name = 'VssSessionError';
  /** `'ERR_VSS_SESSION_RELEASED'` or `'ERR_VSS_SESSION_BUSY'`. */
  readonly code: 'ERR_VSS_SESSION_RELEASED' | 'ERR_VSS_SESSION_BUSY';
  constructor(code: 'ERR_VSS_SESSION_RELEASED' | 'ERR_VSS_SESSION_BUSY', message: string) {
    super(message);
    this.code = code;
  }
}

/**
 * {@link revertToShadowCopy} refused a revert before anything changed: `ShouldBlockRevert` says a
 * writer listed under `VSS\Settings\WritersBlockingRevert` has data on the volume.
 */
export class VssRevertBlockedError extends Error {
  override name = 'VssRevertBlockedError';
  readonly code = 'ERR_VSS_REVERT_BLOCKED' as const;
  /** The volume the revert would have overwritten. */
  readonly volume: string;
  constructor(volume: string) {
    super(
      `A writer listed under VSS\\Settings\\WritersBlockingRevert has data on ${volume}: the revert is refused (ShouldBlockRevert). ` +
        'Pass ignoreBlockingWriters: true (vss revert --ignore-blocking-writers) to revert anyway.',
    );
    this.volume = volume;
  }
}

/**
 * {@link restore} refused before PreRestore: components were selected whose writer is not on this
 * machine. VSS would go on without a word (PreRestore and PostRestore reach only the writers
 * present), and Microsoft's "Restores without Writer Participation" leaves it to the requester to
 * decide whether those files should be restored at all; a restore no writer heard of must not
 * look like one its writers took part in. `allowMissingWriters: true` restores them anyway.
 */
export class VssMissingWritersError extends Error {
  override name = 'VssMissingWritersError';
  readonly code = 'ERR_VSS_WRITER_MISSING' as const;
  /** The absent writers and their selected components. */
  readonly writers: MissingWriter[];
  constructor(writers: MissingWriter[]) {
    const listed = writers.map((w) => `${w.name ?? 'writer'} (class ${w.writerId}: ${w.components.join(', ')})`).join('; ');
    super(
      `The writer of components selected for restore is not on this machine: ${listed}. No writer would hear PreRestore or PostRestore for them, ` +
        'so nothing was restored. Install or start the writer and restore again, or pass allowMissingWriters: true (vss restore --allow-missing-writers) to restore the files without it.',
    );
    this.writers = writers;
  }
}

/**
 * The leak journal could not be read or written: not JSON, not a vss-napi journal, locked too long,
 * or the file system refused. `path` is the journal; `cause` the underlying error. A persistent set
 * is never made without its entry, so nothing was created when recording failed.
 */
export class VssJournalError extends Error {
  override name = 'VssJournalError';
  readonly code = 'ERR_VSS_JOURNAL' as const;
  /** The journal file. */
  readonly path: string;
  constructor(path: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.path = path;
  }
}

/**
 * `mountedVolumes` could not list the folders where volumes are mounted on a volume of the set
 * (the system does not name the volume, or FindFirstVolumeMountPointW failed for a reason other
 * than "none"; under Wine it always fails). Raised before any shadow copy is made: a set silently
 * lacking a mounted volume would back up less than asked.
 */
export class VssMountPointsError extends Error {
  override name = 'VssMountPointsError';
  readonly code = 'ERR_VSS_MOUNT_POINTS_UNAVAILABLE' as const;
  /** The volume whose mount points could not be listed. */
  readonly volume: string;
  constructor(volume: string) {
    super(
      `The folders where volumes are mounted on ${volume} cannot be listed (the system does not name the volume, or FindFirstVolumeMountPointW failed): ` +
        'name the mounted volumes yourself, without mountedVolumes (--include-mounted)',
    );
    this.volume = volume;
  }
}

const VSS_S_ASYNC_CANCELLED = 0x0004230b;

interface NativeErrorShape {
  message?: string;
  code?: string;
  hresult?: number;
  operation?: string;
  detail?: string;
}

/** Turns an error the addon rejected with into the matching public error class. */
export function fromNativeError(error: unknown, writer?: VssErrorOptions['writer']): Error {
  if (!(error instanceof Error)) return new Error(String(error));
  const e = error as Error & NativeErrorShape;
  if (typeof e.hresult === 'number') {
    if (e.hresult >>> 0 === VSS_S_ASYNC_CANCELLED)
      return new AbortError(`${e.operation ?? 'The operation'} was cancelled`, {
        hresult: VSS_S_ASYNC_CANCELLED,
        operation: e.operation,
        cause: error,
      });
    return new VssError(e.hresult, undefined, { operation: e.operation, detail: e.detail, writer, cause: error });
  }
  // On Windows the addon's own message says why (a 32-bit process on 64-bit Windows).
  if (e.code === 'ERR_VSS_UNSUPPORTED_PLATFORM') return new VssUnsupportedPlatformError(process.platform === 'win32' ? e.message : undefined);
  if (e.code === 'ERR_VSS_SESSION_RELEASED' || e.code === 'ERR_VSS_SESSION_BUSY')
    return new VssSessionError(e.code, e.message);
  return error;
}

/**
 * Refused: a writer is in a waiting state, so another backup is in progress. `restartFailedWriters`
 * would break that backup; a component-mode `createSnapshotSet` would back up without the writer
 * (its components could not be selected), so it does not start.
 */
export class WritersBusyError extends Error {
  override name = 'WritersBusyError';
  readonly code = 'ERR_VSS_BACKUP_IN_PROGRESS';
  /** The writers in a `waiting-for-*` state. */
  readonly writers: Pick<WriterStatus, 'name' | 'writerId' | 'instanceId' | 'state'>[];
  constructor(writers: Pick<WriterStatus, 'name' | 'writerId' | 'instanceId' | 'state'>[], outcome = 'no service was restarted. Try again when it has finished.') {
    super(`a backup is in progress (${writers.map((w) => `${w.name}: ${w.state}`).join(', ')}); ${outcome}`);
    this.writers = writers;
  }
}
