// Restore through the COM backend: InitializeForRestore from the backup's document,
// SetSelectedForRestore, SetRestoreOptions, SetAdditionalRestores, PreRestore,
// SetFileRestoreStatus, PostRestore and the writers' restore status. Runner-neutral.
import assert from 'node:assert/strict';

const everywhere = ['linux', 'wine'];
const sqlMachine = { base: 'sql-server', timing: { timeScale: 0.01 } };

// A finished component-mode backup of SalesDb and msdb; returns its document.
async function backedUp(h, m) {
  const session = await h.session({ backend: m.backend });
  await session.initializeForBackup();
  await session.gatherWriterMetadata();
  const sql = (await session.getWriterMetadata()).find((w) => w.name === 'SqlServerWriter');
  const component = (name) => ({ writerId: sql.writerId, instanceId: sql.instanceId, type: 'file-group', logicalPath: 'SQL01', name });
  await session.addComponent(component('SalesDb'));
  await session.addComponent(component('msdb'));
  await session.startSnapshotSet();
  await session.addToSnapshotSet('E:\\');
  await session.addToSnapshotSet('F:\\');
  await session.prepareForBackup();
  await session.doSnapshotSet();
  await session.setBackupSucceeded(component('SalesDb'), true);
  await session.setBackupSucceeded(component('msdb'), true);
  await session.backupComplete();
  const xml = await session.saveAsXml();
  await session.release();
  return { xml, sql, component };
}

async function restoring(h, m, xml) {
  const session = await h.session({ backend: m.backend });
  await session.initializeForRestore(xml);
  await session.gatherWriterMetadata();
  return session;
}

export default [
  {
    name: 'a whole restore: select, options, additional restores, PreRestore, file restore status, PostRestore',
    where: everywhere,
    async run(h) {
      const m = await h.machine(sqlMachine);
      const { xml, sql, component } = await backedUp(h, m);
      const session = await restoring(h, m, xml);
      await session.setSelectedForRestore(component('SalesDb'), true);
      await session.setRestoreOptions(component('SalesDb'), 'WITH NORECOVERY');
      await session.setAdditionalRestores(component('SalesDb'), true);
      await session.preRestore();
      await session.setFileRestoreStatus(component('SalesDb'), 'all');
      await session.postRestore();
      const [writer] = await session.getWriterComponents();
      assert.equal(writer.writerId, sql.writerId);
      const sales = writer.components.find((c) => c.name === 'SalesDb');
      const msdb = writer.components.find((c) => c.name === 'msdb');
      assert.equal(sales.selectedForRestore, true);
      assert.equal(sales.restoreOptions, 'WITH NORECOVERY');
      assert.equal(sales.additionalRestores, true);
      assert.equal(sales.fileRestoreStatus, 'all');
      assert.equal(msdb.selectedForRestore, false);
      await session.gatherWriterStatus();
      const status = (await session.getWriterStatus()).find((w) => w.writerId === sql.writerId);
      assert.equal(status.state, 'stable');
      assert.equal(status.lastError, null);
    },
  },
  {
    name: 'the restore document keeps what the backup recorded: components, success and stamps',
    where: everywhere,
    async run(h) {
      const m = await h.machine(sqlMachine);
      const { xml } = await backedUp(h, m);
      const session = await restoring(h, m, xml);
      const [writer] = await session.getWriterComponents();
      const names = writer.components.map((c) => c.name).sort();
      assert.deepEqual(names, ['SalesDb', 'msdb']);
      for (const c of writer.components) {
        assert.equal(c.backupSucceeded, true, c.name);
        assert.ok(c.backupStamp.length > 0, `${c.name} has its backup stamp`);
      }
    },
  },
  {
    name: 'a writer failing at pre-restore is reported failed-at-pre-restore',
    where: everywhere,
    async run(h) {
      const m = await h.machine(sqlMachine);
      const { xml, component } = await backedUp(h, m);
      await m.configure({ faults: [{ writer: 'SqlServerWriter', phase: 'pre-restore', error: 'VSS_E_WRITERERROR_NONRETRYABLE', message: 'database in use' }] });
      const session = await restoring(h, m, xml);
      await session.setSelectedForRestore(component('SalesDb'), true);
      await session.preRestore();
      await session.gatherWriterStatus();
      const w = (await session.getWriterStatus()).find((s) => s.name === 'SqlServerWriter');
      assert.equal(w.state, 'failed-at-pre-restore');
      assert.equal(w.lastError?.name, 'VSS_E_WRITERERROR_NONRETRYABLE');
      assert.equal(w.failureMessage, 'database in use');
    },
  },
  {
    name: 'a writer failing at post-restore is reported failed-at-post-restore',
    where: everywhere,
    async run(h) {
      const m = await h.machine(sqlMachine);
      const { xml, component } = await backedUp(h, m);
      await m.configure({ faults: [{ writer: 'SqlServerWriter', phase: 'post-restore', error: 'VSS_E_WRITERERROR_RETRYABLE' }] });
      const session = await restoring(h, m, xml);
      await session.setSelectedForRestore(component('SalesDb'), true);
      await session.preRestore();
      await session.setFileRestoreStatus(component('SalesDb'), 'failed');
      await session.postRestore();
      await session.gatherWriterStatus();
      const w = (await session.getWriterStatus()).find((s) => s.name === 'SqlServerWriter');
      assert.equal(w.state, 'failed-at-post-restore');
      assert.equal(w.lastError?.name, 'VSS_E_WRITERERROR_RETRYABLE');
    },
  },
  {
    name: 'restore calls keep their order: SetFileRestoreStatus before PreRestore and PostRestore before PreRestore fail with VSS_E_BAD_STATE',
    where: everywhere,
    async run(h) {
      const m = await h.machine(sqlMachine);
      const { xml, component } = await backedUp(h, m);
      const session = await restoring(h, m, xml);
      await session.setSelectedForRestore(component('SalesDb'), true);
      await assert.rejects(session.setFileRestoreStatus(component('SalesDb'), 'all'), { code: 'VSS_E_BAD_STATE', operation: 'SetFileRestoreStatus' });
      await assert.rejects(session.postRestore(), { code: 'VSS_E_BAD_STATE', operation: 'PostRestore' });
      await assert.rejects(session.setSelectedForRestore(component('model'), true), (e) => {
        assert.equal(e.code, 'VSS_E_OBJECT_NOT_FOUND');
        return true;
      });
    },
  },
  {
    name: 'restore calls in a backup session fail with VSS_E_BAD_STATE, and InitializeForRestore needs a document',
    where: everywhere,
    async run(h) {
      const m = await h.machine(sqlMachine);
      const { component } = await backedUp(h, m);
      const session = await h.session({ backend: m.backend });
      await session.initializeForBackup();
      await session.gatherWriterMetadata();
      await assert.rejects(session.setSelectedForRestore(component('SalesDb'), true), { code: 'VSS_E_BAD_STATE' });
      await assert.rejects(session.preRestore(), { code: 'VSS_E_BAD_STATE', operation: 'PreRestore' });
      const other = await h.session({ backend: m.backend });
      await assert.rejects(other.initializeForRestore('garbage'), (e) => {
        assert.equal(e.name, 'VssError');
        assert.equal(e.operation, 'InitializeForRestore');
        return true;
      });
    },
  },
];
