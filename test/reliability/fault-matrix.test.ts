// The fault matrix (issue 6): every writer failure point times every failure
// kind, provider failure at commit, unsupported volume, set in progress, cancel
// at every step and the process killed at every step, through the high-level
// (createSnapshotSet) and low-level (BackupSession) flows on the simulator.
// Each case checks (1) the typed error naming writer, phase and HRESULT (or, where
// VSS lets the operation succeed, the writer's status), (2) no writer left waiting,
// (3) no shadow copy or content folder left behind, (4) the next backup succeeds.
// The table printed at the end counts cases and passes.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import * as vss from '../../lib/index.js';
import {
  CALL_OF_PHASE,
  CALLER_TIMEOUT_MS,
  KINDS,
  PHASES,
  SYSTEM_PROVIDER,
  WRITER,
  checkMachineClean,
  checkNextSessionSucceeds,
  scenario,
  writerFault,
  writerOutcome,
  writerStatus,
  type Kind,
  type Phase,
} from './faults.js';

const rows = new Map<string, { cases: number; passed: number }>();
const temps: string[] = [];

function record(group: string, passed: boolean): void {
  const row = rows.get(group) ?? { cases: 0, passed: 0 };
  row.cases++;
  if (passed) row.passed++;
  rows.set(group, row);
}

/** An `it` whose outcome is counted in the printed matrix under `group`. */
function matrixCase(group: string, name: string, body: () => Promise<void>, timeout?: number): void {
  it(
    name,
    async () => {
      let passed = false;
      try {
        await body();
        passed = true;
      } finally {
        record(group, passed);
      }
    },
    timeout,
  );
}

function contentVolume(): string {
  const dir = mkdtempSync(join(tmpdir(), 'vss-matrix-'));
  writeFileSync(join(dir, 'data.bin'), 'payload');
  temps.push(dir);
  return dir;
}

afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
  const lines = ['', 'fault matrix (cases, passed):', `${'case'.padEnd(58)} ${'cases'.padStart(5)} ${'passed'.padStart(6)}`];
  let cases = 0;
  let passed = 0;
  for (const [group, row] of rows) {
    lines.push(`${group.padEnd(58)} ${String(row.cases).padStart(5)} ${String(row.passed).padStart(6)}`);
    cases += row.cases;
    passed += row.passed;
  }
  lines.push(`${'total'.padEnd(58)} ${String(cases).padStart(5)} ${String(passed).padStart(6)}`);
  console.log(lines.join('\n'));
});

// ------------------------------------------------------------ the high-level flow

async function highLevel(phase: Phase, kind: Kind, persistent: boolean): Promise<void> {
  const sim = vss.createSimulator(scenario());
  sim.configure({ faults: [writerFault(phase, kind)] });
  const { fails, callerTimeout } = writerOutcome(phase, kind);
  let set: vss.SnapshotSet | undefined;
  let error: unknown;
  try {
    set = await vss.createSnapshotSet(['C:\\'], { backend: sim, persistent, ...(callerTimeout ? timeoutInPhase(phase) : {}) });
  } catch (e) {
    error = e;
  }
  let kept = 0;
  if (phase === 'backup-complete') {
    // The set exists before BackupComplete: VSS reports the writer's failure in its status only.
    expect(error).toBeUndefined();
    // The report names the writer and phase (issue 9); 'report' resolves where the default rejects.
    const report = await set!.complete({ succeeded: true, writerFailures: 'report' });
    const status = writerStatus(sim);
    // complete() runs without the caller's timeout, so VSS's response timeout fails a slow writer.
    const failsHere = fails ?? (callerTimeout ? 'VSS_E_WRITERERROR_TIMEOUT' : null);
    checkReport(report, 'completed', failsHere ? 'backup-complete' : null);
    if (failsHere) {
      expect(status.state).toBe('failed-at-backup-complete');
      expect(vss.hresultName(status.lastError)).toBe(failsHere);
      expect(report.failures[0]!.lastError?.name).toBe(failsHere);
    } else {
      expect(status.state).toBe('stable');
    }
    kept = persistent ? 1 : 0;
  } else if (callerTimeout) {
    // A timeout rejects with the TimeoutError (as fetch does), told apart from a user's abort.
    expect((error as Error).name).toBe('TimeoutError');
  } else {
    expect(error).toBeInstanceOf(vss.VssWriterError);
    const e = error as vss.VssWriterError;
    expect(e.code).toBe(fails);
    expect(e.hresult).toBe(vss.hresultValue(fails!));
    expect(e.writer?.name).toBe(WRITER);
    expect(e.operation).toBe(CALL_OF_PHASE[phase]);
    checkReport(e.report!, 'aborted', phase);
    const failing = e.writers.find((w) => w.name === WRITER)!;
    expect(failing.state).toBe(`failed-at-${phase}`);
    expect(failing.lastError?.name).toBe(fails);
    expect(e.message).toContain(WRITER);
  }
  checkMachineClean(sim, kept);
  await checkNextSessionSucceeds(sim);
}

