// The high-level snapshot API on the simulated backend: snapshot sets and their
// fields, pathFor on a volume backed by a host folder, complete/abort/dispose,
// writer selection, AbortSignal and timeouts, the retry policy for a set in
// progress, and the management calls.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import {
  AbortError,
  BackupSession,
  VssError,
  VssWriterError,
  createSimulator,
  createSnapshotSet,
  deleteShadowCopies,
  exposeShadowCopy,
  getWriterMetadata,
  listProviders,
  listShadowCopies,
  withSnapshotSet,
  type ComponentRef,
  type Simulator,
} from '../lib/index.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const scratch = mkdtempSync(join(tmpdir(), 'vss-snapshots-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A machine whose C:\ is a host folder holding data\app.db. */
function machineWithContent(): { sim: Simulator; folder: string; file: string } {
  const folder = mkdtempSync(join(scratch, 'c-'));
  mkdirSync(join(folder, 'data'));
  const file = join(folder, 'data', 'app.db');
  writeFileSync(file, 'version 1');
  const sim = createSimulator({ timing: { timeScale: 0.01 }, volumes: [{ name: 'C:\\', path: folder }] });
  return { sim, folder, file };
}

const fast = () => createSimulator({ timing: { timeScale: 0.01 } });

function writerStates(sim: Simulator): Record<string, string> {
  return Object.fromEntries(sim.describe().writers.map((w) => [w.name, String(w.state)]));
}

