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
  kHasVolumes: [init, gather, start, prepare],
  kMetadataNotGathered: [init, gather],
  kRestoreMode: [init],
  kBeforePreRestore: [initRestore, gather, (s) => s.preRestore()],
  kBeforePostRestore: [initRestore, gather, (s) => s.preRestore(), (s) => s.postRestore()],
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
