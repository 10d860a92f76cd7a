// Volumes, providers and the shadow copy properties VSS fills in (issue: "Volumes,
// providers, snapshot sets").
import assert from 'node:assert/strict';

import { SYSTEM_PROVIDER, backupUntil, both, cVolume, fast, initialized, makeSet, manager, scenario, unknownGuid } from '../../helpers.mjs';

const hardwareId = '7d4e9c1a-2b3f-4a5d-8e6f-9a0b1c2d3e4f';
const hardwareMachine = scenario({
  base: 'windows-server-2022',
  machineName: 'array01.contoso.local',
  providers: [{ providerId: hardwareId, name: 'Contoso SAN Provider', type: 'hardware', version: '4.2' }],
  volumes: [{ name: 'S:\\', label: 'SAN LUN', providers: [hardwareId] }],
});

export default [
  {
    name: "deleteShadowCopies({ volume: 'C:\\', oldest: true }) finds the volume's shadow copies by the GUID path the system resolves C:\\ to, and deletes the oldest only",
    // Under Wine the emulated C: takes the name the host gives C: (Wine's), as a volume has one name on Windows.
    where: both,
    async run(h) {
      const m = await h.machine(fast);
      const older = await h.vss.createSnapshotSet(['C:\\'], { backend: m.backend, persistent: true, writers: 'none' });
      await older.complete({ succeeded: true });
      const newer = await h.vss.createSnapshotSet(['C:\\'], { backend: m.backend, persistent: true, writers: 'none' });
      await newer.complete({ succeeded: true });
      const result = await h.vss.deleteShadowCopies({ volume: 'C:\\', oldest: true }, { backend: m.backend });
      assert.deepEqual(result, { deletedCount: 1, nonDeletedId: null });
      const left = (await h.vss.listShadowCopies({ backend: m.backend })).map((s) => s.snapshotId);
      assert.deepEqual(left, [newer.snapshotFor('C:\\').snapshotId]);
      await h.vss.deleteShadowCopies({ setId: newer.setId }, { backend: m.backend });
    },
  },
  {
    name: "AddToSnapshotSet takes a volume by the GUID path a shadow copy reports as its original volume (\\\\?\\Volume{...}\\, as GetVolumeNameForVolumeMountPointW gives it)",
    where: both,
    async run(h) {
      const m = await h.machine(fast);
      const set = await h.vss.createSnapshotSet(['C:\\'], { backend: m.backend, writers: 'none' });
      const guidPath = set.snapshotFor('C:\\').originalVolume;
      await set.complete({ succeeded: true });
      assert.match(guidPath, /^\\\\\?\\Volume\{[0-9a-f-]{36}\}\\$/i);
      const { session } = await initialized(h, fast, 'file-share-backup');
      await session.startSnapshotSet();
      const id = await session.addToSnapshotSet(guidPath);
      await session.prepareForBackup();
      await session.doSnapshotSet();
      assert.equal((await session.getSnapshotProperties(id)).originalVolume.toLowerCase(), guidPath.toLowerCase());
    },
  },
  {
    name: 'the system provider is registered by default with its well-known id and type',
    where: both,
    async run(h) {
      const { session } = await initialized(h);
      const providers = await session.queryProviders();
      assert.equal(providers.length, 1);
      assert.equal(providers[0].providerId, SYSTEM_PROVIDER);
      assert.equal(providers[0].name, 'Microsoft Software Shadow Copy provider 1.0');
      assert.equal(providers[0].type, 'system');
      assert.equal(providers[0].typeCode, 1);
    },
  },
  {
    name: 'a volume is found by drive letter in any case or by its \\\\?\\Volume{guid}\\ name, and shadow copies name the GUID form',
    where: both,
    async run(h) {
      const { m, session } = await initialized(h);
      const C_VOLUME = await cVolume(h, m);
      assert.equal(await session.isVolumeSupported('c:\\'), true);
      await session.gatherWriterMetadata();
      await session.startSnapshotSet();
      const viaLetter = await session.addToSnapshotSet('c:\\');
      const viaGuid = await session.addToSnapshotSet('\\\\?\\Volume{c7463aba-f40d-11e9-80c7-806e6f6e6963}\\');
      await assert.rejects(session.addToSnapshotSet(C_VOLUME.toUpperCase()), { code: 'VSS_E_OBJECT_ALREADY_EXISTS' }, 'C: is already in the set');
      await session.prepareForBackup();
      await session.doSnapshotSet();
      assert.equal((await session.getSnapshotProperties(viaLetter)).originalVolume, C_VOLUME);
      assert.equal((await session.getSnapshotProperties(viaGuid)).originalVolume, '\\\\?\\Volume{c7463aba-f40d-11e9-80c7-806e6f6e6963}\\');
    },
  },
  {
    name: 'an unknown volume is VSS_E_OBJECT_NOT_FOUND for IsVolumeSupported and AddToSnapshotSet',
    where: both,
    async run(h) {
      const { session } = await initialized(h);
      await assert.rejects(session.isVolumeSupported('Q:\\'), { code: 'VSS_E_OBJECT_NOT_FOUND', operation: 'IsVolumeSupported' });
      await session.gatherWriterMetadata();
      await session.startSnapshotSet();
      await assert.rejects(session.addToSnapshotSet('Q:\\'), { code: 'VSS_E_OBJECT_NOT_FOUND', operation: 'AddToSnapshotSet' });
    },
  },
  {
    name: 'a volume no provider supports is VSS_E_VOLUME_NOT_SUPPORTED and IsVolumeSupported says false',
    where: both,
    async run(h) {
      const { session } = await initialized(h, scenario({ volumes: [{ name: 'R:\\', label: 'FAT32 stick', unsupported: true }] }));
      assert.equal(await session.isVolumeSupported('R:\\'), false);
      assert.equal(await session.isVolumeSupported('C:\\'), true);
      await session.gatherWriterMetadata();
      await session.startSnapshotSet();
      await assert.rejects(session.addToSnapshotSet('R:\\'), { code: 'VSS_E_VOLUME_NOT_SUPPORTED' });
    },
  },
  {
    name: 'a provider supports only its own volumes: VSS_E_VOLUME_NOT_SUPPORTED_BY_PROVIDER elsewhere, and it is the default choice on them',
    where: both,
    async run(h) {
      const { session } = await initialized(h, hardwareMachine);
      assert.equal(await session.isVolumeSupported('S:\\', hardwareId), true);
      assert.equal(await session.isVolumeSupported('C:\\', hardwareId), false);
      assert.equal(await session.isVolumeSupported('S:\\', SYSTEM_PROVIDER), false);
      assert.equal((await session.queryProviders()).length, 2);
      await session.gatherWriterMetadata();
      await session.startSnapshotSet();
      await assert.rejects(session.addToSnapshotSet('C:\\', hardwareId), { code: 'VSS_E_VOLUME_NOT_SUPPORTED_BY_PROVIDER' });
      await assert.rejects(session.addToSnapshotSet('S:\\', SYSTEM_PROVIDER), { code: 'VSS_E_VOLUME_NOT_SUPPORTED_BY_PROVIDER' });
      const onSan = await session.addToSnapshotSet('S:\\');
      const onC = await session.addToSnapshotSet('C:\\');
      await session.prepareForBackup();
      await session.doSnapshotSet();
      const san = await session.getSnapshotProperties(onSan);
      assert.equal(san.providerId, hardwareId);
      assert.ok(san.attributes.includes('hardware-assisted'), san.attributes.join());
      assert.ok(!san.attributes.includes('differential'));
      assert.equal((await session.getSnapshotProperties(onC)).providerId, SYSTEM_PROVIDER);
    },
  },
  {
    name: 'a provider id that is not registered is VSS_E_PROVIDER_NOT_REGISTERED',
    where: both,
    async run(h) {
      const { session } = await initialized(h);
      await assert.rejects(session.isVolumeSupported('C:\\', unknownGuid()), { code: 'VSS_E_PROVIDER_NOT_REGISTERED' });
      await session.gatherWriterMetadata();
      await session.startSnapshotSet();
      await assert.rejects(session.addToSnapshotSet('C:\\', unknownGuid()), { code: 'VSS_E_PROVIDER_NOT_REGISTERED' });
    },
  },
  {
    name: 'shadow copy properties are filled as VSS fills them for a backup-context set',
    where: both,
    async run(h) {
      const { session } = await initialized(h, scenario({ machineName: 'fs01.contoso.local', volumes: [{ name: 'E:\\', guid: '0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9' }] }));
      const before = Date.now();
      const { setId, snapshotIds } = await backupUntil(session, 'snapshot', { volumes: ['C:\\', 'E:\\'] });
      const after = Date.now();
      const c = await session.getSnapshotProperties(snapshotIds[0]);
      const e = await session.getSnapshotProperties(snapshotIds[1]);
      for (const [shadow, id] of [[c, snapshotIds[0]], [e, snapshotIds[1]]]) {
        assert.equal(shadow.snapshotId, id);
        assert.equal(shadow.setId, setId);
        assert.equal(shadow.snapshotsCount, 2);
        assert.equal(shadow.originatingMachine, 'fs01.contoso.local');
        assert.equal(shadow.serviceMachine, 'fs01.contoso.local');
        assert.equal(shadow.providerId, SYSTEM_PROVIDER);
        assert.equal(shadow.state, 'created');
        assert.equal(shadow.stateCode, 12);
        assert.equal(shadow.exposedName, null);
        assert.deepEqual(shadow.attributes, ['differential'], 'backup context: auto-release, not persistent');
        assert.ok(shadow.createdAt.getTime() >= before - 1000 && shadow.createdAt.getTime() <= after + 1000, shadow.createdAt.toISOString());
      }
      assert.equal(e.originalVolume, '\\\\?\\Volume{0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9}\\');
      const n = (s) => Number(/HarddiskVolumeShadowCopy(\d+)$/.exec(s.deviceObject)?.[1]);
      assert.equal(n(e), n(c) + 1);
    },
  },
  {
    name: 'HarddiskVolumeShadowCopyN rises machine-wide across sessions and is never reused after a delete',
    where: both,
    async run(h) {
      const m = await h.machine({ ...fast, base: 'windows-server-2022' });
      const numbers = [];
      for (let i = 0; i < 3; i++) {
        const { snapshotIds } = await makeSet(h, m, { context: 'app-rollback' });
        const admin = await manager(h, m, 'app-rollback');
        const shadow = (await admin.querySnapshots()).find((s) => s.snapshotId === snapshotIds[0]);
        numbers.push(Number(/HarddiskVolumeShadowCopy(\d+)$/.exec(shadow.deviceObject)[1]));
        await admin.deleteSnapshots(snapshotIds[0]);
      }
      assert.ok(numbers[0] >= 1);
      assert.deepEqual(numbers, [numbers[0], numbers[0] + 1, numbers[0] + 2]);
    },
  },
];
