/**
 * Parsers for the XML documents VSS writes: the writer metadata document
 * (`IVssExamineWriterMetadata::SaveAsXML`, `<WRITER_METADATA>`) and the Backup
 * Components Document (`IVssBackupComponents::SaveAsXML`, `<BACKUP_COMPONENTS>`).
 * Pure functions on every OS; they give the same objects the API gives.
 * @module
 */
import {
  BackupTypes,
  ComponentTypes,
  FileRestoreStatuses,
  RestoreMethods,
  SourceTypes,
  UsageTypes,
  WriterRestoreModes,
  componentFlagNames,
} from '../enums.js';
import { VOCABULARY } from '../vocabulary.generated.js';
import { VssXmlError } from './errors.js';
import type {
  BackupComponentRecord,
  BackupComponentsDocument,
  BackupComponentsWriter,
  ComponentDependency,
  FileDescriptor,
  RestoreMethod,
  UnrecognizedXml,
  WriterComponent,
  WriterMetadata,
} from './types.js';
import { attributeIndex, attributeOf, attributesObject, decodeXmlBytes, readXml, type XmlDocument, type XmlElement } from './xml.js';

const WRITER_METADATA_NAMESPACE = 'x-schema:#VssWriterMetadataInfo';
const BACKUP_COMPONENTS_NAMESPACE = 'x-schema:#VssComponentMetadata';

/**
 * The enumeration values as VSS writes them in XML (native/core/vocabulary.inc), to
 * their numbers; keyed as `enumeration()` normalises what it reads (upper case, `_`).
 */
function xmlCodes(terms: readonly (readonly [number, string, string | null])[]): Record<string, number> {
  return Object.fromEntries(terms.flatMap(([code, , xml]) => (xml === null ? [] : [[xml.toUpperCase().replace(/-/g, '_'), code]])));
}
const USAGE = xmlCodes(VOCABULARY.UsageType.terms);
const SOURCE = xmlCodes(VOCABULARY.SourceType.terms);
const RESTORE_METHOD = xmlCodes(VOCABULARY.RestoreMethod.terms);
const WRITER_RESTORE = xmlCodes(VOCABULARY.WriterRestore.terms);
const BACKUP_TYPE = xmlCodes(VOCABULARY.BackupType.terms);
const COMPONENT_TYPE = xmlCodes(VOCABULARY.ComponentType.terms);
const FILE_RESTORE_STATUS = xmlCodes(VOCABULARY.FileRestoreStatus.terms);

/** VSS_FSBT_ALL_BACKUP_REQUIRED | VSS_FSBT_ALL_SNAPSHOT_REQUIRED: what VSS assumes when a file list gives no mask. */
const DEFAULT_BACKUP_TYPE_MASK = 0xf0f;

const FILE_ATTRIBUTES = ['path', 'filespec', 'recursive', 'alternatePath', 'filespecBackupType'] as const;

const GUID = /^\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\}?$/;

/** Walks one document: typed reads of attributes, and a record of everything not recognised. */
class DocumentReader {
  readonly unrecognized: UnrecognizedXml[] = [];
  #lineStarts: number[] | undefined;

  constructor(readonly document: XmlDocument) {}

