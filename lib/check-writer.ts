/**
 * Writer conformance: drives one writer through a component-mode backup of its own
 * components (and, optionally, AbortBackup at each phase and a restore), watching it
 * through `GatherWriterStatus` after every step, and checks it against the contract VSS
 * documents for writers ({@link WRITER_RULES}).
 * @module
 */
import { checkBackend, simulatorOf, type BackendOption } from './backend.js';
import { AbortError, VssError, abortedBy } from './errors.js';
import { hresultValue } from './hresults.js';
import type { WriterMetadata } from './metadata/types.js';
import { BackupSession } from './session.js';
import type { Scenario, Simulator } from './simulator.js';
import type { ComponentRef, ComponentStatus, HresultInfo, WriterStatus } from './types.js';
import { WRITER_RULES, checkMetadata, usesBackupStamps } from './check-writer-rules.js';
import { checkBoolean, checkFunction, checkOptionsObject, checkSignal, checkString, invalidArgValue, optionKeys } from './validate.js';
import { splitPath } from './volumes.js';

export { WRITER_RULES } from './check-writer-rules.js';
export type { WriterRule } from './check-writer-rules.js';

/** Where `--abort-at` stops a backup with AbortBackup: right after this requester step. */
export const ABORT_PHASES = ['start-snapshot-set', 'prepare-for-backup', 'do-snapshot-set'] as const;
/** Where a {@link checkWriter} run stops a backup with AbortBackup: right after this requester step. */
export type AbortPhase =
  /** after StartSnapshotSet */
  | 'start-snapshot-set'
  /** after PrepareForBackup */
  | 'prepare-for-backup'
  /** after DoSnapshotSet */
  | 'do-snapshot-set';

/** Options of {@link checkWriter}. */
export interface CheckWriterOptions {
  backend?: BackendOption;
  /** Also restore the components from the document the backup made (PreRestore, PostRestore): rule 7. */
  restore?: boolean;
  /** Abort a backup right after each of these steps (one run each, then a full run): rule 6. `'all'` for every one. */
  abortAt?: 'all' | AbortPhase[];
  signal?: AbortSignal;
  /** Called after each requester step, with what the writer reported after it. */
  onStep?: (step: CheckStep) => void;
}

/** What the writer reported through GatherWriterStatus after a step. */
export interface WriterObservation {
  state: WriterStatus['state'] | 'missing';
  stateCode: number;
  lastError: HresultInfo | null;
  failureMessage: string | null;
}

/** One requester step of one run, and the writer's status after it. */
export interface CheckStep {
  /** `'before'`, `'backup'`, `'abort-at-<phase>'`, `'after-abort-<phase>'` or `'restore'`. */
  run: string;
  /** The COM method (`'DoSnapshotSet'`; `'StartSnapshotSet'` includes the AddToSnapshotSet calls). */
  step: string;
  durationMs: number;
  /** The step's error (`code` such as `'VSS_E_HOLD_WRITES_TIMEOUT'`), or `null`. */
  error: { code: string; message: string } | null;
  /** The writer after the step, or `null` when not observed. */
  after: WriterObservation | null;
}

/** One rule's verdict. Rule 6 gives one result per aborted phase. */
export interface RuleResult {
  rule: number;
  id: string;
  title: string;
  /** For rule 6, the phase aborted at. */
  phase?: AbortPhase;
  outcome: 'pass' | 'fail' | 'not-applicable';
  /** What was seen: states, HRESULTs, durations. */
  evidence: string[];
  sources: string[];
}

/** What {@link checkWriter} found. */
export interface CheckWriterReport {
  writer: { name: string; writerId: string; instanceId: string };
  backend: string;
  /** `'fail'` when a rule failed. */
  outcome: 'pass' | 'fail';
  rules: RuleResult[];
  steps: CheckStep[];
  /** How many GatherWriterStatus calls the check made (one after every step). */
  statusGathers: number;
  /** The components the backup selected (`logicalPath\name`). */
  components: string[];
  /** The volumes snapshotted for them. */
  volumes: string[];
  /** Each phase's duration in the backup run (ms), by COM method. */
  phaseDurations: Record<string, number>;
  /**
   * Per volume, the most the freeze-to-thaw window can have lasted: the DoSnapshotSet call
   * holds PrepareForSnapshot, Freeze, the commit, Thaw and PostSnapshot, and a requester can
   * time no finer. `null` when DoSnapshotSet did not run.
   */
  freezeWindow: { volume: string; atMostMs: number }[] | null;
  /** The writer's metadata from the first identify pass, or `null` if it gave none. */
  metadata: WriterMetadata | null;
  startedAt: Date;
  durationMs: number;
}

const FLUSH_OR_HOLD = new Set(['VSS_E_FLUSH_WRITES_TIMEOUT', 'VSS_E_HOLD_WRITES_TIMEOUT']);
const EXPECTED_AFTER: Record<string, WriterStatus['state']> = {
  GatherWriterMetadata: 'stable',
  StartSnapshotSet: 'stable',
  // VSS_WS_STABLE: "... or CVssWriter::OnPrepareSnapshot has not yet been called".
  PrepareForBackup: 'stable',
  // Reached only through waiting-for-freeze, -thaw and -post-snapshot, inside DoSnapshotSet.
  DoSnapshotSet: 'waiting-for-backup-complete',
  BackupComplete: 'stable',
};

