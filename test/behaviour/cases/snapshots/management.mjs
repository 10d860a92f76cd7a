// Management through the COM backend: Query for providers and shadow copies (an
// IVssEnumObject walk over VSS_OBJECT_PROP), DeleteSnapshots, ExposeSnapshot and
// UnexposeSnapshot (IVssBackupComponentsEx2), BreakSnapshotSet, and shadow storage
// through IVssSnapshotMgmt/IVssDifferentialSoftwareSnapshotMgmt. Runner-neutral.
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';

import { cVolume } from '../../helpers.mjs';

const everywhere = ['linux', 'wine'];
// Safe on a real Windows machine too: no simulated scenario needed, nothing left behind.
const withWindows = ['linux', 'wine', 'windows'];
const fast = { timing: { timeScale: 0.01 } };
const SYSTEM_PROVIDER = 'b5946137-7b9f-4925-af80-51abd60b20d5';

// Creates persistent shadow copies (app-rollback) of `volumes` in one set.
async function persistentSet(h, m, volumes = ['C:\\']) {
  const session = await h.session({ backend: m.backend });
  await session.initializeForBackup();
  await session.setContext('app-rollback');
  await session.gatherWriterMetadata();
  const setId = await session.startSnapshotSet();
  const ids = [];
  for (const v of volumes) ids.push(await session.addToSnapshotSet(v));
  await session.prepareForBackup();
  await session.doSnapshotSet();
  await session.backupComplete();
  return { session, setId, ids };
}

async function manager(h, m, context = 'app-rollback') {
  const session = await h.session({ backend: m.backend });
  await session.initializeForBackup();
  if (context) await session.setContext(context);
  return session;
}

