// Reads the engine's table of method preconditions (native/sim/method_rules.inc) and
// breaks each row on a simulated machine: the call must fail with the row's result
// and reason. A row without a way to break it here fails the test, so the table and
// what the engine enforces cannot drift apart.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { BackupSession, createSimulator, hresultName, hresultValue } from '../lib/index.js';

const root = join(__dirname, '..');
// hr::k constants are looked up in the HRESULT table by name (native/core/hresult.h).
const constants = new Map(
  [...readFileSync(join(root, 'native/core/hresult.h'), 'utf8').matchAll(/constexpr uint32_t (k\w+) = FromTable\("(\w+)"\);/g)].map((m) => [m[1]!, hresultValue(m[2]!)!]),
);
const rows = [...readFileSync(join(root, 'native/sim/method_rules.inc'), 'utf8').matchAll(/^RULE\("(\w+)", (\w+), (\w+), "([^"]+)", "([^"]+)"\)$/gm)].map((m) => ({
  method: m[1]!,
  precondition: m[2]!,
  result: m[3]!,
  doc: m[4]!,
  why: m[5]!,
}));

type Step = (s: BackupSession) => Promise<unknown>;
const init: Step = (s) => s.initializeForBackup();
const gather: Step = (s) => s.gatherWriterMetadata();
const start: Step = (s) => s.startSnapshotSet();
const add: Step = (s) => s.addToSnapshotSet('C:\\');
const prepare: Step = (s) => s.prepareForBackup();
const snapshot: Step = (s) => s.doSnapshotSet();
// A restore session: InitializeForRestore with a document another session on the same machine saved.
const initRestore: Step = async (s) => {
  const other = await BackupSession.create({ backend: sims.get(s)! });
  try {
    await other.initializeForBackup();
    await other.gatherWriterMetadata();
    await s.initializeForRestore(await other.saveAsXml());
  } finally {
    await other.release();
  }
};
const sims = new WeakMap<BackupSession, ReturnType<typeof createSimulator>>();
const offline: Step = async (s) =>
  sims.get(s)!.configure({ volumes: [{ name: 'C:\\', protectionLevel: 'snapshot' }], faults: [{ volume: 'C:\\', protectionFault: 'cow-write-failure' }] });
// The System Writer's component: the restore-time rows are checked before the component is looked up.
const systemFiles = { writerId: 'e8132975-6f93-4464-a53e-1050253ae220', instanceId: '00000000-0000-4000-8000-000000000002', type: 'file-group' as const, name: 'System Files' };

/** Steps that leave a session where the precondition does not hold (and the method's earlier rows do). */
const breaking: Record<string, Step[]> = {
  kInitialized: [],
  kBackupMode: [],
  kBeforeWriterMetadata: [init, gather],
  kContextNotSet: [init, (s) => s.setContext('backup')],
  kBeforeSnapshotSet: [init, gather, start],
  'StartSnapshotSet/kBeforeSnapshotSet': [init, gather, start, add, prepare, snapshot],
  kNoSetInCreation: [init, gather, start],
  kCreationContext: [init, (s) => s.setContext(0xffffffff)],
  kWritersIdentified: [init],
  kSetStarted: [init, gather],
  kReadyToCommit: [init, gather, start, add],
  kSetNotCreated: [init, gather, start, add, prepare, snapshot],
  kHasVolumes: [init, gather, start, prepare],
  kMetadataNotGathered: [init, gather],
  kRestoreMode: [init],
  kBeforePreRestore: [initRestore, gather, (s) => s.preRestore()],
  kBeforePostRestore: [initRestore, gather, (s) => s.preRestore(), (s) => s.postRestore()],
  // InitializeForBackup with no document: nothing transportable to import.
  kTransportableDocument: [init],
  // A protection fault at level snapshot takes C: offline (before it is added; after, at commit).
  'AddToSnapshotSet/kVolumesOnline': [init, gather, start, (s) => offline(s)],
  'DoSnapshotSet/kVolumesOnline': [init, gather, start, add, prepare, (s) => offline(s)],
  // Less free space on C: (its own shadow storage) than a new copy needs.
  kShadowStorageAvailable: [init, gather, start, add, prepare, async (s) => sims.get(s)!.configure({ volumes: [{ name: 'C:\\', freeSpace: 100 * 1024 * 1024 }] })],
};

