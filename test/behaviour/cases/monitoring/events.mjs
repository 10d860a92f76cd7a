// The event log, read both ways: on Linux from the engine, under Wine through the COM
// backend's Windows Event Log path (EvtQuery/EvtNext/EvtRender/EvtFormatMessage) over the
// emulated wevtapi.dll, which serves the same engine's log (test/fixtures/wevtapi-emu).
import assert from 'node:assert/strict';

import { both, scenario, SYSTEM_PROVIDER } from '../../helpers.mjs';

// Three records of a machine's history: one 30 hours old (System), two recent (Application).
const history = scenario({
  events: [
    { provider: 'VolSnap', eventId: 25, minutesAgo: 30 * 60, message: 'The shadow copies of volume D: were deleted because the shadow copy storage could not grow in time.  Consider reducing the IO load on the system or choose a shadow copy storage volume that is not being shadow copied.' },
    {
      provider: 'VSS',
      eventId: 8193,
      minutesAgo: 30,
      message: 'Volume Shadow Copy Service error: Unexpected error calling routine CoCreateInstance.  hr = 0x80040154, Class not registered.',
      data: { routine: 'CoCreateInstance', hr: '0x80040154' },
    },
    { provider: 'SQLWRITER', eventId: 24583, minutesAgo: 10, message: "Sqllib error: OLEDB Error encountered calling ICommandText::Execute. hr = 0x80040e14 <quoted> & 'escaped'" },
  ],
});

const ids = (events) => events.map((e) => e.eventId);

