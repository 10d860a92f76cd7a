/**
 * The line between C++ and TypeScript: loads the compiled addon (build/Release on
 * a developer machine, prebuilds/ otherwise) through node-gyp-build, once, on
 * first use, and declares what it takes and returns. `NativeOperations` is the
 * one declaration of the operations `native/napi/operations.cpp` runs: a wrong
 * operation name or argument field is a compile error here, and
 * test/operations.test.ts compares its keys with the addon's own list.
 * @internal
 * @module
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { VssAddonLoadError } from './errors.js';

/** A GUID as a lowercase string without braces. */
type Guid = string;

/** `vss::WriterStatus` as native/napi/convert.cpp builds it. */
export interface RawWriterStatus {
  name: string;
  writerId: Guid;
  instanceId: Guid;
  instanceName: string;
  state: number;
  lastError: number;
  applicationError: number;
  failureMessage: string;
  hasExtendedStatus: boolean;
}

/** `VSS_SNAPSHOT_PROP`. */
export interface RawSnapshot {
  snapshotId: Guid;
  snapshotSetId: Guid;
  snapshotsCount: number;
  snapshotDeviceObject: string;
  originalVolumeName: string;
  originatingMachine: string;
  serviceMachine: string;
  exposedName: string;
  exposedPath: string;
  providerId: Guid;
  snapshotAttributes: number;
  creationTimestamp: bigint;
  status: number;
}

/** `VSS_PROVIDER_PROP`. */
export interface RawProvider {
  providerId: Guid;
  name: string;
  type: number;
  version: string;
  versionId: Guid;
  classId: Guid;
}

/** One component of `GetWriterComponents` (IVssComponent). */
export interface RawComponentStatus {
  type: number;
  logicalPath: string;
  name: string;
  backupSucceeded: boolean;
  backupStamp: string;
  previousBackupStamp: string;
  backupOptions: string;
  restoreOptions: string;
  selectedForRestore: boolean;
  additionalRestores: boolean;
  fileRestoreStatus: number;
  authoritativeRestore: boolean;
  restoreName: string;
  rollForwardType: number;
  rollForwardPoint: string;
  newTargets: RawFile[];
  alternateLocationMappings: RawFile[];
  partialFiles: { path: string; filespec: string; ranges: string; metadata: string }[];
  restoreSubcomponents: { logicalPath: string; componentName: string; repair: boolean }[];
  backupMetadata: string;
  restoreMetadata: string;
  prepareForBackupFailureMsg: string;
  postSnapshotFailureMsg: string;
  preRestoreFailureMsg: string;
  postRestoreFailureMsg: string;
  restoreTarget: number;
  directedTargets: { sourcePath: string; sourceFilespec: string; sourceRanges: string; targetPath: string; targetFilespec: string; targetRanges: string }[];
  differencedFiles: { path: string; filespec: string; recursive: boolean; lastModifyTime: bigint | null; lastModifyLsn: string }[];
  /** `IVssComponentEx2::GetFailure`, null when the writer set none. */
  failure: { hr: number; applicationError: number; message: string } | null;
}

/** One writer of `GetWriterComponents` (IVssWriterComponentsExt). */
export interface RawWriterComponents {
  writerId: Guid;
  instanceId: Guid;
  components: RawComponentStatus[];
}

/** `VSS_DIFF_AREA_PROP`. */
export interface RawDiffArea {
  volumeName: string;
  diffAreaVolumeName: string;
  maximumDiffSpace: bigint;
  allocatedDiffSpace: bigint;
  usedDiffSpace: bigint;
}

/** `VSS_DIFF_VOLUME_PROP`. */
export interface RawDiffVolume {
  volumeName: string;
  volumeDisplayName: string;
  volumeFreeSpace: bigint;
  volumeTotalSpace: bigint;
}