  line(element: XmlElement): number {
    if (element.offset < 0) return 0;
    if (!this.#lineStarts) {
      const starts = [0];
      const source = this.document.source;
      for (let i = source.indexOf('\n'); i !== -1; i = source.indexOf('\n', i + 1)) starts.push(i + 1);
      this.#lineStarts = starts;
    }
    const starts = this.#lineStarts;
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (starts[mid]! <= element.offset) low = mid;
      else high = mid - 1;
    }
    return low + 1;
  }

  fail(element: XmlElement, path: string, problem: string, attribute?: string): never {
    const line = this.line(element);
    const column = line ? element.offset - (this.#lineStarts![line - 1] ?? 0) + 1 : null;
    throw new VssXmlError('ERR_VSS_XML_INVALID', problem, { element: path, attribute: attribute ?? null, line: line || null, column });
  }

  /** Records the element's attributes not in `known` as unrecognised, and its text. */
  attributes(element: XmlElement, path: string, known: readonly string[]): void {
    const names = element.store.names;
    const end = element.first + element.count;
    let extra = false;
    for (let i = element.first; i < end; i++) if (!known.includes(names[i]!)) extra = true;
    if (extra || element.text) {
      this.unrecognized.push({
        element: path,
        line: this.line(element),
        attributes: attributesObject(element, known),
        ...(element.text ? { text: element.text } : {}),
        unknownElement: false,
      });
    }
  }

  /** Records an element this reader does not know, with everything inside it. */
  unknownElement(element: XmlElement, path: string): void {
    this.unrecognized.push({
      element: path,
      line: this.line(element),
      attributes: attributesObject(element),
      ...(element.text ? { text: element.text } : {}),
      unknownElement: true,
    });
    for (const child of element.children) this.unknownElement(child, `${path}/${child.name}`);
  }

  required(element: XmlElement, path: string, name: string): string {
    const value = attributeOf(element, name);
    if (value === undefined) this.fail(element, path, `<${element.name}> has no ${name} attribute`, name);
    return value;
  }

  guid(element: XmlElement, path: string, name: string): string {
    const value = this.required(element, path, name);
    const match = GUID.exec(value.trim());
    if (!match) this.fail(element, path, `${name}="${value}" is not a GUID`, name);
    return match[1]!.toLowerCase();
  }

  optionalGuid(element: XmlElement, path: string, name: string): string | null {
    return attributeOf(element, name) === undefined ? null : this.guid(element, path, name);
  }

  string(element: XmlElement, name: string): string {
    return attributeOf(element, name) ?? '';
  }

  boolean(element: XmlElement, path: string, name: string, fallback = false): boolean {
    const index = attributeIndex(element, name);
    if (index === -1) return fallback;
    if (element.store.equals(index, 'yes')) return true; // how VSS writes them: the common case first
    if (element.store.equals(index, 'no')) return false;
    const value = element.store.value(index);
    switch (value.trim().toLowerCase()) {
      case 'yes':
      case 'true':
      case '1':
        return true;
      case 'no':
      case 'false':
      case '0':
        return false;
      default:
        return this.fail(element, path, `${name}="${value}" is not "yes" or "no"`, name);
    }
  }

  number(element: XmlElement, path: string, name: string, fallback = 0): number {
    const index = attributeIndex(element, name);
    if (index === -1) return fallback;
    const n = element.store.decimal(index);
    if (n >= 0 && n <= 0xffffffff) return n;
    // Otherwise the forms a hand-written document may use: spaces around it, or hex.
    const value = element.store.value(index);
    const text = value.trim();
    const parsed = /^[0-9]{1,10}$/.test(text) ? Number(text) : /^0x[0-9a-fA-F]{1,8}$/i.test(text) ? parseInt(text.slice(2), 16) : NaN;
    if (!(parsed >= 0 && parsed <= 0xffffffff)) this.fail(element, path, `${name}="${value}" is not a 32-bit unsigned number`, name);
    return parsed;
  }

  /** An enumeration value as VSS writes it (case and '-'/'_' ignored), or its number. */
  enumeration(element: XmlElement, path: string, name: string, values: Record<string, number>, fallback = 0): number {
    const value = attributeOf(element, name);
    if (value === undefined) return fallback;
    const key = value.trim().toUpperCase().replace(/-/g, '_');
    const code = values[key] ?? (/^[0-9]{1,3}$/.test(key) && Object.values(values).includes(Number(key)) ? Number(key) : undefined);
    if (code === undefined) this.fail(element, path, `${name}="${value}" is not one of ${Object.keys(values).join(', ')}`, name);
    return code;
  }

  /**
   * A file list entry of `parent` (the path of the element it is in). The System Writer's
   * document has 19,000 of them, so the usual entry (known attributes, plain values) is read
   * in one pass over its attributes; anything else goes the general way.
   */
  fileIn(element: XmlElement, parent: string): FileDescriptor {
    const { store, first, count } = element;
    const names = store.names;
    let path = -1;
    let filespec = -1;
    let recursive = -1;
    let alternatePath = -1;
    let mask = -1;
    let usual = element.text === '' && element.children.length === 0;
    for (let i = first, end = first + count; i < end && usual; i++) {
      switch (names[i]) {
        case 'path':
          path = i;
          break;
        case 'filespec':
          filespec = i;
          break;
        case 'recursive':
          recursive = i;
          break;
        case 'alternatePath':
          alternatePath = i;
          break;
        case 'filespecBackupType':
          mask = i;
          break;
        default:
          usual = false;
      }
    }
    const recursiveValue = recursive === -1 ? false : store.equals(recursive, 'yes') ? true : store.equals(recursive, 'no') ? false : undefined;
    const maskValue = mask === -1 ? DEFAULT_BACKUP_TYPE_MASK : store.decimal(mask);
    if (!usual || path === -1 || filespec === -1 || recursiveValue === undefined || maskValue < 0 || maskValue > 0xffffffff)
      return this.file(element, `${parent}/${element.name}`);
    return {
      path: store.value(path),
      filespec: store.value(filespec),
      recursive: recursiveValue,
      alternatePath: alternatePath === -1 ? null : store.value(alternatePath) || null,
      backupTypeMask: maskValue,
    };
  }

  file(element: XmlElement, path: string): FileDescriptor {
    this.attributes(element, path, FILE_ATTRIBUTES);
    for (const child of element.children) this.unknownElement(child, `${path}/${child.name}`);
    return {
      path: this.required(element, path, 'path'),
      filespec: this.required(element, path, 'filespec'),
      recursive: this.boolean(element, path, 'recursive'),
      alternatePath: attributeOf(element, 'alternatePath') || null,
      backupTypeMask: this.number(element, path, 'filespecBackupType', DEFAULT_BACKUP_TYPE_MASK),
    };
  }

  /** Checks the root element and its namespace. */
  root(expected: string, namespace: string, code: 'ERR_VSS_XML_NOT_WRITER_METADATA' | 'ERR_VSS_XML_NOT_BACKUP_COMPONENTS', what: string): XmlElement {
    const root = this.document.root;
    const where = { element: root.name, line: this.line(root) || null };
    if (root.name !== expected) {
      const hint =
        root.name === 'BACKUP_COMPONENTS'
          ? '; it is a Backup Components Document (use parseBackupComponentsDocument)'
          : root.name === 'WRITER_METADATA'
            ? '; it is a writer metadata document (use parseWriterMetadata)'
            : '';
      throw new VssXmlError(code, `Not ${what}: the root element is <${root.name}>, not <${expected}>${hint}`, where);
    }
    const xmlns = attributeOf(root, 'xmlns');
    if (xmlns !== undefined && xmlns !== namespace)
      throw new VssXmlError(code, `Not ${what}: the namespace is "${xmlns}", not "${namespace}"`, { ...where, attribute: 'xmlns' });
    return root;
  }
}

