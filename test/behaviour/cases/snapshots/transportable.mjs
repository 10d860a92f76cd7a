// Transportable shadow copy sets and IVssBackupComponents::ImportSnapshots (issue 10, "Hardware and
// transportable sets"). "Importing Transportable Shadow Copied Volumes": the requester ORs
// VSS_VOLSNAP_ATTR_TRANSPORTABLE into its context, a hardware provider makes the set, the set is not
// surfaced where it was made (diskshadow's import page: "not in the system yet"; VShadow's create.cpp
// does not query it), and the Backup Components Document saved then describes it. Another requester
// imports it as vshadow -i does: InitializeForBackup(document), SetContext(VSS_CTX_ALL),
// SetBackupState, ImportSnapshots. In the simulator the storage array is the document: any machine
// with the provider that made the set can import it (see README, "Transportable sets").
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { HARDWARE_PROVIDER, VSS_CTX_ALL, both, fast, linux, manager, scenario, withSanVolume } from '../../helpers.mjs';

const TRANSPORTABLE = 0x20;
const VSS_CTX_BACKUP = 0;

/** A transportable set of S: made with the session calls; returns its ids and saved document. */
async function transportableSet(h, m, context = VSS_CTX_BACKUP | TRANSPORTABLE) {
  const session = await manager(h, m, context);
  await session.setBackupState({ selectComponents: false, backupType: 'full' });
  await session.gatherWriterMetadata();
  const setId = await session.startSnapshotSet();
  const snapshotId = await session.addToSnapshotSet('S:\\');
  await session.prepareForBackup();
  await session.doSnapshotSet();
  // Not surfaced here: VSS does not know the copy on this computer.
  await assert.rejects(session.getSnapshotProperties(snapshotId), { code: 'VSS_E_OBJECT_NOT_FOUND' });
  await session.backupComplete();
  const document = await session.saveAsXml();
  await session.release();
  return { setId, snapshotId, document };
}

/** The importing requester, as vshadow -i: InitializeForBackup(document), SetContext(VSS_CTX_ALL), SetBackupState, ImportSnapshots. */
async function importer(h, m, document) {
  const session = await h.session({ backend: m.backend });
  await session.initializeForBackup(document);
  await session.setContext(VSS_CTX_ALL);
  await session.setBackupState({ selectComponents: true, backupType: 'full' });
  return session;
}