/** `VSS_VOLUME_PROTECTION_INFO`. */
export interface RawVolumeProtection {
  protectionLevel: number;
  volumeIsOfflineForProtection: boolean;
  protectionFault: number;
  failureStatus: number;
  volumeHasUnusedDiffArea: boolean;
}

/** `IVssWMFiledesc`. */
export interface RawFile {
  path: string;
  filespec: string;
  recursive: boolean;
  alternatePath: string;
  backupTypeMask: number;
}

/** A file list as the addon packs it (native/napi/convert.cpp, FilesToJs): far cheaper to cross than objects. */
export interface PackedFiles {
  count: number;
  /**
   * Path, filespec and alternate path of each file, NUL-separated, in pieces of whole files
   * (each splits into a multiple of three parts); pieces stay below V8's large-object size
   * (native/napi/string_pieces.h). Empty when `count` is 0.
   */
  strings: string[];
  /** Backup type mask and flags (1: recursive) of each file. */
  numbers: Uint32Array;
}

/** Packed, or objects when a string held a NUL (which cannot cross packed). */
export type RawFiles = RawFile[] | PackedFiles;

/** `IVssWMComponent`. */
export interface RawComponent {
  type: number;
  logicalPath: string;
  name: string;
  caption: string;
  restoreMetadata: boolean;
  notifyOnBackupComplete: boolean;
  selectable: boolean;
  selectableForRestore: boolean;
  flags: number;
  files: RawFiles;
  databaseFiles: RawFiles;
  logFiles: RawFiles;
  dependencies: { writerId: Guid; logicalPath: string; componentName: string }[];
}

/** `IVssExamineWriterMetadata`, read out. */
export interface RawWriterMetadata {
  name: string;
  writerId: Guid;
  instanceId: Guid;
  instanceName: string;
  usage: number;
  source: number;
  backupSchema: number;
  versionMajor: number;
  versionMinor: number;
  restoreMethod: {
    method: number;
    service: string;
    userProcedure: string;
    writerRestore: number;
    rebootRequired: boolean;
    mappingCount: number;
  } | null;
  includeFiles: RawFiles;
  excludeFiles: RawFiles;
  excludeFromSnapshot: RawFiles;
  alternateLocationMappings: RawFiles;
  components: RawComponent[];
  /** The document in pieces, joined with `+` (native/napi/string_pieces.h). */
  xml: string[];
}

/** `DeleteSnapshots`' two out-parameters. */
export interface RawDeleteResult {
  deletedCount: number;
  nonDeletedSnapshotId: Guid | null;
}

/** A component as the component calls take it (`GetComponentRef` in convert.cpp). */
export interface RawComponentRef {
  writerId: Guid;
  instanceId: Guid;
  type: number;
  /** Empty for none. */
  logicalPath?: string;
  name: string;
}

/** An operation without arguments. */
type NoArgs = Record<string, never>;

/** An operation's arguments (`args`) and what it resolves to (`result`). */
interface Op<Args, Result> {
  args: Args;
  result: Result;
}

/**
 * Every operation `NativeSessionHandle.call` runs, by the name
 * native/napi/operations.cpp registers it under. Fields marked optional are the
 * ones the native side defaults.
 */
