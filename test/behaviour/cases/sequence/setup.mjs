// Requester set-up through the COM backend: InitializeForBackup (fresh and from a
// saved Backup Components Document), SetContext for every context users need and
// SetBackupState. Runner-neutral (../../harness.d.ts): the same case runs on Linux
// against the simulated backend and under Wine through the emulated vssapi.dll.
import assert from 'node:assert/strict';

const everywhere = ['linux', 'wine'];
// Safe on a real Windows machine too: no simulated scenario needed, nothing left behind.
const withWindows = ['linux', 'wine', 'windows'];
const fast = { timing: { timeScale: 0.01 } };

async function started(h, scenario = fast) {
  const m = await h.machine(scenario);
  const session = await h.session({ backend: m.backend });
  await session.initializeForBackup();
  return { m, session };
}

// VSS_SNAPSHOT_CONTEXT values and what a shadow copy created in them must carry.
const contexts = [
  { name: 'backup', code: 0x0, persistent: false, writers: true },
  { name: 'file-share-backup', code: 0x10, persistent: false, writers: false },
  { name: 'app-rollback', code: 0x9, persistent: true, writers: true },
  { name: 'nas-rollback', code: 0x19, persistent: true, writers: false },
  { name: 'client-accessible', code: 0x1d, persistent: true, writers: false },
  { name: 'client-accessible-writers', code: 0xd, persistent: true, writers: true },
];

const contextCases = contexts.map((context) => ({
  name: `SetContext('${context.name}') creates shadow copies with context bits 0x${context.code.toString(16)} and ${context.persistent ? 'keeps them after release' : 'auto-releases them with the session'}`,
  where: everywhere,
  async run(h) {
    const { m, session } = await started(h);
    await session.setContext(context.name);
    // No-writers contexts need no metadata; the others must gather it first.
    if (context.writers) await session.gatherWriterMetadata();
    const setId = await session.startSnapshotSet();
    const snapshotId = await session.addToSnapshotSet('C:\\');
    await session.prepareForBackup();
    await session.doSnapshotSet();
    const shadow = await session.getSnapshotProperties(snapshotId);
    assert.equal(shadow.setId, setId);
    assert.equal(shadow.attributesCode & 0x1f, context.code, `attributes 0x${shadow.attributesCode.toString(16)}`);
    assert.equal(shadow.attributes.includes('persistent'), context.persistent);
    assert.equal(shadow.attributes.includes('no-writers'), !context.writers);
    if (context.writers) {
      await session.gatherWriterStatus();
      const states = (await session.getWriterStatus()).map((w) => w.state);
      assert.ok(states.every((s) => s === 'waiting-for-backup-complete'), states.join());
    } else {
      // Without writers there is no metadata, so no status either.
      await assert.rejects(session.gatherWriterStatus(), { code: 'VSS_E_BAD_STATE' });
    }
    await session.backupComplete();
    await session.release();

    const after = await h.session({ backend: m.backend });
    await after.initializeForBackup();
    await after.setContext(context.name);
    const left = (await after.querySnapshots()).map((s) => s.snapshotId);
    assert.equal(left.includes(snapshotId), context.persistent, `after release: ${left.join()}`);
  },
}));