describe('createSnapshotSet', () => {
  it('resolves to a set whose snapshots carry every VSS_SNAPSHOT_PROP field under readable names', async () => {
    const sim = fast();
    const set = await createSnapshotSet(['C:\\'], { backend: sim });
    try {
      expect(set.setId).toMatch(GUID);
      expect(set.snapshots).toHaveLength(1);
      const s = set.snapshots[0]!;
      expect(Object.keys(s).sort()).toEqual(
        ['attributes', 'attributesCode', 'createdAt', 'deviceObject', 'exposedName', 'exposedPath', 'originalVolume', 'originatingMachine',
          'providerId', 'serviceMachine', 'setId', 'snapshotId', 'snapshotsCount', 'state', 'stateCode'].sort(),
      );
      expect(s.snapshotId).toMatch(GUID);
      expect(s.setId).toBe(set.setId);
      expect(s.deviceObject).toMatch(/^\\\\\?\\GLOBALROOT\\Device\\HarddiskVolumeShadowCopy\d+$/);
      expect(s.originalVolume).toBe(sim.describe().volumes.find((v) => v.name === 'C:\\')!.guidName);
      expect(s.providerId).toBe('b5946137-7b9f-4925-af80-51abd60b20d5');
      expect(s.createdAt).toBeInstanceOf(Date);
      expect(Math.abs(s.createdAt.getTime() - Date.now())).toBeLessThan(60_000);
      expect(s.state).toBe('created');
      expect(s.attributes).toContain('differential');
      expect(s.exposedName).toBeNull();
      expect(set.persistent).toBe(false);
      // Writers are waiting for BackupComplete while the set is open.
      expect(writerStates(sim)['System Writer']).toBe('waiting-for-backup-complete');
    } finally {
      await set.complete({ succeeded: true });
    }
    expect(sim.describe().shadows).toEqual([]);
    expect(writerStates(sim)['System Writer']).toBe('stable');
  });

  it('rejects bad arguments with TypeError/RangeError naming the argument and the accepted values', async () => {
    await expect(createSnapshotSet([], { backend: 'simulated' })).rejects.toMatchObject({ name: 'RangeError', code: 'ERR_OUT_OF_RANGE', message: expect.stringContaining('"volumes.length"') });
    await expect(createSnapshotSet(['\\\\server\\share\\folder'], { backend: 'simulated' })).rejects.toMatchObject({ name: 'TypeError', message: expect.stringContaining('"volumes[0]"') });
    await expect(createSnapshotSet('C:\\', { backend: 'simulated', backupType: 'weekly' as never })).rejects.toMatchObject({
      code: 'ERR_INVALID_ARG_VALUE',
      message: expect.stringMatching(/"options\.backupType".*'full', 'incremental'/),
    });
    await expect(createSnapshotSet('C:\\', { backend: 'simulated', writers: ['x'] as never })).rejects.toThrow(/"options\.writers" argument must be 'all', 'none'/);
    await expect(createSnapshotSet('C:\\', { backend: 'wmi' as never })).rejects.toThrow(/"options\.backend" argument must be 'native', 'simulated' or a Simulator/);
    await expect(createSnapshotSet('C:\\', { backend: 'simulated', timeoutMs: -1 })).rejects.toMatchObject({ name: 'RangeError' });
    await expect(createSnapshotSet('C:\\', { backend: 'simulated', retry: { attempts: 0 } })).rejects.toMatchObject({ code: 'ERR_OUT_OF_RANGE', message: expect.stringContaining('options.retry.attempts') });
  });

  it('writers: { exclude } keeps a writer out; an unknown writer name is an error listing the real ones', async () => {
    const sim = fast();
    const set = await createSnapshotSet('C:\\', { backend: sim, writers: { exclude: ['WMI Writer', '{542DA469-D3E1-473C-9F4F-7847F01FC64F}'] } });
    const states = writerStates(sim);
    await set.complete({ succeeded: true });
    expect(states['WMI Writer']).toBe('stable');
    expect(states['COM+ REGDB Writer']).toBe('stable');
    expect(states['System Writer']).toBe('waiting-for-backup-complete');
    await expect(createSnapshotSet('C:\\', { backend: sim, writers: { include: ['Nope Writer'] } })).rejects.toThrow(
      /"options\.writers\.include\[0\]".*Registry Writer/,
    );
    expect(sim.describe().snapshotSetInProgress).toBe(false);
  });

  it("writers: 'none' makes a crash-consistent copy without writers", async () => {
    const sim = fast();
    const set = await createSnapshotSet('C:\\', { backend: sim, writers: 'none' });
    expect(Object.values(writerStates(sim)).every((s) => s === 'stable')).toBe(true);
    expect(set.snapshots[0]!.attributes).toContain('no-writers');
    await set.complete({ succeeded: true });
  });

  it('a failing writer rejects with VssWriterError naming it, and leaves no shadow copy behind', async () => {
    const sim = fast();
    sim.configure({ faults: [{ writer: 'Registry Writer', phase: 'freeze', error: 'VSS_E_WRITERERROR_RETRYABLE', message: 'registry busy' }] });
    const error = (await createSnapshotSet('C:\\', { backend: sim, persistent: true }).catch((e: unknown) => e)) as VssWriterError;
    expect(error).toBeInstanceOf(VssWriterError);
    expect(error.code).toBe('VSS_E_WRITERERROR_RETRYABLE');
    expect(error.operation).toBe('DoSnapshotSet');
    expect(error.writer?.name).toBe('Registry Writer');
    expect(error.writers.map((w) => [w.name, w.state, w.failureMessage])).toEqual([['Registry Writer', 'failed-at-freeze', 'registry busy']]);
    // cold10 F12: the writer error value's remedy and the service that hosts the Registry Writer.
    expect(error.message).toMatch(/Remedy: The writer failed with an error that should not recur: wait ten minutes and retry the backup.*Volume Shadow Copy \(VSS\)/);
    expect(sim.describe().shadows).toEqual([]);
    expect(sim.describe().snapshotSetInProgress).toBe(false);
  });

  it('persistent sets outlive the call and are listed, exposed and deleted by the management calls', async () => {
    const sim = fast();
    const set = await createSnapshotSet(['C:\\'], { backend: sim, persistent: true, backupType: 'copy' });
    await set.complete({ succeeded: true });
    const [copy] = await listShadowCopies({ backend: sim, volume: 'c:' });
    expect(copy?.snapshotId).toBe(set.snapshots[0]!.snapshotId);
    expect(copy?.attributes).toContain('persistent');
    expect(await listShadowCopies({ backend: sim, setId: '00000000-0000-0000-0000-000000000000' })).toEqual([]);
    expect(await exposeShadowCopy(copy!.snapshotId, { mountPath: 'C:\\mnt\\shadow' }, { backend: sim })).toBe('C:\\mnt\\shadow');
    await expect(exposeShadowCopy(copy!.snapshotId, { share: 'snap' } as never, { backend: sim })).rejects.toThrow(/"target\.allowShare"/);
    expect(await deleteShadowCopies({ setId: set.setId.toUpperCase() }, { backend: sim })).toEqual({ deletedCount: 1, nonDeletedId: null });
    expect(await listShadowCopies({ backend: sim })).toEqual([]);
    const providers = await listProviders({ backend: sim });
    expect(providers.map((p) => p.type)).toContain('system');
  });
});

