// Breaking a set off VSS with IVssBackupComponentsEx2::BreakSnapshotSetEx (issue 10, "Break"),
// as vshadow -bex does (shadow.cpp: Initialize(VSS_CTX_ALL), BreakSnapshotSetEx(flags)). Its page:
// only a hardware provider's sets (VSS_E_PROVIDER_VETO for a software provider's), and
// VSS_E_BREAK_REVERT_ID_FAILED for REVERT_IDENTITY_ALL while the original LUNs are unmasked here.
import assert from 'node:assert/strict';

import { VSS_CTX_ALL, both, makeSet, manager, unknownGuid, withSanVolume } from '../../helpers.mjs';

export default [
  {
    name: "BreakSnapshotSetEx breaks a hardware provider's set (read-write, masked): VSS forgets its shadow copies; breakShadowCopySet is the same in one call",
    where: both,
    async run(h) {
      const m = await h.machine(withSanVolume);
      const first = await makeSet(h, m, { context: 'app-rollback', volumes: ['S:\\'] });
      const second = await makeSet(h, m, { context: 'app-rollback', volumes: ['S:\\'] });
      // The break takes commitMs of simulated time: half a second at 1/100, long enough to report progress
      // (set after the sets are made: a commit over 10 s would fail them).
      await m.configure({ timing: { commitMs: 50000 } });
      const admin = await manager(h, m, VSS_CTX_ALL);
      const events = [];
      await admin.breakSnapshotSetEx(first.setId, { makeReadWrite: true, revertIdentity: 'none', onProgress: (e) => events.push(e.operation) });
      assert.ok(events.length > 0 && events.every((o) => o === 'BreakSnapshotSetEx'), 'an asynchronous call with progress');
      await assert.rejects(admin.getSnapshotProperties(first.snapshotIds[0]), { code: 'VSS_E_OBJECT_NOT_FOUND' });
      await h.vss.breakShadowCopySet(second.setId, { backend: m.backend, maskLuns: true });
      assert.deepEqual(await admin.querySnapshots(), []);
      await assert.rejects(admin.breakSnapshotSetEx(second.setId), { code: 'VSS_E_OBJECT_NOT_FOUND', operation: 'BreakSnapshotSetEx' }, 'already broken');
    },
  },
  {
    name: "BreakSnapshotSetEx refuses the system provider's set (VSS_E_PROVIDER_VETO), REVERT_IDENTITY_ALL with the original LUNs visible (VSS_E_BREAK_REVERT_ID_FAILED, the set kept), an unknown set, and bad flags",
    where: both,
    async run(h) {
      const m = await h.machine(withSanVolume);
      const software = await makeSet(h, m, { context: 'app-rollback' });
      const san = await makeSet(h, m, { context: 'app-rollback', volumes: ['S:\\'] });
      const admin = await manager(h, m, VSS_CTX_ALL);
      await assert.rejects(admin.breakSnapshotSetEx(software.setId, { makeReadWrite: true }), { code: 'VSS_E_PROVIDER_VETO', operation: 'BreakSnapshotSetEx' });
      await assert.rejects(admin.breakSnapshotSetEx(san.setId, { revertIdentity: 'all' }), { code: 'VSS_E_BREAK_REVERT_ID_FAILED' });
      assert.equal((await admin.getSnapshotProperties(san.snapshotIds[0])).snapshotId, san.snapshotIds[0], 'a refused break leaves the set');
      await assert.rejects(admin.breakSnapshotSetEx(unknownGuid()), { code: 'VSS_E_OBJECT_NOT_FOUND' });
      await assert.rejects(admin.breakSnapshotSetEx(san.setId, { revertIdentity: 'both' }), { code: 'ERR_INVALID_ARG_VALUE' });
      await assert.rejects(admin.breakSnapshotSetEx('not-a-guid'), { code: 'ERR_INVALID_ARG_VALUE' });
      const fresh = await h.session({ backend: m.backend });
      await assert.rejects(fresh.breakSnapshotSetEx(san.setId), { code: 'VSS_E_BAD_STATE' }, 'before InitializeForBackup');
    },
  },
];
