// What real requesters do and Windows accepts (issue 10, "Fidelity"): the contexts and
// attribute bits Microsoft's VShadow sample passes to SetContext, the provider refusing
// what it cannot make, no-writer sets without GatherWriterMetadata or PrepareForBackup,
// and SetBackupState in the restore path.
import assert from 'node:assert/strict';

import { HARDWARE_PROVIDER as hardwareId, SYSTEM_PROVIDER, both, fast, initialized, withSanVolume as withSan } from '../../helpers.mjs';

const NO_AUTORECOVERY = 0x2;
const TRANSPORTABLE = 0x20;
const DIFFERENTIAL = 0x20000;
const PLEX = 0x40000;
const TXF_RECOVERY = 0x2000000;
const contexts = { backup: 0x0, 'file-share-backup': 0x10, 'nas-rollback': 0x19, 'app-rollback': 0x9, 'client-accessible': 0x1d, 'client-accessible-writers': 0xd };

/** Creates a one-volume set in `context` the way VShadow does (create.cpp): writers steps only when the context has writers. */
async function vshadowCreate(session, context, volume = 'C:\\', provider) {
  const withWriters = (context & 0x10) === 0;
  if (withWriters) await session.gatherWriterMetadata();
  await session.startSnapshotSet();
  const id = await session.addToSnapshotSet(volume, provider);
  if (withWriters) await session.prepareForBackup();
  await session.doSnapshotSet();
  return id;
}