export default [
  {
    name: 'a transportable set (VSS_CTX_BACKUP | TRANSPORTABLE) is not surfaced where it was made; its document describes it, and ImportSnapshots brings it in (imported, auto-release with the importer)',
    where: both,
    async run(h) {
      const m = await h.machine(withSanVolume);
      const { setId, snapshotId, document } = await transportableSet(h, m);
      const admin = await manager(h, m, VSS_CTX_ALL);
      assert.deepEqual(await admin.querySnapshots(), [], 'nothing on this computer before the import');
      const described = h.vss.parseBackupComponentsDocument(document).transportableSet;
      assert.equal(described?.snapshotSetId, setId);
      assert.equal(described.contextCode, VSS_CTX_BACKUP | TRANSPORTABLE);
      assert.deepEqual(
        described.snapshots.map((s) => [s.snapshotId, s.providerId]),
        [[snapshotId, HARDWARE_PROVIDER]],
      );

      const session = await importer(h, m, document);
      const events = [];
      await session.importSnapshots({ onProgress: (e) => events.push(e.operation) });
      assert.ok(events.every((o) => o === 'ImportSnapshots'));
      const [copy, ...rest] = await admin.querySnapshots();
      assert.equal(rest.length, 0);
      assert.equal(copy.snapshotId, snapshotId);
      assert.equal(copy.setId, setId);
      assert.equal(copy.providerId, HARDWARE_PROVIDER);
      for (const a of ['imported', 'transportable', 'hardware-assisted']) assert.ok(copy.attributes.includes(a), `${a} in ${copy.attributes}`);
      assert.ok(!copy.attributes.includes('persistent'));
      // One import per session, and the same set cannot come in twice.
      await assert.rejects(session.importSnapshots(), { code: 'VSS_E_BAD_STATE', operation: 'ImportSnapshots' });
      const again = await importer(h, m, document);
      await assert.rejects(again.importSnapshots(), { code: 'VSS_E_OBJECT_ALREADY_EXISTS', operation: 'ImportSnapshots' });
      await again.release();
      // An auto-release set made in VSS_CTX_BACKUP goes with the requester that imported it.
      await session.release();
      assert.deepEqual(await admin.querySnapshots(), []);
    },
  },
  {
    name: 'ImportSnapshots refuses a document without a transportable set (VSS_E_NONTRANSPORTABLE_BCD), a session not initialized for backup (VSS_E_BAD_STATE); text that is no document fails InitializeForBackup',
    where: both,
    async run(h) {
      const m = await h.machine(withSanVolume);
      const plain = await h.vss.createSnapshotSet(['S:\\'], { backend: m.backend, writers: 'none' });
      const { document } = await plain.complete({ succeeded: true });
      assert.equal(h.vss.parseBackupComponentsDocument(document).transportableSet, null);
      const session = await importer(h, m, document);
      await assert.rejects(session.importSnapshots(), { code: 'VSS_E_NONTRANSPORTABLE_BCD', operation: 'ImportSnapshots' });
      await session.release();
      await assert.rejects(h.vss.importShadowCopySet(document, { backend: m.backend }), { code: 'VSS_E_NONTRANSPORTABLE_BCD' });
      const fresh = await h.session({ backend: m.backend });
      await assert.rejects(fresh.importSnapshots(), { code: 'VSS_E_BAD_STATE' }, 'before InitializeForBackup');
      await fresh.release();
      const { document: transported } = await transportableSet(h, m);
      const restoring = await h.session({ backend: m.backend });
      await restoring.initializeForRestore(transported);
      await assert.rejects(restoring.importSnapshots(), { code: 'VSS_E_BAD_STATE' }, 'in a restore');
      await restoring.release();
      await assert.rejects(h.vss.importShadowCopySet('<notes>not a document</notes>', { backend: m.backend }), {
        code: 'VSS_E_INVALID_XML_DOCUMENT',
        operation: 'InitializeForBackup',
      });
      await assert.rejects(h.vss.importShadowCopySet(Buffer.from(transported), { backend: m.backend }), { code: 'ERR_INVALID_ARG_TYPE' });
      // The system provider makes no transportable copy: the volume is refused at AddToSnapshotSet.
      await assert.rejects(h.vss.createSnapshotSet(['C:\\'], { backend: m.backend, writers: 'none', transportable: true }), {
        code: 'VSS_E_VOLUME_NOT_SUPPORTED',
        operation: 'AddToSnapshotSet',
      });
      assert.deepEqual(await (await manager(h, m, VSS_CTX_ALL)).querySnapshots(), [], 'nothing left behind');
    },
  },
  {
    name: 'a persistent transportable set made with createSnapshotSet in one process is imported by importShadowCopySet in the next and stays after that requester ends',
    where: both,
    async run(h) {
      const m = await h.machine(withSanVolume, { stateFile: true });
      const made = await m.inNewProcess(`
        const set = await vss.createSnapshotSet(['S:\\\\'], { backend, persistent: true, writers: 'none', transportable: true });
        const report = await set.complete({ succeeded: true });
        return { setId: set.setId, count: set.snapshots.length, document: report.document };
      `);
      assert.equal(made.count, 0, 'set.snapshots is empty: nothing surfaced here');
      assert.deepEqual(await h.vss.listShadowCopies({ backend: m.backend }), []);
      const imported = await m.inNewProcess(`
        const set = await vss.importShadowCopySet(${JSON.stringify(made.document)}, { backend });
        await set.release();
        return { setId: set.setId, persistent: set.persistent, ids: set.snapshots.map((s) => s.snapshotId) };
      `);
      assert.equal(imported.setId, made.setId);
      assert.equal(imported.persistent, true);
      const copies = await h.vss.listShadowCopies({ backend: m.backend });
      assert.deepEqual(copies.map((c) => c.snapshotId), imported.ids);
      assert.ok(copies[0].attributes.includes('imported') && copies[0].attributes.includes('persistent'));
      await h.vss.deleteShadowCopies({ setId: made.setId }, { backend: m.backend });
    },
  },
  {
    name: 'another computer with the same hardware provider imports the set; a computer without it cannot (VSS_E_NO_SNAPSHOTS_IMPORTED)',
    where: linux,
    async run(h) {
      const here = await h.machine(withSanVolume);
      const { snapshotId, document } = await transportableSet(h, here, 0x9 | TRANSPORTABLE); // VSS_CTX_APP_ROLLBACK | TRANSPORTABLE
      const backupServer = await h.machine(scenario({ base: 'windows-server-2022', providers: [{ providerId: HARDWARE_PROVIDER, name: 'Contoso SAN Provider', type: 'hardware' }] }));
      const set = await h.vss.importShadowCopySet(document, { backend: backupServer.backend });
      assert.deepEqual(set.snapshots.map((s) => s.snapshotId), [snapshotId]);
      assert.equal(set.persistent, true);
      // The original volume is the other computer's: the copy names it as the description does.
      const { originalVolume } = h.vss.parseBackupComponentsDocument(document).transportableSet.snapshots[0];
      assert.equal(set.snapshots[0].originalVolume, originalVolume);
      await set.release();
      assert.equal((await h.vss.listShadowCopies({ backend: backupServer.backend })).length, 1, 'persistent: stays');
      assert.deepEqual(await h.vss.listShadowCopies({ backend: here.backend }), [], 'never surfaced where it was made');
      const noSan = await h.machine(fast);
      await assert.rejects(h.vss.importShadowCopySet(document, { backend: noSan.backend }), { code: 'VSS_E_NO_SNAPSHOTS_IMPORTED', operation: 'ImportSnapshots' });
    },
  },
  {
    name: "a hardware provider copies a volume only if it supports every LUN under it (AreLunsSupported, all or nothing: VSS_E_VOLUME_NOT_SUPPORTED_BY_PROVIDER); two volumes on one LUN go in one set and are imported together",
    where: both,
    async run(h) {
      const san = { providerId: HARDWARE_PROVIDER, name: 'Contoso SAN Provider', type: 'hardware', luns: ['lun-1', 'lun-2'] };
      const m = await h.machine(
        scenario({
          base: 'windows-server-2022',
          providers: [san],
          volumes: [
            { name: 'S:\\', providers: [HARDWARE_PROVIDER], luns: ['lun-1'] },
            { name: 'U:\\', providers: [HARDWARE_PROVIDER], luns: ['lun-1'] },
            // Spanned over lun-2 and a LUN of another array.
            { name: 'T:\\', providers: [HARDWARE_PROVIDER], luns: ['lun-2', 'other-array-7'] },
          ],
        }),
      );
      const session = await manager(h, m, VSS_CTX_BACKUP | TRANSPORTABLE);
      await session.gatherWriterMetadata();
      await session.startSnapshotSet();
      await assert.rejects(session.addToSnapshotSet('T:\\', HARDWARE_PROVIDER), { code: 'VSS_E_VOLUME_NOT_SUPPORTED_BY_PROVIDER' });
      await assert.rejects(session.addToSnapshotSet('T:\\'), { code: 'VSS_E_VOLUME_NOT_SUPPORTED' }, 'no provider can');
      const ids = [await session.addToSnapshotSet('S:\\'), await session.addToSnapshotSet('U:\\', HARDWARE_PROVIDER)];
      await session.prepareForBackup();
      await session.doSnapshotSet();
      await session.backupComplete();
      const document = await session.saveAsXml();
      await session.release();
      const set = await h.vss.importShadowCopySet(document, { backend: m.backend });
      assert.deepEqual(set.snapshots.map((s) => s.snapshotId).sort(), [...ids].sort());
      assert.ok(set.snapshots.every((s) => s.snapshotsCount === 2));
      await set.release();
    },
  },
  {
    name: 'vss create --transportable --save-document F, then vss import F (--json); --transportable without --save-document is a usage error',
    where: both,
    async run(h) {
      const m = await h.machine(withSanVolume, { stateFile: true });
      const dir = await mkdtemp(join(tmpdir(), 'vss-transport-'));
      try {
        const file = join(dir, 'transport.xml');
        const usage = await m.cli(['create', '--transportable', '--no-writers', 'S:\\']);
        assert.equal(usage.code, 2, usage.stderr);
        assert.match(usage.stderr, /--save-document/);
        const created = await m.cli(['create', '--transportable', '--persistent', '--no-writers', '--save-document', file, '--json', 'S:\\']);
        assert.equal(created.code, 0, created.stderr);
        const made = JSON.parse(created.stdout);
        assert.equal(made.transportable, true);
        assert.deepEqual(made.snapshots, []);
        assert.equal(h.vss.parseBackupComponentsDocument(await readFile(file, 'utf8')).transportableSet?.snapshotSetId, made.setId);
        const imported = await m.cli(['import', file, '--json']);
        assert.equal(imported.code, 0, imported.stderr);
        const result = JSON.parse(imported.stdout);
        assert.equal(result.setId, made.setId);
        assert.equal(result.persistent, true);
        assert.equal(result.snapshots.length, 1);
        assert.ok(result.snapshots[0].attributes.includes('imported'));
        const twice = await m.cli(['import', file]);
        assert.equal(twice.code, 1, 'a VSS failure');
        assert.match(twice.stderr, /VSS_E_OBJECT_ALREADY_EXISTS/);
        const notDocument = join(dir, 'notes.txt');
        await writeFile(notDocument, 'hello');
        const refused = await m.cli(['import', notDocument, '--json']);
        assert.equal(refused.code, 1);
        assert.equal(JSON.parse(refused.stderr).error.code, 'VSS_E_INVALID_XML_DOCUMENT');
        const missing = await m.cli(['import', join(dir, 'missing.xml')]);
        assert.equal(missing.code, 2, 'an unreadable file is a usage error');
        await h.vss.deleteShadowCopies({ setId: made.setId }, { backend: m.backend });
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  },
];
