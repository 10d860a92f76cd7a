/**
 * One machine's VSS health for monitoring: writer states, the recent VSS-related
 * error events, and shadow storage pressure, rendered as a Nagios/Icinga plugin
 * result or as Prometheus text for windows_exporter's textfile collector.
 * @module
 */
import { type BackendOption, checkBackend } from './backend.js';
import { VssError, VssWriterError } from './errors.js';
import { readVssEvents, windowStart, type VssEvent } from './events.js';
import { hostingServiceOf, writerServiceAdvice } from './services.js';
import { BackupSession } from './session.js';
import { listShadowStorage, volumePathNames, volumeProtection } from './snapshots.js';
import type { VolumeProtection, WriterStatus } from './types.js';
import { checkOptionsObject, checkSignal, invalidArgType, invalidArgValue, optionKeys, outOfRange } from './validate.js';
import { getWriterMetadata, listWriters } from './writers.js';

/** The verdict of a health check, as a Nagios/Icinga plugin reports it; the number is its exit code. */
export type HealthStatus =
  /** `0`: every writer stable, no recent VSS error, shadow storage below its thresholds */
  | 'OK'
  /**
   * `1`: something to look at: a stable writer with a last error, a busy writer, another requester's
   * snapshot set in progress, recent error or critical events, storage above the warning threshold,
   * shadow storage only an offline volume uses, a protection level that could not be read.
   * Warning-level events are read (they are in `events`) but change no verdict.
   */
  | 'WARNING'
  /**
   * `2`: a failed or missing writer, no writers at all, a probe that could not run, storage above the
   * critical threshold, a volume a protection fault took offline. Events alone never make it CRITICAL.
   */
  | 'CRITICAL'
  /** `3`: the check itself could not run (bad usage, VSS unreachable) */
  | 'UNKNOWN';

/** Nagios plugin exit codes (Monitoring Plugins development guidelines). */
export const HealthExitCodes: Record<HealthStatus, number> = { OK: 0, WARNING: 1, CRITICAL: 2, UNKNOWN: 3 };

/** Options of {@link checkHealth}: what to ignore or expect, the event window, the probe and the storage thresholds. */
export interface HealthOptions {
  backend?: BackendOption;
  /** The event window: a Date or a duration back from now such as `'24h'` (default `'24h'`). */
  since?: Date | string;
  /** Writers (names or class ids) left out of the verdict. */
  ignore?: string[];
  /** Writers (names or class ids) that must be present: a missing one is CRITICAL. */
  expect?: string[];
  /**
   * A second identify pass, in a session of its own. Every check already asks every writer to identify
   * itself: listing the writers calls GatherWriterMetadata (the Identify event) before GatherWriterStatus,
   * as vssadmin list writers does. GatherWriterMetadata may be called once per IVssBackupComponents
   * object (Microsoft's GatherWriterMetadata page), hence the separate session. A writer that fails
   * either pass is failed: the probe catches a writer that fails to identify only some of the time.
   */
  probe?: boolean;
  /** Shadow storage used, in percent of its maximum, above which the check warns (default 80) and is critical (default 95). */
  storageWarningPercent?: number;
  storageCriticalPercent?: number;
  signal?: AbortSignal;
}

/** One thing a health check found wrong, with how bad it is and what to do about it. */
export interface HealthProblem {
  status: 'WARNING' | 'CRITICAL';
  kind: 'writer-failed' | 'writer-last-error' | 'writer-busy' | 'writer-missing' | 'no-writers' | 'probe-failed'
    | 'set-in-progress' | 'events' | 'storage' | 'protection-fault';
  message: string;
  remedy: string | null;
  /** The writer instances (`WriterStatus.instanceId`) a writer problem is about; absent for the other kinds. */
  instanceIds?: string[];
}

/** How full one shadow storage association is, as the health check measures it. */
export interface StorageUse {
  volume: string;
  diffAreaVolume: string;
  usedBytes: bigint;
  /** `null`: no maximum. */
  maximumBytes: bigint | null;
  /** `null` without a maximum. */
  usedPercent: number | null;
}

/** The shadow copy protection of a volume that has shadow storage (`GetVolumeProtectLevel`), as the health check reads it. */
export interface ProtectionState {
  volume: string;
  level: VolumeProtection['level'];
  /** A protection fault took the volume offline (level `snapshot`): all I/O to it fails until the fault is cleared. */
  offline: boolean;
  fault: VolumeProtection['fault'];
  failureStatus: number;
  /** The volume holds shadow storage that only an offline volume's copies use (`DeleteUnusedDiffAreas` frees it). */
  hasUnusedDiffArea: boolean;
}

