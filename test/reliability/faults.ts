// The fault matrix's parts: writer failure points, failure kinds, the checks
// every case ends with. Shared by fault-matrix.test.ts and the stress runs.
import { existsSync } from 'node:fs';

import * as vss from '../../lib/index.js';

export const WRITER = 'System Writer';
export const SYSTEM_PROVIDER = 'b5946137-7b9f-4925-af80-51abd60b20d5';

export const PHASES = ['identify', 'prepare-backup', 'prepare-snapshot', 'freeze', 'thaw', 'post-snapshot', 'backup-complete'] as const;
export type Phase = (typeof PHASES)[number];

/** The COM call during which VSS sends each writer event. */
export const CALL_OF_PHASE: Record<Phase, string> = {
  identify: 'GatherWriterMetadata',
  'prepare-backup': 'PrepareForBackup',
  'prepare-snapshot': 'DoSnapshotSet',
  freeze: 'DoSnapshotSet',
  thaw: 'DoSnapshotSet',
  'post-snapshot': 'DoSnapshotSet',
  'backup-complete': 'BackupComplete',
};

export interface Kind {
  name: string;
  fault: Record<string, unknown>;
  /** The writer's last error when it fails; null when the writer does not fail (it is only late). */
  hresult: string | null;
}

// Simulated durations run at 1/1000 (timeScale 0.001): a phase takes well under
// a millisecond, a writer's 60 s freeze timeout 60 ms, VSS's 180 s wait for a
// writer that never answers 180 ms.
export const TIME_SCALE = 0.001;
/** A slow writer's extra time (simulated ms): past the 60 s freeze timeout and VSS's 180 s response timeout. */
export const SLOW_MS = 400_000;
/** The caller's own timeout (real ms), shorter than VSS's response timeout (180 ms at this scale) outside freeze. */
export const CALLER_TIMEOUT_MS = 100;

export const KINDS: Kind[] = [
  { name: 'retryable', fault: { kind: 'fail', error: 'VSS_E_WRITERERROR_RETRYABLE' }, hresult: 'VSS_E_WRITERERROR_RETRYABLE' },
  { name: 'non-retryable', fault: { kind: 'fail', error: 'VSS_E_WRITERERROR_NONRETRYABLE' }, hresult: 'VSS_E_WRITERERROR_NONRETRYABLE' },
  { name: 'timeout', fault: { kind: 'fail', error: 'VSS_E_WRITERERROR_TIMEOUT' }, hresult: 'VSS_E_WRITERERROR_TIMEOUT' },
  {
    name: 'inconsistent snapshot',
    fault: { kind: 'fail', error: 'VSS_E_WRITERERROR_INCONSISTENTSNAPSHOT' },
    hresult: 'VSS_E_WRITERERROR_INCONSISTENTSNAPSHOT',
  },
  {
    name: 'out of resources',
    fault: { kind: 'fail', error: 'VSS_E_WRITERERROR_OUTOFRESOURCES' },
    hresult: 'VSS_E_WRITERERROR_OUTOFRESOURCES',
  },
  // At freeze the writer's freeze timeout fails it (VSS_E_WRITERERROR_TIMEOUT); elsewhere the
  // caller's own timeout (AbortSignal) ends it before VSS's response timeout would fail the writer.
  { name: 'slow past the timeout', fault: { kind: 'slow', delayMs: SLOW_MS }, hresult: null },
  // VSS stops waiting for a writer that never answers (responseTimeoutMs) and fails it as timed out.
  { name: 'never answers', fault: { kind: 'hang' }, hresult: 'VSS_E_WRITERERROR_TIMEOUT' },
];

export function scenario(extra: Record<string, unknown> = {}): vss.Scenario {
  return { base: 'windows-server-2022', timing: { timeScale: TIME_SCALE }, ...extra };
}

export function writerFault(phase: Phase, kind: Kind): Record<string, unknown> {
  return { writer: WRITER, phase, times: 1, ...kind.fault };
}

/** What a case expects of the writer: failed with an HRESULT, merely late (caller's timeout), or unaffected. */
export function writerOutcome(phase: Phase, kind: Kind): { fails: string | null; callerTimeout: boolean } {
  if (kind.name === 'slow past the timeout') {
    if (phase === 'freeze') return { fails: 'VSS_E_WRITERERROR_TIMEOUT', callerTimeout: false };
    return { fails: null, callerTimeout: true };
  }
  return { fails: kind.hresult, callerTimeout: false };
}

/**
 * The checks every case ends with: (2) no writer left waiting, (3) no shadow copy
 * left but the ones a finished persistent backup keeps, no set in progress, no
 * live session, no content folder of a deleted shadow copy left on disk.
 */
export function checkMachineClean(sim: vss.Simulator, keptShadows: number, contentPaths: string[] = []): void {
  const state = sim.describe();
  const waiting = state.writers.filter((w) => String(w.state).startsWith('waiting-'));
  if (waiting.length) throw new Error(`writers left waiting: ${waiting.map((w) => `${w.name} ${w.state}`).join(', ')}`);
  if (state.shadows.length !== keptShadows)
    throw new Error(`expected ${keptShadows} shadow copies left, found ${state.shadows.length}`);
  if (state.snapshotSetInProgress) throw new Error('a snapshot set is still in progress');
  if (state.sessions !== 0) throw new Error(`${String(state.sessions)} sessions still open on the machine`);
  const live = new Set(state.shadows.map((s) => s.contentPath));
  for (const path of contentPaths) if (!live.has(path) && existsSync(path)) throw new Error(`content folder left on disk: ${path}`);
}

/** (4): the next backup on the same machine succeeds, and leaves every writer stable. */
export async function checkNextSessionSucceeds(sim: vss.Simulator): Promise<void> {
  const before = sim.describe().shadows.length;
  const set = await vss.createSnapshotSet(['C:\\'], { backend: sim });
  await set.complete({ succeeded: true });
  const state = sim.describe();
  const unstable = state.writers.filter((w) => w.state !== 'stable');
  if (unstable.length) throw new Error(`after the next backup: ${unstable.map((w) => `${w.name} ${w.state}`).join(', ')}`);
  if (state.shadows.length !== before) throw new Error('the next (non-persistent) backup left a shadow copy');
}

export function writerStatus(sim: vss.Simulator, name = WRITER) {
  return sim.describe().writers.find((w) => w.name === name)!;
}