const calls: Record<string, Step> = {
  SetContext: (s) => s.setContext('backup'),
  SetBackupState: (s) => s.setBackupState({}),
  StartSnapshotSet: start,
  AddToSnapshotSet: add,
  PrepareForBackup: prepare,
  DoSnapshotSet: snapshot,
  GatherWriterMetadata: gather,
  EnableWriterClasses: (s) => s.enableWriterClasses(['e8132975-6f93-4464-a53e-1050253ae220']),
  DisableWriterClasses: (s) => s.disableWriterClasses(['e8132975-6f93-4464-a53e-1050253ae220']),
  DisableWriterInstances: (s) => s.disableWriterInstances(['e8132975-6f93-4464-a53e-1050253ae220']),
  RevertToSnapshot: (s) => s.revertToSnapshot('00000000-0000-4000-8000-000000000001'),
  QueryRevertStatus: (s) => s.queryRevertStatus('C:\\'),
  SetRestoreState: (s) => s.setRestoreState('by-copy'),
  AddNewTarget: (s) => s.addNewTarget(systemFiles, { path: 'C:\\Windows', filespec: '*', alternatePath: 'D:\\Restored' }),
  SetAuthoritativeRestore: (s) => s.setAuthoritativeRestore(systemFiles, true),
  SetRestoreName: (s) => s.setRestoreName(systemFiles, 'restored'),
  SetRollForward: (s) => s.setRollForward(systemFiles, 'all'),
  AddRestoreSubcomponent: (s) => s.addRestoreSubcomponent(systemFiles, { logicalPath: 'System Files', name: 'Part' }),
  AddAlternativeLocationMapping: (s) => s.addAlternativeLocationMapping(systemFiles, { path: 'C:\\Windows', filespec: '*', destination: 'D:\\Restored' }),
  SetRangesFilePath: (s) => s.setRangesFilePath(systemFiles, 0, 'D:\\ranges'),
  ImportSnapshots: (s) => s.importSnapshots(),
};

