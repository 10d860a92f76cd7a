/**
 * Correlation: when a high-level call fails with a VssError, the VSS-related
 * events this machine logged while the call ran are attached to it as `events`
 * (one event log query, made only on failure).
 * @internal
 * @module
 */
import type { BackendOption } from './backend.js';
import { debug } from './log.js';
import { VssError } from './errors.js';
import { readVssEvents } from './events.js';
import { checkBoolean } from './validate.js';

/** Options that turn correlation off (`correlateEvents: false`). */
export interface CorrelationOptions {
  backend?: BackendOption;
  /** Attach the VSS-related events logged during a failed call to its VssError as `events` (default `true`). */
  correlateEvents?: boolean;
}

// Windows stamps events when VSS logs them, which can trail the failing call by a
// moment, and the writer's own events can come first: look a little either side.
const SLACK_BEFORE_MS = 1000;
const SLACK_AFTER_MS = 2000;

// Errors that mean this Windows has no working VSS (Wine's stub vssapi.dll, a stripped
// system): nothing logged events, and Wine's wevtapi.dll aborts the process on
// EvtCreateRenderContext (an unimplemented stub), so no query is made.
const NO_VSS = new Set(['E_NOTIMPL', 'ERROR_MOD_NOT_FOUND', 'ERROR_PROC_NOT_FOUND']);

/** Returns `error` with `events` filled in when it is a VssError and correlation is on. */
export async function withCorrelatedEvents(error: unknown, options: CorrelationOptions | undefined, startedMs: number): Promise<unknown> {
  if (!(error instanceof VssError) || options?.correlateEvents === false || error.events.length > 0 || NO_VSS.has(error.code)) return error;
  try {
    const events = await readVssEvents({
      backend: options?.backend,
      since: new Date(startedMs - SLACK_BEFORE_MS),
      until: new Date(Date.now() + SLACK_AFTER_MS),
      levels: ['critical', 'error', 'warning'],
      max: 50,
    });
    error.events.push(...events);
  } catch (queryError) {
    // The call's own error matters more than why its events could not be read.
    debug('correlating events failed: %s', (queryError as Error).message);
  }
  return error;
}

/** Checks the `correlateEvents` option. */
export function checkCorrelateOption(value: unknown): void {
  if (value !== undefined) checkBoolean(value, 'options.correlateEvents');
}
