import { describe, expect, it } from 'vitest';

import { VssXmlError, parseBackupComponentsDocument, parseWriterMetadata, type VssXmlErrorCode } from '../../lib/index.js';

const IDENTIFICATION =
  '<IDENTIFICATION writerId="d61d61c8-d73a-4eee-8cdd-f6f9786b7124" instanceId="1bddd48e-5052-49db-9b07-b96f96727e6b" friendlyName="W" usage="OTHER" dataSource="OTHER"/>';
/** A minimal valid writer metadata document, with `inner` after its IDENTIFICATION. */
function wm(inner = '', identification = IDENTIFICATION): string {
  return `<WRITER_METADATA xmlns="x-schema:#VssWriterMetadataInfo" version="1.2">${identification}${inner}</WRITER_METADATA>`;
}
function group(inner: string, attributes = ''): string {
  return wm(`<BACKUP_LOCATIONS><FILE_GROUP componentName="c"${attributes}>${inner}</FILE_GROUP></BACKUP_LOCATIONS>`);
}

const billionLaughs =
  '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n' +
  Array.from({ length: 10 }, (_, i) => ` <!ENTITY lol${i + 1} "${`&lol${i};`.repeat(10)}">`).join('\n') +
  '\n <!ENTITY lol0 "lol">\n]>\n<WRITER_METADATA a="&lol10;">&lol10;</WRITER_METADATA>';

interface Case {
  name: string;
  xml: unknown;
  code: VssXmlErrorCode;
  message: RegExp;
  line?: number;
  element?: string;
  attribute?: string;
}

