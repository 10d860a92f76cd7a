// Fault injection: per writer and phase, per provider, per volume, machine-wide;
// set before a session or changed during it (issue: "Fault injection").
import assert from 'node:assert/strict';

import { SYSTEM_PROVIDER, backupUntil, both, initialized, linux, manager, scenario, statusOf, statuses } from '../../helpers.mjs';

export default [
  {
    name: 'a fault limited to one time fires in the first backup only',
    where: both,
    async run(h) {
      const m = await h.machine(scenario({ faults: [{ writer: 'System Writer', phase: 'post-snapshot', error: 'VSS_E_WRITERERROR_RETRYABLE', times: 1 }] }));
      const first = await manager(h, m);
      await backupUntil(first, 'snapshot');
      assert.equal((await statusOf(first, 'System Writer')).state, 'failed-at-post-snapshot');
      await first.release();
      const second = await manager(h, m);
      await backupUntil(second, 'snapshot');
      assert.equal((await statusOf(second, 'System Writer')).state, 'waiting-for-backup-complete');
    },
  },
  {
    name: 'a provider failing at commit fails DoSnapshotSet with its HRESULT, creates nothing, thaws the writers and frees the set',
    where: both,
    async run(h) {
      const m = await h.machine(scenario({ faults: [{ provider: SYSTEM_PROVIDER, phase: 'commit', error: 'VSS_E_PROVIDER_VETO' }] }));
      const session = await manager(h, m);
      await backupUntil(session, 'prepare');
      await assert.rejects(session.doSnapshotSet(), { name: 'VssError', code: 'VSS_E_PROVIDER_VETO', operation: 'DoSnapshotSet' });
      assert.deepEqual(await session.querySnapshots(), []);
      assert.ok((await statuses(session)).every((w) => w.state === 'stable'), 'no writer is left frozen');
      await session.abortBackup();
      await assert.rejects(session.doSnapshotSet(), { code: 'VSS_E_BAD_STATE' });
      const next = await manager(h, m, 'file-share-backup');
      await next.startSnapshotSet();
    },
  },
  {
    name: 'a provider fault without an error fails the commit with VSS_E_UNEXPECTED_PROVIDER_ERROR',
    where: both,
    async run(h) {
      const { session } = await initialized(h, scenario({ faults: [{ provider: SYSTEM_PROVIDER }] }));
      await backupUntil(session, 'prepare');
      await assert.rejects(session.doSnapshotSet(), { code: 'VSS_E_UNEXPECTED_PROVIDER_ERROR' });
    },
  },
  {
    name: 'a volume made unsupported by a fault is refused until the faults are cleared',
    where: both,
    async run(h) {
      const { m, session } = await initialized(h, scenario({ volumes: [{ name: 'E:\\' }], faults: [{ volume: 'E:\\' }] }));
      assert.equal(await session.isVolumeSupported('E:\\'), false);
      await session.gatherWriterMetadata();
      await session.startSnapshotSet();
      await assert.rejects(session.addToSnapshotSet('E:\\'), { code: 'VSS_E_VOLUME_NOT_SUPPORTED' });
      await m.configure({ faults: [] });
      assert.equal(await session.isVolumeSupported('E:\\'), true);
      await session.addToSnapshotSet('E:\\');
    },
  },
  {
    name: 'a writer fault set during a session, after PrepareForBackup, fires in the same backup',
    where: both,
    async run(h) {
      const { m, session } = await initialized(h, scenario());
      await backupUntil(session, 'prepare');
      await m.configure({ faults: [{ writer: 'Task Scheduler Writer', phase: 'thaw', error: 'VSS_E_WRITERERROR_NONRETRYABLE' }] });
      await session.doSnapshotSet();
      const tasks = await statusOf(session, 'Task Scheduler Writer');
      assert.equal(tasks.state, 'failed-at-thaw');
      assert.equal(tasks.lastError?.name, 'VSS_E_WRITERERROR_NONRETRYABLE');
    },
  },
  {
    name: 'faults cleared during a session no longer fire',
    where: both,
    async run(h) {
      const { m, session } = await initialized(h, scenario({ faults: [{ writer: 'Registry Writer', phase: 'freeze', error: 'VSS_E_WRITERERROR_RETRYABLE' }] }));
      await backupUntil(session, 'prepare');
      await m.configure({ faults: [] });
      await session.doSnapshotSet();
      assert.ok((await statuses(session)).every((w) => w.state === 'waiting-for-backup-complete'));
    },
  },
  {
    name: 'a slow writer makes its phase last as long as it answers late',
    where: both,
    async run(h) {
      const { session } = await initialized(h, scenario({ timing: { timeScale: 1, identifyMs: 5, prepareBackupMs: 5 }, faults: [{ writer: 'ASR Writer', phase: 'prepare-backup', kind: 'slow', delayMs: 400 }] }));
      await session.gatherWriterMetadata();
      await session.startSnapshotSet();
      await session.addToSnapshotSet('C:\\');
      const started = performance.now();
      await session.prepareForBackup();
      const took = performance.now() - started;
      assert.ok(took >= 380, `PrepareForBackup took ${took} ms; the ASR Writer answers after 405 ms`);
      assert.equal((await statusOf(session, 'ASR Writer')).state, 'stable', 'slow is not failed');
    },
  },
  {
    name: 'writer state, last error and failure message can be set directly on a running machine',
    where: both,
    async run(h) {
      const { m, session } = await initialized(h, scenario());
      await session.gatherWriterMetadata();
      await m.configure({ writers: [{ name: 'WMI Writer', state: 'failed-at-thaw', lastError: 'VSS_E_WRITERERROR_TIMEOUT', failureMessage: 'thaw came too late' }] });
      const wmi = await statusOf(session, 'WMI Writer');
      assert.equal(wmi.state, 'failed-at-thaw');
      assert.equal(wmi.lastError?.name, 'VSS_E_WRITERERROR_TIMEOUT');
      assert.equal(wmi.failureMessage, 'thaw came too late');
    },
  },
  {
    name: 'a malformed fault is refused with E_INVALIDARG naming the fault and the key',
    where: linux,
    async run(h) {
      const cases = [
        [{ writer: 'System Writer', phase: 'lunch', error: 'VSS_E_WRITERERROR_RETRYABLE' }, /faults\[0\]\.phase: expected identify/],
        [{ writer: 'No Such Writer', phase: 'freeze', error: 'VSS_E_WRITERERROR_RETRYABLE' }, /faults\[0\]\.writer: no writer 'No Such Writer'/],
        [{ writer: 'System Writer', phase: 'freeze' }, /faults\[0\]: a failing writer needs an error/],
        [{ writer: 'System Writer', phase: 'freeze', kind: 'slow' }, /faults\[0\]\.delayMs: a slow writer needs delayMs/],
        [{ writer: 'System Writer', phase: 'freeze', error: 'NOT_AN_HRESULT' }, /faults\[0\]\.error: expected an HRESULT name/],
        [{ machine: 'on-fire' }, /faults\[0\]\.machine: expected 'snapshot-set-in-progress'/],
        [{ nothing: true }, /faults\[0\]: a fault names a writer, a provider, a volume or the machine/],
      ];
      const m = await h.machine(scenario());
      for (const [fault, message] of cases) {
        await assert.rejects(m.configure({ faults: [fault] }), (e) => e.code === 'E_INVALIDARG' && message.test(e.message), String(message));
        assert.throws(() => h.vss.createSimulator({ faults: [fault] }), (e) => e.code === 'E_INVALIDARG' && message.test(e.message), String(message));
      }
    },
  },
];
