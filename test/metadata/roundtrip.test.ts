import { describe, expect, it } from 'vitest';

import {
  BackupSession,
  builtInScenarios,
  createSimulator,
  getWriterMetadata,
  parseBackupComponentsDocument,
  parseWriterMetadata,
  scenarioFromWriterMetadata,
  type WriterMetadata,
} from '../../lib/index.js';

function withoutXml({ xml: _xml, ...rest }: WriterMetadata): Omit<WriterMetadata, 'xml'> {
  return rest;
}

// A writer that uses every field of the metadata, with the characters XML must escape.
const TRICKY_WRITER = {
  name: 'Tricky <Writer> & "Co" \'x\'',
  writerId: '11111111-2222-3333-4444-555555555555',
  instanceId: '66666666-7777-8888-9999-aaaaaaaaaaaa',
  instanceName: 'Inst\tName\nline2\r\nline3 ünïcödé 😀',
  usage: 'user-data',
  source: 'transacted-db',
  backupSchema: 881,
  version: '3.7',
  restoreMethod: { method: 'stop-restore-start', service: 'MSSQL$X', userProcedure: '  Call   Bob  ', writerRestore: 'if-replace-fails', rebootRequired: true },
  components: [
    {
      name: 'db1',
      logicalPath: 'Srv\\Inst',
      caption: 'Line1\nLine2\tTabbed  two spaces',
      type: 'database',
      selectable: true,
      selectableForRestore: true,
      restoreMetadata: true,
      notifyOnBackupComplete: true,
      flags: 7,
      databaseFiles: [{ path: 'E:\\Data', filespec: 'db1.mdf', backupTypeMask: 1 }],
      logFiles: [{ path: 'E:\\Logs', filespec: 'db1.ldf', recursive: true, alternatePath: 'F:\\Alt' }],
      dependencies: [
        { writerId: 'E8132975-6F93-4464-A53E-1050253AE220', componentName: 'System Files' },
        { writerId: 'afbab4a2-367d-4d15-a586-71dbb18f8485', logicalPath: 'a\\b', componentName: 'Registry' },
      ],
    },
    { name: 'fg', files: [{ path: '%ProgramData%\\X', filespec: '*.*', recursive: true }], selectable: false },
    { name: 'empty group', logicalPath: 'x', caption: 'no files' },
  ],
  includeFiles: [{ path: 'C:\\Inc', filespec: '*.inc' }],
  excludeFiles: [{ path: 'C:\\Tmp', filespec: '*.tmp', recursive: true }],
  excludeFromSnapshot: [{ path: 'C:\\Cache', filespec: '*' }],
  alternateLocationMappings: [{ path: 'E:\\Data', filespec: '*.mdf', recursive: false, alternatePath: 'G:\\Restore' }],
};

describe('metadata gathered through the API and parsed from its XML agree', () => {
  it.each(builtInScenarios().filter((s) => s !== 'empty'))('every writer of the built-in scenario %s', async (scenario) => {
    const gathered = await getWriterMetadata({ backend: createSimulator(scenario) });
    expect(gathered.length).toBeGreaterThan(0);
    for (const metadata of gathered) {
      expect(metadata.xml.startsWith('<WRITER_METADATA xmlns="x-schema:#VssWriterMetadataInfo"'), metadata.name).toBe(true);
      const parsed = parseWriterMetadata(metadata.xml);
      expect(withoutXml(parsed), metadata.name).toEqual(withoutXml(metadata));
      expect(parsed.xml).toBe(metadata.xml);
    }
  });

  it('a writer using every field, with characters XML escapes and line breaks in attribute values', async () => {
    const sim = createSimulator({ writers: [TRICKY_WRITER] });
    const [metadata] = await getWriterMetadata({ backend: sim, writers: [TRICKY_WRITER.writerId] });
    expect(metadata!.components[0]!.caption).toBe('Line1\nLine2\tTabbed  two spaces');
    expect(metadata!.instanceName).toBe(TRICKY_WRITER.instanceName);
    expect(withoutXml(parseWriterMetadata(metadata!.xml))).toEqual(withoutXml(metadata!));
  });

  it('and back again: a scenario built from the parsed metadata gives the same metadata', async () => {
    const [original] = await getWriterMetadata({ backend: createSimulator({ writers: [TRICKY_WRITER] }), writers: [TRICKY_WRITER.writerId] });
    const replay = createSimulator(scenarioFromWriterMetadata([original!.xml]));
    const replayed = await getWriterMetadata({ backend: replay });
    expect(replayed.map(withoutXml)).toEqual([withoutXml(original!)]);
    expect(replayed[0]!.xml).toBe(original!.xml);
  });

  it('scenarioFromWriterMetadata with a base keeps its other writers and replaces the one with the same class id', async () => {
    const xml = (await getWriterMetadata({ backend: createSimulator({ writers: [TRICKY_WRITER] }), writers: [TRICKY_WRITER.writerId] }))[0]!.xml;
    const baseWriters = await getWriterMetadata({ backend: createSimulator('windows-server-2022') });
    const registry = baseWriters.find((w) => w.name === 'Registry Writer')!;
    const changed = xml.replace(TRICKY_WRITER.writerId, registry.writerId).replace(TRICKY_WRITER.instanceId, registry.instanceId);
    const sim = createSimulator(scenarioFromWriterMetadata([changed], { base: 'windows-server-2022' }));
    const writers = await getWriterMetadata({ backend: sim });
    expect(writers.map((w) => w.writerId)).toEqual(baseWriters.map((w) => w.writerId));
    const replaced = writers.find((w) => w.writerId === registry.writerId)!;
    expect(replaced.name).toBe(TRICKY_WRITER.name);
    expect(replaced.components.map((c) => c.name)).toEqual(['db1', 'fg', 'empty group']);
  });

  it('scenarioFromWriterMetadata takes the output of `vss metadata --xml`: several documents in one text', async () => {
    const gathered = await getWriterMetadata({ backend: createSimulator('sql-server') });
    const printed = '<?xml version="1.0"?>\n' + gathered.map((m) => m.xml).join('\n') + '\n';
    const scenario = scenarioFromWriterMetadata([printed]);
    expect(scenario).toEqual(scenarioFromWriterMetadata(gathered.map((m) => m.xml)));
    const replayed = await getWriterMetadata({ backend: createSimulator(scenario) });
    expect(replayed.map(withoutXml)).toEqual(gathered.map(withoutXml));
    // Junk between two documents is not skipped silently.
    expect(() => scenarioFromWriterMetadata([gathered[0]!.xml + 'junk' + gathered[1]!.xml])).toThrow(expect.objectContaining({ code: 'ERR_VSS_XML_MALFORMED' }));
  });

  it('scenarioFromWriterMetadata refuses what is not an array, and a document that is not writer metadata', () => {
    expect(() => scenarioFromWriterMetadata('<WRITER_METADATA/>' as unknown as string[])).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARG_TYPE' }));
    expect(() => scenarioFromWriterMetadata(['<html/>'])).toThrow(expect.objectContaining({ code: 'ERR_VSS_XML_NOT_WRITER_METADATA' }));
  });
});

