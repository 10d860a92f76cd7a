// VSS_E_WRITERERROR_PARTIAL_FAILURE (issue 10): a writer that fails only some of its components reports
// each with IVssComponentEx2::SetFailure and itself with CVssWriterEx2::SetWriterFailureEx(
// VSS_E_WRITERERROR_PARTIAL_FAILURE): "The writer is reporting one or more component-level errors. To
// report errors, the writer must use the IVssComponentEx2::SetFailure method" (SetWriterFailureEx), and
// SetFailure's remarks: "In addition to calling this method, use CVssWriterEx2::SetWriterFailureEx ... to
// report that a partial writer failure has occurred". The requester sees the writer failed in its phase
// with that error (GetWriterStatus) and, per component, the failure or none (GetFailure). The scenario
// plays the writer: a 'fail' fault with the error, and a 'failure' on the component that failed.
import assert from 'node:assert/strict';

import { both, linux, scenario, scenarioRefused } from '../../helpers.mjs';

const ledger = {
  name: 'Ledger Writer',
  writerId: '2e7c4b1a-9d3f-4c6e-8a5b-1f0e9d8c7b6a',
  instanceId: '8c1d2e3f-4a5b-4c6d-9e8f-0a1b2c3d4e5f',
  volumes: ['D:\\'],
  components: [
    { name: 'Journal', logicalPath: 'Ledger', files: [{ path: 'D:\\Ledger\\Journal', filespec: '*' }] },
    {
      name: 'Index',
      logicalPath: 'Ledger',
      files: [{ path: 'D:\\Ledger\\Index', filespec: '*.idx' }],
      failure: { error: 'VSS_E_WRITERERROR_RETRYABLE', applicationError: 0x80070020, message: 'index 3 was locked' },
    },
  ],
};
const partialFault = { writer: 'Ledger Writer', phase: 'post-snapshot', kind: 'fail', error: 'VSS_E_WRITERERROR_PARTIAL_FAILURE', message: '1 of 2 components failed' };
const machine = (extra = {}) =>
  scenario({ base: 'windows-server-2022', volumes: [{ name: 'D:\\', label: 'Data' }], writers: [ledger], faults: [partialFault], ...extra });
const ref = (name) => ({ writerId: ledger.writerId, instanceId: ledger.instanceId, type: 'file-group', logicalPath: 'Ledger', name });

export default [
  {
    name: 'a writer failing with VSS_E_WRITERERROR_PARTIAL_FAILURE is failed-at-post-snapshot with it, and GetFailure names the component that failed (the other has none)',
    where: both,
    async run(h) {
      const m = await h.machine(machine());
      const session = await h.session({ backend: m.backend });
      await session.initializeForBackup();
      await session.setBackupState({ selectComponents: true, backupType: 'full' });
      await session.gatherWriterMetadata();
      for (const name of ['Journal', 'Index']) await session.addComponent(ref(name));
      await session.startSnapshotSet();
      await session.addToSnapshotSet('D:\\');
      await session.prepareForBackup();
      await session.doSnapshotSet();
      await session.gatherWriterStatus();
      const w = (await session.getWriterStatus()).find((s) => s.name === 'Ledger Writer');
      assert.equal(w.state, 'failed-at-post-snapshot');
      assert.equal(w.lastError?.name, 'VSS_E_WRITERERROR_PARTIAL_FAILURE');
      assert.equal(w.failureMessage, '1 of 2 components failed');
      const components = (await session.getWriterComponents()).find((x) => x.instanceId === ledger.instanceId).components;
      const index = components.find((c) => c.name === 'Index');
      const journal = components.find((c) => c.name === 'Journal');
      assert.equal(index.failure?.error.name, 'VSS_E_WRITERERROR_RETRYABLE');
      assert.equal(index.failure?.applicationError?.name, 'ERROR_SHARING_VIOLATION');
      assert.equal(index.failure?.message, 'index 3 was locked');
      assert.equal(journal.failure, null);
      await session.abortBackup();
    },
  },
  {
    name: 'createSnapshotSet over a partial failure rejects with a VssWriterError whose failedComponents (and message) name the failed component only',
    where: linux,
    async run(h) {
      const m = await h.machine(machine());
      await assert.rejects(h.vss.createSnapshotSet(['D:\\'], { backend: m.backend, correlateEvents: false }), (e) => {
        assert.equal(e.name, 'VssWriterError');
        assert.equal(e.code, 'VSS_E_WRITERERROR_PARTIAL_FAILURE');
        assert.deepEqual(
          e.failedComponents.map((c) => [c.instanceId, c.logicalPath, c.name, c.failure.error.name, c.failure.message]),
          [[ledger.instanceId, 'Ledger', 'Index', 'VSS_E_WRITERERROR_RETRYABLE', 'index 3 was locked']],
        );
        assert.match(e.message, /failed components: Ledger\\Index VSS_E_WRITERERROR_RETRYABLE 'index 3 was locked'/);
        return true;
      });
    },
  },
  {
    name: 'a writer failing with another error carries no failedComponents, and its message names none',
    where: linux,
    async run(h) {
      const m = await h.machine(machine({ faults: [{ ...partialFault, error: 'VSS_E_WRITERERROR_NONRETRYABLE' }] }));
      await assert.rejects(h.vss.createSnapshotSet(['D:\\'], { backend: m.backend, correlateEvents: false }), (e) => {
        assert.equal(e.code, 'VSS_E_WRITERERROR_NONRETRYABLE');
        assert.deepEqual(e.failedComponents, []);
        assert.doesNotMatch(e.message, /failed components/);
        return true;
      });
    },
  },
  {
    name: 'a scenario is refused: PARTIAL_FAILURE for a writer none of whose components has a failure, and a component failure of PARTIAL_FAILURE (not one of SetFailure\'s codes)',
    where: linux,
    async run(h) {
      const noFailure = { ...ledger, components: ledger.components.map(({ failure, ...c }) => c) };
      assert.throws(
        () => h.vss.createSimulator({ volumes: [{ name: 'D:\\' }], writers: [noFailure], faults: [partialFault] }),
        (e) => scenarioRefused(e) && /faults\[0\]\.error: VSS_E_WRITERERROR_PARTIAL_FAILURE reports component-level errors/.test(e.message),
      );
      const partialComponent = { ...ledger, components: [{ name: 'Index', failure: { error: 'VSS_E_WRITERERROR_PARTIAL_FAILURE' } }] };
      assert.throws(
        () => h.vss.createSimulator({ volumes: [{ name: 'D:\\' }], writers: [partialComponent] }),
        (e) => scenarioRefused(e) && /components\[0\]\.failure\.error: a component fails with S_OK or VSS_E_WRITERERROR_INCONSISTENTSNAPSHOT/.test(e.message),
      );
    },
  },
];