/**
 * The caller's timeout, started when the simulator reports the faulted phase (progress
 * events name it). A `timeoutMs` counted from the call's start fired before the phase
 * under ASan's slower process, leaving the `times: 1` fault armed for the next backup.
 */
function timeoutInPhase(phase: Phase): { signal: AbortSignal; onProgress: (event: vss.ProgressEvent) => void } {
  const controller = new AbortController();
  let armed = false;
  return {
    signal: controller.signal,
    onProgress: (event) => {
      if (armed || event.phase !== phase) return;
      armed = true;
      setTimeout(() => controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')), CALLER_TIMEOUT_MS);
    },
  };
}

/** A user's abort after `ms` (AbortSignal.timeout() would reject with its TimeoutError instead). */
function abortAfter(ms: number): AbortSignal {
  const controller = new AbortController();
  setTimeout(() => controller.abort(), ms);
  return controller.signal;
}

/**
 * A cell's BackupReport: which writer failed at which phase (or none), and a parseable final
 * document. The default backup is component mode (VShadow's): the writer under test is one the
 * selection includes (its failure is the backup's, VShadow's CheckSelectedWriterStatus), or,
 * failing at identify, one left out as failed (it gave no metadata to select from); the
 * document holds exactly the components the plan added.
 */
function checkReport(report: vss.BackupReport, outcome: 'completed' | 'aborted', failedPhase: string | null): void {
  expect(report.outcome).toBe(outcome);
  expect(report.failures.map((f) => `${f.name}@${f.phase}`)).toEqual(failedPhase ? [`${WRITER}@${failedPhase}`] : []);
  expect(report.document).toEqual(expect.any(String));
  const document = vss.parseBackupComponentsDocument(report.document!);
  expect(report.timings.length).toBeGreaterThan(0);
  const plan = report.plan!;
  expect(plan.mode).toBe('component');
  expect(plan.writers.find((w) => w.name === WRITER)).toMatchObject(failedPhase === 'identify' ? { included: false, reason: 'writer-failed' } : { included: true });
  expect(plan.add.some((c) => plan.writers.find((w) => w.instanceId === c.instanceId)?.name === WRITER)).toBe(failedPhase !== 'identify');
  const key = (writerId: string, logicalPath: string | undefined, name: string) => `${writerId}:${logicalPath ?? ''}\\${name}`;
  expect(document.selectComponents).toBe(true);
  expect(document.writers.flatMap((w) => w.components.map((c) => key(w.writerId, c.logicalPath, c.name))).sort()).toEqual(plan.add.map((c) => key(c.writerId, c.logicalPath, c.name)).sort());
}

// ------------------------------------------------------------ the low-level flow

interface LowLevelRun {
  failedAt: string | null;
  thrown: unknown;
  completed: boolean;
  contentPaths: string[];
}

/** The requester sequence as vshadow does it, checking writer status after each writer event, and cleaning up on failure. */
async function runLowLevel(sim: vss.Simulator, persistent: boolean, signalFor: (call: string) => AbortSignal | undefined): Promise<LowLevelRun> {
  const run: LowLevelRun = { failedAt: null, thrown: null, completed: false, contentPaths: [] };
  const session = await vss.BackupSession.create({ backend: sim });
  let setId: string | undefined;
  let committed = false;
  const failingWriter = async () => {
    await session.gatherWriterStatus();
    return (await session.getWriterStatus()).some((w) => w.state.startsWith('failed-at-'));
  };
  const steps: [string, () => Promise<unknown>][] = [
    ['GatherWriterMetadata', () => session.gatherWriterMetadata({ signal: signalFor('GatherWriterMetadata') })],
    ['StartSnapshotSet', async () => (setId = await session.startSnapshotSet())],
    ['AddToSnapshotSet', () => session.addToSnapshotSet('C:\\')],
    ['PrepareForBackup', () => session.prepareForBackup({ signal: signalFor('PrepareForBackup') })],
    ['DoSnapshotSet', () => session.doSnapshotSet({ signal: signalFor('DoSnapshotSet') })],
    ['BackupComplete', () => session.backupComplete({ signal: signalFor('BackupComplete') })],
  ];
  try {
    await session.initializeForBackup();
    await session.setContext(persistent ? 'app-rollback' : 'backup');
    await session.setBackupState({ selectComponents: false });
    for (const [call, step] of steps) {
      try {
        await step();
      } catch (error) {
        run.failedAt = call;
        run.thrown = error;
        break;
      }
      if (call === 'DoSnapshotSet') committed = true;
      if (call === 'DoSnapshotSet') run.contentPaths = sim.describe().shadows.flatMap((s) => (s.contentPath ? [s.contentPath] : []));
      if (call === 'BackupComplete') run.completed = true;
      if (['GatherWriterMetadata', 'PrepareForBackup', 'DoSnapshotSet', 'BackupComplete'].includes(call) && (await failingWriter())) {
        run.failedAt = call;
        break;
      }
    }
  } finally {
    // A requester's clean-up: end an unfinished backup, delete a failed persistent set, release. Once
    // DoSnapshotSet succeeded the writers have run PostSnapshot and hear no Abort (CVssWriter::OnAbort),
    // so it ends in BackupComplete, as VShadow ends a failed backup (no components: none to mark failed).
    if (setId && !run.completed) {
      if (committed) await session.backupComplete().catch(() => session.abortBackup().catch(() => undefined));
      else await session.abortBackup().catch(() => undefined);
      if (persistent) await session.deleteSnapshots(setId, { wholeSet: true, force: true }).catch(() => undefined);
    }
    await session.release();
  }
  return run;
}

async function lowLevel(phase: Phase, kind: Kind, persistent: boolean): Promise<void> {
  const sim = vss.createSimulator(scenario({ volumes: [{ name: 'C:\\', path: contentVolume() }] }));
  sim.configure({ faults: [writerFault(phase, kind)] });
  const { fails, callerTimeout } = writerOutcome(phase, kind);
  const run = await runLowLevel(sim, persistent, () => (callerTimeout ? AbortSignal.timeout(CALLER_TIMEOUT_MS) : undefined));
  expect(run.failedAt).toBe(CALL_OF_PHASE[phase]);
  if (callerTimeout) {
    expect((run.thrown as Error).name).toBe('TimeoutError');
  } else {
    expect(run.thrown).toBeNull();
    const status = writerStatus(sim);
    expect(status.state).toBe(`failed-at-${phase}`);
    expect(vss.hresultName(status.lastError)).toBe(fails);
  }
  checkMachineClean(sim, run.completed && persistent ? 1 : 0, run.contentPaths);
  await checkNextSessionSucceeds(sim);
}

describe('writer failure point x failure kind', () => {
  for (const phase of PHASES)
    for (const kind of KINDS) {
      const group = `writer ${phase} / ${kind.name}`;
      for (const persistent of [false, true]) {
        const p = persistent ? 'persistent' : 'non-persistent';
        matrixCase(group, `${group}: createSnapshotSet, ${p}`, () => highLevel(phase, kind, persistent));
        matrixCase(group, `${group}: BackupSession steps, ${p}`, () => lowLevel(phase, kind, persistent));
      }
    }
});

// A writer the default (component-mode) selection leaves out: ASR Writer, whose non-selectable
// \\BCD\\BCD lies on the System Reserved volume, outside a backup of C:. VShadow checks only the
// writers it selected (CheckSelectedWriterStatus), so its failure after identify does not fail
// the backup; the report names no failure and the plan says why the writer was out. At identify
// it gave no metadata, so nothing tells it would have been left out: the backup fails (never silent).
describe('a writer outside the selection fails', () => {
  const OUTSIDE = 'ASR Writer';
  for (const phase of PHASES) {
    const group = `writer outside the selection fails at ${phase}`;
    matrixCase(group, `${group}: createSnapshotSet`, async () => {
      const sim = vss.createSimulator(scenario());
      sim.configure({ faults: [{ writer: OUTSIDE, phase, times: 1, kind: 'fail', error: 'VSS_E_WRITERERROR_RETRYABLE' }] });
      if (phase === 'identify') {
        const error = await vss.createSnapshotSet(['C:\\'], { backend: sim }).catch((e: unknown) => e);
        expect(error).toMatchObject({ name: 'VssWriterError', operation: 'GatherWriterMetadata', writer: { name: OUTSIDE } });
        expect((error as vss.VssWriterError).report!.plan!.writers.find((w) => w.name === OUTSIDE)).toMatchObject({ reason: 'writer-failed' });
      } else {
        const set = await vss.createSnapshotSet(['C:\\'], { backend: sim });
        const report = await set.complete({ succeeded: true });
        expect(report.failures).toEqual([]);
        expect(report.plan!.writers.find((w) => w.name === OUTSIDE)).toMatchObject({ included: false, reason: 'non-selectable-component-excluded' });
        expect(writerStatus(sim, OUTSIDE).state).toBe(`failed-at-${phase}`);
      }
      checkMachineClean(sim, 0);
      await checkNextSessionSucceeds(sim);
    });
  }
});

// ------------------------------------------------------------ provider, volume, set in progress

describe('provider, volume and machine faults', () => {
  for (const persistent of [false, true]) {
    const p = persistent ? 'persistent' : 'non-persistent';
    matrixCase('provider fails at commit', `provider fails at commit: createSnapshotSet, ${p}`, async () => {
      const sim = vss.createSimulator(scenario());
      sim.configure({ faults: [{ provider: SYSTEM_PROVIDER, error: 'VSS_E_UNEXPECTED_PROVIDER_ERROR', times: 1 }] });
      const error = await vss.createSnapshotSet(['C:\\'], { backend: sim, persistent }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(vss.VssError);
      expect(error).not.toBeInstanceOf(vss.VssWriterError);
      expect(error).toMatchObject({ code: 'VSS_E_UNEXPECTED_PROVIDER_ERROR', operation: 'DoSnapshotSet' });
      // No writer failed; the aborted backup's report still says what it held.
      checkReport((error as vss.VssError).report!, 'aborted', null);
      checkMachineClean(sim, 0);
      await checkNextSessionSucceeds(sim);
    });
    matrixCase('provider fails at commit', `provider fails at commit: BackupSession steps, ${p}`, async () => {
      const sim = vss.createSimulator(scenario({ volumes: [{ name: 'C:\\', path: contentVolume() }] }));
      sim.configure({ faults: [{ provider: SYSTEM_PROVIDER, error: 'VSS_E_UNEXPECTED_PROVIDER_ERROR', times: 1 }] });
      const run = await runLowLevel(sim, persistent, () => undefined);
      expect(run.failedAt).toBe('DoSnapshotSet');
      expect(run.thrown).toMatchObject({ name: 'VssError', code: 'VSS_E_UNEXPECTED_PROVIDER_ERROR', operation: 'DoSnapshotSet' });
      checkMachineClean(sim, 0);
      await checkNextSessionSucceeds(sim);
    });
  }

  matrixCase('unsupported volume', 'unsupported volume: createSnapshotSet', async () => {
    const sim = vss.createSimulator(scenario());
    sim.configure({ faults: [{ volume: 'C:\\', unsupported: true }] });
    const error = await vss.createSnapshotSet(['C:\\'], { backend: sim }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'VssError', code: 'VSS_E_VOLUME_NOT_SUPPORTED', operation: 'AddToSnapshotSet' });
    checkReport((error as vss.VssError).report!, 'aborted', null);
    checkMachineClean(sim, 0);
    sim.configure({ faults: [] }); // an empty fault list clears volume faults too
    await checkNextSessionSucceeds(sim);
  });
  matrixCase('unsupported volume', 'unsupported volume: BackupSession steps', async () => {
    const sim = vss.createSimulator(scenario());
    sim.configure({ faults: [{ volume: 'C:\\', unsupported: true }] });
    const run = await runLowLevel(sim, false, () => undefined);
    expect(run.failedAt).toBe('AddToSnapshotSet');
    expect(run.thrown).toMatchObject({ code: 'VSS_E_VOLUME_NOT_SUPPORTED', hresult: vss.hresultValue('VSS_E_VOLUME_NOT_SUPPORTED') });
    checkMachineClean(sim, 0);
    sim.configure({ faults: [] }); // an empty fault list clears volume faults too
    await checkNextSessionSucceeds(sim);
  });

  matrixCase('snapshot set in progress', 'set in progress: createSnapshotSet fails without retry', async () => {
    const sim = vss.createSimulator(scenario({ snapshotSetInProgress: true }));
    const error = await vss.createSnapshotSet(['C:\\'], { backend: sim }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'VssError', code: 'VSS_E_SNAPSHOT_SET_IN_PROGRESS', operation: 'StartSnapshotSet' });
    expect((error as vss.VssError).remedy).toMatch(/retry/);
    // No set was started: there is no backup to report on.
    expect((error as vss.VssError).report).toBeUndefined();
    // The other requester finishes its set; ours left nothing behind.
    sim.configure({ snapshotSetInProgress: false });
    checkMachineClean(sim, 0);
    await checkNextSessionSucceeds(sim);
  });
  matrixCase('snapshot set in progress', 'set in progress: createSnapshotSet with retry succeeds once the other set ends', async () => {
    const sim = vss.createSimulator(scenario({ snapshotSetInProgress: true }));
    setTimeout(() => sim.configure({ snapshotSetInProgress: false }), 120);
    const set = await vss.createSnapshotSet(['C:\\'], { backend: sim, retry: { attempts: 20, delayMs: 20, maxDelayMs: 40 } });
    await set.complete({ succeeded: true });
    checkMachineClean(sim, 0);
    await checkNextSessionSucceeds(sim);
  });
  matrixCase('snapshot set in progress', 'set in progress: BackupSession steps', async () => {
    const sim = vss.createSimulator(scenario({ snapshotSetInProgress: true }));
    const run = await runLowLevel(sim, false, () => undefined);
    expect(run.failedAt).toBe('StartSnapshotSet');
    expect(run.thrown).toMatchObject({ code: 'VSS_E_SNAPSHOT_SET_IN_PROGRESS' });
    // The other requester finishes its set; ours left nothing behind.
    sim.configure({ snapshotSetInProgress: false });
    checkMachineClean(sim, 0);
    await checkNextSessionSucceeds(sim);
  });
});

