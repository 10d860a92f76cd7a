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
import type { RawComponent, RawFile, RawWriterMetadata } from './native.js';

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
    files: raw.files.map(file),
    databaseFiles: raw.databaseFiles.map(file),
    logFiles: raw.logFiles.map(file),
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
    includeFiles: raw.includeFiles.map(file),
    excludeFiles: raw.excludeFiles.map(file),
    excludeFromSnapshot: raw.excludeFromSnapshot.map(file),
    alternateLocationMappings: raw.alternateLocationMappings.map(file),
    xml: raw.xml,
  };
}
