import { describe, expect, it } from 'vitest';

import {
  createSimulator,
  createSnapshotSet,
  getWriterMetadata,
  listWriters,
  parseBackupComponentsDocument,
  parseWriterMetadata,
  scenarioFromWriterMetadata,
  type WriterMetadata,
} from '../../lib/index.js';
import { BCD_FILE, CORPUS_DIR, WM_FILES, corpusPresent, corpusRequired, readCorpus } from './corpus.js';

const SYSTEM_WRITER_ID = 'e8132975-6f93-4464-a53e-1050253ae220';

if (!corpusPresent && corpusRequired) {
  it(`the writer metadata corpus is present at ${CORPUS_DIR} (required when CI=true)`, () => {
    expect.fail(`${CORPUS_DIR} is missing or incomplete (${[...WM_FILES, BCD_FILE].join(', ')})`);
  });
}

/** Occurrences of a start tag in the raw text: an independent count to check the parser against. */
function count(xml: string, tag: string): number {
  return xml.match(new RegExp(`<${tag}[\\s/>]`, 'g'))?.length ?? 0;
}

function withoutXml({ xml: _xml, ...rest }: WriterMetadata): Omit<WriterMetadata, 'xml'> {
  return rest;
}

describe.skipIf(!corpusPresent)('real writer metadata from Windows Server 2012 (../shared/reference; NOT RUN when absent)', () => {
  const docs = corpusPresent ? WM_FILES.map((f) => ({ file: f, xml: readCorpus(f) })) : [];
  const parsed = new Map(docs.map((d) => [d.file, parseWriterMetadata(d.xml)]));
  const byName = (name: string) => [...parsed.values()].find((m) => m.name === name)!;

  it('reads all 11 documents, each writer by its friendly name, with nothing left unrecognised', () => {
    expect([...parsed.values()].map((m) => m.name)).toEqual([
      'Task Scheduler Writer',
      'VSS Metadata Store Writer',
      'Performance Counters Writer',
      'System Writer',
      'ASR Writer',
      'SqlServerWriter',
      'Shadow Copy Optimization Writer',
      'BITS Writer',
      'WMI Writer',
      'Registry Writer',
      'COM+ REGDB Writer',
    ]);
    for (const [file, m] of parsed) {
      expect(m.unrecognized, file).toBeUndefined();
      expect(m.writerId, file).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(m.instanceId, file).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(m.xml, file).toBe(docs.find((d) => d.file === file)!.xml);
    }
  });

  it('finds every component, file list, exclusion and dependency the raw text has', () => {
    for (const { file, xml } of docs) {
      const m = parsed.get(file)!;
      expect(m.components.length, file).toBe(count(xml, 'FILE_GROUP') + count(xml, 'DATABASE'));
      expect(m.components.reduce((n, c) => n + c.files.length, 0), file).toBe(count(xml, 'FILE_LIST'));
      expect(m.components.reduce((n, c) => n + c.databaseFiles.length, 0), file).toBe(count(xml, 'DATABASE_FILES'));
      expect(m.components.reduce((n, c) => n + c.logFiles.length, 0), file).toBe(count(xml, 'DATABASE_LOGFILES'));
      expect(m.components.reduce((n, c) => n + c.dependencies.length, 0), file).toBe(count(xml, 'DEPENDENCY'));
      expect(m.excludeFiles.length, file).toBe(count(xml, 'EXCLUDE_FILES'));
      expect(m.excludeFromSnapshot.length, file).toBe(count(xml, 'EXCLUDE_FILES_FROM_SNAPSHOT'));
      expect(m.restoreMethod === null, file).toBe(count(xml, 'RESTORE_METHOD') === 0);
    }
  });

  it('gives GUIDs lowercase even where the document writes them in capitals (Task Scheduler Writer)', () => {
    const m = parsed.get('WM0.xml')!;
    expect(m.xml).toContain('writerId="D61D61C8-D73A-4EEE-8CDD-F6F9786B7124"');
    expect(m.writerId).toBe('d61d61c8-d73a-4eee-8cdd-f6f9786b7124');
    expect(m.instanceId).toBe('1bddd48e-5052-49db-9b07-b96f96727e6b');
    expect(m.components[0]).toMatchObject({ name: 'TasksStore', caption: 'Tasks Store', selectable: false, type: 'file-group', typeCode: 2 });
    expect(m.components[0]!.files).toEqual([
      { path: '%WinDir%\\System32\\Tasks', filespec: '*', recursive: true, alternatePath: null, backupTypeMask: 3855 },
      { path: '%WinDir%\\Tasks', filespec: '*', recursive: true, alternatePath: null, backupTypeMask: 3855 },
    ]);
  });

  it("reads the System Writer's ~19,000 files", () => {
    const m = byName('System Writer');
    expect(m.writerId).toBe(SYSTEM_WRITER_ID);
    expect(m.instanceId).toBe('ce678d65-95d0-4bea-a43d-2a288bc94500');
    expect(m).toMatchObject({ usage: 'bootable-system-state', usageCode: 1, source: 'other', sourceCode: 3, version: { major: 0, minor: 0 } });
    expect(m.restoreMethod).toEqual({
      method: 'restore-at-reboot-if-cannot-replace',
      methodCode: 6,
      service: '',
      userProcedure: '',
      writerRestore: 'never',
      writerRestoreCode: 1,
      rebootRequired: true,
    });
    expect(m.components.map((c) => c.name)).toEqual(['System Files', 'Win32 Services Files']);
    const files = m.components.flatMap((c) => c.files);
    expect(files.length).toBeGreaterThan(18_000);
    expect(files.length).toBe(count(m.xml, 'FILE_LIST'));
    expect(files[0]).toEqual({
      path: 'C:\\Windows\\system32\\CatRoot\\{127D0A1D-4EF2-11D1-8608-00C04FC295EE}',
      filespec: '*',
      recursive: true,
      alternatePath: null,
      backupTypeMask: 3855,
    });
    expect(m.components[1]!.files.at(-1)).toEqual({
      path: 'c:\\program files\\microsoft sql server\\140\\dts\\binn',
      filespec: 'sqlceip.exe',
      recursive: false,
      alternatePath: null,
      backupTypeMask: 3855,
    });
    expect(files.filter((f) => f.filespec === 'ntoskrnl.exe').length).toBeGreaterThan(0);
  });

  it("reads the SqlServerWriter's instance name, backup schema and database components", () => {
    const m = byName('SqlServerWriter');
    expect(m).toMatchObject({
      writerId: 'a65faa63-5ea8-4ebc-9dbd-a0c4db26912a',
      instanceName: 'Microsoft SQL Server 2017:SQLWriter',
      backupSchema: 881,
      usage: 'user-data',
      source: 'transacted-db',
      sourceCode: 1,
    });
    expect(m.restoreMethod).toMatchObject({ method: 'restore-if-can-replace', writerRestore: 'always', writerRestoreCode: 3, rebootRequired: false });
    expect(m.components.map((c) => c.name)).toEqual(['master', 'model', 'msdb', 'SecondServerDb', 'NonNimbleDatabase', 'local1']);
    for (const c of m.components) {
      expect(c).toMatchObject({ logicalPath: 'WIN2012-SQL17-2', caption: '', flags: 2, flagNames: ['app-rollback-recovery'], notifyOnBackupComplete: true, selectable: true, selectableForRestore: true });
      expect(c.files).toHaveLength(2);
    }
    expect(m.components[0]!.files.map((f) => `${f.path}\\${f.filespec}`)).toEqual([
      'E:\\MSSQL14.MSSQLSERVER\\MSSQL\\DATA\\master.mdf',
      'E:\\MSSQL14.MSSQLSERVER\\MSSQL\\DATA\\mastlog.ldf',
    ]);
    expect(m.components[5]!.files[0]!.path).toBe('C:\\SQL_LOCAL_DBS\\MSSQL14.MSSQLSERVER\\MSSQL\\DATA');
  });

  it("reads the Registry Writer's hives and the exclusions of their logs", () => {
    const m = byName('Registry Writer');
    expect(m.components).toHaveLength(1);
    expect(m.components[0]!.files.map((f) => f.filespec)).toEqual(['default', 'SAM', 'SECURITY', 'software', 'system', 'schema.dat', 'COMPONENTS', 'DRIVERS', 'BBI']);
    expect(m.components[0]!.files.every((f) => !f.recursive && f.backupTypeMask === 3855)).toBe(true);
    expect(m.excludeFiles.map((f) => f.filespec)).toEqual(['default.LOG', 'SECURITY.LOG', 'software.LOG', 'system.LOG', 'COMPONENTS.LOG']);
    expect(m.excludeFiles[0]).toEqual({ path: 'C:\\Windows\\system32\\config', filespec: 'default.LOG', recursive: false, alternatePath: null, backupTypeMask: 3855 });
  });

  it('reads the ASR Writer: logical paths, and captions whose line breaks XML turns into spaces', () => {
    const m = byName('ASR Writer');
    expect(m.components.map((c) => `${c.logicalPath}\\${c.name}`)).toContain('Disks\\harddisk0');
    expect(m.components.find((c) => c.name === 'harddisk2')).toMatchObject({ selectable: true, selectableForRestore: true, caption: 'Select to include disk #2 (raw disk) for ASR restore.' });
    expect(m.components.find((c) => c.name === 'Volume{c7463abb-f40d-11e9-80c7-806e6f6e6963}')!.caption).toBe(
      'Select this volume (C:) if it is a critical volume. Critical volumes are those which ASR must restore. ',
    );
    expect(m.components.find((c) => c.name === 'BCD')!.files).toEqual([
      { path: '\\\\?\\Volume{c7463aba-f40d-11e9-80c7-806e6f6e6963}\\Boot', filespec: '*.*', recursive: true, alternatePath: null, backupTypeMask: 3855 },
    ]);
    expect(m.restoreMethod).toMatchObject({ method: 'restore-if-can-replace', rebootRequired: true });
  });

  it('reads writers with exclusions only, and a RESTORE_METHOD written after BACKUP_LOCATIONS (WMI Writer)', () => {
    const optimization = byName('Shadow Copy Optimization Writer');
    expect(optimization.restoreMethod).toBeNull();
    expect(optimization.components).toEqual([]);
    expect(optimization.excludeFromSnapshot).toHaveLength(17);
    expect(optimization.excludeFromSnapshot[4]).toEqual({ path: '\\System Volume Information\\Heat', filespec: '*.*', recursive: true, alternatePath: null, backupTypeMask: 3855 });
    const bits = byName('BITS Writer');
    expect(bits).toMatchObject({ usage: 'system-service', restoreMethod: null });
    expect(bits.excludeFiles.map((f) => f.filespec)).toEqual(['bits.log', 'bits.bak', '*']);
    expect(byName('WMI Writer').restoreMethod).toMatchObject({ method: 'restore-at-reboot', methodCode: 5, rebootRequired: true });
  });

  it('reads the same document from UTF-16 bytes with a byte-order mark and from UTF-8 bytes', () => {
    const xml = docs.find((d) => d.file === 'WM9.xml')!.xml;
    const utf16 = new Uint8Array(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(xml, 'utf16le')]));
    expect(withoutXml(parseWriterMetadata(utf16))).toEqual(withoutXml(parsed.get('WM9.xml')!));
    expect(withoutXml(parseWriterMetadata(new Uint8Array(Buffer.from(xml, 'utf8'))))).toEqual(withoutXml(parsed.get('WM9.xml')!));
  });

  it('reads the Backup Components Document, whose writers are the ones the metadata documents describe', () => {
    const bcd = parseBackupComponentsDocument(readCorpus(BCD_FILE));
    expect(bcd).toMatchObject({
      snapshotSetId: 'e109943b-232e-4b52-8dc4-62b7de94761b',
      bootableSystemState: true,
      selectComponents: true,
      backupType: 'full',
      backupTypeCode: 1,
      partialFileSupport: false,
    });
    expect(bcd.unrecognized).toBeUndefined();
    expect(bcd.writers).toHaveLength(7);
    const system = bcd.writers.find((w) => w.writerId === SYSTEM_WRITER_ID)!;
    expect(system.instanceId).toBe('ce678d65-95d0-4bea-a43d-2a288bc94500');
    expect(system.components.map((c) => [c.name, c.type, c.logicalPath, c.backupSucceeded])).toEqual([
      ['System Files', 'file-group', '', null],
      ['Win32 Services Files', 'file-group', '', null],
    ]);
    for (const w of bcd.writers) {
      const m = [...parsed.values()].find((p) => p.writerId === w.writerId);
      expect(m, w.writerId).toBeDefined();
      expect(w.instanceId).toBe(m!.instanceId);
      for (const c of w.components) expect(m!.components.map((mc) => mc.name), m!.name).toContain(c.name);
    }
  });

  it('replays the 11 writers in the simulator: listWriters and getWriterMetadata give them back whole', async () => {
    const scenario = scenarioFromWriterMetadata(docs.map((d) => d.xml), { machineName: 'WIN2012-SQL17-2' });
    const sim = createSimulator({ ...scenario, timing: { timeScale: 0 } });
    const listed = await listWriters({ backend: sim });
    expect(listed.map((w) => [w.name, w.writerId, w.instanceId, w.state])).toEqual(
      [...parsed.values()].map((m) => [m.name, m.writerId, m.instanceId, 'stable']),
    );
    const gathered = await getWriterMetadata({ backend: sim });
    expect(gathered.map(withoutXml)).toEqual([...parsed.values()].map(withoutXml));
    // The replayed machine backs up: its volumes came from the writers' file paths.
    expect((sim.describe().volumes as { name: string }[]).map((v) => v.name)).toEqual(
      expect.arrayContaining(['C:\\', 'E:\\', 'F:\\', '\\\\?\\Volume{c7463aba-f40d-11e9-80c7-806e6f6e6963}\\']),
    );
    const set = await createSnapshotSet(['C:\\', 'E:\\'], { backend: sim });
    expect(set.snapshots).toHaveLength(2);
    await set.complete({ succeeded: true });
  });
});