// ------------------------------------------------------------ cancel at every step

// Real-time phases of 40 ms, so an abort lands inside the step it aims at.
const slowTiming = { timing: { timeScale: 1, identifyMs: 40, prepareBackupMs: 40, prepareSnapshotMs: 40, freezeMs: 40, commitMs: 40, thawMs: 40, postSnapshotMs: 40, backupCompleteMs: 40, statusMs: 40 } };
// Cancel cases: 80 ms phases, aimed at the middle of each, so a late timer on a busy
// machine still lands in the step. DoSnapshotSet runs prepare-snapshot, freeze,
// commit, thaw, post-snapshot: 80 ms each.
const cancelTiming = {
  timing: Object.fromEntries(Object.entries(slowTiming.timing).map(([k, v]) => [k, k === 'timeScale' ? v : v * 2])),
};
const doSnapshotPoints: [string, number][] = [
  ['prepare-snapshot', 40],
  ['freeze', 120],
  ['commit', 200],
  ['thaw', 280],
  ['post-snapshot', 360],
];

describe('cancel through AbortSignal at every step', () => {
  const highSteps: [string, string, number][] = [
    ['GatherWriterMetadata', 'GatherWriterMetadata', 30],
    ['PrepareForBackup', 'PrepareForBackup', 30],
    ['GatherWriterStatus', 'GatherWriterStatus', 30],
    ...doSnapshotPoints.map(([sub, at]): [string, string, number] => [`DoSnapshotSet (${sub})`, 'DoSnapshotSet', at]),
  ];
  for (const persistent of [false, true])
    for (const [label, operation, at] of highSteps)
      matrixCase('cancel (AbortSignal)', `cancel in ${label}: createSnapshotSet, ${persistent ? 'persistent' : 'non-persistent'}`, async () => {
        const sim = vss.createSimulator(scenario(cancelTiming));
        const controller = new AbortController();
        let started: number | undefined;
        const error = await vss
          .createSnapshotSet(['C:\\'], {
            backend: sim,
            persistent,
            signal: controller.signal,
            onProgress: (event) => {
              if (event.operation !== operation) return;
              started ??= performance.now();
              if (performance.now() - started >= at) controller.abort(new Error('stop'));
            },
          })
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(vss.AbortError);
        expect((error as vss.AbortError).code).toBe('ABORT_ERR');
        checkMachineClean(sim, 0);
        await checkNextSessionSucceeds(sim);
      });

  const lowSteps: [string, string, number][] = [
    ['GatherWriterMetadata', 'GatherWriterMetadata', 40],
    ['PrepareForBackup', 'PrepareForBackup', 40],
    ...doSnapshotPoints.map(([sub, at]): [string, string, number] => [`DoSnapshotSet (${sub})`, 'DoSnapshotSet', at]),
    ['BackupComplete', 'BackupComplete', 40],
  ];
  for (const [label, operation, at] of lowSteps)
    matrixCase('cancel (AbortSignal)', `cancel in ${label}: BackupSession steps`, async () => {
      const sim = vss.createSimulator(scenario({ ...cancelTiming, volumes: [{ name: 'C:\\', path: contentVolume() }] }));
      const run = await runLowLevel(sim, false, (call) => (call === operation ? abortAfter(at) : undefined));
      expect(run.failedAt).toBe(operation);
      expect(run.thrown).toBeInstanceOf(vss.AbortError);
      expect((run.thrown as vss.AbortError).operation).toBe(operation);
      checkMachineClean(sim, 0, run.contentPaths);
      await checkNextSessionSucceeds(sim);
    });
});

