// Restarting the service that hosts each failed writer (lib/restart.ts, `vss writers
// --restart-failed`). On Linux the engine simulates the restart (the writers the
// service hosts come back stable). Under Wine the COM backend goes through Wine's real
// Service Control Manager: scripts/test-wine.mjs registers the fixture service
// (test/fixtures/vss-service) as CryptSvc and SQLWriter, which stops and starts with
// pending states and, on each start, tells the emulated machine, which applies the same
// engine model. vmms is not registered there (the "not installed" case). Services that
// depend on CryptSvc (helpers.mjs fixtureDependents) are a scenario's "services" on Linux
// and fixture services of the prefix under Wine.
import assert from 'node:assert/strict';

import { backupUntil, both, fixtureDependents, linux, scenario, scenarioRefused } from '../../helpers.mjs';

const wine = ['wine'];

const CONTOSO = '0c0c0c0c-1111-4222-8333-444444444444';
const failedMachine = scenario({
  base: 'sql-server',
  writers: [
    { name: 'System Writer', state: 'failed-at-prepare-snapshot', lastError: 'VSS_E_WRITERERROR_RETRYABLE' },
    { name: 'SqlServerWriter', state: 'failed-at-freeze', lastError: 'VSS_E_WRITERERROR_TIMEOUT' },
  ],
});

// Exchange's two writers are instances of one class (vssadmin output in
// ../shared/reference/tool-output/vssadmin-list-writers-exchange2010-w2008r2-stable.txt), hosted
// by two services (Exchange SDK, "Exchange VSS Writers", bb204080).
const EXCHANGE_CLASS = '76fe1ac4-15f7-4bcd-987e-8e1acb462fb7';
const exchangeMachine = scenario({
  writers: [
    { name: 'Microsoft Exchange Writer', writerId: EXCHANGE_CLASS, instanceId: 'e0ad4b68-1a1c-4e8e-b0e9-5e2ffb4bd6ad', state: 'failed-at-freeze', lastError: 'VSS_E_WRITERERROR_TIMEOUT' },
    { name: 'Microsoft Exchange Replica Writer', writerId: EXCHANGE_CLASS, instanceId: '17e8df11-a8a2-4ee3-a3fb-e552b7da2d83', state: 'failed-at-freeze', lastError: 'VSS_E_WRITERERROR_TIMEOUT' },
  ],
});

