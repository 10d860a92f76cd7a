// Shadow storage associations (issue 10, "Shadow storage"): IVssDifferentialSoftwareSnapshotMgmt::
// AddDiffArea (its page: the maximum is at least 320 MB or -1; an association that exists is
// VSS_E_OBJECT_ALREADY_EXISTS; VSS_E_MAXIMUM_DIFFAREA_ASSOCIATIONS_REACHED when the source volume has
// its storage elsewhere), read back with QueryDiffAreasForVolume, resized and deleted with
// ChangeDiffAreaMaximumSize (0 removes an association no shadow copy uses). Volumes are named by
// their GUID paths: under Wine drive letters resolve to the host's volumes.
import assert from 'node:assert/strict';

import { both, cVolume, scenario } from '../../helpers.mjs';

const D = '\\\\?\\Volume{5d1c2b3a-4e5f-4a6b-9c8d-7e6f5a4b3c2d}\\';
const machine = scenario({ volumes: [{ name: 'D:\\', guid: '5d1c2b3a-4e5f-4a6b-9c8d-7e6f5a4b3c2d', label: 'Storage' }] });
const GB = 1024n ** 3n;

async function manager(h, m) {
  const session = await h.session({ backend: m.backend });
  await session.initializeForBackup();
  await session.setContext('app-rollback');
  return session;
}

const areaOf = async (session, volume) => (await session.queryShadowStorage()).find((a) => a.volume === volume);

export default [
  {
    name: "AddDiffArea puts a volume's shadow storage on another volume (listed before any shadow copy), and its shadow copies then use it",
    where: both,
    async run(h) {
      const m = await h.machine(machine);
      const C = await cVolume(h, m); // C:'s name as the system gives it: the host's under Wine
      const session = await manager(h, m);
      assert.equal(await areaOf(session, C), undefined);
      await session.addDiffArea(C, D, 20n * GB);
      const added = await areaOf(session, C);
      assert.deepEqual([added.diffAreaVolume, added.maximumSize, added.usedSize], [D, 20n * GB, 0n]);
      const set = await h.session({ backend: m.backend });
      await set.initializeForBackup();
      await set.setContext('app-rollback');
      await set.gatherWriterMetadata();
      await set.startSnapshotSet();
      await set.addToSnapshotSet(C);
      await set.prepareForBackup();
      await set.doSnapshotSet();
      const used = await areaOf(session, C);
      assert.equal(used.diffAreaVolume, D);
      assert.ok(used.usedSize > 0n, `used ${used.usedSize}`);
      // In use: the association stays (VSS_E_VOLUME_IN_USE), and a second one is refused.
      await assert.rejects(session.resizeShadowStorage(C, 0, D), { code: 'VSS_E_VOLUME_IN_USE', operation: 'ChangeDiffAreaMaximumSize' });
      await assert.rejects(session.addDiffArea(C, D, -1), { code: 'VSS_E_OBJECT_ALREADY_EXISTS', operation: 'AddDiffArea' });
      await assert.rejects(session.addDiffArea(C, C, -1), { code: 'VSS_E_MAXIMUM_DIFFAREA_ASSOCIATIONS_REACHED', operation: 'AddDiffArea' });
    },
  },
  {
    name: 'an unused association is resized on its storage volume and deleted with a maximum of 0; AddDiffArea refuses under 320 MB and unknown volumes (E_INVALIDARG)',
    where: both,
    async run(h) {
      const m = await h.machine(machine);
      const C = await cVolume(h, m); // C:'s name as the system gives it: the host's under Wine
      const session = await manager(h, m);
      await assert.rejects(session.addDiffArea(C, D, 100n * 1024n ** 2n), { code: 'E_INVALIDARG', operation: 'AddDiffArea' });
      await assert.rejects(session.addDiffArea(C, '\\\\?\\Volume{00000000-0000-4000-8000-0000000000ff}\\', -1), { code: 'E_INVALIDARG' });
      await assert.rejects(session.addDiffArea(C, D, -2), { code: 'ERR_INVALID_ARG_VALUE' });
      await session.addDiffArea(D, undefined, -1);
      assert.deepEqual(Object.values(await areaOf(session, D)).slice(0, 2), [D, D]);
      await session.addDiffArea(C, D, 320n * 1024n ** 2n);
      // The storage volume names the association: on C itself there is none.
      await assert.rejects(session.resizeShadowStorage(C, 10n * GB), { code: 'VSS_E_OBJECT_NOT_FOUND' });
      await session.resizeShadowStorage(C, 10n * GB, D);
      assert.equal((await areaOf(session, C)).maximumSize, 10n * GB);
      await session.resizeShadowStorage(C, 0, D);
      assert.equal(await areaOf(session, C), undefined);
      // Deleted, it can be made again elsewhere.
      await session.addDiffArea(C, C, -1);
      assert.equal((await areaOf(session, C)).diffAreaVolume, C);
    },
  },
];