// ------------------------------------------------------------ killed at every step

// The simulated machine lives in the process, so "VSS survives a requester killed
// mid-backup" is modelled as: a child process holding the machine dies by SIGKILL at
// each step; a fresh machine from the same scenario must work, and nothing the dead
// process had on disk (shadow copy content folders) may stay behind.
const childScript = join(__dirname, 'kill-child.mjs');
const killSteps = [
  'create',
  'InitializeForBackup',
  'GatherWriterMetadata',
  'StartSnapshotSet',
  'AddToSnapshotSet',
  'PrepareForBackup',
  'DoSnapshotSet',
  'after-DoSnapshotSet',
  'BackupComplete',
  'release',
];

function killAt(step: string, scenarioJson: string): Promise<{ pid: number; sawStep: boolean; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [childScript, scenarioJson], { stdio: ['ignore', 'pipe', 'inherit'] });
    let sawStep = false;
    let buffer = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      if (!sawStep && buffer.split('\n').includes(`STEP ${step}`)) {
        sawStep = true;
        // Into the step: the async ones run for tens of milliseconds.
        setTimeout(() => child.kill('SIGKILL'), 15);
      }
    });
    child.on('error', reject);
    child.on('close', (_code, signal) => resolve({ pid: child.pid!, sawStep, signal }));
  });
}

