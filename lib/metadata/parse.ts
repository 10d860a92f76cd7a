/**
 * Parsers for the XML documents VSS writes: the writer metadata document
 * (`IVssExamineWriterMetadata::SaveAsXML`, `<WRITER_METADATA>`) and the Backup
 * Components Document (`IVssBackupComponents::SaveAsXML`, `<BACKUP_COMPONENTS>`).
 * Pure functions on every OS; they give the same objects the API gives.
 *
 * The reading is done by the project's one XML reader, in the addon
 * (native/core/xml_reader.h and xml_documents.h): the engine reads scenario documents,
 * SetBackupState and InitializeForRestore documents with the same code, so a document is
 * accepted or refused the same way everywhere. It hands back the result as JSON text (in
 * pieces: see `read`), which `JSON.parse` turns into objects faster than anything else can
 * build them (BENCHMARKS.md). Parsing therefore needs the addon, as every other call of the library
 * does (the package ships prebuilt ones for linux-x64 and win32-x64).
 * @module
 */
import { toComponentFailure } from '../convert.js';
import { loadAddon, type NativeXmlErrorFields, type RawComponentStatus } from '../native.js';
import { VssXmlError, type VssXmlErrorCode } from './errors.js';
import type { BackupComponentsDocument, WriterMetadata } from './types.js';

/** Turns bytes into text the way an XML processor does: by the byte-order mark, else UTF-8. */
function decodeXmlBytes(bytes: Uint8Array): string {
  try {
    if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le', { fatal: true }).decode(bytes.subarray(2));
    if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be', { fatal: true }).decode(bytes.subarray(2));
    // UTF-16 without a mark still starts with '<' and a zero byte.
    if (bytes[0] === 0x3c && bytes[1] === 0x00) return new TextDecoder('utf-16le', { fatal: true }).decode(bytes);
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new VssXmlError('ERR_VSS_XML_MALFORMED', 'The document is not valid UTF-8 or UTF-16 text');
  }
}

function toText(xml: unknown, what: string): string {
  if (typeof xml === 'string') return xml;
  if (xml instanceof Uint8Array) return decodeXmlBytes(xml);
  const error = new TypeError(`The ${what} must be a string or a Uint8Array, received ${xml === null ? 'null' : typeof xml}`);
  (error as TypeError & { code: string }).code = 'ERR_INVALID_ARG_TYPE';
  throw error;
}

/**
 * A string as WTF-8: UTF-8 in which a lone surrogate keeps its own three bytes (ED A0..BF),
 * so that the reader can refuse it where it stands. N-API's UTF-8 conversion would have
 * replaced it with U+FFFD and the document would have been accepted.
 */
function wtf8(text: string): Uint8Array {
  const out = new Uint8Array(text.length * 3);
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
        i++;
      }
    }
    if (c < 0x80) out[n++] = c;
    else if (c < 0x800) (out[n++] = 0xc0 | (c >> 6)), (out[n++] = 0x80 | (c & 0x3f));
    else if (c < 0x10000) (out[n++] = 0xe0 | (c >> 12)), (out[n++] = 0x80 | ((c >> 6) & 0x3f)), (out[n++] = 0x80 | (c & 0x3f));
    else
      (out[n++] = 0xf0 | (c >> 18)), (out[n++] = 0x80 | ((c >> 12) & 0x3f)), (out[n++] = 0x80 | ((c >> 6) & 0x3f)), (out[n++] = 0x80 | (c & 0x3f));
  }
  return out.subarray(0, n);
}

/**
 * The native reader's result for `text`, or its refusal as a VssXmlError.
 *
 * A large document's result crosses as JSON text in pieces (native/napi/xml_documents_json.cpp,
 * ListPieces): the first is the document with its file lists null, the second says where
 * each list goes and how many files it has, and each later piece is a JSON array of about
 * 48 KiB of files, the lists' files one after another. Every piece stays small enough for
 * V8's young generation; one 2.7 MB text took a large-object page of fresh memory per call,
 * and joining the pieces before `JSON.parse` would flatten them into one again (BENCHMARKS.md).
 */