/**
 * What the identify probe (`probe: true`, `vss health --probe`) found: a GatherWriterMetadata pass
 * in a session of its own, then release.
 */
export interface HealthProbe {
  /**
   * `'passed'`: every writer checked gave its metadata; `'writers-failed'`: one or more failed when
   * asked to identify themselves (`failedWriters`); `'no-writers'`: none answered, so nothing was
   * probed (not a pass); `'failed'`: the probe itself could not run (`error`).
   */
  outcome: 'passed' | 'writers-failed' | 'no-writers' | 'failed';
  /** How many writers gave their metadata; `null` when the probe could not run. */
  identified: number | null;
  /** The writers (not ignored) that failed to identify themselves. */
  failedWriters: string[];
  /** Why the probe could not run (`outcome` `'failed'`), else `null`. */
  error: { code: string; message: string } | null;
}

/** What {@link checkHealth} answers: the verdict, its exit code, a one-line summary, the problems and the figures behind them. */
export interface HealthReport {
  status: HealthStatus;
  /** The Monitoring Plugins exit code of `status` (0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN): what `vss health --nagios` exits with. */
  exitCode: number;
  /** One line, as a Nagios plugin's first line without the performance data. */
  summary: string;
  problems: HealthProblem[];
  writers: WriterStatus[];
  /** The writers checked (without the ignored ones). */
  checkedWriters: number;
  /** The names of the writers on the machine that `ignore` left out. */
  ignoredWriters: string[];
  /** Critical, error and warning events of the event window, all of them (only critical and error ones count in the verdict), without those of ignored writers. */
  events: VssEvent[];
  /** Events of the window left out because they name an ignored writer (`ignore`): counted nowhere else. */
  ignoredEvents: number;
  /** The identify probe's outcome; `null` without `probe: true`. */
  probe: HealthProbe | null;
  storage: StorageUse[];
  /** The protection state of each volume with shadow storage (either end of an association). */
  protection: ProtectionState[];
  /** In-box writers (System, Registry, COM+ REGDB) that are not on the machine. */
  missingInBoxWriters: string[];
  /**
   * Entries of `ignore` that name no writer on the machine nor an in-box writer: a misspelt name
   * ignores nothing. Not an error, since one monitoring configuration serves machines with and
   * without a writer; `vss health` warns on stderr for each.
   */
  unmatchedIgnore: string[];
  /** Whether another requester is creating a snapshot set (a backup started now would fail). */
  snapshotSetInProgress: boolean;
  since: Date;
  checkedAt: Date;
}

function matchesWriter(w: WriterStatus, key: string): boolean {
  const k = key.toLowerCase().replace(/[{}]/g, '');
  return w.name.toLowerCase() === k || w.writerId === k || w.instanceId === k;
}

/** Whether an ignore/expect entry names this in-box writer: by name (any case) or class id, braced as vssadmin prints it or not (cold10 F8). */
function namesInBox(key: string, w: { name: string; writerId: string }): boolean {
  const k = key.toLowerCase().replace(/[{}]/g, '');
  return k === w.name.toLowerCase() || k === w.writerId;
}

function stringList(value: unknown, name: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw invalidArgType(name, value, 'an array of writer names or class ids');
  // An empty entry names no writer: said as such, not as "Received an array" (cold8 F21).
  const empty = value.findIndex((v) => (v as string).trim() === '');
  if (empty >= 0) throw invalidArgValue(`${name}[${empty}]`, value[empty], 'a writer name or class id, not empty');
  return value as string[];
}

function percentOption(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw invalidArgType(name, value, 'a number');
  if (value <= 0 || value > 100) throw outOfRange(name, value, 'above 0 and at most 100');
  return value;
}

/** A writer with its state and vssadmin's number for it: `System Writer ([7] failed-at-prepare-backup, ...)`. */
function describeWriter(w: WriterStatus, all: WriterStatus[]): string {
  return `${writerName(w, all)} ([${w.stateCode}] ${w.state}${w.lastError ? `, ${w.lastError.name}` : ''})`;
}

/**
 * A writer's name, with its instance where another instance of its class is on the machine (writers
 * sharing a class id are instances told apart by instance id, cold10 F4): `Ledger Writer, instance LEDGER:Archive`.
 * @internal
 */
export function writerName(w: WriterStatus, all: WriterStatus[]): string {
  if (!all.some((o) => o.instanceId !== w.instanceId && o.writerId === w.writerId)) return w.name;
  return `${w.name}, instance ${w.instanceName || `{${w.instanceId}}`}`;
}

