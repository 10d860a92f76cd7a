// The snapshot set through the COM backend: IsVolumeSupported, AddToSnapshotSet
// with and without a provider, DoSnapshotSet, every VSS_SNAPSHOT_PROP field, the
// Backup Components Document, and what releasing a session does. Runner-neutral.
import assert from 'node:assert/strict';

import { cVolume } from '../../helpers.mjs';

const everywhere = ['linux', 'wine'];
// Safe on a real Windows machine too: no simulated scenario needed, nothing left behind.
const withWindows = ['linux', 'wine', 'windows'];
const fast = { timing: { timeScale: 0.01 } };
const SYSTEM_PROVIDER = 'b5946137-7b9f-4925-af80-51abd60b20d5';
const UNKNOWN_PROVIDER = '0a0b0c0d-1111-2222-3333-444455556666';

async function gathered(h, scenario = fast, context) {
  const m = await h.machine(scenario);
  const session = await h.session({ backend: m.backend });
  await session.initializeForBackup();
  if (context) await session.setContext(context);
  await session.gatherWriterMetadata();
  return { m, session };
}

export default [
  {
    name: 'IsVolumeSupported: any provider, the system provider, an unregistered provider, an unknown volume',
    where: everywhere,
    async run(h) {
      const { session } = await gathered(h);
      assert.equal(await session.isVolumeSupported('C:\\'), true);
      assert.equal(await session.isVolumeSupported('C:\\', SYSTEM_PROVIDER), true);
      await assert.rejects(session.isVolumeSupported('C:\\', UNKNOWN_PROVIDER), { code: 'VSS_E_PROVIDER_NOT_REGISTERED', operation: 'IsVolumeSupported' });
      await assert.rejects(session.isVolumeSupported('Q:\\'), { code: 'VSS_E_OBJECT_NOT_FOUND' });
    },
  },
  {
    name: 'IsVolumeSupported answers false and AddToSnapshotSet fails with VSS_E_VOLUME_NOT_SUPPORTED for a volume without shadow copy support',
    where: everywhere,
    async run(h) {
      const { session } = await gathered(h, { ...fast, faults: [{ volume: 'C:\\', unsupported: true }] });
      assert.equal(await session.isVolumeSupported('C:\\'), false);
      await session.startSnapshotSet();
      await assert.rejects(session.addToSnapshotSet('C:\\'), { code: 'VSS_E_VOLUME_NOT_SUPPORTED', operation: 'AddToSnapshotSet' });
      await session.abortBackup();
    },
  },
  {
    name: 'AddToSnapshotSet with the system provider named explicitly: the shadow copy carries that provider',
    where: everywhere,
    async run(h) {
      const { session } = await gathered(h);
      await session.startSnapshotSet();
      const id = await session.addToSnapshotSet('C:\\', SYSTEM_PROVIDER);
      await assert.rejects(session.addToSnapshotSet('C:\\'), { code: 'VSS_E_OBJECT_ALREADY_EXISTS' });
      await session.prepareForBackup();
      await session.doSnapshotSet();
      assert.equal((await session.getSnapshotProperties(id)).providerId, SYSTEM_PROVIDER);
      await session.backupComplete();
    },
  },
  {
    name: 'AddToSnapshotSet with an unregistered provider fails with VSS_E_PROVIDER_NOT_REGISTERED',
    where: everywhere,
    async run(h) {
      const { session } = await gathered(h);
      await session.startSnapshotSet();
      await assert.rejects(session.addToSnapshotSet('C:\\', UNKNOWN_PROVIDER), { code: 'VSS_E_PROVIDER_NOT_REGISTERED' });
      await assert.rejects(session.addToSnapshotSet('Z:\\'), { code: 'VSS_E_OBJECT_NOT_FOUND' });
      await session.abortBackup();
    },
  },
  {
    name: 'GetSnapshotProperties fills every VSS_SNAPSHOT_PROP field',
    where: everywhere,
    async run(h) {
      const { m, session } = await gathered(h, { ...fast, machineName: 'fileserver7.contoso.local' });
      const before = Date.now();
      const setId = await session.startSnapshotSet();
      const id = await session.addToSnapshotSet('C:\\');
      await session.prepareForBackup();
      await session.doSnapshotSet();
      const p = await session.getSnapshotProperties(id);
      assert.equal(p.snapshotId, id);
      assert.equal(p.setId, setId);
      assert.equal(p.snapshotsCount, 1);
      assert.match(p.deviceObject, /^\\\\\?\\GLOBALROOT\\Device\\HarddiskVolumeShadowCopy\d+$/);
      assert.equal(p.originalVolume, await cVolume(h, m));
      assert.equal(p.originatingMachine, 'fileserver7.contoso.local');
      assert.equal(p.serviceMachine, 'fileserver7.contoso.local');
      assert.equal(p.exposedName, null);
      assert.equal(p.exposedPath, null);
      assert.equal(p.providerId, SYSTEM_PROVIDER);
      assert.ok(p.attributes.includes('differential'), p.attributes.join());
      assert.ok(p.createdAt instanceof Date);
      assert.ok(Math.abs(p.createdAt.getTime() - before) < 120_000, `created at ${p.createdAt.toISOString()}`);
      assert.equal(p.state, 'created');
      assert.equal(p.stateCode, 12);
      await session.backupComplete();
    },
  },
  {
    name: 'a snapshot set of two volumes: both shadow copies share the set and count two',
    where: everywhere,
    async run(h) {
      const { session } = await gathered(h, { base: 'sql-server', ...fast });
      const setId = await session.startSnapshotSet();
      const e = await session.addToSnapshotSet('E:\\');
      const f = await session.addToSnapshotSet('F:\\');
      await session.prepareForBackup();
      await session.doSnapshotSet();
      const pe = await session.getSnapshotProperties(e);
      const pf = await session.getSnapshotProperties(f);
      assert.equal(pe.setId, setId);
      assert.equal(pf.setId, setId);
      assert.equal(pe.snapshotsCount, 2);
      assert.notEqual(pe.deviceObject, pf.deviceObject);
      assert.notEqual(pe.originalVolume, pf.originalVolume);
      await session.backupComplete();
    },
  },
  {
    name: 'GetSnapshotProperties of an unknown shadow copy fails with VSS_E_OBJECT_NOT_FOUND',
    where: withWindows,
    async run(h) {
      const { session } = await gathered(h);
      await assert.rejects(session.getSnapshotProperties('01234567-89ab-cdef-0123-456789abcdef'), {
        code: 'VSS_E_OBJECT_NOT_FOUND',
        operation: 'GetSnapshotProperties',
      });
    },
  },
  {
    name: 'SaveAsXML after DoSnapshotSet is a Backup Components Document naming the snapshot set',
    where: everywhere,
    async run(h) {
      const { session } = await gathered(h);
      const setId = await session.startSnapshotSet();
      await session.addToSnapshotSet('C:\\');
      await session.prepareForBackup();
      await session.doSnapshotSet();
      const xml = await session.saveAsXml();
      assert.match(xml, /^(<\?xml[^>]*>\s*)?<BACKUP_COMPONENTS/);
      assert.ok(xml.toLowerCase().includes(setId), 'the document names the snapshot set');
      await session.backupComplete();
    },
  },
  {
    name: 'a second requester cannot start a snapshot set while one is in progress (VSS_E_SNAPSHOT_SET_IN_PROGRESS)',
    where: everywhere,
    async run(h) {
      const { m, session } = await gathered(h);
      await session.startSnapshotSet();
      await session.addToSnapshotSet('C:\\');
      const other = await h.session({ backend: m.backend });
      await other.initializeForBackup();
      await other.gatherWriterMetadata();
      await assert.rejects(other.startSnapshotSet(), { code: 'VSS_E_SNAPSHOT_SET_IN_PROGRESS', operation: 'StartSnapshotSet' });
      await session.abortBackup();
      // The lock goes with the abort.
      await other.startSnapshotSet();
      await other.abortBackup();
    },
  },
  {
    // Before DoSnapshotSet returned, the release aborts the backup and the writers hear Abort; after it they
    // have run OnPostSnapshot and hear no Abort ("CVssWriter::OnAbort"), but BackupShutdown, which VSS sends
    // whenever a requester taking part in a backup is released ("Handling BackupShutdown Events"), ends it.
    name: 'releasing a session mid-backup, before or after DoSnapshotSet ("Handling BackupShutdown Events"), leaves the writers stable and its auto-release shadow copies gone',
    where: everywhere,
    async run(h) {
      const observe = async (m) => {
        const observer = await h.session({ backend: m.backend });
        await observer.initializeForBackup();
        await observer.gatherWriterMetadata();
        await observer.gatherWriterStatus();
        return observer;
      };
      for (const committed of [false, true]) {
        const { m, session } = await gathered(h);
        await session.startSnapshotSet();
        const id = await session.addToSnapshotSet('C:\\');
        await session.prepareForBackup();
        if (committed) await session.doSnapshotSet();
        await session.release();
        assert.equal(session.released, true);
        await assert.rejects(session.gatherWriterStatus(), { name: 'VssSessionError', code: 'ERR_VSS_SESSION_RELEASED' });

        const observer = await observe(m);
        const states = (await observer.getWriterStatus()).map((w) => w.state);
        assert.ok(states.length > 0 && states.every((s) => s === 'stable'), `${committed ? 'after' : 'before'} DoSnapshotSet: ${states.join()}`);
        await assert.rejects(observer.getSnapshotProperties(id), { code: 'VSS_E_OBJECT_NOT_FOUND' });
        assert.deepEqual((await observer.querySnapshots()).filter((s) => s.snapshotId === id), []);
      }
    },
  },
  {
    name: 'Symbol.asyncDispose releases the session; release twice is harmless',
    where: withWindows,
    async run(h) {
      const m = await h.machine(fast);
      const session = await h.session({ backend: m.backend });
      await session.initializeForBackup();
      await session[Symbol.asyncDispose]();
      assert.equal(session.released, true);
      await session.release();
      await assert.rejects(session.saveAsXml(), { code: 'ERR_VSS_SESSION_RELEASED' });
    },
  },
  {
    name: 'a provider failing at commit makes DoSnapshotSet reject with its error, and leaves no shadow copy and no frozen writer',
    where: everywhere,
    async run(h) {
      const { session } = await gathered(h, { ...fast, faults: [{ provider: SYSTEM_PROVIDER, phase: 'commit', error: 'VSS_E_UNEXPECTED_PROVIDER_ERROR' }] });
      await session.startSnapshotSet();
      const id = await session.addToSnapshotSet('C:\\');
      await session.prepareForBackup();
      await assert.rejects(session.doSnapshotSet(), { name: 'VssError', code: 'VSS_E_UNEXPECTED_PROVIDER_ERROR', operation: 'DoSnapshotSet' });
      await assert.rejects(session.getSnapshotProperties(id), { code: 'VSS_E_OBJECT_NOT_FOUND' });
      await session.gatherWriterStatus();
      const states = (await session.getWriterStatus()).map((w) => w.state);
      assert.ok(states.every((s) => s === 'stable'), states.join());
    },
  },
  {
    name: 'AddToSnapshotSet on a volume at its shadow copy limit fails with VSS_E_MAXIMUM_NUMBER_OF_SNAPSHOTS_REACHED',
    where: everywhere,
    async run(h) {
      const { session } = await gathered(h, { ...fast, volumes: [{ name: 'C:\\', maxShadows: 1 }], shadows: [{ volume: 'C:\\' }] });
      await session.startSnapshotSet();
      await assert.rejects(session.addToSnapshotSet('C:\\'), { code: 'VSS_E_MAXIMUM_NUMBER_OF_SNAPSHOTS_REACHED', operation: 'AddToSnapshotSet' });
      await session.abortBackup();
    },
  },
];
