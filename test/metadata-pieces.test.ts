// Writer metadata crosses from the addon in pieces (native/napi/string_pieces.h): the document
// as UTF-8-whole pieces, each packed file list as pieces of whole files. A piece cut inside a
// UTF-8 sequence would turn a character into U+FFFD; a piece cut inside a file would shift
// every later file's fields. Characters of 1 to 4 UTF-8 bytes at every offset catch both.
import { describe, expect, it } from 'vitest';

import { createSimulator, getWriterMetadata, parseWriterMetadata, scenarioFromWriterMetadata } from '../lib/index.js';
import { loadAddon } from '../lib/native.js';

const CHARACTERS = ['a', 'é', '€', '😀', 'ß', '中', 'Z'];

function name(n: number): string {
  let text = '';
  for (let i = 0; i < 5 + (n % 11); i++) text += CHARACTERS[(n + i * 3) % CHARACTERS.length];
  return text;
}

/** 6,000 files in 3 components: well over the 48 KiB piece size, in the document and each list. */
function document(): string {
  const parts = ['<WRITER_METADATA xmlns="x-schema:#VssWriterMetadataInfo" version="1.2">'];
  parts.push(
    '<IDENTIFICATION writerId="e8132975-6f93-4464-a53e-1050253ae220" instanceId="ce678d65-95d0-4bea-a43d-2a288bc94500" friendlyName="Pieces Writer" usage="BOOTABLE_SYSTEM_STATE" dataSource="OTHER" majorVersion="1" minorVersion="0"/>',
  );
  parts.push('<BACKUP_LOCATIONS>');
  for (let c = 0, n = 0; c < 3; c++) {
    parts.push(`<FILE_GROUP componentName="Component ${name(c)}" caption="c" restoreMetadata="no" notifyOnBackupComplete="no" selectable="yes" selectableForRestore="no" componentFlags="0">`);
    for (let i = 0; i < 2000; i++, n++)
      parts.push(`<FILE_LIST path="C:\\${name(n)}\\${'x'.repeat(n % 5)}${name(n * 7)}" filespec="${n % 9 === 0 ? '' : `*.${name(n + 1)}`}" recursive="${n % 2 ? 'yes' : 'no'}" filespecBackupType="${n % 4096}"/>`);
    parts.push('</FILE_GROUP>');
  }
  parts.push('</BACKUP_LOCATIONS></WRITER_METADATA>');
  return parts.join('');
}

describe('writer metadata in pieces', () => {
  it('gives every file and the document exactly, with non-ASCII text across piece boundaries', async () => {
    const xml = document();
    const expected = parseWriterMetadata(xml);
    const simulator = createSimulator({ ...scenarioFromWriterMetadata([xml]), timing: { timeScale: 0 } });
    const [actual] = await getWriterMetadata({ backend: simulator, writers: ['Pieces Writer'] });
    expect(actual!.components.map((c) => c.name)).toEqual(expected.components.map((c) => c.name));
    for (let c = 0; c < expected.components.length; c++) expect(actual!.components[c]!.files, `component ${c}`).toEqual(expected.components[c]!.files);
    expect(actual!.xml).not.toContain('\uFFFD');
    const again = parseWriterMetadata(actual!.xml);
    expect(again.components.map((c) => c.files)).toEqual(expected.components.map((c) => c.files));

    // The raw result really was in pieces: several for the document and for each file list.
    const handle = new (loadAddon().NativeSession)('simulated', simulator.handle);
    await handle.open();
    await handle.call('initializeForBackup', {});
    await handle.call('gatherWriterMetadata', {});
    const raw = (await handle.call('getWriterMetadata', {})).find((w) => w.name === 'Pieces Writer')!;
    await handle.release();
    expect(raw.xml.length).toBeGreaterThan(4);
    expect(raw.xml.join('')).toBe(actual!.xml);
    for (const component of raw.components) {
      const files = component.files;
      if (Array.isArray(files)) throw new Error('expected a packed list');
      expect(files.strings.length).toBeGreaterThan(1);
      for (const piece of files.strings) expect(piece.split('\0').length % 3).toBe(0);
    }
  });
});

