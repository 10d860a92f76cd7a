// One XML reader (issue 12): the engine (a scenario writer's metadataXml,
// InitializeForBackup / InitializeForRestore documents) and the library
// (parseWriterMetadata, parseBackupComponentsDocument) read every document with the same
// native reader, so a document is accepted or refused the same way, with the same words,
// through either path. Each document below goes through both.
import { describe, expect, it } from 'vitest';

import { BackupSession, VssError, VssXmlError, createSimulator, parseBackupComponentsDocument, parseWriterMetadata } from '../../lib/index.js';

const WRITER = 'd61d61c8-d73a-4eee-8cdd-f6f9786b7124';
const INSTANCE = '1bddd48e-5052-49db-9b07-b96f96727e6b';
const IDENTIFICATION = `<IDENTIFICATION writerId="${WRITER}" instanceId="${INSTANCE}" friendlyName="W" usage="OTHER" dataSource="OTHER"/>`;
function wm(inner = '', identification = IDENTIFICATION, root = 'xmlns="x-schema:#VssWriterMetadataInfo" version="1.2"'): string {
  return `<WRITER_METADATA ${root}>${identification}${inner}</WRITER_METADATA>`;
}
function group(inner: string, attributes = ''): string {
  return wm(`<BACKUP_LOCATIONS><FILE_GROUP componentName="c"${attributes}>${inner}</FILE_GROUP></BACKUP_LOCATIONS>`);
}
const FILE = '<FILE_LIST path="C:\\data" filespec="*.*"/>';

/** Writer metadata documents: accepted ones (plain and odd) and refused ones of every kind. */
const writerDocuments: [string, string][] = [
  ['a minimal document', wm()],
  ['a UTF-8 byte-order mark and an XML declaration', `\ufeff<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n${wm()}`],
  ['comments, a processing instruction, CDATA and unknown elements', wm(`<!-- c --><?pi x?><EXTRA a="1"><![CDATA[<raw>]]></EXTRA>`)],
  ['enumeration names in lower case with dashes', wm('', IDENTIFICATION.replace('usage="OTHER"', 'usage="bootable-system-state"'))],
  ['booleans as true/1 and numbers in hex', group(FILE, ' selectable="true" selectableForRestore="1" componentFlags="0x4"')],
  ['references and a line break in attribute values', group(FILE, ' caption="a&amp;b&#10;c&#x41;\td"')],
  ['braced and upper-case GUIDs', wm('', IDENTIFICATION.replace(WRITER, `{${WRITER.toUpperCase()}}`))],
  ['non-ASCII names and values', group(FILE, ' caption="Sauvegarde système ✓ 𝄞"')],
  ['an empty string', ''],
  ['plain text', 'System Writer'],
  ['a DTD (billion laughs)', `<!DOCTYPE x [<!ENTITY a "aaaa">]>${wm()}`],
  ['an undefined entity', group(FILE, ' caption="&nbsp;"')],
  ['a bare ampersand', group(FILE, ' caption="Tom & Jerry"')],
  ['a character reference to NUL', group(FILE, ' caption="&#0;"')],
  ['a control character in text', wm('<X>a\u0001b</X>')],
  ['U+FFFE in a comment', wm('<!-- \ufffe -->')],
  ['a repeated attribute', group(FILE, ' caption="a" caption="b"')],
  ['an unquoted attribute on line 2', `<WRITER_METADATA>\n<IDENTIFICATION writerId=x/></WRITER_METADATA>`],
  ['mismatched end tags', '<WRITER_METADATA>\n<A></B>\n</WRITER_METADATA>'],
  ['two roots', wm() + wm()],
  ["']]>' in text", wm('<X>a]]>b</X>')],
  ['a refused name', wm('<X __proto__="1"/>')],
  ['nesting 65 levels', wm('<a>'.repeat(64) + '</a>'.repeat(64))],
  ['65 attributes on one element', wm(`<X ${Array.from({ length: 65 }, (_, i) => `a${i}="1"`).join(' ')}/>`)],
  ['a tag over 1 MiB', wm(`<X a="${'x'.repeat(1024 * 1024)}"/>`)],
  ['another root element', '<BACKUP_COMPONENTS xmlns="x-schema:#VssComponentMetadata"/>'],
  ['another namespace', wm('', IDENTIFICATION, 'xmlns="urn:other"')],
  ['no IDENTIFICATION', '<WRITER_METADATA xmlns="x-schema:#VssWriterMetadataInfo"></WRITER_METADATA>'],
  ['two IDENTIFICATION elements', wm(IDENTIFICATION)],
  ['a writerId that is not a GUID', wm('', IDENTIFICATION.replace(WRITER, 'zz'))],
  ['an unknown usage', wm('', IDENTIFICATION.replace('usage="OTHER"', 'usage="SOMETIMES"'))],
  ['a boolean that is neither', group(FILE, ' selectable="maybe"')],
  ['a number over 32 bits', group(FILE, ' componentFlags="4294967296"')],
  ['a component without a name', wm('<BACKUP_LOCATIONS><FILE_GROUP/></BACKUP_LOCATIONS>')],
  ['a file without a filespec', group('<FILE_LIST path="C:\\"/>')],
  ['a dependency without a GUID', group('<DEPENDENCY writerId="x" componentName="d"/>')],
];

