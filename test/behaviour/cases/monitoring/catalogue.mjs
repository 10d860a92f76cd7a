// Events of the catalogue (native/core/event_table.inc) read both ways: a Hyper-V host's VMMS
// Admin channel and VSS 12302 as Microsoft's support articles show them, and VolSnap's texts for
// shadow copies a protection fault deleted, in the words of volsnap.sys's message table.
import assert from 'node:assert/strict';

import { both, scenario } from '../../helpers.mjs';

const VMMS = 'Microsoft-Windows-Hyper-V-VMMS';

// Texts as the articles show them logged (KB 4230569, KB 2486243, KB 940184), with this host's names.
const hyperVHost = scenario({
  base: 'hyper-v',
  events: [
    {
      provider: 'VSS',
      eventId: 12302,
      minutesAgo: 40,
      message:
        'Volume Shadow Copy Service error: An internal inconsistency was detected in trying to contact shadow copy service writers. Please check to see that the Event Service and Volume Shadow Copy Service are operating properly.',
    },
    { provider: VMMS, eventId: 16060, minutesAgo: 20, message: "WEB01 has been paused because it has run out of disk space on 'D:\\Hyper-V\\WEB01\\Virtual Hard Disks\\'" },
    { provider: VMMS, eventId: 19100, minutesAgo: 10, message: "'WEB01' background disk merge failed to complete: General access denied error (0x80070005)" },
  ],
});

export default [
  {
    name: "a Hyper-V host's events: VMMS 16060 (paused, out of disk space, KB 2486243) and 19100 (background disk merge failed, KB 4230569) on the Microsoft-Windows-Hyper-V-VMMS-Admin channel and VSS 12302 (KB 940184) on Application, each an error with the catalogue's meaning and remedy; checkHealth warns naming all three",
    where: both,
    async run(h) {
      const m = await h.machine(hyperVHost);
      const events = await h.vss.readVssEvents({ backend: m.backend });
      assert.deepEqual(
        events.map((e) => [e.channel, e.provider, e.eventId, e.level.name]),
        [
          ['Application', 'VSS', 12302, 'error'],
          [`${VMMS}-Admin`, VMMS, 16060, 'error'],
          [`${VMMS}-Admin`, VMMS, 19100, 'error'],
        ],
      );
      assert.equal(events[2].message, hyperVHost.events[2].message);
      assert.match(events[0].meaning, /could not contact the writers through the COM\+ Event System/);
      assert.match(events[0].remedy, /COM\+ Event System \(EventSystem\)/);
      assert.match(events[1].remedy, /Free disk space/);
      assert.match(events[2].meaning, /background merge of a virtual machine's checkpoint/);
      assert.match(events[2].remedy, /icacls <folder> \/grant "NT VIRTUAL MACHINE\\<VM id>":\(OI\)F/);
      // Only the VMMS channel, as an administrator would ask for it.
      assert.deepEqual(
        (await h.vss.readVssEvents({ backend: m.backend, channels: [`${VMMS}-Admin`] })).map((e) => e.eventId),
        [16060, 19100],
      );

      const report = await h.vss.checkHealth({ backend: m.backend, since: '1h' });
      assert.equal(report.status, 'WARNING');
      const problem = report.problems.find((p) => p.kind === 'events');
      assert.ok(problem, JSON.stringify(report.problems));
      assert.match(problem.message, /^3 VSS-related error events \(VSS 12302, Microsoft-Windows-Hyper-V-VMMS 16060, Microsoft-Windows-Hyper-V-VMMS 19100\)$/);
    },
  },
  {
    name: 'a protection fault deleting the shadow copies of C: logs VolSnap 36 (storage maximum, diff-area-full) or 25 (could not grow in time) in the words of volsnap.sys, naming the volume "C:"',
    where: both,
    async run(h) {
      const expected = {
        'diff-area-full': [36, 'The shadow copies of volume C: were aborted because the shadow copy storage could not grow due to a user imposed limit.'],
        'grow-too-slow': [
          25,
          'The shadow copies of volume C: were deleted because the shadow copy storage could not grow in time.  Consider reducing the IO load on the system or choose a shadow copy storage volume that is not being shadow copied.',
        ],
      };
      for (const [fault, [eventId, message]] of Object.entries(expected)) {
        const m = await h.machine(scenario({ shadows: [{ volume: 'C:\\' }] }));
        assert.equal((await h.vss.listShadowCopies({ backend: m.backend })).length, 1);
        await m.configure({ faults: [{ volume: 'C:\\', protectionFault: fault }] });
        assert.deepEqual(await h.vss.listShadowCopies({ backend: m.backend }), [], `${fault}: the shadow copy is deleted`);
        const events = await h.vss.readVssEvents({ backend: m.backend, channels: ['System'] });
        assert.deepEqual(
          events.map((e) => [e.provider, e.eventId, e.level.name, e.message, e.data.volume]),
          [['VolSnap', eventId, 'error', message, 'C:\\']],
          fault,
        );
      }
    },
  },
];