describe('pathFor on a volume backed by a host folder', () => {
  it('maps C:\\data\\app.db into the shadow copy, which keeps the content of snapshot time', async () => {
    const { sim, file } = machineWithContent();
    const set = await createSnapshotSet('C:\\', { backend: sim });
    try {
      writeFileSync(file, 'version 2, written after the snapshot');
      const inShadow = set.pathFor('C:\\data\\app.db');
      expect(readFileSync(inShadow, 'utf8')).toBe('version 1');
      expect(readFileSync(set.pathFor('c:/data/app.db'), 'utf8')).toBe('version 1');
      expect(readFileSync(file, 'utf8')).toMatch(/^version 2/);
    } finally {
      await set.complete({ succeeded: true });
    }
  });

  it('rejects paths on volumes not in the set, relative paths and ..', async () => {
    const { sim } = machineWithContent();
    await withSnapshotSet('C:\\', { backend: sim }, (set) => {
      expect(() => set.pathFor('D:\\data\\x.db')).toThrow(/"originalPath" argument must be a path on a volume in this snapshot set \(C:\\\)/);
      expect(() => set.pathFor('data\\x.db')).toThrow(TypeError);
      expect(() => set.pathFor('C:\\data\\..\\..\\etc\\passwd')).toThrow(/without '\.\.'/);
      expect(() => set.pathFor(42 as never)).toThrow(/"originalPath" argument must be of type string/);
    });
  });

  it('on a volume without content gives the path under the shadow copy device', async () => {
    const sim = fast();
    await withSnapshotSet('C:\\', { backend: sim }, (set) => {
      expect(set.pathFor('C:\\Windows\\System32\\config\\SOFTWARE')).toBe(`${set.snapshots[0]!.deviceObject}\\Windows\\System32\\config\\SOFTWARE`);
    });
  });
});

