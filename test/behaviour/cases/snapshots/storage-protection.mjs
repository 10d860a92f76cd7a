// Shadow copy protection (issue 10, IVssDifferentialSoftwareSnapshotMgmt3; the pages of
// VSS_PROTECTION_LEVEL, VSS_VOLUME_PROTECTION_INFO, SetVolumeProtectLevel, GetVolumeProtectLevel,
// ClearVolumeProtectFault, DeleteUnusedDiffAreas). A protection fault is made with the scenario
// fault { volume, protectionFault }: at level original-volume (the default) "I/O to the original
// volume must be maintained at the expense of shadow copies", at level snapshot "all I/O to the
// original volume will fail" (the volume goes offline, its shadow copies stay).
import assert from 'node:assert/strict';

import { both, cVolume, makeSet, manager, scenario } from '../../helpers.mjs';

const D = '\\\\?\\Volume{5d1c2b3a-4e5f-4a6b-9c8d-7e6f5a4b3c2d}\\';
const machine = scenario({ volumes: [{ name: 'D:\\', guid: '5d1c2b3a-4e5f-4a6b-9c8d-7e6f5a4b3c2d', label: 'Storage' }] });

const shadowsOf = async (session, volume) => (await session.querySnapshots()).filter((s) => s.originalVolume === volume);

/** C: with its shadow storage on D:, both at protection level snapshot, and one shadow copy of C:. */
async function snapshotLevelPair(h) {
  const m = await h.machine(machine);
  const C = await cVolume(h, m);
  const session = await manager(h, m, 'app-rollback');
  await session.addDiffArea(C, D, -1);
  // The interface page: set the same level on the volume and on the one holding its storage.
  await session.setVolumeProtectLevel(C, 'snapshot');
  await session.setVolumeProtectLevel(D, 'snapshot');
  await makeSet(h, m, { context: 'app-rollback' });
  return { m, C, session };
}

