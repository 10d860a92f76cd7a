/**
 * From the addon's raw writer metadata (what IVssExamineWriterMetadata reported)
 * to the public WriterMetadata type.
 * @internal
 * @module
 */
import {
  ComponentTypes,
  RestoreMethods,
  SourceTypes,
  UsageTypes,
  WriterRestoreModes,
  componentFlagNames,
} from './enums.js';
import type { FileDescriptor, WriterComponent, WriterMetadata } from './metadata/types.js';
import type { PackedFiles, RawComponent, RawFile, RawFiles, RawWriterMetadata } from './native.js';

function files(raw: RawFiles): FileDescriptor[] {
  if (Array.isArray(raw)) return raw.map(file);
  return unpack(raw);
}

// Each piece holds whole files and is split on its own: splitting one joined string would
// first flatten it into a fresh large-object page (native/napi/string_pieces.h).
function unpack(raw: PackedFiles): FileDescriptor[] {
  const result: FileDescriptor[] = new Array<FileDescriptor>(raw.count);
  const numbers = raw.numbers;
  let i = 0;
  for (const piece of raw.strings) {
    const parts = piece.split('\0');
    for (let p = 0; p + 2 < parts.length; p += 3, i++) {
      result[i] = {
        path: parts[p]!,
        filespec: parts[p + 1]!,
        recursive: (numbers[2 * i + 1]! & 1) === 1,
        alternatePath: parts[p + 2] || null,
        backupTypeMask: numbers[2 * i]!,
      };
    }
  }
  if (i !== raw.count) throw new Error(`packed file list: ${i} files in the strings, ${raw.count} counted`);
  return result;
}

/**
 * The pieces as one string, concatenated with `+`: V8 keeps the result as a rope of the
 * pieces and copies them into one flat string only when the text is first read.
 */
function joinPieces(pieces: string[]): string {
  let text = '';
  for (const piece of pieces) text += piece;
  return text;
}

function file(raw: RawFile): FileDescriptor {
  return {
    path: raw.path,
    filespec: raw.filespec,
    recursive: raw.recursive,
    alternatePath: raw.alternatePath || null,
    backupTypeMask: raw.backupTypeMask,
  };
}

function component(raw: RawComponent): WriterComponent {
  return {
    name: raw.name,
    logicalPath: raw.logicalPath,
    caption: raw.caption,
    type: ComponentTypes.name(raw.type),
    typeCode: raw.type,
    selectable: raw.selectable,
    selectableForRestore: raw.selectableForRestore,
    restoreMetadata: raw.restoreMetadata,
    notifyOnBackupComplete: raw.notifyOnBackupComplete,
    flags: raw.flags,
    flagNames: componentFlagNames(raw.flags),
    files: files(raw.files),
    databaseFiles: files(raw.databaseFiles),
    logFiles: files(raw.logFiles),
    dependencies: raw.dependencies.map((d) => ({ ...d })),
  };
}

export function toWriterMetadata(raw: RawWriterMetadata): WriterMetadata {
  return {
    name: raw.name,
    writerId: raw.writerId,
    instanceId: raw.instanceId,
    instanceName: raw.instanceName,
    usage: UsageTypes.name(raw.usage),
    usageCode: raw.usage,
    source: SourceTypes.name(raw.source),
    sourceCode: raw.source,
    version: { major: raw.versionMajor, minor: raw.versionMinor },
    backupSchema: raw.backupSchema,
    restoreMethod: raw.restoreMethod && {
      method: RestoreMethods.name(raw.restoreMethod.method),
      methodCode: raw.restoreMethod.method,
      service: raw.restoreMethod.service,
      userProcedure: raw.restoreMethod.userProcedure,
      writerRestore: WriterRestoreModes.name(raw.restoreMethod.writerRestore),
      writerRestoreCode: raw.restoreMethod.writerRestore,
      rebootRequired: raw.restoreMethod.rebootRequired,
    },
    components: raw.components.map(component),
    includeFiles: files(raw.includeFiles),
    excludeFiles: files(raw.excludeFiles),
    excludeFromSnapshot: files(raw.excludeFromSnapshot),
    alternateLocationMappings: files(raw.alternateLocationMappings),
    xml: joinPieces(raw.xml),
  };
}
