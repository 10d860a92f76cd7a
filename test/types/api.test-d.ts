// Pins the public types: a change here is a change users see.
import { describe, expectTypeOf, it } from 'vitest';

import {
  AbortError,
  BackupSession,
  VssError,
  VssSessionError,
  VssUnsupportedPlatformError,
  VssWriterError,
  createSimulator,
  createSnapshotSet,
  deleteShadowCopies,
  getShadowCopy,
  unexposeShadowCopy,
  diffWriterStatus,
  exposeShadowCopy,
  getWriterMetadata,
  listProviders,
  listShadowCopies,
  listWriters,
  withSnapshotSet,
  type BackendOption,
  type BackupType,
  type CallOptions,
  type CompleteOptions,
  type ComponentRef,
  type DeleteResult,
  type DeleteTarget,
  type ExposeTarget,
  type ProgressEvent,
  type Provider,
  type RetryPolicy,
  type ShadowCopy,
  type ShadowStorage,
  type SnapshotAttribute,
  type SnapshotSet,
  type SnapshotSetOptions,
  type SimulatorOptions,
  type SnapshotState,
  type StepTiming,
  type WriterComponents,
  type WriterMetadata,
  type WriterSelection,
  type WriterState,
  type WriterStatus,
  type WriterStatusChange,
} from '../../lib/index.js';

describe('public types', () => {
  it('listWriters resolves to WriterStatus[]', () => {
    expectTypeOf(listWriters).returns.resolves.toEqualTypeOf<WriterStatus[]>();
    expectTypeOf(listWriters).parameter(0).toEqualTypeOf<
      { backend?: BackendOption; signal?: AbortSignal; onProgress?: (event: ProgressEvent) => void } | undefined
    >();
  });

  it('WriterStatus has readable names with raw numbers beside them', () => {
    expectTypeOf<WriterStatus['state']>().toEqualTypeOf<WriterState>();
    expectTypeOf<WriterStatus['stateCode']>().toEqualTypeOf<number>();
    expectTypeOf<WriterStatus['lastError']>().toEqualTypeOf<{ hresult: number; name: string } | null>();
    expectTypeOf<'failed-at-freeze'>().toMatchTypeOf<WriterState>();
    expectTypeOf<'frozen'>().not.toMatchTypeOf<WriterState>();
  });

  it('ShadowCopy carries every VSS_SNAPSHOT_PROP field under readable names', () => {
    expectTypeOf<ShadowCopy>().toHaveProperty('snapshotId').toEqualTypeOf<string>();
    expectTypeOf<ShadowCopy>().toHaveProperty('setId').toEqualTypeOf<string>();
    expectTypeOf<ShadowCopy>().toHaveProperty('deviceObject').toEqualTypeOf<string>();
    expectTypeOf<ShadowCopy>().toHaveProperty('createdAt').toEqualTypeOf<Date>();
    expectTypeOf<ShadowCopy>().toHaveProperty('exposedName').toEqualTypeOf<string | null>();
  });

  it('snapshot sets are async-disposable and withSnapshotSet returns the callback result', () => {
    expectTypeOf(createSnapshotSet).returns.resolves.toEqualTypeOf<SnapshotSet>();
    expectTypeOf<SnapshotSet>().toMatchTypeOf<AsyncDisposable>();
    expectTypeOf<BackupSession>().toMatchTypeOf<AsyncDisposable>();
    const n = withSnapshotSet(['C:\\'], {}, async () => 42);
    expectTypeOf(n).toEqualTypeOf<Promise<number>>();
  });

  it('backends are named or simulator objects', () => {
    expectTypeOf(createSimulator()).toMatchTypeOf<BackendOption>();
    expectTypeOf<'native'>().toMatchTypeOf<BackendOption>();
    expectTypeOf<'wmi'>().not.toMatchTypeOf<BackendOption>();
  });

  it('diffWriterStatus returns changes', () => {
    expectTypeOf(diffWriterStatus).returns.toEqualTypeOf<WriterStatusChange[]>();
  });
});

