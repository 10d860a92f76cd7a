// The requester sequence beyond state-rules.mjs: component selection, the calls that
// must come in order, GatherWriterStatus between phases, AbortBackup's effects
// (issue: "Requester sequence and its states").
import assert from 'node:assert/strict';

import { backupUntil, both, fast, initialized, manager, scenario, statuses, writerIds } from '../../helpers.mjs';

async function sqlComponent(session, name) {
  const sql = (await session.getWriterMetadata()).find((w) => w.writerId === writerIds.sql);
  const c = sql.components.find((x) => x.name === name);
  return { writerId: sql.writerId, instanceId: sql.instanceId, type: c.type, logicalPath: c.logicalPath, name: c.name };
}

export default [
  {
    name: 'AddToSnapshotSet outside StartSnapshotSet..PrepareForBackup fails with VSS_E_BAD_STATE',
    where: both,
    async run(h) {
      const { session } = await initialized(h);
      await session.gatherWriterMetadata();
      await assert.rejects(session.addToSnapshotSet('C:\\'), { code: 'VSS_E_BAD_STATE', operation: 'AddToSnapshotSet' });
      await session.startSnapshotSet();
      await session.addToSnapshotSet('C:\\');
      await session.prepareForBackup();
      await assert.rejects(session.addToSnapshotSet('\\\\?\\Volume{c7463aba-f40d-11e9-80c7-806e6f6e6963}\\'), { code: 'VSS_E_BAD_STATE' });
    },
  },
  {
    name: 'DoSnapshotSet twice, and BackupComplete or SetBackupSucceeded before DoSnapshotSet, fail with VSS_E_BAD_STATE',
    where: both,
    async run(h) {
      const { session } = await initialized(h, scenario({ base: 'sql-server' }));
      await session.setBackupState({ selectComponents: true, backupType: 'full' });
      await session.gatherWriterMetadata();
      const master = await sqlComponent(session, 'master');
      await session.addComponent(master);
      await session.startSnapshotSet();
      await session.addToSnapshotSet('E:\\');
      await session.prepareForBackup();
      await assert.rejects(session.backupComplete(), { code: 'VSS_E_BAD_STATE', operation: 'BackupComplete' });
      await assert.rejects(session.setBackupSucceeded(master, true), { code: 'VSS_E_BAD_STATE', operation: 'SetBackupSucceeded' });
      await session.doSnapshotSet();
      await assert.rejects(session.doSnapshotSet(), { code: 'VSS_E_BAD_STATE', operation: 'DoSnapshotSet' });
      await session.setBackupSucceeded(master, true);
      await session.backupComplete();
      await assert.rejects(session.backupComplete(), { code: 'VSS_E_BAD_STATE' });
    },
  },
  {
    name: 'a component backup records each component with backupSucceeded and the stamp its writer set in PostSnapshot',
    where: both,
    async run(h) {
      const { session } = await initialized(h, scenario({ base: 'sql-server' }));
      await session.setBackupState({ selectComponents: true, backupType: 'full' });
      await session.gatherWriterMetadata();
      const master = await sqlComponent(session, 'master');
      const sales = await sqlComponent(session, 'SalesDb');
      await session.addComponent(master);
      await session.addComponent(sales);
      await session.setBackupOptions(sales, 'COPY_ONLY=no');
      await session.startSnapshotSet();
      await session.addToSnapshotSet('E:\\');
      await session.addToSnapshotSet('F:\\');
      await session.prepareForBackup();
      await session.doSnapshotSet();
      await session.setBackupSucceeded(master, true);
      await session.setBackupSucceeded(sales, false);
      await session.backupComplete();
      const [writer, ...rest] = await session.getWriterComponents();
      assert.equal(rest.length, 0);
      assert.equal(writer.writerId, writerIds.sql);
      const byName = Object.fromEntries(writer.components.map((c) => [c.name, c]));
      assert.deepEqual(Object.keys(byName).sort(), ['SalesDb', 'master']);
      assert.equal(byName.master.backupSucceeded, true);
      // Stamps are the writer's, set in PostSnapshot (IVssComponent::SetBackupStamp), whatever the requester marks later.
      assert.ok(byName.master.backupStamp.length > 0, 'the writer stamped master');
      assert.equal(byName.SalesDb.backupSucceeded, false);
      assert.ok(byName.SalesDb.backupStamp.length > 0, 'the writer stamped SalesDb');
      assert.equal(byName.SalesDb.backupOptions, 'COPY_ONLY=no');
      assert.equal(byName.master.logicalPath, 'SQL01');
    },
  },
  {
    name: 'AddComponent needs writer metadata, rejects a component twice (VSS_E_OBJECT_ALREADY_EXISTS) and one the writer does not have',
    where: both,
    async run(h) {
      const { session } = await initialized(h, scenario({ base: 'sql-server' }));
      const guess = { writerId: writerIds.sql, instanceId: '235435d9-34d6-41ea-8c08-5958a9982636', type: 'file-group', logicalPath: 'SQL01', name: 'master' };
      await assert.rejects(session.addComponent(guess), { code: 'VSS_E_BAD_STATE', operation: 'AddComponent' });
      await session.gatherWriterMetadata();
      await session.addComponent(guess);
      await assert.rejects(session.addComponent(guess), { code: 'VSS_E_OBJECT_ALREADY_EXISTS' });
      await assert.rejects(session.addComponent({ ...guess, name: 'NoSuchDb' }), { code: 'VSS_E_OBJECT_NOT_FOUND' });
      await session.startSnapshotSet();
      await session.addToSnapshotSet('E:\\');
      await session.prepareForBackup();
      await assert.rejects(session.addComponent({ ...guess, name: 'model' }), { code: 'VSS_E_BAD_STATE' }, 'components are chosen before PrepareForBackup');
    },
  },
  {
    name: 'GatherWriterStatus is allowed between every phase of the backup',
    where: both,
    async run(h) {
      const { session } = await initialized(h);
      await session.gatherWriterMetadata();
      const seen = [];
      const look = async () => seen.push([...new Set((await statuses(session)).map((w) => w.state))].join(','));
      await look();
      await session.startSnapshotSet();
      await look();
      await session.addToSnapshotSet('C:\\');
      await look();
      await session.prepareForBackup();
      await look();
      await session.doSnapshotSet();
      await look();
      await session.backupComplete();
      await look();
      assert.deepEqual(seen, ['stable', 'stable', 'stable', 'stable', 'waiting-for-backup-complete', 'stable']);
    },
  },
  {
    // CVssWriter::OnAbort: "This method will not be called if the writer has called CVssWriter::OnPostSnapshot";
    // IVssBackupComponents::AbortBackup: it "must be called if a backup operation terminates after ...
    // StartSnapshotSet and before ... DoSnapshotSet returns". No page says what becomes of the committed
    // copies; the model keeps them until the release, as auto-release copies go then.
    name: 'AbortBackup after a successful DoSnapshotSet reaches no writer ("CVssWriter::OnAbort": not after OnPostSnapshot): they keep waiting-for-backup-complete until the release (BackupShutdown), the auto-release copy stays until then, and the backup has ended',
    where: both,
    async run(h) {
      const { m, session } = await initialized(h);
      const { snapshotIds } = await backupUntil(session, 'snapshot');
      const other = await manager(h, m);
      assert.equal((await other.querySnapshots()).length, 1);
      const waiting = (await statuses(session)).map((w) => `${w.name}=${w.state}`);
      assert.ok(waiting.length > 0 && waiting.every((w) => w.endsWith('=waiting-for-backup-complete')), waiting.join());
      await session.abortBackup();
      assert.deepEqual((await statuses(session)).map((w) => `${w.name}=${w.state}`), waiting);
      assert.equal((await session.getSnapshotProperties(snapshotIds[0])).snapshotId, snapshotIds[0]);
      assert.equal((await other.querySnapshots()).length, 1);
      await assert.rejects(session.backupComplete(), { code: 'VSS_E_BAD_STATE' });
      await session.abortBackup(); // the backup has ended: ignored
      assert.deepEqual((await statuses(session)).map((w) => `${w.name}=${w.state}`), waiting);
      // Released, the auto-release copy goes, and the writers hear BackupShutdown ("Handling BackupShutdown
      // Events": after an abort it may be the only event a writer gets): the backup is over for them.
      await session.release();
      assert.deepEqual(await other.querySnapshots(), []);
      await other.gatherWriterMetadata();
      assert.ok((await statuses(other)).every((w) => w.state === 'stable'));
      // The next backup starts each writer afresh (PrepareForBackup).
      const next = await h.session({ backend: m.backend });
      await next.initializeForBackup();
      await backupUntil(next, 'complete');
      assert.ok((await statuses(next)).every((w) => w.state === 'stable'));
    },
  },
  {
    name: 'a session initialized for restore refuses the backup calls with VSS_E_BAD_STATE',
    where: both,
    async run(h) {
      const { session: backup } = await initialized(h);
      await backup.gatherWriterMetadata();
      const bcd = await backup.saveAsXml();
      const m = await h.machine(fast);
      const restore = await h.session({ backend: m.backend });
      await restore.initializeForRestore(bcd);
      await assert.rejects(restore.setContext('backup'), { code: 'VSS_E_BAD_STATE' });
      await assert.rejects(restore.startSnapshotSet(), { code: 'VSS_E_BAD_STATE' });
      await assert.rejects(restore.initializeForBackup(), { code: 'VSS_E_BAD_STATE' });
    },
  },
  {
    name: 'SetBackupState after StartSnapshotSet fails with VSS_E_BAD_STATE; an unknown backup type never reaches VSS',
    where: both,
    async run(h) {
      const { session } = await initialized(h);
      await session.setBackupState({ backupType: 'incremental' });
      await session.gatherWriterMetadata();
      await session.startSnapshotSet();
      await assert.rejects(session.setBackupState({ backupType: 'full' }), { code: 'VSS_E_BAD_STATE', operation: 'SetBackupState' });
      await assert.rejects(session.setBackupState({ backupType: 'weekly' }), { code: 'ERR_INVALID_ARG_VALUE' });
      const xml = await session.saveAsXml();
      assert.match(xml, /backupType="incremental"/);
    },
  },
];