/**
 * The state VSS documents after a step. After AbortBackup it depends on the run: before
 * DoSnapshotSet succeeded the writer hears Abort and is stable again; after it the writer has
 * run OnPostSnapshot, is not sent Abort (CVssWriter::OnAbort: "not called if the writer has
 * called CVssWriter::OnPostSnapshot") and still waits for BackupComplete.
 */
function expectedAfter(step: CheckStep, steps: CheckStep[]): WriterStatus['state'] | undefined {
  if (step.step !== 'AbortBackup') return EXPECTED_AFTER[step.step];
  const committed = steps.find((s) => s.run === step.run && s.step === 'DoSnapshotSet' && s.error === null);
  if (!committed) return 'stable';
  // Nothing reached the writer: it is as DoSnapshotSet left it (rule 3 judges that state).
  const seen = committed.after?.state;
  return seen && seen !== 'missing' ? seen : 'waiting-for-backup-complete';
}
const ABORT_AFTER: Record<AbortPhase, string> = {
  'start-snapshot-set': 'StartSnapshotSet',
  'prepare-for-backup': 'PrepareForBackup',
  'do-snapshot-set': 'DoSnapshotSet',
};

function componentLabel(c: { logicalPath?: string; name: string }): string {
  return c.logicalPath ? `${c.logicalPath}\\${c.name}` : c.name;
}

function errorOf(error: unknown): { code: string; message: string } {
  const e = error as { code?: unknown; message?: unknown };
  return { code: typeof e?.code === 'string' ? e.code : 'ERR_UNEXPECTED', message: String(e?.message ?? error).split('\n')[0]! };
}

function describe(o: WriterObservation | null): string {
  if (!o) return 'not observed';
  return `${o.state}${o.lastError ? ` with ${o.lastError.name}` : ''}${o.failureMessage ? ` ("${o.failureMessage}")` : ''}`;
}

function healthy(o: WriterObservation | null): boolean {
  return o !== null && o.state === 'stable' && o.lastError === null;
}

/** Environment variables in writers' paths; off Windows, where they stand on a default Windows install. */
function expandPath(path: string): string | null {
  const defaults: Record<string, string> = { systemroot: 'C:\\Windows', windir: 'C:\\Windows', systemdrive: 'C:', programdata: 'C:\\ProgramData', programfiles: 'C:\\Program Files' };
  let unknown = false;
  const expanded = path.replace(/%([^%]+)%/g, (_m, name: string) => {
    const fromEnv = process.platform === 'win32' ? Object.entries(process.env).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1] : undefined;
    const value = fromEnv ?? defaults[name.toLowerCase()];
    if (value === undefined) unknown = true;
    return value ?? '';
  });
  return unknown ? null : expanded;
}

/** The volume a path lies on: the deepest volume of the simulated machine, else the drive or `\\?\Volume{guid}\` root. */
function volumeOf(path: string, simulator: Simulator | null): string | null {
  const guid = /^\\\\\?\\Volume\{[0-9a-f-]{36}\}\\/i.exec(path);
  if (guid) return guid[0];
  const hit = simulator && splitPath(path, simulator.describe().volumes.map((v) => v.name));
  if (hit) return hit.volume;
  const drive = /^([A-Za-z]):(\\|$)/.exec(path);
  return drive ? `${drive[1]!.toUpperCase()}:\\` : null;
}

/** Components no other component of the writer contains by logical path: the ones a requester adds. */
function topLevelComponents(metadata: WriterMetadata): WriterMetadata['components'] {
  const labels = new Set(metadata.components.map((c) => componentLabel(c).toLowerCase()));
  return metadata.components.filter((c) => {
    const parts = (c.logicalPath ?? '').split('\\').filter(Boolean);
    for (let n = 1; n <= parts.length; n++) if (labels.has(parts.slice(0, n).join('\\').toLowerCase())) return false;
    return true;
  });
}

interface RunResult {
  completed: boolean;
  /** The first step's error, if a step failed. */
  failure?: unknown;
  document: string | null;
  stamps: ComponentStatus[];
  metadata: WriterMetadata | null;
  allMetadata: WriterMetadata[];
  steps: CheckStep[];
}

class Checker {
  readonly steps: CheckStep[] = [];
  statusGathers = 0;
  backendName = '';
  target: { name: string; writerId: string; instanceId: string } = { name: '', writerId: '', instanceId: '' };
  otherInstances: string[] = [];
  components: ComponentRef[] = [];
  volumes: string[] = [];

  constructor(
    readonly backend: BackendOption | undefined,
    readonly signal: AbortSignal | undefined,
    readonly onStep: ((step: CheckStep) => void) | undefined,
  ) {}

  checkAborted(): void {
    const signal = this.signal;
    if (signal?.aborted) throw abortedBy(signal, () => new AbortError('check-writer was aborted', { cause: signal.reason }));
  }

  /** One GatherWriterStatus: the point of the tool, so every one is counted. */
  async observe(session: BackupSession): Promise<{ mine: WriterObservation; all: WriterStatus[] }> {
    this.statusGathers++;
    await session.gatherWriterStatus({ signal: this.signal });
    const all = await session.getWriterStatus();
    const w = all.find((s) => s.instanceId === this.target.instanceId);
    const mine: WriterObservation = w
      ? { state: w.state, stateCode: w.stateCode, lastError: w.lastError, failureMessage: w.failureMessage }
      : { state: 'missing', stateCode: 0, lastError: null, failureMessage: null };
    return { mine, all };
  }