const cases: Case[] = [
  // Not XML at all, or broken XML: the validator's complaint, with its line.
  { name: 'an empty string', xml: '', code: 'ERR_VSS_XML_MALFORMED', message: /empty/ },
  { name: 'whitespace only', xml: ' \r\n\t', code: 'ERR_VSS_XML_MALFORMED', message: /empty/ },
  { name: 'plain text', xml: 'System Writer', code: 'ERR_VSS_XML_MALFORMED', message: /not well-formed/, line: 1 },
  { name: 'JSON', xml: '{"name":"System Writer"}', code: 'ERR_VSS_XML_MALFORMED', message: /not well-formed/ },
  { name: 'an unclosed root', xml: wm().replace('</WRITER_METADATA>', ''), code: 'ERR_VSS_XML_MALFORMED', message: /not well-formed/ },
  {
    name: 'a broken tag on line 3',
    xml: '<WRITER_METADATA>\n  <IDENTIFICATION writerId="x"\n  <BACKUP_LOCATIONS/>\n</WRITER_METADATA>',
    code: 'ERR_VSS_XML_MALFORMED',
    message: /not well-formed/,
    line: 3,
  },
  { name: 'mismatched end tags', xml: '<WRITER_METADATA>\n<A></B>\n</WRITER_METADATA>', code: 'ERR_VSS_XML_MALFORMED', message: /closing tag/, line: 2 },
  { name: 'two root elements', xml: wm() + wm(), code: 'ERR_VSS_XML_MALFORMED', message: /root/ },
  // The ']]>' search starts again after a CDATA section's own ']]>' and after whitespace runs.
  {
    name: "']]>' in text after a CDATA section and whitespace",
    xml: wm('<X><![CDATA[a]]></X>\n  <Y>b]]>c</Y>'),
    code: 'ERR_VSS_XML_MALFORMED',
    message: /']]>' is not allowed in text/,
    line: 2,
  },
  { name: 'a repeated attribute', xml: group('', ' caption="a" caption="b"'), code: 'ERR_VSS_XML_MALFORMED', message: /repeated/ },
  { name: 'an unquoted attribute', xml: group('', ' caption=a'), code: 'ERR_VSS_XML_MALFORMED', message: /not well-formed/ },
  { name: 'an undefined entity', xml: group('', ' caption="&nbsp;"'), code: 'ERR_VSS_XML_MALFORMED', message: /undefined entity &nbsp;/, element: 'WRITER_METADATA/BACKUP_LOCATIONS/FILE_GROUP' },
  { name: 'a bare ampersand', xml: group('', ' caption="Tom & Jerry"'), code: 'ERR_VSS_XML_MALFORMED', message: /&amp;/ },
  { name: 'a character reference to NUL', xml: group('', ' caption="&#0;"'), code: 'ERR_VSS_XML_MALFORMED', message: /not an XML character/ },
  { name: 'bytes that are not UTF-8', xml: new Uint8Array([0x3c, 0x61, 0xff, 0xfe, 0x3e]), code: 'ERR_VSS_XML_MALFORMED', message: /UTF-8/ },

  // Hostile documents: refused before any expansion or deep tree is built.
  { name: 'entity expansion ("billion laughs")', xml: billionLaughs, code: 'ERR_VSS_XML_FORBIDDEN', message: /DOCTYPE/, line: 2 },
  {
    name: 'an external entity',
    xml: '<?xml version="1.0"?><!DOCTYPE WRITER_METADATA [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><WRITER_METADATA a="&xxe;"/>',
    code: 'ERR_VSS_XML_FORBIDDEN',
    message: /DOCTYPE/,
  },
  { name: 'an external DTD', xml: '<!DOCTYPE WRITER_METADATA SYSTEM "http://example.com/x.dtd">' + wm(), code: 'ERR_VSS_XML_FORBIDDEN', message: /DOCTYPE/ },
  { name: 'an entity declaration without DOCTYPE', xml: wm('<!ENTITY x "y">'), code: 'ERR_VSS_XML_FORBIDDEN', message: /ENTITY/ },
  { name: 'a __proto__ attribute', xml: group('', ' __proto__="polluted"'), code: 'ERR_VSS_XML_FORBIDDEN', message: /__proto__/ },
  { name: 'nesting 100 levels deep', xml: wm('<X>'.repeat(100) + '</X>'.repeat(100)), code: 'ERR_VSS_XML_LIMIT', message: /nested deeper than 64/ },
  { name: 'nesting 1,000,000 levels deep', xml: '<a>'.repeat(1e6) + '</a>'.repeat(1e6), code: 'ERR_VSS_XML_LIMIT', message: /elements/i },
  {
    name: '10,000 attributes on one element',
    xml: group('', Array.from({ length: 10_000 }, (_, i) => ` a${i}="1"`).join('')),
    code: 'ERR_VSS_XML_LIMIT',
    message: /more than 64 attributes/,
  },
  { name: '300,000 elements', xml: wm('<BACKUP_LOCATIONS>' + '<X/>'.repeat(300_000) + '</BACKUP_LOCATIONS>'), code: 'ERR_VSS_XML_LIMIT', message: /more than 200000 elements/ },
  { name: 'a 2 MiB attribute', xml: group('', ` caption="${'x'.repeat(2 * 1024 * 1024)}"`), code: 'ERR_VSS_XML_LIMIT', message: /tag is longer/ },
  { name: 'a 2 MiB text', xml: wm(`<BACKUP_LOCATIONS>${'x'.repeat(2 * 1024 * 1024)}</BACKUP_LOCATIONS>`), code: 'ERR_VSS_XML_LIMIT', message: /run of text/ },
  { name: 'a 17 MiB document', xml: wm(' '.repeat(17 * 1024 * 1024)), code: 'ERR_VSS_XML_LIMIT', message: /characters long/ },

  // Well-formed, but not writer metadata.
  { name: 'an HTML page', xml: '<html><body><p>hello</p></body></html>', code: 'ERR_VSS_XML_NOT_WRITER_METADATA', message: /root element is <html>/ },
  {
    name: 'a Backup Components Document',
    xml: '<BACKUP_COMPONENTS xmlns="x-schema:#VssComponentMetadata" version="1.2"/>',
    code: 'ERR_VSS_XML_NOT_WRITER_METADATA',
    message: /parseBackupComponentsDocument/,
  },
  {
    name: 'WRITER_METADATA in another namespace',
    xml: wm().replace('x-schema:#VssWriterMetadataInfo', 'urn:example:other'),
    code: 'ERR_VSS_XML_NOT_WRITER_METADATA',
    message: /namespace is "urn:example:other"/,
    attribute: 'xmlns',
  },

  // Writer metadata with wrong content: the element and attribute named.
  { name: 'no IDENTIFICATION', xml: wm('', ''), code: 'ERR_VSS_XML_INVALID', message: /no <IDENTIFICATION>/ },
  { name: 'two IDENTIFICATION elements', xml: wm(IDENTIFICATION), code: 'ERR_VSS_XML_INVALID', message: /more than one <IDENTIFICATION>/ },
  {
    name: 'a writerId that is not a GUID',
    xml: wm('', IDENTIFICATION.replace('d61d61c8-d73a-4eee-8cdd-f6f9786b7124', 'system-writer')),
    code: 'ERR_VSS_XML_INVALID',
    message: /writerId="system-writer" is not a GUID/,
    element: 'WRITER_METADATA/IDENTIFICATION',
    attribute: 'writerId',
  },
  {
    name: 'no writerId',
    xml: wm('', IDENTIFICATION.replace('writerId="d61d61c8-d73a-4eee-8cdd-f6f9786b7124"', '')),
    code: 'ERR_VSS_XML_INVALID',
    message: /no writerId attribute/,
    attribute: 'writerId',
  },
  { name: 'an unknown usage', xml: wm('', IDENTIFICATION.replace('usage="OTHER"', 'usage="FAVOURITE"')), code: 'ERR_VSS_XML_INVALID', message: /usage="FAVOURITE" is not one of/ },
  { name: 'an unknown restore method', xml: wm('<RESTORE_METHOD method="MAGIC"/>'), code: 'ERR_VSS_XML_INVALID', message: /method="MAGIC"/ },
  { name: 'a RESTORE_METHOD without method', xml: wm('<RESTORE_METHOD writerRestore="never"/>'), code: 'ERR_VSS_XML_INVALID', message: /no method attribute/ },
  { name: 'a component without a name', xml: wm('<BACKUP_LOCATIONS><FILE_GROUP caption="x"/></BACKUP_LOCATIONS>'), code: 'ERR_VSS_XML_INVALID', message: /no componentName/ },
  { name: 'a FILE_LIST without path', xml: group('<FILE_LIST filespec="*"/>'), code: 'ERR_VSS_XML_INVALID', message: /no path attribute/, element: 'WRITER_METADATA/BACKUP_LOCATIONS/FILE_GROUP/FILE_LIST' },
  { name: 'recursive="maybe"', xml: group('<FILE_LIST path="C:\\" filespec="*" recursive="maybe"/>'), code: 'ERR_VSS_XML_INVALID', message: /"yes" or "no"/, attribute: 'recursive' },
  { name: 'negative component flags', xml: group('', ' componentFlags="-1"'), code: 'ERR_VSS_XML_INVALID', message: /not a 32-bit unsigned number/ },
  { name: 'a backup type mask over 32 bits', xml: group('<FILE_LIST path="C:\\" filespec="*" filespecBackupType="99999999999"/>'), code: 'ERR_VSS_XML_INVALID', message: /32-bit/ },
];

