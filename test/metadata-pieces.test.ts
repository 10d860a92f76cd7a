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
