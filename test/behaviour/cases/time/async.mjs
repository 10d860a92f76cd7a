// IVssAsync through the COM backend: every long call is waited on the session's
// own thread (the JS thread keeps running), QueryStatus feeds progress events,
// and an AbortSignal reaches IVssAsync::Cancel. Runner-neutral.
import assert from 'node:assert/strict';

import { backupUntil, initialized } from '../../helpers.mjs';

const everywhere = ['linux', 'wine'];
// Safe on a real Windows machine too: no simulated scenario needed, nothing left behind.
const withWindows = ['linux', 'wine', 'windows'];
const VSS_S_ASYNC_CANCELLED = 0x0004230b;

async function atSnapshot(h, timing) {
  const { m, session } = await initialized(h, { timing: { timeScale: 0.01, ...timing } });
  await backupUntil(session, 'prepare');
  return { m, session };
}

function isCancelled(error, operation) {
  assert.equal(error.name, 'AbortError', `${error.name}: ${error.message}`);
  assert.equal(error.code, 'ABORT_ERR');
  // The VSS outcome is kept: VSS_S_ASYNC_CANCELLED, on the error or its cause.
  const hresult = error.hresult ?? error.cause?.hresult;
  assert.equal(hresult, VSS_S_ASYNC_CANCELLED, `hresult ${hresult}`);
  if (operation) assert.equal(error.operation ?? error.cause?.operation, operation);
  return true;
}

export default [
  {
    name: 'DoSnapshotSet reports progress from IVssAsync::QueryStatus while it runs',
    where: everywhere,
    async run(h) {
      // timeScale 1 for the commit: about 300 ms of provider work to watch.
      const { session } = await atSnapshot(h, { timeScale: 1, prepareSnapshotMs: 50, freezeMs: 50, commitMs: 300, thawMs: 20, postSnapshotMs: 20 });
      const events = [];
      await session.doSnapshotSet({ onProgress: (e) => events.push(e) });
      assert.ok(events.length >= 2, `${events.length} progress events`);
      assert.ok(events.every((e) => e.operation === 'DoSnapshotSet'));
      assert.ok(events.every((e) => Number.isFinite(e.elapsedMs) && e.elapsedMs >= 0));
      // The COM backend times the whole IVssAsync; the simulated engine times each writer phase.
      if (h.where !== 'linux')
        for (let i = 1; i < events.length; i++) assert.ok(events[i].elapsedMs >= events[i - 1].elapsedMs, 'elapsed time only grows');
      await session.backupComplete();
    },
  },
  {
    name: 'the JS thread keeps running while a long VSS call waits on the session thread',
    where: everywhere,
    async run(h) {
      const m = await h.machine({ timing: { timeScale: 1, identifyMs: 600, statusMs: 1 } });
      const session = await h.session({ backend: m.backend });
      await session.initializeForBackup();
      let ticks = 0;
      const timer = setInterval(() => ticks++, 20);
      try {
        await session.gatherWriterMetadata();
      } finally {
        clearInterval(timer);
      }
      assert.ok(ticks >= 10, `only ${ticks} timer ticks during a 600 ms call`);
    },
  },
  {
    name: 'an AbortSignal cancels DoSnapshotSet through IVssAsync::Cancel: AbortError with VSS_S_ASYNC_CANCELLED, writers thawed, no shadow copy',
    where: everywhere,
    async run(h) {
      const { session } = await atSnapshot(h, { timeScale: 1, prepareSnapshotMs: 20, freezeMs: 20, commitMs: 5000 });
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), 200);
      const started = Date.now();
      await assert.rejects(session.doSnapshotSet({ signal: controller.signal }), (e) => isCancelled(e, 'DoSnapshotSet'));
      clearTimeout(timer);
      assert.ok(Date.now() - started < 4000, 'the cancel did not wait for the commit to finish');
      await session.gatherWriterStatus();
      const states = (await session.getWriterStatus()).map((w) => w.state);
      assert.ok(states.every((s) => s === 'stable'), states.join());
      assert.deepEqual(await session.querySnapshots(), []);
    },
  },
  {
    name: 'an AbortSignal cancels GatherWriterMetadata and PrepareForBackup',
    where: everywhere,
    async run(h) {
      const m = await h.machine({ timing: { timeScale: 1, identifyMs: 5000 } });
      const session = await h.session({ backend: m.backend });
      await session.initializeForBackup();
      await assert.rejects(session.gatherWriterMetadata({ signal: AbortSignal.timeout(150) }), (e) => isCancelled(e, 'GatherWriterMetadata'));

      const m2 = await h.machine({ timing: { timeScale: 1, identifyMs: 5, prepareBackupMs: 5000 } });
      const second = await h.session({ backend: m2.backend });
      await second.initializeForBackup();
      await second.gatherWriterMetadata();
      await second.startSnapshotSet();
      await second.addToSnapshotSet('C:\\');
      await assert.rejects(second.prepareForBackup({ signal: AbortSignal.timeout(150) }), (e) => isCancelled(e, 'PrepareForBackup'));
    },
  },
  {
    name: 'a signal aborted before the call rejects at once without calling VSS',
    where: withWindows,
    async run(h) {
      const m = await h.machine({ timing: { timeScale: 0.01 } });
      const session = await h.session({ backend: m.backend });
      await session.initializeForBackup();
      await assert.rejects(session.gatherWriterMetadata({ signal: AbortSignal.abort() }), { name: 'AbortError' });
      // Nothing ran: the metadata is still to be gathered.
      await assert.rejects(session.getWriterMetadata(), { code: 'VSS_E_BAD_STATE' });
      await session.gatherWriterMetadata();
    },
  },
  {
    name: 'a second call while one runs rejects with ERR_VSS_SESSION_BUSY; sessions on their own threads run side by side',
    where: everywhere,
    async run(h) {
      const m = await h.machine({ timing: { timeScale: 1, identifyMs: 400, statusMs: 1 } });
      const a = await h.session({ backend: m.backend });
      const b = await h.session({ backend: m.backend });
      await Promise.all([a.initializeForBackup(), b.initializeForBackup()]);
      const started = Date.now();
      const running = a.gatherWriterMetadata();
      await assert.rejects(a.gatherWriterStatus(), { name: 'VssSessionError', code: 'ERR_VSS_SESSION_BUSY' });
      await Promise.all([running, b.gatherWriterMetadata()]);
      const elapsed = Date.now() - started;
      // Both 400 ms identifications overlapped.
      assert.ok(elapsed < 780, `two sessions took ${elapsed} ms`);
    },
  },
  {
    name: 'a hung writer is cancelled by the signal and the backup can be aborted cleanly',
    where: everywhere,
    async run(h) {
      const m = await h.machine({ timing: { timeScale: 1, prepareSnapshotMs: 10, freezeMs: 10 }, faults: [{ writer: 'WMI Writer', phase: 'prepare-snapshot', kind: 'hang' }] });
      const session = await h.session({ backend: m.backend });
      await session.initializeForBackup();
      await session.setContext('backup');
      await session.gatherWriterMetadata({ signal: AbortSignal.timeout(5000) });
      await session.startSnapshotSet();
      await session.addToSnapshotSet('C:\\');
      await session.prepareForBackup({ signal: AbortSignal.timeout(5000) });
      await assert.rejects(session.doSnapshotSet({ signal: AbortSignal.timeout(200) }), (e) => isCancelled(e, 'DoSnapshotSet'));
      await session.gatherWriterStatus();
      const wmi = (await session.getWriterStatus()).find((w) => w.name === 'WMI Writer');
      assert.equal(wmi.state, 'stable');
    },
  },
];