  /** Runs a step, times it, then observes the writer (unless told not to). Resolves to the step's error, if any. */
  async step(run: string, list: CheckStep[], session: BackupSession, name: string, body: () => Promise<void>, observe = true): Promise<unknown> {
    this.checkAborted();
    const started = performance.now();
    let failure: unknown = null;
    try {
      await body();
    } catch (error) {
      if (error instanceof AbortError) throw error;
      failure = error;
    }
    const durationMs = performance.now() - started;
    let after: WriterObservation | null = null;
    if (observe) {
      try {
        after = (await this.observe(session)).mine;
      } catch (error) {
        if (error instanceof AbortError) throw error;
      }
    }
    const record: CheckStep = { run, step: name, durationMs, error: failure === null ? null : errorOf(failure), after };
    list.push(record);
    this.steps.push(record);
    this.onStep?.(record);
    return failure;
  }

  /** Finds the writer and takes the first identify pass. */
  async before(name: string): Promise<{ observation: WriterObservation; metadata: WriterMetadata | null; all: WriterMetadata[]; statuses: WriterStatus[] }> {
    const session = await BackupSession.create({ backend: this.backend, signal: this.signal });
    this.backendName = session.backendName;
    try {
      await session.initializeForBackup();
      const list: CheckStep[] = [];
      const started = performance.now();
      await session.gatherWriterMetadata({ signal: this.signal });
      const identifyMs = performance.now() - started;
      const { all: statuses } = await this.observe(session);
      const key = name.toLowerCase();
      const found = statuses.find((w) => w.name.toLowerCase() === key) ?? statuses.find((w) => w.writerId === key || w.instanceId === key);
      if (!found) {
        throw new VssError(hresultValue('VSS_E_OBJECT_NOT_FOUND')!, `No writer named ${name} on this machine; it has: ${statuses.map((w) => w.name).join(', ') || 'no writers'}`, {
          operation: 'GetWriterStatus',
        });
      }
      this.target = { name: found.name, writerId: found.writerId, instanceId: found.instanceId };
      this.otherInstances = statuses.filter((w) => w.writerId === found.writerId && w.instanceId !== found.instanceId).map((w) => w.instanceId);
      const all = await session.getWriterMetadata();
      const metadata = all.find((m) => m.instanceId === found.instanceId) ?? null;
      const observation: WriterObservation = { state: found.state, stateCode: found.stateCode, lastError: found.lastError, failureMessage: found.failureMessage };
      const record: CheckStep = { run: 'before', step: 'GatherWriterMetadata', durationMs: identifyMs, error: null, after: observation };
      list.push(record);
      this.steps.push(record);
      this.onStep?.(record);
      return { observation, metadata, all, statuses };
    } finally {
      await session.release();
    }
  }

  /**
   * The writer as an outside observer finds it once the backup's session is released (after
   * OnBackupShutdown, which VSS sends on release, so no step of the run can see it).
   */
  async after(): Promise<WriterObservation | null> {
    const session = await BackupSession.create({ backend: this.backend, signal: this.signal });
    try {
      await session.initializeForBackup();
      await session.enableWriterClasses([this.target.writerId]);
      const steps: CheckStep[] = [];
      await this.step('after', steps, session, 'GatherWriterMetadata', () => session.gatherWriterMetadata({ signal: this.signal }));
      return steps[0]?.after ?? null;
    } finally {
      await session.release();
    }
  }

  /** Chooses the components (top level) and the volumes their files lie on. */
  plan(metadata: WriterMetadata): string[] {
    const notes: string[] = [];
    const simulator = simulatorOf(this.backend);
    const chosen = topLevelComponents(metadata);
    this.components = chosen.map((c) => ({ writerId: metadata.writerId, instanceId: metadata.instanceId, type: c.type, logicalPath: c.logicalPath, name: c.name }));
    const volumes = new Set<string>();
    const byLabel = new Map(metadata.components.map((c) => [componentLabel(c).toLowerCase(), c]));
    // A top-level component takes its subcomponents' files with it.
    for (const c of metadata.components) {
      const inChosen = chosen.some((top) => {
        const l = componentLabel(top).toLowerCase();
        const cl = componentLabel(c).toLowerCase();
        return cl === l || cl.startsWith(`${l}\\`);
      });
      if (!inChosen || !byLabel.has(componentLabel(c).toLowerCase())) continue;
      for (const f of [...c.files, ...c.databaseFiles, ...c.logFiles]) {
        const path = expandPath(f.path);
        const volume = path === null ? null : volumeOf(path, simulator);
        if (volume) volumes.add(volume);
        else notes.push(`no volume for ${f.path} (not counted)`);
      }
    }
    if (volumes.size === 0) {
      const system = process.platform === 'win32' && !simulator ? `${process.env.SystemDrive ?? 'C:'}\\` : 'C:\\';
      volumes.add(system);
      notes.push(`no component names a file: the system volume ${system} is snapshotted`);
    }
    this.volumes = [...volumes];
    return notes;
  }