describe('process killed (SIGKILL) at every step', () => {
  for (const step of killSteps)
    matrixCase(
      'killed (SIGKILL)',
      `killed in ${step}`,
      async () => {
        const volume = contentVolume();
        const scenarioObject = scenario({ ...slowTiming, volumes: [{ name: 'C:\\', path: volume }] });
        const { pid, sawStep, signal } = await killAt(step, JSON.stringify(scenarioObject));
        expect(sawStep).toBe(true);
        expect(signal).toBe('SIGKILL');
        const orphaned = () => readdirSync(tmpdir()).filter((name) => name.startsWith(`vss-sim-${pid}-`));
        // Killed once shadow copies with content exist: their folders are on disk now (so the check below can fail).
        if (step === 'after-DoSnapshotSet' || step === 'BackupComplete') expect(orphaned().length).toBeGreaterThan(0);
        // A fresh machine from the same scenario works, and reclaims what the dead one left.
        const sim = vss.createSimulator(scenario({ volumes: [{ name: 'C:\\', path: volume }] }));
        const set = await vss.createSnapshotSet(['C:\\'], { backend: sim });
        await set.complete({ succeeded: true });
        expect(orphaned()).toEqual([]);
        checkMachineClean(sim, 0);
        await checkNextSessionSucceeds(sim);
      },
      20_000,
    );
});