// parseWriterMetadata's JSON text crosses in pieces too (native/napi/xml_documents_json.cpp,
// ListPieces): a list longer than a piece is written as JSON arrays of whole files of about
// 48 KiB each, put back together by lib/metadata/parse.ts. Every list of every place a writer
// metadata document has (a FILE_GROUP's files, a DATABASE's files and log files, the
// document's include, exclude and exclude-from-snapshot files, the restore method's
// alternate location mappings) is long here, with text of 1-4 UTF-8 bytes, JSON escapes and
// XML references, so that piece boundaries fall after every kind of character.
describe('parseWriterMetadata in pieces', () => {
  interface Expected {
    path: string;
    filespec: string;
    recursive: boolean;
    alternatePath: string | null;
    backupTypeMask: number;
  }
  const xmlEscape = (text: string) => text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

  /** The element for file n, and the entry parseWriterMetadata must give for it. */
  function file(element: string, n: number, alternate = false): [string, Expected] {
    // Lengths vary with n so that piece boundaries land after every kind of text.
    const path = `C:\\${name(n)}\\"q"${'x'.repeat(n % 13)}&${name(n * 5)}\\`;
    const filespec = n % 9 === 0 ? '' : `*.${name(n + 2)}`;
    const alternatePath = alternate ? `D:\\alt\\${name(n + 3)}` : null;
    const backupTypeMask = (n * 37) % 65536;
    const attributes = [`path="${xmlEscape(path)}"`, `filespec="${xmlEscape(filespec)}"`, `recursive="${n % 2 ? 'yes' : 'no'}"`];
    if (alternatePath !== null) attributes.push(`alternatePath="${xmlEscape(alternatePath)}"`);
    attributes.push(`filespecBackupType="${backupTypeMask}"`);
    return [`<${element} ${attributes.join(' ')}/>`, { path, filespec, recursive: n % 2 === 1, alternatePath, backupTypeMask }];
  }

  function bigDocument(count: number) {
    const expected = {
      components: [] as { files: Expected[]; databaseFiles: Expected[]; logFiles: Expected[] }[],
      includeFiles: [] as Expected[],
      excludeFiles: [] as Expected[],
      excludeFromSnapshot: [] as Expected[],
      alternateLocationMappings: [] as Expected[],
    };
    let n = 0;
    const list = (element: string, into: Expected[], length: number, alternate = false) => {
      const parts: string[] = [];
      for (let i = 0; i < length; i++) {
        const [text, entry] = file(element, n++, alternate);
        parts.push(text);
        into.push(entry);
      }
      return parts.join('');
    };
    const parts = ['<WRITER_METADATA xmlns="x-schema:#VssWriterMetadataInfo" version="1.2">'];
    parts.push(
      '<IDENTIFICATION writerId="e8132975-6f93-4464-a53e-1050253ae220" instanceId="ce678d65-95d0-4bea-a43d-2a288bc94500" friendlyName="Pieces Writer" usage="BOOTABLE_SYSTEM_STATE" dataSource="OTHER" majorVersion="1" minorVersion="0"/>',
    );
    parts.push(`<RESTORE_METHOD method="RESTORE_IF_NONE_THERE" writerRestore="never" rebootRequired="no">${list('ALTERNATE_LOCATION_MAPPING', expected.alternateLocationMappings, count, true)}</RESTORE_METHOD>`);
    parts.push('<BACKUP_LOCATIONS>');
    // A component with a short list among long ones: its files share a piece with others'.
    for (const [c, length] of [count, 3, count * 2].entries()) {
      const entry = { files: [] as Expected[], databaseFiles: [] as Expected[], logFiles: [] as Expected[] };
      expected.components.push(entry);
      parts.push(`<FILE_GROUP componentName="Group ${name(c)}" caption="c" restoreMetadata="no" notifyOnBackupComplete="no" selectable="yes" selectableForRestore="no" componentFlags="0">`);
      parts.push(list('FILE_LIST', entry.files, length), '</FILE_GROUP>');
    }
    const database = { files: [] as Expected[], databaseFiles: [] as Expected[], logFiles: [] as Expected[] };
    expected.components.push(database);
    parts.push('<DATABASE componentName="Database" caption="d" restoreMetadata="no" notifyOnBackupComplete="no" selectable="yes" selectableForRestore="no" componentFlags="0">');
    parts.push(list('DATABASE_FILES', database.databaseFiles, count), list('DATABASE_LOGFILES', database.logFiles, count), '</DATABASE>');
    parts.push(list('INCLUDE_FILES', expected.includeFiles, count));
    parts.push(list('EXCLUDE_FILES', expected.excludeFiles, count));
    parts.push(list('EXCLUDE_FILES_FROM_SNAPSHOT', expected.excludeFromSnapshot, count));
    parts.push('</BACKUP_LOCATIONS></WRITER_METADATA>');
    return { xml: parts.join(''), expected };
  }

  it('gives every list of every place exactly, its JSON crossing in many pieces with non-ASCII text at their boundaries', () => {
    const { xml, expected } = bigDocument(3000);
    const metadata = parseWriterMetadata(xml);
    expect(metadata.components.map((c) => ({ files: c.files, databaseFiles: c.databaseFiles, logFiles: c.logFiles }))).toEqual(expected.components);
    expect(metadata.includeFiles).toEqual(expected.includeFiles);
    expect(metadata.excludeFiles).toEqual(expected.excludeFiles);
    expect(metadata.excludeFromSnapshot).toEqual(expected.excludeFromSnapshot);
    expect(metadata.alternateLocationMappings).toEqual(expected.alternateLocationMappings);
    expect(metadata.name).toBe('Pieces Writer');
    expect(metadata.xml).toBe(xml);

    // The raw result really was in pieces: every list taken out of the main text, each
    // piece a JSON array of whole files within about 48 KiB, boundaries after non-ASCII text.
    const raw = loadAddon().readXmlDocument('writer-metadata', xml);
    const places = JSON.parse(raw[1]!) as (string | number)[][];
    expect(places.map((p) => p.slice(0, -1).join('.'))).toEqual([
      'components.0.files',
      'components.1.files',
      'components.2.files',
      'components.3.databaseFiles',
      'components.3.logFiles',
      'includeFiles',
      'excludeFiles',
      'excludeFromSnapshot',
      'alternateLocationMappings',
    ]);
    expect(places.map((p) => p.at(-1))).toEqual([3000, 3, 6000, 3000, 3000, 3000, 3000, 3000, 3000]);
    const pieces = raw.slice(2);
    expect(pieces.length).toBeGreaterThan(40);
    let nonAsciiAtBoundary = 0;
    let filesInPieces = 0;
    for (const piece of pieces) {
      expect(Buffer.byteLength(piece)).toBeLessThan(64 * 1024);
      const files = JSON.parse(piece) as Expected[];
      expect(files.length).toBeGreaterThan(0);
      filesInPieces += files.length;
      if (/[^\x00-\x7f]/.test(files.at(-1)!.path.slice(-2) + files.at(-1)!.filespec.slice(-2))) nonAsciiAtBoundary++;
    }
    expect(filesInPieces).toBe(27003);
    expect(nonAsciiAtBoundary).toBeGreaterThan(10);
    const main = JSON.parse(raw[0]!) as WriterMetadataLike;
    expect(main.components.map((c) => c.files)).toEqual([null, null, null, []]);
  });

  it('gives a document whose lists fit a piece as one piece, with the same lists', () => {
    const { xml, expected } = bigDocument(10);
    expect(loadAddon().readXmlDocument('writer-metadata', xml)).toHaveLength(1);
    const metadata = parseWriterMetadata(xml);
    expect(metadata.components.map((c) => ({ files: c.files, databaseFiles: c.databaseFiles, logFiles: c.logFiles }))).toEqual(expected.components);
    expect(metadata.excludeFiles).toEqual(expected.excludeFiles);
    expect(metadata.alternateLocationMappings).toEqual(expected.alternateLocationMappings);
  });
});

interface WriterMetadataLike {
  components: { files: unknown[] | null }[];
}
