// Contexts and attributes and what follows from them: auto-release with the session,
// persistent shadow copies outliving it, no-writers contexts, query visibility,
// expose, delete and break (issue: "Volumes, providers, snapshot sets").
import assert from 'node:assert/strict';

import { VSS_CTX_ALL, both, fast, initialized, makeSet, manager, observer, scenario, statusOf, unknownGuid } from '../../helpers.mjs';

const hardwareId = '7d4e9c1a-2b3f-4a5d-8e6f-9a0b1c2d3e4f';

export default [
  {
    name: 'auto-release shadow copies (backup context) go when their session is released',
    where: both,
    async run(h) {
      const m = await h.machine(fast);
      const { session, snapshotIds } = await makeSet(h, m, { keepSession: true });
      const other = await manager(h, m);
      assert.deepEqual((await other.querySnapshots()).map((s) => s.snapshotId), snapshotIds);
      await session.release();
      assert.deepEqual(await other.querySnapshots(), []);
      await assert.rejects(other.getSnapshotProperties(snapshotIds[0]), { code: 'VSS_E_OBJECT_NOT_FOUND' });
    },
  },
  {
    name: 'persistent shadow copies (app-rollback) outlive their session and carry persistent and no-auto-release',
    where: both,
    async run(h) {
      const m = await h.machine(fast);
      const { snapshotIds } = await makeSet(h, m, { context: 'app-rollback' });
      const later = await manager(h, m, 'app-rollback');
      const [shadow] = await later.querySnapshots();
      assert.equal(shadow.snapshotId, snapshotIds[0]);
      assert.deepEqual(shadow.attributes, ['persistent', 'no-auto-release', 'differential']);
      assert.equal(shadow.attributesCode, 0x9 | 0x20000);
    },
  },
  {
    name: 'Query sees the shadow copies of the session context only, and every one with VSS_CTX_ALL',
    where: both,
    async run(h) {
      const m = await h.machine(fast);
      const backup = await makeSet(h, m, { keepSession: true });
      const rollback = await makeSet(h, m, { context: 'app-rollback' });
      const nas = await makeSet(h, m, { context: 'nas-rollback' });
      const ids = async (context) => (await (await manager(h, m, context)).querySnapshots()).map((s) => s.snapshotId).sort();
      assert.deepEqual(await ids('backup'), backup.snapshotIds);
      assert.deepEqual(await ids('app-rollback'), rollback.snapshotIds);
      assert.deepEqual(await ids('nas-rollback'), nas.snapshotIds);
      assert.deepEqual(await ids(VSS_CTX_ALL), [...backup.snapshotIds, ...rollback.snapshotIds, ...nas.snapshotIds].sort());
    },
  },
  {
    name: 'no-writers contexts need no writer metadata, leave the writers alone and mark the shadow copies no-writers',
    where: both,
    async run(h) {
      const m = await h.machine(scenario({ faults: [{ writer: 'System Writer', phase: 'freeze', error: 'VSS_E_WRITERERROR_RETRYABLE' }] }));
      const expected = {
        'file-share-backup': ['no-writers', 'differential'],
        'nas-rollback': ['persistent', 'no-auto-release', 'no-writers', 'differential'],
        'client-accessible': ['persistent', 'client-accessible', 'no-auto-release', 'no-writers', 'differential'],
      };
      for (const [context, attributes] of Object.entries(expected)) {
        const session = await manager(h, m, context);
        await session.startSnapshotSet();
        const id = await session.addToSnapshotSet('C:\\');
        await session.prepareForBackup();
        await session.doSnapshotSet();
        assert.deepEqual((await session.getSnapshotProperties(id)).attributes, attributes, context);
      }
      const watcher = await observer(h, m);
      const system = await statusOf(watcher, 'System Writer');
      assert.equal(system.state, 'stable', 'no freeze was sent, so the fault never fired');
      assert.equal(system.lastError, null);
    },
  },
  {
    name: 'a writers context (client-accessible-writers) needs GatherWriterMetadata before StartSnapshotSet and freezes the writers',
    where: both,
    async run(h) {
      const { m, session } = await initialized(h, scenario({ faults: [{ writer: 'System Writer', phase: 'freeze', error: 'VSS_E_WRITERERROR_RETRYABLE' }] }), 'client-accessible-writers');
      await assert.rejects(session.startSnapshotSet(), { code: 'VSS_E_BAD_STATE' });
      await session.gatherWriterMetadata();
      await session.startSnapshotSet();
      const id = await session.addToSnapshotSet('C:\\');
      await session.prepareForBackup();
      await session.doSnapshotSet();
      assert.deepEqual((await session.getSnapshotProperties(id)).attributes, ['persistent', 'client-accessible', 'no-auto-release', 'differential']);
      assert.equal((await statusOf(await observer(h, m), 'System Writer')).state, 'failed-at-freeze');
    },
  },
  {
    name: 'DeleteSnapshots removes one shadow copy or a whole set, and an unknown id is VSS_E_OBJECT_NOT_FOUND',
    where: both,
    async run(h) {
      const m = await h.machine(scenario({ volumes: [{ name: 'E:\\' }, { name: 'F:\\' }] }));
      const { setId, snapshotIds } = await makeSet(h, m, { context: 'app-rollback', volumes: ['C:\\', 'E:\\', 'F:\\'] });
      const admin = await manager(h, m, 'app-rollback');
      assert.deepEqual(await admin.deleteSnapshots(snapshotIds[0]), { deletedCount: 1, nonDeletedId: null });
      assert.equal((await admin.querySnapshots()).length, 2);
      await assert.rejects(admin.deleteSnapshots(snapshotIds[0]), { code: 'VSS_E_OBJECT_NOT_FOUND', operation: 'DeleteSnapshots' });
      assert.deepEqual(await admin.deleteSnapshots(setId, { wholeSet: true }), { deletedCount: 2, nonDeletedId: null });
      assert.deepEqual(await admin.querySnapshots(), []);
      await assert.rejects(admin.deleteSnapshots(unknownGuid(), { wholeSet: true }), { code: 'VSS_E_OBJECT_NOT_FOUND' });
    },
  },
  {
    name: 'a persistent shadow copy is exposed as a free drive letter, not as one in use, and unexposed again',
    where: both,
    async run(h) {
      const m = await h.machine(fast);
      const { snapshotIds } = await makeSet(h, m, { context: 'app-rollback' });
      const admin = await manager(h, m, 'app-rollback');
      await assert.rejects(admin.exposeSnapshot(snapshotIds[0], { driveLetter: 'C:' }), { code: 'VSS_E_OBJECT_ALREADY_EXISTS' });
      assert.equal(await admin.exposeSnapshot(snapshotIds[0], { driveLetter: 'x' }), 'X:');
      let [shadow] = await admin.querySnapshots();
      assert.equal(shadow.exposedName, 'X:');
      assert.ok(shadow.attributes.includes('exposed-locally'));
      await assert.rejects(admin.exposeSnapshot(snapshotIds[0], { driveLetter: 'Y:' }), { code: 'VSS_E_BAD_STATE' }, 'already exposed');
      await admin.unexposeSnapshot(snapshotIds[0]);
      [shadow] = await admin.querySnapshots();
      assert.equal(shadow.exposedName, null);
      assert.ok(!shadow.attributes.includes('exposed-locally'));
      await assert.rejects(admin.unexposeSnapshot(snapshotIds[0]), { code: 'VSS_E_OBJECT_NOT_FOUND', operation: 'UnexposeSnapshot' }, 'not exposed');
      await assert.rejects(admin.exposeSnapshot(unknownGuid(), { driveLetter: 'Z:' }), { code: 'VSS_E_OBJECT_NOT_FOUND' });
    },
  },
  {
    name: 'an auto-release shadow copy cannot be exposed locally but can be shared',
    where: both,
    async run(h) {
      const m = await h.machine(fast);
      const { session, snapshotIds } = await makeSet(h, m, { keepSession: true });
      await assert.rejects(session.exposeSnapshot(snapshotIds[0], { driveLetter: 'X:' }), { code: 'E_INVALIDARG', operation: 'ExposeSnapshot' });
      assert.equal(await session.exposeSnapshot(snapshotIds[0], { share: 'backup$', pathFromRoot: 'Data', allowShare: true }), 'backup$');
      const shadow = await session.getSnapshotProperties(snapshotIds[0]);
      assert.equal(shadow.exposedName, 'backup$');
      assert.equal(shadow.exposedPath, 'Data');
      assert.ok(shadow.attributes.includes('exposed-remotely'));
    },
  },
  {
    name: "BreakSnapshotSet makes VSS forget a hardware provider's set; a software provider's set is VSS_E_PROVIDER_VETO, which for this method means just that (its page): no event is promised, none logged",
    where: both,
    async run(h) {
      const m = await h.machine(
        scenario({
          base: 'windows-server-2022',
          providers: [{ providerId: hardwareId, name: 'Contoso SAN Provider', type: 'hardware' }],
          volumes: [{ name: 'S:\\', providers: [hardwareId] }],
        }),
      );
      const software = await makeSet(h, m, { context: 'app-rollback' });
      const hardware = await makeSet(h, m, { context: 'app-rollback', volumes: ['S:\\'] });
      const admin = await manager(h, m, 'app-rollback');
      await assert.rejects(admin.breakSnapshotSet(software.setId), (e) => {
        assert.equal(e.code, 'VSS_E_PROVIDER_VETO');
        assert.equal(e.operation, 'BreakSnapshotSet');
        assert.match(e.message, /made by a software provider; only a hardware provider's can be broken/);
        assert.doesNotMatch(e.message, /event log|vss events/);
        return true;
      });
      assert.deepEqual(await h.vss.readVssEvents({ backend: m.backend, ids: [12293] }), []);
      await admin.breakSnapshotSet(hardware.setId);
      assert.deepEqual((await admin.querySnapshots()).map((s) => s.setId), [software.setId]);
      await assert.rejects(admin.breakSnapshotSet(hardware.setId), { code: 'VSS_E_OBJECT_NOT_FOUND' });
    },
  },
  {
    name: 'SetContext takes the documented contexts (with attribute bits) and refuses others with E_INVALIDARG',
    where: both,
    async run(h) {
      for (const context of ['backup', 'file-share-backup', 'nas-rollback', 'app-rollback', 'client-accessible', 'client-accessible-writers', 0x9 | 0x20, VSS_CTX_ALL]) {
        const { session } = await initialized(h);
        await session.setContext(context);
      }
      for (const bad of [0x3, 0x100, 0x9 | 0x10000]) {
        const { session } = await initialized(h);
        await assert.rejects(session.setContext(bad), { code: 'E_INVALIDARG' }, `0x${bad.toString(16)}`);
      }
      const { session } = await initialized(h, fast, VSS_CTX_ALL);
      await assert.rejects(session.startSnapshotSet(), { code: 'VSS_E_BAD_STATE' }, 'VSS_CTX_ALL is for queries only');
    },
  },
];