describe('the Backup Components Document of a simulated backup', () => {
  it('parses into the components, stamps and options GetWriterComponents reports', async () => {
    const sim = createSimulator('sql-server');
    const session = await BackupSession.create({ backend: sim });
    try {
      await session.initializeForBackup();
      await session.setBackupState({ selectComponents: true, bootableSystemState: false, backupType: 'incremental' });
      await session.gatherWriterMetadata();
      const metadata = await session.getWriterMetadata();
      const sql = metadata.find((m) => m.name === 'SqlServerWriter')!;
      const databases = sql.components.filter((c) => c.selectable).slice(0, 2);
      expect(databases.length).toBe(2);
      for (const c of databases) {
        const ref = { writerId: sql.writerId, instanceId: sql.instanceId, type: c.type as 'database' | 'file-group', logicalPath: c.logicalPath, name: c.name };
        await session.addComponent(ref);
        await session.setBackupOptions(ref, `<options for="${c.name}" & more/>`);
        await session.setPreviousBackupStamp(ref, 'stamp-1');
      }
      const snapshotSetId = await session.startSnapshotSet();
      await session.addToSnapshotSet('C:\\');
      await session.prepareForBackup();
      await session.doSnapshotSet();
      for (const c of databases)
        await session.setBackupSucceeded({ writerId: sql.writerId, instanceId: sql.instanceId, type: c.type as 'database', logicalPath: c.logicalPath, name: c.name }, true);
      await session.backupComplete();

      const bcd = parseBackupComponentsDocument(await session.saveAsXml());
      expect(bcd).toMatchObject({ snapshotSetId, selectComponents: true, bootableSystemState: false, backupType: 'incremental', backupTypeCode: 2 });
      expect(bcd.unrecognized).toBeUndefined();
      const reported = await session.getWriterComponents();
      expect(bcd.writers.map((w) => [w.writerId, w.instanceId])).toEqual(reported.map((w) => [w.writerId, w.instanceId]));
      const sqlInDocument = bcd.writers.find((w) => w.writerId === sql.writerId)!;
      expect(sqlInDocument.components.map((c) => c.name)).toEqual(databases.map((c) => c.name));
      for (const w of reported) {
        const inDocument = bcd.writers.find((d) => d.instanceId === w.instanceId)!;
        expect(inDocument.components.length).toBe(w.components.length);
        w.components.forEach((c, i) => {
          const d = inDocument.components[i]!;
          expect({ ...d, backupSucceeded: d.backupSucceeded ?? false }).toMatchObject({
            name: c.name,
            logicalPath: c.logicalPath,
            type: c.type,
            backupSucceeded: c.backupSucceeded,
            backupStamp: c.backupStamp,
            previousBackupStamp: c.previousBackupStamp,
            backupOptions: c.backupOptions,
            selectedForRestore: c.selectedForRestore,
          });
        });
      }
      expect(sqlInDocument.components[0]).toMatchObject({ backupSucceeded: true, previousBackupStamp: 'stamp-1', backupOptions: `<options for="${databases[0]!.name}" & more/>` });
    } finally {
      await session.release();
    }
  });
});
