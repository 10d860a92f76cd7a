// Time: simulated phase durations (scalable), progress, cancellation through
// IVssAsync::Cancel (AbortSignal), writer timeouts (issue: "Time").
import assert from 'node:assert/strict';

import { backupUntil, both, initialized, manager, observer, statusOf, statuses } from '../../helpers.mjs';

const elapsed = async (body) => {
  const started = performance.now();
  await body();
  return performance.now() - started;
};

export default [
  {
    name: 'each phase takes its simulated time, and timeScale scales every phase down',
    where: both,
    async run(h) {
      const real = await initialized(h, { timing: { timeScale: 1, identifyMs: 300 } });
      const full = await elapsed(() => real.session.gatherWriterMetadata());
      assert.ok(full >= 280, `GatherWriterMetadata took ${full} ms, the writers take 300 ms to identify`);
      // 1/1000 of 60 s: a phase that would take a minute takes tens of milliseconds.
      const scaled = await initialized(h, { timing: { timeScale: 0.001, identifyMs: 60_000 } });
      const quick = await elapsed(() => scaled.session.gatherWriterMetadata());
      assert.ok(quick >= 55 && quick < 20_000, `scaled GatherWriterMetadata took ${quick} ms`);
    },
  },
  {
    name: 'the realistic default timings make DoSnapshotSet take the writers prepare, freeze, commit, thaw and post-snapshot time',
    where: both,
    async run(h) {
      const { session } = await initialized(h, {});
      await session.gatherWriterMetadata();
      await session.startSnapshotSet();
      await session.addToSnapshotSet('C:\\');
      await session.prepareForBackup();
      const took = await elapsed(() => session.doSnapshotSet());
      // Defaults: prepare-snapshot 300, freeze 400, commit 800, thaw 150, post-snapshot 150 ms.
      assert.ok(took >= 1700, `DoSnapshotSet took ${took} ms`);
    },
  },
  {
    name: 'long calls report progress with the VSS operation and a rising elapsed time',
    where: both,
    async run(h) {
      const { session } = await initialized(h, { timing: { timeScale: 0.1 } });
      await backupUntil(session, 'prepare');
      const events = [];
      await session.doSnapshotSet({ onProgress: (e) => events.push(e) });
      assert.ok(events.length >= 3, `${events.length} progress events`);
      assert.ok(events.every((e) => e.operation === 'DoSnapshotSet'));
      assert.ok(events.at(-1).elapsedMs > events[0].elapsedMs);
    },
  },
  {
    name: 'cancelling DoSnapshotSet (AbortSignal -> IVssAsync::Cancel) aborts the backup: no shadow copies, writers thawed, set lock released',
    where: both,
    async run(h) {
      const { m, session } = await initialized(h, { timing: { timeScale: 1, identifyMs: 5, prepareBackupMs: 5, prepareSnapshotMs: 50, freezeMs: 5000, statusMs: 5 } });
      await backupUntil(session, 'prepare');
      const controller = new AbortController();
      const watcher = await observer(h, m);
      const snapshot = session.doSnapshotSet({ signal: controller.signal });
      // Cancel once the writers are frozen.
      for (let i = 0; i < 400 && (await statusOf(watcher, 'Registry Writer')).state !== 'waiting-for-freeze'; i++);
      controller.abort();
      await assert.rejects(snapshot, (e) => e.name === 'AbortError' && e.code === 'ABORT_ERR');
      assert.ok((await statuses(watcher)).every((w) => w.state === 'stable'), 'the writers were thawed');
      assert.deepEqual(await watcher.querySnapshots(), []);
      await session.abortBackup();
      const next = await manager(h, m, 'file-share-backup');
      await next.startSnapshotSet();
    },
  },
  {
    name: 'cancelling GatherWriterMetadata rejects with AbortError and leaves the session usable',
    where: both,
    async run(h) {
      const { session } = await initialized(h, { timing: { timeScale: 1, identifyMs: 10_000 } });
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 50);
      const took = await elapsed(() => assert.rejects(session.gatherWriterMetadata({ signal: controller.signal }), { name: 'AbortError' }));
      assert.ok(took < 5000, `the cancel took effect after ${took} ms`);
    },
  },
  {
    name: 'a writer whose freeze outlasts its timeout fails at freeze with VSS_E_WRITERERROR_TIMEOUT; a slow one inside it does not',
    where: both,
    async run(h) {
      const { session } = await initialized(h, {
        base: 'sql-server',
        timing: { timeScale: 0.01 },
        writers: [{ name: 'SqlServerWriter', freezeTimeoutMs: 10_000 }],
        faults: [
          { writer: 'SqlServerWriter', phase: 'freeze', kind: 'slow', delayMs: 12_000 },
          { writer: 'Registry Writer', phase: 'freeze', kind: 'slow', delayMs: 5_000 },
        ],
      });
      await backupUntil(session, 'snapshot', { volumes: ['C:\\', 'E:\\'] });
      const all = await statuses(session);
      const sql = all.find((w) => w.name === 'SqlServerWriter');
      assert.equal(sql.state, 'failed-at-freeze');
      assert.equal(sql.lastError?.name, 'VSS_E_WRITERERROR_TIMEOUT');
      assert.equal(all.find((w) => w.name === 'Registry Writer').state, 'waiting-for-backup-complete');
    },
  },
  {
    name: 'the default freeze timeout is 60 seconds of simulated time',
    where: both,
    async run(h) {
      const { session } = await initialized(h, {
        timing: { timeScale: 0.001 },
        faults: [
          { writer: 'WMI Writer', phase: 'freeze', kind: 'slow', delayMs: 61_000 },
          { writer: 'Registry Writer', phase: 'freeze', kind: 'slow', delayMs: 50_000 },
        ],
      });
      await backupUntil(session, 'snapshot');
      const all = await statuses(session);
      assert.equal(all.find((w) => w.name === 'WMI Writer').lastError?.name, 'VSS_E_WRITERERROR_TIMEOUT');
      assert.equal(all.find((w) => w.name === 'Registry Writer').lastError, null);
    },
  },
  {
    name: 'a writer that never answers fails with VSS_E_WRITERERROR_TIMEOUT once VSS stops waiting for it',
    where: both,
    async run(h) {
      const { session } = await initialized(h, {
        timing: { timeScale: 0.01, responseTimeoutMs: 20_000 },
        faults: [{ writer: 'COM+ REGDB Writer', phase: 'prepare-snapshot', kind: 'hang' }],
      });
      await backupUntil(session, 'prepare');
      const took = await elapsed(() => session.doSnapshotSet());
      assert.ok(took >= 190, `DoSnapshotSet waited ${took} ms for the writer (20 s simulated at 1/100)`);
      const regdb = await statusOf(session, 'COM+ REGDB Writer');
      assert.equal(regdb.state, 'failed-at-prepare-snapshot');
      assert.equal(regdb.lastError?.name, 'VSS_E_WRITERERROR_TIMEOUT');
    },
  },
];