export interface NativeOperations {
  /** Nothing, through the same path as every call: what `npm run bench` measures the binding against. No VSS method. */
  noop: Op<NoArgs, void>;
  initializeForBackup: Op<{ bcdXml?: string }, void>;
  initializeForRestore: Op<{ bcdXml: string }, void>;
  setContext: Op<{ context: number }, void>;
  setBackupState: Op<
    { selectComponents?: boolean; bootableSystemState?: boolean; backupType: number; partialFileSupport?: boolean },
    void
  >;
  gatherWriterMetadata: Op<NoArgs, void>;
  getWriterMetadata: Op<NoArgs, RawWriterMetadata[]>;
  freeWriterMetadata: Op<NoArgs, void>;
  gatherWriterStatus: Op<NoArgs, void>;
  getWriterStatus: Op<NoArgs, RawWriterStatus[]>;
  freeWriterStatus: Op<NoArgs, void>;
  enableWriterClasses: Op<{ ids: Guid[] }, void>;
  disableWriterClasses: Op<{ ids: Guid[] }, void>;
  disableWriterInstances: Op<{ ids: Guid[] }, void>;
  addComponent: Op<{ component: RawComponentRef }, void>;
  setBackupOptions: Op<{ component: RawComponentRef; options: string }, void>;
  setPreviousBackupStamp: Op<{ component: RawComponentRef; stamp: string }, void>;
  getWriterComponents: Op<NoArgs, RawWriterComponents[]>;
  startSnapshotSet: Op<NoArgs, Guid>;
  isVolumeSupported: Op<{ volume: string; providerId?: Guid | undefined }, boolean>;
  addToSnapshotSet: Op<{ volume: string; providerId?: Guid | undefined }, Guid>;
  getRootAndLogicalPrefixPaths: Op<{ path: string; normalizeFqdn?: boolean | undefined }, { rootPath: string; logicalPrefix: string }>;
  prepareForBackup: Op<NoArgs, void>;
  doSnapshotSet: Op<NoArgs, void>;
  getSnapshotProperties: Op<{ snapshotId: Guid }, RawSnapshot>;
  setBackupSucceeded: Op<{ component: RawComponentRef; succeeded?: boolean }, void>;
  backupComplete: Op<NoArgs, void>;
  abortBackup: Op<NoArgs, void>;
  saveAsXml: Op<NoArgs, string>;
  importSnapshots: Op<NoArgs, void>;
  setSelectedForRestore: Op<{ component: RawComponentRef; selected?: boolean }, void>;
  setRestoreOptions: Op<{ component: RawComponentRef; options: string }, void>;
  setAdditionalRestores: Op<{ component: RawComponentRef; additional?: boolean }, void>;
  setFileRestoreStatus: Op<{ component: RawComponentRef; status: number }, void>;
  setRestoreState: Op<{ restoreType: number }, void>;
  addNewTarget: Op<{ component: RawComponentRef; path: string; filespec: string; recursive?: boolean; alternatePath: string }, void>;
  addAlternativeLocationMapping: Op<{ component: RawComponentRef; path: string; filespec: string; recursive?: boolean; destination: string }, void>;
  addRestoreSubcomponent: Op<{ component: RawComponentRef; subcomponentLogicalPath: string; subcomponentName: string }, void>;
  setRangesFilePath: Op<{ component: RawComponentRef; partialFile: number; rangesFile: string }, void>;
  setAuthoritativeRestore: Op<{ component: RawComponentRef; authoritative?: boolean }, void>;
  setRestoreName: Op<{ component: RawComponentRef; name: string }, void>;
  setRollForward: Op<{ component: RawComponentRef; rollForwardType: number; point?: string }, void>;
  preRestore: Op<NoArgs, void>;
  postRestore: Op<NoArgs, void>;
  querySnapshots: Op<NoArgs, RawSnapshot[]>;
  queryProviders: Op<NoArgs, RawProvider[]>;
  deleteSnapshots: Op<{ id: Guid; wholeSet?: boolean; force?: boolean }, RawDeleteResult>;
  exposeSnapshot: Op<{ snapshotId: Guid; attributes: number; expose?: string; pathFromRoot?: string }, string>;
  unexposeSnapshot: Op<{ snapshotId: Guid }, void>;
  breakSnapshotSet: Op<{ snapshotSetId: Guid }, void>;
  breakSnapshotSetEx: Op<{ snapshotSetId: Guid; flags: number }, void>;
  revertToSnapshot: Op<{ snapshotId: Guid; forceDismount?: boolean }, void>;
  queryRevertStatus: Op<{ volume: string }, void>;
}

export type OperationName = keyof NativeOperations;
export type OperationArgs<K extends OperationName> = NativeOperations[K]['args'];
export type OperationResult<K extends OperationName> = NativeOperations[K]['result'];

