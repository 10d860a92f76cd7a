/**
 * The leak journal: every persistent or exposed snapshot set this library creates is written
 * down (set id, shadow copy ids, the creating process's id and start time, when, exposures)
 * before the snapshot is taken, and struck off when the set is deleted. A process that dies
 * between the two (killed, crashed, power cut) leaves an entry whose process is gone:
 * {@link findOrphans} lists those sets and {@link cleanupOrphans} deletes them.
 *
 * The file is rewritten whole under a lock (a `.lock` file created exclusively; a lock whose
 * holder is gone is taken over) through a temporary file renamed over it, so a crash at any
 * point leaves either the old journal or the new one, never half of one.
 * @module
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

import { simulatorOf, type BackendOption } from './backend.js';
import { VssJournalError } from './errors.js';
import { debug } from './log.js';
import { loadAddon } from './native.js';
import { invalidArgType, invalidArgValue } from './validate.js';

/** One snapshot set the library made that outlives its session. */
export interface JournalEntry {
  setId: string;
  shadowIds: string[];
  /** The machine: `'native'` (this computer's VSS) or `'simulator:<state file>'`. */
  machine: string;
  /** The creating process. */
  pid: number;
  /** When that process started (opaque; tells it from a later process that reused the id); `null` where unknown. */
  processStart: string | null;
  /** When the entry was written (ISO 8601), just before the snapshot. */
  createdAt: string;
  /** Shadow copies of the set exposed by this library, and where. */
  exposures: { snapshotId: string; name: string }[];
  /** Kept on purpose: never an orphan. */
  keep: boolean;
}

interface JournalFile {
  version: 1;
  entries: JournalEntry[];
}

/** Where the journal is: `option`, else `VSS_NAPI_JOURNAL`, else the per-user state folder. */
export function journalPath(option?: string): string {
  if (option !== undefined) {
    if (typeof option !== 'string' || option === '' || option.includes('\0')) throw invalidArgValue('options.journal', option, 'a file path (or false)');
    return resolve(option);
  }
  const fromEnv = process.env.VSS_NAPI_JOURNAL;
  if (fromEnv) return resolve(fromEnv);
  if (process.platform === 'win32') return join(process.env.LOCALAPPDATA || join(homedir(), 'AppData', 'Local'), 'vss-napi', 'journal.json');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'vss-napi', 'journal.json');
  return join(process.env.XDG_STATE_HOME || join(homedir(), '.local', 'state'), 'vss-napi', 'journal.json');
}

/** Checks a `journal` option: a path, `false` (no journal) or absent. */
export function checkJournalOption(option: unknown, name = 'options.journal'): void {
  if (option === undefined || option === false) return;
  if (typeof option !== 'string' || option === '' || option.includes('\0')) throw invalidArgType(name, option, 'a file path or false');
}

/**
 * The journal's name for the machine a backend reaches; `null` for one that does not outlive
 * the process (an in-memory simulator), whose sets need no journal.
 */
export function machineKey(backend: BackendOption | undefined): string | null {
  const simulator = simulatorOf(backend);
  if (simulator) return simulator.stateFile ? `simulator:${simulator.stateFile}` : null;
  return 'native';
}

/** When a process started, or `null` (gone, or unknown here). */
export function processStartTime(pid: number): string | null {
  try {
    return loadAddon().processStartTime(pid);
  } catch {
    return null;
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether the process an entry names is still the one that wrote it. */
export function processGone(pid: number, start: string | null): 'alive' | 'gone' | 'reused' {
  if (!processAlive(pid)) return 'gone';
  if (start === null) return 'alive';
  const now = processStartTime(pid);
  return now !== null && now !== start ? 'reused' : 'alive';
}

const LOCK_WAIT_MS = 10_000;
const STALE_EMPTY_LOCK_MS = 2_000;

/** When a lock file was written (ms since the epoch); now when it is gone. */
function lockAge(lock: string): number {
  try {
    return statSync(lock).mtimeMs;
  } catch {
    return Date.now();
  }
}
const pause = new Int32Array(new SharedArrayBuffer(4));

/** Runs `body` holding the journal's lock (other processes wait; a dead holder's lock is taken over). */
function withLock<T>(path: string, body: () => T): T {
  mkdirSync(dirname(path), { recursive: true });
  const lock = `${path}.lock`;
  const me = `${process.pid} ${processStartTime(process.pid) ?? ''}`;
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      const fd = openSync(lock, 'wx');
      writeSync(fd, me);
      closeSync(fd);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      let holder = '';
      try {
        holder = readFileSync(lock, 'utf8');
      } catch {
        continue; // released meanwhile
      }
      const [pid, start] = holder.split(' ');
      // A lock written by a process that is gone (killed while holding it) is stale. A lock file
      // still empty was just created (its writer is about to fill it), unless it is old: its writer
      // was killed between creating and writing it.
      const emptyAndOld = holder === '' && Date.now() - lockAge(lock) > STALE_EMPTY_LOCK_MS;
      if (emptyAndOld || (holder !== '' && processGone(Number(pid), start || null) !== 'alive')) {
        debug('journal: taking over the stale lock of process %s', pid);
        rmSync(lock, { force: true });
        continue;
      }
      if (Date.now() > deadline) throw new VssJournalError(path, `The leak journal ${path} stayed locked by process ${pid} for ${LOCK_WAIT_MS / 1000} s`);
      Atomics.wait(pause, 0, 0, 20);
    }
  }
  try {
    return body();
  } finally {
    rmSync(lock, { force: true });
  }
}

