// A writer failing in every phase of a backup, seen through the COM backend's
// GetWriterStatus (and IVssBackupComponentsEx3's application error and message).
// Runner-neutral: the faults reach the emulated vssapi.dll through the machine
// scenario (the control file under Wine).
import assert from 'node:assert/strict';

import { backupUntil, initialized, statuses } from '../../helpers.mjs';

const everywhere = ['linux', 'wine'];
const fast = { timing: { timeScale: 0.01 } };
const WRITER = 'Registry Writer';

// Runs a whole backup of C:\ and returns every writer's status at the end.
async function backupWithFault(h, phase, error = 'VSS_E_WRITERERROR_RETRYABLE', extra = {}) {
  const { session } = await initialized(h, { ...fast, faults: [{ writer: WRITER, phase, kind: 'fail', error, ...extra }] });
  await backupUntil(session, 'complete');
  return { session, status: await statuses(session) };
}

function failed(status, state, code) {
  const w = status.find((s) => s.name === WRITER);
  assert.ok(w, `${WRITER} reports a status`);
  assert.equal(w.state, state);
  assert.equal(w.lastError?.name, code);
  assert.ok(typeof w.failureMessage === 'string' && w.failureMessage.length > 0, 'a failure message');
  // Only the faulty writer failed.
  for (const other of status.filter((s) => s.name !== WRITER)) assert.equal(other.lastError, null, other.name);
  return w;
}

const phases = [
  ['prepare-backup', 'failed-at-prepare-backup', 'VSS_E_WRITERERROR_RETRYABLE'],
  ['prepare-snapshot', 'failed-at-prepare-snapshot', 'VSS_E_WRITERERROR_OUTOFRESOURCES'],
  ['freeze', 'failed-at-freeze', 'VSS_E_WRITERERROR_TIMEOUT'],
  ['thaw', 'failed-at-thaw', 'VSS_E_WRITERERROR_RETRYABLE'],
  ['post-snapshot', 'failed-at-post-snapshot', 'VSS_E_WRITERERROR_NONRETRYABLE'],
  ['backup-complete', 'failed-at-backup-complete', 'VSS_E_WRITERERROR_RETRYABLE'],
];

export default [
  {
    name: 'a writer failing at identify is reported failed-at-identify after GatherWriterMetadata',
    where: everywhere,
    async run(h) {
      const m = await h.machine({ ...fast, faults: [{ writer: WRITER, phase: 'identify', error: 'VSS_E_WRITERERROR_NONRETRYABLE' }] });
      const session = await h.session({ backend: m.backend });
      await session.initializeForBackup();
      await session.gatherWriterMetadata();
      await session.gatherWriterStatus();
      failed(await session.getWriterStatus(), 'failed-at-identify', 'VSS_E_WRITERERROR_NONRETRYABLE');
    },
  },
  ...phases.map(([phase, state, code]) => ({
    name: `a writer failing at ${phase} is reported ${state} with ${code}`,
    where: everywhere,
    async run(h) {
      const { status } = await backupWithFault(h, phase, code);
      failed(status, state, code);
    },
  })),
  {
    name: "IVssBackupComponentsEx3::GetWriterStatusEx carries the application's own error and message",
    where: everywhere,
    async run(h) {
      const { status } = await backupWithFault(h, 'freeze', 'VSS_E_WRITERERROR_RETRYABLE', {
        applicationError: 0x80070005,
        message: 'Registry hive is locked by another process',
      });
      const w = failed(status, 'failed-at-freeze', 'VSS_E_WRITERERROR_RETRYABLE');
      assert.equal(w.applicationError?.hresult, 0x80070005);
      assert.equal(w.applicationError?.name, 'E_ACCESSDENIED');
      assert.equal(w.failureMessage, 'Registry hive is locked by another process');
    },
  },
  {
    name: 'a fault that fires once: the next backup on the same machine succeeds and clears the failure',
    where: everywhere,
    async run(h) {
      const m = await h.machine({ ...fast, faults: [{ writer: WRITER, phase: 'freeze', error: 'VSS_E_WRITERERROR_TIMEOUT', times: 1 }] });
      for (const expected of ['failed-at-freeze', 'stable']) {
        const session = await h.session({ backend: m.backend });
        await session.initializeForBackup();
        await backupUntil(session, 'complete');
        const w = (await statuses(session)).find((s) => s.name === WRITER);
        assert.equal(w.state, expected);
        await session.release();
      }
    },
  },
  {
    name: 'a fault configured while a session runs applies to its next step',
    where: everywhere,
    async run(h) {
      const m = await h.machine(fast);
      const session = await h.session({ backend: m.backend });
      await session.initializeForBackup();
      await session.gatherWriterMetadata();
      await session.startSnapshotSet();
      await session.addToSnapshotSet('C:\\');
      await session.prepareForBackup();
      await m.configure({ faults: [{ writer: WRITER, phase: 'post-snapshot', error: 'VSS_E_WRITERERROR_RETRYABLE' }] });
      await session.doSnapshotSet();
      await session.gatherWriterStatus();
      failed(await session.getWriterStatus(), 'failed-at-post-snapshot', 'VSS_E_WRITERERROR_RETRYABLE');
      await session.backupComplete();
    },
  },
  {
    name: 'a writer that stays frozen past its freeze timeout fails with VSS_E_WRITERERROR_TIMEOUT',
    where: everywhere,
    async run(h) {
      const m = await h.machine({
        ...fast,
        writers: [{ name: WRITER, freezeTimeoutMs: 1000 }],
        faults: [{ writer: WRITER, phase: 'freeze', kind: 'slow', delayMs: 5000 }],
      });
      const session = await h.session({ backend: m.backend });
      await session.initializeForBackup();
      await session.gatherWriterMetadata();
      await session.startSnapshotSet();
      await session.addToSnapshotSet('C:\\');
      await session.prepareForBackup();
      await session.doSnapshotSet();
      await session.gatherWriterStatus();
      failed(await session.getWriterStatus(), 'failed-at-freeze', 'VSS_E_WRITERERROR_TIMEOUT');
      await session.backupComplete();
    },
  },
];