/** A progress report of a running operation, as the addon sends it. */
export interface NativeProgress {
  /** The COM method, e.g. `'DoSnapshotSet'`. */
  operation: string;
  status: number;
  elapsedMs: number;
  /** The writer phase, when the backend knows it (the simulation engine). */
  phase?: string;
  /** The writer(s) the phase still waits for. */
  writer?: string;
}

/** What readEvents asks the backend for (times in ms since 1970). */
export interface RawEventQuery {
  sinceMs?: number;
  untilMs?: number;
  channels?: string[];
  /** The caller named the channels: one the machine lacks is ERROR_EVT_CHANNEL_NOT_FOUND (the defaults skip absent ones). */
  channelsNamed?: boolean;
  ids?: number[];
  levels?: number[];
  max?: number;
  /**
   * Service Control Manager 7023/7031/7034 are kept only for these services (key and English
   * display name; on Windows also the localized display name the backend looks up).
   */
  services?: Array<{ name: string; displayName: string }>;
}

/** One event log record as the addon returns it. */
export interface RawEventRecord {
  timeCreated: bigint; // FILETIME
  channel: string;
  provider: string;
  eventId: number;
  level: number;
  recordId: bigint;
  message: string;
  data: Record<string, string>;
}

/** What restartService asks for (lib/restart.ts validates it). */
export interface RawServiceRestartRequest {
  service: string;
  displayName: string;
  writerIds: string[];
  /** Only these writer instances (one class can be hosted by several services: Exchange's two writers). */
  instanceIds: string[];
  timeoutMs: number;
}

/** What restarting a service did. */
export interface RawServiceRestart {
  wasRunning: boolean;
  dependents: string[];
}

export interface NativeSessionHandle {
  /** `CreateVssBackupComponents`; resolves to the backend's name. */
  open(): Promise<string>;
  call<K extends OperationName>(
    operation: K,
    args: OperationArgs<K>,
    onProgress?: (event: NativeProgress) => void,
  ): Promise<OperationResult<K>>;
  queryDiffAreas(): Promise<RawDiffArea[]>;
  changeDiffAreaMaximumSize(volume: string, diffAreaVolume: string, maximumSize: number): Promise<void>;
  addDiffArea(volume: string, diffAreaVolume: string, maximumSize: number): Promise<void>;
  /** `IVssDifferentialSoftwareSnapshotMgmt2::ChangeDiffAreaMaximumSizeEx`. */
  changeDiffAreaMaximumSizeEx(volume: string, diffAreaVolume: string, maximumSize: number, isVolatile: boolean): Promise<void>;
  /** `QueryDiffAreasForVolume` / `QueryDiffAreasOnVolume` (a volume name) or `QueryDiffAreasForSnapshot` (a shadow copy id). */
  queryDiffAreasBy(operation: 'QueryDiffAreasForVolume' | 'QueryDiffAreasOnVolume' | 'QueryDiffAreasForSnapshot', name: string): Promise<RawDiffArea[]>;
  queryVolumesSupportedForDiffAreas(originalVolume: string): Promise<RawDiffVolume[]>;
  /** IVssDifferentialSoftwareSnapshotMgmt3: `level` only for SetVolumeProtectLevel; GetVolumeProtectLevel resolves to its `VSS_VOLUME_PROTECTION_INFO`. */
  protectionCall(operation: 'SetVolumeProtectLevel', volume: string, level: number): Promise<void>;
  protectionCall(operation: 'GetVolumeProtectLevel', volume: string): Promise<RawVolumeProtection>;
  protectionCall(operation: 'ClearVolumeProtectFault' | 'DeleteUnusedDiffAreas', volume: string): Promise<void>;
  readEvents(query: RawEventQuery): Promise<RawEventRecord[]>;
  /** The first call starts following the log (EvtSubscribe); each call resolves with what was logged since the previous one, after at most `timeoutMs`. */
  followEvents(query: RawEventQuery, timeoutMs: number): Promise<RawEventRecord[]>;
  /** Stops and starts a service through the Service Control Manager (simulated: resets the writers it hosts). */
  restartService(request: RawServiceRestartRequest): Promise<RawServiceRestart>;
  isVolumeSnapshotted(volume: string): Promise<{ snapshotsPresent: boolean; snapshotCompatibility: number }>;
  shouldBlockRevert(volume: string): Promise<boolean>;
  cancel(): boolean;
  release(): Promise<void>;
  readonly busy: boolean;
  readonly released: boolean;
}

