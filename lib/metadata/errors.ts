/**
 * The error thrown when a VSS XML document (writer metadata, Backup Components
 * Document) cannot be read.
 * @module
 */

/**
 * Why a document was refused:
 * - `ERR_VSS_XML_MALFORMED`: not well-formed XML (unclosed tag, bad entity, two roots...).
 * - `ERR_VSS_XML_FORBIDDEN`: a DTD or entity declaration; VSS documents never have one,
 *   and refusing them is what stops entity expansion ("billion laughs") and external entities.
 * - `ERR_VSS_XML_LIMIT`: over a size limit (document length, nesting depth, attributes per element).
 * - `ERR_VSS_XML_NOT_WRITER_METADATA` / `ERR_VSS_XML_NOT_BACKUP_COMPONENTS`: well-formed XML,
 *   but another kind of document (wrong root element or namespace).
 * - `ERR_VSS_XML_INVALID`: the right kind of document with wrong content (a missing
 *   required attribute, a GUID, number or enumeration value that does not parse).
 */
export type VssXmlErrorCode =
  | 'ERR_VSS_XML_MALFORMED'
  | 'ERR_VSS_XML_FORBIDDEN'
  | 'ERR_VSS_XML_LIMIT'
  | 'ERR_VSS_XML_NOT_WRITER_METADATA'
  | 'ERR_VSS_XML_NOT_BACKUP_COMPONENTS'
  | 'ERR_VSS_XML_INVALID';

/** Where in the document the problem is, where known. */
export interface VssXmlErrorLocation {
  /** The element, as a path from the root (`'WRITER_METADATA/BACKUP_LOCATIONS/FILE_GROUP'`). */
  element?: string | null;
  /** The attribute, where the problem is one attribute's value. */
  attribute?: string | null;
  /** 1-based line and column of the element's start tag (or of the syntax error). */
  line?: number | null;
  column?: number | null;
}

/**
 * A VSS XML document could not be read. `code` says why (see {@link VssXmlErrorCode});
 * `element`, `attribute`, `line` and `column` say where, when known.
 *
 * @example
 * try { parseWriterMetadata(text); } catch (e) { if (e instanceof VssXmlError) console.log(e.code, e.line, e.element); }
 */
export class VssXmlError extends Error {
  override name = 'VssXmlError';
  readonly code: VssXmlErrorCode;
  /** `VSS_E_INVALID_XML_DOCUMENT` (0x80042311): what VSS itself returns for such a document. */
  readonly hresult = 0x80042311;
  readonly element: string | null;
  readonly attribute: string | null;
  readonly line: number | null;
  readonly column: number | null;

  constructor(code: VssXmlErrorCode, problem: string, where: VssXmlErrorLocation = {}) {
    const place = [
      where.element ? `<${where.element.slice(where.element.lastIndexOf('/') + 1)}>` : '',
      where.attribute ? `attribute ${where.attribute}` : '',
      where.line ? `line ${where.line}${where.column ? `, column ${where.column}` : ''}` : '',
    ]
      .filter(Boolean)
      .join(', ');
    super(place ? `${problem} (${place})` : problem);
    this.code = code;
    this.element = where.element ?? null;
    this.attribute = where.attribute ?? null;
    this.line = where.line ?? null;
    this.column = where.column ?? null;
  }
}