/**
 * Writers every Windows since XP and Server 2003 has; one missing means a broken VSS
 * (the System Writer is hosted by Cryptographic Services, for instance).
 */
export const IN_BOX_WRITERS: readonly { name: string; writerId: string }[] = [
  { name: 'System Writer', writerId: 'e8132975-6f93-4464-a53e-1050253ae220' },
  { name: 'Registry Writer', writerId: 'afbab4a2-367d-4d15-a586-71dbb18f8485' },
  { name: 'COM+ REGDB Writer', writerId: '542da469-d3e1-473c-9f4f-7847f01fc64f' },
];

/**
 * Whether another requester is creating a snapshot set: a backup started now would fail with
 * VSS_E_SNAPSHOT_SET_IN_PROGRESS (VSS allows one at a time). Asked the only way VSS answers it:
 * StartSnapshotSet in a no-writer context, then release (nothing is created).
 */
async function snapshotSetInProgress(backend: BackendOption | undefined, signal: AbortSignal | undefined): Promise<boolean> {
  const probe = await BackupSession.create({ backend, signal });
  try {
    await probe.initializeForBackup();
    await probe.setContext('file-share-backup');
    await probe.startSnapshotSet();
    return false;
  } catch (error) {
    if (error instanceof VssError && error.code === 'VSS_E_SNAPSHOT_SET_IN_PROGRESS') return true;
    throw error;
  } finally {
    await probe.release();
  }
}

const HEALTH_OPTION_KEYS = optionKeys<HealthOptions>()({ backend: true, since: true, ignore: true, expect: true, probe: true, storageWarningPercent: true, storageCriticalPercent: true, signal: true });

/**
 * Checks this machine's VSS health.
 * @example
 * const report = await checkHealth({ since: '24h', expect: ['SqlServerWriter'] });
 * if (report.status !== 'OK') console.log(report.summary);
 */