export interface SimulatedMachineHandle {
  configure(patchJson: string): void;
  describe(): string;
  /** RestartMachine (native/sim/simulator.h). */
  restart(): void;
}

export interface NativeAddon {
  NativeSession: new (kind: 'com' | 'simulated', machine?: SimulatedMachineHandle) => NativeSessionHandle;
  SimulatedMachine: new (scenarioJson: string, stateFile?: string) => SimulatedMachineHandle;
  /** Every operation `call` runs, with the COM method it stands for (`saveAsXml` → `'SaveAsXML'`). */
  operations: Readonly<Record<OperationName, string>>;
  builtInScenarios(): string[];
  /** native/core/vocabulary.inc as the native layer compiled it: [code, readable name, XML name or null] per enumeration. */
  vocabulary(): Record<string, [number, string, string | null][]>;
  hresultName(value: number): string;
  /**
   * The project's one XML reader (native/core/xml_reader.h, xml_documents.h): a VSS document
   * as the JSON text of the result lib/metadata/parse.ts returns (its `xml` null,
   * `lastModifyTime` as decimal text), in pieces: [the document with each long file list
   * null, where those lists go, the lists' pieces...] (a short document: [the document]). A refused document throws an Error carrying
   * {@link NativeXmlErrorFields}. A Uint8Array is a string as WTF-8 (one with lone surrogates).
   * `'element-tree'` reads any well-formed document into {@link XmlTreeElement}s.
   */
  readXmlDocument(kind: 'writer-metadata' | 'backup-components' | 'element-tree', text: string | Uint8Array): string[];
  /** A volume's \\?\Volume{guid}\ path (Windows), or null. */
  volumeGuidPath(name: string): string | null;
  /** A volume's drive letters and mount folders, from its \\?\Volume{guid}\ path (Windows), or null. */
  volumePathNames(guidPath: string): string[] | null;
  /** The folders on a volume where other volumes are mounted, relative to its root (Windows: FindFirstVolumeMountPointW, or every volume's path names where that call is not implemented), or null. */
  volumeMountPoints(guidPath: string): string[] | null;
  /** When a process started (opaque; differs for a later process reusing the id), or null when there is none. */
  processStartTime(pid: number): string | null;
  /** Whether the reader of output descriptor `fd` went away (a closed pipe, a hung-up terminal); null when the system cannot tell (Windows). */
  outputClosed(fd: number): boolean | null;
  hasComBackend: boolean;
}

/** What an Error thrown by `readXmlDocument` carries: the fields of a VssXmlError. */
export interface NativeXmlErrorFields {
  xmlCode: string;
  problem: string;
  element: string | null;
  attribute: string | null;
  line: number | null;
  column: number | null;
}

let addon: NativeAddon | undefined;

/** The package root: dist/ (compiled) and lib/ (sources under vitest) both sit one level below it. */
export const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

export function loadAddon(): NativeAddon {
  if (!addon) {
    const require = createRequire(import.meta.url);
    const load = require('node-gyp-build') as (dir: string) => NativeAddon;
    try {
      addon = load(packageRoot);
    } catch (cause) {
      throw new VssAddonLoadError(cause);
    }
  }
  return addon;
}

/** The COM method an operation stands for, as the addon's table names it (for timings and logs). */
export function comMethod(operation: OperationName): string {
  return loadAddon().operations[operation] || operation;
}
