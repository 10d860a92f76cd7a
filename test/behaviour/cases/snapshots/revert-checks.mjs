// vssapi.dll's free functions a requester asks before a revert (issue 10, "Revert"):
// IsVolumeSnapshotted ("IsVolumeSnapshotted function (vsbackup.h)": shadow copies of the
// volume exist, and the VSS_SNAPSHOT_COMPATIBILITY operations they disable) and
// ShouldBlockRevert ("ShouldBlockRevert function (vsbackup.h)": a writer listed under
// VSS\Settings\WritersBlockingRevert has data on the volume), and revertToShadowCopy
// refusing early where that writer blocks.
import assert from 'node:assert/strict';

import { VSS_CTX_ALL, both, makeSet, manager, scenario } from '../../helpers.mjs';

/** D:\ holds a writer's data that the registry lists as blocking reverts; defrag and indexing stop while D:\ has shadow copies. */
const ledgerMachine = scenario({
  volumes: [{ name: 'D:\\', guid: '5b0e4a3c-9d21-4f7e-8a61-3c2b1d0e9f87', label: 'Ledger', snapshotCompatibility: 3 }],
  writers: [
    {
      name: 'Ledger Writer',
      writerId: '0c7f3e21-6b54-4a8d-9e12-7f3a2b1c4d5e',
      instanceId: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
      components: [{ name: 'Journal', files: [{ path: 'D:\\ledger', filespec: '*' }] }],
      volumes: ['D:\\'],
      blocksRevert: true,
    },
  ],
});
const LEDGER_GUID_PATH = '\\\\?\\Volume{5b0e4a3c-9d21-4f7e-8a61-3c2b1d0e9f87}\\';

export default [
  {
    name: 'IsVolumeSnapshotted: absent and nothing disabled before a shadow copy of D:\\, present with its VSS_SNAPSHOT_COMPATIBILITY bits while one exists (by drive or GUID path), absent again after delete; an unknown volume is VSS_E_OBJECT_NOT_FOUND',
    where: both,
    async run(h) {
      const m = await h.machine(ledgerMachine);
      const admin = await manager(h, m, VSS_CTX_ALL);
      const none = { snapshotsPresent: false, snapshotCompatibility: 0, disableDefrag: false, disableContentIndex: false };
      assert.deepEqual(await admin.isVolumeSnapshotted('D:\\'), none);
      const { snapshotIds } = await makeSet(h, m, { context: 'app-rollback', volumes: ['D:\\'] });
      const present = { snapshotsPresent: true, snapshotCompatibility: 3, disableDefrag: true, disableContentIndex: true };
      assert.deepEqual(await admin.isVolumeSnapshotted('D:\\'), present);
      assert.deepEqual(await admin.isVolumeSnapshotted(LEDGER_GUID_PATH), present);
      assert.deepEqual(await h.vss.isVolumeSnapshotted('d:', { backend: m.backend }), present, 'the high-level call, a drive without its backslash');
      assert.equal((await admin.isVolumeSnapshotted('C:\\')).snapshotsPresent, false, 'C:\\ has none');
      await admin.deleteSnapshots(snapshotIds[0]);
      assert.deepEqual(await admin.isVolumeSnapshotted('D:\\'), none);
      await assert.rejects(admin.isVolumeSnapshotted('Q:\\'), { code: 'VSS_E_OBJECT_NOT_FOUND', operation: 'IsVolumeSnapshotted' });
      await assert.rejects(h.vss.isVolumeSnapshotted('not a volume', { backend: m.backend }), { code: 'ERR_INVALID_ARG_VALUE' });
      // A free function: no InitializeForBackup needed.
      const fresh = await h.session({ backend: m.backend });
      assert.deepEqual(await fresh.isVolumeSnapshotted('D:\\'), none);
    },
  },
  {
    name: 'ShouldBlockRevert is true for the volume of a writer listed as blocking reverts, false elsewhere; revertToShadowCopy then refuses before RevertToSnapshot (ERR_VSS_REVERT_BLOCKED) unless ignoreBlockingWriters',
    where: both,
    async run(h) {
      const m = await h.machine(ledgerMachine);
      const admin = await manager(h, m, VSS_CTX_ALL);
      assert.equal(await admin.shouldBlockRevert('D:\\'), true);
      assert.equal(await admin.shouldBlockRevert(LEDGER_GUID_PATH), true);
      assert.equal(await admin.shouldBlockRevert('C:\\'), false);
      assert.equal(await h.vss.shouldBlockRevert('C:', { backend: m.backend }), false);
      // Its page documents no VSS_E_OBJECT_NOT_FOUND: an unknown volume is a parameter that is not valid.
      await assert.rejects(admin.shouldBlockRevert('Q:\\'), { code: 'E_INVALIDARG', operation: 'ShouldBlockRevert' });
      await assert.rejects(h.vss.shouldBlockRevert(42, { backend: m.backend }), { code: 'ERR_INVALID_ARG_TYPE' });

      const ledger = await makeSet(h, m, { context: 'app-rollback', volumes: ['D:\\'] });
      let refusal;
      const { calls } = await h.vss.traceVssCalls(() =>
        h.vss.revertToShadowCopy(ledger.snapshotIds[0], { backend: m.backend }).then(
          () => assert.fail('the revert went through'),
          (e) => (refusal = e),
        ),
      );
      assert.ok(refusal instanceof h.vss.VssRevertBlockedError, String(refusal));
      assert.equal(refusal.code, 'ERR_VSS_REVERT_BLOCKED');
      assert.ok(calls.includes('ShouldBlockRevert') && !calls.includes('RevertToSnapshot'), calls.join(', '));
      await assert.rejects(admin.queryRevertStatus('D:\\'), { code: 'VSS_E_OBJECT_NOT_FOUND' }, 'no revert started');
      const reverted = await h.vss.revertToShadowCopy(ledger.snapshotIds[0], { backend: m.backend, ignoreBlockingWriters: true });
      assert.equal(reverted.toLowerCase(), LEDGER_GUID_PATH.toLowerCase());
      // C:\ has no blocking writer: its revert goes through unasked-for options.
      const system = await makeSet(h, m, { context: 'app-rollback' });
      await h.vss.revertToShadowCopy(system.snapshotIds[0], { backend: m.backend });
    },
  },
];