export async function checkHealth(options: HealthOptions = {}): Promise<HealthReport> {
  checkOptionsObject(options as unknown, 'options', HEALTH_OPTION_KEYS);
  if (options.backend !== undefined) checkBackend(options.backend, 'options.backend');
  checkSignal(options.signal, 'options.signal');
  const ignore = stringList(options.ignore, 'options.ignore');
  const expected = stringList(options.expect, 'options.expect');
  // A writer both expected and ignored is a contradiction, not a choice to make silently (cold10 F9).
  const both = (key: string) => ignore.some((i) => i.toLowerCase().replace(/[{}]/g, '') === key.toLowerCase().replace(/[{}]/g, '') || IN_BOX_WRITERS.some((w) => namesInBox(i, w) && namesInBox(key, w)));
  const contradiction = expected.findIndex(both);
  if (contradiction >= 0) throw invalidArgValue(`options.expect[${contradiction}]`, expected[contradiction], 'a writer that "options.ignore" does not also name');
  if (options.probe !== undefined && typeof options.probe !== 'boolean') throw invalidArgType('options.probe', options.probe, 'of type boolean');
  const warnAt = percentOption(options.storageWarningPercent, 'options.storageWarningPercent', 80);
  const critAt = percentOption(options.storageCriticalPercent, 'options.storageCriticalPercent', 95);
  if (warnAt > critAt) throw outOfRange('options.storageWarningPercent', warnAt, `at most options.storageCriticalPercent (${critAt})`);
  const { backend, signal } = options;
  const since = options.since ?? '24h';
  // Checked as readVssEvents checks it (a future or absurd since is ERR_OUT_OF_RANGE, cold10 F11/F19),
  // before any VSS call so bad input fails fast; the report's window starts there. No max: the
  // counts are of every event of the window (a cap of 1000 was said nowhere, cold10 F7); the Event
  // Log API reads the whole window before any max would trim it anyway (native/com/event_log.cpp).
  const sinceTime = windowStart(since);
  const eventsQuery = { backend, since: sinceTime, levels: ['critical', 'error', 'warning'] as Array<'critical' | 'error' | 'warning'>, signal };

  const problems: HealthProblem[] = [];
  let probe: HealthProbe | null = null;
  // Writers the probe saw fail to identify: failed, whatever their state when listed after (cold10 F5); null: every one identified (or no probe).
  let probeFailures: WriterStatus[] | null = null;
  if (options.probe) {
    try {
      const metadata = await getWriterMetadata({ backend, signal, correlateEvents: false });
      probe = { outcome: metadata.length > 0 ? 'passed' : 'no-writers', identified: metadata.length, failedWriters: [], error: null };
    } catch (error) {
      if (!(error instanceof VssError)) throw error;
      // A writer that failed to identify is not the probe failing: the writers' check below names it,
      // failed even when its next identify (listWriters') succeeds and leaves it stable (cold10 F5).
      if (error instanceof VssWriterError && error.operation === 'GatherWriterMetadata') probeFailures = error.writers;
      else {
        probe = { outcome: 'failed', identified: null, failedWriters: [], error: { code: error.code, message: error.message.split('\n')[0]! } };
        problems.push({ status: 'CRITICAL', kind: 'probe-failed', message: `identify probe failed: ${error.code}`, remedy: error.remedy ?? null });
      }
    }
  }
  const [writers, areas] = await Promise.all([listWriters({ backend, signal, correlateEvents: false }), listShadowStorage({ backend, signal })]);
  // Read after the writers' pass, not beside it: a writer that fails when this check asks it to
  // identify logs VSS 8229 then, and a query racing the pass counted that event only sometimes.
  const allEvents = await readVssEvents(eventsQuery);
  const setInProgress = await snapshotSetInProgress(backend, signal);
  if (setInProgress)
    problems.push({
      status: 'WARNING',
      kind: 'set-in-progress',
      message: 'another requester is creating a snapshot set',
      remedy: "A backup started now fails with VSS_E_SNAPSHOT_SET_IN_PROGRESS: wait, or retry (createSnapshotSet's retry option, vss create --retry).",
    });

  const checked = writers.filter((w) => !ignore.some((key) => matchesWriter(w, key)));
  if (probeFailures) {
    const failed = probeFailures.filter((w) => !ignore.some((key) => matchesWriter(w, key))).map((w) => w.name);
    probe = { outcome: failed.length > 0 ? 'writers-failed' : 'passed', identified: Math.max(0, writers.length - probeFailures.length), failedWriters: failed, error: null };
  }
  // An ignored writer's events go with it: counted in no verdict, summary or metric, only said in number.
  const ignoredWriters = writers.filter((w) => !checked.includes(w));
  const events = allEvents.filter((e) => !namesWriter(e, ignoredWriters, writers));
  const ignoredEvents = allEvents.length - events.length;
  // The same contradiction by a name on one side and an id on the other, known once the writers are.
  const ignoredExpected = expected.findIndex((key) => writers.some((w) => matchesWriter(w, key) && !checked.includes(w)));
  if (ignoredExpected >= 0) throw invalidArgValue(`options.expect[${ignoredExpected}]`, expected[ignoredExpected], 'a writer that "options.ignore" does not also name');
  if (writers.length === 0)
    problems.push({ status: 'CRITICAL', kind: 'no-writers', message: 'no VSS writers answered', remedy: 'Check that the Volume Shadow Copy (VSS) and COM+ Event System (EventSystem) services run.' });
  // The in-box writers are expected on every Windows; --ignore leaves one out.
  const inBox = writers.length === 0 ? [] : IN_BOX_WRITERS.filter((w) => !ignore.some((key) => namesInBox(key, w))).map((w) => w.name);
  const missingInBox = inBox.filter((key) => !writers.some((w) => matchesWriter(w, key)));
  // An expected in-box writer is already checked as one: one problem for it, not two (cold10 F9).
  const expectedOthers = expected.filter((key) => !IN_BOX_WRITERS.some((w) => inBox.includes(w.name) && namesInBox(key, w)));
  for (const key of [...new Set([...inBox, ...expectedOthers])])
    if (!writers.some((w) => matchesWriter(w, key)))
      problems.push({
        status: 'CRITICAL',
        kind: 'writer-missing',
        message: `${missingInBox.includes(key) ? 'in-box' : 'expected'} writer ${key} is missing`,
        remedy: hostingServiceOf({ name: key, writerId: key })
          ? `Start ${hostingServiceOf({ name: key, writerId: key })!.displayName} (${hostingServiceOf({ name: key, writerId: key })!.service}).`
          : 'Start the service or application that hosts this writer.',
      });
  const busy: WriterStatus[] = [];
  for (const w of checked) {
    if (w.state.startsWith('failed-') || w.state === 'unknown')
      problems.push({ status: 'CRITICAL', kind: 'writer-failed', message: describeWriter(w, writers), remedy: writerServiceAdvice(w), instanceIds: [w.instanceId] });
    else if (probeFailures?.some((p) => p.instanceId === w.instanceId)) {
      const probed = probeFailures.find((p) => p.instanceId === w.instanceId)!;
      problems.push({
        status: 'CRITICAL',
        kind: 'writer-failed',
        message: `${describeWriter(probed, writers)} when the identify probe asked it, [${w.stateCode}] ${w.state} when asked again`,
        remedy: writerServiceAdvice(probed),
        instanceIds: [w.instanceId],
      });
    } else if (w.state !== 'stable') busy.push(w);
    else if (w.lastError)
      // A stable writer keeps the last error of its previous backup (state and last error are
      // independent): the same service and restart command as a failed writer, with the command
      // that restarts a writer in this state (--restart-failed takes only failed states).
      problems.push({ status: 'WARNING', kind: 'writer-last-error', message: describeWriter(w, writers), remedy: writerServiceAdvice(w), instanceIds: [w.instanceId] });
  }
  // Writers mid-backup are one problem with one remedy, not one block per writer: every scheduled
  // backup puts them all in a waiting state at once (cold10 F20).
  if (busy.length > 0) {
    const states = [...new Set(busy.map((w) => `[${w.stateCode}] ${w.state}`))];
    const counted = states.length === 1 ? states[0] : `waiting (${states.map((st) => `${busy.filter((w) => `[${w.stateCode}] ${w.state}` === st).length} ${st}`).join(', ')})`;
    problems.push({
      status: 'WARNING',
      kind: 'writer-busy',
      message: `a backup is in progress: ${busy.length} of ${checked.length} writers ${counted}`,
      remedy: 'Wait for the backup to end; check again later.',
      instanceIds: busy.map((w) => w.instanceId),
    });
  }
  const errors = events.filter((e) => e.level.value <= 2);
  if (errors.length > 0) {
    const ids = [...new Set(errors.map((e) => `${e.provider} ${e.eventId}`))].join(', ');
    problems.push({ status: 'WARNING', kind: 'events', message: `${errors.length} VSS-related error ${errors.length === 1 ? 'event' : 'events'} (${ids})`, remedy: "Run 'vss events' for what each means and its remedy." });
  }
  // Messages name a volume as vss list does, by drive letter or mount folder where it has one; VSS gives GUID paths (cold8 F21).
  const named = (volume: string): string => {
    try {
      return volumePathNames(volume, backend)[0] ?? volume;
    } catch {
      return volume;
    }
  };
  const storage: StorageUse[] = areas.map((a) => {
    const maximum = a.maximumSize < 0n ? null : a.maximumSize;
    return {
      volume: a.volume,
      diffAreaVolume: a.diffAreaVolume,
      usedBytes: a.usedSize,
      maximumBytes: maximum,
      usedPercent: maximum && maximum > 0n ? Math.round((Number(a.usedSize) / Number(maximum)) * 1000) / 10 : null,
    };
  });
  for (const s of storage) {
    // Above the threshold, not at it: a threshold N alerts outside 0..N, endpoints included (Monitoring
    // Plugins development guidelines, "Threshold and ranges"), so the perfdata's warn;crit agree (cold10 F10).
    if (s.usedPercent === null || s.usedPercent <= warnAt) continue;
    problems.push({
      status: s.usedPercent > critAt ? 'CRITICAL' : 'WARNING',
      kind: 'storage',
      message: `shadow storage of ${named(s.volume)} ${s.usedPercent}% used`,
      remedy: 'Raise the maximum (vssadmin resize shadowstorage) or expect the oldest shadow copies to be deleted (VolSnap 33).',
    });
  }
  // Shadow copy protection (IVssDifferentialSoftwareSnapshotMgmt3): a volume a fault took offline
  // fails all I/O, which no writer state or storage figure shows.
  const protection: ProtectionState[] = [];
  for (const volume of [...new Set(areas.flatMap((a) => [a.volume, a.diffAreaVolume]))]) {
    let p: VolumeProtection;
    try {
      p = await volumeProtection(volume, { backend, signal });
    } catch (error) {
      if (!(error instanceof VssError)) throw error;
      problems.push({ status: 'WARNING', kind: 'protection-fault', message: `shadow copy protection of ${named(volume)} unknown (${error.code})`, remedy: error.remedy ?? null });
      continue;
    }
    protection.push({ volume, level: p.level, offline: p.offline, fault: p.fault, failureStatus: p.failureStatus, hasUnusedDiffArea: p.hasUnusedDiffArea });
    if (p.offline)
      problems.push({
        status: 'CRITICAL',
        kind: 'protection-fault',
        message: `${named(volume)} is offline for shadow copy protection (${p.fault}, status 0x${(p.failureStatus >>> 0).toString(16).padStart(8, '0')})`,
        remedy: `Copy what you need from its shadow copies, fix the shadow storage (more space or a faster volume), then bring it back: vss storage protect ${named(volume)} --clear (ClearVolumeProtectFault).`,
      });
    else if (p.hasUnusedDiffArea)
      problems.push({
        status: 'WARNING',
        kind: 'protection-fault',
        message: `${named(volume)} holds shadow storage only an offline volume's shadow copies use`,
        remedy: `Once those copies are not needed, free it: vss storage delete ${named(volume)} --unused (DeleteUnusedDiffAreas).`,
      });
  }

  const status: HealthStatus = problems.some((p) => p.status === 'CRITICAL') ? 'CRITICAL' : problems.length > 0 ? 'WARNING' : 'OK';
  const ordered = [...problems.filter((p) => p.status === 'CRITICAL'), ...problems.filter((p) => p.status === 'WARNING')];
  const summary = [
    status === 'OK' ? `${checked.length} writers stable` : summarize(ordered, checked.length),
    ...(probe ? [probeText(probe)] : []),
    ...(ignoredEvents > 0 ? [`${ignoredEvents} ${ignoredEvents === 1 ? 'event' : 'events'} of ignored writers left out`] : []),
  ].join('; ');
  return {
    status,
    exitCode: HealthExitCodes[status],
    summary,
    problems: ordered,
    writers,
    checkedWriters: checked.length,
    ignoredWriters: ignoredWriters.map((w) => w.name),
    events,
    ignoredEvents,
    probe,
    storage,
    protection,
    missingInBoxWriters: missingInBox,
    unmatchedIgnore: ignore.filter(
      (key) => !writers.some((w) => matchesWriter(w, key)) && !IN_BOX_WRITERS.some((w) => namesInBox(key, w)),
    ),
    snapshotSetInProgress: setInProgress,
    since: sinceTime,
    checkedAt: new Date(),
  };
}

