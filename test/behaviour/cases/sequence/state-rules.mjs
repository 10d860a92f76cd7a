// The requester sequence and its state rules (issue: simulation engine, "Requester
// sequence and its states"). Runner-neutral: see ../../harness.d.ts.
import assert from 'node:assert/strict';

const both = ['linux', 'wine'];

async function initialized(h, scenario) {
  const m = await h.machine(scenario);
  const session = await h.session({ backend: m.backend });
  await session.initializeForBackup();
  return { m, session };
}

export default [
  {
    name: 'a call before InitializeForBackup fails with VSS_E_BAD_STATE',
    where: both,
    async run(h) {
      const m = await h.machine();
      const session = await h.session({ backend: m.backend });
      await assert.rejects(session.gatherWriterMetadata(), { name: 'VssError', code: 'VSS_E_BAD_STATE', operation: 'GatherWriterMetadata' });
      await assert.rejects(session.startSnapshotSet(), { code: 'VSS_E_BAD_STATE' });
    },
  },
  {
    name: 'InitializeForBackup twice fails with VSS_E_BAD_STATE',
    where: both,
    async run(h) {
      const { session } = await initialized(h);
      await assert.rejects(session.initializeForBackup(), { code: 'VSS_E_BAD_STATE', operation: 'InitializeForBackup' });
    },
  },
  {
    name: 'GatherWriterStatus needs GatherWriterMetadata first',
    where: both,
    async run(h) {
      const { session } = await initialized(h);
      await assert.rejects(session.gatherWriterStatus(), { code: 'VSS_E_BAD_STATE' });
      await session.gatherWriterMetadata();
      await session.gatherWriterStatus();
      assert.ok((await session.getWriterStatus()).length >= 9);
    },
  },
  {
    name: 'StartSnapshotSet needs GatherWriterMetadata in a context with writers',
    where: both,
    async run(h) {
      const { session } = await initialized(h);
      await assert.rejects(session.startSnapshotSet(), { code: 'VSS_E_BAD_STATE', operation: 'StartSnapshotSet' });
    },
  },
  {
    name: 'PrepareForBackup before StartSnapshotSet and DoSnapshotSet before PrepareForBackup fail with VSS_E_BAD_STATE',
    where: both,
    async run(h) {
      const { session } = await initialized(h);
      await session.gatherWriterMetadata();
      await assert.rejects(session.prepareForBackup(), { code: 'VSS_E_BAD_STATE' });
      await session.startSnapshotSet();
      await session.addToSnapshotSet('C:\\');
      await assert.rejects(session.doSnapshotSet(), { code: 'VSS_E_BAD_STATE', operation: 'DoSnapshotSet' });
      await session.abortBackup();
    },
  },
  {
    name: 'the full backup sequence walks writers through their states and ends stable',
    where: both,
    async run(h) {
      const { session } = await initialized(h, { timing: { timeScale: 0.01 } });
      await session.setContext('backup');
      await session.setBackupState({ selectComponents: false, backupType: 'full' });
      await session.gatherWriterMetadata();
      const setId = await session.startSnapshotSet();
      assert.match(setId, /^[0-9a-f-]{36}$/);
      const snapshotId = await session.addToSnapshotSet('C:\\');
      await session.prepareForBackup();
      await session.gatherWriterStatus();
      assert.ok((await session.getWriterStatus()).every((w) => w.state === 'stable'));
      await session.doSnapshotSet();
      await session.gatherWriterStatus();
      const afterSnapshot = await session.getWriterStatus();
      assert.ok(afterSnapshot.every((w) => w.state === 'waiting-for-backup-complete'), JSON.stringify(afterSnapshot.map((w) => w.state)));
      const shadow = await session.getSnapshotProperties(snapshotId);
      assert.equal(shadow.setId, setId);
      assert.equal(shadow.snapshotId, snapshotId);
      assert.equal(shadow.state, 'created');
      assert.match(shadow.deviceObject, /^\\\\\?\\GLOBALROOT\\Device\\HarddiskVolumeShadowCopy\d+$/);
      assert.match(shadow.originalVolume, /^\\\\\?\\Volume\{[0-9a-f-]{36}\}\\$/);
      await session.backupComplete();
      await session.gatherWriterStatus();
      assert.ok((await session.getWriterStatus()).every((w) => w.state === 'stable' && w.lastError === null));
    },
  },
  {
    name: 'AbortBackup is VSS_E_BAD_STATE before InitializeForBackup, ignored with no backup under way, and after PrepareForBackup thaws the writers',
    where: both,
    async run(h) {
      const m = await h.machine({ timing: { timeScale: 0.01 } });
      const uninitialized = await h.session({ backend: m.backend });
      await assert.rejects(uninitialized.abortBackup(), { code: 'VSS_E_BAD_STATE', operation: 'AbortBackup' });
      const { session } = await initialized(h, { timing: { timeScale: 0.01 } });
      await session.gatherWriterMetadata();
      await session.abortBackup(); // "If AbortBackup is called and no shadow copy or backup operations are underway, it is ignored."
      await session.startSnapshotSet();
      await session.addToSnapshotSet('C:\\');
      await session.prepareForBackup();
      await session.abortBackup();
      await session.gatherWriterStatus();
      assert.ok((await session.getWriterStatus()).every((w) => w.state === 'stable'));
      await assert.rejects(session.doSnapshotSet(), { code: 'VSS_E_BAD_STATE' });
    },
  },
  {
    name: 'SetContext rejects an unknown context with E_INVALIDARG and can be called only once',
    where: both,
    async run(h) {
      const { session } = await initialized(h);
      await assert.rejects(session.setContext(0x1234), { code: 'E_INVALIDARG', operation: 'SetContext' });
      await session.setContext('app-rollback');
      await assert.rejects(session.setContext('backup'), { code: 'VSS_E_BAD_STATE' });
    },
  },
];
