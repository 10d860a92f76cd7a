// Writers: the VSS_WRITER_STATE each phase leaves them in, every failed-at-* state,
// last error, application error and failure message (issue: "Writers").
import assert from 'node:assert/strict';

import { backupUntil, both, initialized, observer, scenario, statusOf, statuses, writerIds } from '../../helpers.mjs';

// Each writer event with the state a writer failing in it is left in, and the error it fails with.
const failures = [
  { phase: 'prepare-backup', state: 'failed-at-prepare-backup', error: 'VSS_E_WRITERERROR_RETRYABLE' },
  { phase: 'prepare-snapshot', state: 'failed-at-prepare-snapshot', error: 'VSS_E_WRITERERROR_OUTOFRESOURCES' },
  { phase: 'freeze', state: 'failed-at-freeze', error: 'VSS_E_WRITERERROR_NONRETRYABLE' },
  { phase: 'thaw', state: 'failed-at-thaw', error: 'VSS_E_WRITERERROR_INCONSISTENTSNAPSHOT' },
  { phase: 'post-snapshot', state: 'failed-at-post-snapshot', error: 'VSS_E_WRITERERROR_RETRYABLE' },
  { phase: 'backup-complete', state: 'failed-at-backup-complete', error: 'VSS_E_WRITERERROR_RECOVERY_FAILED' },
];