  /** One component-mode backup run, optionally aborted right after a step. */
  async backup(run: string, abortAfter?: string): Promise<RunResult> {
    const steps: CheckStep[] = [];
    const result: RunResult = { completed: false, document: null, stamps: [], metadata: null, allMetadata: [], steps };
    const session = await BackupSession.create({ backend: this.backend, signal: this.signal });
    let started = false;
    const go = async (name: string, step: () => Promise<void>, observe = true) => {
      const failure = await this.step(run, steps, session, name, step, observe);
      if (failure && result.failure === undefined) result.failure = failure;
      return failure;
    };
    try {
      await session.initializeForBackup();
      await session.setContext('backup');
      await session.setBackupState({ selectComponents: true, backupType: 'full' });
      // Only this writer hears the backup's events: a check disturbs no other writer.
      await session.enableWriterClasses([this.target.writerId]);
      if (this.otherInstances.length > 0) await session.disableWriterInstances(this.otherInstances);
      let failed = await go('GatherWriterMetadata', () => session.gatherWriterMetadata({ signal: this.signal }));
      if (failed) return result;
      result.allMetadata = await session.getWriterMetadata();
      result.metadata = result.allMetadata.find((m) => m.instanceId === this.target.instanceId) ?? null;
      if (!result.metadata) return result;
      if (await go('AddComponent', async () => { for (const c of this.components) await session.addComponent(c); }, false)) return result;
      started = true;
      failed = await go('StartSnapshotSet', async () => {
        await session.startSnapshotSet();
        for (const v of this.volumes) await session.addToSnapshotSet(v);
      });
      if (failed || abortAfter === 'StartSnapshotSet') return result;
      failed = await go('PrepareForBackup', () => session.prepareForBackup({ signal: this.signal }));
      if (failed || abortAfter === 'PrepareForBackup') return result;
      failed = await go('DoSnapshotSet', () => session.doSnapshotSet({ signal: this.signal }));
      if (failed || abortAfter === 'DoSnapshotSet') return result;
      for (const c of this.components) await session.setBackupSucceeded(c, true);
      failed = await go('BackupComplete', () => session.backupComplete({ signal: this.signal }));
      started = false;
      if (failed) return result;
      result.completed = true;
      result.stamps = (await session.getWriterComponents()).filter((w) => w.instanceId === this.target.instanceId).flatMap((w) => w.components);
      result.document = await session.saveAsXml();
      return result;
    } finally {
      try {
        // Every run that began a snapshot set and did not complete ends in AbortBackup, watched too.
        if (started && !session.released) {
          // Interrupted: end the backup all the same, so the writer is not left waiting.
          if (this.signal?.aborted) await session.abortBackup().catch(() => undefined);
          else await this.step(run, steps, session, 'AbortBackup', () => session.abortBackup());
        }
      } finally {
        await session.release();
      }
    }
  }

  /** Restores the writer's components from the backup's document (rule 7). */
  async restore(document: string): Promise<{ steps: CheckStep[]; statuses: ComponentStatus[]; selected: ComponentRef[] }> {
    const run = 'restore';
    const steps: CheckStep[] = [];
    const session = await BackupSession.create({ backend: this.backend, signal: this.signal });
    const selected: ComponentRef[] = [];
    let statuses: ComponentStatus[] = [];
    try {
      if (await this.step(run, steps, session, 'InitializeForRestore', () => session.initializeForRestore(document), false)) return { steps, statuses, selected };
      if (await this.step(run, steps, session, 'GatherWriterMetadata', () => session.gatherWriterMetadata({ signal: this.signal }))) return { steps, statuses, selected };
      const saved = (await session.getWriterComponents()).filter((w) => w.instanceId === this.target.instanceId);
      for (const w of saved)
        for (const c of w.components) selected.push({ writerId: w.writerId, instanceId: w.instanceId, type: c.type, logicalPath: c.logicalPath, name: c.name });
      if (await this.step(run, steps, session, 'SetSelectedForRestore', async () => { for (const c of selected) await session.setSelectedForRestore(c, true); }, false)) return { steps, statuses, selected };
      if (await this.step(run, steps, session, 'PreRestore', () => session.preRestore({ signal: this.signal }))) return { steps, statuses, selected };
      // No file is copied back by a check, so the writer is told so ('none', VSS_RS_NONE):
      // telling it 'all' would make it recover from files that were never restored.
      if (await this.step(run, steps, session, 'SetFileRestoreStatus', async () => { for (const c of selected) await session.setFileRestoreStatus(c, 'none'); }, false))
        return { steps, statuses, selected };
      if (await this.step(run, steps, session, 'PostRestore', () => session.postRestore({ signal: this.signal }))) return { steps, statuses, selected };
      statuses = (await session.getWriterComponents()).filter((w) => w.instanceId === this.target.instanceId).flatMap((w) => w.components);
      return { steps, statuses, selected };
    } finally {
      await session.release();
    }
  }
}

function rule(n: number, outcome: RuleResult['outcome'], evidence: string[], phase?: AbortPhase): RuleResult {
  const r = WRITER_RULES[n - 1]!;
  return { rule: r.rule, id: r.id, title: r.title, ...(phase ? { phase } : {}), outcome, evidence, sources: [...r.sources] };
}

