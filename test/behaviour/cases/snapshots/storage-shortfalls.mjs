// Volumes the system provider cannot copy now (issue 10, fidelity): a volume offline for shadow
// copy protection, and shadow storage too small for a new copy (VSS_E_INSUFFICIENT_STORAGE). The
// rows are native/sim/method_rules.inc's (kVolumesOnline, kShadowStorageAvailable) with their pages;
// how much storage a new copy needs is native/sim/shadow_storage.cpp's.
import assert from 'node:assert/strict';

import { both, cVolume, makeSet, manager, observer, scenario, statuses } from '../../helpers.mjs';

const MB = 1024 * 1024;
const D = '\\\\?\\Volume{5d1c2b3a-4e5f-4a6b-9c8d-7e6f5a4b3c2d}\\';
const storageVolume = (extra = {}) => ({ name: 'D:\\', guid: '5d1c2b3a-4e5f-4a6b-9c8d-7e6f5a4b3c2d', label: 'Storage', ...extra });

const shadowCount = async (h, m) => (await h.vss.listShadowCopies({ backend: m.backend })).length;

/**
 * The expected error, with the engine's reason (which volume, how short) on Linux: through COM a
 * requester gets the HRESULT alone, as from Windows, so under Wine only code and operation are compared.
 */
const refusal = (h, code, operation, reason) => ({ code, ...(operation ? { operation } : {}), ...(h.where === 'linux' ? { message: reason } : {}) });

/** A backup session with C: (and `more`) in its set, prepared: the next call is DoSnapshotSet. */
async function preparedSet(h, m, more = []) {
  const session = await manager(h, m);
  await session.gatherWriterMetadata();
  await session.startSnapshotSet();
  for (const v of ['C:\\', ...more]) await session.addToSnapshotSet(v);
  await session.prepareForBackup();
  return session;
}

/** The provider's VSS 12293 records for `hresult` (8 hex digits), newest last. */
async function providerEvents(h, m, hresult) {
  const events = await h.vss.readVssEvents({ backend: m.backend, ids: [12293] });
  return events.filter((e) => e.message.toLowerCase().includes(`hr = 0x${hresult}`));
}

/** The set failed after the writers prepared: VSS aborted it, so every writer is stable again and the slot is free. */
async function assertAborted(h, m) {
  const after = await statuses(await observer(h, m));
  assert.ok(after.every((w) => w.state === 'stable' && w.lastError === null), after.map((w) => `${w.name}=${w.state}`).join());
  const next = await manager(h, m);
  await next.gatherWriterMetadata();
  await next.startSnapshotSet();
  await next.abortBackup();
  await next.release();
}

