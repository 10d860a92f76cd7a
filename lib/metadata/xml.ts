/**
 * Reads a VSS XML document into a small element tree, safely: fast-xml-parser does
 * the tokenising; this file adds what VSS documents need and hostile ones must not get
 * (no DTDs, no entities beyond XML's five, size, depth and attribute limits) and XML's
 * attribute-value normalisation, and turns every failure into a VssXmlError.
 * @internal
 * @module
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';

import { VssXmlError, type VssXmlErrorCode } from './errors.js';

/** The limits a document must keep to. The System Writer's document, the largest real one, is about 2 MiB. */
export const XML_LIMITS = {
  /** Characters in the document. */
  maxChars: 16 * 1024 * 1024,
  /** Element nesting (VSS documents nest 4 or 5 levels). */
  maxDepth: 64,
  /** Attributes on one element (VSS elements have at most about 15). */
  maxAttributes: 64,
  /** Elements in the document (the System Writer's has about 19,000), so the trees built stay small. */
  maxElements: 200_000,
  /** Attributes in the document (the System Writer's has about 76,000). */
  maxTotalAttributes: 500_000,
  /** Characters in one tag, attributes included, and in one run of text between tags. */
  maxRun: 1024 * 1024,
} as const;

/**
 * A cheap pass over the text before any parser runs, so that a hostile document is refused
 * in time and memory proportional to its length: counts start tags, approximate attributes
 * per tag (an '=' followed by a quote) and the length of tags and text runs.
 */
function prescan(source: string, fail: (code: VssXmlErrorCode, problem: string, offset?: number, element?: string) => never): void {
  // XML 1.0 allows no C0 control but tab, CR and LF, literally or otherwise (section 2.2, Char).
  const control = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/.exec(source);
  if (control)
    fail('ERR_VSS_XML_MALFORMED', `The document has the character U+${control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}, which XML does not allow`, control.index);
  let depth = 0;
  let elements = 0;
  let totalAttributes = 0;
  let from = 0;
  for (let lt = source.indexOf('<'); lt !== -1; lt = source.indexOf('<', from)) {
    if (lt - from > XML_LIMITS.maxRun) fail('ERR_VSS_XML_LIMIT', `A run of text is longer than ${XML_LIMITS.maxRun} characters`, from);
    const next = source.charCodeAt(lt + 1);
    let terminator = '>';
    if (next === 0x21 /* ! */) terminator = source.startsWith('<!--', lt) ? '-->' : source.startsWith('<![CDATA[', lt) ? ']]>' : '>';
    else if (next === 0x3f /* ? */) terminator = '?>';
    const end = source.indexOf(terminator, lt + 1);
    if (end === -1) return; // unterminated: the validator reports where
    if (next !== 0x21 && next !== 0x3f) {
      if (end - lt > XML_LIMITS.maxRun) fail('ERR_VSS_XML_LIMIT', `A tag is longer than ${XML_LIMITS.maxRun} characters`, lt);
      if (next === 0x2f /* / */) depth--;
      else if (source.charCodeAt(end - 1) !== 0x2f && ++depth > XML_LIMITS.maxDepth)
        // Found here, where the place is known: the parser's own depth error has none.
        fail('ERR_VSS_XML_LIMIT', `Elements are nested deeper than ${XML_LIMITS.maxDepth} levels`, lt, /^<([^\s/>]+)/.exec(source.slice(lt, Math.min(end, lt + 256)))?.[1]);
      if (next !== 0x2f /* / */) {
        if (++elements > XML_LIMITS.maxElements) fail('ERR_VSS_XML_LIMIT', `The document has more than ${XML_LIMITS.maxElements} elements`, lt);
        let attributes = 0;
        for (let eq = lt + 1; eq < end; eq++) {
          if (source.charCodeAt(eq) !== 0x3d /* = */) continue;
          let q = eq + 1;
          while (q < end && (source.charCodeAt(q) === 0x20 || source.charCodeAt(q) === 0x09 || source.charCodeAt(q) === 0x0a || source.charCodeAt(q) === 0x0d)) q++;
          const quote = source.charCodeAt(q);
          if (quote !== 0x22 && quote !== 0x27) continue;
          if (++attributes > XML_LIMITS.maxAttributes) fail('ERR_VSS_XML_LIMIT', `An element has more than ${XML_LIMITS.maxAttributes} attributes`, lt);
          if (++totalAttributes > XML_LIMITS.maxTotalAttributes)
            fail('ERR_VSS_XML_LIMIT', `The document has more than ${XML_LIMITS.maxTotalAttributes} attributes`, lt);
        }
      }
    }
    from = end + terminator.length;
  }
  if (source.length - from > XML_LIMITS.maxRun) fail('ERR_VSS_XML_LIMIT', `A run of text is longer than ${XML_LIMITS.maxRun} characters`, from);
}