function readJournal(path: string): JournalFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, entries: [] };
    throw error;
  }
  let parsed: JournalFile;
  try {
    parsed = JSON.parse(text) as JournalFile;
  } catch (error) {
    // A damaged file (cold8 F22): say which, and what to do, rather than a bare SyntaxError.
    throw new VssJournalError(path, `The leak journal ${path} is damaged (${(error as Error).message}): ${DAMAGED_REMEDY}`, { cause: error });
  }
  if (parsed?.version !== 1 || !Array.isArray(parsed.entries)) throw new VssJournalError(path, `The leak journal ${path} is not a vss-napi journal (version 1): ${DAMAGED_REMEDY}`);
  return parsed;
}

const DAMAGED_REMEDY = "move it away (its shadow copies stay: 'vss list' shows them) or name another journal with VSS_NAPI_JOURNAL";

/** Writes the journal through a temporary file renamed over it (a crash leaves the old one or the new one). */
function writeJournal(path: string, journal: JournalFile): void {
  if (journal.entries.length === 0) {
    rmSync(path, { force: true });
    return;
  }
  const temp = `${path}.${process.pid}.tmp`;
  const fd = openSync(temp, 'w');
  try {
    writeSync(fd, `${JSON.stringify(journal, null, 2)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, path);
}

/** Reads, changes and writes the journal under its lock. */
function update(path: string, change: (entries: JournalEntry[]) => JournalEntry[]): void {
  withLock(path, () => {
    const journal = readJournal(path);
    writeJournal(path, { version: 1, entries: change(journal.entries) });
  });
}

/** The journal's entries (read without the lock: the file is always whole). */
export function readEntries(path: string): JournalEntry[] {
  return readJournal(path).entries;
}

/** Records a set about to be made (before DoSnapshotSet, so a crash during it is recorded too). */
export function recordSet(path: string, entry: Omit<JournalEntry, 'pid' | 'processStart' | 'createdAt' | 'exposures' | 'keep'>): void {
  update(path, (entries) => [
    ...entries.filter((e) => e.setId !== entry.setId),
    { ...entry, pid: process.pid, processStart: processStartTime(process.pid), createdAt: new Date().toISOString(), exposures: [], keep: false },
  ]);
}

/** Marks a set kept (it will never be an orphan). */
export function keepSet(path: string, setId: string): void {
  update(path, (entries) => entries.map((e) => (e.setId === setId ? { ...e, keep: true } : e)));
}

/** Strikes off sets, or shadow copies of sets (an entry left with none goes). */
export function forget(path: string, machine: string, what: { setIds?: string[]; shadowIds?: string[] }): void {
  const sets = new Set((what.setIds ?? []).map((s) => s.toLowerCase()));
  const shadows = new Set((what.shadowIds ?? []).map((s) => s.toLowerCase()));
  update(path, (entries) =>
    entries
      .map((e) => (e.machine !== machine ? e : sets.has(e.setId) ? null : { ...e, shadowIds: e.shadowIds.filter((id) => !shadows.has(id)), exposures: e.exposures.filter((x) => !shadows.has(x.snapshotId)) }))
      .filter((e): e is JournalEntry => e !== null && (e.machine !== machine || e.shadowIds.length > 0)),
  );
}

/** Notes an exposure (or its end, with `name: null`) of a shadow copy of a journaled set. */
export function noteExposure(path: string, machine: string, snapshotId: string, name: string | null): void {
  update(path, (entries) =>
    entries.map((e) =>
      e.machine !== machine || !e.shadowIds.includes(snapshotId)
        ? e
        : { ...e, exposures: [...e.exposures.filter((x) => x.snapshotId !== snapshotId), ...(name === null ? [] : [{ snapshotId, name }])] },
    ),
  );
}

/** Runs a journal write, turning its failure into one that says what it was for. */
export function journalled<T>(path: string, what: string, body: () => T): T {
  try {
    return body();
  } catch (error) {
    if (error instanceof VssJournalError) throw new VssJournalError(path, `Could not ${what}: ${error.message}`, { cause: error });
    throw new VssJournalError(path, `Could not ${what} in the leak journal ${path}: ${(error as Error).message} (set VSS_NAPI_JOURNAL to use another; the API also takes journal: false)`, { cause: error });
  }
}