export default [
  {
    name: "Exchange's Replica Writer is restarted through the Replication service (MSExchangeRepl), its Store Writer through the Information Store (MSExchangeIS): one class id, two services (Exchange SDK bb204080)",
    where: linux,
    async run(h) {
      assert.equal(h.vss.hostingServiceOf({ writerId: EXCHANGE_CLASS, name: 'Microsoft Exchange Replica Writer' })?.service, 'MSExchangeRepl');
      assert.equal(h.vss.hostingServiceOf({ writerId: EXCHANGE_CLASS, name: 'Microsoft Exchange Writer' })?.service, 'MSExchangeIS');
      // A class several services host, under a name none of them has: unknown, not guessed.
      assert.equal(h.vss.hostingServiceOf({ writerId: EXCHANGE_CLASS, name: 'Some Other Instance' }), undefined);
      const both = await h.machine(exchangeMachine);
      const report = await h.vss.restartFailedWriters({ backend: both.backend });
      assert.deepEqual(report.services.map((s) => [s.service, s.writers]).sort(), [
        ['MSExchangeIS', ['Microsoft Exchange Writer']],
        ['MSExchangeRepl', ['Microsoft Exchange Replica Writer']],
      ]);
      assert.deepEqual(report.writers.map((w) => [w.name, w.service, w.stateAfter]).sort(), [
        ['Microsoft Exchange Replica Writer', 'MSExchangeRepl', 'stable'],
        ['Microsoft Exchange Writer', 'MSExchangeIS', 'stable'],
      ]);
    },
  },
  {
    name: "restartFailedWriters restarts each failed writer's hosting service once (System Writer -> CryptSvc, SqlServerWriter -> SQLWriter) and reports each writer stable afterwards; a writer the service table does not know is left failed; a second restart finds the service running (wasRunning: stop, wait, start, wait)",
    where: both,
    async run(h) {
      const m = await h.machine(
        scenario({
          ...failedMachine,
          writers: [...failedMachine.writers, { name: 'Contoso Writer', writerId: CONTOSO, state: 'failed-at-post-snapshot', lastError: 'VSS_E_WRITERERROR_NONRETRYABLE' }],
        }),
      );
      const report = await h.vss.restartFailedWriters({ backend: m.backend });
      assert.deepEqual(
        report.services.map((s) => [s.service, s.writers, s.restarted, s.error]).sort(),
        [
          ['CryptSvc', ['System Writer'], true, null],
          ['SQLWriter', ['SqlServerWriter'], true, null],
        ],
      );
      const byName = Object.fromEntries(report.writers.map((w) => [w.name, w]));
      assert.deepEqual(Object.keys(byName).sort(), ['Contoso Writer', 'SqlServerWriter', 'System Writer']);
      assert.deepEqual([byName.SqlServerWriter.stateBefore, byName.SqlServerWriter.stateAfter, byName.SqlServerWriter.lastErrorAfter], ['failed-at-freeze', 'stable', null]);
      // The raw VSS_WRITER_STATE numbers beside the names (VSS_WS_FAILED_AT_FREEZE = 9, VSS_WS_STABLE = 1).
      assert.deepEqual([byName.SqlServerWriter.stateBeforeCode, byName.SqlServerWriter.stateAfterCode], [9, 1]);
      assert.deepEqual([byName['System Writer'].service, byName['System Writer'].stateAfter], ['CryptSvc', 'stable']);
      assert.deepEqual([byName['Contoso Writer'].service, byName['Contoso Writer'].stateAfter], [null, 'failed-at-post-snapshot']);
      const now = await h.vss.listWriters({ backend: m.backend });
      assert.deepEqual(now.filter((w) => w.state !== 'stable').map((w) => w.name), ['Contoso Writer']);
      // The services now run (under Wine: started by the restart above), so this one stops them first.
      const again = await h.machine(failedMachine);
      const second = await h.vss.restartFailedWriters({ backend: again.backend });
      assert.deepEqual(second.services.map((s) => [s.service, s.restarted, s.wasRunning]).sort(), [
        ['CryptSvc', true, true],
        ['SQLWriter', true, true],
      ]);
      assert.deepEqual(second.writers.map((w) => w.stateAfter), ['stable', 'stable']);
    },
  },
  {
    name: 'vss writers --restart-failed --yes: a table of each failed writer (service, before, after, states with their numbers as vss writers shows them), exit 0 when all came back stable; --json gives services and writers',
    where: both,
    async run(h) {
      const m = await h.machine(failedMachine);
      const text = await m.cli(['writers', '--restart-failed', '--yes']);
      assert.equal(text.code, 0, text.stderr);
      assert.match(text.stdout, /^Writer +Service +Before +After\n/);
      assert.match(text.stdout, /\nSqlServerWriter +SQLWriter +\[9\] failed-at-freeze +\[1\] stable\n/);
      assert.match(text.stderr, /(restarted|started) CryptSvc \(Cryptographic Services\)/);
      // Failed again (the command above mended this machine under Wine, where m.cli shares it).
      const again = await h.machine(failedMachine);
      const json = JSON.parse((await again.cli(['writers', '--restart-failed', '--yes', '--json'])).stdout);
      assert.deepEqual(json.services.map((s) => [s.service, s.restarted, s.wasRunning, s.error]).sort(), [
        ['CryptSvc', true, true, null],
        ['SQLWriter', true, true, null],
      ]);
      assert.ok(json.writers.every((w) => w.stateAfter === 'stable'));
    },
  },
  {
    name: 'restartFailedWriters is refused while a backup is in progress (a writer waiting-for-backup-complete): WritersBusyError ERR_VSS_BACKUP_IN_PROGRESS, nothing restarted (a writer failing at identify stays failed); vss exits 1',
    where: both,
    async run(h) {
      // A state file, so that the command (m.cli) sees this machine's backup on Linux too. A
      // writer failing at identify stays failed through other backups: only a restart mends it.
      const m = await h.machine(scenario({ writers: [{ name: 'WMI Writer', state: 'failed-at-identify', lastError: 'VSS_E_WRITERERROR_RETRYABLE' }] }), { stateFile: true });
      const session = await h.session({ backend: m.backend });
      await session.initializeForBackup();
      await backupUntil(session, 'snapshot');
      await assert.rejects(h.vss.restartFailedWriters({ backend: m.backend }), (e) => {
        assert.ok(e instanceof h.vss.WritersBusyError);
        assert.equal(e.code, 'ERR_VSS_BACKUP_IN_PROGRESS');
        assert.ok(e.writers.length > 0 && e.writers.every((w) => w.state.startsWith('waiting-')));
        assert.match(e.message, /a backup is in progress .*no service was restarted/);
        return true;
      });
      const cli = await m.cli(['writers', '--restart-failed', '--yes']);
      assert.equal(cli.code, 1, cli.stderr);
      assert.match(cli.stderr, /^vss: a backup is in progress/);
      const json = await m.cli(['writers', '--restart-failed', '--yes', '--json']);
      assert.equal(JSON.parse(json.stderr).error.code, 'ERR_VSS_BACKUP_IN_PROGRESS');
      await session.backupComplete();
      const wmi = (await h.vss.listWriters({ backend: m.backend })).find((w) => w.name === 'WMI Writer');
      assert.equal(wmi.state, 'failed-at-identify');
    },
  },
  {
    name: 'restart bad input: options.timeoutMs, backend and signal typed errors; --yes alone and --restart-failed without --yes off a terminal are usage errors (exit 2); no failed writer: nothing to restart (exit 0)',
    where: both,
    async run(h) {
      const m = await h.machine(scenario());
      const rows = [
        [{ timeoutMs: '60s' }, 'ERR_INVALID_ARG_TYPE', /options\.timeoutMs/],
        [{ timeoutMs: 10 }, 'ERR_OUT_OF_RANGE', /options\.timeoutMs/],
        [{ timeoutMs: 3_600_000 }, 'ERR_OUT_OF_RANGE', /options\.timeoutMs/],
        [{ signal: {} }, 'ERR_INVALID_ARG_TYPE', /options\.signal/],
        [{ backend: 'remote' }, 'ERR_INVALID_ARG_VALUE', /options\.backend/],
      ];
      for (const [options, code, message] of rows)
        await assert.rejects(h.vss.restartFailedWriters({ backend: m.backend, ...options }), (e) => e.code === code && message.test(e.message));
      assert.deepEqual(await h.vss.restartFailedWriters({ backend: m.backend }), { services: [], writers: [] });
      const yesAlone = await m.cli(['writers', '--yes']);
      assert.deepEqual([yesAlone.code, /--yes confirms --restart-failed/.test(yesAlone.stderr)], [2, true]);
      const healthy = await m.cli(['writers', '--restart-failed', '--yes']);
      assert.deepEqual([healthy.code, healthy.stdout.trim()], [0, 'no failed writers: nothing to restart']);
    },
  },
  {
    name: 'vss writers --restart-failed without --yes and no terminal to ask on: usage error (exit 2), nothing restarted',
    where: both,
    async run(h) {
      const m = await h.machine(failedMachine);
      const r = await m.cli(['writers', '--restart-failed']);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /add --yes to confirm/);
      assert.equal((await h.vss.listWriters({ backend: m.backend })).filter((w) => w.state.startsWith('failed-')).length, 2);
    },
  },
  {
    name: "under Wine the COM backend's restart goes through the real Service Control Manager (OpenSCManager, OpenService): a service the prefix lacks (vmms) is that service's ERROR_SERVICE_DOES_NOT_EXIST, the writer stays failed, vss exits 3",
    where: wine,
    async run(h) {
      const m = await h.machine(scenario({ base: 'hyper-v', writers: [{ name: 'Microsoft Hyper-V VSS Writer', state: 'failed-at-freeze', lastError: 'VSS_E_WRITERERROR_NONRETRYABLE' }] }));
      const report = await h.vss.restartFailedWriters({ backend: m.backend });
      assert.deepEqual(report.services.map((s) => [s.service, s.restarted, s.wasRunning, s.error?.code, s.error?.operation]), [['vmms', false, false, 'ERROR_SERVICE_DOES_NOT_EXIST', 'OpenService']]);
      assert.deepEqual(report.writers.map((w) => [w.name, w.stateAfter]), [['Microsoft Hyper-V VSS Writer', 'failed-at-freeze']]);
      const cli = await m.cli(['writers', '--restart-failed', '--yes']);
      assert.equal(cli.code, 3, cli.stderr);
      assert.match(cli.stderr, /vss: could not restart vmms \(Hyper-V Virtual Machine Management\): ERROR_SERVICE_DOES_NOT_EXIST/);
    },
  },
  {
    name: "restarting a hosting service stops the running services that depend on it first, a dependent's own dependents before it, and starts them again after in reverse (SCM: ControlService refuses to stop a service others depend on); the report lists them in stop order; a service nothing depends on has none",
    where: both,
    async run(h) {
      const m = await h.machine(scenario({ ...failedMachine, services: fixtureDependents }));
      const mark = (await m.serviceNotices?.())?.length ?? 0;
      const report = await h.vss.restartFailedWriters({ backend: m.backend });
      assert.deepEqual(
        report.services.map((s) => [s.service, s.restarted, s.dependents, s.error]).sort(),
        [
          ['CryptSvc', true, ['VssNapiDependent2', 'VssNapiDependent'], null],
          ['SQLWriter', true, [], null],
        ],
      );
      assert.deepEqual(report.writers.map((w) => w.stateAfter), ['stable', 'stable']);
      if (m.serviceNotices) {
        // Under Wine: what Wine's SCM did to the fixture services, in order (its SCM does not refuse a wrong order, so the order is checked here).
        const notices = (await m.serviceNotices()).slice(mark).filter((line) => !line.endsWith(' SQLWriter'));
        assert.deepEqual(notices, [
          'stopped VssNapiDependent2',
          'stopped VssNapiDependent',
          'stopped CryptSvc',
          'started CryptSvc',
          'started VssNapiDependent',
          'started VssNapiDependent2',
        ]);
      } else {
        // The engine's model refuses a stop while a dependent runs: the restart went through, so the order held; all run again.
        assert.deepEqual((await m.describe()).services.map((s) => [s.name, s.running]), [
          ['VssNapiDependent', true],
          ['VssNapiDependent2', true],
        ]);
      }
    },
  },
  {
    name: 'a stopped dependent is neither stopped nor started by the restart (only active dependents are); vss writers --restart-failed --yes names the dependents it restarted, and --json lists them per service',
    where: both,
    async run(h) {
      const services = [fixtureDependents[0], { ...fixtureDependents[1], running: false }];
      const m = await h.machine(scenario({ ...failedMachine, services }));
      const mark = (await m.serviceNotices?.())?.length ?? 0;
      const report = await h.vss.restartFailedWriters({ backend: m.backend });
      assert.deepEqual(report.services.find((s) => s.service === 'CryptSvc')?.dependents, ['VssNapiDependent']);
      if (m.serviceNotices) assert.ok(!(await m.serviceNotices()).slice(mark).some((line) => line.endsWith(' VssNapiDependent2')));
      else assert.deepEqual((await m.describe()).services.map((s) => [s.name, s.running]), [['VssNapiDependent', true], ['VssNapiDependent2', false]]);
      const cli = await h.machine(scenario({ ...failedMachine, services }));
      const text = await cli.cli(['writers', '--restart-failed', '--yes']);
      assert.equal(text.code, 0, text.stderr);
      assert.match(text.stderr, /CryptSvc \(Cryptographic Services\), and the services that depend on it: VssNapiDependent\n/);
      const again = await h.machine(scenario({ ...failedMachine, services }));
      const json = JSON.parse((await again.cli(['writers', '--restart-failed', '--yes', '--json'])).stdout);
      assert.deepEqual(json.services.map((s) => [s.service, s.dependents]).sort(), [
        ['CryptSvc', ['VssNapiDependent']],
        ['SQLWriter', []],
      ]);
    },
  },
  {
    name: 'scenario "services" bad input: unknown key, missing or bad name, two services of one name (any case), dependsOn not a list of names, running not a boolean, a circular dependency (direct or through another service): typed errors, nothing built',
    where: linux,
    async run(h) {
      const rows = [
        [[{ name: 'A', start: 'auto' }], /services\[0\]: unknown key 'start'/],
        [[{ dependsOn: ['CryptSvc'] }], /services\[0\]\.name: expected a string/],
        [[{ name: '' }], /services\[0\]\.name: expected a service name/],
        [[{ name: 'a\\b' }], /services\[0\]\.name: expected a service name/],
        [[{ name: 'A' }, { name: 'a' }], /services\[1\]\.name: two services are named a/],
        [[{ name: 'A', dependsOn: 'CryptSvc' }], /services\[0\]\.dependsOn: expected an array/],
        [[{ name: 'A', dependsOn: [7] }], /services\[0\]\.dependsOn\[0\]: expected a string/],
        [[{ name: 'A', running: 'yes' }], /services\[0\]\.running: expected true or false/],
        [[{ name: 'A', dependsOn: ['a'] }], /service A depends on itself/],
        [[{ name: 'A', dependsOn: ['B'] }, { name: 'B', dependsOn: ['A'] }], /service A depends on itself/],
        ['CryptSvc', /services: expected an array/],
      ];
      for (const [services, message] of rows) assert.throws(() => h.vss.createSimulator({ services }), (e) => scenarioRefused(e) && message.test(e.message), String(message));
    },
  },
];