function stepError(steps: CheckStep[]): CheckStep | undefined {
  return steps.find((s) => s.error !== null && s.step !== 'AbortBackup');
}

/**
 * The steps after which the writer still showed the failed state it had before the run (same state,
 * same error), before any other state was seen: a writer keeps its last failure until a later
 * backup changes it, so that is the earlier failure (rule 1's), not one this run caused.
 */
function staleSteps(steps: CheckStep[], before: WriterObservation | null | undefined): Set<CheckStep> {
  const stale = new Set<CheckStep>();
  if (!before || !before.state.startsWith('failed-')) return stale;
  for (const s of steps) {
    if (!s.after) continue;
    if (s.after.state !== before.state || s.after.lastError?.name !== before.lastError?.name) break;
    stale.add(s);
  }
  return stale;
}

/** Rule 3: the states seen after each step of the backup run, against the documented ones. */
function judgeStates(run: RunResult, before: WriterObservation | null = null): RuleResult {
  const evidence: string[] = [];
  const wrong: string[] = [];
  const stale = staleSteps(run.steps, before);
  for (const s of run.steps) {
    const seen = s.after?.state ?? 'not observed';
    if (s.after) evidence.push(`after ${s.step}: ${describe(s.after)}${stale.has(s) ? ' (unchanged since before the run)' : ''}`);
    if (stale.has(s)) continue;
    if (typeof seen === 'string' && seen.startsWith('failed-')) wrong.push(`after ${s.step} the writer went to ${seen}${s.after?.lastError ? ` (${s.after.lastError.name})` : ''}`);
    else if (s.error === null && expectedAfter(s, run.steps) && seen !== expectedAfter(s, run.steps))
      wrong.push(`after ${s.step} the writer is ${seen}, where VSS documents ${expectedAfter(s, run.steps)}`);
  }
  if (wrong.length > 0) return rule(3, 'fail', [...wrong, ...evidence]);
  const broke = stepError(run.steps);
  if (broke) return rule(3, 'not-applicable', [`the run ended at ${broke.step} with ${broke.error!.code}, not by the writer's failure`, ...evidence]);
  if (!run.completed) return rule(3, 'not-applicable', ['the backup did not run to BackupComplete', ...evidence]);
  evidence.push('waiting-for-freeze, waiting-for-thaw and waiting-for-post-snapshot pass inside DoSnapshotSet, where no requester can call GatherWriterStatus; waiting-for-backup-complete after it is reached only through them');
  const path = run.steps.filter((s) => s.after).map((s) => `${s.step} ${s.after!.state}`).join(', ');
  return rule(3, 'pass', [`as documented after each step: ${path}`, ...evidence]);
}

/** Rule 4: freeze to thaw within the writer's timeout and the 10-second flush-and-hold window. */
function judgeFreeze(run: RunResult, volumes: string[], before: WriterObservation | null = null): RuleResult {
  const evidence = run.steps.filter((s) => s.step !== 'AbortBackup').map((s) => `${s.step}: ${s.durationMs.toFixed(0)} ms${s.error ? ` (${s.error.code})` : ''}`);
  const snap = run.steps.find((s) => s.step === 'DoSnapshotSet');
  if (!snap) return rule(4, 'not-applicable', ['DoSnapshotSet did not run', ...evidence]);
  const windows = [`${volumes.join(', ')}: freeze to thaw at most ${snap.durationMs.toFixed(0)} ms (the whole DoSnapshotSet, the finest a requester can time)`];
  if (snap.error && FLUSH_OR_HOLD.has(snap.error.code))
    return rule(4, 'fail', [`DoSnapshotSet failed with ${snap.error.code}: writes to ${volumes.join(', ')} could not be flushed and held within VSS's 10-second window`, ...windows, ...evidence]);
  const stale = staleSteps(run.steps, before);
  const timedOut = run.steps.find((s) => !stale.has(s) && /^failed-at-(freeze|thaw)$/.test(s.after?.state ?? '') && s.after?.lastError?.name === 'VSS_E_WRITERERROR_TIMEOUT');
  if (timedOut) return rule(4, 'fail', [`the writer ${timedOut.after!.state} with VSS_E_WRITERERROR_TIMEOUT: Thaw did not come within its freeze timeout (CVssWriter::Initialize's dwTimeoutFreeze, 60 s by default)`, ...windows, ...evidence]);
  return rule(4, 'pass', [...windows, ...evidence]);
}

/** Rule 5: backup stamps after BackupComplete. */
function judgeStamps(run: RunResult, metadata: WriterMetadata | null): RuleResult {
  if (!metadata) return rule(5, 'not-applicable', ['no metadata']);
  const schema = `0x${metadata.backupSchema.toString(16)}`;
  if (!usesBackupStamps(metadata)) return rule(5, 'not-applicable', [`backup schema ${schema} has no VSS_BS_TIMESTAMPED with VSS_BS_INCREMENTAL or VSS_BS_DIFFERENTIAL: the writer keeps no backup stamps`]);
  if (!run.completed) return rule(5, 'not-applicable', ['the backup did not complete, so no stamp was due']);
  const missing = run.stamps.filter((c) => !c.backupStamp);
  const evidence = run.stamps.map((c) => `${componentLabel(c)}: ${c.backupStamp ? `stamp '${c.backupStamp}'` : 'no stamp'}`);
  if (missing.length > 0) return rule(5, 'fail', [`backup schema ${schema} uses stamps, and ${missing.map(componentLabel).join(', ')} carry none after BackupComplete`, ...evidence]);
  return rule(5, 'pass', [`backup schema ${schema}`, ...evidence]);
}

