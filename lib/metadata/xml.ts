/**
 * Reads a VSS XML document into a small element tree, strictly and in one pass.
 *
 * Why our own reader: VSS documents are large (the System Writer's is 2 MiB with about
 * 19,000 elements) and must be turned into JavaScript about as fast as `JSON.parse`
 * builds the same objects (`npm run bench`, BENCHMARKS.md); a general parser plus a
 * validator plus a conversion pass cost 10x that. This reader is a well-formedness checker
 * for the subset of XML 1.0 that can occur without a DTD, with the hostile-input limits
 * folded into the same pass: no DTDs (refused as forbidden), no entities beyond XML's five
 * and character references, size, depth and attribute limits, attribute-value
 * normalisation, and every failure a VssXmlError with its line and column.
 * @internal
 * @module
 */
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
 * The attributes of one document, in one place: a growing Int32Array of value offsets
 * and one array of (interned) names, instead of an array or dictionary per element.
 * Values are sliced from the source only when asked for; a value that needed decoding
 * (a reference, a literal line break) was decoded while reading, so that every
 * well-formedness error is still raised then.
 */
export class AttributeStore {
  /** Per attribute: value start, value end, index into `decoded` or -1. */
  table = new Int32Array(3 * 1024);
  readonly names: string[] = [];
  readonly decoded: string[] = [];

  constructor(readonly source: string) {}

  add(name: string, start: number, end: number, decoded: string | undefined): void {
    const index = this.names.length;
    if (3 * index + 3 > this.table.length) {
      const grown = new Int32Array(this.table.length * 2);
      grown.set(this.table);
      this.table = grown;
    }
    this.names.push(name);
    this.table[3 * index] = start;
    this.table[3 * index + 1] = end;
    this.table[3 * index + 2] = decoded === undefined ? -1 : this.decoded.push(decoded) - 1;
  }

  value(index: number): string {
    const decoded = this.table[3 * index + 2]!;
    return decoded >= 0 ? this.decoded[decoded]! : this.source.slice(this.table[3 * index]!, this.table[3 * index + 1]!);
  }

  /** Whether the value is exactly `literal`, without making a string of it. */
  equals(index: number, literal: string): boolean {
    const decoded = this.table[3 * index + 2]!;
    if (decoded >= 0) return this.decoded[decoded] === literal;
    const start = this.table[3 * index]!;
    return this.table[3 * index + 1]! - start === literal.length && this.source.startsWith(literal, start);
  }

  /** The value as a plain decimal of 1 to 10 digits (how VSS writes numbers), or -1. */
  decimal(index: number): number {
    if (this.table[3 * index + 2]! >= 0) return -1;
    const start = this.table[3 * index]!;
    const end = this.table[3 * index + 1]!;
    if (end === start || end - start > 10) return -1;
    let n = 0;
    for (let k = start; k < end; k++) {
      const digit = this.source.charCodeAt(k) - 48;
      if (digit < 0 || digit > 9) return -1;
      n = n * 10 + digit;
    }
    return n;
  }
}