describe('parseWriterMetadata refuses bad documents with a typed error', () => {
  it.each(cases)('$name → $code', ({ xml, code, message, line, element, attribute }) => {
    let error: unknown;
    try {
      parseWriterMetadata(xml as string);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(VssXmlError);
    const e = error as VssXmlError;
    expect(e.code).toBe(code);
    expect(e.name).toBe('VssXmlError');
    expect(e.hresult).toBe(0x80042311);
    expect(e.message).toMatch(message);
    if (line !== undefined) {
      expect(e.line).toBe(line);
      expect(e.message).toContain(`line ${line}`);
    }
    if (element !== undefined) expect(e.element).toBe(element);
    if (attribute !== undefined) expect(e.attribute).toBe(attribute);
  });

  it('reports the line of a bad attribute in a pretty-printed document', () => {
    const xml = [
      '<WRITER_METADATA xmlns="x-schema:#VssWriterMetadataInfo" version="1.2">',
      `  ${IDENTIFICATION}`,
      '  <BACKUP_LOCATIONS>',
      '    <FILE_GROUP componentName="ok"/>',
      '    <FILE_GROUP componentName="bad" selectable="perhaps"/>',
      '  </BACKUP_LOCATIONS>',
      '</WRITER_METADATA>',
    ].join('\r\n');
    expect(() => parseWriterMetadata(xml)).toThrow(expect.objectContaining({ code: 'ERR_VSS_XML_INVALID', line: 5, column: 5, attribute: 'selectable' }));
  });

  it('throws a TypeError with ERR_INVALID_ARG_TYPE for what is not text', () => {
    for (const value of [undefined, null, 42, {}, ['<a/>']])
      expect(() => parseWriterMetadata(value as string)).toThrow(expect.objectContaining({ name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' }));
  });

  it('leaves Object.prototype alone', () => {
    const m = parseWriterMetadata(group('', ' toString="y" hasOwnProperty="z"'));
    expect(m.components[0]!.name).toBe('c');
    expect(m.unrecognized).toHaveLength(1);
    expect(() => parseWriterMetadata(group('', ' constructor="x"'))).toThrow(expect.objectContaining({ code: 'ERR_VSS_XML_FORBIDDEN' }));
    expect(() => parseWriterMetadata(group('', ' prototype="x"'))).toThrow(expect.objectContaining({ code: 'ERR_VSS_XML_FORBIDDEN' }));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(typeof ({} as object).toString).toBe('function');
  });

  it('never crashes or returns half a document on damaged input: every mutation parses or throws VssXmlError', () => {
    const source = group(
      '<FILE_LIST path="C:\\Windows\\system32\\config" filespec="SAM" filespecBackupType="3855"/><DEPENDENCY writerId="afbab4a2-367d-4d15-a586-71dbb18f8485" componentName="Registry"/>',
      ' caption="Registry &amp; more" selectable="yes" componentFlags="0"',
    ).replace('<BACKUP_LOCATIONS>', '<RESTORE_METHOD method="REPLACE_AT_REBOOT" writerRestore="never" rebootRequired="yes"/><BACKUP_LOCATIONS>');
    let seed = 12345;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const junk = ['<', '>', '"', "'", '&', '/', '=', ' ', '\u0000', '<!--', ']]>', '&#x;', 'é', '\n'];
    let parsed = 0;
    let refused = 0;
    for (let i = 0; i < 2000; i++) {
      let text = source;
      const kind = random(3);
      const at = random(text.length);
      if (kind === 0) text = text.slice(0, at);
      else if (kind === 1) text = text.slice(0, at) + junk[random(junk.length)] + text.slice(at);
      else text = text.slice(0, at) + text.slice(at + 1 + random(8));
      try {
        const m = parseWriterMetadata(text);
        expect(m.writerId).toMatch(/^[0-9a-f-]{36}$/);
        expect(m.xml).toBe(text);
        parsed++;
      } catch (e) {
        if (!(e instanceof VssXmlError)) throw new Error(`mutation ${i} threw ${String(e)} for ${JSON.stringify(text)}`);
        refused++;
      }
    }
    expect(parsed).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0);
  });
});

describe('unknown parts of a writer metadata document', () => {
  it('keeps unknown attributes, elements and text in unrecognized, with their lines', () => {
    const xml = wm(
      '\n<BACKUP_LOCATIONS futureAttribute="1">\n<FILE_GROUP componentName="c" shiny="yes"><FILE_LIST path="C:\\" filespec="*" hash="abc"/></FILE_GROUP>\n<FUTURE_ELEMENT a="1"><INNER b="2"/>some text</FUTURE_ELEMENT>\n</BACKUP_LOCATIONS>',
    );
    const m = parseWriterMetadata(xml);
    expect(m.components).toHaveLength(1);
    expect(m.components[0]!.files).toHaveLength(1);
    expect(m.unrecognized).toEqual([
      { element: 'WRITER_METADATA/BACKUP_LOCATIONS', line: 2, attributes: { futureAttribute: '1' }, unknownElement: false },
      { element: 'WRITER_METADATA/BACKUP_LOCATIONS/FILE_GROUP', line: 3, attributes: { shiny: 'yes' }, unknownElement: false },
      { element: 'WRITER_METADATA/BACKUP_LOCATIONS/FILE_GROUP/FILE_LIST', line: 3, attributes: { hash: 'abc' }, unknownElement: false },
      { element: 'WRITER_METADATA/BACKUP_LOCATIONS/FUTURE_ELEMENT', line: 4, attributes: { a: '1' }, text: 'some text', unknownElement: true },
      { element: 'WRITER_METADATA/BACKUP_LOCATIONS/FUTURE_ELEMENT/INNER', line: 4, attributes: { b: '2' }, unknownElement: true },
    ]);
  });

  it('keeps a component icon', () => {
    const m = parseWriterMetadata(group('', ' icon="iVBORw0KGgo="'));
    expect(m.components[0]!.icon).toBe('iVBORw0KGgo=');
    expect(m.unrecognized).toBeUndefined();
  });

  it('decodes references and normalises literal whitespace in attribute values, as XML requires', () => {
    const m = parseWriterMetadata(group('', ' caption="a&#10;b&#x9;c&lt;&gt;&amp;&quot;&apos;\td\r\ne &#x1F600;"'));
    expect(m.components[0]!.caption).toBe('a\nb\tc<>&"\' d e 😀');
  });

  it('ignores comments, processing instructions, the XML declaration and a byte-order mark', () => {
    const m = parseWriterMetadata('\uFEFF<?xml version="1.0" encoding="UTF-16"?>\n<!-- saved by diskshadow -->\n' + wm('<?pi x?><!-- c --><BACKUP_LOCATIONS/>'));
    expect(m.name).toBe('W');
    expect(m.unrecognized).toBeUndefined();
  });
});

describe('parseBackupComponentsDocument refuses what is not a Backup Components Document', () => {
  it('names a writer metadata document as such', () => {
    expect(() => parseBackupComponentsDocument(wm())).toThrow(
      expect.objectContaining({ code: 'ERR_VSS_XML_NOT_BACKUP_COMPONENTS', message: expect.stringMatching(/parseWriterMetadata/) }),
    );
  });

  it('refuses DTDs, bad GUIDs and components without a type', () => {
    expect(() => parseBackupComponentsDocument(billionLaughs)).toThrow(expect.objectContaining({ code: 'ERR_VSS_XML_FORBIDDEN' }));
    const bcd = (inner: string) => `<BACKUP_COMPONENTS xmlns="x-schema:#VssComponentMetadata" version="1.2" backupType="full">${inner}</BACKUP_COMPONENTS>`;
    expect(() => parseBackupComponentsDocument(bcd('<WRITER_COMPONENTS writerId="x" instanceId="y"/>'))).toThrow(
      expect.objectContaining({ code: 'ERR_VSS_XML_INVALID', attribute: 'writerId' }),
    );
    const writer = '<WRITER_COMPONENTS writerId="d61d61c8-d73a-4eee-8cdd-f6f9786b7124" instanceId="1bddd48e-5052-49db-9b07-b96f96727e6b">';
    expect(() => parseBackupComponentsDocument(bcd(`${writer}<COMPONENT componentName="c"/></WRITER_COMPONENTS>`))).toThrow(
      expect.objectContaining({ code: 'ERR_VSS_XML_INVALID', message: expect.stringMatching(/componentType/) }),
    );
    expect(() => parseBackupComponentsDocument(bcd('').replace('"full"', '"weekly"'))).toThrow(expect.objectContaining({ code: 'ERR_VSS_XML_INVALID', attribute: 'backupType' }));
  });
});