const CHECK_WRITER_OPTION_KEYS = optionKeys<CheckWriterOptions>()({ backend: true, restore: true, abortAt: true, signal: true, onStep: true });

/**
 * Checks one writer (by name, class id or instance id) against the contract VSS documents
 * for writers: a component-mode backup of the writer's own components and the volumes their
 * files lie on, with only that writer taking part, watched through `GatherWriterStatus` after
 * every step (`report.statusGathers` counts them); with `abortAt`, a backup aborted right after
 * each of those steps and a full run after it; with `restore`, a restore of the components from
 * the document just made. Resolves to a report with one verdict per rule ({@link WRITER_RULES});
 * rejects with `VssError` (`VSS_E_OBJECT_NOT_FOUND`) when there is no such writer, and with
 * VSS's own error when VSS cannot be used at all.
 *
 * @example
 * const sim = createSimulator({ timing: { timeScale: 0.01 } }); // a default machine, 100 times faster
 * const report = await checkWriter('System Writer', { backend: sim, abortAt: 'all', restore: true });
 * for (const r of report.rules) console.log(r.rule, r.phase ?? '', r.outcome, r.evidence[0]);
 */
export async function checkWriter(writer: string, options: CheckWriterOptions = {}): Promise<CheckWriterReport> {
  checkString(writer, 'writer');
  if (writer.trim() === '') throw invalidArgValue('writer', writer, 'a writer name, class id or instance id');
  checkOptionsObject(options, 'options', CHECK_WRITER_OPTION_KEYS);
  if (options.backend !== undefined) checkBackend(options.backend, 'options.backend');
  if (options.restore !== undefined) checkBoolean(options.restore, 'options.restore');
  checkSignal(options.signal, 'options.signal');
  checkFunction(options.onStep, 'options.onStep');
  const abortAt = options.abortAt ?? [];
  const phases: AbortPhase[] =
    abortAt === 'all'
      ? [...ABORT_PHASES]
      : Array.isArray(abortAt) && abortAt.every((p) => (ABORT_PHASES as readonly string[]).includes(p))
        ? [...new Set(abortAt)]
        : (() => {
            throw invalidArgValue('options.abortAt', abortAt, `'all' or an array of ${ABORT_PHASES.map((p) => `'${p}'`).join(', ')}`);
          })();

  const startedAt = new Date();
  const started = performance.now();
  const checker = new Checker(options.backend, options.signal, options.onStep);
  const key = writer.trim();
  const before = await checker.before(key);
  const rules: RuleResult[] = [];
  const notes = before.metadata ? checker.plan(before.metadata) : [];

  const main = before.metadata ? await checker.backup('backup') : null;
  const released = main ? await checker.after() : null;
  // Aborts and a restore say something only about a writer that completes a plain backup:
  // one that fails anyway would carry that failure into them (its state stays failed until
  // the next PrepareForBackup), and rules 1 and 3-5 already report it.
  const clean =
    main !== null &&
    main.completed &&
    main.steps.every((s) => !(s.after?.state ?? '').startsWith('failed-')) &&
    healthy(main.steps.at(-1)?.after ?? null) &&
    healthy(released);
  const aborts: { phase: AbortPhase; aborted: RunResult; next: RunResult }[] = [];
  for (const phase of clean ? phases : []) {
    const aborted = await checker.backup(`abort-at-${phase}`, ABORT_AFTER[phase]);
    const next = await checker.backup(`after-abort-${phase}`);
    aborts.push({ phase, aborted, next });
  }
  const restored = options.restore && clean && main?.document ? await checker.restore(main.document) : null;

  // Rule 1: health before and after.
  const last = main?.steps.at(-1)?.after ?? null;
  const r1: string[] = [
    `before the run ${describe(before.observation)}, after it ${main ? describe(last) : '(no backup ran)'}${main ? `, once its session was released ${describe(released)}` : ''}`,
  ];
  rules.push(rule(1, healthy(before.observation) && (!main || (healthy(last) && healthy(released))) ? 'pass' : 'fail', r1));

  // Rule 2: metadata.
  if (!before.metadata) rules.push(rule(2, 'fail', [`the writer gave no metadata to the first identify pass (${describe(before.observation)})`]));
  else {
    const { failures, notes: metaNotes } = checkMetadata(before.metadata, main?.metadata ?? null, before.all.filter((m) => m.instanceId !== checker.target.instanceId));
    const summary = `${before.metadata.components.length} components, backup schema 0x${before.metadata.backupSchema.toString(16)}, restore method ${before.metadata.restoreMethod?.method ?? 'none'}`;
    rules.push(rule(2, failures.length > 0 ? 'fail' : 'pass', [...failures, summary, ...metaNotes, ...notes]));
  }

  if (main) {
    rules.push(judgeStates(main, before.observation));
    rules.push(judgeFreeze(main, checker.volumes, before.observation));
    rules.push(judgeStamps(main, main.metadata ?? before.metadata));
  } else {
    for (const n of [3, 4, 5]) rules.push(rule(n, 'not-applicable', ['the writer gave no metadata, so no backup ran']));
  }

  // Rule 6: one verdict per phase aborted at.
  const unclean = main ? "the writer does not complete a backup without an abort either (rules 1 and 3-5 say where), so its recovery from one cannot be judged" : 'no backup ran';
  if (phases.length === 0) rules.push(rule(6, 'not-applicable', ['no --abort-at phase asked for']));
  else if (!clean) for (const phase of phases) rules.push(rule(6, 'not-applicable', [unclean], phase));
  for (const { phase, aborted, next } of aborts) {
    const abortStep = aborted.steps.find((s) => s.step === 'AbortBackup');
    const broke = stepError(aborted.steps);
    const evidence = [
      `aborted after ${ABORT_AFTER[phase]}: ${broke ? `the run ended earlier at ${broke.step} (${broke.error!.code})` : describe(abortStep?.after ?? null)}`,
      `next full run: ${next.completed ? `completed, ${describe(next.steps.at(-1)?.after ?? null)}` : `did not complete (${stepError(next.steps)?.step ?? 'no metadata'}: ${stepError(next.steps)?.error?.code ?? describe(next.steps.at(-1)?.after ?? null)})`}`,
    ];
    const nextOk = next.completed && next.steps.every((s) => !(s.after?.state ?? '').startsWith('failed-') && s.after?.lastError == null) && healthy(next.steps.at(-1)?.after ?? null);
    // Aborted after DoSnapshotSet the writer heard no Abort and still waits for BackupComplete.
    const expected = abortStep ? expectedAfter(abortStep, aborted.steps) : undefined;
    const ok = abortStep?.after != null && abortStep.after.state === expected && abortStep.after.lastError === null && nextOk;
    rules.push(rule(6, ok ? 'pass' : 'fail', evidence, phase));
  }

  // Rule 7: restore.
  if (!options.restore) rules.push(rule(7, 'not-applicable', ['no restore asked for (--restore)']));
  else if (!clean) rules.push(rule(7, 'not-applicable', [main ? 'the writer does not complete a plain backup (rules 1 and 3-5 say where), so a restore of it cannot be judged' : 'no backup ran']));
  else if (!restored) rules.push(rule(7, 'not-applicable', ['the backup made no Backup Components Document to restore from']));
  else if (checker.components.length === 0) rules.push(rule(7, 'not-applicable', ['the writer has no components, so nothing of it is restored']));
  else {
    const wrong: string[] = [];
    for (const s of restored.steps) {
      if (s.error) wrong.push(`${s.step} failed with ${s.error.code}: ${s.error.message}`);
      if (s.after && !healthy(s.after)) wrong.push(`after ${s.step} the writer is ${describe(s.after)}`);
    }
    for (const c of restored.statuses)
      if (restored.selected.some((x) => x.name === c.name && (x.logicalPath ?? '') === (c.logicalPath ?? '')) && c.fileRestoreStatus !== 'none')
        wrong.push(`${componentLabel(c)}: file restore status ${c.fileRestoreStatus}, where 'none' was set`);
    if (restored.selected.length === 0) wrong.push("the backup's document holds no component of this writer to restore");
    const evidence = restored.steps.map((s) => `${s.step}: ${s.durationMs.toFixed(0)} ms${s.after ? `, then ${describe(s.after)}` : ''}`);
    rules.push(rule(7, wrong.length > 0 ? 'fail' : 'pass', [...wrong, `${restored.selected.length} components selected, file restore status 'none' (no file was copied back)`, ...evidence]));
  }

  // A backup stopped by something no rule is about (another requester's snapshot set, a volume
  // no provider supports, a provider failing): the writer was not driven, and passing it would
  // be a verdict on nothing.
  if (main && !main.completed && main.failure !== undefined && !rules.some((r) => r.outcome === 'fail')) throw main.failure;

  const phaseDurations: Record<string, number> = {};
  for (const s of main?.steps ?? []) if (s.step !== 'AbortBackup' && s.step !== 'AddComponent') phaseDurations[s.step] = s.durationMs;
  const snap = main?.steps.find((s) => s.step === 'DoSnapshotSet');
  return {
    writer: checker.target,
    backend: checker.backendName,
    outcome: rules.some((r) => r.outcome === 'fail') ? 'fail' : 'pass',
    rules,
    steps: checker.steps,
    statusGathers: checker.statusGathers,
    components: checker.components.map(componentLabel),
    volumes: checker.volumes,
    phaseDurations,
    freezeWindow: snap ? checker.volumes.map((volume) => ({ volume, atMostMs: snap.durationMs })) : null,
    metadata: before.metadata,
    startedAt,
    durationMs: performance.now() - started,
  };
}

