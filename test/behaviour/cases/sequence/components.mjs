// Component-mode backups through the COM backend: AddComponent, SetBackupOptions,
// SetPreviousBackupStamp, SetBackupSucceeded and the Backup Components Document
// read back with GetWriterComponentsCount/GetWriterComponents. Runner-neutral.
import assert from 'node:assert/strict';

const everywhere = ['linux', 'wine'];
const sqlMachine = { base: 'sql-server', timing: { timeScale: 0.01 } };

async function sqlSession(h, m) {
  const session = await h.session({ backend: m.backend });
  await session.initializeForBackup();
  await session.gatherWriterMetadata();
  const sql = (await session.getWriterMetadata()).find((w) => w.name === 'SqlServerWriter');
  assert.ok(sql, 'the SQL writer is on the sql-server machine');
  const component = (name) => ({ writerId: sql.writerId, instanceId: sql.instanceId, type: 'file-group', logicalPath: 'SQL01', name });
  return { session, sql, component };
}

async function snapshot(session, volumes = ['E:\\', 'F:\\']) {
  await session.startSnapshotSet();
  for (const v of volumes) await session.addToSnapshotSet(v);
  await session.prepareForBackup();
  await session.doSnapshotSet();
}

export default [
  {
    name: 'AddComponent, SetBackupOptions and SetPreviousBackupStamp are recorded for each component',
    where: everywhere,
    async run(h) {
      const m = await h.machine(sqlMachine);
      const { session, sql, component } = await sqlSession(h, m);
      await session.setBackupState({ backupType: 'incremental' });
      await session.addComponent(component('SalesDb'));
      await session.addComponent(component('msdb'));
      await session.setBackupOptions(component('SalesDb'), 'CHECKSUM=1');
      await session.setPreviousBackupStamp(component('SalesDb'), 'lsn:4711');
      await snapshot(session);
      const writers = await session.getWriterComponents();
      assert.equal(writers.length, 1);
      assert.equal(writers[0].writerId, sql.writerId);
      assert.equal(writers[0].instanceId, sql.instanceId);
      const byName = Object.fromEntries(writers[0].components.map((c) => [c.name, c]));
      assert.deepEqual(Object.keys(byName).sort(), ['SalesDb', 'msdb']);
      assert.equal(byName.SalesDb.backupOptions, 'CHECKSUM=1');
      assert.equal(byName.SalesDb.previousBackupStamp, 'lsn:4711');
      assert.equal(byName.SalesDb.logicalPath, 'SQL01');
      assert.equal(byName.SalesDb.type, 'file-group');
      assert.equal(byName.msdb.backupOptions, '');
      assert.equal(byName.SalesDb.backupSucceeded, false);
      await session.backupComplete();
    },
  },
  {
    // IVssComponent::SetBackupStamp: writers stamp while handling PostSnapshot and may not during BackupComplete,
    // so the requester reads the stamps through GetWriterComponents after DoSnapshotSet; BackupComplete keeps them.
    name: 'the writer stamps its components in PostSnapshot: GetWriterComponents has the stamps after DoSnapshotSet, BackupComplete changes none',
    where: everywhere,
    async run(h) {
      const m = await h.machine(sqlMachine);
      const { session, component } = await sqlSession(h, m);
      await session.addComponent(component('SalesDb'));
      await session.addComponent(component('model'));
      await snapshot(session);
      const [afterSnapshot] = await session.getWriterComponents();
      for (const c of afterSnapshot.components) assert.ok(c.backupStamp.length > 0, `${c.name} stamped in PostSnapshot`);
      await session.setBackupSucceeded(component('SalesDb'), true);
      await session.setBackupSucceeded(component('model'), false);
      await session.backupComplete();
      const [writer] = await session.getWriterComponents();
      const sales = writer.components.find((c) => c.name === 'SalesDb');
      const model = writer.components.find((c) => c.name === 'model');
      assert.equal(sales.backupSucceeded, true);
      assert.equal(model.backupSucceeded, false);
      // The requester only stores stamps; whether to pass one on is its choice, by backupSucceeded.
      for (const c of [sales, model]) assert.equal(c.backupStamp, afterSnapshot.components.find((a) => a.name === c.name).backupStamp, c.name);
    },
  },
  {
    // IVssComponent::SetBackupStamp: a writer that failed on the way (here in PostSnapshot itself) stamps nothing.
    name: 'a writer that fails before PostSnapshot ends leaves its components without a stamp',
    where: everywhere,
    async run(h) {
      const m = await h.machine({ ...sqlMachine, faults: [{ writer: 'SqlServerWriter', phase: 'post-snapshot', error: 'VSS_E_WRITERERROR_RETRYABLE' }] });
      const { session, component } = await sqlSession(h, m);
      await session.addComponent(component('SalesDb'));
      await snapshot(session);
      assert.equal((await session.getWriterComponents())[0].components[0].backupStamp, '');
    },
  },
  {
    name: "an incremental backup passes the previous backup's stamp back to the writer",
    where: everywhere,
    async run(h) {
      const m = await h.machine(sqlMachine);
      const first = await sqlSession(h, m);
      await first.session.addComponent(first.component('SalesDb'));
      await snapshot(first.session);
      await first.session.setBackupSucceeded(first.component('SalesDb'), true);
      await first.session.backupComplete();
      const stamp = (await first.session.getWriterComponents())[0].components[0].backupStamp;
      await first.session.release();

      const second = await sqlSession(h, m);
      await second.session.setBackupState({ backupType: 'incremental' });
      await second.session.addComponent(second.component('SalesDb'));
      await second.session.setPreviousBackupStamp(second.component('SalesDb'), stamp);
      await snapshot(second.session);
      const recorded = (await second.session.getWriterComponents())[0].components[0];
      assert.equal(recorded.previousBackupStamp, stamp);
      await second.session.setBackupSucceeded(second.component('SalesDb'), true);
      await second.session.backupComplete();
      const next = (await second.session.getWriterComponents())[0].components[0].backupStamp;
      assert.ok(next && next !== stamp, 'a new stamp for the next backup');
    },
  },
  {
    name: 'AddComponent of an unknown component fails with VSS_E_OBJECT_NOT_FOUND, twice with VSS_E_OBJECT_ALREADY_EXISTS',
    where: everywhere,
    async run(h) {
      const m = await h.machine(sqlMachine);
      const { session, component } = await sqlSession(h, m);
      await assert.rejects(session.addComponent(component('NoSuchDb')), { code: 'VSS_E_OBJECT_NOT_FOUND', operation: 'AddComponent' });
      await session.addComponent(component('master'));
      await assert.rejects(session.addComponent(component('master')), { code: 'VSS_E_OBJECT_ALREADY_EXISTS' });
    },
  },
  {
    name: 'SetBackupOptions and SetPreviousBackupStamp on a component that was not added fail with VSS_E_OBJECT_NOT_FOUND',
    where: everywhere,
    async run(h) {
      const m = await h.machine(sqlMachine);
      const { session, component } = await sqlSession(h, m);
      await assert.rejects(session.setBackupOptions(component('msdb'), 'x'), { code: 'VSS_E_OBJECT_NOT_FOUND', operation: 'SetBackupOptions' });
      await assert.rejects(session.setPreviousBackupStamp(component('msdb'), 'x'), { code: 'VSS_E_OBJECT_NOT_FOUND', operation: 'SetPreviousBackupStamp' });
    },
  },
  {
    name: 'SetBackupSucceeded before DoSnapshotSet fails with VSS_E_BAD_STATE',
    where: everywhere,
    async run(h) {
      const m = await h.machine(sqlMachine);
      const { session, component } = await sqlSession(h, m);
      await session.addComponent(component('SalesDb'));
      // GetWriterComponents has no such rule: Microsoft documents none, and it reads the document as it stands.
      assert.equal((await session.getWriterComponents()).length, 1);
      await session.startSnapshotSet();
      await session.addToSnapshotSet('E:\\');
      await session.prepareForBackup();
      await assert.rejects(session.setBackupSucceeded(component('SalesDb'), true), { code: 'VSS_E_BAD_STATE', operation: 'SetBackupSucceeded' });
      await session.abortBackup();
    },
  },
];