describe('ending a backup', () => {
  async function registryComponent(sim: Simulator): Promise<ComponentRef> {
    const [registry] = await getWriterMetadata({ backend: sim, writers: ['Registry Writer'] });
    const c = registry!.components[0]!;
    return { writerId: registry!.writerId, instanceId: registry!.instanceId, type: c.type, logicalPath: c.logicalPath, name: c.name };
  }

  it('complete({ succeeded }) marks the components and calls BackupComplete; twice is an error', async () => {
    const sim = fast();
    const component = await registryComponent(sim);
    const set = await createSnapshotSet('C:\\', { backend: sim, components: [component] });
    const report = await set.complete({ succeeded: true });
    expect(report.components.filter((c) => c.writerId === component.writerId)).toEqual([
      expect.objectContaining({ name: component.name, backupSucceeded: true }),
    ]);
    expect(set.ended).toBe(true);
    expect(set.session.released).toBe(true);
    await expect(set.complete({ succeeded: true })).rejects.toMatchObject({ code: 'VSS_E_BAD_STATE' });
    expect(writerStates(sim)['Registry Writer']).toBe('stable');
  });

  it('withSnapshotSet returns the callback result; a throw is rethrown and the set is released', async () => {
    const { sim } = machineWithContent();
    const size = await withSnapshotSet('C:\\', { backend: sim }, (set) => readFileSync(set.pathFor('C:\\data\\app.db')).length);
    expect(size).toBe('version 1'.length);
    const failure = new Error('copy failed');
    let seen: string | undefined;
    await expect(
      withSnapshotSet('C:\\', { backend: sim }, async (set) => {
        seen = set.snapshots[0]!.snapshotId;
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(seen).toMatch(GUID);
    expect(sim.describe().shadows).toEqual([]);
    expect(Object.values(writerStates(sim)).every((s) => s === 'stable')).toBe(true);
  });

  it('await using aborts a set that was not completed, and releases it', async () => {
    const sim = fast();
    {
      await using set = await createSnapshotSet('C:\\', { backend: sim, persistent: true });
      expect(sim.describe().shadows).toHaveLength(1);
      expect(set.ended).toBe(false);
    }
    expect(sim.describe().shadows).toEqual([]);
    expect(sim.describe().snapshotSetInProgress).toBe(false);
    expect(Object.values(writerStates(sim)).every((s) => s === 'stable')).toBe(true);
  });
});

describe('AbortSignal and timeoutMs', () => {
  it('an already aborted signal rejects with AbortError before VSS is asked anything', async () => {
    const sim = fast();
    const controller = new AbortController();
    controller.abort(new Error('user pressed stop'));
    const error = (await createSnapshotSet('C:\\', { backend: sim, signal: controller.signal }).catch((e: unknown) => e)) as AbortError;
    expect(error).toBeInstanceOf(AbortError);
    expect(error.name).toBe('AbortError');
    expect(error.code).toBe('ABORT_ERR');
    expect((error.cause as Error).message).toBe('user pressed stop');
    expect(sim.describe().sessions).toBe(0);
  });

  it('aborting while the writers are frozen cancels DoSnapshotSet and leaves nothing behind', async () => {
    const sim = createSimulator({ timing: { timeScale: 1, freezeMs: 5000 } });
    const controller = new AbortController();
    const started = Date.now();
    const attempt = createSnapshotSet('C:\\', {
      backend: sim,
      persistent: true,
      signal: controller.signal,
      onProgress: (e) => {
        if (e.operation === 'DoSnapshotSet' && e.elapsedMs > 50) controller.abort();
      },
    });
    await expect(attempt).rejects.toMatchObject({ name: 'AbortError', code: 'ABORT_ERR', operation: 'DoSnapshotSet' });
    expect(Date.now() - started).toBeLessThan(4000);
    expect(sim.describe().shadows).toEqual([]);
    expect(sim.describe().snapshotSetInProgress).toBe(false);
    expect(Object.values(writerStates(sim)).every((s) => s === 'stable')).toBe(true);
  });

  it('timeoutMs gives up with the TimeoutError, as fetch does (issue 9 item 10)', async () => {
    const sim = createSimulator({ timing: { timeScale: 1, prepareBackupMs: 5000 } });
    const error = (await createSnapshotSet('C:\\', { backend: sim, timeoutMs: 100 }).catch((e: unknown) => e)) as Error;
    expect(error.name).toBe('TimeoutError');
    expect(sim.describe().snapshotSetInProgress).toBe(false);
  });

  it('a session call aborted mid-way rejects with AbortError carrying VSS_S_ASYNC_CANCELLED', async () => {
    const sim = createSimulator({ timing: { timeScale: 1, identifyMs: 5000 } });
    await using session = await BackupSession.create({ backend: sim });
    await session.initializeForBackup();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const error = (await session.gatherWriterMetadata({ signal: controller.signal }).catch((e: unknown) => e)) as AbortError;
    expect(error).toBeInstanceOf(AbortError);
    expect(error.hresult).toBe(0x0004230b);
    expect(session.timings.at(-1)).toMatchObject({ operation: 'GatherWriterMetadata' });
  });
});

describe('retry on VSS_E_SNAPSHOT_SET_IN_PROGRESS', () => {
  it('is off by default: the error says what to do', async () => {
    const sim = createSimulator({ timing: { timeScale: 0.01 }, snapshotSetInProgress: true });
    const error = (await createSnapshotSet('C:\\', { backend: sim }).catch((e: unknown) => e)) as VssError;
    expect(error).toBeInstanceOf(VssError);
    expect(error.code).toBe('VSS_E_SNAPSHOT_SET_IN_PROGRESS');
    expect(error.operation).toBe('StartSnapshotSet');
    expect(error.remedy).toMatch(/retry policy/);
  });

  it('retries with backoff until the other set is done', async () => {
    const sim = createSimulator({ timing: { timeScale: 0.01 }, snapshotSetInProgress: true });
    setTimeout(() => sim.configure({ snapshotSetInProgress: false }), 150);
    const started = Date.now();
    const set = await createSnapshotSet('C:\\', { backend: sim, retry: { attempts: 20, delayMs: 20, maxDelayMs: 80 } });
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(set.snapshots).toHaveLength(1);
    await set.complete({ succeeded: true });
  });

  it('gives up after the attempts, having waited delay, 2×delay, ... between them', async () => {
    const sim = createSimulator({ timing: { timeScale: 0.01 }, snapshotSetInProgress: true });
    const started = Date.now();
    await expect(createSnapshotSet('C:\\', { backend: sim, retry: { attempts: 3, delayMs: 200 } })).rejects.toMatchObject({
      code: 'VSS_E_SNAPSHOT_SET_IN_PROGRESS',
    });
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(200 + 400 - 5);
    expect(elapsed).toBeLessThan(200 + 400 + 700); // a fourth attempt would have waited another 800 ms
  });

  it('other errors are not retried', async () => {
    const sim = createSimulator({ timing: { timeScale: 0.01 } });
    sim.configure({ faults: [{ volume: 'C:\\', unsupported: true }] });
    const started = Date.now();
    await expect(createSnapshotSet('C:\\', { backend: sim, retry: { attempts: 5, delayMs: 1000 } })).rejects.toMatchObject({ code: 'VSS_E_VOLUME_NOT_SUPPORTED' });
    expect(Date.now() - started).toBeLessThan(900);
  });

  it('an abort during the backoff wait ends it with AbortError', async () => {
    const sim = createSimulator({ timing: { timeScale: 0.01 }, snapshotSetInProgress: true });
    await expect(
      createSnapshotSet('C:\\', { backend: sim, retry: { attempts: 5, delayMs: 10_000 }, signal: AbortSignal.timeout(100) }),
    ).rejects.toMatchObject({ name: 'TimeoutError' });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    await expect(
      createSnapshotSet('C:\\', { backend: sim, retry: { attempts: 5, delayMs: 10_000 }, signal: controller.signal }),
    ).rejects.toMatchObject({ name: 'AbortError' });
  });
});