describe('the method rules table (native/sim/method_rules.inc)', () => {
  it('has rows, each naming a BackupSession method, a known HRESULT and a Microsoft page', () => {
    expect(rows.length).toBeGreaterThan(10);
    for (const row of rows) {
      const camel = row.method[0]!.toLowerCase() + row.method.slice(1);
      expect(typeof (BackupSession.prototype as unknown as Record<string, unknown>)[camel], row.method).toBe('function');
      expect(constants.has(row.result), row.result).toBe(true);
      expect(hresultName(constants.get(row.result)!)).toMatch(/^(VSS_E_|E_)/);
      if (row.doc.startsWith('https://')) expect(row.doc).toMatch(/^https:\/\/learn\.microsoft\.com\//);
      else expect(row.doc).toBe(`nf-vsbackup-ivssbackupcomponents-${row.method.toLowerCase()}`);
    }
  });

  for (const row of rows) {
    it(`${row.method} fails with ${row.result} unless ${row.precondition}`, async () => {
      const steps = breaking[`${row.method}/${row.precondition}`] ?? breaking[row.precondition];
      expect(steps, `no way to break ${row.precondition} in this test`).toBeDefined();
      const sim = createSimulator({ timing: { timeScale: 0.001 } });
      const session = await BackupSession.create({ backend: sim });
      sims.set(session, sim);
      try {
        for (const step of steps!) await step(session);
        await expect(calls[row.method]!(session)).rejects.toMatchObject({
          code: hresultName(constants.get(row.result)!),
          operation: row.method,
          message: expect.stringContaining(row.why),
        });
      } finally {
        await session.release();
      }
    });
  }
});

// The WINDOW rows: DoSnapshotSet's flush-and-hold window. Each row is broken by a machine whose
// timing overruns its stage, and the set must be gone; the same total inside the window succeeds.
const windows = [
  ...readFileSync(join(root, 'native/sim/method_rules.inc'), 'utf8').matchAll(/^WINDOW\("(\w+)", (\w+), (\d+), (\w+), "([^"]+)", "([^"]+)"\)$/gm),
].map((m) => ({ method: m[1]!, stage: m[2]!, limitMs: Number(m[3]), result: m[4]!, doc: m[5]!, why: m[6]! }));

/** Timings that overrun each stage alone (the other stage well inside). */
const overrun: Record<string, (limitMs: number) => Record<string, number>> = {
  kFlushWrites: (limitMs) => ({ flushMs: limitMs + 500, commitMs: 100 }),
  kHoldWrites: (limitMs) => ({ flushMs: limitMs / 2, commitMs: limitMs / 2 + 500 }),
};

async function snapshotWith(timing: Record<string, number>) {
  const sim = createSimulator({ timing: { timeScale: 0.001, ...timing } });
  const session = await BackupSession.create({ backend: sim });
  try {
    for (const step of [init, gather, start, add, prepare]) await step(session);
    const error = await snapshot(session).then(
      () => null,
      (e: unknown) => e,
    );
    // Checked while the session lives: releasing it would drop a non-persistent copy anyway.
    expect(sim.describe().shadows, 'no shadow copy is left').toEqual([]);
    return error;
  } finally {
    await session.release();
  }
}

describe('the flush-and-hold window rows (WINDOW in native/sim/method_rules.inc)', () => {
  it('has one row per stage, both DoSnapshotSet, 10 s, naming its result and page', () => {
    expect(windows.map((w) => [w.method, w.stage, w.limitMs, w.result])).toEqual([
      ['DoSnapshotSet', 'kFlushWrites', 10_000, 'kVssFlushWritesTimeout'],
      ['DoSnapshotSet', 'kHoldWrites', 10_000, 'kVssHoldWritesTimeout'],
    ]);
    for (const w of windows) expect(w.doc).toBe('nf-vsbackup-ivssbackupcomponents-dosnapshotset');
  });

  for (const w of windows) {
    it(`${w.method} fails with ${w.result} when ${w.stage} overruns ${w.limitMs} ms, and keeps no shadow copy`, async () => {
      const error = await snapshotWith(overrun[w.stage]!(w.limitMs));
      expect(error).toMatchObject({ code: hresultName(constants.get(w.result)!), operation: w.method, message: expect.stringContaining(w.why) });
    });
  }

  it('flush and commit together inside the window make the set', async () => {
    const sim = createSimulator({ timing: { timeScale: 0.001, flushMs: 4_000, commitMs: 5_500 } });
    const session = await BackupSession.create({ backend: sim });
    try {
      for (const step of [init, gather, start, add, prepare, snapshot]) await step(session);
      expect(sim.describe().shadows).toHaveLength(1);
    } finally {
      await session.release();
    }
  });
});

// The ABORT rows: at each point a backup can end early, whether the writers taking part hear Abort
// and whether the set's auto-release shadow copies go. A writer whose OnAbort leaves it in a state
// nothing else gives ('waiting-for-thaw') witnesses the Abort event; a thaw veto has a copy to delete.
const aborts = [
  ...readFileSync(join(root, 'native/sim/method_rules.inc'), 'utf8').matchAll(/^ABORT\((\w+), (\w+), (\w+), "([^"]+)", "([^"]+)"\)$/gm),
].map((m) => ({ when: m[1]!, writers: m[2]!, shadows: m[3]!, doc: m[4]!, why: m[5]! }));

const witness = { writer: 'System Writer', phase: 'abort', kind: 'state', state: 'waiting-for-thaw' } as const;
const veto = (phase: string) => ({ writer: 'Registry Writer', phase, kind: 'veto', error: 'VSS_E_WRITERERROR_NONRETRYABLE' }) as const;
/** How each point is reached: the machine, then the calls (the last one may fail as VSS fails it). */
const reach: Record<string, { faults?: object[]; timing?: Record<string, number>; steps: Step[] }> = {
  kRequesterBeforePostSnapshot: { steps: [init, gather, start, add, prepare, (s) => s.abortBackup()] },
  kWriterFailsFreezeOrThaw: { faults: [veto('thaw')], steps: [init, gather, start, add, prepare, snapshot] },
  kCreationFails: { timing: { flushMs: 10_500 }, steps: [init, gather, start, add, prepare, snapshot] },
  kWriterVetoesPrepareSnapshot: { faults: [veto('prepare-snapshot')], steps: [init, gather, start, add, prepare, snapshot] },
  kRequesterAfterPostSnapshot: { steps: [init, gather, start, add, prepare, snapshot, (s) => s.abortBackup()] },
};

describe('the abort rows (ABORT in native/sim/method_rules.inc)', () => {
  it('has one row per point, each naming a Microsoft page', () => {
    expect(aborts.map((a) => a.when).sort()).toEqual(Object.keys(reach).sort());
    for (const a of aborts) {
      expect(['kWritersHearAbort', 'kNoWriterHearsAbort']).toContain(a.writers);
      expect(['kShadowsDeleted', 'kShadowsKept']).toContain(a.shadows);
      if (a.doc.startsWith('https://')) expect(a.doc).toMatch(/^https:\/\/learn\.microsoft\.com\//);
      else expect(a.doc).toMatch(/^nf-vsbackup-ivssbackupcomponents-/);
    }
  });

  for (const a of aborts) {
    it(`${a.when}: ${a.writers === 'kWritersHearAbort' ? 'the writers hear Abort' : 'no writer hears Abort'}, the set's shadow copies ${a.shadows === 'kShadowsDeleted' ? 'go' : 'stay'}`, async () => {
      const way = reach[a.when]!;
      const sim = createSimulator({ timing: { timeScale: 0.001, ...way.timing }, faults: [witness, ...(way.faults ?? [])] });
      const session = await BackupSession.create({ backend: sim });
      try {
        for (const [i, step] of way.steps.entries()) {
          if (i < way.steps.length - 1 || step !== snapshot) await step(session);
          else await expect(step(session)).rejects.toMatchObject({ operation: 'DoSnapshotSet' });
        }
        await session.gatherWriterStatus();
        const system = (await session.getWriterStatus()).find((w) => w.name === 'System Writer')!;
        if (a.writers === 'kWritersHearAbort') expect(system.state).toBe('waiting-for-thaw');
        else expect(system.state).not.toBe('waiting-for-thaw');
        // Checked while the session lives: releasing it would drop a non-persistent copy anyway.
        expect(sim.describe().shadows).toHaveLength(a.shadows === 'kShadowsKept' ? 1 : 0);
      } finally {
        await session.release();
      }
    });
  }

  it('after a PrepareForSnapshot veto the requester’s AbortBackup is the Abort the writers hear', async () => {
    const sim = createSimulator({ timing: { timeScale: 0.001 }, faults: [witness, veto('prepare-snapshot')] });
    const session = await BackupSession.create({ backend: sim });
    try {
      for (const step of [init, gather, start, add, prepare]) await step(session);
      await expect(snapshot(session)).rejects.toMatchObject({ code: 'VSS_E_WRITERERROR_NONRETRYABLE' });
      await session.abortBackup();
      await session.gatherWriterStatus();
      expect((await session.getWriterStatus()).find((w) => w.name === 'System Writer')!.state).toBe('waiting-for-thaw');
    } finally {
      await session.release();
    }
  });
});
