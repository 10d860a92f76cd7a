// vss health in each output format (person, --json, --nagios, --prometheus): the identify
// probe's outcome, --ignore with the ignored writers' events, and the service advice for a
// stable writer that keeps a last error (cold trial of issue 11, health10 findings 1, 3, 6).
import assert from 'node:assert/strict';

import { both, scenario } from '../../helpers.mjs';

const FORMATS = [[], ['--json'], ['--nagios'], ['--prometheus']];

/** The run's stdout as the check of that format reads it. */
function parsed(format, run) {
  return format[0] === '--json' ? JSON.parse(run.stdout) : run.stdout;
}

export default [
  {
    name: 'health --probe: its outcome is in every output format: passed (N writers) on a healthy machine; a writer failing identify named as such; no writer at all is no pass; person and Nagios in the summary line, --json as report.probe, Prometheus as vss_probe_success and vss_probe_writers_failed',
    where: both,
    async run(h) {
      // One machine at a time (under Wine the emulated DLL serves the machine made last).
      const healthy = await h.machine(scenario());
      const good = {};
      for (const format of FORMATS) good[format[0] ?? 'person'] = parsed(format, await healthy.cli(['health', '--probe', ...format]));
      // Without --probe nothing is said of one: no metric, null in JSON.
      assert.doesNotMatch((await healthy.cli(['health', '--prometheus'])).stdout, /vss_probe_/);
      assert.equal(JSON.parse((await healthy.cli(['health', '--json'])).stdout).probe, null);
      const failing = await h.machine(scenario({ faults: [{ writer: 'Task Scheduler Writer', phase: 'identify', error: 'VSS_E_WRITERERROR_RETRYABLE' }] }));
      const broken = {};
      for (const format of FORMATS) broken[format[0] ?? 'person'] = parsed(format, await failing.cli(['health', '--probe', ...format]));
      assert.equal(good['--json'].probe.outcome, 'passed');
      assert.equal(good['--json'].probe.identified, good['--json'].writers.length);
      assert.deepEqual([broken['--json'].probe.outcome, broken['--json'].probe.failedWriters], ['writers-failed', ['Task Scheduler Writer']]);
      assert.match(good['--prometheus'], /^vss_probe_success 1$/m);
      assert.match(broken['--prometheus'], /^vss_probe_success 0$/m);
      assert.match(broken['--prometheus'], /^vss_probe_writers_failed 1$/m);
      for (const format of ['person', '--nagios']) {
        assert.match(good[format], /identify probe passed \(\d+ writers\)/, good[format]);
        assert.match(broken[format], /identify probe: Task Scheduler Writer failed to identify/, broken[format]);
      }
      // A machine where no writer answers has nothing probed: not a pass.
      const none = JSON.parse((await (await h.machine(scenario({ base: 'empty' }))).cli(['health', '--probe', '--json'])).stdout);
      assert.deepEqual([none.status, none.probe.outcome, none.summary], ['CRITICAL', 'no-writers', 'no VSS writers answered; identify probe: no writer identified itself']);
    },
  },
  {
    name: "health --ignore: the ignored writers' events (SQLWRITER 24583 of SqlServerWriter, the VSS 8229 naming System Writer by class id) are left out of the verdict, summary and metrics in every format, and their number said (ignoredEvents, vss_events_ignored); per-writer Prometheus metrics and --json failing leave the ignored writers out too",
    where: both,
    async run(h) {
      const m = await h.machine(
        scenario({
          base: 'sql-server',
          faults: [{ writer: 'System Writer', phase: 'identify', error: 'VSS_E_WRITERERROR_NONRETRYABLE' }],
          events: [{ provider: 'SQLWRITER', eventId: 24583, minutesAgo: 10, message: 'Sqllib error: OLEDB Error encountered calling ICommandText::Execute. hr = 0x80040e14.' }],
        }),
      );
      const all = JSON.parse((await m.cli(['health', '--json'])).stdout);
      assert.equal(all.status, 'CRITICAL');
      assert.deepEqual(all.events.map((e) => `${e.provider} ${e.eventId}`).sort(), ['SQLWRITER 24583', 'VSS 8229']);
      const ignore = ['--ignore', 'SqlServerWriter', 'System Writer'];
      // At least the two above: under Wine the one machine keeps its log across the runs, and each
      // run's identify pass logs System Writer's 8229 again (on Linux each run starts afresh).
      for (const format of FORMATS) {
        const run = await m.cli(['health', ...ignore, ...format]);
        const out = parsed(format, run);
        if (format[0] === '--json') {
          assert.deepEqual([out.status, out.events, out.failing], ['OK', [], []]);
          assert.ok(out.ignoredEvents >= 2, `ignoredEvents ${out.ignoredEvents}`);
          assert.deepEqual(out.ignoredWriters.sort(), ['SqlServerWriter', 'System Writer']);
        } else if (format[0] === '--prometheus') {
          assert.match(out, /^vss_events_ignored ([2-9]|\d\d+)$/m);
          assert.match(out, /^vss_writers_ignored 2$/m);
          assert.doesNotMatch(out, /^vss_events_total\{/m);
          assert.doesNotMatch(out, /writer="System Writer"/);
        } else {
          assert.equal(run.code, 0, run.stdout + run.stderr);
          assert.match(out, /^VSS OK - \d+ writers stable; ([2-9]|\d\d+) events of ignored writers left out/m);
          if (format[0] === '--nagios') assert.match(out, / events=0;;;0 error_events=0;0;;0/);
        }
      }
    },
  },
  {
    name: "health: a stable writer with a last error (vssadmin's 'State: [1] Stable' with 'Last error: Retryable error') gets its hosting service and a restart command that restarts it (net stop/net start: --restart-failed takes only failed states, and says there is nothing to restart); retryable says retry first, non-retryable that it recurs (Writer Errors and Vetoes)",
    where: both,
    async run(h) {
      const m = await h.machine(
        scenario({
          writers: [
            { name: 'WMI Writer', state: 'stable', lastError: 'VSS_E_WRITERERROR_RETRYABLE' },
            { name: 'System Writer', state: 'stable', lastError: 'VSS_E_WRITERERROR_NONRETRYABLE' },
          ],
        }),
      );
      const report = await h.vss.checkHealth({ backend: m.backend });
      const remedy = (name) => report.problems.find((p) => p.kind === 'writer-last-error' && p.message.startsWith(name)).remedy;
      assert.match(remedy('WMI Writer'), /Windows Management Instrumentation \(Winmgmt\), from an elevated prompt: net stop Winmgmt && net start Winmgmt/);
      assert.match(remedy('WMI Writer'), /VSS_E_WRITERERROR_RETRYABLE, which may not recur: retry the backup/);
      assert.match(remedy('System Writer'), /Cryptographic Services \(CryptSvc\), from an elevated prompt: net stop CryptSvc && net start CryptSvc/);
      assert.match(remedy('System Writer'), /VSS_E_WRITERERROR_NONRETRYABLE, which is likely to recur/);
      for (const name of ['WMI Writer', 'System Writer']) assert.doesNotMatch(remedy(name), /vss writers --restart-failed --yes/);
      // Why: the command the failed-writer advice names restarts nothing for these writers.
      assert.deepEqual((await h.vss.restartFailedWriters({ backend: m.backend })).services, []);
      const person = await m.cli(['health']);
      assert.match(person.stdout, /WARNING: WMI Writer \(\[1\] stable, VSS_E_WRITERERROR_RETRYABLE\)\n {2}Its last backup failed with VSS_E_WRITERERROR_RETRYABLE.*net stop Winmgmt && net start Winmgmt/);
      // A failed writer keeps the --restart-failed command.
      const failed = await h.machine(scenario({ writers: [{ name: 'WMI Writer', state: 'failed-at-freeze', lastError: 'VSS_E_WRITERERROR_TIMEOUT' }] }));
      const critical = (await h.vss.checkHealth({ backend: failed.backend })).problems.find((p) => p.kind === 'writer-failed');
      assert.equal(critical.remedy, 'Restart the service that hosts it, Windows Management Instrumentation (Winmgmt), from an elevated prompt: vss writers --restart-failed --yes (or net stop Winmgmt && net start Winmgmt)');
    },
  },
];