export default [
  {
    name: 'Query for providers walks IVssEnumObject: the system provider with every VSS_PROVIDER_PROP field',
    where: everywhere,
    async run(h) {
      const m = await h.machine(fast);
      const session = await manager(h, m, null);
      const providers = await session.queryProviders();
      assert.equal(providers.length, 1);
      const [p] = providers;
      assert.equal(p.providerId, SYSTEM_PROVIDER);
      assert.equal(p.name, 'Microsoft Software Shadow Copy provider 1.0');
      assert.equal(p.type, 'system');
      assert.equal(p.version, '1.0.0.7');
      assert.equal(p.versionId, '00000001-0000-0000-0000-000000000001');
      assert.equal(p.classId, '65ee1dba-8ff4-4a58-ac1c-3470ee2f376a');
    },
  },
  {
    name: 'Query for shadow copies lists the persistent ones of the context, every field filled, and none of another context',
    where: everywhere,
    async run(h) {
      const m = await h.machine({ ...fast, shadows: [{ volume: 'C:\\', persistent: true }] });
      const { ids, setId } = await persistentSet(h, m);
      const session = await manager(h, m);
      const listed = await session.querySnapshots();
      assert.equal(listed.length, 2, listed.map((s) => s.snapshotId).join());
      const mine = listed.find((s) => s.snapshotId === ids[0]);
      assert.ok(mine);
      assert.equal(mine.setId, setId);
      assert.equal(mine.originalVolume, await cVolume(h, m));
      assert.equal(mine.providerId, SYSTEM_PROVIDER);
      assert.ok(mine.attributes.includes('persistent'));
      assert.equal(mine.state, 'created');
      for (const s of listed) assert.match(s.deviceObject, /HarddiskVolumeShadowCopy\d+$/);
      const backupContext = await manager(h, m, 'backup');
      assert.deepEqual(await backupContext.querySnapshots(), []);
    },
  },
  {
    name: 'DeleteSnapshots of one shadow copy reports one deleted and no failure; it is gone afterwards',
    where: everywhere,
    async run(h) {
      const m = await h.machine(fast);
      const { ids } = await persistentSet(h, m);
      const session = await manager(h, m);
      const result = await session.deleteSnapshots(ids[0]);
      assert.deepEqual(result, { deletedCount: 1, nonDeletedId: null });
      assert.deepEqual(await session.querySnapshots(), []);
      await assert.rejects(session.getSnapshotProperties(ids[0]), { code: 'VSS_E_OBJECT_NOT_FOUND' });
    },
  },
  {
    name: 'DeleteSnapshots of a whole set deletes every shadow copy in it',
    where: everywhere,
    async run(h) {
      const m = await h.machine({ base: 'sql-server', ...fast });
      const { setId } = await persistentSet(h, m, ['E:\\', 'F:\\']);
      const session = await manager(h, m);
      assert.equal((await session.querySnapshots()).length, 2);
      const result = await session.deleteSnapshots(setId, { wholeSet: true, force: true });
      assert.equal(result.deletedCount, 2);
      assert.equal(result.nonDeletedId, null);
      assert.deepEqual(await session.querySnapshots(), []);
    },
  },
  {
    name: 'DeleteSnapshots of an unknown id fails with VSS_E_OBJECT_NOT_FOUND',
    where: withWindows,
    async run(h) {
      const m = await h.machine(fast);
      const session = await manager(h, m);
      await assert.rejects(session.deleteSnapshots('0f0f0f0f-0000-4000-8000-000000000001'), { code: 'VSS_E_OBJECT_NOT_FOUND', operation: 'DeleteSnapshots' });
    },
  },
  {
    name: 'ExposeSnapshot as a drive letter, then UnexposeSnapshot through IVssBackupComponentsEx2',
    where: everywhere,
    async run(h) {
      const m = await h.machine(fast);
      const { ids } = await persistentSet(h, m);
      const session = await manager(h, m);
      assert.equal(await session.exposeSnapshot(ids[0], { driveLetter: 'x' }), 'X:');
      const exposed = await session.getSnapshotProperties(ids[0]);
      assert.equal(exposed.exposedName, 'X:');
      assert.ok(exposed.attributes.includes('exposed-locally'));
      await assert.rejects(session.exposeSnapshot(ids[0], { driveLetter: 'Y:' }), { code: 'VSS_E_BAD_STATE' });
      await session.unexposeSnapshot(ids[0]);
      const after = await session.getSnapshotProperties(ids[0]);
      assert.equal(after.exposedName, null);
      assert.ok(!after.attributes.includes('exposed-locally'));
    },
  },
  {
    name: 'ExposeSnapshot under a mount folder, and as a share with a path from the root',
    where: everywhere,
    async run(h) {
      const m = await h.machine({ base: 'sql-server', ...fast });
      const { ids } = await persistentSet(h, m, ['E:\\', 'F:\\']);
      const session = await manager(h, m);
      // Under Wine a mount folder must be an existing empty folder of the Windows process, as on Windows.
      const folder = h.where === 'linux' ? 'C:\\mnt\\sqldata' : join(await h.tempDir(), 'sqldata');
      if (h.where !== 'linux') await mkdir(folder);
      assert.equal(await session.exposeSnapshot(ids[0], { mountPath: folder }), folder);
      assert.equal(await session.exposeSnapshot(ids[1], { share: 'sqllogs$', pathFromRoot: 'MSSQL14.MSSQLSERVER', allowShare: true }), 'sqllogs$');
      const share = await session.getSnapshotProperties(ids[1]);
      assert.equal(share.exposedName, 'sqllogs$');
      assert.equal(share.exposedPath, 'MSSQL14.MSSQLSERVER');
      assert.ok(share.attributes.includes('exposed-remotely'));
    },
  },
  {
    name: 'ExposeSnapshot refuses a drive letter in use (VSS_E_OBJECT_ALREADY_EXISTS) and a non-persistent shadow copy (E_INVALIDARG)',
    where: everywhere,
    async run(h) {
      const m = await h.machine(fast);
      const { ids } = await persistentSet(h, m);
      const session = await manager(h, m);
      await assert.rejects(session.exposeSnapshot(ids[0], { driveLetter: 'C:' }), { code: 'VSS_E_OBJECT_ALREADY_EXISTS', operation: 'ExposeSnapshot' });
      const backup = await h.session({ backend: m.backend });
      await backup.initializeForBackup();
      await backup.gatherWriterMetadata();
      await backup.startSnapshotSet();
      const temporary = await backup.addToSnapshotSet('C:\\');
      await backup.prepareForBackup();
      await backup.doSnapshotSet();
      await assert.rejects(backup.exposeSnapshot(temporary, { driveLetter: 'T:' }), { code: 'E_INVALIDARG' });
      await backup.backupComplete();
    },
  },
  {
    name: 'UnexposeSnapshot of a shadow copy that is not exposed fails with VSS_E_OBJECT_NOT_FOUND',
    where: everywhere,
    async run(h) {
      const m = await h.machine(fast);
      const { ids } = await persistentSet(h, m);
      const session = await manager(h, m);
      await assert.rejects(session.unexposeSnapshot(ids[0]), { code: 'VSS_E_OBJECT_NOT_FOUND', operation: 'UnexposeSnapshot' });
    },
  },
  {
    name: 'shadow storage: the diff area of C:\\ with its maximum, and used space growing with each shadow copy',
    where: everywhere,
    async run(h) {
      const m = await h.machine({ ...fast, volumes: [{ name: 'C:\\', diffAreaMaximum: 10 * 1024 ** 3 }] });
      const session = await manager(h, m);
      const C_VOLUME = await cVolume(h, m);
      const before = (await session.queryShadowStorage()).find((a) => a.volume === C_VOLUME);
      assert.ok(before, 'a diff area association for C:\\');
      assert.equal(before.diffAreaVolume, C_VOLUME);
      assert.equal(before.maximumSize, 10n * 1024n ** 3n);
      assert.equal(before.usedSize, 0n);
      await persistentSet(h, m);
      const after = (await session.queryShadowStorage()).find((a) => a.volume === C_VOLUME);
      assert.ok(after.usedSize > 0n, `used ${after.usedSize}`);
      assert.ok(after.allocatedSize >= after.usedSize);
      assert.equal(after.maximumSize, 10n * 1024n ** 3n);
    },
  },
  {
    name: 'shadow storage sizing through ChangeDiffAreaMaximumSize: a new maximum, no limit, and the refusals',
    where: everywhere,
    async run(h) {
      const m = await h.machine({ ...fast, shadows: [{ volume: 'C:\\' }] });
      const session = await manager(h, m);
      const C_VOLUME = await cVolume(h, m);
      const maximumOf = async () => (await session.queryShadowStorage()).find((a) => a.volume === C_VOLUME)?.maximumSize;
      await session.resizeShadowStorage('C:\\', 20n * 1024n ** 3n);
      assert.equal(await maximumOf(), 20n * 1024n ** 3n);
      await session.resizeShadowStorage(C_VOLUME, -1);
      assert.equal(await maximumOf(), -1n);
      await assert.rejects(session.resizeShadowStorage('C:\\', 1024 * 1024), { code: 'VSS_E_INSUFFICIENT_STORAGE', operation: 'ChangeDiffAreaMaximumSize' });
      // VSS_ASSOC_REMOVE while shadow copies live in the storage.
      await assert.rejects(session.resizeShadowStorage('C:\\', 0), { code: 'VSS_E_VOLUME_IN_USE' });
      await assert.rejects(session.resizeShadowStorage('Q:\\', -1), { code: 'VSS_E_OBJECT_NOT_FOUND' });
      await assert.rejects(session.resizeShadowStorage('C:\\', -5), { code: 'ERR_INVALID_ARG_VALUE' });
      assert.equal(await maximumOf(), -1n, 'the refusals changed nothing');
    },
  },
];
