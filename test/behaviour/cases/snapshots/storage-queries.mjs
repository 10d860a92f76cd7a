// Shadow storage queries and the volatile maximum (issue 10, "Shadow storage"; the pages of
// IVssDifferentialSoftwareSnapshotMgmt::QueryDiffAreasForVolume, QueryDiffAreasOnVolume,
// QueryDiffAreasForSnapshot, QueryVolumesSupportedForDiffAreas (VSS_DIFF_VOLUME_PROP) and
// IVssDifferentialSoftwareSnapshotMgmt2::ChangeDiffAreaMaximumSizeEx). None of the query pages
// lists VSS_E_OBJECT_NOT_FOUND: a volume or shadow copy the machine lacks is E_INVALIDARG.
// Volumes other than C: are named by GUID path: under Wine drive letters are the host's.
import assert from 'node:assert/strict';

import { both, cVolume, linux, makeSet, manager, scenario, unknownGuid } from '../../helpers.mjs';

const D = '\\\\?\\Volume{5d1c2b3a-4e5f-4a6b-9c8d-7e6f5a4b3c2d}\\';
const R = '\\\\?\\Volume{6e2d3c4b-5f6a-4b7c-8d9e-0f1a2b3c4d5e}\\';
const GB = 1024n ** 3n;
const machine = scenario({
  volumes: [
    { name: 'D:\\', guid: '5d1c2b3a-4e5f-4a6b-9c8d-7e6f5a4b3c2d', label: 'Storage', totalSpace: Number(500n * GB), freeSpace: Number(200n * GB) },
    { name: 'R:\\', guid: '6e2d3c4b-5f6a-4b7c-8d9e-0f1a2b3c4d5e', label: 'FAT32 stick', unsupported: true },
  ],
});

// A management requester in the app-rollback context (persistent shadow copies).
const managerOf = (h, m) => manager(h, m, 'app-rollback');