/** The probe's outcome in the summary line, so that every output format says it. */
function probeText(probe: HealthProbe): string {
  if (probe.outcome === 'passed') return `identify probe passed (${probe.identified} ${probe.identified === 1 ? 'writer' : 'writers'})`;
  if (probe.outcome === 'writers-failed') return `identify probe: ${probe.failedWriters.join(', ')} failed to identify`;
  if (probe.outcome === 'no-writers') return 'identify probe: no writer identified itself';
  return `identify probe could not run (${probe.error?.code ?? 'unknown error'})`;
}

// The SQL Server VSS Writer service logs under the source SQLWRITER (24583: KB 2615182,
// ../shared/reference/events/sqlwriter-24583-sqlvdi-1-backup-521.md); its writer's class id:
const SQL_WRITER_ID = 'a65faa63-5ea8-4ebc-9dbd-a0c4db26912a';

/**
 * Whether an event is one of these writers': its data or message holds the writer's instance id,
 * or its class id when no writer left in shares that class (Exchange's two writers do), or its
 * data names the writer (`writerName`); or it is the SQL writer service's own (SQLWRITER). VSS
 * 8229 names the writer by class and instance id in its text ("Writer Class Id: {...}"), which a
 * GUID matches whatever the system's language; real Windows gives its data unnamed.
 */