export default [
  {
    name: 'a protection fault at level original-volume (the default) deletes the volume\'s shadow copies and leaves it online; GetVolumeProtectLevel reports no fault',
    where: both,
    async run(h) {
      const m = await h.machine(machine);
      const C = await cVolume(h, m);
      const session = await manager(h, m, 'app-rollback');
      assert.deepEqual(await session.getVolumeProtectLevel(C), {
        level: 'original-volume',
        offline: false,
        fault: 'none',
        faultCode: 0,
        failureStatus: 0,
        hasUnusedDiffArea: false,
      });
      await makeSet(h, m, { context: 'app-rollback' });
      assert.equal((await shadowsOf(session, C)).length, 1);
      await m.configure({ faults: [{ volume: 'C:\\', protectionFault: 'diff-area-full' }] });
      assert.deepEqual(await shadowsOf(session, C), []);
      const p = await session.getVolumeProtectLevel(C);
      assert.deepEqual([p.offline, p.fault], [false, 'none']);
    },
  },
  {
    name: 'at level snapshot a protection fault takes the volume offline and keeps its shadow copies; its storage volume has unused shadow storage until DeleteUnusedDiffAreas; ClearVolumeProtectFault brings it back',
    where: both,
    async run(h) {
      const { m, C, session } = await snapshotLevelPair(h);
      await m.configure({ faults: [{ volume: 'C:\\', protectionFault: 'cow-write-failure', failureStatus: 0xc000009c }] });
      assert.deepEqual(await session.getVolumeProtectLevel(C), {
        level: 'snapshot',
        offline: true,
        fault: 'cow-write-failure',
        faultCode: 7,
        failureStatus: 0xc000009c | 0,
        hasUnusedDiffArea: false,
      });
      assert.equal((await shadowsOf(session, C)).length, 1);
      assert.equal((await session.getVolumeProtectLevel(D)).hasUnusedDiffArea, true);
      await session.deleteUnusedDiffAreas(D);
      assert.deepEqual(await shadowsOf(session, C), []);
      assert.equal((await session.getVolumeProtectLevel(D)).hasUnusedDiffArea, false);
      await session.clearVolumeProtectFault(C);
      const cleared = await session.getVolumeProtectLevel(C);
      assert.deepEqual([cleared.level, cleared.offline, cleared.fault], ['snapshot', false, 'none']);
      // "If the volume is not in a faulted state, this method does nothing."
      await session.clearVolumeProtectFault(C);
      const missing = '\\\\?\\Volume{00000000-0000-4000-8000-0000000000ff}\\';
      for (const call of [() => session.getVolumeProtectLevel(missing), () => session.clearVolumeProtectFault(missing), () => session.deleteUnusedDiffAreas(missing)])
        await assert.rejects(call(), { code: 'VSS_E_OBJECT_NOT_FOUND' });
    },
  },
  {
    name: 'vss storage protect shows and sets the protection level and clears a fault; vss storage delete --unused frees unused shadow storage',
    where: both,
    async run(h) {
      const m = await h.machine(machine, { stateFile: h.where === 'linux' });
      const C = await cVolume(h, m);
      const set = await m.cli(['storage', 'protect', C, '--level', 'snapshot', '--json']);
      assert.equal(set.code, 0, set.stderr);
      assert.equal(JSON.parse(set.stdout).level, 'snapshot');
      await m.configure({ faults: [{ volume: 'C:\\', protectionFault: 'grow-failed' }] });
      const shown = await m.cli(['storage', 'protect', C]);
      assert.equal(shown.code, 0, shown.stderr);
      assert.match(shown.stdout, /level snapshot, OFFLINE for protection: grow-failed \(10\)/);
      const cleared = await m.cli(['storage', 'protect', C, '--clear']);
      assert.match(cleared.stdout, /level snapshot, online$/m);
      const unused = await m.cli(['storage', 'delete', C, '--unused', '--json']);
      assert.equal(unused.code, 0, unused.stderr);
      // cold12 F11: with nothing (left) to delete it said "deleted: unused shadow storage"; it says so now.
      const again = await m.cli(['storage', 'delete', C, '--unused']);
      assert.equal(again.code, 0, again.stderr);
      assert.match(again.stdout, /^nothing to delete: \S+ holds no unused shadow storage$/m);
      assert.equal(JSON.parse((await m.cli(['storage', 'delete', C, '--unused', '--json'])).stdout).deletedUnused, false);
      // cold12 F12: an unknown option under a storage subcommand points to that subcommand's help.
      const unknown = await m.cli(['storage', 'add', C, '--on', C, '--max', '1GB', '--volatile']);
      assert.equal(unknown.code, 2);
      assert.match(unknown.stderr, /see 'vss storage add --help'/);
      const bad = await m.cli(['storage', 'protect', C, '--level', 'maximum']);
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /--level maximum: expected original-volume or snapshot/);
    },
  },
  {
    name: 'checkHealth reads each storage volume\'s protection: a volume a fault took offline is CRITICAL (with the clear remedy), the volume holding only its copies\' storage a WARNING; Prometheus has vss_volume_protection_offline; cleared and freed, the volumes are no problem',
    where: both,
    async run(h) {
      const { m, C, session } = await snapshotLevelPair(h);
      const healthy = await h.vss.checkHealth({ backend: m.backend });
      assert.deepEqual(healthy.problems.filter((p) => p.kind === 'protection-fault'), []);
      assert.deepEqual(healthy.protection.map((p) => [p.volume.toLowerCase(), p.level, p.offline]).sort(), [[C.toLowerCase(), 'snapshot', false], [D.toLowerCase(), 'snapshot', false]].sort());
      await m.configure({ faults: [{ volume: 'C:\\', protectionFault: 'cow-write-failure', failureStatus: 0xc000009c }] });
      const faulted = await h.vss.checkHealth({ backend: m.backend });
      assert.equal(faulted.status, 'CRITICAL');
      const offline = faulted.problems.find((p) => p.kind === 'protection-fault' && p.status === 'CRITICAL');
      assert.match(offline.message, /is offline for shadow copy protection \(cow-write-failure, status 0xc000009c\)/);
      assert.match(offline.remedy, /vss storage protect .* --clear/);
      assert.match(faulted.problems.find((p) => p.kind === 'protection-fault' && p.status === 'WARNING').message, /holds shadow storage only an offline volume's shadow copies use/);
      assert.match(h.vss.formatPrometheus(faulted), /^vss_volume_protection_offline\{volume=".*",level="snapshot",fault="cow-write-failure"\} 1$/m);
      assert.match(faulted.summary, /offline for shadow copy protection/);
      await session.deleteUnusedDiffAreas(D);
      await session.clearVolumeProtectFault(C);
      const after = await h.vss.checkHealth({ backend: m.backend });
      assert.deepEqual(after.problems.filter((p) => p.kind === 'protection-fault'), []);
    },
  },
];
