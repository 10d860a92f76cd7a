/**
 * Writer selection for a backup (`createSnapshotSet`'s `writers: { include }` or
 * `{ exclude }`, `vss create --exclude-writer`).
 *
 * `EnableWriterClasses`, `DisableWriterClasses` and `DisableWriterInstances` must reach the
 * backup's `IVssBackupComponents` before its `GatherWriterMetadata`: called after it they
 * have no effect, and a requester that needs the writers' names to decide must ask a
 * different `IVssBackupComponents` (the Remarks of each method's page). So the names are
 * resolved here from a session of their own, and the backup's session is told before it
 * gathers anything. Names, class ids and instance ids are accepted, as VShadow's `-wx`
 * and `-wi` take them (select.cpp).
 * @internal
 */
import type { BackendOption } from './backend.js';
import { debug } from './log.js';
import { BackupSession } from './session.js';
import type { WriterStatus } from './types.js';
import { checkOneForm, invalidArgValue } from './validate.js';

/** The writers a backup includes or excludes, by name, class id or instance id. */
export type WriterChoice = { include: string[] } | { exclude: string[] };

/**
 * Checks `options.writers` of createSnapshotSet and planBackup: `'all'` (the default), `'none'`,
 * `{ include }` or `{ exclude }` with non-empty names. Both lists, or a misspelt key, are refused
 * here: either would otherwise choose writers other than those asked for.
 */
export function checkWriterSelection(selection: unknown): 'all' | 'none' | WriterChoice {
  if (selection === undefined || selection === 'all' || selection === 'none') return selection ?? 'all';
  if (selection && typeof selection === 'object' && !Array.isArray(selection)) {
    const s = selection as Record<string, unknown>;
    const key = checkOneForm(s, 'options.writers', { include: [], exclude: [] });
    if (key !== undefined && Array.isArray(s[key]) && (s[key] as unknown[]).every((w) => typeof w === 'string' && w.length > 0))
      return selection as WriterChoice;
  }
  throw invalidArgValue('options.writers', selection, "'all', 'none', { include: [names or ids] } or { exclude: [names or ids] }");
}

/** What the backup's session is told: classes enabled or disabled, instances disabled. */
export interface WriterSelectionCalls {
  enableClasses: string[];
  disableClasses: string[];
  disableInstances: string[];
}

/** The writers on the machine, asked through a components object of their own (status includes writers failing Identify). */
async function writersOnMachine(backend: BackendOption | undefined, signal: AbortSignal | undefined): Promise<WriterStatus[]> {
  const probe = await BackupSession.create({ backend, signal });
  try {
    await probe.initializeForBackup();
    await probe.gatherWriterMetadata({ signal });
    await probe.gatherWriterStatus({ signal });
    return await probe.getWriterStatus();
  } finally {
    await probe.release();
  }
}

/** The writer instances an entry names; an entry naming none is a TypeError. */
function matching(entry: string, index: number, argument: string, writers: WriterStatus[]): WriterStatus[] {
  const key = entry.toLowerCase().replace(/[{}]/g, '');
  const found = writers.filter((w) => w.name.toLowerCase() === key || w.writerId === key || w.instanceId === key);
  if (found.length === 0)
    throw invalidArgValue(
      `${argument}[${index}]`,
      entry,
      `the name, class id or instance id of a writer on this machine (${[...new Set(writers.map((w) => w.name))].join(', ')})`,
    );
  return found;
}

/**
 * The calls that select `choice` among `writers`. A class is named when every instance
 * of it is chosen; otherwise only the chosen instances are (Exchange's writer and its
 * replica writer share one class id).
 */
export function selectionCalls(choice: WriterChoice, writers: WriterStatus[], argument: string): WriterSelectionCalls {
  const include = 'include' in choice;
  const chosen = new Set<WriterStatus>();
  (include ? choice.include : choice.exclude).forEach((entry, i) => matching(entry, i, argument, writers).forEach((w) => chosen.add(w)));
  const classes = [...new Set([...chosen].map((w) => w.writerId))];
  const calls: WriterSelectionCalls = { enableClasses: [], disableClasses: [], disableInstances: [] };
  for (const writerId of classes) {
    const instances = writers.filter((w) => w.writerId === writerId);
    const whole = instances.every((w) => chosen.has(w));
    if (include) {
      calls.enableClasses.push(writerId);
      if (!whole) calls.disableInstances.push(...instances.filter((w) => !chosen.has(w)).map((w) => w.instanceId));
    } else if (whole) calls.disableClasses.push(writerId);
    else calls.disableInstances.push(...instances.filter((w) => chosen.has(w)).map((w) => w.instanceId));
  }
  return calls;
}

/**
 * Tells `session` (initialized for backup, writer metadata not yet gathered) which writers
 * take part, resolving `choice` on a separate session first.
 */
export async function selectWriters(
  session: BackupSession,
  choice: WriterChoice,
  argument: string,
  backend: BackendOption | undefined,
  signal: AbortSignal | undefined,
): Promise<WriterStatus[]> {
  // EnableWriterClasses with no class would leave every writer enabled: the opposite of the request.
  if ('include' in choice && choice.include.length === 0)
    throw invalidArgValue(argument, choice.include, "at least one writer (writers: 'none' takes part with none)");
  const writers = await writersOnMachine(backend, signal);
  const calls = selectionCalls(choice, writers, argument);
  debug('writer selection before GatherWriterMetadata: %j', calls);
  if (calls.enableClasses.length > 0) await session.enableWriterClasses(calls.enableClasses);
  if (calls.disableClasses.length > 0) await session.disableWriterClasses(calls.disableClasses);
  if (calls.disableInstances.length > 0) await session.disableWriterInstances(calls.disableInstances);
  return writers;
}
