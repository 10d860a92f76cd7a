/**
 * Restarting the service that hosts each failed writer: Microsoft's remedy for a
 * writer stuck in a failed state ("Writer Errors and Vetoes": restart the service
 * that hosts the writer), done through the Service Control Manager, never while a
 * backup is in progress.
 * @module
 */
import { type BackendOption, checkBackend, createNativeSession } from './backend.js';
import { AbortError, fromNativeError, VssError, WritersBusyError } from './errors.js';

export { WritersBusyError };
import type { WriterState } from './enums.js';
import { hostingServiceOf } from './services.js';
import type { HresultInfo, WriterStatus } from './types.js';
import { checkOptionsObject, checkSignal, invalidArgType, optionKeys, outOfRange } from './validate.js';
import { listWriters } from './writers.js';

/** Options of {@link restartFailedWriters}. */
export interface RestartFailedWritersOptions {
  backend?: BackendOption;
  signal?: AbortSignal;
  /** How long each service may take to stop, and to start (default 60000 ms). */
  timeoutMs?: number;
}

/** One service restarted (or not) for the failed writers it hosts. */
export interface ServiceRestartOutcome {
  /** Short name, as `sc` takes it. */
  service: string;
  displayName: string;
  /** The failed writers it hosts. */
  writers: string[];
  /** Whether it was restarted. */
  restarted: boolean;
  /** Whether it was running before: `false` when it was stopped, so it was only started (no stop). */
  wasRunning: boolean;
  /** Active services that depended on it: stopped first and started again after (as `net stop` does). */
  dependents: string[];
  /** Why the restart failed (the Service Control Manager's error), or `null`. */
  error: VssError | null;
}

/** A writer that was failed, and its state after the restarts. */
export interface WriterAfterRestart {
  name: string;
  writerId: string;
  stateBefore: WriterState;
  /** `stateBefore`'s VSS_WRITER_STATE number, as vssadmin prints it (`[8] Failed`). */
  stateBeforeCode: number;
  /** Its hosting service, or `null` when the table does not know it (nothing was restarted for it). */
  service: string | null;
  /** The state VSS reports afterwards; `null` when the writer no longer answers. */
  stateAfter: WriterState | null;
  /** `stateAfter`'s VSS_WRITER_STATE number; `null` with it. */
  stateAfterCode: number | null;
  lastErrorAfter: HresultInfo | null;
}

/** What {@link restartFailedWriters} did: each hosting service restarted, and each writer's state afterwards. */
export interface RestartReport {
  services: ServiceRestartOutcome[];
  writers: WriterAfterRestart[];
}

/**
 * A failed writer: the states VSS names `VSS_WS_FAILED_AT_*`.
 * @example (await listWriters({ backend: 'simulated' })).filter(isFailedWriter);
 */
export function isFailedWriter(w: WriterStatus): boolean {
  return w.state.startsWith('failed-');
}

function checkOptions(options: RestartFailedWritersOptions): Required<Pick<RestartFailedWritersOptions, 'timeoutMs'>> & RestartFailedWritersOptions {
  checkOptionsObject(options as unknown, 'options', optionKeys<RestartFailedWritersOptions>()({ backend: true, signal: true, timeoutMs: true }));
  if (options.backend !== undefined) checkBackend(options.backend, 'options.backend');
  checkSignal(options.signal, 'options.signal');
  const timeoutMs = options.timeoutMs ?? 60_000;
  if (typeof timeoutMs !== 'number' || !Number.isInteger(timeoutMs)) throw invalidArgType('options.timeoutMs', timeoutMs, 'an integer number of milliseconds');
  if (timeoutMs < 1000 || timeoutMs > 600_000) throw outOfRange('options.timeoutMs', timeoutMs, '1000 to 600000');
  return { ...options, timeoutMs };
}

/**
 * Restarts the hosting service of each failed writer (lib/services.ts's table), once
 * per service, then reports each of those writers' state afterwards. Refused with
 * {@link WritersBusyError} while any writer is in a waiting state (a backup in progress).
 * Needs an elevated process on Windows (the Service Control Manager's SERVICE_STOP and
 * SERVICE_START rights).
 * @example
 * const { services, writers } = await restartFailedWriters({ backend: 'simulated' });
 * for (const w of writers) console.log(w.name, w.stateBefore, '->', w.stateAfter);
 */
export async function restartFailedWriters(options: RestartFailedWritersOptions = {}): Promise<RestartReport> {
  const checked = checkOptions(options);
  const { backend, signal } = checked;
  const before = await listWriters({ backend, signal, correlateEvents: false });
  const busy = before.filter((w) => w.state.startsWith('waiting-'));
  if (busy.length > 0) throw new WritersBusyError(busy);
  const failed = before.filter(isFailedWriter);
  const services: ServiceRestartOutcome[] = [];
  for (const w of failed) {
    const row = hostingServiceOf(w);
    if (!row) continue;
    const outcome = services.find((s) => s.service === row.service);
    if (outcome) outcome.writers.push(w.name);
    else services.push({ service: row.service, displayName: row.displayName, writers: [w.name], restarted: false, wasRunning: false, dependents: [], error: null });
  }
  if (services.length > 0) {
    const native = createNativeSession(backend);
    try {
      for (const s of services) {
        if (signal?.aborted) throw new AbortError(undefined, { cause: signal.reason });
        // Every writer class the service hosts (not only the failed ones): the simulation resets them all, as a restart does.
        const hosted = before.filter((w) => hostingServiceOf(w)?.service === s.service);
        const writerIds = [...new Set(hosted.map((w) => w.writerId))];
        const instanceIds = hosted.map((w) => w.instanceId);
        try {
          const done = await native.restartService({ service: s.service, displayName: s.displayName, writerIds, instanceIds, timeoutMs: checked.timeoutMs });
          s.restarted = true;
          s.wasRunning = done.wasRunning;
          s.dependents = done.dependents;
        } catch (error) {
          const converted = fromNativeError(error);
          if (!(converted instanceof VssError)) throw converted;
          s.error = converted;
        }
      }
    } finally {
      await native.release();
    }
  }
  const after = failed.length > 0 ? await listWriters({ backend, signal, correlateEvents: false }) : [];
  const writers = failed.map((w): WriterAfterRestart => {
    const now = after.find((a) => a.writerId === w.writerId && (a.instanceId === w.instanceId || after.filter((x) => x.writerId === w.writerId).length === 1));
    return {
      name: w.name,
      writerId: w.writerId,
      stateBefore: w.state,
      stateBeforeCode: w.stateCode,
      service: hostingServiceOf(w)?.service ?? null,
      stateAfter: now?.state ?? null,
      stateAfterCode: now?.stateCode ?? null,
      lastErrorAfter: now?.lastError ?? null,
    };
  });
  return { services, writers };
}
