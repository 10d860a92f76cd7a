// The XML documents: writer metadata and the Backup Components Document, written in
// the form real VSS writes them and read back (InitializeForBackup/ForRestore,
// scenario writers given as metadataXml) (issue: "Writers' own XML").
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { both, fast, initialized, linux, scenario, writerIds } from '../../helpers.mjs';

// Real documents captured on Windows Server (../shared/reference beside the repository).
const referenceDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', '..', 'shared', 'reference', 'writer-metadata', 'ws2012-diskshadow');

/** The reference folder, or null after saying by name why the case could not run (an error under CI). */
function reference(caseName) {
  if (existsSync(referenceDir)) return referenceDir;
  const message = `${caseName}: could not run, the reference documents are missing (${referenceDir})`;
  if (process.env.CI === 'true') throw new Error(message);
  console.warn(message);
  return null;
}

const namedEntities = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
/**
 * An attribute's value, not its spelling, as an XML reader reads it: a literal line break or
 * tab is a space (attribute-value normalisation, XML 1.0 section 3.3.3; WM4.xml's ASR captions
 * end in a raw CR LF), a character reference is its character.
 */
function decode(value) {
  return value.replace(/\r\n|[\t\n\r]/g, ' ').replace(/&(#x[0-9A-Fa-f]+|#[0-9]+|[a-z]+);/g, (whole, ref) =>
    ref.startsWith('#x') ? String.fromCodePoint(parseInt(ref.slice(2), 16))
    : ref.startsWith('#') ? String.fromCodePoint(Number(ref.slice(1)))
    : namedEntities[ref] ?? whole,
  );
}

/** Elements in document order with their decoded attributes, GUIDs lower-cased, recursive="no" dropped. */
function shape(xml) {
  const out = [];
  for (const [, name, attrs] of xml.matchAll(/<([A-Z_]+)((?:\s+[A-Za-z]+="[^"]*")*)\s*\/?>/g)) {
    const a = {};
    for (const [, k, raw] of attrs.matchAll(/([A-Za-z]+)="([^"]*)"/g)) {
      const v = decode(raw);
      if (k === 'recursive' && v === 'no' && name === 'FILE_LIST') continue;
      a[k] = /^[0-9A-Fa-f]{8}-[0-9A-Fa-f-]{27}$/.test(v) ? v.toLowerCase() : v;
    }
    out.push([name, a]);
  }
  // A writer may declare its restore method after its files (the WMI Writer does);
  // nothing in the API shows that order, so compare with it right after IDENTIFICATION.
  const at = out.findIndex(([name]) => name === 'RESTORE_METHOD');
  if (at > 1) {
    let end = at + 1;
    while (out[end]?.[0] === 'ALTERNATE_LOCATION_MAPPING') end++;
    out.splice(2, 0, ...out.splice(at, end - at));
  }
  return out;
}

export default [
  {
    name: 'the Backup Components Document records the backup state, the set and each writer component as real VSS writes it',
    where: both,
    async run(h) {
      const { session } = await initialized(h, scenario({ base: 'sql-server' }));
      await session.setBackupState({ selectComponents: true, bootableSystemState: false, backupType: 'differential' });
      await session.gatherWriterMetadata();
      const sql = (await session.getWriterMetadata()).find((w) => w.writerId === writerIds.sql);
      const ref = { writerId: sql.writerId, instanceId: sql.instanceId, type: 'file-group', logicalPath: 'SQL01', name: 'model' };
      await session.addComponent(ref);
      await session.setPreviousBackupStamp(ref, 'stamp-previous');
      const setId = await session.startSnapshotSet();
      await session.addToSnapshotSet('E:\\');
      await session.prepareForBackup();
      await session.doSnapshotSet();
      await session.setBackupSucceeded(ref, true);
      await session.backupComplete();
      const xml = await session.saveAsXml();
      assert.match(xml, new RegExp(`^<BACKUP_COMPONENTS xmlns="x-schema:#VssComponentMetadata" version="1.2" bootableSystemStateBackup="no" selectComponents="yes" backupType="differential" partialFileSupport="no" snapshotSetId="${setId}">`));
      assert.match(xml, new RegExp(`<WRITER_COMPONENTS instanceId="${sql.instanceId}" writerId="${writerIds.sql}" backupSchema="0"><COMPONENT logicalPath="SQL01" componentName="model" componentType="filegroup" backupSucceeded="yes" backupStamp="[^"]+" previousBackupStamp="stamp-previous"/></WRITER_COMPONENTS></BACKUP_COMPONENTS>$`));
    },
  },
  {
    name: 'InitializeForBackup from a saved document carries its state and components into the new backup',
    where: both,
    async run(h) {
      const { session: first } = await initialized(h, scenario({ base: 'sql-server' }));
      await first.setBackupState({ selectComponents: true, backupType: 'log' });
      await first.gatherWriterMetadata();
      const sql = (await first.getWriterMetadata()).find((w) => w.writerId === writerIds.sql);
      await first.addComponent({ writerId: sql.writerId, instanceId: sql.instanceId, type: 'file-group', logicalPath: 'SQL01', name: 'msdb' });
      const saved = await first.saveAsXml();
      const m = await h.machine(scenario({ base: 'sql-server' }));
      const second = await h.session({ backend: m.backend });
      await second.initializeForBackup(saved);
      await second.gatherWriterMetadata();
      await second.startSnapshotSet();
      await second.addToSnapshotSet('E:\\');
      await second.prepareForBackup();
      const [writer] = await second.getWriterComponents();
      assert.deepEqual(writer.components.map((c) => c.name), ['msdb']);
      assert.match(await second.saveAsXml(), /backupType="log"/);
    },
  },
  {
    name: 'a document that is not XML, has a DOCTYPE or is not a Backup Components Document is VSS_E_INVALID_XML_DOCUMENT',
    where: both,
    async run(h) {
      const m = await h.machine(fast);
      for (const bad of ['not xml at all', '<BACKUP_COMPONENTS', '<!DOCTYPE x [<!ENTITY a "b">]><BACKUP_COMPONENTS/>', '<WRITER_METADATA/>', '<BACKUP_COMPONENTS><WRITER_COMPONENTS instanceId="nope"/></BACKUP_COMPONENTS>']) {
        const session = await h.session({ backend: m.backend });
        await assert.rejects(session.initializeForRestore(bad), { code: 'VSS_E_INVALID_XML_DOCUMENT', operation: 'InitializeForRestore' }, bad);
        await session.initializeForBackup();
        await session.release();
      }
      const session = await h.session({ backend: m.backend });
      await assert.rejects(session.initializeForBackup('<oops>'), { code: 'VSS_E_INVALID_XML_DOCUMENT', operation: 'InitializeForBackup' });
    },
  },
  {
    name: "a writer given to a scenario as its own metadata XML reports the same metadata and writes the same document back",
    where: both,
    async run(h) {
      const { session } = await initialized(h, scenario({ base: 'sql-server' }));
      await session.gatherWriterMetadata();
      const original = (await session.getWriterMetadata()).find((w) => w.writerId === writerIds.sql);
      // A machine with a copy of that writer under another identity, loaded from XML alone.
      const copyXml = original.xml
        .replaceAll(writerIds.sql, '11111111-2222-4333-8444-555555555555')
        .replaceAll(original.instanceId, '66666666-7777-4888-8999-aaaaaaaaaaaa')
        .replace('friendlyName="SqlServerWriter"', 'friendlyName="SqlServerWriter Copy"');
      const { session: other } = await initialized(h, scenario({ writers: [{ metadataXml: copyXml }] }));
      await other.gatherWriterMetadata();
      const copy = (await other.getWriterMetadata()).find((w) => w.name === 'SqlServerWriter Copy');
      assert.ok(copy, 'the writer from XML is on the machine');
      assert.equal(copy.xml, copyXml);
      const { name, writerId, instanceId, xml, ...rest } = copy;
      const { name: n0, writerId: w0, instanceId: i0, xml: x0, ...expected } = original;
      assert.deepEqual(rest, expected);
      assert.equal(writerId, '11111111-2222-4333-8444-555555555555');
    },
  },
  {
    name: 'writer metadata documents captured from Windows Server load as scenario writers and are written back in the same shape',
    where: linux,
    async run(h) {
      const dir = reference('xml › real writer metadata round trip');
      if (!dir) return;
      for (const file of ['WM0.xml', 'WM1.xml', 'WM2.xml', 'WM4.xml', 'WM5.xml', 'WM6.xml', 'WM7.xml', 'WM8.xml', 'WM9.xml', 'WM10.xml']) {
        const real = readFileSync(join(dir, file), 'utf8');
        const sim = h.vss.createSimulator({ providers: [{ providerId: 'b5946137-7b9f-4925-af80-51abd60b20d5', name: 'Microsoft Software Shadow Copy provider 1.0', type: 'system' }], volumes: [{ name: 'C:\\' }], writers: [{ metadataXml: real }], timing: { timeScale: 0.01 } });
        const [written] = await h.vss.getWriterMetadata({ backend: sim });
        assert.deepEqual(shape(written.xml), shape(real), file);
      }
    },
  },
  {
    name: 'the built-in writers write their metadata in the shape of the real documents for the same writers',
    where: linux,
    async run(h) {
      const dir = reference('xml › built-in writers against the real documents');
      if (!dir) return;
      const ours = await h.vss.getWriterMetadata({ backend: h.vss.createSimulator({ timing: { timeScale: 0.01 } }) });
      // Writers the built-in machine models in full (others are shortened on purpose).
      for (const [file, name] of [['WM0.xml', 'Task Scheduler Writer'], ['WM1.xml', 'VSS Metadata Store Writer'], ['WM10.xml', 'COM+ REGDB Writer'], ['WM8.xml', 'WMI Writer']]) {
        const real = shape(readFileSync(join(dir, file), 'utf8'));
        const mine = shape(ours.find((w) => w.name === name).xml);
        assert.deepEqual(mine, real, `${name} (${file})`);
      }
    },
  },
  {
    name: 'a Backup Components Document captured from Windows Server is accepted by InitializeForRestore',
    where: linux,
    async run(h) {
      const dir = reference('xml › real Backup Components Document');
      if (!dir) return;
      const real = readFileSync(join(dir, 'BCDocument.xml'), 'utf8');
      const m = await h.machine(fast);
      const session = await h.session({ backend: m.backend });
      await session.initializeForRestore(real);
      const writers = await session.getWriterComponents();
      assert.equal(writers.length, 7);
      const system = writers.find((w) => w.writerId === writerIds.system);
      assert.deepEqual(system.components.map((c) => c.name), ['System Files', 'Win32 Services Files']);
      assert.ok(writers.every((w) => w.components.every((c) => c.type === 'file-group')));
    },
  },
];