// The simulated share of DoSnapshotSet each writer event and the commit take by default
// (native/sim/model.h Timing), to split one measured DoSnapshotSet into the scenario's timings.
const SNAPSHOT_SHARES = { prepareSnapshotMs: 300, freezeMs: 400, commitMs: 800, thawMs: 150, postSnapshotMs: 150 };

/**
 * A scenario fragment that replays the checked writer (README, "Recording a writer"): its
 * metadata document, the durations measured (per writer event), its state before the run,
 * and the failures seen as faults. `createSimulator(recorded)` accepts it (it starts from
 * the default machine); merge it into a scenario of your own with `base`.
 * @example
 * const report = await checkWriter('SqlServerWriter', { backend: createSimulator('sql-server') });
 * fs.writeFileSync('sql-writer.json', JSON.stringify(recordedScenario(report))); // on the server
 * const replayed = createSimulator(JSON.parse(fs.readFileSync('sql-writer.json', 'utf8'))); // anywhere
 * console.log((await checkWriter('SqlServerWriter', { backend: replayed })).outcome);
 */
export function recordedScenario(report: CheckWriterReport): Scenario {
  if (!report.metadata) throw invalidArgValue('report.metadata', null, 'the metadata of a writer that identified itself (nothing to replay)');
  const name = report.writer.name;
  const durations = report.phaseDurations;
  const timing: Record<string, number> = {};
  const round = (ms: number) => Math.max(1, Math.round(ms));
  if (durations.GatherWriterMetadata !== undefined) timing.identifyMs = round(durations.GatherWriterMetadata);
  if (durations.PrepareForBackup !== undefined) timing.prepareBackupMs = round(durations.PrepareForBackup);
  if (durations.BackupComplete !== undefined) timing.backupCompleteMs = round(durations.BackupComplete);
  if (durations.DoSnapshotSet !== undefined) {
    const total = Object.values(SNAPSHOT_SHARES).reduce((a, b) => a + b, 0);
    for (const [k, share] of Object.entries(SNAPSHOT_SHARES)) timing[k] = round((durations.DoSnapshotSet * share) / total);
  }
  for (const s of report.steps.filter((x) => x.run === 'restore')) {
    if (s.step === 'PreRestore') timing.preRestoreMs = round(s.durationMs);
    if (s.step === 'PostRestore') timing.postRestoreMs = round(s.durationMs);
  }
  const faults: Record<string, unknown>[] = [];
  const add = (fault: Record<string, unknown>) => {
    if (!faults.some((f) => JSON.stringify(f) === JSON.stringify(fault))) faults.push(fault);
  };
  // A failure left from before the run is the writer's starting state (below), not a fault to replay.
  const beforeRun = report.steps.find((s) => s.run === 'before')?.after;
  const stale = new Set([...new Set(report.steps.map((s) => s.run))].flatMap((run) => [...staleSteps(report.steps.filter((s) => s.run === run), beforeRun)]));
  for (const s of report.steps) {
    if (s.run === 'before' || !s.after || stale.has(s)) continue;
    const failed = /^failed-at-(.+)$/.exec(s.after.state);
    if (failed && s.after.lastError && /^VSS_E_WRITERERROR_/.test(s.after.lastError.name))
      add({ writer: name, phase: failed[1], kind: 'fail', error: s.after.lastError.name, ...(s.after.failureMessage ? { message: s.after.failureMessage } : {}) });
    const expected = expectedAfter(s, report.steps);
    if (!failed && s.error === null && expected && s.after.state !== expected && s.after.state !== 'missing') {
      // An AbortBackup after DoSnapshotSet reaches no OnAbort, so no 'abort' fault replays what followed it.
      const abort = s.step === 'AbortBackup' && expected === 'stable' ? 'abort' : null;
      const phase = s.step === 'AbortBackup' ? abort : s.step === 'DoSnapshotSet' ? 'post-snapshot' : s.step === 'BackupComplete' ? 'backup-complete' : s.step === 'PrepareForBackup' ? 'prepare-backup' : null;
      if (phase) add({ writer: name, phase, kind: 'state', state: s.after.state });
    }
    // Past VSS's 10 s flush-and-hold window, in the stage that overran (WINDOW rows, native/sim/method_rules.inc).
    if (s.step === 'DoSnapshotSet' && s.error?.code === 'VSS_E_FLUSH_WRITES_TIMEOUT') timing.flushMs = 10_500;
    if (s.step === 'DoSnapshotSet' && s.error?.code === 'VSS_E_HOLD_WRITES_TIMEOUT') timing.commitMs = 10_500;
  }
  const byId = new Map(report.rules.map((r) => [r.id, r]));
  if (byId.get('backup-stamp')?.outcome === 'fail') add({ writer: name, phase: 'post-snapshot', kind: 'no-stamp' });
  if (byId.get('metadata')?.outcome === 'fail' && byId.get('metadata')!.evidence[0]?.startsWith('the two identify passes differ')) add({ writer: name, phase: 'identify', kind: 'metadata' });
  const first = report.steps.find((s) => s.run === 'before')?.after;
  const writerEntry: Record<string, unknown> = { metadataXml: report.metadata.xml };
  if (first && first.state !== 'missing') {
    writerEntry.state = first.state;
    if (first.lastError) writerEntry.lastError = first.lastError.name;
    if (first.failureMessage) writerEntry.failureMessage = first.failureMessage;
  }
  const volumes = report.volumes.map((v) => {
    const guid = /^\\\\\?\\Volume\{([0-9a-f-]{36})\}\\$/i.exec(v);
    return guid ? { name: v, guid: guid[1]!.toLowerCase() } : { name: v };
  });
  return { name: `recorded-${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`, timing, volumes, writers: [writerEntry], faults };
}
