// Pins the public types: a change here is a change users see.
import { describe, expectTypeOf, it } from 'vitest';

import {
  BackupSession,
  createSimulator,
  createSnapshotSet,
  diffWriterStatus,
  listWriters,
  withSnapshotSet,
  type BackendOption,
  type ShadowCopy,
  type SnapshotSet,
  type WriterState,
  type WriterStatus,
  type WriterStatusChange,
} from '../../lib/index.js';

describe('public types', () => {
  it('listWriters resolves to WriterStatus[]', () => {
    expectTypeOf(listWriters).returns.resolves.toEqualTypeOf<WriterStatus[]>();
    expectTypeOf(listWriters).parameter(0).toEqualTypeOf<{ backend?: BackendOption; signal?: AbortSignal } | undefined>();
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
