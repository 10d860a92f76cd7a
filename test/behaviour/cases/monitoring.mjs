// Monitoring: Hyper-V virtual machines from the writer's metadata, and the
// engine's event log (events cases stay on Linux until the Windows path has an
// emulated wevtapi.dll to read from).
import assert from 'node:assert/strict';

import { both, linux, scenario } from '../helpers.mjs';

export default [
  {
    name: 'listVirtualMachines turns the Hyper-V writer components into VMs: id, name from the caption, online = application-consistent, offline = crash-consistent (KB 3098315 layout)',
    where: both,
    async run(h) {
      const m = await h.machine(scenario({ base: 'hyper-v' }));
      const vms = await h.vss.listVirtualMachines({ backend: m.backend });
      assert.deepEqual(
        vms.map((vm) => [vm.name, vm.id, vm.backupMethod, vm.consistency, vm.volumes]),
        [
          ['WEB01', '8e3a3a9c-7b1f-4a52-9e0f-2c4d6b8a1f35', 'online', 'application-consistent', ['D:\\']],
          ['DB01', '2d9b5f61-0c3e-48a7-b1d4-6f8e0a2c4b97', 'offline', 'crash-consistent', ['D:\\']],
        ],
      );
      assert.deepEqual(vms[1].files.map((f) => f.kind), ['virtual-disk', 'virtual-disk', 'configuration']);
      assert.equal(vms[0].component.name, '8E3A3A9C-7B1F-4A52-9E0F-2C4D6B8A1F35');
      assert.deepEqual(await h.vss.listVirtualMachines({ backend: (await h.machine(scenario())).backend }), []);
    },
  },
  {
    name: 'a writer veto is logged as VSS 8229 (Warning, Application) with the writer, the event and the HRESULT',
    where: both,
    async run(h) {
      const m = await h.machine(scenario({ faults: [{ writer: 'System Writer', phase: 'prepare-snapshot', error: 'VSS_E_WRITERERROR_OUTOFRESOURCES', times: 1 }] }));
      await assert.rejects(h.vss.createSnapshotSet(['C:\\'], { backend: m.backend }), (e) => {
        assert.equal(e.events.length, 1);
        assert.deepEqual([e.events[0].provider, e.events[0].eventId, e.events[0].channel, e.events[0].level], ['VSS', 8229, 'Application', { name: 'warning', value: 3 }]);
        assert.match(e.events[0].message, /^A VSS writer has rejected an event with error 0x800423f1/);
        assert.match(e.events[0].message, /Operation:\r\n {3}PrepareForSnapshot Event/);
        return true;
      });
    },
  },
  {
    name: 'shadow copies over the shadow storage maximum: the oldest is deleted and VolSnap 33 logged (KB 312067)',
    where: both,
    async run(h) {
      const m = await h.machine(scenario({ volumes: [{ name: 'C:\\', diffAreaMaximum: 64 * 1024 * 1024 }], shadows: [{ volume: 'C:\\' }, { volume: 'C:\\' }] }));
      const before = await h.vss.listShadowCopies({ backend: m.backend });
      const set = await h.vss.createSnapshotSet(['C:\\'], { backend: m.backend, persistent: true, writers: 'none' });
      await set.complete({ succeeded: true });
      const after = await h.vss.listShadowCopies({ backend: m.backend });
      assert.equal(after.length, 2);
      assert.ok(!after.some((c) => c.snapshotId === before[0].snapshotId), 'the oldest shadow copy is gone');
      const events = await h.vss.readVssEvents({ backend: m.backend, ids: [33] });
      assert.equal(events.length, 1);
      assert.equal(events[0].message, 'The oldest shadow copy of volume C: was deleted to keep disk space usage for shadow copies of volume C: below the user defined limit.');
    },
  },
];
