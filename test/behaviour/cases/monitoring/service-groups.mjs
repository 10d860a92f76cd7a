// Services as the Service Control Manager keeps them, for the restart of a writer's
// hosting service (lib/restart.ts): load-ordering groups ("+Group" in lpDependencies,
// DependOnGroup and Group in the service's registry key; CreateService, Microsoft Learn),
// the services' state kept in a state file across processes, and configure() changing a
// service the machine already has. Under Wine the group dependent is a fixture service of
// the prefix (scripts/test-wine.mjs) and the COM backend reads the groups itself: neither
// Microsoft's EnumDependentServices page nor MS-SCMR says group dependents are listed.
import assert from 'node:assert/strict';

import { both, fixtureDependents, fixtureGroupDependents, linux, scenario } from '../../helpers.mjs';

const failedSystemWriter = scenario({ writers: [{ name: 'System Writer', state: 'failed-at-prepare-snapshot', lastError: 'VSS_E_WRITERERROR_RETRYABLE' }] });

export default [
  {
    name: 'restarting CryptSvc also stops the running service that depends on a load-ordering group one of its dependents belongs to (+VssNapiGroup), before that dependent, and starts it again after; the report lists it with the others',
    where: both,
    async run(h) {
      const m = await h.machine(scenario({ ...failedSystemWriter, services: [...fixtureDependents, ...fixtureGroupDependents] }));
      const mark = (await m.serviceNotices?.())?.length ?? 0;
      const report = await h.vss.restartFailedWriters({ backend: m.backend });
      const crypt = report.services.find((s) => s.service === 'CryptSvc');
      assert.deepEqual([crypt?.restarted, crypt?.error], [true, null]);
      assert.deepEqual([...crypt.dependents].sort(), ['VssNapiDependent', 'VssNapiDependent2', 'VssNapiGroupDependent']);
      // VssNapiDependent is the group's member: both services that depend on it stop before it.
      assert.equal(crypt.dependents.at(-1), 'VssNapiDependent');
      assert.deepEqual(report.writers.map((w) => [w.name, w.stateAfter]), [['System Writer', 'stable']]);
      if (m.serviceNotices) {
        // Under Wine: what Wine's SCM did to the fixture services, in order.
        const notices = (await m.serviceNotices()).slice(mark);
        const at = (line) => notices.indexOf(line);
        for (const d of crypt.dependents) {
          assert.ok(at(`stopped ${d}`) >= 0 && at(`stopped ${d}`) < at('stopped CryptSvc'), `${d} stopped before CryptSvc: ${notices}`);
          assert.ok(at(`started ${d}`) > at('started CryptSvc'), `${d} started after CryptSvc: ${notices}`);
        }
        assert.ok(at('started VssNapiDependent') < at('started VssNapiGroupDependent'), `the group's member starts before its group dependent: ${notices}`);
      } else {
        assert.ok((await m.describe()).services.every((s) => s.running));
      }
    },
  },
  {
    name: 'a hosting service in a load-ordering group: restarting it stops the running services that depend on the group (+Crypto) and only those, and the engine refuses to stop the group member first (ERROR_DEPENDENT_SERVICES_RUNNING is what keeps the order checked); groups compare without case',
    where: linux,
    async run(h) {
      const services = [
        { name: 'CryptSvc', group: 'Crypto' },
        { name: 'CertWatch', dependsOn: ['+crypto'] },
        { name: 'Unrelated', dependsOn: ['+OtherGroup'] },
        { name: 'Stopped', dependsOn: ['+Crypto'], running: false },
      ];
      const m = await h.machine(scenario({ ...failedSystemWriter, services }));
      const report = await h.vss.restartFailedWriters({ backend: m.backend });
      assert.deepEqual(report.services.map((s) => [s.service, s.restarted, s.wasRunning, s.dependents]), [['CryptSvc', true, true, ['CertWatch']]]);
      assert.deepEqual((await m.describe()).services.map((s) => [s.name, s.group, s.running]), [
        ['CryptSvc', 'Crypto', true],
        ['CertWatch', '', true],
        ['Unrelated', '', true],
        ['Stopped', '', false],
      ]);
      // A hosting service the scenario lists as stopped is only started (wasRunning false).
      const stopped = await h.machine(scenario({ ...failedSystemWriter, services: [{ name: 'CryptSvc', running: false }] }));
      const started = await h.vss.restartFailedWriters({ backend: stopped.backend });
      assert.deepEqual(started.services.map((s) => [s.service, s.restarted, s.wasRunning]), [['CryptSvc', true, false]]);
      assert.equal((await stopped.describe()).services[0].running, true);
    },
  },
  {
    name: 'configure() changes a service the machine already has (dependsOn replaced, group, running; keys not given stay) and removes one (remove: true); the next restart follows the new configuration',
    where: linux,
    async run(h) {
      const m = await h.machine(scenario({ ...failedSystemWriter, services: [...fixtureDependents, ...fixtureGroupDependents] }));
      await m.configure({ services: [{ name: 'vssnapidependent2', running: false }, { name: 'VssNapiGroupDependent', remove: true }, { name: 'VssNapiDependent', group: null }] });
      assert.deepEqual((await m.describe()).services, [
        { name: 'VssNapiDependent', dependsOn: ['CryptSvc'], running: true, group: '' },
        { name: 'VssNapiDependent2', dependsOn: ['VssNapiDependent'], running: false, group: '' },
      ]);
      await m.configure({ services: [{ name: 'VssNapiDependent2', dependsOn: ['CryptSvc'], running: true }] });
      const report = await h.vss.restartFailedWriters({ backend: m.backend });
      assert.deepEqual([...report.services[0].dependents].sort(), ['VssNapiDependent', 'VssNapiDependent2']);
      assert.deepEqual((await m.describe()).services.map((s) => [s.name, s.dependsOn, s.running]), [
        ['VssNapiDependent', ['CryptSvc'], true],
        ['VssNapiDependent2', ['CryptSvc'], true],
      ]);
      // A change that would make a cycle is refused, and the machine keeps its services.
      await assert.rejects(m.configure({ services: [{ name: 'VssNapiDependent', dependsOn: ['VssNapiDependent2'] }, { name: 'VssNapiDependent2', dependsOn: ['VssNapiDependent'] }] }), /depends on itself/);
      assert.deepEqual((await m.describe()).services.map((s) => s.dependsOn), [['CryptSvc'], ['CryptSvc']]);
    },
  },
  {
    name: 'services live in the state file: a service stopped by configure() or restarted in one process is so in the next process, and vss writers --restart-failed (the CLI, --state) follows a configuration changed through the API',
    where: linux,
    async run(h) {
      const m = await h.machine(scenario({ ...failedSystemWriter, services: fixtureDependents }), { stateFile: true });
      await m.configure({ services: [{ name: 'VssNapiDependent2', running: false }, { name: 'VssNapiNew', dependsOn: ['CryptSvc'] }] });
      const seen = await m.inNewProcess('return backend.describe().services.map((s) => [s.name, s.running]);');
      assert.deepEqual(seen, [
        ['VssNapiDependent', true],
        ['VssNapiDependent2', false],
        ['VssNapiNew', true],
      ]);
      const cli = await m.cli(['writers', '--restart-failed', '--yes', '--json']);
      assert.equal(cli.code, 0, cli.stderr);
      assert.deepEqual([...JSON.parse(cli.stdout).services[0].dependents].sort(), ['VssNapiDependent', 'VssNapiNew']);
      // The other process stops a service; this process's machine sees it.
      await m.inNewProcess("backend.configure({ services: [{ name: 'VssNapiNew', running: false }] });");
      assert.deepEqual((await m.describe()).services.map((s) => [s.name, s.running]), [
        ['VssNapiDependent', true],
        ['VssNapiDependent2', false],
        ['VssNapiNew', false],
      ]);
    },
  },
];