export interface XmlElement {
  name: string;
  /** The document's attributes; this element's are `first` to `first + count - 1`. */
  store: AttributeStore;
  first: number;
  count: number;
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

/** The index of an attribute in the element's store, or -1. */
export function attributeIndex(element: XmlElement, name: string): number {
  const names = element.store.names;
  const end = element.first + element.count;
  for (let i = element.first; i < end; i++) if (names[i] === name) return i;
  return -1;
}

/** The value of an attribute, or undefined. */
export function attributeOf(element: XmlElement, name: string): string | undefined {
  const index = attributeIndex(element, name);
  return index === -1 ? undefined : element.store.value(index);
}

/** The attributes as a plain object (for reports of what was not recognised). */
export function attributesObject(element: XmlElement, skip?: readonly string[]): Record<string, string> {
  const result: Record<string, string> = {};
  const end = element.first + element.count;
  for (let i = element.first; i < end; i++) {
    const name = element.store.names[i]!;
    if (!skip?.includes(name)) Object.defineProperty(result, name, { value: element.store.value(i), enumerable: true, writable: true, configurable: true });
  }
  return result;
}

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

// XML 1.0 (fifth edition) NameStartChar (bit 1) and NameChar (bit 2), per UTF-16 code unit.
// Surrogates count as both: a pair stands for #x10000-#xEFFFF, which names allow; a lone one
// is caught by the character check of the text around it or by the name's end.
const NAME_START = 1;
const NAME_CHAR = 2;
const NAME_TABLE = (() => {
  const table = new Uint8Array(0x10000);
  const start = (from: number, to: number) => {
    for (let c = from; c <= to; c++) table[c] = NAME_START | NAME_CHAR;
  };
  const char = (from: number, to: number) => {
    for (let c = from; c <= to; c++) table[c] = table[c]! | NAME_CHAR;
  };
  start(0x3a, 0x3a); // ':'
  start(0x41, 0x5a);
  start(0x5f, 0x5f); // '_'
  start(0x61, 0x7a);
  start(0xc0, 0xd6);
  start(0xd8, 0xf6);
  start(0xf8, 0x2ff);
  start(0x370, 0x37d);
  start(0x37f, 0x1fff);
  start(0x200c, 0x200d);
  start(0x2070, 0x218f);
  start(0x2c00, 0x2fef);
  start(0x3001, 0xd7ff);
  start(0xd800, 0xdfff);
  start(0xf900, 0xfdcf);
  start(0xfdf0, 0xfffd);
  char(0x2d, 0x2e); // '-' '.'
  char(0x30, 0x39);
  char(0xb7, 0xb7);
  char(0x300, 0x36f);
  char(0x203f, 0x2040);
  return table;
})();

/** Names that could reach an object's prototype if a consumer copies attributes into an object. */
const REFUSED_NAMES = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Element and attribute names repeat thousands of times; handing out one string per name
 * instead of a fresh slice each time is what makes the reader as fast as it is. Slots are
 * chosen by a hash of the name taken while scanning it, and checked in place, so a miss
 * only costs a slice.
 */
const INTERNED_SLOTS = 8192;
const internedNames: (string | undefined)[] = new Array<string | undefined>(INTERNED_SLOTS).fill(undefined);
/**
 * For the repeated-attribute check in constant time: the element (by a serial number that
 * only grows) whose attributes last hashed to each slot. Only two names in one slot in one
 * element are compared one by one.
 */
const slotUsedBy = new Int32Array(INTERNED_SLOTS);
let elementSerial = 0;
/** The slot of the name `name()` read last. */
let lastNameSlot = 0;

const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

type Fail = (code: VssXmlErrorCode, problem: string, offset?: number) => never;

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
      value = Object.hasOwn(PREDEFINED, name) ? PREDEFINED[name] : undefined;
    }
    if (value === undefined)
      fail(semi === -1 || name.length > 32 ? "'&' that starts no entity reference (write &amp;)" : `undefined entity &${name};`);
    out += text.slice(from, amp) + value;
    from = semi + 1;
    amp = text.indexOf('&', from);
  }
  return out + text.slice(from);
}

/**
 * A cheap pass over a document larger than any real one before the reader runs, so that a
 * hostile one is refused in time proportional to its length without building anything:
 * counts start tags, approximate attributes per tag (an '=' followed by a quote) and the
 * length of tags and text runs. Documents up to PRESCAN_ABOVE go straight to the reader,
 * which enforces the same limits as it goes.
 */