export default [
  {
    name: 'readVssEvents returns the log oldest first with every field (channel, provider, id, level name and number, recordId as bigint, message, named data, catalogue meaning and remedy)',
    where: both,
    async run(h) {
      const m = await h.machine(history);
      const all = await h.vss.readVssEvents({ backend: m.backend });
      assert.deepEqual(
        all.map((e) => [e.channel, e.provider, e.eventId, e.level.name, e.level.value]),
        [
          ['System', 'VolSnap', 25, 'error', 2],
          ['Application', 'VSS', 8193, 'error', 2],
          ['Application', 'SQLWRITER', 24583, 'error', 2],
        ],
      );
      assert.ok(all.every((e) => typeof e.recordId === 'bigint' && e.time instanceof Date));
      assert.ok(all[0].time < all[1].time && all[1].time < all[2].time);
      const minutesAgo = (Date.now() - all[1].time.getTime()) / 60_000;
      assert.ok(minutesAgo > 29 && minutesAgo < 31, `8193 logged ${minutesAgo} minutes ago`);
      assert.equal(all[1].message, history.events[1].message);
      // Markup characters survive the trip through the event's XML.
      assert.equal(all[2].message, history.events[2].message);
      assert.deepEqual(all[1].data, { routine: 'CoCreateInstance', hr: '0x80040154' });
      assert.deepEqual(all[0].data, {});
      assert.match(all[1].meaning, /unexpected error calling a system routine/);
      assert.ok(all.every((e) => typeof e.remedy === 'string' && e.remedy.length > 0));
    },
  },
  {
    name: 'readVssEvents filters: since (duration and Date), until, ids, channels, levels, max (the newest); a named channel the machine lacks is ERROR_EVT_CHANNEL_NOT_FOUND (as wevtutil and Get-WinEvent say), not an empty answer; the default channels skip absent ones',
    where: both,
    async run(h) {
      const m = await h.machine(history);
      const read = (options) => h.vss.readVssEvents({ backend: m.backend, ...options });
      assert.deepEqual(ids(await read({ since: '24h' })), [8193, 24583]);
      assert.deepEqual(ids(await read({ since: new Date(Date.now() - 20 * 60_000) })), [24583]);
      assert.deepEqual(ids(await read({ until: new Date(Date.now() - 20 * 60_000) })), [25, 8193]);
      assert.deepEqual(ids(await read({ since: '2h', until: new Date(Date.now() - 20 * 60_000) })), [8193]);
      // until takes the same text as since: a duration back from now, or an ISO date (UTC without a zone).
      assert.deepEqual(ids(await read({ since: '7d', until: '20m' })), [25, 8193]);
      const utc = (ms) => new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
      assert.deepEqual(ids(await read({ since: utc(Date.now() - 20 * 60_000) })), [24583]);
      // A window starting before 1601 (FILETIME 0, before any event record) is a typo, refused in its own
      // words rather than read as an Invalid Date (cold10 F19); from 1601 on is everything.
      for (const since of ['100000000d', '1600-01-01', '0099-01-01'])
        await assert.rejects(read({ since }), (e) => e.code === 'ERR_OUT_OF_RANGE' && /options\.since/.test(e.message) && /1601-01-01T00:00:00\.000Z/.test(e.message));
      assert.deepEqual(ids(await read({ since: '1601-01-01' })), [25, 8193, 24583]);
      // An until before 1601 stays a bound (cut to just after FILETIME 0): nothing, not everything.
      assert.deepEqual(ids(await read({ until: '0100-01-01' })), []);
      // The same wall time an hour east of UTC is an hour earlier: 80 minutes back.
      assert.deepEqual(ids(await read({ since: `${utc(Date.now() - 20 * 60_000).replace(' ', 'T')}+01:00` })), [8193, 24583]);
      assert.deepEqual(ids(await read({ ids: [25, 24583] })), [25, 24583]);
      assert.deepEqual(ids(await read({ channels: ['System'] })), [25]);
      assert.deepEqual(ids(await read({ channels: ['application'] })), [8193, 24583]);
      assert.deepEqual(ids(await read({ levels: ['warning'] })), []);
      assert.deepEqual(ids(await read({ levels: ['error', 3] })), [25, 8193, 24583]);
      assert.deepEqual(ids(await read({ max: 2 })), [8193, 24583]);
      assert.deepEqual(ids(await read({ channels: ['Setup'] })), []);
      // This machine has no Windows Server Backup: the default read (above) skipped its channel.
      await assert.rejects(read({ channels: ['Application', 'Microsoft-Windows-Backup'] }), (e) => {
        assert.ok(e instanceof h.vss.VssError);
        assert.equal(e.code, 'ERROR_EVT_CHANNEL_NOT_FOUND');
        assert.match(e.message, /Microsoft-Windows-Backup/);
        return true;
      });
      assert.deepEqual(ids(await read({ ids: [8193], levels: ['error'], channels: ['Application'], since: '1h' })), [8193]);
    },
  },
  {
    name: 'readVssEvents bad input: every option gets a typed error before anything is read',
    where: both,
    async run(h) {
      const m = await h.machine(history);
      const rows = [
        [{ since: 'yesterday' }, 'ERR_INVALID_ARG_VALUE', /options\.since/],
        [{ since: 5 }, 'ERR_INVALID_ARG_TYPE', /options\.since/],
        [{ since: new Date('nope') }, 'ERR_INVALID_ARG_VALUE', /options\.since/],
        [{ until: 5 }, 'ERR_INVALID_ARG_TYPE', /options\.until/],
        [{ until: 'tomorrow' }, 'ERR_INVALID_ARG_VALUE', /options\.until/],
        // new Date('12') is the year 2001: a number without its unit is not a time.
        [{ since: '12' }, 'ERR_INVALID_ARG_VALUE', /options\.since.*with its unit/],
        [{ since: '2026-02-30' }, 'ERR_INVALID_ARG_VALUE', /options\.since/],
        // A window that starts now holds nothing already logged.
        [{ since: '0h' }, 'ERR_OUT_OF_RANGE', /options\.since.*above zero/],
        [{ since: '1h', until: '2h' }, 'ERR_OUT_OF_RANGE', /options\.until/],
        [{ since: '1h', until: new Date(Date.now() - 2 * 3600_000) }, 'ERR_OUT_OF_RANGE', /options\.until/],
        [{ channels: 'Application' }, 'ERR_INVALID_ARG_TYPE', /options\.channels/],
        [{ channels: [] }, 'ERR_INVALID_ARG_VALUE', /options\.channels/],
        [{ channels: [' '] }, 'ERR_INVALID_ARG_TYPE', /options\.channels\[0\]/],
        [{ ids: [8193.5] }, 'ERR_INVALID_ARG_TYPE', /options\.ids\[0\]/],
        [{ ids: [70000] }, 'ERR_OUT_OF_RANGE', /options\.ids\[0\]/],
        [{ levels: ['loud'] }, 'ERR_INVALID_ARG_VALUE', /options\.levels\[0\]/],
        [{ levels: [6] }, 'ERR_INVALID_ARG_VALUE', /options\.levels\[0\]/],
        [{ max: 0 }, 'ERR_OUT_OF_RANGE', /options\.max/],
        [{ max: '5' }, 'ERR_INVALID_ARG_TYPE', /options\.max/],
        [{ signal: 'stop' }, 'ERR_INVALID_ARG_TYPE', /options\.signal/],
        [{ backend: 'elsewhere' }, 'ERR_INVALID_ARG_VALUE', /options\.backend/],
      ];
      for (const [options, code, message] of rows) {
        await assert.rejects(h.vss.readVssEvents({ backend: m.backend, ...options }), (e) => {
          assert.equal(e.code, code, `${JSON.stringify(options)}: ${e.code} ${e.message}`);
          assert.match(e.message, message);
          return true;
        });
      }
      const aborted = AbortSignal.abort();
      await assert.rejects(h.vss.readVssEvents({ backend: m.backend, signal: aborted }), { name: 'AbortError' });
    },
  },
  {
    name: 'a failed createSnapshotSet carries the events logged while it ran (VSS 12293 from the provider, Microsoft "Event ID 12293"); correlateEvents: false leaves them out',
    where: both,
    async run(h) {
      const m = await h.machine(scenario({ faults: [{ provider: SYSTEM_PROVIDER, phase: 'commit', error: 'VSS_E_PROVIDER_VETO', times: 2 }] }));
      await assert.rejects(h.vss.createSnapshotSet(['C:\\'], { backend: m.backend, writers: 'none' }), (e) => {
        assert.equal(e.code, 'VSS_E_PROVIDER_VETO');
        assert.deepEqual(ids(e.events), [12293]);
        assert.match(e.events[0].message, new RegExp(`Error calling a routine on a Shadow Copy Provider \\{${SYSTEM_PROVIDER}\\}`));
        return true;
      });
      await assert.rejects(h.vss.createSnapshotSet(['C:\\'], { backend: m.backend, writers: 'none', correlateEvents: false }), (e) => {
        assert.equal(e.code, 'VSS_E_PROVIDER_VETO');
        assert.deepEqual(e.events, []);
        return true;
      });
      // Both failures are in the log all the same.
      assert.deepEqual(ids(await h.vss.readVssEvents({ backend: m.backend, ids: [12293] })), [12293, 12293]);
    },
  },
  {
    name: 'vss events: person output (header, message, meaning, remedy), --json, --id/--level/--channel/--max, and "no VSS-related events" for an empty window',
    where: both,
    async run(h) {
      const m = await h.machine(history);
      const text = await m.cli(['events']);
      assert.equal(text.code, 0, text.stderr);
      assert.match(text.stdout, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ {2}Error {2}VSS 8193 {2}\(Application, record \d+\)\n {4}Volume Shadow Copy Service error: Unexpected error calling routine CoCreateInstance/m);
      assert.match(text.stdout, /\n {2}Meaning: VSS met an unexpected error/);
      assert.doesNotMatch(text.stdout, /VolSnap 25/, 'older than the default 24h');
      const json = await m.cli(['events', '--since', '7d', '--json']);
      assert.equal(json.code, 0, json.stderr);
      const parsed = JSON.parse(json.stdout);
      assert.deepEqual(ids(parsed), [25, 8193, 24583]);
      assert.equal(typeof parsed[0].recordId, 'string');
      const only = await m.cli(['events', '--since', '7d', '--id', '25,24583', '--channel', 'System', '--json']);
      assert.deepEqual(ids(JSON.parse(only.stdout)), [25]);
      assert.deepEqual(ids(JSON.parse((await m.cli(['events', '--level', 'warning', '--json'])).stdout)), []);
      assert.deepEqual(ids(JSON.parse((await m.cli(['events', '--max', '1', '--json'])).stdout)), [24583]);
      assert.deepEqual(ids(JSON.parse((await m.cli(['events', '--since', '7d', '--level', 'Warning,error', '--json'])).stdout)), [25, 8193, 24583]);
      const none = await m.cli(['events', '--since', '5m']);
      assert.deepEqual([none.code, none.stdout.trim()], [0, 'no VSS-related events since 5m ago']);
    },
  },
  {
    name: 'vss events bad input: --since, --id, --max, --level, --channel each a usage error (exit 2) that names the option; with --json the error is JSON',
    where: both,
    async run(h) {
      const m = await h.machine(history);
      const rows = [
        [['--since', 'later'], /--since takes a duration/],
        [['--id', 'abc'], /--id takes event ids/],
        [['--max', '0'], /--max takes a positive whole number/],
        [['--max', 'ten'], /--max takes a positive whole number/],
        [['--level', 'loud'], /levels\[0\]|--level/],
        [['--channel', ' '], /channels\[0\]|--channel/],
      ];
      for (const [args, message] of rows) {
        const r = await m.cli(['events', ...args]);
        assert.equal(r.code, 2, `${args.join(' ')}: exit ${r.code}\n${r.stderr}`);
        assert.match(r.stderr, message, args.join(' '));
        assert.equal(r.stdout, '');
      }
      const json = await m.cli(['events', '--id', 'abc', '--json']);
      assert.equal(json.code, 2);
      assert.equal(JSON.parse(json.stderr).error.exitCode, 2);
      // A channel this machine lacks (a typo, or a role not installed) is an error, not "no events":
      // a usage error in the command's words, the code kept (cold10 F17).
      const missing = await m.cli(['events', '--channel', 'Sytem']);
      assert.equal(missing.code, 2, missing.stderr);
      assert.match(missing.stderr, /--channel 'Sytem': no such event log channel on this machine \(ERROR_EVT_CHANNEL_NOT_FOUND/);
      assert.equal(missing.stdout, '');
    },
  },
  {
    name: 'vss events --until: the window is --since to --until, each a duration back from now or an ISO date (UTC unless a zone is given, as the output prints times); --until alone reads the 24 hours before it',
    where: both,
    async run(h) {
      const m = await h.machine(history);
      const json = async (args) => {
        const r = await m.cli(['events', '--json', ...args]);
        assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
        return ids(JSON.parse(r.stdout));
      };
      assert.deepEqual(await json(['--since', '7d', '--until', '20m']), [25, 8193]);
      assert.deepEqual(await json(['--until', '20m']), [8193]);
      assert.deepEqual(await json(['--since', '45m', '--until', '20m']), [8193]);
      // A time copied from the output (printed in UTC, marked Z) reads back as the same time, with or without its Z.
      const printed = (await m.cli(['events', '--id', '8193'])).stdout.slice(0, 19);
      assert.match(printed, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
      assert.deepEqual(await json(['--since', printed]), [8193, 24583]);
      const secondBefore = new Date(Date.parse(`${printed.replace(' ', 'T')}Z`) - 1000).toISOString().replace('T', ' ').slice(0, 19);
      assert.deepEqual(await json(['--since', '7d', '--until', secondBefore]), [25]);
      const none = await m.cli(['events', '--since', '25m', '--until', '15m']);
      assert.equal(none.code, 0, none.stderr);
      assert.match(none.stdout, /^no VSS-related events from \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ to \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ\n$/);
    },
  },
  {
    name: "vss events time bad input: a number without its unit (--since 12 was the year 2001), a zero duration without --follow, a date not in the calendar, --until before --since, --until with --follow: each a usage error (exit 2) in its own words",
    where: both,
    async run(h) {
      const m = await h.machine(history);
      const rows = [
        [['--since', '12'], /--since takes a duration back from now with its unit .* or an ISO date .*not '12' \('12' has no unit: 12h\? 12d\?\)/],
        [['--until', '3'], /--until takes a duration .*not '3'/],
        [['--since', '0h'], /--since 0h is a window that starts now: no event already logged is in it .*--follow/],
        [['--since', '0m'], /--since 0m is a window that starts now/],
        [['--since', '2026-02-30'], /--since takes .*not '2026-02-30'/],
        [['--since', 'yesterday'], /--since takes/],
        [['--since', '1h', '--until', '2h'], /--until 2h \(.*Z\) is before --since 1h \(.*Z\): no event could match/],
        [['--until', '2099-01-01', '--since', '2099-01-02'], /--since 2099-01-02 is in the future/],
        [['--follow', '--until', '1h'], /--until ends a window read from the log; --follow reads on with no end/],
      ];
      for (const [args, message] of rows) {
        const r = await m.cli(['events', ...args]);
        assert.equal(r.code, 2, `${args.join(' ')}: exit ${r.code}\n${r.stderr}`);
        assert.match(r.stderr, message, args.join(' '));
        assert.equal(r.stdout, '');
      }
      const json = await m.cli(['events', '--since', '12', '--json']);
      assert.equal(json.code, 2);
      assert.match(JSON.parse(json.stderr).error.message, /has no unit/);
    },
  },
  {
    name: 'record ids rise with time: events a scenario preloads in any order are numbered oldest first (a log numbers records as it writes them), and what the engine logs later comes after the newest',
    where: both,
    async run(h) {
      const m = await h.machine(
        scenario({
          events: [
            { provider: 'VSS', eventId: 8193, minutesAgo: 30 },
            { provider: 'VolSnap', eventId: 25, minutesAgo: 3 * 60 },
            { provider: 'SQLWRITER', eventId: 24583, minutesAgo: 10 },
            { provider: 'VSS', eventId: 12289, minutesAgo: 2 * 60 },
          ],
          faults: [{ provider: SYSTEM_PROVIDER, phase: 'commit', error: 'VSS_E_PROVIDER_VETO', times: 1 }],
        }),
      );
      const before = await h.vss.readVssEvents({ backend: m.backend });
      assert.deepEqual(ids(before), [25, 12289, 8193, 24583]);
      const numbers = before.map((e) => e.recordId);
      assert.deepEqual([...numbers].sort((a, b) => (a < b ? -1 : 1)), numbers, `record ids ${numbers.join(', ')}`);
      assert.equal(new Set(numbers).size, numbers.length);
      await assert.rejects(h.vss.createSnapshotSet(['C:\\'], { backend: m.backend, writers: 'none' }), { code: 'VSS_E_PROVIDER_VETO' });
      const [logged] = await h.vss.readVssEvents({ backend: m.backend, ids: [12293] });
      assert.ok(numbers.every((n) => logged.recordId > n), `12293 is record ${logged.recordId}, after ${numbers.join(', ')}`);
    },
  },
  {
    name: 'vss events --follow --max N ends after N events in all: the newest of the window first; with --since 0h it waits for the next one logged (exit 0, JSON Lines)',
    where: both,
    async run(h) {
      const m = await h.machine(history, { stateFile: true });
      const backlog = await m.cli(['events', '--follow', '--max', '2', '--json']);
      assert.equal(backlog.code, 0, backlog.stderr);
      assert.deepEqual(backlog.stdout.trim().split('\n').map((l) => JSON.parse(l).eventId), [8193, 24583]);
      let done = false;
      const next = m.cli(['events', '--follow', '--since', '0h', '--max', '1', '--json']).finally(() => (done = true));
      // Following may begin after the first veto is logged (then it is not new): log until one is seen, bounded.
      for (let i = 0; i < 40 && !done; i++) {
        await m.configure({ faults: [{ provider: SYSTEM_PROVIDER, phase: 'commit', error: 'VSS_E_PROVIDER_VETO', times: 1 }] });
        await h.vss.createSnapshotSet(['C:\\'], { backend: m.backend, writers: 'none' }).catch(() => undefined);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      assert.ok(done, 'still following after 40 provider failures were logged');
      const r = await next;
      assert.equal(r.code, 0, r.stderr);
      const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
      assert.deepEqual(lines.map((e) => e.eventId), [12293]);
    },
  },
  {
    name: "checkHealth and vss health count the window's error events: one error -> WARNING with the event; vss health --nagios exits 1 with events=N in the perfdata; outside --since it is OK",
    where: both,
    async run(h) {
      const m = await h.machine(history);
      const report = await h.vss.checkHealth({ backend: m.backend, since: '1h' });
      assert.equal(report.status, 'WARNING');
      assert.deepEqual(ids(report.events), [8193, 24583]);
      const nagios = await m.cli(['health', '--nagios', '--since', '1h']);
      assert.equal(nagios.code, 1, nagios.stdout + nagios.stderr);
      assert.match(nagios.stdout, /^VSS WARNING - /);
      assert.match(nagios.stdout, / events=2;;;0 error_events=2;0;;0/);
      const quiet = await m.cli(['health', '--nagios', '--since', '5m']);
      assert.equal(quiet.code, 0, quiet.stdout);
      assert.match(quiet.stdout, /^VSS OK - /);
      const bad = await m.cli(['health', '--nagios', '--since', 'later']);
      assert.equal(bad.code, 3);
    },
  },
  {
    name: 'followVssEvents yields each event as it is logged (a writer veto, VSS 8229), not the older ones, and ends quietly when its signal aborts; ids filter what it follows',
    where: both,
    async run(h) {
      const m = await h.machine(scenario({ ...history, faults: [{ writer: 'System Writer', phase: 'prepare-snapshot', error: 'VSS_E_WRITERERROR_OUTOFRESOURCES', times: 1 }] }));
      const ac = new AbortController();
      const follow = await h.vss.followVssEvents({ backend: m.backend, signal: ac.signal });
      const quiet = new AbortController();
      const onlyProviderFailures = await h.vss.followVssEvents({ backend: m.backend, signal: quiet.signal, ids: [12293] });
      await assert.rejects(h.vss.createSnapshotSet(['C:\\'], { backend: m.backend }), { code: 'VSS_E_WRITERERROR_OUTOFRESOURCES' });
      const seen = [];
      // Bounded: a missed event fails the case instead of hanging the runner.
      const bound = setTimeout(() => ac.abort(), 15_000);
      for await (const e of follow) {
        seen.push(e);
        if (e.eventId === 8229) ac.abort();
      }
      clearTimeout(bound);
      assert.deepEqual(ids(seen), [8229]);
      assert.match(seen[0].message, /^A VSS writer has rejected an event with error 0x800423f1/);
      assert.equal(seen[0].level.name, 'warning');
      setTimeout(() => quiet.abort(), 1500);
      const other = [];
      for await (const e of onlyProviderFailures) other.push(e);
      assert.deepEqual(other, []);
    },
  },
  {
    name: 'followVssEvents bad input: since, until and max are refused (following has no window), other options as readVssEvents; an aborted signal is an AbortError',
    where: both,
    async run(h) {
      const m = await h.machine(history);
      for (const [options, code] of [
        [{ since: '1h' }, 'ERR_INVALID_ARG_VALUE'],
        [{ until: new Date() }, 'ERR_INVALID_ARG_VALUE'],
        [{ max: 5 }, 'ERR_INVALID_ARG_VALUE'],
        [{ levels: ['loud'] }, 'ERR_INVALID_ARG_VALUE'],
        [{ ids: ['8193'] }, 'ERR_INVALID_ARG_TYPE'],
        [{ channels: [] }, 'ERR_INVALID_ARG_VALUE'],
        [{ signal: true }, 'ERR_INVALID_ARG_TYPE'],
        [{ backend: 7 }, 'ERR_INVALID_ARG_VALUE'],
      ])
        await assert.rejects(h.vss.followVssEvents({ backend: m.backend, ...options }), (e) => e.code === code || assert.fail(`${JSON.stringify(options)}: ${e.code} ${e.message}`));
      await assert.rejects(h.vss.followVssEvents({ backend: m.backend, signal: AbortSignal.abort() }), { name: 'AbortError' });
    },
  },
  {
    name: 'followVssEvents on a quiet channel waits quietly (no busy loop: under half a CPU while it waits) and ends when its signal aborts; a named channel the machine lacks is ERROR_EVT_CHANNEL_NOT_FOUND',
    where: both,
    async run(h) {
      const m = await h.machine(history);
      const ac = new AbortController();
      await assert.rejects(h.vss.followVssEvents({ backend: m.backend, channels: ['Microsoft-Windows-Backup'] }), { code: 'ERROR_EVT_CHANNEL_NOT_FOUND' });
      const follow = await h.vss.followVssEvents({ backend: m.backend, channels: ['Setup'], signal: ac.signal });
      const before = process.cpuUsage();
      const started = Date.now();
      setTimeout(() => ac.abort(), 1200);
      const seen = [];
      for await (const e of follow) seen.push(e);
      const used = process.cpuUsage(before);
      const wall = Date.now() - started;
      assert.deepEqual(seen, []);
      assert.ok(wall >= 1000, `ended after ${wall} ms`);
      assert.ok((used.user + used.system) / 1000 < wall / 2, `${(used.user + used.system) / 1000} ms of CPU in ${wall} ms`);
    },
  },
];
