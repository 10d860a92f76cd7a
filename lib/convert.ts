/**
 * From the addon's raw objects (raw numbers, C++ field names) to the public types.
 * @internal
 * @module
 */
import {
  ComponentTypes,
  FileRestoreStatuses,
  RollForwardTypes,
  RestoreTargets,
  ProviderTypes,
  SnapshotStates,
  WriterStates,
  snapshotAttributeNames,
} from './enums.js';
import { hresultName } from './hresults.js';
import type {
  ComponentFailure,
  DeleteResult,
  HresultInfo,
  NewTarget,
  Provider,
  ShadowCopy,
  ShadowStorage,
  ShadowStorageVolume,
  WriterComponents,
  WriterStatus,
} from './types.js';
import type { RawComponentStatus, RawDeleteResult, RawDiffArea, RawDiffVolume, RawFile, RawProvider, RawSnapshot, RawWriterComponents, RawWriterStatus } from './native.js';

function hresultInfo(value: number): HresultInfo | null {
  if (!value) return null;
  const hresult = value >>> 0;
  return { hresult, name: hresultName(hresult) };
}

/** `IVssComponentEx2::GetFailure` (also what a Backup Components Document records). */
export function toComponentFailure(raw: RawComponentStatus['failure']): ComponentFailure | null {
  if (!raw) return null;
  const hresult = raw.hr >>> 0;
  return { error: { hresult, name: hresultName(hresult) }, applicationError: hresultInfo(raw.applicationError), message: raw.message === '' ? null : raw.message };
}

export function toWriterStatus(raw: RawWriterStatus): WriterStatus {
  return {
    name: raw.name,
    writerId: raw.writerId,
    instanceId: raw.instanceId,
    instanceName: raw.instanceName,
    state: WriterStates.name(raw.state),
    stateCode: raw.state,
    lastError: hresultInfo(raw.lastError),
    applicationError: raw.hasExtendedStatus ? hresultInfo(raw.applicationError) : null,
    failureMessage: raw.hasExtendedStatus && raw.failureMessage ? raw.failureMessage : null,
  };
}

/** FILETIME (100 ns ticks since 1601-01-01 UTC) to Date. */
export function fileTimeToDate(ticks: bigint): Date {
  const unixEpochTicks = 116444736000000000n;
  return new Date(Number((ticks - unixEpochTicks) / 10000n));
}

export function toShadowCopy(raw: RawSnapshot): ShadowCopy {
  return {
    snapshotId: raw.snapshotId,
    setId: raw.snapshotSetId,
    snapshotsCount: raw.snapshotsCount,
    deviceObject: raw.snapshotDeviceObject,
    originalVolume: raw.originalVolumeName,
    originatingMachine: raw.originatingMachine,
    serviceMachine: raw.serviceMachine,
    exposedName: raw.exposedName || null,
    exposedPath: raw.exposedPath || null,
    providerId: raw.providerId,
    attributes: snapshotAttributeNames(raw.snapshotAttributes >>> 0),
    attributesCode: raw.snapshotAttributes >>> 0,
    createdAt: fileTimeToDate(raw.creationTimestamp),
    state: SnapshotStates.name(raw.status),
    stateCode: raw.status,
  };
}

export function toProvider(raw: RawProvider): Provider {
  return {
    providerId: raw.providerId,
    name: raw.name,
    type: ProviderTypes.name(raw.type),
    typeCode: raw.type,
    version: raw.version,
    versionId: raw.versionId,
    classId: raw.classId,
  };
}

function toNewTarget(t: RawFile): NewTarget {
  return { path: t.path, filespec: t.filespec, recursive: t.recursive, alternatePath: t.alternatePath };
}

export function toWriterComponents(raw: RawWriterComponents): WriterComponents {
  return {
    writerId: raw.writerId,
    instanceId: raw.instanceId,
    components: raw.components.map((c) => ({
      name: c.name,
      logicalPath: c.logicalPath,
      type: ComponentTypes.name(c.type),
      typeCode: c.type,
      backupSucceeded: c.backupSucceeded,
      backupStamp: c.backupStamp,
      previousBackupStamp: c.previousBackupStamp,
      backupOptions: c.backupOptions,
      restoreOptions: c.restoreOptions,
      selectedForRestore: c.selectedForRestore,
      additionalRestores: c.additionalRestores,
      fileRestoreStatus: FileRestoreStatuses.name(c.fileRestoreStatus),
      authoritativeRestore: c.authoritativeRestore,
      restoreName: c.restoreName,
      rollForward: RollForwardTypes.name(c.rollForwardType),
      rollForwardPoint: c.rollForwardPoint,
      newTargets: c.newTargets.map(toNewTarget),
      alternateLocationMappings: c.alternateLocationMappings.map(toNewTarget),
      partialFiles: c.partialFiles.map((p) => ({ path: p.path, filespec: p.filespec, ranges: p.ranges, metadata: p.metadata })),
      restoreSubcomponents: c.restoreSubcomponents.map((r) => ({ logicalPath: r.logicalPath, componentName: r.componentName, repair: r.repair })),
      backupMetadata: c.backupMetadata === '' ? null : c.backupMetadata,
      restoreMetadata: c.restoreMetadata === '' ? null : c.restoreMetadata,
      prepareForBackupFailureMessage: c.prepareForBackupFailureMsg,
      postSnapshotFailureMessage: c.postSnapshotFailureMsg,
      preRestoreFailureMessage: c.preRestoreFailureMsg,
      postRestoreFailureMessage: c.postRestoreFailureMsg,
      restoreTarget: RestoreTargets.name(c.restoreTarget),
      restoreTargetCode: c.restoreTarget,
      directedTargets: c.directedTargets.map((t) => ({ ...t })),
      differencedFiles: c.differencedFiles.map((f) => ({ ...f })),
      failure: toComponentFailure(c.failure),
    })),
  };
}

export function toShadowStorage(raw: RawDiffArea): ShadowStorage {
  return {
    volume: raw.volumeName,
    diffAreaVolume: raw.diffAreaVolumeName,
    maximumSize: raw.maximumDiffSpace,
    allocatedSize: raw.allocatedDiffSpace,
    usedSize: raw.usedDiffSpace,
  };
}

export function toShadowStorageVolume(raw: RawDiffVolume): ShadowStorageVolume {
  return { volume: raw.volumeName, displayName: raw.volumeDisplayName, freeSpace: raw.volumeFreeSpace, totalSpace: raw.volumeTotalSpace };
}

export function toDeleteResult(raw: RawDeleteResult): DeleteResult {
  return { deletedCount: raw.deletedCount, nonDeletedId: raw.nonDeletedSnapshotId };
}
