/**
 * Writer metadata: what a VSS writer says about itself (IVssExamineWriterMetadata,
 * or the XML document `SaveAsXML` writes). Readable names with raw numbers beside them.
 * @module
 */
import type {
  BackupType,
  ComponentFlag,
  ComponentType,
  RestoreMethodName,
  SourceType,
  UsageType,
  WriterRestoreMode,
} from '../enums.js';
import type { ComponentStatus } from '../types.js';

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
  /** The component's icon (the `icon` attribute, base64-encoded image bytes), only where the document has one. */
  icon?: string;
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
  /**
   * Attributes and elements of the document this version of vss-napi does not know,
   * kept so that nothing is lost; present only when there are any.
   */
  unrecognized?: UnrecognizedXml[];
  /** The writer metadata document, as VSS writes it. */
  xml: string;
}

/** Part of a VSS XML document that has no field of its own (see `unrecognized`). */
export interface UnrecognizedXml {
  /** The element, as a path from the root: `'WRITER_METADATA/BACKUP_LOCATIONS/FILE_GROUP'`. */
  element: string;
  /** 1-based line of the element's start tag. */
  line: number;
  /**
   * For an unknown element, all its attributes; for a known element, only the attributes
   * not recognised. (An unknown element's children are listed as entries of their own.)
   */
  attributes: Record<string, string>;
  /** Character data inside the element, where it has any. */
  text?: string;
  /** Whether the whole element is unknown (rather than some of its attributes or its text). */
  unknownElement: boolean;
}

/** A partial file to back up or restore (`IVssComponent::GetPartialFile`). */
export interface PartialFile {
  path: string;
  filespec: string;
  /** Byte ranges: `'offset:length,...'`, or the path of a ranges file. */
  ranges: string;
  metadata: string;
}

/** A directed restore target (`IVssComponent::GetDirectedTarget`). */
export interface DirectedTarget {
  sourcePath: string;
  sourceFilespec: string;
  sourceRanges: string;
  targetPath: string;
  targetFilespec: string;
  targetRanges: string;
}

/** A subcomponent selected for restore (`IVssComponent::GetRestoreSubcomponent`). */
export interface RestoreSubcomponent {
  logicalPath: string;
  componentName: string;
  repair: boolean;
}

/** A file changed since the last backup (`IVssComponentEx2`: `GetDifferencedFile`). */
export interface DifferencedFile {
  path: string;
  filespec: string;
  recursive: boolean;
  /** Last modification time as a FILETIME (100 ns units since 1601), or `null`. */
  lastModifyTime: bigint | null;
  lastModifyLsn: string;
}

/**
 * One component as the Backup Components Document records it (`IVssComponent`):
 * what `getWriterComponents()` reports, and the restore-time fields beside it.
 */
export interface BackupComponentRecord
  extends Omit<
    ComponentStatus,
    | 'backupSucceeded'
    | 'newTargets'
    | 'alternateLocationMappings'
    | 'partialFiles'
    | 'restoreSubcomponents'
    | 'authoritativeRestore'
    | 'restoreName'
    | 'rollForward'
    | 'rollForwardPoint'
    | 'restoreTarget'
    | 'restoreTargetCode'
  > {
  /** `null` when the document does not say (before BackupComplete). */
  backupSucceeded: boolean | null;
  /** The `restoreTarget` attribute (`VSS_RESTORE_TARGET` as VSS writes it), `''` when absent. */
  restoreTarget: string;
  preRestoreFailureMessage: string;
  postRestoreFailureMessage: string;
  fileRestoreStatusCode: number;
  /** Private data the writer stored at backup time (`BACKUP_METADATA`), or `null`. */
  backupMetadata: string | null;
  /** Private data the writer stored at pre-restore (`RESTORE_METADATA`), or `null`. */
  restoreMetadata: string | null;
  alternateLocationMappings: FileDescriptor[];
  /** Where files are restored to instead (`RESTORE_TARGET`, `GetNewTarget`). */
  newTargets: FileDescriptor[];
  partialFiles: PartialFile[];
  directedTargets: DirectedTarget[];
  restoreSubcomponents: RestoreSubcomponent[];
  differencedFiles: DifferencedFile[];
}

/** One writer's part of the Backup Components Document (`WRITER_COMPONENTS`). */
export interface BackupComponentsWriter {
  writerId: string;
  instanceId: string;
  /** `''` when absent. */
  instanceName: string;
  /** `VSS_BACKUP_SCHEMA` bits. */
  backupSchema: number;
  components: BackupComponentRecord[];
}

/** The Backup Components Document (`IVssBackupComponents::SaveAsXML`, `<BACKUP_COMPONENTS>`). */
export interface BackupComponentsDocument {
  /** The snapshot set, or `null` when the document has none. */
  snapshotSetId: string | null;
  bootableSystemState: boolean;
  selectComponents: boolean;
  backupType: BackupType | 'unknown';
  backupTypeCode: number;
  partialFileSupport: boolean;
  /** The `restoreType` attribute as VSS writes it (`VSS_RESTORE_TYPE`), `''` when absent. */
  restoreType: string;
  writers: BackupComponentsWriter[];
  /**
   * The transportable snapshot set the document describes (`SNAPSHOT_SET_DESCRIPTION`, written when
   * the set was created with the `transportable` attribute), or `null`: what `ImportSnapshots` reads.
   */
  transportableSet: TransportableSetDescription | null;
  /** As in {@link WriterMetadata.unrecognized}. */
  unrecognized?: UnrecognizedXml[];
  /** The document as given. */
  xml: string;
}

/** A transportable snapshot set as a Backup Components Document describes it. */
export interface TransportableSetDescription {
  snapshotSetId: string;
  /** The `VSS_SNAPSHOT_CONTEXT` the set was made in, attribute bits included (`0x20`: transportable). */
  contextCode: number;
  snapshots: {
    snapshotId: string;
    providerId: string;
    /** The volume copied, as named on the computer that made the set. */
    originalVolume: string;
    originatingMachine: string;
    /** `VSS_VOLUME_SNAPSHOT_ATTRIBUTES` bits. */
    attributesCode: number;
  }[];
}