export default [
  {
    name: 'a second requester sees the writers pass through waiting-for-freeze, -thaw, -post-snapshot and -backup-complete',
    where: both,
    async run(h) {
      const slow = { timeScale: 1, identifyMs: 5, prepareBackupMs: 5, prepareSnapshotMs: 400, freezeMs: 400, commitMs: 400, thawMs: 400, postSnapshotMs: 400, statusMs: 5 };
      const { m, session } = await initialized(h, { timing: slow });
      const watcher = await observer(h, m);
      await session.gatherWriterMetadata();
      await session.startSnapshotSet();
      await session.addToSnapshotSet('C:\\');
      await session.prepareForBackup();
      const seen = [];
      let done = false;
      const snapshot = session.doSnapshotSet().finally(() => (done = true));
      while (!done) {
        const state = (await statusOf(watcher, 'Registry Writer')).state;
        if (seen.at(-1) !== state) seen.push(state);
      }
      await snapshot;
      const last = (await statusOf(watcher, 'Registry Writer')).state;
      if (seen.at(-1) !== last) seen.push(last);
      const expected = ['waiting-for-freeze', 'waiting-for-thaw', 'waiting-for-post-snapshot', 'waiting-for-backup-complete'];
      let at = -1;
      for (const state of expected) {
        const next = seen.indexOf(state, at + 1);
        assert.ok(next > at, `expected ${expected.join(' → ')} in order, saw ${seen.join(' → ')}`);
        at = next;
      }
      assert.ok(seen.every((s) => s === 'stable' || expected.includes(s)), seen.join(' → '));
    },
  },
  {
    name: 'a writer failing in each backup phase is left in that failed-at state with its VSS_E_WRITERERROR_* and the others carry on',
    where: both,
    async run(h) {
      for (const f of failures) {
        const { session } = await initialized(h, scenario({ faults: [{ writer: 'Registry Writer', phase: f.phase, error: f.error }] }));
        await backupUntil(session, 'complete');
        const all = await statuses(session);
        const registry = all.find((w) => w.name === 'Registry Writer');
        assert.equal(registry.state, f.state, f.phase);
        assert.equal(registry.lastError?.name, f.error, f.phase);
        assert.equal(registry.stateCode, ['failed-at-prepare-backup', 'failed-at-prepare-snapshot', 'failed-at-freeze', 'failed-at-thaw', 'failed-at-post-snapshot', 'failed-at-backup-complete'].indexOf(f.state) + 7);
        const others = all.filter((w) => w.name !== 'Registry Writer');
        assert.ok(others.every((w) => w.state === 'stable' && w.lastError === null), `${f.phase}: ${JSON.stringify(others.map((w) => [w.name, w.state]))}`);
      }
    },
  },
  {
    name: 'a writer that fails at identify is failed-at-identify, gives no metadata and takes no part in the backup',
    where: both,
    async run(h) {
      const { session } = await initialized(
        h,
        scenario({
          faults: [
            { writer: 'WMI Writer', phase: 'identify', error: 'VSS_E_WRITERERROR_RETRYABLE' },
            { writer: 'WMI Writer', phase: 'freeze', error: 'VSS_E_WRITERERROR_NONRETRYABLE' },
          ],
        }),
      );
      await session.gatherWriterMetadata();
      const metadata = await session.getWriterMetadata();
      assert.equal(metadata.find((w) => w.name === 'WMI Writer'), undefined);
      assert.ok(metadata.length >= 8);
      let wmi = await statusOf(session, 'WMI Writer');
      assert.equal(wmi.state, 'failed-at-identify');
      assert.equal(wmi.lastError?.name, 'VSS_E_WRITERERROR_RETRYABLE');
      await session.startSnapshotSet();
      await session.addToSnapshotSet('C:\\');
      await session.prepareForBackup();
      await session.doSnapshotSet();
      wmi = await statusOf(session, 'WMI Writer');
      assert.equal(wmi.state, 'failed-at-identify', 'its freeze fault never fired: it was not asked to freeze');
    },
  },
  {
    name: 'a writer failing at backup shutdown is failed-at-backup-shutdown once the requester is released',
    where: both,
    async run(h) {
      const { m, session } = await initialized(h, scenario({ faults: [{ writer: 'System Writer', phase: 'backup-shutdown', error: 'VSS_E_WRITERERROR_NONRETRYABLE' }] }));
      await backupUntil(session, 'complete');
      assert.equal((await statusOf(session, 'System Writer')).state, 'stable', 'not before the release');
      await session.release();
      const watcher = await observer(h, m);
      const system = await statusOf(watcher, 'System Writer');
      assert.equal(system.state, 'failed-at-backup-shutdown');
      assert.equal(system.stateCode, 15);
      assert.equal(system.lastError?.name, 'VSS_E_WRITERERROR_NONRETRYABLE');
    },
  },
  {
    name: "a failing writer reports the application's own error and its failure message",
    where: both,
    async run(h) {
      const fault = {
        writer: 'SqlServerWriter',
        phase: 'freeze',
        error: 'VSS_E_WRITERERROR_NONRETRYABLE',
        applicationError: 0x80770004,
        message: 'Cannot freeze database SalesDb: I/O is not quiesced',
      };
      const { session } = await initialized(h, scenario({ base: 'sql-server', faults: [fault] }));
      await backupUntil(session, 'snapshot', { volumes: ['E:\\'] });
      const sql = await statusOf(session, 'SqlServerWriter');
      assert.equal(sql.state, 'failed-at-freeze');
      assert.deepEqual(sql.lastError, { hresult: 0x800423f4, name: 'VSS_E_WRITERERROR_NONRETRYABLE' });
      assert.equal(sql.applicationError?.hresult, 0x80770004);
      assert.equal(sql.failureMessage, fault.message);
    },
  },
  {
    name: 'a writer failure is not a DoSnapshotSet error: the shadow copies are created and the requester must read writer status',
    where: both,
    async run(h) {
      const { session } = await initialized(h, scenario({ faults: [{ writer: 'Registry Writer', phase: 'freeze', error: 'VSS_E_WRITERERROR_RETRYABLE' }] }));
      const { snapshotIds } = await backupUntil(session, 'snapshot');
      const shadow = await session.getSnapshotProperties(snapshotIds[0]);
      assert.equal(shadow.state, 'created');
      assert.equal((await statusOf(session, 'Registry Writer')).state, 'failed-at-freeze');
    },
  },
  {
    name: "a failed writer stays failed for other requesters until the next backup's PrepareForBackup starts it afresh",
    where: both,
    async run(h) {
      const { m, session } = await initialized(h, scenario({ faults: [{ writer: 'Registry Writer', phase: 'freeze', error: 'VSS_E_WRITERERROR_RETRYABLE', times: 1 }] }));
      await backupUntil(session, 'complete');
      await session.release();
      const second = await observer(h, m);
      assert.equal((await statusOf(second, 'Registry Writer')).state, 'failed-at-freeze', 'a listing does not reset it');
      await second.startSnapshotSet();
      await second.addToSnapshotSet('C:\\');
      await second.prepareForBackup();
      const registry = await statusOf(second, 'Registry Writer');
      assert.equal(registry.state, 'stable');
      assert.equal(registry.lastError, null);
      await second.doSnapshotSet();
      assert.equal((await statusOf(second, 'Registry Writer')).state, 'waiting-for-backup-complete', 'the one-time fault does not fire again');
    },
  },
  {
    name: 'writers excluded with DisableWriterClasses, DisableWriterInstances or left out by EnableWriterClasses take no part',
    where: both,
    async run(h) {
      const freezeFaults = ['System Writer', 'WMI Writer', 'Registry Writer'].map((writer) => ({ writer, phase: 'freeze', error: 'VSS_E_WRITERERROR_RETRYABLE' }));
      const { m, session } = await initialized(h, scenario({ faults: freezeFaults }));
      // The ids come from another requester: selection must precede this session's GatherWriterMetadata.
      const wmi = (await (await observer(h, m)).getWriterMetadata()).find((w) => w.name === 'WMI Writer');
      await session.disableWriterClasses([writerIds.system]);
      await session.disableWriterInstances([wmi.instanceId]);
      await backupUntil(session, 'snapshot');
      const all = await statuses(session);
      const state = (name) => all.find((w) => w.name === name)?.state;
      // Disabled writers hear no event of this session: no freeze (so no failure), no status.
      assert.equal(state('System Writer'), undefined);
      assert.equal(state('WMI Writer'), undefined);
      assert.equal(state('Registry Writer'), 'failed-at-freeze');
      assert.equal(state('COM+ REGDB Writer'), 'waiting-for-backup-complete');
      const watcher = await statuses(await observer(h, m));
      assert.equal(watcher.find((w) => w.name === 'System Writer').state, 'stable');
      assert.equal(watcher.find((w) => w.name === 'WMI Writer').state, 'stable');

      const only = await initialized(h, scenario({ faults: freezeFaults }));
      await only.session.enableWriterClasses([writerIds.registry]);
      await backupUntil(only.session, 'snapshot');
      const enabled = await statuses(only.session);
      assert.deepEqual(enabled.map((w) => [w.name, w.state]), [['Registry Writer', 'failed-at-freeze']]);
      const others = (await statuses(await observer(h, only.m))).filter((w) => w.name !== 'Registry Writer');
      assert.ok(others.every((w) => w.state === 'stable'), JSON.stringify(others.map((w) => w.state)));
    },
  },
];