export default [
  {
    name: 'a volume offline for shadow copy protection takes no new shadow copy: AddToSnapshotSet is VSS_E_PROVIDER_VETO (the provider logs VSS 12293 for BeginPrepareSnapshot, as the page says it does) until ClearVolumeProtectFault; one that goes offline after it was added fails DoSnapshotSet (VSS 12293, set aborted)',
    where: both,
    async run(h) {
      const m = await h.machine(scenario({ volumes: [storageVolume()] }));
      const C = await cVolume(h, m);
      const admin = await manager(h, m, 'app-rollback');
      await admin.addDiffArea(C, D, -1);
      await admin.setVolumeProtectLevel(C, 'snapshot');
      await admin.setVolumeProtectLevel(D, 'snapshot');
      await makeSet(h, m, { context: 'app-rollback' });
      await m.configure({ faults: [{ volume: 'C:\\', protectionFault: 'cow-write-failure' }] });
      assert.equal((await admin.getVolumeProtectLevel(C)).offline, true);

      const refused = await manager(h, m);
      await refused.gatherWriterMetadata();
      await refused.startSnapshotSet();
      for (const name of ['C:\\', C])
        await assert.rejects(
          refused.addToSnapshotSet(name),
          refusal(h, 'VSS_E_PROVIDER_VETO', 'AddToSnapshotSet', /offline for shadow copy protection.*C:\\ \(fault cow-write-failure\)/),
        );
      // "The provider logged the error in the event log" (AddToSnapshotSet's and BeginPrepareSnapshot's pages): one 12293 per refusal.
      const atAdd = await providerEvents(h, m, '80042306');
      assert.equal(atAdd.length, 2);
      for (const event of atAdd) assert.match(event.message, /Routine details BeginPrepareSnapshot\(\{[0-9a-f-]{36}\},\\\\\?\\Volume\{[0-9a-f-]{36}\}\\\)/);
      // The volume holding its shadow storage is online and still taken.
      await refused.addToSnapshotSet('D:\\');
      await refused.abortBackup();
      await refused.release();

      await admin.clearVolumeProtectFault(C);
      const session = await preparedSet(h, m);
      const before = await shadowCount(h, m);
      await m.configure({ faults: [{ volume: 'C:\\', protectionFault: 'diff-area-full' }] });
      await assert.rejects(
        session.doSnapshotSet(),
        refusal(h, 'VSS_E_PROVIDER_VETO', 'DoSnapshotSet', /went offline for shadow copy protection.*C:\\ \(fault diff-area-full\)/),
      );
      assert.equal(await shadowCount(h, m), before, 'no shadow copy was made');
      assert.equal((await providerEvents(h, m, '80042306')).length, 3);
      await session.release();
      await assertAborted(h, m);
    },
  },
  {
    name: 'VSS_E_INSUFFICIENT_STORAGE: DoSnapshotSet fails when the volume holding the shadow storage has less free space than a new copy needs (320 MB), VSS 12293 logged and the set aborted; storage kept on a volume with room makes the set',
    where: both,
    async run(h) {
      const m = await h.machine(scenario({ volumes: [{ name: 'C:\\', freeSpace: 200 * MB }, storageVolume({ freeSpace: 500 * MB })] }));
      const C = await cVolume(h, m);
      const session = await preparedSet(h, m);
      await assert.rejects(
        session.doSnapshotSet(),
        refusal(h, 'VSS_E_INSUFFICIENT_STORAGE', 'DoSnapshotSet', /insufficient shadow storage.*C:\\ has 200 MB free for shadow storage; the new shadow copy needs 320 MB/),
      );
      assert.equal(await shadowCount(h, m), 0);
      const [event] = await providerEvents(h, m, '8004231f');
      assert.ok(event, 'the provider logged VSS 12293 with VSS_E_INSUFFICIENT_STORAGE');
      assert.match(event.message, /EndPrepareSnapshots/);
      await session.release();
      await assertAborted(h, m);

      // "no free space requirement for the first volume" when its storage is elsewhere.
      const admin = await manager(h, m, 'app-rollback');
      await admin.addDiffArea(C, D, -1);
      await makeSet(h, m, { context: 'app-rollback' });
      assert.equal(await shadowCount(h, m), 1);
      // D: now has 500 MB less what C:'s storage there allocates (96 MB): not enough for another 320 MB.
      const free = (await admin.queryVolumesSupportedForDiffAreas(C)).find((v) => v.volume === D).freeSpace;
      assert.equal(free, 404n * BigInt(MB));
    },
  },
  {
    name: 'VSS_E_INSUFFICIENT_STORAGE: set volumes sharing one storage volume need room for each new copy; a maximum that cannot hold one copy fails, one that can deletes the oldest instead (VolSnap 33)',
    where: both,
    async run(h) {
      const m = await h.machine(
        scenario({ volumes: [{ name: 'E:\\' }, { name: 'F:\\', diffAreaMaximum: 16 * MB }, storageVolume({ freeSpace: 500 * MB })] }),
      );
      const admin = await manager(h, m, 'app-rollback');
      await admin.addDiffArea('C:\\', 'D:\\', -1);
      await admin.addDiffArea('E:\\', 'D:\\', -1);
      const pair = await preparedSet(h, m, ['E:\\']);
      await assert.rejects(
        pair.doSnapshotSet(),
        refusal(h, 'VSS_E_INSUFFICIENT_STORAGE', 'DoSnapshotSet', /D:\\ has 500 MB free for shadow storage; the new shadow copies need 640 MB/),
      );
      await pair.release();
      assert.equal(await shadowCount(h, m), 0);
      await makeSet(h, m, { volumes: ['E:\\'] });

      const tiny = await manager(h, m);
      await tiny.gatherWriterMetadata();
      await tiny.startSnapshotSet();
      await tiny.addToSnapshotSet('F:\\');
      await tiny.prepareForBackup();
      await assert.rejects(tiny.doSnapshotSet(), refusal(h, 'VSS_E_INSUFFICIENT_STORAGE', 'DoSnapshotSet', /maximum of F:\\ \(16 MB\) cannot hold a single shadow copy/));
      await tiny.release();

      // A maximum that holds one copy: the oldest goes to make room (32 MB a copy here), the set succeeds.
      await admin.resizeShadowStorage('F:\\', 320 * MB);
      for (let i = 0; i < 11; i++) await makeSet(h, m, { volumes: ['F:\\'], context: 'app-rollback' });
      assert.equal(await shadowCount(h, m), 10, 'ten copies of F: in a 320 MB maximum');
      const events = await h.vss.readVssEvents({ backend: m.backend, ids: [33] });
      assert.ok(events.some((e) => e.provider === 'VolSnap' && /F:/.test(e.message)), 'VolSnap 33 for F:');
    },
  },
  {
    name: 'vss create names the refusal and its remedy: VSS_E_INSUFFICIENT_STORAGE (vss storage add/resize), VSS_E_PROVIDER_VETO for a volume offline for protection (vss storage protect --clear); --json carries code and remedy',
    where: both,
    async run(h) {
      const m = await h.machine(scenario({ volumes: [{ name: 'C:\\', freeSpace: 100 * MB }, storageVolume()] }), { stateFile: h.where === 'linux' });
      const short = await m.cli(['create', 'C:\\']);
      assert.notEqual(short.code, 0);
      assert.match(short.stderr, /VSS_E_INSUFFICIENT_STORAGE/);
      if (h.where === 'linux') assert.match(short.stderr, /C:\\ has 100 MB free/);
      assert.match(short.stderr, /vss storage add/);
      const json = await m.cli(['create', 'C:\\', '--json']);
      assert.notEqual(json.code, 0);
      const report = JSON.parse(json.stdout || json.stderr);
      const error = report.error ?? report;
      assert.equal(error.code, 'VSS_E_INSUFFICIENT_STORAGE');
      assert.match(error.remedy, /vss storage add/);

      const C = await cVolume(h, m);
      const added = await m.cli(['storage', 'add', C, '--on', D, '--max', 'unbounded']);
      assert.equal(added.code, 0, added.stderr);
      assert.equal((await m.cli(['storage', 'protect', C, '--level', 'snapshot'])).code, 0);
      assert.equal((await m.cli(['storage', 'protect', D, '--level', 'snapshot'])).code, 0);
      await m.configure({ faults: [{ volume: 'C:\\', protectionFault: 'grow-failed' }] });
      const offline = await m.cli(['create', 'C:\\']);
      assert.notEqual(offline.code, 0);
      assert.match(offline.stderr, /VSS_E_PROVIDER_VETO/);
      // The remedy names the cause both ways; the engine's reason (Linux) names the volume too.
      assert.match(offline.stderr, /offline for shadow copy protection/);
      assert.match(offline.stderr, /vss storage protect VOLUME --clear/);
      if (h.where === 'linux') assert.match(offline.stderr, /C:\\ \(fault grow-failed\)/);
      assert.equal((await m.cli(['storage', 'protect', C, '--clear'])).code, 0);
      const made = await m.cli(['create', 'C:\\']);
      assert.equal(made.code, 0, made.stderr);
    },
  },
];
