/**
 * Orphaned snapshot sets: sets in the leak journal whose creating process is gone (or whose
 * process id now belongs to a later process) and that were not marked kept.
 * @module
 */
import type { BackendOption } from './backend.js';
import { VssError } from './errors.js';
import { checkJournalOption, forget, journalPath, machineKey, processGone, readEntries, type JournalEntry } from './journal.js';
import { deleteShadowCopies, listShadowCopies } from './snapshots.js';
import { checkBoolean, checkOptionsObject, checkSignal, invalidArgValue, optionKeys } from './validate.js';

/** A journaled set whose process is gone. */
export interface Orphan extends JournalEntry {
  /** `'process-gone'`: no process has its id; `'pid-reused'`: a later process has it. */
  why: 'process-gone' | 'pid-reused';
  /** Its shadow copies still on the machine (empty: already deleted by other means). */
  present: string[];
}

/** Options of {@link findOrphans} and {@link cleanupOrphans}: the journal to read and the backend. */
export interface OrphanOptions {
  backend?: BackendOption;
  signal?: AbortSignal;
  /** The journal file (default: `VSS_NAPI_JOURNAL`, else the per-user state folder). */
  journal?: string;
}

/** What {@link cleanupOrphans} did (or, with `dryRun`, would do). */
export interface CleanupResult {
  dryRun: boolean;
  /** The journal read. */
  journal: string;
  orphans: Orphan[];
  /** Sets deleted, with the number of shadow copies each had left. */
  deleted: { setId: string; deletedCount: number }[];
  /** Entries struck off whose shadow copies were already gone. */
  forgotten: string[];
}

function machineOf(options: OrphanOptions): string {
  const machine = machineKey(options.backend);
  if (machine === null)
    throw invalidArgValue('options.backend', options.backend, "a machine that outlives the process (real VSS, or a simulator with a stateFile): an in-memory simulator's sets go with it and are never journaled");
  return machine;
}

const ORPHAN_OPTION_KEYS = optionKeys<OrphanOptions>()({ backend: true, signal: true, journal: true });

/**
 * The snapshot sets this library made, on the backend's machine, whose creating process is
 * gone and that were not kept (`keep: true`). Reads the journal and lists the shadow copies.
 * @example
 * // The machine's sets outlive the process: real VSS, or a simulator kept in a state file.
 * const sim = createSimulator('windows-server-2022', { stateFile: 'machine.json' });
 * for (const o of await findOrphans({ backend: sim })) console.log(o.setId, o.pid, o.why, o.present.length);
 */
export async function findOrphans(options: OrphanOptions = {}): Promise<Orphan[]> {
  checkOptionsObject(options as unknown, 'options', ORPHAN_OPTION_KEYS);
  checkSignal(options.signal, 'options.signal');
  checkJournalOption(options.journal);
  const machine = machineOf(options);
  const path = journalPath(options.journal);
  const candidates = readEntries(path)
    .filter((e) => e.machine === machine && !e.keep)
    .map((e) => ({ entry: e, state: processGone(e.pid, e.processStart) }))
    .filter((c) => c.state !== 'alive');
  if (candidates.length === 0) return [];
  const present = new Set((await listShadowCopies({ backend: options.backend, signal: options.signal })).map((c) => c.snapshotId));
  return candidates.map(({ entry, state }) => ({
    ...entry,
    why: state === 'reused' ? 'pid-reused' : 'process-gone',
    present: entry.shadowIds.filter((id) => present.has(id)),
  }));
}

/**
 * Deletes the orphaned sets ({@link findOrphans}) and strikes them off the journal; with
 * `dryRun: true` only says what it would delete.
 * @example
 * const sim = createSimulator('windows-server-2022', { stateFile: 'machine.json' });
 * const { orphans } = await cleanupOrphans({ backend: sim, dryRun: true }); // what it would delete
 * const { deleted } = await cleanupOrphans({ backend: sim });
 */
export async function cleanupOrphans(options: OrphanOptions & { dryRun?: boolean } = {}): Promise<CleanupResult> {
  checkOptionsObject(options as unknown, 'options', [...ORPHAN_OPTION_KEYS, 'dryRun']);
  if (options.dryRun !== undefined) checkBoolean(options.dryRun, 'options.dryRun');
  const { dryRun: _dryRun, ...findOptions } = options;
  const orphans = await findOrphans(findOptions);
  const path = journalPath(options.journal);
  const result: CleanupResult = { dryRun: options.dryRun ?? false, journal: path, orphans, deleted: [], forgotten: [] };
  if (result.dryRun) return result;
  const machine = machineOf(options);
  for (const orphan of orphans) {
    if (orphan.present.length === 0) {
      result.forgotten.push(orphan.setId);
    } else {
      try {
        const { deletedCount } = await deleteShadowCopies({ setId: orphan.setId }, { backend: options.backend, signal: options.signal, journal: path });
        result.deleted.push({ setId: orphan.setId, deletedCount });
      } catch (error) {
        // Another cleanup deleted it meanwhile: it is gone either way.
        if (!(error instanceof VssError && error.code === 'VSS_E_OBJECT_NOT_FOUND')) throw error;
        result.forgotten.push(orphan.setId);
      }
    }
    forget(path, machine, { setIds: [orphan.setId] });
  }
  return result;
}
