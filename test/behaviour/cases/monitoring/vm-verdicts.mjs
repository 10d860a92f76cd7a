// The BackupReport's verdict per Hyper-V virtual machine (lib/vm-verdicts.ts): online
// VMs are application-consistent, offline ones crash-consistent (KB 3098315's layout,
// the hyper-v scenario), and every VM fails with the writer when the Hyper-V writer fails.
import assert from 'node:assert/strict';

import { both, scenario } from '../../helpers.mjs';

const HYPERV = 'Microsoft Hyper-V VSS Writer';

export default [
  {
    name: "a backup of C:\\ on the Hyper-V host, whose VMs live on D:\\, gives no VM a verdict (their components were not added; in volume mode their files are not on the set's volumes): a VM the backup did not contain is never reported consistent (cold trial F19)",
    where: both,
    async run(h) {
      const m = await h.machine(scenario({ base: 'hyper-v' }));
      const set = await h.vss.createSnapshotSet(['C:\\'], { backend: m.backend });
      const report = await set.complete({ succeeded: true });
      assert.equal(report.components.filter((c) => c.writerName === HYPERV).length, 0);
      assert.deepEqual(report.virtualMachines, []);
      const volumeMode = await h.vss.createSnapshotSet(['C:\\'], { backend: m.backend, selection: false });
      assert.deepEqual((await volumeMode.complete({ succeeded: true })).virtualMachines, []);
      // The same two ways on D:\\ give both VMs their verdicts.
      const onD = await h.vss.createSnapshotSet(['D:\\'], { backend: m.backend, selection: false });
      assert.deepEqual((await onD.complete({ succeeded: true })).virtualMachines.map((v) => [v.name, v.verdict]), [
        ['WEB01', 'application-consistent'],
        ['DB01', 'crash-consistent'],
      ]);
    },
  },
  {
    name: 'a backup with the Hyper-V writer: report.virtualMachines gives WEB01 (online) application-consistent and DB01 (offline) crash-consistent, no error, no events; a backup without writers has none',
    where: both,
    async run(h) {
      const m = await h.machine(scenario({ base: 'hyper-v' }));
      const set = await h.vss.createSnapshotSet(['D:\\'], { backend: m.backend });
      const report = await set.complete({ succeeded: true });
      assert.deepEqual(
        report.virtualMachines.map((v) => [v.name, v.backupMethod, v.verdict, v.writerError, v.events]),
        [
          ['WEB01', 'online', 'application-consistent', null, []],
          ['DB01', 'offline', 'crash-consistent', null, []],
        ],
      );
      assert.equal(report.virtualMachines[0].id, '8e3a3a9c-7b1f-4a52-9e0f-2c4d6b8a1f35');
      const bare = await h.vss.createSnapshotSet(['D:\\'], { backend: m.backend, writers: 'none' });
      assert.deepEqual((await bare.complete({ succeeded: true })).virtualMachines, []);
    },
  },
  {
    name: "the Hyper-V writer failing at freeze: the error's report gives every VM 'failed' with the writer's error and the events logged meanwhile (VSS 8229 naming the writer)",
    where: both,
    async run(h) {
      const m = await h.machine(scenario({ base: 'hyper-v', faults: [{ writer: HYPERV, phase: 'freeze', error: 'VSS_E_WRITERERROR_RETRYABLE', times: 1 }] }));
      await assert.rejects(h.vss.createSnapshotSet(['D:\\'], { backend: m.backend }), (e) => {
        const vms = e.report.virtualMachines;
        assert.deepEqual(vms.map((v) => [v.name, v.verdict]), [['WEB01', 'failed'], ['DB01', 'failed']]);
        assert.equal(vms[0].writerError.name, HYPERV);
        assert.equal(vms[0].writerError.lastError.name, 'VSS_E_WRITERERROR_RETRYABLE');
        const veto = vms[0].events.find((ev) => ev.eventId === 8229);
        assert.ok(veto, `events: ${vms[0].events.map((ev) => ev.eventId).join(', ')}`);
        assert.equal(veto.data.writerName, HYPERV);
        return true;
      });
    },
  },
  {
    name: 'listVirtualMachines: a Hyper-V writer that fails at identify is a VssWriterError naming it (with the 8229 it logged), not an empty list; a machine without the Hyper-V writer lists none',
    where: both,
    async run(h) {
      const m = await h.machine(scenario({ base: 'hyper-v', faults: [{ writer: HYPERV, phase: 'identify', error: 'VSS_E_WRITERERROR_RETRYABLE', times: 1 }] }));
      await assert.rejects(h.vss.listVirtualMachines({ backend: m.backend }), (e) => {
        assert.equal(e.name, 'VssWriterError');
        assert.equal(e.code, 'VSS_E_WRITERERROR_RETRYABLE');
        assert.deepEqual(e.writers.map((w) => [w.name, w.state]), [[HYPERV, 'failed-at-identify']]);
        assert.ok(e.events.some((ev) => ev.eventId === 8229 && ev.data.writerName === HYPERV), `events: ${e.events.map((ev) => ev.eventId).join(', ')}`);
        return true;
      });
      // The fault fired once: the next identify succeeds and the VMs are back.
      assert.deepEqual((await h.vss.listVirtualMachines({ backend: m.backend })).map((v) => v.name), ['WEB01', 'DB01']);
      const plain = await h.machine(scenario({ base: 'windows-server-2022' }));
      assert.deepEqual(await h.vss.listVirtualMachines({ backend: plain.backend }), []);
    },
  },
  {
    name: "vss create prints each VM's verdict under the set (as --json's report.virtualMachines); a backup the Hyper-V writer fails: the error says each VM failed with the writer's state and error and the events, and --json's error object carries the correlated events and the virtualMachines (health10 findings 2, 4)",
    where: both,
    async run(h) {
      const m = await h.machine(scenario({ base: 'hyper-v' }));
      const created = await m.cli(['create', 'D:\\']);
      assert.equal(created.code, 0, created.stderr);
      assert.match(created.stdout, /^Virtual machine +Verdict +Backup\n-+ +-+ +-+\nWEB01 +application-consistent +online\nDB01 +crash-consistent +offline$/m);
      const withoutHyperV = await m.cli(['create', 'C:\\']);
      assert.doesNotMatch(withoutHyperV.stdout, /Virtual machine/);
      const failing = scenario({ base: 'hyper-v', faults: [{ writer: HYPERV, phase: 'freeze', error: 'VSS_E_WRITERERROR_RETRYABLE', times: 1 }] });
      const json = await (await h.machine(failing)).cli(['create', 'D:\\', '--json']);
      assert.equal(json.code, 3);
      const { error } = JSON.parse(json.stderr);
      assert.deepEqual(error.events.map((e) => [e.provider, e.eventId]), [['VSS', 8229]]);
      assert.deepEqual(
        error.virtualMachines.map((v) => [v.name, v.verdict, v.writerError.state, v.writerError.lastError.name, v.events.map((e) => e.eventId)]),
        [
          ['WEB01', 'failed', 'failed-at-freeze', 'VSS_E_WRITERERROR_RETRYABLE', [8229]],
          ['DB01', 'failed', 'failed-at-freeze', 'VSS_E_WRITERERROR_RETRYABLE', [8229]],
        ],
      );
      const person = await (await h.machine(failing)).cli(['create', 'D:\\']);
      assert.equal(person.code, 3);
      assert.match(person.stderr, /Virtual machines of the backup \(2\):\nVirtual machine +Verdict +Backup +Writer error +Events\n.*\nWEB01 +failed +online +\[failed-at-freeze\] VSS_E_WRITERERROR_RETRYABLE +VSS 8229\n/);
      assert.match(person.stderr, /Events logged while it ran \(1\):\n.*VSS 8229/);
      // Any command's VssError in JSON has its events, an empty list when none was logged.
      const missing = await m.cli(['list', '--id', '11111111-2222-3333-4444-555555555555', '--json']);
      assert.deepEqual(JSON.parse(missing.stderr).error.events, []);
    },
  },
  {
    name: "vss hyperv with the Hyper-V writer stuck failed: the VMs are listed, stderr names its service (Hyper-V Virtual Machine Management, vmms) and the restart, exit 3; one failing identify is an error whose remedy is that restart, not 'retry the backup' (health10 finding 5)",
    where: both,
    async run(h) {
      const stuck = await h.machine(scenario({ base: 'hyper-v', writers: [{ name: HYPERV, state: 'failed-at-freeze', lastError: 'VSS_E_WRITERERROR_TIMEOUT' }] }));
      const listed = await stuck.cli(['hyperv']);
      assert.equal(listed.code, 3, listed.stderr);
      assert.match(listed.stdout, /^WEB01 /m);
      assert.match(listed.stderr, /^vss: Microsoft Hyper-V VSS Writer is \[9\] failed-at-freeze \(last error VSS_E_WRITERERROR_TIMEOUT\)/);
      assert.match(listed.stderr, /Hyper-V Virtual Machine Management \(vmms\), from an elevated prompt: vss writers --restart-failed --yes \(or net stop vmms && net start vmms\)/);
      // The same advice as vss health gives for it.
      const health = await h.vss.checkHealth({ backend: stuck.backend });
      assert.ok(listed.stderr.includes(health.problems.find((p) => p.kind === 'writer-failed').remedy));
      const broken = await h.machine(scenario({ base: 'hyper-v', faults: [{ writer: HYPERV, phase: 'identify', error: 'VSS_E_WRITERERROR_RETRYABLE' }] }));
      const failed = await broken.cli(['hyperv', '--json']);
      assert.equal(failed.code, 3);
      const { error } = JSON.parse(failed.stderr);
      assert.match(error.remedy, /net stop vmms && net start vmms/);
      assert.doesNotMatch(error.remedy, /retry the backup/);
      assert.ok(error.events.some((e) => e.eventId === 8229), 'the 8229 it logged is in the JSON error');
      const healthy = await (await h.machine(scenario({ base: 'hyper-v' }))).cli(['hyperv']);
      assert.deepEqual([healthy.code, healthy.stderr], [0, '']);
    },
  },
];
