/**
 * Writer metadata: what a VSS writer says about itself (IVssExamineWriterMetadata,
 * or the XML document `SaveAsXML` writes). Readable names with raw numbers beside them.
 * @module
 */
import type { ComponentFlag, ComponentType, RestoreMethodName, SourceType, UsageType, WriterRestoreMode } from '../enums.js';

/** A file specification (`IVssWMFiledesc`). */
export interface FileDescriptor {
  /** The folder, possibly with environment variables (`%SystemRoot%\System32`). */
  path: string;
  /** The file name pattern, e.g. `'*.*'`. */
  filespec: string;
  /** Whether sub-folders are included. */
  recursive: boolean;
  /** Where the files are restored to instead, or `null`. */
  alternatePath: string | null;
  /** `VSS_FILE_SPEC_BACKUP_TYPE` bits: which backup types include these files. */
  backupTypeMask: number;
}

/** A component this component depends on (`IVssWMDependency`). */
export interface ComponentDependency {
  writerId: string;
  logicalPath: string;
  componentName: string;
}

/** A component of a writer (`IVssWMComponent` / `VSS_COMPONENTINFO`). */
export interface WriterComponent {
  name: string;
  /** The logical path ('' for a component at the root). */
  logicalPath: string;
  caption: string;
  type: ComponentType;
  typeCode: number;
  selectable: boolean;
  selectableForRestore: boolean;
  restoreMetadata: boolean;
  notifyOnBackupComplete: boolean;
  /** `VSS_COMPONENT_FLAGS` bits. */
  flags: number;
  flagNames: ComponentFlag[];
  files: FileDescriptor[];
  databaseFiles: FileDescriptor[];
  logFiles: FileDescriptor[];
  dependencies: ComponentDependency[];
}

/** How the writer's data is restored (`GetRestoreMethod`). */
export interface RestoreMethod {
  method: RestoreMethodName;
  methodCode: number;
  /** The service to stop and start, for the stop-restore-start methods. */
  service: string;
  userProcedure: string;
  writerRestore: WriterRestoreMode;
  writerRestoreCode: number;
  rebootRequired: boolean;
}

/** Everything a writer reports about itself. */
export interface WriterMetadata {
  /** The writer's friendly name, e.g. `'System Writer'`. */
  name: string;
  writerId: string;
  instanceId: string;
  instanceName: string;
  usage: UsageType;
  usageCode: number;
  source: SourceType;
  sourceCode: number;
  version: { major: number; minor: number };
  /** `VSS_BACKUP_SCHEMA` bits: the backup types and features the writer supports. */
  backupSchema: number;
  restoreMethod: RestoreMethod | null;
  components: WriterComponent[];
  /** Files to back up outside any component (`GetIncludeFile`). */
  includeFiles: FileDescriptor[];
  /** Files to leave out of the backup (`GetExcludeFile`). */
  excludeFiles: FileDescriptor[];
  /** Files the writer deletes from the shadow copy (`GetExcludeFromSnapshotFile`). */
  excludeFromSnapshot: FileDescriptor[];
  /** Restore redirections (`GetAlternateLocationMapping`). */
  alternateLocationMappings: FileDescriptor[];
  /** The writer metadata document, as VSS writes it. */
  xml: string;
}