function toText(xml: unknown, what: string): string {
  if (typeof xml === 'string') return xml;
  if (xml instanceof Uint8Array) return decodeXmlBytes(xml);
  const error = new TypeError(`The ${what} must be a string or a Uint8Array, received ${xml === null ? 'null' : typeof xml}`);
  (error as TypeError & { code: string }).code = 'ERR_INVALID_ARG_TYPE';
  throw error;
}

function component(reader: DocumentReader, element: XmlElement, path: string): WriterComponent {
  reader.attributes(element, path, [
    'logicalPath',
    'componentName',
    'caption',
    'restoreMetadata',
    'notifyOnBackupComplete',
    'selectable',
    'selectableForRestore',
    'componentFlags',
    'icon',
  ]);
  const typeCode = element.name === 'DATABASE' ? 1 : 2;
  const flags = reader.number(element, path, 'componentFlags');
  const result: WriterComponent = {
    name: reader.required(element, path, 'componentName'),
    logicalPath: reader.string(element, 'logicalPath'),
    caption: reader.string(element, 'caption'),
    type: ComponentTypes.name(typeCode),
    typeCode,
    selectable: reader.boolean(element, path, 'selectable'),
    selectableForRestore: reader.boolean(element, path, 'selectableForRestore'),
    restoreMetadata: reader.boolean(element, path, 'restoreMetadata'),
    notifyOnBackupComplete: reader.boolean(element, path, 'notifyOnBackupComplete'),
    flags,
    flagNames: componentFlagNames(flags),
    files: [],
    databaseFiles: [],
    logFiles: [],
    dependencies: [],
  };
  if (attributeOf(element, 'icon') !== undefined) result.icon = attributeOf(element, 'icon');
  for (const child of element.children) {
    switch (child.name) {
      case 'FILE_LIST':
        result.files.push(reader.fileIn(child, path));
        continue;
      case 'DATABASE_FILES':
        result.databaseFiles.push(reader.fileIn(child, path));
        continue;
      case 'DATABASE_LOGFILES':
        result.logFiles.push(reader.fileIn(child, path));
        continue;
    }
    const at = `${path}/${child.name}`;
    switch (child.name) {
      case 'DEPENDENCY': {
        reader.attributes(child, at, ['writerId', 'logicalPath', 'componentName']);
        for (const inner of child.children) reader.unknownElement(inner, `${at}/${inner.name}`);
        const dependency: ComponentDependency = {
          writerId: reader.guid(child, at, 'writerId'),
          logicalPath: reader.string(child, 'logicalPath'),
          componentName: reader.required(child, at, 'componentName'),
        };
        result.dependencies.push(dependency);
        break;
      }
      default:
        reader.unknownElement(child, at);
    }
  }
  return result;
}

