// Restore: InitializeForRestore(bcd) -> GatherWriterMetadata -> SetSelectedForRestore
// -> PreRestore -> PostRestore (issue: "Requester sequence and its states", restore).
import assert from 'node:assert/strict';

import { backedUp, both, sqlMachine, statusOf } from '../../helpers.mjs';

async function restoreSession(h, bcd, machineExtra) {
  const m = await h.machine(sqlMachine(machineExtra));
  const session = await h.session({ backend: m.backend });
  await session.initializeForRestore(bcd);
  return { m, session };
}

export default [
  {
    name: 'the restore sequence selects components, runs PreRestore and PostRestore, and records what was restored',
    where: both,
    async run(h) {
      const { bcd, refs } = await backedUp(h);
      const [master, sales] = refs;
      const { session } = await restoreSession(h, bcd);
      await session.gatherWriterMetadata();
      await session.setSelectedForRestore(master, true);
      await session.setRestoreOptions(master, 'WITH NORECOVERY');
      await session.setAdditionalRestores(master, true);
      await session.preRestore();
      assert.equal((await statusOf(session, 'SqlServerWriter')).state, 'stable');
      await session.setFileRestoreStatus(master, 'all');
      await session.postRestore();
      const [writer] = await session.getWriterComponents();
      const byName = Object.fromEntries(writer.components.map((c) => [c.name, c]));
      assert.equal(byName.master.selectedForRestore, true);
      assert.equal(byName.master.restoreOptions, 'WITH NORECOVERY');
      assert.equal(byName.master.additionalRestores, true);
      assert.equal(byName.master.fileRestoreStatus, 'all');
      assert.equal(byName.master.backupSucceeded, true, 'the backup record came through the document');
      assert.equal(byName.SalesDb.selectedForRestore, false);
      await assert.rejects(session.setFileRestoreStatus(sales, 'all'), { code: 'VSS_E_BAD_STATE' }, 'after PostRestore');
    },
  },
  {
    name: 'restore calls out of order fail with VSS_E_BAD_STATE',
    where: both,
    async run(h) {
      const { bcd, refs } = await backedUp(h);
      const { session } = await restoreSession(h, bcd);
      await assert.rejects(session.setSelectedForRestore(refs[0], true), { code: 'VSS_E_BAD_STATE', operation: 'SetSelectedForRestore' });
      await assert.rejects(session.preRestore(), { code: 'VSS_E_BAD_STATE', operation: 'PreRestore' });
      await assert.rejects(session.postRestore(), { code: 'VSS_E_BAD_STATE', operation: 'PostRestore' });
      await session.gatherWriterMetadata();
      await session.setSelectedForRestore(refs[0], true);
      await assert.rejects(session.setFileRestoreStatus(refs[0], 'all'), { code: 'VSS_E_BAD_STATE' }, 'before PreRestore');
      await session.preRestore();
      await assert.rejects(session.preRestore(), { code: 'VSS_E_BAD_STATE' });
      await assert.rejects(session.setSelectedForRestore(refs[1], true), { code: 'VSS_E_BAD_STATE' }, 'after PreRestore');
      await session.postRestore();
      await assert.rejects(session.postRestore(), { code: 'VSS_E_BAD_STATE' });
    },
  },
  {
    name: 'a component that is not in the Backup Components Document cannot be selected for restore (VSS_E_OBJECT_NOT_FOUND)',
    where: both,
    async run(h) {
      const { bcd, refs } = await backedUp(h);
      const { session } = await restoreSession(h, bcd);
      await session.gatherWriterMetadata();
      await assert.rejects(session.setSelectedForRestore({ ...refs[0], name: 'model' }, true), { code: 'VSS_E_OBJECT_NOT_FOUND' });
    },
  },
  {
    name: 'writers failing in PreRestore and PostRestore are failed-at-pre-restore and failed-at-post-restore',
    where: both,
    async run(h) {
      const { bcd, refs } = await backedUp(h);
      for (const [phase, state] of [['pre-restore', 'failed-at-pre-restore'], ['post-restore', 'failed-at-post-restore']]) {
        const { session } = await restoreSession(h, bcd, { faults: [{ writer: 'SqlServerWriter', phase, error: 'VSS_E_WRITERERROR_NONRETRYABLE' }] });
        await session.gatherWriterMetadata();
        await session.setSelectedForRestore(refs[0], true);
        await session.preRestore();
        await session.setFileRestoreStatus(refs[0], 'failed');
        await session.postRestore();
        const sql = await statusOf(session, 'SqlServerWriter');
        assert.equal(sql.state, state);
        assert.equal(sql.lastError?.name, 'VSS_E_WRITERERROR_NONRETRYABLE');
      }
    },
  },
  {
    name: 'only writers with a component selected for restore take part in it',
    where: both,
    async run(h) {
      const { bcd } = await backedUp(h);
      const { session } = await restoreSession(h, bcd, { faults: [{ writer: 'SqlServerWriter', phase: 'pre-restore', error: 'VSS_E_WRITERERROR_RETRYABLE' }] });
      await session.gatherWriterMetadata();
      await session.preRestore();
      await session.postRestore();
      assert.equal((await statusOf(session, 'SqlServerWriter')).state, 'stable', 'nothing of its was selected');
    },
  },
];
