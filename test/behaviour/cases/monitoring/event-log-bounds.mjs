// The simulated event log as Windows keeps it: each channel bounded (scenario
// "eventLogMaxSize", defaults 20 MB for Application/System/Security; native/sim/event_log.h
// says where each figure comes from), the oldest records overwritten when full ("Overwrite
// events as needed", Windows' default retention), record ids rising; and the log kept in
// the state file, so that another process sees what one logged. Read on Linux from the
// engine, under Wine through the COM backend over the emulated wevtapi.dll.
import assert from 'node:assert/strict';

import { both, fast, linux, scenario } from '../../helpers.mjs';

const RECORDS = 1500;
// About 1.2 KB each in the engine's estimate: 1500 of them pass 1 MB, not 20 MB.
const history = Array.from({ length: RECORDS }, (_, i) => ({
  provider: 'VSS',
  eventId: 8193,
  minutesAgo: (RECORDS - i) / 100,
  message: `Volume Shadow Copy Service error: Unexpected error calling routine CoCreateInstance (#${i}). ${'hr = 0x80040154, Class not registered. '.repeat(8)}`,
}));
const veto = { writer: 'System Writer', phase: 'prepare-snapshot', kind: 'veto', error: 'VSS_E_WRITERERROR_RETRYABLE' };
const numberOf = (e) => Number(/#(\d+)\)/.exec(e.message)?.[1]);

async function failBackup(h, m) {
  await assert.rejects(h.vss.createSnapshotSet(['C:\\'], { backend: m.backend, correlateEvents: false }), (e) => e.code === 'VSS_E_WRITERERROR_RETRYABLE');
}

export default [
  {
    name: 'a full channel overwrites its oldest records (eventLogMaxSize Application 1 MB: of 1500 preloaded records the newest remain, record ids consecutive and rising); a new record (VSS 8229) gets the next id and pushes the oldest out; other channels and a default-sized machine keep everything',
    where: both,
    async run(h) {
      const m = await h.machine(scenario({ ...fast, eventLogMaxSize: { Application: 1048576 }, events: [...history, { provider: 'VolSnap', eventId: 25, minutesAgo: 20, message: 'The shadow copies of volume D: were deleted because the shadow copy storage could not grow in time.' }], faults: [veto] }));
      const kept = await h.vss.readVssEvents({ backend: m.backend, ids: [8193] });
      assert.ok(kept.length > 500 && kept.length < RECORDS, `${kept.length} records kept of ${RECORDS}`);
      // The newest ones, in order, with consecutive ids.
      assert.deepEqual(kept.map(numberOf), Array.from({ length: kept.length }, (_, i) => RECORDS - kept.length + i));
      kept.forEach((e, i) => i > 0 && assert.equal(e.recordId, kept[i - 1].recordId + 1n));
      // The System channel is another log: its one record stays.
      assert.deepEqual((await h.vss.readVssEvents({ backend: m.backend, channels: ['System'] })).map((e) => e.eventId), [25]);

      await failBackup(h, m);
      const after = await h.vss.readVssEvents({ backend: m.backend, channels: ['Application'] });
      const logged = after.at(-1);
      assert.deepEqual([logged.eventId, logged.data.writerName], [8229, 'System Writer']);
      assert.ok(logged.recordId > kept.at(-1).recordId, 'record ids keep rising');
      const stillKept = after.filter((e) => e.eventId === 8193);
      assert.ok(stillKept.length < kept.length, 'the new record overwrote the oldest');
      assert.equal(numberOf(stillKept.at(-1)), RECORDS - 1);

      // Without eventLogMaxSize the channel holds 20 MB: nothing of the 1500 is lost.
      const roomy = await h.machine(scenario({ events: history }));
      assert.equal((await h.vss.readVssEvents({ backend: roomy.backend, ids: [8193] })).length, RECORDS);
    },
  },
  {
    name: 'configure({ eventLogMaxSize }) shrinks a channel at once (the oldest records go) and names channels without case',
    where: linux,
    async run(h) {
      const m = await h.machine(scenario({ events: history }));
      await m.configure({ eventLogMaxSize: { application: 1.5 * 1048576 } });
      const kept = await h.vss.readVssEvents({ backend: m.backend, ids: [8193] });
      assert.ok(kept.length < RECORDS && numberOf(kept.at(-1)) === RECORDS - 1, `${kept.length} kept`);
      await m.configure({ eventLogMaxSize: { Application: 1048576 } });
      const fewer = await h.vss.readVssEvents({ backend: m.backend, ids: [8193] });
      assert.ok(fewer.length < kept.length && fewer.length > kept.length / 3, `${fewer.length} after ${kept.length}`);
    },
  },
  {
    name: 'the event log lives in the state file: a record logged in one process is read in the next with the same record id, one logged there is read here after it, and vss events (--state) shows both',
    where: both,
    async run(h) {
      const m = await h.machine(scenario({ ...fast, faults: [veto] }), { stateFile: true });
      await failBackup(h, m);
      const here = await h.vss.readVssEvents({ backend: m.backend });
      assert.deepEqual(here.map((e) => e.eventId), [8229]);
      const there = await m.inNewProcess(`
        const seen = (await vss.readVssEvents({ backend })).map((e) => [e.eventId, String(e.recordId)]);
        await vss.createSnapshotSet(['C:\\\\'], { backend, correlateEvents: false }).catch(() => {});
        return seen;`);
      assert.deepEqual(there, [[8229, String(here[0].recordId)]]);
      const now = await h.vss.readVssEvents({ backend: m.backend });
      assert.deepEqual(now.map((e) => e.eventId), [8229, 8229]);
      assert.ok(now[1].recordId > now[0].recordId);
      const cli = await m.cli(['events', '--json']);
      assert.equal(cli.code, 0, cli.stderr);
      const lines = cli.stdout.trim().startsWith('[') ? JSON.parse(cli.stdout) : cli.stdout.trim().split('\n').map((l) => JSON.parse(l));
      assert.deepEqual(lines.map((e) => [e.eventId, String(e.recordId)]), now.map((e) => [e.eventId, String(e.recordId)]));
    },
  },
  {
    name: 'two processes logging into one state file at once (under its lock) lose no record and never share a record id',
    where: linux,
    async run(h) {
      const m = await h.machine(scenario({ ...fast, faults: [veto] }), { stateFile: true });
      // Each counts its vetoed sets (an attempt may instead meet the other's set in progress, which logs nothing).
      const body = `let vetoed = 0;
        for (let i = 0; i < 3; i++)
          await vss.createSnapshotSet(['C:\\\\'], { backend, correlateEvents: false }).catch((e) => { if (e.code === 'VSS_E_WRITERERROR_RETRYABLE') vetoed++; });
        return vetoed;`;
      const [a, b] = await Promise.all([m.inNewProcess(body), m.inNewProcess(body)]);
      assert.ok(a + b >= 1, `${a} + ${b} vetoed`);
      const events = await h.vss.readVssEvents({ backend: m.backend });
      assert.equal(events.length, a + b);
      assert.equal(new Set(events.map((e) => e.recordId)).size, a + b);
    },
  },
  {
    name: "vss create 'C:\\' where SqlServerWriter fails at prepare-snapshot (VSS 8229 logged) exits 0: none of its components is in the backup (its data is on E: and F:), and VShadow's CheckSelectedWriterStatus fails only on selected writers; --json keeps its state in report.writers, report.failures is empty; a create of E:\\, which selects its components, fails (exit 3)",
    where: both,
    async run(h) {
      const sqlFault = { writer: 'SqlServerWriter', phase: 'prepare-snapshot', kind: 'fail', error: 'VSS_E_WRITERERROR_RETRYABLE' };
      const m = await h.machine(scenario({ base: 'sql-server', ...fast, faults: [sqlFault] }), { stateFile: true });
      const json = await m.cli(['create', '--json', 'C:\\']);
      assert.equal(json.code, 0, json.stderr);
      const { report } = JSON.parse(json.stdout);
      assert.deepEqual(report.failures, []);
      assert.equal(report.writers.find((w) => w.name === 'SqlServerWriter')?.state, 'failed-at-prepare-snapshot');
      const logged = await h.vss.readVssEvents({ backend: m.backend, ids: [8229] });
      assert.deepEqual(logged.map((e) => [e.data.writerName, e.data.operation]), [['SqlServerWriter', 'PrepareForSnapshot Event']]);
      if (h.where !== 'linux') return;
      const e = await m.cli(['create', 'E:\\']);
      assert.equal(e.code, 3, e.stdout);
      assert.match(e.stderr, /SqlServerWriter \(failed-at-prepare-snapshot, VSS_E_WRITERERROR_RETRYABLE\)/);
    },
  },
];