function namesWriter(event: VssEvent, ignored: WriterStatus[], all: WriterStatus[]): boolean {
  if (ignored.length === 0) return false;
  const text = `${event.message}\n${Object.values(event.data).join('\n')}`.toLowerCase();
  const named = event.data.writerName?.toLowerCase();
  return ignored.some((w) => {
    const classShared = all.some((o) => o.writerId === w.writerId && !ignored.includes(o));
    if ((w.instanceId && text.includes(w.instanceId)) || named === w.name.toLowerCase()) return true;
    if (classShared) return false;
    return text.includes(w.writerId) || (w.writerId === SQL_WRITER_ID && event.provider.toUpperCase() === 'SQLWRITER');
  });
}

/** The kinds summarize() places itself: named first, or grouped by writer. */
const SUMMARY_GROUPED = new Set<HealthProblem['kind']>(['no-writers', 'writer-missing', 'probe-failed', 'writer-failed', 'writer-busy', 'writer-last-error']);

/** One line: writer problems grouped as "N of M writers failing: ...", then the others. */
function summarize(problems: HealthProblem[], total: number): string {
  const group = (kind: HealthProblem['kind'], what: string) => {
    const list = problems.filter((p) => p.kind === kind);
    return list.length ? [`${list.length} of ${total} writers ${what}: ${list.map((p) => p.message).join('; ')}`] : [];
  };
  return [
    ...problems.filter((p) => p.kind === 'no-writers' || p.kind === 'writer-missing' || p.kind === 'probe-failed').map((p) => p.message),
    ...group('writer-failed', 'failing'),
    ...problems.filter((p) => p.kind === 'writer-busy').map((p) => p.message),
    ...group('writer-last-error', 'stable with a last error'),
    // Every other kind by its message, so that none is left out of the line (set-in-progress once was).
    ...problems.filter((p) => !SUMMARY_GROUPED.has(p.kind)).map((p) => p.message),
  ].join('; ');
}

