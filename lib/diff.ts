/**
 * Comparing writer status between two steps of a backup.
 * @module
 */
import type { HresultInfo, WriterStatus } from './types.js';
import { invalidArgType } from './validate.js';

/** How one writer instance changed between two `getWriterStatus()` results. */
export interface WriterStatusChange {
  name: string;
  writerId: string;
  instanceId: string;
  /** `'changed'`, `'appeared'` (only in `after`) or `'disappeared'` (only in `before`). */
  kind: 'changed' | 'appeared' | 'disappeared';
  before: { state: WriterStatus['state']; lastError: HresultInfo | null; applicationError: HresultInfo | null; failureMessage: string | null } | null;
  after: { state: WriterStatus['state']; lastError: HresultInfo | null; applicationError: HresultInfo | null; failureMessage: string | null } | null;
}

function snapshot(w: WriterStatus) {
  return { state: w.state, lastError: w.lastError, applicationError: w.applicationError ?? null, failureMessage: w.failureMessage };
}

/** Each entry must look like a WriterStatus: an `[{}]` would match nothing and report no change. */
function checkStatuses(list: unknown, name: string): asserts list is WriterStatus[] {
  if (!Array.isArray(list)) throw invalidArgType(name, list, 'an array of WriterStatus');
  list.forEach((w: unknown, i) => {
    const s = w as Partial<WriterStatus> | null;
    if (!s || typeof s !== 'object' || typeof s.instanceId !== 'string' || typeof s.writerId !== 'string' || typeof s.name !== 'string' || typeof s.state !== 'string')
      throw invalidArgType(`${name}[${i}]`, w, 'a WriterStatus (with name, writerId, instanceId and state)');
  });
}

/**
 * The writers whose state, last error, application error or failure message differ between two
 * status results (matched by instance id), plus writers that appeared or disappeared.
 *
 * @example
 * const before = await session.getWriterStatus();
 * await session.doSnapshotSet();
 * await session.gatherWriterStatus();
 * for (const c of diffWriterStatus(before, await session.getWriterStatus())) console.log(c.name, c.before?.state, '->', c.after?.state);
 */
export function diffWriterStatus(before: WriterStatus[], after: WriterStatus[]): WriterStatusChange[] {
  checkStatuses(before, 'before');
  checkStatuses(after, 'after');
  const earlier = new Map(before.map((w) => [w.instanceId, w]));
  const later = new Map(after.map((w) => [w.instanceId, w]));
  const changes: WriterStatusChange[] = [];
  for (const [id, w] of earlier) {
    const next = later.get(id);
    if (!next) {
      changes.push({ name: w.name, writerId: w.writerId, instanceId: id, kind: 'disappeared', before: snapshot(w), after: null });
      continue;
    }
    if (
      w.state !== next.state ||
      (w.lastError?.hresult ?? 0) !== (next.lastError?.hresult ?? 0) ||
      (w.applicationError?.hresult ?? 0) !== (next.applicationError?.hresult ?? 0) ||
      w.failureMessage !== next.failureMessage
    )
      changes.push({ name: w.name, writerId: w.writerId, instanceId: id, kind: 'changed', before: snapshot(w), after: snapshot(next) });
  }
  for (const [id, w] of later)
    if (!earlier.has(id)) changes.push({ name: w.name, writerId: w.writerId, instanceId: id, kind: 'appeared', before: null, after: snapshot(w) });
  return changes;
}
