// Reverting a volume to a shadow copy (issue 10, "Revert"): RevertToSnapshot then
// QueryRevertStatus, the sequence of VShadow's revert.cpp; its errors from the
// RevertToSnapshot page (persistent contexts only, one revert at a time per volume).
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { VSS_CTX_ALL, both, linux, makeSet, manager, scenario, unknownGuid, withSanVolume } from '../../helpers.mjs';

// A revert takes commitMs of simulated time: 50 s at 1/100 is half a second. The shadow
// copy is made first with the default commit: a commit over 10 s fails the set
// (VSS_E_HOLD_WRITES_TIMEOUT), so the slow timing is configured after it.
const slowRevert = { timing: { commitMs: 50000 } };

export default [
  {
    name: 'RevertToSnapshot reverts to a persistent shadow copy and QueryRevertStatus waits for it; with no revert started it is VSS_E_OBJECT_NOT_FOUND',
    where: both,
    async run(h) {
      const m = await h.machine(scenario());
      const { snapshotIds } = await makeSet(h, m, { context: 'app-rollback' });
      await m.configure(slowRevert);
      const admin = await manager(h, m, VSS_CTX_ALL);
      await assert.rejects(admin.queryRevertStatus('C:\\'), { code: 'VSS_E_OBJECT_NOT_FOUND', operation: 'QueryRevertStatus' });
      await admin.revertToSnapshot(snapshotIds[0], { forceDismount: true });
      await assert.rejects(admin.revertToSnapshot(snapshotIds[0], { forceDismount: true }), { code: 'VSS_E_REVERT_IN_PROGRESS', operation: 'RevertToSnapshot' });
      const started = Date.now();
      const events = [];
      await admin.queryRevertStatus('C:\\', { onProgress: (e) => events.push(e) });
      assert.ok(Date.now() - started >= 100, 'it waited for the revert');
      assert.ok(events.length > 0 && events.every((e) => e.operation === 'QueryRevertStatus'));
      // The high-level call runs the same sequence once the first revert is over.
      assert.equal((await h.vss.revertToShadowCopy(snapshotIds[0], { backend: m.backend })).toLowerCase(), (await admin.getSnapshotProperties(snapshotIds[0])).originalVolume.toLowerCase());
    },
  },
  {
    // cold12 F2: the signal was ignored and the wait ran to the revert's end. RevertToSnapshot's page:
    // a revert "cannot be canceled", so the signal stops only the waiting; the revert goes on.
    name: 'a signal stops the waiting of queryRevertStatus and revertToShadowCopy (AbortError, or the TimeoutError the signal carries), never the revert: it is still running after, and finishes',
    where: both,
    async run(h) {
      const m = await h.machine(scenario());
      const { snapshotIds } = await makeSet(h, m, { context: 'app-rollback' });
      await m.configure(slowRevert);
      const admin = await manager(h, m, VSS_CTX_ALL);
      const other = await manager(h, m, VSS_CTX_ALL);
      await admin.revertToSnapshot(snapshotIds[0], { forceDismount: true });
      const ac = new AbortController();
      let afterAbort = 0;
      await assert.rejects(
        admin.queryRevertStatus('C:\\', { signal: ac.signal, onProgress: () => (ac.signal.aborted ? afterAbort++ : ac.abort()) }),
        (e) => e.name === 'AbortError' && /the revert goes on/.test(e.message),
      );
      assert.equal(afterAbort, 0, 'no progress after the wait stopped');
      // Still running: a second revert of the volume is refused, and this session's call has not ended.
      await assert.rejects(other.revertToSnapshot(snapshotIds[0], { forceDismount: true }), { code: 'VSS_E_REVERT_IN_PROGRESS' });
      await assert.rejects(admin.queryRevertStatus('C:\\'), { code: 'ERR_VSS_SESSION_BUSY' });
      await other.queryRevertStatus('C:\\');

      // The high-level call: a signal aborted with a TimeoutError rejects with it, and the revert goes on.
      const timeout = new AbortController();
      const reason = new DOMException('the wait timed out', 'TimeoutError');
      await assert.rejects(
        h.vss.revertToShadowCopy(snapshotIds[0], { backend: m.backend, signal: timeout.signal, onProgress: () => timeout.abort(reason) }),
        (e) => e === reason,
      );
      await assert.rejects(other.revertToSnapshot(snapshotIds[0], { forceDismount: true }), { code: 'VSS_E_REVERT_IN_PROGRESS' });
      await other.queryRevertStatus('C:\\');
    },
  },
  {
    name: "revert is refused for an auto-release shadow copy (VSS_E_UNSUPPORTED_CONTEXT), a hardware provider's (E_NOTIMPL) and an unknown id (VSS_E_OBJECT_NOT_FOUND)",
    where: both,
    async run(h) {
      const m = await h.machine(withSanVolume);
      const auto = await makeSet(h, m, { keepSession: true });
      const san = await makeSet(h, m, { context: 'app-rollback', volumes: ['S:\\'] });
      const admin = await manager(h, m, VSS_CTX_ALL);
      await assert.rejects(admin.revertToSnapshot(auto.snapshotIds[0]), { code: 'VSS_E_UNSUPPORTED_CONTEXT' });
      await assert.rejects(admin.revertToSnapshot(san.snapshotIds[0]), { code: 'E_NOTIMPL' });
      await assert.rejects(admin.revertToSnapshot(unknownGuid()), { code: 'VSS_E_OBJECT_NOT_FOUND' });
      await assert.rejects(h.vss.revertToShadowCopy(unknownGuid(), { backend: m.backend }), { code: 'VSS_E_OBJECT_NOT_FOUND', operation: 'GetSnapshotProperties' });
      const fresh = await h.session({ backend: m.backend });
      await assert.rejects(fresh.revertToSnapshot(san.snapshotIds[0]), { code: 'VSS_E_BAD_STATE' }, 'before InitializeForBackup');
      await auto.session.release();
    },
  },
  {
    name: "a revert puts the shadow copy's content back on a backed volume: later changes are gone, removed files return",
    where: linux,
    async run(h) {
      const dir = await h.tempDir();
      await writeFile(join(dir, 'ledger.txt'), 'before');
      const m = await h.machine(scenario({ volumes: [{ name: 'D:\\', path: dir }] }));
      const { snapshotIds } = await makeSet(h, m, { context: 'nas-rollback', volumes: ['D:\\'] });
      await writeFile(join(dir, 'ledger.txt'), 'after');
      await writeFile(join(dir, 'new.txt'), 'new');
      await h.vss.revertToShadowCopy(snapshotIds[0], { backend: m.backend });
      assert.equal(await readFile(join(dir, 'ledger.txt'), 'utf8'), 'before');
      await assert.rejects(readFile(join(dir, 'new.txt')), { code: 'ENOENT' });
      await writeFile(join(dir, 'ledger.txt'), 'writable again');
    },
  },
];