export default [
  {
    name: 'SetContext takes every VSS_CTX_* OR-ed with the attribute bits a requester may add (VShadow -nar: APP_ROLLBACK | NO_AUTORECOVERY = 0x0b; DIFFERENTIAL, PLEX, TRANSPORTABLE, TXF_RECOVERY)',
    where: both,
    async run(h) {
      const m = await h.machine(fast);
      for (const [name, base] of Object.entries(contexts))
        for (const bits of [NO_AUTORECOVERY, DIFFERENTIAL, PLEX, TRANSPORTABLE, TXF_RECOVERY, DIFFERENTIAL | NO_AUTORECOVERY]) {
          const session = await h.session({ backend: m.backend });
          await session.initializeForBackup();
          await session.setContext(base | bits).catch((e) => assert.fail(`${name} | 0x${bits.toString(16)}: ${e.code}`));
          await session.release();
        }
      // Bits VSS sets itself (imported, exposed) are no requester's to ask for.
      for (const bad of [0x9 | 0x80000, 0x9 | 0x100000]) {
        const { session } = await initialized(h, fast);
        await assert.rejects(session.setContext(bad), { code: 'E_INVALIDARG', operation: 'SetContext' }, `0x${bad.toString(16)}`);
      }
    },
  },
  {
    name: 'the system provider makes APP_ROLLBACK | NO_AUTORECOVERY and DIFFERENTIAL shadow copies, with those bits in their attributes',
    where: both,
    async run(h) {
      for (const context of [0x9 | NO_AUTORECOVERY, 0x0 | DIFFERENTIAL, 0x19 | NO_AUTORECOVERY | DIFFERENTIAL]) {
        const { session } = await initialized(h, fast, context);
        const id = await vshadowCreate(session, context);
        const shadow = await session.getSnapshotProperties(id);
        assert.equal(shadow.providerId, SYSTEM_PROVIDER);
        assert.equal(shadow.attributesCode & context, context, `0x${shadow.attributesCode.toString(16)} has 0x${context.toString(16)}`);
        assert.ok(shadow.attributes.includes('differential'));
      }
    },
  },
  {
    name: 'the system provider cannot make transportable or plex copies: AddToSnapshotSet refuses (VSS_E_VOLUME_NOT_SUPPORTED with no provider named, _BY_PROVIDER when named)',
    where: both,
    async run(h) {
      for (const context of [0x0 | TRANSPORTABLE, 0x9 | PLEX, 0x19 | TRANSPORTABLE]) {
        const { session } = await initialized(h, fast, context);
        if ((context & 0x10) === 0) await session.gatherWriterMetadata();
        await session.startSnapshotSet();
        await assert.rejects(session.addToSnapshotSet('C:\\'), { code: 'VSS_E_VOLUME_NOT_SUPPORTED', operation: 'AddToSnapshotSet' });
        await assert.rejects(session.addToSnapshotSet('C:\\', SYSTEM_PROVIDER), { code: 'VSS_E_VOLUME_NOT_SUPPORTED_BY_PROVIDER' });
        // The set stays usable: nothing was added, so DoSnapshotSet has nothing to create.
        await assert.rejects(session.doSnapshotSet(), { code: 'VSS_E_BAD_STATE' });
      }
    },
  },
  {
    name: 'a hardware provider makes transportable and plex copies (hardware-assisted; a transportable one is not surfaced here, snapshots/transportable) and refuses client-accessible ones',
    where: both,
    async run(h) {
      for (const context of [0x0 | TRANSPORTABLE, 0x9 | PLEX]) {
        const { session } = await initialized(h, withSan, context);
        const id = await vshadowCreate(session, context, 'S:\\');
        if (context & TRANSPORTABLE) {
          // Described in the saved document for ImportSnapshots, not in this computer's VSS.
          await assert.rejects(session.getSnapshotProperties(id), { code: 'VSS_E_OBJECT_NOT_FOUND' });
          const [described] = h.vss.parseBackupComponentsDocument(await session.saveAsXml()).transportableSet.snapshots;
          assert.equal(described.snapshotId, id);
          assert.equal(described.providerId, hardwareId);
          assert.equal(described.attributesCode & (context | 0x10000), context | 0x10000, 'hardware-assisted');
          continue;
        }
        const shadow = await session.getSnapshotProperties(id);
        assert.equal(shadow.providerId, hardwareId);
        assert.ok(shadow.attributes.includes('hardware-assisted'), shadow.attributes.join());
        assert.equal(shadow.attributesCode & context, context);
      }
      const { session } = await initialized(h, withSan, 0x1d);
      await session.startSnapshotSet();
      await assert.rejects(session.addToSnapshotSet('S:\\'), { code: 'VSS_E_VOLUME_NOT_SUPPORTED' });
      await assert.rejects(session.addToSnapshotSet('S:\\', hardwareId), { code: 'VSS_E_VOLUME_NOT_SUPPORTED_BY_PROVIDER' });
    },
  },
  {
    name: 'no-writer contexts (file-share-backup, nas-rollback, client-accessible) create a set with neither GatherWriterMetadata nor PrepareForBackup, as VShadow -nw does',
    where: both,
    async run(h) {
      const m = await h.machine(fast);
      for (const name of ['file-share-backup', 'nas-rollback', 'client-accessible']) {
        const session = await h.session({ backend: m.backend });
        await session.initializeForBackup();
        await session.setContext(name);
        await session.startSnapshotSet();
        const id = await session.addToSnapshotSet('C:\\');
        await session.doSnapshotSet();
        const shadow = await session.getSnapshotProperties(id);
        assert.ok(shadow.attributes.includes('no-writers'), `${name}: ${shadow.attributes.join()}`);
        await assert.rejects(session.doSnapshotSet(), { code: 'VSS_E_BAD_STATE' }, `${name}: a set is created once`);
      }
      // With writers, PrepareForBackup still comes first.
      const { session } = await initialized(h, fast, 'app-rollback');
      await session.gatherWriterMetadata();
      await session.startSnapshotSet();
      await session.addToSnapshotSet('C:\\');
      await assert.rejects(session.doSnapshotSet(), { code: 'VSS_E_BAD_STATE', operation: 'DoSnapshotSet' });
    },
  },
  {
    name: 'SetBackupState after InitializeForRestore is accepted (VShadow calls it on its restore path), and the restore goes on',
    where: both,
    async run(h) {
      const { session: backup } = await initialized(h, fast);
      await backup.setBackupState({ selectComponents: true, backupType: 'full' });
      await backup.gatherWriterMetadata();
      await backup.startSnapshotSet();
      await backup.addToSnapshotSet('C:\\');
      await backup.prepareForBackup();
      await backup.doSnapshotSet();
      await backup.backupComplete();
      const bcd = await backup.saveAsXml();
      const m = await h.machine(fast);
      const session = await h.session({ backend: m.backend });
      await session.initializeForRestore(bcd);
      await session.setBackupState({ selectComponents: true, bootableSystemState: true, backupType: 'full' });
      await session.gatherWriterMetadata();
      await session.preRestore();
      await session.postRestore();
      await assert.rejects(session.setBackupState({ backupType: 'full' }), { code: 'VSS_E_BAD_STATE', operation: 'SetBackupState' }, 'not once the restore has begun');
    },
  },
];