/** The metrics both output formats report. */
export function healthMetrics(report: HealthReport): { writers: number; failed: number; unstable: number; events: number; errorEvents: number; storageUsedPercent: number | null } {
  const failed = report.problems.filter((p) => p.kind === 'writer-failed').length;
  // Writers, not problems: the busy ones are one problem (cold10 F20).
  const unstable = report.problems.filter((p) => p.kind === 'writer-busy' || p.kind === 'writer-last-error').reduce((n, p) => n + (p.instanceIds?.length ?? 1), 0);
  const percents = report.storage.map((s) => s.usedPercent).filter((p): p is number => p !== null);
  return {
    writers: report.checkedWriters,
    failed,
    unstable,
    events: report.events.length,
    errorEvents: report.events.filter((e) => e.level.value <= 2).length,
    storageUsedPercent: percents.length ? Math.max(...percents) : null,
  };
}

/**
 * The Nagios/Icinga plugin output: one line, `VSS STATUS - summary | perfdata`.
 * Performance data follows the Monitoring Plugins
 * guidelines: 'label'=value[UOM];[warn];[crit];[min];[max].
 * @example console.log(formatNagios(await checkHealth()));
 */
export function formatNagios(report: HealthReport, thresholds = { storageWarningPercent: 80, storageCriticalPercent: 95 }): string {
  const m = healthMetrics(report);
  const perf = [
    `writers=${m.writers};;;0`,
    // A threshold N alerts above N (Monitoring Plugins range syntax): 0 = any at all.
    `failed=${m.failed};;0;0;${m.writers}`,
    `unstable=${m.unstable};0;;0;${m.writers}`,
    `events=${m.events};;;0`,
    `error_events=${m.errorEvents};0;;0`,
  ];
  if (m.storageUsedPercent !== null) perf.push(`storage_used=${m.storageUsedPercent}%;${thresholds.storageWarningPercent};${thresholds.storageCriticalPercent};0;100`);
  // One line: every problem is in the summary; remedies are in the person and JSON outputs.
  return `VSS ${report.status} - ${pluginText(report.summary)} | ${perf.join(' ')}`;
}

/**
 * Plugin output text on the one status line: '|' starts the performance data and a line break ends
 * the line (Monitoring Plugins guidelines), so a writer name holding either (third-party names are
 * free text) must not bring them in.
 */
function pluginText(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').replace(/\|/g, '/');
}

/** The UNKNOWN result when the check itself could not run (Nagios exit code 3). */
export function formatNagiosUnknown(error: unknown): string {
  const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
  return `VSS UNKNOWN - ${pluginText(message ?? '')}`;
}

const STATUS_HELP = 'Overall VSS health: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.';
const CHECKED_HELP = 'When this check ran (Unix time).';

/**
 * The Prometheus text when the check itself could not run: `vss_health_status 3` (UNKNOWN), the
 * error's code and the time, so that a collector never keeps reading the last good file's OK (cold10 F3).
 * @example
 * const text = await checkHealth().then(formatPrometheus, (error: unknown) => formatPrometheusUnknown(error));
 */
export function formatPrometheusUnknown(error: unknown, checkedAt: Date = new Date()): string {
  const code = typeof (error as { code?: unknown } | null)?.code === 'string' ? (error as { code: string }).code : 'ERR_UNKNOWN';
  return [
    `# HELP vss_health_status ${STATUS_HELP}`,
    '# TYPE vss_health_status gauge',
    'vss_health_status 3',
    '# HELP vss_health_check_error 1 when the check could not run, labelled with the error code.',
    '# TYPE vss_health_check_error gauge',
    `vss_health_check_error{code="${label(code)}"} 1`,
    `# HELP vss_health_checked_timestamp_seconds ${CHECKED_HELP}`,
    '# TYPE vss_health_checked_timestamp_seconds gauge',
    `vss_health_checked_timestamp_seconds ${Math.floor(checkedAt.getTime() / 1000)}`,
    '',
  ].join('\n');
}

/** A writer's labels: its instance id too, since two instances of one class would give one series twice (cold10 F4). */
function writerLabels(w: WriterStatus): Record<string, string> {
  return { writer: w.name, writer_id: w.writerId, instance_id: w.instanceId, ...(w.instanceName ? { instance_name: w.instanceName } : {}) };
}