function prescan(source: string, fail: Fail): void {
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

/** The System Writer's document, the largest real one, is about 2 MiB. */
const PRESCAN_ABOVE = 4 * 1024 * 1024;

/** Characters XML forbids anywhere (C0 controls but tab and line breaks, U+FFFE, U+FFFF). */
const FORBIDDEN_CHARACTER = /[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]/;

function describeCharacter(c: number): string {
  return `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
}

const EMPTY: XmlElement[] = [];
Object.freeze(EMPTY);

/** Parses a document into an element tree, or throws a VssXmlError; the root's name is checked by the caller. */
export function readXml(xml: string): XmlDocument {
  const source = xml.charCodeAt(0) === 0xfeff ? xml.slice(1) : xml;
  const store = new AttributeStore(source);
  const document: XmlElement = { name: '', store, first: 0, count: 0, children: [], text: '', offset: -1 };
  const stack: XmlElement[] = [document];
  /** The start tag being read, so that an error in its attributes names it. */
  let opening: string | null = null;
  const fail: Fail = (code, problem, offset) => {
    const where = offset === undefined ? {} : locate(source, offset);
    throw new VssXmlError(code, problem, { ...where, element: currentPath() });
  };
  const malformed = (problem: string, offset: number): never => fail('ERR_VSS_XML_MALFORMED', `The document is not well-formed XML: ${problem}`, offset);

  if (source.length > XML_LIMITS.maxChars)
    fail('ERR_VSS_XML_LIMIT', `The document is ${source.length} characters long, more than the ${XML_LIMITS.maxChars} allowed`);
  // Before any parsing: a DTD is where entity bombs and external entities live.
  const dtd = /<!(DOCTYPE|ENTITY|ELEMENT|ATTLIST|NOTATION)\b/i.exec(source);
  if (dtd)
    fail('ERR_VSS_XML_FORBIDDEN', `The document has a <!${dtd[1]}> declaration; VSS documents have none, and DTDs and entity declarations are refused`, dtd.index);

  if (source.length > PRESCAN_ABOVE) prescan(source, fail);

  const n = source.length;
  let current = document;
  let elements = 0;
  let totalAttributes = 0;
  let root: XmlElement | undefined;
  /**
   * Where the next ']]>' at or after the text run being read stands (-1: none left). Searched
   * again only once the reader has passed it, so that a pretty-printed document, thousands of
   * text runs, is not searched to its end once per run.
   */
  let nextCdataClose = -2;
  let i = 0;

  function currentPath(): string | null {
    const names = stack.slice(1).map((e) => e.name);
    if (opening !== null) names.push(opening);
    return names.length ? names.join('/') : null;
  }

  /** Checks characters of a run the tokenizer did not look at one by one (comments, PIs, CDATA). */
  function checkCharacters(from: number, to: number): void {
    const run = source.slice(from, to);
    const bad = FORBIDDEN_CHARACTER.exec(run);
    if (bad) malformed(`the character ${describeCharacter(bad[0].charCodeAt(0))} is not allowed in XML`, from + bad.index);
    if (!(run as string & { isWellFormed(): boolean }).isWellFormed()) malformed('a lone surrogate is not a character', from);
  }

  /**
   * Scans a run of character data or an attribute value for what needs more than a slice:
   * forbidden characters (an error), and '&' or a literal line break (decoding needed).
   * Returns true when the run needs decoding.
   */
  function scanRun(from: number, to: number, attribute: boolean): boolean {
    let special = false;
    for (let k = from; k < to; k++) {
      const c = source.charCodeAt(k);
      if (c > 0x3c && c < 0xd800) continue;
      if (c >= 0x27 && c < 0x3c) continue;
      if (c === 0x26 /* & */) special = true;
      else if (c === 0x3c /* < */) malformed(attribute ? "'<' is not allowed in an attribute value" : "unexpected '<'", k);
      else if (c === 0x09 || c === 0x0a || c === 0x0d) special ||= attribute;
      else if (c < 0x20) malformed(`the character ${describeCharacter(c)} is not allowed in XML`, k);
      else if (c >= 0xd800 && c <= 0xdbff) {
        const next = source.charCodeAt(k + 1);
        if (!(next >= 0xdc00 && next <= 0xdfff) || k + 1 >= to) malformed('a lone surrogate is not a character', k);
        k++;
      } else if (c >= 0xdc00 && c <= 0xdfff) malformed('a lone surrogate is not a character', k);
      else if (c === 0xfffe || c === 0xffff) malformed(`the character ${describeCharacter(c)} is not allowed in XML`, k);
    }
    return special;
  }

  function name(from: number, what: string): string {
    let c = source.charCodeAt(from);
    if (!(NAME_TABLE[c]! & NAME_START)) malformed(`${what} does not start with a name character`, from);
    let hash = c;
    let end = from + 1;
    while (end < n && NAME_TABLE[(c = source.charCodeAt(end))]! & NAME_CHAR) {
      hash = (hash * 31 + c) | 0;
      end++;
    }
    const length = end - from;
    const slot = hash & (INTERNED_SLOTS - 1);
    lastNameSlot = slot;
    const known = internedNames[slot];
    if (known !== undefined && known.length === length && source.startsWith(known, from)) return known;
    const fresh = source.slice(from, end);
    if (REFUSED_NAMES.has(fresh)) fail('ERR_VSS_XML_FORBIDDEN', `The document uses a refused name: '${fresh}'`, from);
    if (length <= 64) internedNames[slot] = fresh;
    return fresh;
  }

  function skipSpace(from: number): number {
    let k = from;
    for (let c = source.charCodeAt(k); c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d; c = source.charCodeAt(++k));
    return k;
  }

  function text(from: number, to: number): void {
    if (to - from > XML_LIMITS.maxRun) fail('ERR_VSS_XML_LIMIT', `A run of text is longer than ${XML_LIMITS.maxRun} characters`, from);
    const special = scanRun(from, to, false);
    if (current === document) {
      if (skipSpace(from) < to) malformed('the document has text outside its root element', from);
      return;
    }
    if (nextCdataClose !== -1 && nextCdataClose < from) nextCdataClose = source.indexOf(']]>', from);
    if (nextCdataClose !== -1 && nextCdataClose + 3 <= to) malformed("']]>' is not allowed in text", nextCdataClose);
    if (skipSpace(from) >= to && current.text === '') return; // whitespace between elements
    const raw = source.slice(from, to);
    current.text += special ? decode(raw, false, (problem) => malformed(problem, from)) : raw;
  }

  if (source.startsWith('<?xml', 0) && NAME_TABLE[source.charCodeAt(5)] === 0) {
    const end = source.indexOf('?>', 5);
    if (end === -1) malformed('the XML declaration is not closed', 0);
    const declaration = source.slice(0, end + 2);
    if (!/^<\?xml\s+version\s*=\s*(["'])1\.[0-9]+\1(\s+encoding\s*=\s*(["'])[A-Za-z][A-Za-z0-9._-]*\3)?(\s+standalone\s*=\s*(["'])(yes|no)\5)?\s*\?>$/.test(declaration))
      malformed('the XML declaration is not valid', 0);
    i = end + 2;
  }

  while (i < n) {
    const lt = source.indexOf('<', i);
    if (lt === -1) {
      text(i, n);
      break;
    }
    if (lt > i) text(i, lt);
    const next = source.charCodeAt(lt + 1);
    if (next === 0x2f /* / end tag */) {
      if (current === document) malformed('a closing tag without an opening tag', lt);
      const expected = current.name;
      if (!source.startsWith(expected, lt + 2) || NAME_TABLE[source.charCodeAt(lt + 2 + expected.length)]! & NAME_CHAR) {
        let end = lt + 2;
        while (end < n && NAME_TABLE[source.charCodeAt(end)]! & NAME_CHAR) end++;
        malformed(`the closing tag </${source.slice(lt + 2, end)}> does not match <${expected}>`, lt);
      }
      const close = skipSpace(lt + 2 + expected.length);
      if (source.charCodeAt(close) !== 0x3e) malformed(`the closing tag </${expected}> is not closed with '>'`, lt);
      stack.pop();
      current = stack[stack.length - 1]!;
      i = close + 1;
      continue;
    }
    if (next === 0x21 /* ! */) {
      if (source.startsWith('<!--', lt)) {
        const end = source.indexOf('--', lt + 4);
        if (end === -1) malformed('a comment is not closed', lt);
        if (source.charCodeAt(end + 2) !== 0x3e) malformed("'--' is not allowed inside a comment", end);
        checkCharacters(lt + 4, end);
        i = end + 3;
        continue;
      }
      if (source.startsWith('<![CDATA[', lt)) {
        if (current === document) malformed('a CDATA section outside the root element', lt);
        const end = source.indexOf(']]>', lt + 9);
        if (end === -1) malformed('a CDATA section is not closed', lt);
        if (end - lt > XML_LIMITS.maxRun) fail('ERR_VSS_XML_LIMIT', `A run of text is longer than ${XML_LIMITS.maxRun} characters`, lt);
        checkCharacters(lt + 9, end);
        current.text += source.slice(lt + 9, end);
        i = end + 3;
        continue;
      }
      malformed("'<!' that starts no comment or CDATA section", lt);
    }
    if (next === 0x3f /* ? processing instruction */) {
      const target = name(lt + 2, 'a processing instruction');
      if (target.toLowerCase() === 'xml') malformed('an XML declaration anywhere but at the very start', lt);
      const end = source.indexOf('?>', lt + 2);
      if (end === -1) malformed('a processing instruction is not closed', lt);
      checkCharacters(lt + 2, end);
      i = end + 2;
      continue;
    }

    // A start tag.
    if (current === document && root !== undefined) malformed('the document has more than one root element', lt);
    if (++elements > XML_LIMITS.maxElements) fail('ERR_VSS_XML_LIMIT', `The document has more than ${XML_LIMITS.maxElements} elements`, lt);
    const tagName = name(lt + 1, 'a tag');
    opening = tagName;
    const first = store.names.length;
    if (elementSerial === 0x7fffffff) {
      elementSerial = 0;
      slotUsedBy.fill(0);
    }
    const serial = ++elementSerial;
    let k = lt + 1 + tagName.length;
    let c: number;
    for (;;) {
      const space = k;
      k = skipSpace(k);
      c = source.charCodeAt(k);
      if (c === 0x3e /* > */ || c === 0x2f /* / */) break;
      if (k >= n) malformed(`the tag <${tagName}> is not closed`, lt);
      if (k === space) malformed(`attributes of <${tagName}> must be separated by white space`, k);
      const attributeName = name(k, 'an attribute');
      k = skipSpace(k + attributeName.length);
      if (source.charCodeAt(k) !== 0x3d /* = */) malformed(`the attribute ${attributeName} of <${tagName}> has no value`, k);
      k = skipSpace(k + 1);
      const quote = source.charCodeAt(k);
      if (quote !== 0x22 && quote !== 0x27) malformed(`the value of the attribute ${attributeName} of <${tagName}> is not quoted`, k);
      const end = source.indexOf(quote === 0x22 ? '"' : "'", k + 1);
      if (end === -1) malformed(`the value of the attribute ${attributeName} of <${tagName}> is not closed`, k);
      if (end - lt > XML_LIMITS.maxRun) fail('ERR_VSS_XML_LIMIT', `A tag is longer than ${XML_LIMITS.maxRun} characters`, lt);
      const names = store.names;
      if (slotUsedBy[lastNameSlot] === serial) {
        for (let a = first; a < names.length; a++)
          if (names[a] === attributeName) malformed(`the attribute ${attributeName} of <${tagName}> is repeated`, k);
      } else {
        slotUsedBy[lastNameSlot] = serial;
      }
      if (names.length - first >= XML_LIMITS.maxAttributes)
        fail('ERR_VSS_XML_LIMIT', `An element has more than ${XML_LIMITS.maxAttributes} attributes`, lt);
      if (++totalAttributes > XML_LIMITS.maxTotalAttributes)
        fail('ERR_VSS_XML_LIMIT', `The document has more than ${XML_LIMITS.maxTotalAttributes} attributes`, lt);
      const special = scanRun(k + 1, end, true);
      store.add(attributeName, k + 1, end, special ? decode(source.slice(k + 1, end), true, (problem) => malformed(problem, k)) : undefined);
      k = end + 1;
    }
    if (k - lt > XML_LIMITS.maxRun) fail('ERR_VSS_XML_LIMIT', `A tag is longer than ${XML_LIMITS.maxRun} characters`, lt);
    opening = null;
    const element: XmlElement = { name: tagName, store, first, count: store.names.length - first, children: EMPTY, text: '', offset: lt };
    if (current.children === EMPTY) current.children = [element];
    else current.children.push(element);
    if (current === document) root = element;
    if (c === 0x2f) {
      if (source.charCodeAt(k + 1) !== 0x3e) malformed(`'/' in the tag <${tagName}> is not followed by '>'`, k);
      i = k + 2;
    } else {
      if (stack.length > XML_LIMITS.maxDepth)
        fail('ERR_VSS_XML_LIMIT', `The document's elements are nested deeper than ${XML_LIMITS.maxDepth} levels`, lt);
      stack.push(element);
      current = element;
      i = k + 1;
    }
  }

  if (current !== document) malformed(`<${current.name}> is not closed`, current.offset);
  if (root === undefined) {
    if (skipSpace(0) >= n) return fail('ERR_VSS_XML_MALFORMED', 'The document is empty');
    return malformed('the document has no root element', 0);
  }
  return { root, source };
}