export default [
  ...contextCases,
  {
    name: 'SetContext takes raw VSS_CTX_* bits with extra attributes (backup | rollback-recovery)',
    where: everywhere,
    async run(h) {
      const { session } = await started(h);
      await session.setContext(0x9 | 0x800000);
      await session.gatherWriterMetadata();
      await session.startSnapshotSet();
      const id = await session.addToSnapshotSet('C:\\');
      await session.prepareForBackup();
      await session.doSnapshotSet();
      const shadow = await session.getSnapshotProperties(id);
      assert.ok(shadow.attributes.includes('rollback-recovery'), shadow.attributes.join());
      assert.ok(shadow.attributes.includes('persistent'));
      await session.backupComplete();
    },
  },
  {
    name: 'SetBackupState records every backup type in the Backup Components Document',
    where: withWindows,
    async run(h) {
      const m = await h.machine(fast);
      for (const backupType of ['full', 'incremental', 'differential', 'log', 'copy']) {
        const session = await h.session({ backend: m.backend });
        await session.initializeForBackup();
        await session.setBackupState({ selectComponents: true, backupType });
        const xml = await session.saveAsXml();
        assert.match(xml, /<BACKUP_COMPONENTS/);
        const recorded = /backupType="([^"]+)"/.exec(xml)?.[1];
        assert.equal(recorded?.toLowerCase(), backupType === 'log' ? 'log' : backupType, xml.slice(0, 300));
        await session.release();
      }
    },
  },
  {
    name: 'SetBackupState: volume mode, bootable system state and partial file support reach the document',
    where: withWindows,
    async run(h) {
      const { session } = await started(h);
      await session.setBackupState({ selectComponents: false, bootableSystemState: true, backupType: 'copy', partialFileSupport: true });
      const xml = await session.saveAsXml();
      assert.match(xml, /selectComponents="no"/);
      assert.match(xml, /bootableSystemStateBackup="yes"/);
      assert.match(xml, /partialFileSupport="yes"/);
    },
  },
  {
    name: 'InitializeForBackup from a saved document brings back the backup state and the selected components',
    where: everywhere,
    async run(h) {
      const m = await h.machine({ base: 'sql-server', ...fast });
      const first = await h.session({ backend: m.backend });
      await first.initializeForBackup();
      await first.setBackupState({ backupType: 'differential' });
      await first.gatherWriterMetadata();
      const sql = (await first.getWriterMetadata()).find((w) => w.name === 'SqlServerWriter');
      assert.ok(sql, 'the SQL writer is on the sql-server machine');
      const salesDb = { writerId: sql.writerId, instanceId: sql.instanceId, type: 'file-group', logicalPath: 'SQL01', name: 'SalesDb' };
      await first.addComponent(salesDb);
      await first.setBackupOptions(salesDb, 'COPY_ONLY=0');
      const saved = await first.saveAsXml();
      await first.release();

      const second = await h.session({ backend: m.backend });
      await second.initializeForBackup(saved);
      assert.match(await second.saveAsXml(), /backupType="differential"/i);
      await second.gatherWriterMetadata();
      await second.startSnapshotSet();
      await second.addToSnapshotSet('E:\\');
      await second.prepareForBackup();
      const recorded = (await second.getWriterComponents()).find((w) => w.writerId === sql.writerId);
      assert.ok(recorded, 'the SQL writer has components in the document');
      const component = recorded.components.find((c) => c.name === 'SalesDb');
      assert.equal(component?.backupOptions, 'COPY_ONLY=0');
      await second.abortBackup();
    },
  },
  {
    name: 'InitializeForBackup rejects a document that is not a Backup Components Document',
    where: withWindows,
    async run(h) {
      const m = await h.machine();
      const session = await h.session({ backend: m.backend });
      await assert.rejects(session.initializeForBackup('<not-a-bcd/>'), (error) => {
        assert.equal(error.name, 'VssError');
        assert.equal(error.operation, 'InitializeForBackup');
        assert.ok(error.hresult >>> 0 >= 0x80000000, `a failure HRESULT, got ${error.code}`);
        return true;
      });
    },
  },
  {
    name: 'a session answers with the backend it runs on, and each session has its own requester state',
    where: withWindows,
    async run(h) {
      const m = await h.machine();
      const a = await h.session({ backend: m.backend });
      const b = await h.session({ backend: m.backend });
      assert.equal(a.backendName, h.where === 'linux' ? 'simulated' : 'com');
      await a.initializeForBackup();
      // b was never initialized: its state is its own.
      await assert.rejects(b.gatherWriterMetadata(), { code: 'VSS_E_BAD_STATE' });
      await a.gatherWriterMetadata();
    },
  },
];