function label(value: string): string {
  // Prometheus text format: backslash, double quote and line feed are escaped in label values.
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/**
 * The Prometheus text exposition format (version 0.0.4), for windows_exporter's
 * textfile collector (a `.prom` file in its text_file directory).
 * @example await fs.promises.writeFile('vss.prom', formatPrometheus(await checkHealth()));
 */
export function formatPrometheus(report: HealthReport): string {
  const out: string[] = [];
  const metric = (name: string, help: string, type: 'gauge', samples: Array<[Record<string, string>, number]>) => {
    out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [labels, value] of samples) {
      const l = Object.entries(labels).map(([k, v]) => `${k}="${label(v)}"`).join(',');
      out.push(`${name}${l ? `{${l}}` : ''} ${value}`);
    }
  };
  const m = healthMetrics(report);
  // Ignored writers are left out of the per-writer metrics too: an alert rule on
  // vss_writer_failed would otherwise fire for a writer the check was told to ignore.
  const ignored = new Set(report.ignoredWriters);
  const writers = report.writers.filter((w) => !ignored.has(w.name));
  metric('vss_health_status', STATUS_HELP, 'gauge', [[{}, report.exitCode]]);
  metric(
    'vss_writer_state',
    'VSS_WRITER_STATE of each writer (1 stable; 2-5 waiting; 6-15 failed).',
    'gauge',
    writers.map((w) => [writerLabels(w), w.stateCode]),
  );
  metric(
    'vss_writer_failed',
    '1 when the writer is in a failed state, else 0.',
    'gauge',
    // A writer that failed the identify probe counts as failed, as in the verdict (cold10 F5).
    writers.map((w) => [writerLabels(w), report.problems.some((p) => p.kind === 'writer-failed' && p.instanceIds?.includes(w.instanceId)) || w.state.startsWith('failed-') || w.state === 'unknown' ? 1 : 0]),
  );
  metric(
    'vss_writer_last_error',
    "The writer's last error HRESULT (0 when none).",
    'gauge',
    writers.map((w) => [writerLabels(w), w.lastError?.hresult ?? 0]),
  );
  metric('vss_writers_failed', 'Writers in a failed state (ignored writers left out).', 'gauge', [[{}, m.failed]]);
  metric(
    'vss_shadow_storage_used_bytes',
    'Shadow storage used by the shadow copies of a volume.',
    'gauge',
    report.storage.map((s) => [{ volume: s.volume, diff_area_volume: s.diffAreaVolume }, Number(s.usedBytes)]),
  );
  metric(
    'vss_shadow_storage_max_bytes',
    'Shadow storage maximum of a volume (absent when unbounded).',
    'gauge',
    report.storage.filter((s) => s.maximumBytes !== null).map((s) => [{ volume: s.volume, diff_area_volume: s.diffAreaVolume }, Number(s.maximumBytes)]),
  );
  metric(
    'vss_volume_protection_offline',
    '1 when a shadow copy protection fault took the volume offline (GetVolumeProtectLevel), else 0.',
    'gauge',
    report.protection.map((p) => [{ volume: p.volume, level: p.level, fault: p.fault }, p.offline ? 1 : 0]),
  );
  const counts = new Map<string, { provider: string; level: string; n: number }>();
  for (const e of report.events) {
    const key = `${e.provider}\u0000${e.level.name}`;
    const c = counts.get(key) ?? { provider: e.provider, level: e.level.name, n: 0 };
    c.n++;
    counts.set(key, c);
  }
  metric(
    'vss_events_total',
    `VSS-related events (critical, error, warning) logged since ${report.since.toISOString()}.`,
    'gauge',
    [...counts.values()].map((c) => [{ provider: c.provider, level: c.level }, c.n]),
  );
  metric('vss_events_ignored', 'Events of the window left out because they name an ignored writer (--ignore).', 'gauge', [[{}, report.ignoredEvents]]);
  metric('vss_writers_ignored', 'Writers on the machine left out of the check (--ignore).', 'gauge', [[{}, report.ignoredWriters.length]]);
  if (report.probe) {
    metric('vss_probe_success', '1 when the identify probe (--probe) passed: every writer checked gave its metadata; else 0.', 'gauge', [[{}, report.probe.outcome === 'passed' ? 1 : 0]]);
    metric('vss_probe_writers_failed', 'Writers (not ignored) that failed to identify themselves to the probe.', 'gauge', [[{}, report.probe.failedWriters.length]]);
  }
  metric('vss_health_checked_timestamp_seconds', CHECKED_HELP, 'gauge', [[{}, Math.floor(report.checkedAt.getTime() / 1000)]]);
  return `${out.join('\n')}\n`;
}