export default [
  {
    name: 'QueryDiffAreasOnVolume lists the associations stored on a volume, QueryDiffAreasForVolume those of its shadow copies, QueryDiffAreasForSnapshot those of a shadow copy\'s volume; unknown names are E_INVALIDARG',
    where: both,
    async run(h) {
      const m = await h.machine(machine);
      const C = await cVolume(h, m);
      const session = await managerOf(h, m);
      await session.addDiffArea(C, D, 20n * GB);
      const onD = await session.queryDiffAreasOnVolume(D);
      assert.deepEqual(
        onD.map((a) => [a.volume, a.diffAreaVolume, a.maximumSize]),
        [[C, D, 20n * GB]],
      );
      assert.deepEqual(await session.queryDiffAreasOnVolume(C), []);
      assert.deepEqual(await session.queryDiffAreasForVolume(D), []);
      assert.deepEqual((await session.queryDiffAreasForVolume(C)).map((a) => a.diffAreaVolume), [D]);
      const { snapshotIds } = await makeSet(h, m, { context: 'app-rollback' });
      const [forSnapshot] = await session.queryDiffAreasForSnapshot(snapshotIds[0]);
      assert.deepEqual([forSnapshot.volume, forSnapshot.diffAreaVolume], [C, D]);
      assert.ok(forSnapshot.usedSize > 0n && forSnapshot.allocatedSize >= forSnapshot.usedSize, `used ${forSnapshot.usedSize}, allocated ${forSnapshot.allocatedSize}`);
      await assert.rejects(session.queryDiffAreasForSnapshot(unknownGuid()), { code: 'E_INVALIDARG', operation: 'QueryDiffAreasForSnapshot' });
      const missing = '\\\\?\\Volume{00000000-0000-4000-8000-0000000000ff}\\';
      await assert.rejects(session.queryDiffAreasOnVolume(missing), { code: 'E_INVALIDARG', operation: 'QueryDiffAreasOnVolume' });
      await assert.rejects(session.queryDiffAreasForVolume(missing), { code: 'E_INVALIDARG', operation: 'QueryDiffAreasForVolume' });
    },
  },
  {
    name: 'QueryVolumesSupportedForDiffAreas lists the volumes that can hold shadow storage with their size and free space (VSS_DIFF_VOLUME_PROP); the diff areas on a volume take from its free space; an unsupported volume is not listed',
    where: both,
    async run(h) {
      const m = await h.machine(machine);
      const C = await cVolume(h, m);
      const session = await managerOf(h, m);
      const before = await session.queryVolumesSupportedForDiffAreas(C);
      const d = before.find((v) => v.volume === D);
      assert.deepEqual([d.displayName, d.totalSpace, d.freeSpace], ['D:\\', 500n * GB, 200n * GB]);
      assert.ok(before.some((v) => v.volume === C));
      assert.equal(before.find((v) => v.volume === R), undefined);
      await session.addDiffArea(C, D, -1);
      await makeSet(h, m, { context: 'app-rollback' });
      const [area] = await session.queryDiffAreasOnVolume(D);
      const after = (await session.queryVolumesSupportedForDiffAreas(D)).find((v) => v.volume === D);
      assert.equal(after.freeSpace, 200n * GB - area.allocatedSize);
      assert.ok(area.allocatedSize > 0n);
      await assert.rejects(session.queryVolumesSupportedForDiffAreas('\\\\?\\Volume{00000000-0000-4000-8000-0000000000ff}\\'), {
        code: 'E_INVALIDARG',
        operation: 'QueryVolumesSupportedForDiffAreas',
      });
    },
  },
  {
    name: 'ChangeDiffAreaMaximumSizeEx sets a volatile maximum (a volatile 0 is E_INVALIDARG, as its page says); ChangeDiffAreaMaximumSize creates a missing association (its page, Windows 7 and later)',
    where: both,
    async run(h) {
      const m = await h.machine(machine);
      const C = await cVolume(h, m);
      const session = await managerOf(h, m);
      // No association yet: the resize makes one, on the volume given.
      await session.resizeShadowStorage(C, 10n * GB, D);
      assert.deepEqual((await session.queryDiffAreasForVolume(C)).map((a) => [a.diffAreaVolume, a.maximumSize]), [[D, 10n * GB]]);
      await session.changeDiffAreaMaximumSizeEx(C, D, 4n * GB, true);
      assert.equal((await session.queryDiffAreasForVolume(C))[0].maximumSize, 4n * GB);
      await assert.rejects(session.changeDiffAreaMaximumSizeEx(C, D, 0, true), { code: 'E_INVALIDARG', operation: 'ChangeDiffAreaMaximumSizeEx' });
      await assert.rejects(session.changeDiffAreaMaximumSizeEx(C, C, 4n * GB, false), { code: 'VSS_E_OBJECT_NOT_FOUND', operation: 'ChangeDiffAreaMaximumSizeEx' });
      await assert.rejects(session.changeDiffAreaMaximumSizeEx(C, D, 100n * 1024n ** 2n, true), { code: 'VSS_E_INSUFFICIENT_STORAGE' });
      // Not volatile, 0 deletes as ChangeDiffAreaMaximumSize does.
      await session.changeDiffAreaMaximumSizeEx(C, D, 0, false);
      assert.deepEqual(await session.queryDiffAreasForVolume(C), []);
    },
  },
  {
    name: 'a restart of the machine brings back the maximum set last without bVolatile, drops an association a volatile change made, and keeps persistent shadow copies; refused while a session of the process is open',
    where: linux,
    async run(h) {
      const m = await h.machine(machine, { stateFile: true });
      const sim = m.backend;
      const C = await cVolume(h, m);
      const session = await managerOf(h, m);
      await session.addDiffArea(C, C, 20n * GB);
      await session.changeDiffAreaMaximumSizeEx(C, C, 8n * GB, true);
      await session.changeDiffAreaMaximumSizeEx(C, C, 6n * GB, true);
      // A volatile change on D: makes its association, which the restart drops.
      await session.changeDiffAreaMaximumSizeEx(D, D, 2n * GB, true);
      await makeSet(h, m, { context: 'app-rollback' });
      const kept = await makeSet(h, m, { context: 'app-rollback', keepSession: true });
      // Another process sees the volatile maximum: the machine has not restarted.
      assert.equal(await m.inNewProcess(`return String((await vss.listShadowStorage({ backend, volume: 'C:\\\\' }))[0].maximumSize);`), String(6n * GB));
      assert.throws(() => sim.restart(), { code: 'VSS_E_BAD_STATE' });
      await kept.session.release();
      await session.release();
      sim.restart();
      const areas = await h.vss.listShadowStorage({ backend: sim });
      assert.deepEqual(areas.map((a) => [a.volume, a.maximumSize]), [[C, 20n * GB]]);
      // app-rollback copies are persistent: they outlive the restart.
      assert.equal(sim.describe().shadows.length, 2);
    },
  },
  {
    name: 'vss storage volumes lists the volumes that can hold shadow storage; vss storage --on lists what a volume holds; vss storage resize --volatile says until when',
    where: both,
    async run(h) {
      const m = await h.machine(machine);
      const C = await cVolume(h, m);
      const volumes = await m.cli(['storage', 'volumes', C, '--json']);
      assert.equal(volumes.code, 0, volumes.stderr);
      const d = JSON.parse(volumes.stdout).find((v) => v.volume === D);
      assert.deepEqual([d.freeSpace, d.totalSpace], [String(200n * GB), String(500n * GB)]);
      const added = await m.cli(['storage', 'add', C, '--on', D, '--max', '20GB']);
      assert.equal(added.code, 0, added.stderr);
      const resized = await m.cli(['storage', 'resize', C, '--on', D, '--max', '8GB', '--volatile']);
      assert.equal(resized.code, 0, resized.stderr);
      assert.match(resized.stdout, /maximum 8\.0 GiB \(until the machine restarts\)/);
      const both = await m.cli(['storage', '--for', C, '--on', D]);
      assert.equal(both.code, 2);
      assert.match(both.stderr, /--for and --on cannot be combined/);
      const bad = await m.cli(['storage', 'volumes', '\\\\?\\Volume{00000000-0000-4000-8000-0000000000ff}\\']);
      assert.equal(bad.code, 1);
      assert.match(bad.stderr, /E_INVALIDARG/);
    },
  },
];