function single(reader: DocumentReader, parent: XmlElement, path: string, name: string): XmlElement | undefined {
  const found = parent.children.filter((c) => c.name === name);
  if (found.length > 1) reader.fail(found[1]!, `${path}/${name}`, `<${parent.name}> has more than one <${name}>`);
  return found[0];
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
  const reader = new DocumentReader(readXml(text));
  const root = reader.root('WRITER_METADATA', WRITER_METADATA_NAMESPACE, 'ERR_VSS_XML_NOT_WRITER_METADATA', 'a writer metadata document');
  const rootPath = root.name;
  reader.attributes(root, rootPath, ['xmlns', 'version', 'backupSchema']);
  const backupSchema = reader.number(root, rootPath, 'backupSchema');

  const identification = single(reader, root, rootPath, 'IDENTIFICATION');
  if (!identification)
    throw new VssXmlError('ERR_VSS_XML_INVALID', 'The writer metadata document has no <IDENTIFICATION> element', {
      element: rootPath,
      line: reader.line(root) || null,
    });
  const idPath = `${rootPath}/IDENTIFICATION`;
  reader.attributes(identification, idPath, [
    'writerId',
    'instanceId',
    'instanceName',
    'friendlyName',
    'usage',
    'dataSource',
    'majorVersion',
    'minorVersion',
  ]);
  for (const child of identification.children) reader.unknownElement(child, `${idPath}/${child.name}`);
  const usageCode = reader.enumeration(identification, idPath, 'usage', USAGE);
  const sourceCode = reader.enumeration(identification, idPath, 'dataSource', SOURCE);

  let restoreMethod: RestoreMethod | null = null;
  const alternateLocationMappings: FileDescriptor[] = [];
  const restore = single(reader, root, rootPath, 'RESTORE_METHOD');
  if (restore) {
    const path = `${rootPath}/RESTORE_METHOD`;
    reader.attributes(restore, path, ['method', 'service', 'userProcedure', 'writerRestore', 'rebootRequired']);
    reader.required(restore, path, 'method');
    const methodCode = reader.enumeration(restore, path, 'method', RESTORE_METHOD);
    const writerRestoreCode = reader.enumeration(restore, path, 'writerRestore', WRITER_RESTORE);
    restoreMethod = {
      method: RestoreMethods.name(methodCode),
      methodCode,
      service: reader.string(restore, 'service'),
      userProcedure: reader.string(restore, 'userProcedure'),
      writerRestore: WriterRestoreModes.name(writerRestoreCode),
      writerRestoreCode,
      rebootRequired: reader.boolean(restore, path, 'rebootRequired'),
    };
    for (const child of restore.children) {
      if (child.name === 'ALTERNATE_LOCATION_MAPPING') alternateLocationMappings.push(reader.file(child, `${path}/${child.name}`));
      else reader.unknownElement(child, `${path}/${child.name}`);
    }
  }

  const components: WriterComponent[] = [];
  const includeFiles: FileDescriptor[] = [];
  const excludeFiles: FileDescriptor[] = [];
  const excludeFromSnapshot: FileDescriptor[] = [];
  const locations = single(reader, root, rootPath, 'BACKUP_LOCATIONS');
  if (locations) {
    const path = `${rootPath}/BACKUP_LOCATIONS`;
    reader.attributes(locations, path, []);
    for (const child of locations.children) {
      const at = `${path}/${child.name}`;
      switch (child.name) {
        case 'DATABASE':
        case 'FILE_GROUP':
          components.push(component(reader, child, at));
          break;
        case 'INCLUDE_FILES':
          includeFiles.push(reader.file(child, at));
          break;
        case 'EXCLUDE_FILES':
          excludeFiles.push(reader.file(child, at));
          break;
        case 'EXCLUDE_FILES_FROM_SNAPSHOT':
          excludeFromSnapshot.push(reader.file(child, at));
          break;
        default:
          reader.unknownElement(child, at);
      }
    }
  }
  for (const child of root.children)
    if (!['IDENTIFICATION', 'RESTORE_METHOD', 'BACKUP_LOCATIONS'].includes(child.name)) reader.unknownElement(child, `${rootPath}/${child.name}`);

  const metadata: WriterMetadata = {
    name: reader.string(identification, 'friendlyName'),
    writerId: reader.guid(identification, idPath, 'writerId'),
    instanceId: reader.guid(identification, idPath, 'instanceId'),
    instanceName: reader.string(identification, 'instanceName'),
    usage: UsageTypes.name(usageCode),
    usageCode,
    source: SourceTypes.name(sourceCode),
    sourceCode,
    version: {
      major: reader.number(identification, idPath, 'majorVersion'),
      minor: reader.number(identification, idPath, 'minorVersion'),
    },
    backupSchema,
    restoreMethod,
    components,
    includeFiles,
    excludeFiles,
    excludeFromSnapshot,
    alternateLocationMappings,
    xml: text,
  };
  if (reader.unrecognized.length) metadata.unrecognized = reader.unrecognized;
  return metadata;
}

