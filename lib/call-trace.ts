/**
 * Which VSS calls an operation made, in order. On a real server one GatherWriterMetadata
 * or GatherWriterStatus too many costs seconds, so the library keeps its round trips to
 * the sequence Microsoft documents (and its VShadow sample uses); this is how a caller,
 * or a test, sees that sequence. An AsyncLocalStorage context, so operations running
 * concurrently are traced apart.
 * @module
 */
import { AsyncLocalStorage } from 'node:async_hooks';

const traces = new AsyncLocalStorage<string[]>();

/** Notes one call, by its COM method name, in the trace of the operation that made it. @internal */
export function noteVssCall(method: string): void {
  traces.getStore()?.push(method);
}

/** What {@link traceVssCalls} gives. */
export interface VssCallTrace<T> {
  /** What the traced function returned. */
  result: T;
  /** The VSS calls made, by COM method name, in order (`CreateVssBackupComponents`, `GatherWriterStatus`, …, `Release`). */
  calls: string[];
}

/**
 * Runs `fn` and lists the VSS calls it made, by COM method name and in order: one per
 * `IVssBackupComponents` (or shadow-storage management) call, whichever backend answers.
 * Calls made by other operations running at the same time are not included.
 * @example
 * const { result, calls } = await traceVssCalls(() => listWriters({ backend: 'simulated' }));
 * console.log(result.length, 'writers in', calls.length, 'VSS calls:', calls.join(', '));
 */
export async function traceVssCalls<T>(fn: () => Promise<T> | T): Promise<VssCallTrace<T>> {
  if (typeof fn !== 'function') {
    const error = new TypeError(`The "fn" argument must be of type function. Received ${fn === null ? 'null' : typeof fn}`);
    (error as TypeError & { code: string }).code = 'ERR_INVALID_ARG_TYPE';
    throw error;
  }
  const calls: string[] = [];
  const result = await traces.run(calls, fn);
  return { result, calls: [...calls] };
}