function read(kind: 'writer-metadata' | 'backup-components' | 'element-tree', text: string): unknown {
  // Without the addon this throws VssAddonLoadError: the XML reader is the engine's (C++).
  const addon = loadAddon();
  const wellFormed = (text as string & { isWellFormed(): boolean }).isWellFormed();
  let pieces: string[];
  try {
    pieces = addon.readXmlDocument(kind, wellFormed ? text : wtf8(text));
  } catch (error) {
    const fields = error as Partial<NativeXmlErrorFields>;
    if (typeof fields.xmlCode !== 'string') throw error;
    throw new VssXmlError(fields.xmlCode as VssXmlErrorCode, fields.problem ?? '', {
      element: fields.element ?? null,
      attribute: fields.attribute ?? null,
      line: fields.line ?? null,
      column: fields.column ?? null,
    });
  }
  const value = JSON.parse(pieces[0]!) as Record<string | number, unknown>;
  if (pieces.length === 1) return value;
  // [[key or index..., key, number of files], ...], in the order of the files in the pieces.
  const places = JSON.parse(pieces[1]!) as (string | number)[][];
  let next = 2;
  let piece: unknown[] = [];
  let at = 0;
  for (const place of places) {
    let count = place.pop() as number;
    const key = place.pop()!;
    let target = value;
    for (const step of place) target = target[step] as Record<string | number, unknown>;
    const parts: unknown[][] = [];
    while (count > 0) {
      if (at === piece.length) {
        piece = JSON.parse(pieces[next++]!) as unknown[];
        at = 0;
      }
      const take = Math.min(count, piece.length - at);
      parts.push(at === 0 && take === piece.length ? piece : piece.slice(at, at + take));
      at += take;
      count -= take;
    }
    target[key] = parts.length === 1 ? parts[0] : parts[0]!.concat(...parts.slice(1));
  }
  return value;
}

/**
 * Reads a writer metadata document, as `IVssExamineWriterMetadata::SaveAsXML` writes it
 * (`<WRITER_METADATA xmlns="x-schema:#VssWriterMetadataInfo">`; `vss metadata --xml`, diskshadow),
 * into the {@link WriterMetadata} that {@link getWriterMetadata} gives for the same writer.
 * Works on every OS. Bytes are decoded by their byte-order mark (UTF-16 or UTF-8).
 *
 * Elements and attributes the parser does not know are kept in `unrecognized`; the
 * namespace and schema `version` of the root are checked and stay in `xml`.
 *
 * @throws {VssXmlError} with `code` `ERR_VSS_XML_MALFORMED`, `ERR_VSS_XML_FORBIDDEN` (DTDs),
 *   `ERR_VSS_XML_LIMIT`, `ERR_VSS_XML_NOT_WRITER_METADATA` or `ERR_VSS_XML_INVALID`.
 * @example
 * // Pass the bytes, not a string: the parser reads the byte-order mark (files saved by
 * // diskshadow or vssadmin are often UTF-16).
 * const system = parseWriterMetadata(readFileSync('WM3.xml'));
 * console.log(system.name, system.components[0]?.files.length);
 */
export function parseWriterMetadata(xml: string | Uint8Array): WriterMetadata {
  const text = toText(xml, 'writer metadata document');
  const metadata = read('writer-metadata', text) as WriterMetadata;
  metadata.xml = text;
  return metadata;
}

/**
 * Reads a Backup Components Document, as `IVssBackupComponents::SaveAsXML` writes it
 * (`<BACKUP_COMPONENTS xmlns="x-schema:#VssComponentMetadata">`): the backup state, and
 * per writer the components with their stamps, options and restore records.
 *
 * @throws {VssXmlError} with `code` `ERR_VSS_XML_MALFORMED`, `ERR_VSS_XML_FORBIDDEN`,
 *   `ERR_VSS_XML_LIMIT`, `ERR_VSS_XML_NOT_BACKUP_COMPONENTS` or `ERR_VSS_XML_INVALID`.
 * @example
 * const bcd = parseBackupComponentsDocument(await set.saveAsXml());
 * for (const w of bcd.writers) console.log(w.writerId, w.components.map((c) => c.name));
 */
export function parseBackupComponentsDocument(xml: string | Uint8Array): BackupComponentsDocument {
  const text = toText(xml, 'Backup Components Document');
  const document = read('backup-components', text) as BackupComponentsDocument;
  // A FILETIME does not fit a double: the reader writes it as decimal text.
  for (const writer of document.writers)
    for (const component of writer.components) {
      for (const file of component.differencedFiles)
        if (file.lastModifyTime !== null) file.lastModifyTime = BigInt(file.lastModifyTime as unknown as string);
      // The reader gives IVssComponentEx2's failure as numbers; named as getWriterComponents() names them.
      component.failure = toComponentFailure(component.failure as unknown as RawComponentStatus['failure']);
    }
  document.xml = text;
  return document;
}

/** An element of any XML document, as {@link readXmlTree} reads it. @internal */
export interface XmlTreeElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlTreeElement[];
  /** Character data directly inside, decoded; '' when only whitespace. */
  text: string;
  line: number;
}

/**
 * Any well-formed XML document as its element tree, read by the same one reader with the
 * same limits and errors (for the XML the library writes that is no VSS document, such as
 * check-writer's JUnit report, in tests).
 * @internal
 */
export function readXmlTree(xml: string): XmlTreeElement {
  return read('element-tree', xml) as XmlTreeElement;
}
