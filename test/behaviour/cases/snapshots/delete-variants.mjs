// Deleting and finding shadow copies the way the established tools do (issue 10,
// "Delete all, all of a volume, and exposed copies; query by id; vss unexpose"):
// vshadow -da / -do / -ds / -s, vssadmin delete shadows /all /for= /oldest,
// diskshadow delete shadows exposed. Each through the high-level API, which queries in
// VSS_CTX_ALL and calls DeleteSnapshots per shadow copy, as VShadow's delete.cpp does.
import assert from 'node:assert/strict';

import { VSS_CTX_ALL, both, makeSet, manager, scenario } from '../../helpers.mjs';

const sql = scenario({ base: 'sql-server' });
const ids = async (h, m) => (await (await manager(h, m, VSS_CTX_ALL)).querySnapshots()).map((c) => c.snapshotId).sort();

export default [
  {
    name: 'deleteShadowCopies({ all: true }) deletes every shadow copy of every context; with none left it deletes 0',
    where: both,
    async run(h) {
      const m = await h.machine(sql);
      await makeSet(h, m, { context: 'app-rollback', volumes: ['C:\\', 'E:\\'] });
      await makeSet(h, m, { context: 'nas-rollback', volumes: ['F:\\'] });
      const live = await makeSet(h, m, { keepSession: true });
      assert.equal((await ids(h, m)).length, 4);
      const { vss } = h;
      assert.deepEqual(await vss.deleteShadowCopies({ all: true }, { backend: m.backend }), { deletedCount: 4, nonDeletedId: null });
      assert.deepEqual(await ids(h, m), []);
      assert.deepEqual(await vss.deleteShadowCopies({ all: true }, { backend: m.backend }), { deletedCount: 0, nonDeletedId: null });
      await live.session.release();
    },
  },
  {
    name: 'deleteShadowCopies({ volume }) deletes every shadow copy of that volume and only those; { volume, oldest: true } the oldest one',
    where: both,
    async run(h) {
      const m = await h.machine(sql);
      const first = await makeSet(h, m, { context: 'app-rollback', volumes: ['E:\\'] });
      const second = await makeSet(h, m, { context: 'nas-rollback', volumes: ['E:\\', 'F:\\'] });
      const third = await makeSet(h, m, { context: 'app-rollback', volumes: ['E:\\'] });
      const { vss } = h;
      // By the \\?\Volume{guid}\ name shadow copies report (under Wine a drive letter is the host's volume).
      const e = (await vss.getShadowCopy(first.snapshotIds[0], { backend: m.backend })).originalVolume;
      const drive = h.where === 'linux' ? 'e:' : e;
      assert.deepEqual(await vss.deleteShadowCopies({ volume: drive, oldest: true }, { backend: m.backend }), { deletedCount: 1, nonDeletedId: null });
      assert.ok(!(await ids(h, m)).includes(first.snapshotIds[0]), 'the oldest went');
      assert.deepEqual(await vss.deleteShadowCopies({ volume: e }, { backend: m.backend }), { deletedCount: 2, nonDeletedId: null });
      assert.deepEqual(await ids(h, m), [second.snapshotIds[1]], 'F: keeps its shadow copy');
      assert.ok(third.snapshotIds[0]);
    },
  },
  {
    name: 'deleteShadowCopies({ exposed }) deletes the shadow copy exposed there; unexposeShadowCopy frees the name; nothing exposed is VSS_E_OBJECT_NOT_FOUND',
    where: both,
    async run(h) {
      const m = await h.machine(sql);
      const a = await makeSet(h, m, { context: 'app-rollback', volumes: ['E:\\'] });
      const b = await makeSet(h, m, { context: 'app-rollback', volumes: ['F:\\'] });
      const { vss } = h;
      const options = { backend: m.backend };
      assert.equal(await vss.exposeShadowCopy(a.snapshotIds[0], { driveLetter: 'x' }, options), 'X:');
      assert.equal(await vss.exposeShadowCopy(b.snapshotIds[0], { driveLetter: 'Y:' }, options), 'Y:');
      await vss.unexposeShadowCopy(b.snapshotIds[0], options);
      assert.equal((await vss.getShadowCopy(b.snapshotIds[0], options)).exposedName, null);
      await assert.rejects(vss.unexposeShadowCopy(b.snapshotIds[0], options), { code: 'VSS_E_OBJECT_NOT_FOUND' }, 'not exposed any more');
      await assert.rejects(vss.deleteShadowCopies({ exposed: 'Y:' }, options), { code: 'VSS_E_OBJECT_NOT_FOUND' });
      assert.deepEqual(await vss.deleteShadowCopies({ exposed: 'x:\\' }, options), { deletedCount: 1, nonDeletedId: null });
      assert.deepEqual(await ids(h, m), [b.snapshotIds[0]]);
    },
  },
  {
    name: 'getShadowCopy(id) finds a shadow copy of any context by id; an unknown id is VSS_E_OBJECT_NOT_FOUND',
    where: both,
    async run(h) {
      const m = await h.machine(sql);
      const nas = await makeSet(h, m, { context: 'nas-rollback', volumes: ['F:\\'] });
      const { vss } = h;
      const copy = await vss.getShadowCopy(nas.snapshotIds[0], { backend: m.backend });
      assert.equal(copy.setId, nas.setId);
      assert.ok(copy.attributes.includes('no-writers'));
      await vss.deleteShadowCopies([nas.snapshotIds[0]], { backend: m.backend });
      await assert.rejects(vss.getShadowCopy(nas.snapshotIds[0], { backend: m.backend }), { code: 'VSS_E_OBJECT_NOT_FOUND', operation: 'GetSnapshotProperties' });
    },
  },
];