describe('public types: options, results and errors', () => {
  it('SnapshotSetOptions takes the documented options, typed', () => {
    expectTypeOf<SnapshotSetOptions['backupType']>().toEqualTypeOf<BackupType | undefined>();
    expectTypeOf<SnapshotSetOptions['writers']>().toEqualTypeOf<WriterSelection | undefined>();
    expectTypeOf<SnapshotSetOptions['retry']>().toEqualTypeOf<boolean | RetryPolicy | undefined>();
    expectTypeOf<SnapshotSetOptions['signal']>().toEqualTypeOf<AbortSignal | undefined>();
    expectTypeOf<SnapshotSetOptions['onProgress']>().toEqualTypeOf<((event: ProgressEvent) => void) | undefined>();
    expectTypeOf<SnapshotSetOptions['backend']>().toEqualTypeOf<BackendOption | undefined>();
    expectTypeOf<SnapshotSetOptions['components']>().toEqualTypeOf<ComponentRef[] | undefined>();
    expectTypeOf<{ include: string[] }>().toMatchTypeOf<WriterSelection>();
    expectTypeOf<'some'>().not.toMatchTypeOf<WriterSelection>();
    expectTypeOf<'weekly'>().not.toMatchTypeOf<BackupType>();
  });

  it('SnapshotSet: setId, snapshots, pathFor, complete', () => {
    expectTypeOf<SnapshotSet['setId']>().toEqualTypeOf<string>();
    expectTypeOf<SnapshotSet['snapshots']>().toEqualTypeOf<ShadowCopy[]>();
    expectTypeOf<SnapshotSet['pathFor']>().toEqualTypeOf<(originalPath: string) => string>();
    expectTypeOf<SnapshotSet['complete']>().parameter(0).toEqualTypeOf<CompleteOptions>();
    expectTypeOf<SnapshotSet['complete']>().returns.resolves.toEqualTypeOf<WriterComponents[]>();
    expectTypeOf<CompleteOptions>().toEqualTypeOf<{ succeeded: boolean; components?: ComponentRef[] }>();
  });

  it('management calls', () => {
    expectTypeOf(getWriterMetadata).returns.resolves.toEqualTypeOf<WriterMetadata[]>();
    expectTypeOf<WriterMetadata['xml']>().toEqualTypeOf<string>();
    expectTypeOf(listShadowCopies).returns.resolves.toEqualTypeOf<ShadowCopy[]>();
    expectTypeOf(listProviders).returns.resolves.toEqualTypeOf<Provider[]>();
    expectTypeOf(deleteShadowCopies).parameter(0).toEqualTypeOf<DeleteTarget>();
    expectTypeOf<{ volume: string; oldest: true }>().toMatchTypeOf<DeleteTarget>();
    expectTypeOf<{ volume: string }>().toMatchTypeOf<DeleteTarget>();
    expectTypeOf<{ exposed: string }>().toMatchTypeOf<DeleteTarget>();
    expectTypeOf<{ all: true }>().toMatchTypeOf<DeleteTarget>();
    expectTypeOf<{ all: false }>().not.toMatchTypeOf<DeleteTarget>();
    expectTypeOf(getShadowCopy).returns.resolves.toEqualTypeOf<ShadowCopy>();
    expectTypeOf(unexposeShadowCopy).returns.resolves.toEqualTypeOf<void>();
    expectTypeOf(createSimulator).parameter(1).toEqualTypeOf<SimulatorOptions | undefined>();
    expectTypeOf(deleteShadowCopies).returns.resolves.toEqualTypeOf<DeleteResult>();
    expectTypeOf(exposeShadowCopy).returns.resolves.toEqualTypeOf<string>();
    expectTypeOf<{ share: string }>().not.toMatchTypeOf<ExposeTarget>();
    expectTypeOf<{ share: string; allowShare: true }>().toMatchTypeOf<ExposeTarget>();
  });

  it('sizes that can pass 2^53 are bigint; times are Date; raw numbers kept beside names', () => {
    expectTypeOf<ShadowStorage['usedSize']>().toEqualTypeOf<bigint>();
    expectTypeOf<ShadowStorage['maximumSize']>().toEqualTypeOf<bigint>();
    expectTypeOf<ShadowCopy['state']>().toEqualTypeOf<SnapshotState>();
    expectTypeOf<ShadowCopy['stateCode']>().toEqualTypeOf<number>();
    expectTypeOf<ShadowCopy['attributes']>().toEqualTypeOf<SnapshotAttribute[]>();
    expectTypeOf<ShadowCopy['attributesCode']>().toEqualTypeOf<number>();
    expectTypeOf<StepTiming['startedAt']>().toEqualTypeOf<Date>();
  });

  it('BackupSession has one method per requester step', () => {
    type Steps = 'gatherWriterMetadata' | 'startSnapshotSet' | 'addToSnapshotSet' | 'prepareForBackup' | 'doSnapshotSet' | 'gatherWriterStatus' |
      'setBackupSucceeded' | 'backupComplete' | 'abortBackup' | 'saveAsXml' | 'initializeForRestore' | 'preRestore' | 'postRestore';
    expectTypeOf<Pick<BackupSession, Steps>>().toBeObject();
    expectTypeOf<BackupSession['startSnapshotSet']>().returns.resolves.toEqualTypeOf<string>();
    expectTypeOf<BackupSession['doSnapshotSet']>().parameter(0).toEqualTypeOf<CallOptions | undefined>();
    expectTypeOf<BackupSession['timings']>().toEqualTypeOf<StepTiming[]>();
    expectTypeOf(BackupSession.create).returns.resolves.toEqualTypeOf<BackupSession>();
  });

  it('error classes expose their fields', () => {
    expectTypeOf<VssError['code']>().toEqualTypeOf<string>();
    expectTypeOf<VssError['hresult']>().toEqualTypeOf<number>();
    expectTypeOf<VssError['operation']>().toEqualTypeOf<string>();
    expectTypeOf<VssError['writer']>().toEqualTypeOf<{ name: string; writerId: string; instanceId?: string } | null>();
    expectTypeOf<VssError['remedy']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<VssWriterError>().toMatchTypeOf<VssError>();
    expectTypeOf<VssWriterError['writers']>().toEqualTypeOf<WriterStatus[]>();
    expectTypeOf<AbortError['code']>().toEqualTypeOf<'ABORT_ERR'>();
    expectTypeOf<VssSessionError['code']>().toEqualTypeOf<'ERR_VSS_SESSION_RELEASED' | 'ERR_VSS_SESSION_BUSY'>();
    expectTypeOf<VssUnsupportedPlatformError['code']>().toEqualTypeOf<'ERR_VSS_UNSUPPORTED_PLATFORM'>();
  });
});
