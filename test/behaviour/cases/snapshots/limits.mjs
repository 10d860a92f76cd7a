// Limits and contention: 64 volumes a set, 512 shadow copies a volume, one snapshot
// set in creation machine-wide, unknown ids (issue: "Limits and contention").
import assert from 'node:assert/strict';

import { backupUntil, both, fast, initialized, manager, scenario, unknownGuid } from '../../helpers.mjs';

export default [
  {
    name: 'a snapshot set holds at most 64 volumes: the 65th is VSS_E_MAXIMUM_NUMBER_OF_VOLUMES_REACHED',
    where: both,
    async run(h) {
      const mounts = Array.from({ length: 65 }, (_, i) => `C:\\Mounts\\Lun${String(i).padStart(2, '0')}\\`);
      const { session } = await initialized(h, scenario({ volumes: mounts.map((name) => ({ name })) }));
      await session.gatherWriterMetadata();
      await session.startSnapshotSet();
      for (const v of mounts.slice(0, 64)) await session.addToSnapshotSet(v);
      await assert.rejects(session.addToSnapshotSet(mounts[64]), { code: 'VSS_E_MAXIMUM_NUMBER_OF_VOLUMES_REACHED', operation: 'AddToSnapshotSet' });
      await session.prepareForBackup();
      await session.doSnapshotSet();
      assert.equal((await session.querySnapshots()).length, 64);
    },
  },
  {
    name: 'a volume holds at most 512 shadow copies: another is VSS_E_MAXIMUM_NUMBER_OF_SNAPSHOTS_REACHED, until one is deleted',
    where: both,
    async run(h) {
      const existing = Array.from({ length: 512 }, () => ({ volume: 'C:\\', persistent: true }));
      const m = await h.machine(scenario({ volumes: [{ name: 'E:\\' }], shadows: existing }));
      const admin = await manager(h, m, 'app-rollback');
      const shadows = await admin.querySnapshots();
      assert.equal(shadows.length, 512);
      const session = await manager(h, m, 'app-rollback');
      await session.gatherWriterMetadata();
      await session.startSnapshotSet();
      await assert.rejects(session.addToSnapshotSet('C:\\'), { code: 'VSS_E_MAXIMUM_NUMBER_OF_SNAPSHOTS_REACHED' });
      await session.addToSnapshotSet('E:\\');
      await admin.deleteSnapshots(shadows[0].snapshotId);
      await session.addToSnapshotSet('C:\\');
    },
  },
  {
    name: 'one snapshot set is created at a time machine-wide: VSS_E_SNAPSHOT_SET_IN_PROGRESS until DoSnapshotSet returns',
    where: both,
    async run(h) {
      const m = await h.machine(fast);
      const first = await manager(h, m);
      const second = await manager(h, m);
      await first.gatherWriterMetadata();
      await second.gatherWriterMetadata();
      await first.startSnapshotSet();
      await first.addToSnapshotSet('C:\\');
      await assert.rejects(second.startSnapshotSet(), { code: 'VSS_E_SNAPSHOT_SET_IN_PROGRESS', operation: 'StartSnapshotSet' });
      await first.prepareForBackup();
      await assert.rejects(second.startSnapshotSet(), { code: 'VSS_E_SNAPSHOT_SET_IN_PROGRESS' });
      await first.doSnapshotSet();
      await second.startSnapshotSet();
    },
  },
  {
    name: 'requesters racing for StartSnapshotSet on their own threads: exactly one wins, the others get VSS_E_SNAPSHOT_SET_IN_PROGRESS',
    where: both,
    async run(h) {
      const m = await h.machine(fast);
      const sessions = [];
      for (let i = 0; i < 6; i++) {
        const s = await manager(h, m);
        await s.gatherWriterMetadata();
        sessions.push(s);
      }
      const results = await Promise.allSettled(sessions.map((s) => s.startSnapshotSet()));
      const won = results.filter((r) => r.status === 'fulfilled');
      assert.equal(won.length, 1, JSON.stringify(results.map((r) => r.status)));
      for (const r of results.filter((x) => x.status === 'rejected')) assert.equal(r.reason.code, 'VSS_E_SNAPSHOT_SET_IN_PROGRESS');
    },
  },
  {
    name: 'the machine-wide set lock is released by AbortBackup and by releasing the session that held it',
    where: both,
    async run(h) {
      const m = await h.machine(fast);
      const holder = await manager(h, m);
      await backupUntil(holder, 'add');
      const waiting = await manager(h, m, 'file-share-backup');
      await assert.rejects(waiting.startSnapshotSet(), { code: 'VSS_E_SNAPSHOT_SET_IN_PROGRESS' });
      await holder.abortBackup();
      await waiting.startSnapshotSet();
      await waiting.addToSnapshotSet('C:\\');
      const third = await manager(h, m, 'file-share-backup');
      await assert.rejects(third.startSnapshotSet(), { code: 'VSS_E_SNAPSHOT_SET_IN_PROGRESS' });
      await waiting.release();
      await third.startSnapshotSet();
    },
  },
  {
    name: 'another requester holding the snapshot set (a machine fault) is VSS_E_SNAPSHOT_SET_IN_PROGRESS until it lets go',
    where: both,
    async run(h) {
      const m = await h.machine(scenario({ faults: [{ machine: 'snapshot-set-in-progress' }] }));
      const session = await manager(h, m);
      await session.gatherWriterMetadata();
      await assert.rejects(session.startSnapshotSet(), { code: 'VSS_E_SNAPSHOT_SET_IN_PROGRESS' });
      await m.configure({ faults: [] });
      await session.startSnapshotSet();
    },
  },
  {
    name: 'unknown shadow copy and set ids are VSS_E_OBJECT_NOT_FOUND everywhere',
    where: both,
    async run(h) {
      const { session } = await initialized(h, fast, 'app-rollback');
      const id = unknownGuid();
      await assert.rejects(session.getSnapshotProperties(id), { code: 'VSS_E_OBJECT_NOT_FOUND', operation: 'GetSnapshotProperties' });
      await assert.rejects(session.deleteSnapshots(id), { code: 'VSS_E_OBJECT_NOT_FOUND', operation: 'DeleteSnapshots' });
      await assert.rejects(session.deleteSnapshots(id, { wholeSet: true }), { code: 'VSS_E_OBJECT_NOT_FOUND' });
      await assert.rejects(session.exposeSnapshot(id, { driveLetter: 'X:' }), { code: 'VSS_E_OBJECT_NOT_FOUND', operation: 'ExposeSnapshot' });
      await assert.rejects(session.unexposeSnapshot(id), { code: 'VSS_E_OBJECT_NOT_FOUND' });
      await assert.rejects(session.breakSnapshotSet(id), { code: 'VSS_E_OBJECT_NOT_FOUND', operation: 'BreakSnapshotSet' });
    },
  },
];
