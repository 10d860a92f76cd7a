// The high-level API (createSnapshotSet, withSnapshotSet, the management calls)
// over the COM backend: in particular that a backup failing after PrepareForBackup
// calls AbortBackup before it reports, so writers thaw and nothing is left behind.
// Runner-neutral.
import assert from 'node:assert/strict';

const everywhere = ['linux', 'wine'];
const fast = { timing: { timeScale: 0.01 } };

async function writerStates(h, m) {
  const session = await h.session({ backend: m.backend });
  await session.initializeForBackup();
  await session.gatherWriterMetadata();
  await session.gatherWriterStatus();
  const states = (await session.getWriterStatus()).map((w) => `${w.name}=${w.state}`);
  await session.release();
  return states;
}

export default [
  {
    name: 'createSnapshotSet then complete(): the shadow copy is listed during the set and goes with the session',
    where: everywhere,
    async run(h) {
      const m = await h.machine(fast);
      const set = await h.vss.createSnapshotSet(['C:\\'], { backend: m.backend });
      const shadow = set.snapshotFor('C:\\');
      assert.equal(shadow.setId, set.setId);
      assert.equal(set.persistent, false);
      assert.match(set.pathFor('C:\\Windows\\win.ini'), /HarddiskVolumeShadowCopy\d+\\Windows\\win\.ini$/);
      const during = await h.vss.listShadowCopies({ backend: m.backend });
      assert.deepEqual(during.map((s) => s.snapshotId), [shadow.snapshotId]);
      await set.complete({ succeeded: true });
      assert.equal(set.ended, true);
      // Non-persistent: auto-released with the session that complete() released.
      assert.deepEqual(await h.vss.listShadowCopies({ backend: m.backend }), []);
      const states = await writerStates(h, m);
      assert.ok(states.every((s) => s.endsWith('=stable')), states.join());
    },
  },
  {
    // DoSnapshotSet succeeds (a non-fatal failure), so the writers have run PostSnapshot and an AbortBackup would reach
    // none of them ("CVssWriter::OnAbort"); the backup is ended as VShadow ends a failed one (shadow.cpp: BackupComplete(false)).
    name: 'a writer failing at freeze: createSnapshotSet rejects with VssWriterError after SetBackupSucceeded(false) + BackupComplete ("CVssWriter::OnAbort": no Abort after PostSnapshot), leaving the other writers stable and no set in progress',
    where: everywhere,
    async run(h) {
      const m = await h.machine({ ...fast, faults: [{ writer: 'System Writer', phase: 'freeze', error: 'VSS_E_WRITERERROR_TIMEOUT', times: 1 }] });
      await assert.rejects(h.vss.createSnapshotSet(['C:\\'], { backend: m.backend }), (error) => {
        assert.equal(error.name, 'VssWriterError');
        assert.equal(error.operation, 'DoSnapshotSet');
        assert.equal(error.writers[0].name, 'System Writer');
        assert.equal(error.writers[0].state, 'failed-at-freeze');
        return true;
      });
      // Only the failed writer keeps its failure; BackupComplete brought the others back to stable.
      const states = await writerStates(h, m);
      assert.ok(states.filter((s) => !s.startsWith('System Writer=')).every((s) => s.endsWith('=stable')), states.join());
      // The lock on snapshot set creation went with the abort: the next set succeeds (the fault fired once).
      const set = await h.vss.createSnapshotSet(['C:\\'], { backend: m.backend });
      await set.complete({ succeeded: true });
    },
  },
  {
    name: 'a persistent set through the high-level API: listed, then deleted as a whole set',
    where: everywhere,
    async run(h) {
      const m = await h.machine({ base: 'sql-server', ...fast });
      const set = await h.vss.createSnapshotSet(['E:\\', 'F:\\'], { backend: m.backend, persistent: true });
      await set.complete({ succeeded: true });
      const listed = await h.vss.listShadowCopies({ backend: m.backend, setId: set.setId });
      assert.equal(listed.length, 2);
      const result = await h.vss.deleteShadowCopies({ setId: set.setId }, { backend: m.backend });
      assert.equal(result.deletedCount, 2);
      assert.deepEqual(await h.vss.listShadowCopies({ backend: m.backend, setId: set.setId }), []);
    },
  },
  {
    name: "a persistent set without writers (writers: 'none'): the NAS rollback context, no writer disturbed",
    where: everywhere,
    async run(h) {
      const m = await h.machine(fast);
      const set = await h.vss.createSnapshotSet(['C:\\'], { backend: m.backend, persistent: true, writers: 'none' });
      const shadow = set.snapshotFor('C:\\');
      assert.equal(shadow.attributesCode & 0x1f, 0x19);
      await set.complete({ succeeded: true });
      assert.ok((await h.vss.listShadowCopies({ backend: m.backend })).some((s) => s.snapshotId === shadow.snapshotId));
      const states = await writerStates(h, m);
      assert.ok(states.every((s) => s.endsWith('=stable')), states.join());
      assert.equal((await h.vss.deleteShadowCopies([shadow.snapshotId], { backend: m.backend })).deletedCount, 1);
    },
  },
  {
    name: 'withSnapshotSet: a body that throws ends the backup unsuccessfully and rethrows',
    where: everywhere,
    async run(h) {
      const m = await h.machine(fast);
      const boom = new Error('copy failed');
      await assert.rejects(
        h.vss.withSnapshotSet(['C:\\'], { backend: m.backend }, async (set) => {
          assert.ok(set.snapshotFor('C:\\').deviceObject);
          throw boom;
        }),
        (error) => error === boom,
      );
      const states = await writerStates(h, m);
      assert.ok(states.every((s) => s.endsWith('=stable')), states.join());
    },
  },
  {
    name: 'createSnapshotSet with a timeout cancels the running VSS call, aborts, and rejects with the TimeoutError (as fetch does; issue 9 item 10)',
    where: everywhere,
    async run(h) {
      const m = await h.machine({ timing: { timeScale: 1, identifyMs: 10, prepareBackupMs: 10, prepareSnapshotMs: 10, freezeMs: 10, commitMs: 10_000 } });
      await assert.rejects(h.vss.createSnapshotSet(['C:\\'], { backend: m.backend, timeoutMs: 300 }), { name: 'TimeoutError' });
      const states = await writerStates(h, m);
      assert.ok(states.every((s) => s.endsWith('=stable')), states.join());
    },
  },
  {
    name: 'only the included writers take part, selected by name',
    where: everywhere,
    async run(h) {
      const m = await h.machine({ base: 'sql-server', ...fast });
      const set = await h.vss.createSnapshotSet(['E:\\'], { backend: m.backend, writers: { include: ['SqlServerWriter'] } });
      await set.session.gatherWriterStatus();
      for (const w of await set.session.getWriterStatus())
        assert.equal(w.state, w.name === 'SqlServerWriter' ? 'waiting-for-backup-complete' : 'stable', w.name);
      await set.complete({ succeeded: true });
    },
  },
  {
    name: 'another requester creating a snapshot set: VSS_E_SNAPSHOT_SET_IN_PROGRESS after the retries',
    where: everywhere,
    async run(h) {
      const m = await h.machine({ ...fast, faults: [{ machine: 'snapshot-set-in-progress' }] });
      await assert.rejects(h.vss.createSnapshotSet(['C:\\'], { backend: m.backend, retry: { attempts: 2, delayMs: 10 } }), {
        code: 'VSS_E_SNAPSHOT_SET_IN_PROGRESS',
      });
    },
  },
  {
    name: 'listProviders and listShadowStorage through the high-level API',
    where: everywhere,
    async run(h) {
      const m = await h.machine({ ...fast, shadows: [{ volume: 'C:\\' }] });
      const providers = await h.vss.listProviders({ backend: m.backend });
      assert.ok(providers.some((p) => p.providerId === h.vss.SYSTEM_PROVIDER_ID));
      const storage = await h.vss.listShadowStorage({ backend: m.backend });
      assert.equal(storage.length, 1);
      assert.ok(storage[0].usedSize > 0n);
    },
  },
];