/** The library's verdict: 'accepted', or the error's code and message. */
function libraryVerdict(read: () => unknown): string {
  try {
    read();
    return 'accepted';
  } catch (error) {
    expect(error).toBeInstanceOf(VssXmlError);
    const e = error as VssXmlError;
    return `${e.code}: ${e.message}`;
  }
}

describe('one XML reader: the engine and the library accept and refuse the same documents', () => {
  it('has both kinds of writer metadata document in its table', () => {
    const verdicts = writerDocuments.map(([, xml]) => libraryVerdict(() => parseWriterMetadata(xml)));
    expect(verdicts.filter((v) => v === 'accepted').length).toBe(8);
    // Every refusal code the library documents but the Backup Components one appears.
    for (const code of ['MALFORMED', 'FORBIDDEN', 'LIMIT', 'NOT_WRITER_METADATA', 'INVALID'])
      expect(verdicts.some((v) => v.startsWith(`ERR_VSS_XML_${code}:`))).toBe(true);
  });

  it.each(writerDocuments)('writer metadata: %s', (_name, xml) => {
    const library = libraryVerdict(() => parseWriterMetadata(xml));
    let engine = 'accepted';
    try {
      createSimulator({ writers: [{ metadataXml: xml }] });
    } catch (error) {
      // The scenario loader names where the document was and repeats the reader's message.
      const message = (error as Error).message;
      const at = message.indexOf('writers[0].metadataXml: ');
      expect(at).toBeGreaterThan(-1);
      engine = message.slice(at + 'writers[0].metadataXml: '.length);
    }
    if (library === 'accepted') expect(engine).toBe('accepted');
    else expect(engine).toBe(library.slice(library.indexOf(': ') + 2));
  });

  it('refuses a lone surrogate through both (the scenario JSON cannot carry one to the engine)', () => {
    const xml = group(FILE, ' caption="\u{1F600}\ud800"');
    expect(() => parseWriterMetadata(xml)).toThrow(
      expect.objectContaining({ code: 'ERR_VSS_XML_MALFORMED', message: expect.stringMatching(/a lone surrogate is not a character/), column: xml.indexOf('\ud800') + 1 }),
    );
    expect(() => createSimulator({ writers: [{ metadataXml: xml }] })).toThrow(/lone high surrogate/);
  });

  const bcd = (inner = '', root = 'xmlns="x-schema:#VssComponentMetadata" version="1.2" backupType="full" selectComponents="yes"') =>
    `<BACKUP_COMPONENTS ${root}>${inner}</BACKUP_COMPONENTS>`;
  const writer = (inner: string, attributes = `writerId="${WRITER}" instanceId="${INSTANCE}"`) => bcd(`<WRITER_COMPONENTS ${attributes}>${inner}</WRITER_COMPONENTS>`);
  const backupDocuments: [string, string][] = [
    ['an empty document', bcd()],
    ['a component with stamps and restore records', writer('<COMPONENT componentName="c" componentType="filegroup" backupStamp="s"><RESTORE_TARGET path="D:\\" filespec="*"/></COMPONENT>')],
    ['a numeric file restore status', writer('<COMPONENT componentName="c" componentType="database" fileRestoreStatus="2"/>')],
    ['malformed XML', '<BACKUP_COMPONENTS><WRITER_COMPONENTS></BACKUP_COMPONENTS>'],
    ['a DTD', `<!DOCTYPE b>${bcd()}`],
    ['a writer metadata document', wm()],
    ['an unknown backup type', bcd('', 'xmlns="x-schema:#VssComponentMetadata" backupType="weekly"')],
    ['a writer without a GUID', writer('', 'writerId="nope"')],
    ['a component without a type', writer('<COMPONENT componentName="c"/>')],
    ['a bad snapshot set id', bcd('', 'snapshotSetId="{1234}"')],
  ];

  it.each(backupDocuments)('Backup Components Document: %s', async (_name, xml) => {
    const library = libraryVerdict(() => parseBackupComponentsDocument(xml));
    const backend = createSimulator({ base: 'windows-server-2022', timing: { timeScale: 0 } });
    for (const initialize of ['initializeForRestore', 'initializeForBackup'] as const) {
      const session = await BackupSession.create({ backend });
      try {
        let engine = 'accepted';
        try {
          await session[initialize](xml);
        } catch (error) {
          expect(error).toBeInstanceOf(VssError);
          expect((error as VssError).code).toBe('VSS_E_INVALID_XML_DOCUMENT');
          engine = (error as Error).message;
        }
        if (library === 'accepted') expect(engine).toBe('accepted');
        else expect(engine).toContain(library.slice(library.indexOf(': ') + 2));
      } finally {
        await session.release();
      }
    }
  });
});