export interface XmlElement {
  name: string;
  /** Decoded attribute values, in document order (a null-prototype object). */
  attributes: Record<string, string>;
  children: XmlElement[];
  /** Character data directly inside the element, decoded; '' when only whitespace. */
  text: string;
  /** Offset of the start tag in the document, for line numbers. */
  offset: number;
}

export interface XmlDocument {
  root: XmlElement;
  /** The document text the offsets refer to. */
  source: string;
}

const META = XMLParser.getMetaDataSymbol() as unknown as symbol;

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  // Entities are decoded here (decode below), after normalisation, as XML requires.
  processEntities: false,
  trimValues: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  maxNestedTags: XML_LIMITS.maxDepth,
  captureMetaData: true,
});

/** 1-based line and column of an offset. */
export function locate(source: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(Math.max(offset, 0), source.length);
  for (let i = source.indexOf('\n'); i !== -1 && i < end; i = source.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: end - lineStart + 1 };
}

/** Turns bytes into text the way an XML processor does: by the byte-order mark, else UTF-8. */
export function decodeXmlBytes(bytes: Uint8Array): string {
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

function isXmlChar(cp: number): boolean {
  return cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
}

const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/**
 * Decodes references (`&amp;`, `&#10;`); `attribute` also applies XML's attribute-value
 * normalisation (a literal tab or line break is a space; a `&#10;` stays a line break).
 */
function decode(raw: string, attribute: boolean, fail: (problem: string) => never): string {
  const text = attribute && /[\t\n\r]/.test(raw) ? raw.replace(/\r\n|[\t\n\r]/g, ' ') : raw;
  let amp = text.indexOf('&');
  if (amp === -1) return text;
  let out = '';
  let from = 0;
  while (amp !== -1) {
    const semi = text.indexOf(';', amp);
    const name = semi === -1 ? '' : text.slice(amp + 1, semi);
    let value: string | undefined;
    if (/^#[0-9]{1,7}$/.test(name) || /^#x[0-9a-fA-F]{1,6}$/.test(name)) {
      const cp = name[1] === 'x' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      if (!isXmlChar(cp)) fail(`character reference &${name}; is not an XML character`);
      value = String.fromCodePoint(cp);
    } else {
      value = PREDEFINED[name];
    }
    if (value === undefined)
      fail(semi === -1 || name.length > 32 ? "'&' that starts no entity reference (write &amp;)" : `undefined entity &${name};`);
    out += text.slice(from, amp) + value;
    from = semi + 1;
    amp = text.indexOf('&', from);
  }
  return out + text.slice(from);
}

type ParsedNode = Record<string, unknown> & { ':@'?: Record<string, string> };

/** Parses a document into an element tree, or throws a VssXmlError; the root's name is checked by the caller. */
export function readXml(xml: string): XmlDocument {
  const source = xml.charCodeAt(0) === 0xfeff ? xml.slice(1) : xml;
  const fail = (code: VssXmlErrorCode, problem: string, offset?: number, element?: string): never => {
    const where = offset === undefined ? {} : locate(source, offset);
    throw new VssXmlError(code, problem, { ...where, element: element ?? null });
  };
  if (source.length > XML_LIMITS.maxChars)
    fail('ERR_VSS_XML_LIMIT', `The document is ${source.length} characters long, more than the ${XML_LIMITS.maxChars} allowed`);
  if (source.trim() === '') fail('ERR_VSS_XML_MALFORMED', 'The document is empty');
  // Before any parsing: a DTD is where entity bombs and external entities live.
  const dtd = /<!(DOCTYPE|ENTITY|ELEMENT|ATTLIST|NOTATION)\b/i.exec(source);
  if (dtd)
    fail('ERR_VSS_XML_FORBIDDEN', `The document has a <!${dtd[1]}> declaration; VSS documents have none, and DTDs and entity declarations are refused`, dtd.index);

  prescan(source, fail);

  const valid = XMLValidator.validate(source, { allowBooleanAttributes: false });
  if (valid !== true) {
    const { msg, line, col } = valid.err;
    throw new VssXmlError('ERR_VSS_XML_MALFORMED', `The document is not well-formed XML: ${msg}`, { line, column: col });
  }
  let nodes: ParsedNode[];
  try {
    nodes = parser.parse(source) as ParsedNode[];
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/nested/i.test(message)) fail('ERR_VSS_XML_LIMIT', `Elements are nested deeper than ${XML_LIMITS.maxDepth} levels`);
    // fast-xml-parser refuses names such as __proto__ that could pollute prototypes.
    if (/\[SECURITY\]/.test(message)) fail('ERR_VSS_XML_FORBIDDEN', `The document uses a refused name: ${message.replace(/^\[SECURITY\]\s*/, '')}`);
    return fail('ERR_VSS_XML_MALFORMED', `The document is not well-formed XML: ${message}`);
  }

  function convert(node: ParsedNode, name: string, path: string): XmlElement {
    const offset = (node[META as unknown as string] as { startIndex?: number } | undefined)?.startIndex ?? -1;
    const at = (problem: string): never => fail('ERR_VSS_XML_MALFORMED', problem, offset, path);
    const attributes: Record<string, string> = Object.create(null);
    const raw = node[':@'];
    if (raw) {
      const names = Object.keys(raw);
      if (names.length > XML_LIMITS.maxAttributes)
        fail('ERR_VSS_XML_LIMIT', `An element has ${names.length} attributes, more than the ${XML_LIMITS.maxAttributes} allowed`, offset, path);
      for (const attribute of names) attributes[attribute] = decode(String(raw[attribute]), true, at);
    }
    const element: XmlElement = { name, attributes, children: [], text: '', offset };
    for (const child of (node[name] as ParsedNode[] | undefined) ?? []) {
      const childName = tagOf(child);
      if (childName === '#text') element.text += decode(String(child['#text']), false, at);
      else if (childName !== undefined) element.children.push(convert(child, childName, `${path}/${childName}`));
    }
    if (element.text.trim() === '') element.text = '';
    return element;
  }

  const roots = nodes.filter((n) => tagOf(n) !== '#text' && tagOf(n) !== undefined);
  if (nodes.some((n) => tagOf(n) === '#text' && String(n['#text']).trim() !== ''))
    fail('ERR_VSS_XML_MALFORMED', 'The document has text outside its root element');
  if (roots.length !== 1) fail('ERR_VSS_XML_MALFORMED', roots.length === 0 ? 'The document has no root element' : 'The document has more than one root element');
  const rootName = tagOf(roots[0]!)!;
  return { root: convert(roots[0]!, rootName, rootName), source };
}

function tagOf(node: ParsedNode): string | undefined {
  for (const key in node) if (key !== ':@') return key;
  return undefined;
}