function backupComponent(reader: DocumentReader, element: XmlElement, path: string): BackupComponentRecord {
  reader.attributes(element, path, [
    'componentType',
    'logicalPath',
    'componentName',
    'backupSucceeded',
    'backupOptions',
    'restoreOptions',
    'backupStamp',
    'previousBackupStamp',
    'selectedForRestore',
    'additionalRestores',
    'restoreTarget',
    'preRestoreFailureMsg',
    'postRestoreFailureMsg',
    'filesRestored',
    'fileRestoreStatus',
  ]);
  reader.required(element, path, 'componentType');
  const typeCode = reader.enumeration(element, path, 'componentType', COMPONENT_TYPE);
  const statusAttribute = attributeOf(element, 'filesRestored') !== undefined ? 'filesRestored' : 'fileRestoreStatus';
  const fileRestoreStatusCode = reader.enumeration(element, path, statusAttribute, FILE_RESTORE_STATUS);
  const record: BackupComponentRecord = {
    name: reader.required(element, path, 'componentName'),
    logicalPath: reader.string(element, 'logicalPath'),
    type: ComponentTypes.name(typeCode),
    typeCode,
    backupSucceeded: attributeOf(element, 'backupSucceeded') === undefined ? null : reader.boolean(element, path, 'backupSucceeded'),
    backupStamp: reader.string(element, 'backupStamp'),
    previousBackupStamp: reader.string(element, 'previousBackupStamp'),
    backupOptions: reader.string(element, 'backupOptions'),
    restoreOptions: reader.string(element, 'restoreOptions'),
    selectedForRestore: reader.boolean(element, path, 'selectedForRestore'),
    additionalRestores: reader.boolean(element, path, 'additionalRestores'),
    restoreTarget: reader.string(element, 'restoreTarget'),
    preRestoreFailureMessage: reader.string(element, 'preRestoreFailureMsg'),
    postRestoreFailureMessage: reader.string(element, 'postRestoreFailureMsg'),
    fileRestoreStatus: FileRestoreStatuses.name(fileRestoreStatusCode),
    fileRestoreStatusCode,
    backupMetadata: null,
    restoreMetadata: null,
    alternateLocationMappings: [],
    newTargets: [],
    partialFiles: [],
    directedTargets: [],
    restoreSubcomponents: [],
    differencedFiles: [],
  };
  for (const child of element.children) {
    const at = `${path}/${child.name}`;
    const known = (names: readonly string[]) => {
      reader.attributes(child, at, names);
      for (const inner of child.children) reader.unknownElement(inner, `${at}/${inner.name}`);
    };
    switch (child.name) {
      case 'ALTERNATE_LOCATION_MAPPING':
        record.alternateLocationMappings.push(reader.file(child, at));
        break;
      case 'RESTORE_TARGET':
        record.newTargets.push(reader.file(child, at));
        break;
      case 'BACKUP_METADATA':
      case 'RESTORE_METADATA':
        known(['metadata']);
        record[child.name === 'BACKUP_METADATA' ? 'backupMetadata' : 'restoreMetadata'] = reader.string(child, 'metadata');
        break;
      case 'PARTIAL_FILE':
        known(['path', 'filespec', 'ranges', 'metadata']);
        record.partialFiles.push({
          path: reader.required(child, at, 'path'),
          filespec: reader.required(child, at, 'filespec'),
          ranges: reader.string(child, 'ranges'),
          metadata: reader.string(child, 'metadata'),
        });
        break;
      case 'DIRECTED_TARGET':
        known(['path', 'filespec', 'sourcePath', 'sourceFilespec', 'sourceRanges', 'targetPath', 'targetFilespec', 'targetRanges']);
        record.directedTargets.push({
          sourcePath: attributeOf(child, 'sourcePath') ?? reader.string(child, 'path'),
          sourceFilespec: attributeOf(child, 'sourceFilespec') ?? reader.string(child, 'filespec'),
          sourceRanges: reader.string(child, 'sourceRanges'),
          targetPath: reader.string(child, 'targetPath'),
          targetFilespec: reader.string(child, 'targetFilespec'),
          targetRanges: reader.string(child, 'targetRanges'),
        });
        break;
      case 'RESTORE_SUBCOMPONENT':
        known(['logicalPath', 'componentName', 'repair']);
        record.restoreSubcomponents.push({
          logicalPath: reader.string(child, 'logicalPath'),
          componentName: reader.required(child, at, 'componentName'),
          repair: reader.boolean(child, at, 'repair'),
        });
        break;
      case 'DIFFERENCED_FILE': {
        known(['path', 'filespec', 'recursive', 'lastModifyTimeLow', 'lastModifyTimeHigh', 'lastModifyLSN']);
        const hasTime = attributeOf(child, 'lastModifyTimeLow') !== undefined || attributeOf(child, 'lastModifyTimeHigh') !== undefined;
        record.differencedFiles.push({
          path: reader.required(child, at, 'path'),
          filespec: reader.required(child, at, 'filespec'),
          recursive: reader.boolean(child, at, 'recursive'),
          lastModifyTime: hasTime
            ? (BigInt(reader.number(child, at, 'lastModifyTimeHigh')) << 32n) | BigInt(reader.number(child, at, 'lastModifyTimeLow'))
            : null,
          lastModifyLsn: reader.string(child, 'lastModifyLSN'),
        });
        break;
      }
      default:
        reader.unknownElement(child, at);
    }
  }
  return record;
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
  const reader = new DocumentReader(readXml(text));
  const root = reader.root('BACKUP_COMPONENTS', BACKUP_COMPONENTS_NAMESPACE, 'ERR_VSS_XML_NOT_BACKUP_COMPONENTS', 'a Backup Components Document');
  const rootPath = root.name;
  reader.attributes(root, rootPath, [
    'xmlns',
    'version',
    'bootableSystemStateBackup',
    'selectComponents',
    'backupType',
    'partialFileSupport',
    'snapshotSetId',
    'restoreType',
  ]);
  const backupTypeCode = reader.enumeration(root, rootPath, 'backupType', BACKUP_TYPE);
  const writers: BackupComponentsWriter[] = [];
  for (const child of root.children) {
    const path = `${rootPath}/${child.name}`;
    if (child.name !== 'WRITER_COMPONENTS') {
      reader.unknownElement(child, path);
      continue;
    }
    reader.attributes(child, path, ['writerId', 'instanceId', 'instanceName', 'backupSchema']);
    const writer: BackupComponentsWriter = {
      writerId: reader.guid(child, path, 'writerId'),
      instanceId: reader.guid(child, path, 'instanceId'),
      instanceName: reader.string(child, 'instanceName'),
      backupSchema: reader.number(child, path, 'backupSchema'),
      components: [],
    };
    for (const inner of child.children) {
      const at = `${path}/${inner.name}`;
      if (inner.name === 'COMPONENT') writer.components.push(backupComponent(reader, inner, at));
      else reader.unknownElement(inner, at);
    }
    writers.push(writer);
  }
  const document: BackupComponentsDocument = {
    snapshotSetId: reader.optionalGuid(root, rootPath, 'snapshotSetId'),
    bootableSystemState: reader.boolean(root, rootPath, 'bootableSystemStateBackup'),
    selectComponents: reader.boolean(root, rootPath, 'selectComponents'),
    backupType: BackupTypes.name(backupTypeCode),
    backupTypeCode,
    partialFileSupport: reader.boolean(root, rootPath, 'partialFileSupport'),
    restoreType: reader.string(root, 'restoreType'),
    writers,
    xml: text,
  };
  if (reader.unrecognized.length) document.unrecognized = reader.unrecognized;
  return document;
}
