// A simulated machine kept in a state file outlives the process, as a real machine's
// persistent shadow copies outlive their requester (issue 10, "Persistence across
// processes"): what one process creates, the next one queries, exposes and deletes.
import assert from 'node:assert/strict';

import { VSS_CTX_ALL, both, fast, manager } from '../../helpers.mjs';

/** In the other process: what StartSnapshotSet answers there. */
const tryToStartASet = `
  const s = await vss.BackupSession.create({ backend });
  await s.initializeForBackup();
  await s.gatherWriterMetadata();
  const code = await s.startSnapshotSet().then(() => 'started', (e) => e.code);
  await s.release();
  return code;
`;

export default [
  {
    name: 'a persistent shadow copy made in one process is queried, exposed and deleted in the next; an auto-release one goes with its process',
    where: both,
    async run(h) {
      const m = await h.machine(fast, { stateFile: true });
      const made = await m.inNewProcess(`
        const kept = await vss.createSnapshotSet(['C:\\\\'], { backend, persistent: true, writers: 'none' });
        await kept.complete({ succeeded: true });
        const auto = await vss.createSnapshotSet(['C:\\\\'], { backend });
        // The process ends holding its auto-release set: VSS releases it with the process.
        return { kept: kept.snapshots[0], autoId: auto.snapshots[0].snapshotId };
      `);
      const admin = await manager(h, m, VSS_CTX_ALL);
      const copies = await admin.querySnapshots();
      assert.deepEqual(copies.map((c) => c.snapshotId), [made.kept.snapshotId]);
      const [copy] = copies;
      assert.equal(copy.deviceObject, made.kept.deviceObject);
      assert.equal(copy.createdAt.getTime(), new Date(made.kept.createdAt).getTime());
      assert.deepEqual(copy.attributes, made.kept.attributes);
      assert.equal(await admin.exposeSnapshot(copy.snapshotId, { driveLetter: 'X:' }), 'X:');
      const seen = await m.inNewProcess(`
        const copies = await vss.listShadowCopies({ backend });
        const result = copies.map((c) => ({ id: c.snapshotId, exposedName: c.exposedName }));
        await vss.deleteShadowCopies([copies[0].snapshotId], { backend });
        return result;
      `);
      assert.deepEqual(seen, [{ id: made.kept.snapshotId, exposedName: 'X:' }]);
      assert.deepEqual(await admin.querySnapshots(), [], 'deleted by the other process');
      await assert.rejects(admin.getSnapshotProperties(made.kept.snapshotId), { code: 'VSS_E_OBJECT_NOT_FOUND' });
    },
  },
  {
    name: "a snapshot set being created in one process holds the machine's one set lock for the others (VSS_E_SNAPSHOT_SET_IN_PROGRESS), until it is done",
    where: both,
    async run(h) {
      const m = await h.machine(fast, { stateFile: true });
      const session = await manager(h, m);
      await session.gatherWriterMetadata();
      await session.startSnapshotSet();
      const other = await m.inNewProcess(tryToStartASet);
      assert.equal(other, 'VSS_E_SNAPSHOT_SET_IN_PROGRESS');
      await session.addToSnapshotSet('C:\\');
      await session.prepareForBackup();
      await session.doSnapshotSet();
      const after = await m.inNewProcess(tryToStartASet);
      assert.equal(after, 'started');
    },
  },
];
