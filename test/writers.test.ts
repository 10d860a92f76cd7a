import { describe, expect, it } from 'vitest';

import {
  BackupSession,
  VssUnsupportedPlatformError,
  VssWriterError,
  createSimulator,
  getWriterMetadata,
  listVirtualMachines,
  listWriters,
  type WriterStatus,
} from '../lib/index.js';

// What a default Windows Server reports (class ids as Windows reports them, instance
// ids from the real writer metadata documents in shared/reference).
const DEFAULT_WRITERS: Record<string, { writerId: string; instanceId: string }> = {
  'Task Scheduler Writer': { writerId: 'd61d61c8-d73a-4eee-8cdd-f6f9786b7124', instanceId: '1bddd48e-5052-49db-9b07-b96f96727e6b' },
  'VSS Metadata Store Writer': { writerId: '75dfb225-e2e4-4d39-9ac9-ffaff65ddf06', instanceId: '088e7a7d-09a8-4cc6-a609-ad90e75ddc93' },
  'Performance Counters Writer': { writerId: '0bada1de-01a9-4625-8278-69e735f39dd2', instanceId: 'f0086dda-9efc-47c5-8eb6-a944c3d09381' },
  'System Writer': { writerId: 'e8132975-6f93-4464-a53e-1050253ae220', instanceId: 'ce678d65-95d0-4bea-a43d-2a288bc94500' },
  'ASR Writer': { writerId: 'be000cbe-11fe-4426-9c58-531aa6355fc4', instanceId: '57307c00-7886-4cfc-b8cc-2d76c40e6cca' },
  'Shadow Copy Optimization Writer': { writerId: '4dc3bdd4-ab48-4d07-adb0-3bee2926fd7f', instanceId: 'd64f06cb-e5ac-48c2-81a9-0c25ccf8f3bb' },
  'WMI Writer': { writerId: 'a6ad56c2-b509-4e6c-bb19-49d8f43532f0', instanceId: 'e795e5ac-50b0-4127-ab18-6b09138b6669' },
  'Registry Writer': { writerId: 'afbab4a2-367d-4d15-a586-71dbb18f8485', instanceId: 'a9cff6b0-5ac6-4dde-aa4d-25b16fbae717' },
  'COM+ REGDB Writer': { writerId: '542da469-d3e1-473c-9f4f-7847f01fc64f', instanceId: '096a689b-077b-44e3-a7ba-5831d480c95b' },
};

describe('listWriters on the simulated backend', () => {
  it('returns the writers of a default Windows Server, all stable', async () => {
    const writers = await listWriters({ backend: 'simulated' });
    const byName = new Map(writers.map((w) => [w.name, w]));
    for (const [name, ids] of Object.entries(DEFAULT_WRITERS)) {
      const w = byName.get(name);
      expect(w, name).toBeDefined();
      expect(w!.writerId).toBe(ids.writerId);
      expect(w!.instanceId).toBe(ids.instanceId);
      expect(w!.state).toBe('stable');
      expect(w!.stateCode).toBe(1);
      expect(w!.lastError).toBeNull();
    }
  });

  it('gives GUIDs as lowercase strings without braces and every documented field', async () => {
    const writers = await listWriters({ backend: createSimulator() });
    expect(writers.length).toBeGreaterThanOrEqual(9);
    for (const w of writers) {
      expect(w.writerId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(w.instanceId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(Object.keys(w).sort()).toEqual(
        ['applicationError', 'failureMessage', 'instanceId', 'instanceName', 'lastError', 'name', 'state', 'stateCode', 'writerId'].sort(),
      );
    }
  });

  it('rejects the native backend off Windows with a typed error naming the remedy', async () => {
    const attempt = listWriters();
    await expect(attempt).rejects.toBeInstanceOf(VssUnsupportedPlatformError);
    await expect(listWriters({ backend: 'native' })).rejects.toMatchObject({
      code: 'ERR_VSS_UNSUPPORTED_PLATFORM',
      message: expect.stringContaining("backend: 'simulated'"),
    });
  });

  it('rejects a bad backend option with a TypeError naming the argument', async () => {
    await expect(listWriters({ backend: 'wmi' as never })).rejects.toMatchObject({
      name: 'TypeError',
      code: 'ERR_INVALID_ARG_VALUE',
      message: expect.stringContaining('"options.backend"'),
    });
  });

  it('reports a failed writer with its state and last error', async () => {
    const sim = createSimulator({
      base: 'windows-server-2022',
      writers: [{ name: 'WMI Writer', state: 'failed-at-freeze', lastError: 'VSS_E_WRITERERROR_RETRYABLE' }],
    });
    const writers: WriterStatus[] = await listWriters({ backend: sim });
    const wmi = writers.find((w) => w.name === 'WMI Writer')!;
    expect(wmi.state).toBe('failed-at-freeze');
    expect(wmi.stateCode).toBe(9);
    expect(wmi.lastError).toEqual({ hresult: 0x800423f3, name: 'VSS_E_WRITERERROR_RETRYABLE' });
  });
});

describe('a writer that fails to identify gives no metadata (cold8 F26, F27)', () => {
  const failingIdentify = (writer: string, base = 'windows-server-2022') =>
    createSimulator({ base, timing: { timeScale: 0.01 }, faults: [{ writer, phase: 'identify', error: 'VSS_E_WRITERERROR_RETRYABLE' }] });

  it('getWriterMetadata rejects with a VssWriterError naming it, rather than a list without it', async () => {
    const sim = failingIdentify('Registry Writer');
    const rejected = getWriterMetadata({ backend: sim });
    await expect(rejected).rejects.toBeInstanceOf(VssWriterError);
    await expect(rejected).rejects.toMatchObject({ operation: 'GatherWriterMetadata', writers: [{ name: 'Registry Writer', state: 'failed-at-identify' }] });
    // Asked by name it is a failing writer, not "not on this machine"; others still come.
    await expect(getWriterMetadata({ backend: sim, writers: ['Registry Writer'] })).rejects.toMatchObject({ name: 'VssWriterError', writers: [{ name: 'Registry Writer' }] });
    expect((await getWriterMetadata({ backend: sim, writers: ['System Writer'] })).map((w) => w.name)).toEqual(['System Writer']);
    await expect(getWriterMetadata({ backend: sim, writers: ['Nope Writer'] })).rejects.toMatchObject({ code: 'ERR_INVALID_ARG_VALUE' });
  });

  it('listVirtualMachines rejects when the Hyper-V writer failed to identify, and lists the VMs when only another writer did', async () => {
    await expect(listVirtualMachines({ backend: failingIdentify('Microsoft Hyper-V VSS Writer', 'hyper-v') })).rejects.toMatchObject({
      name: 'VssWriterError',
      writers: [{ name: 'Microsoft Hyper-V VSS Writer', state: 'failed-at-identify' }],
    });
    expect((await listVirtualMachines({ backend: failingIdentify('Registry Writer', 'hyper-v') })).length).toBeGreaterThan(0);
  });
});

describe('BackupSession basics', () => {
  it('rejects calls out of order with the VSS error, and keeps working', async () => {
    await using session = await BackupSession.create({ backend: 'simulated' });
    await expect(session.gatherWriterStatus()).rejects.toMatchObject({
      name: 'VssError',
      code: 'VSS_E_BAD_STATE',
      hresult: 0x80042301,
      operation: 'GatherWriterStatus',
    });
    await session.initializeForBackup();
    await session.gatherWriterMetadata();
    await session.gatherWriterStatus();
    expect((await session.getWriterStatus()).length).toBeGreaterThanOrEqual(9);
    expect(session.timings.map((t) => t.operation)).toEqual([
      'GatherWriterStatus',
      'InitializeForBackup',
      'GatherWriterMetadata',
      'GatherWriterStatus',
      'GetWriterStatus',
    ]);
    expect(session.timings[0]!.error).toBe('VSS_E_BAD_STATE');
  });

  it('runs one call at a time', async () => {
    await using session = await BackupSession.create({ backend: 'simulated' });
    await session.initializeForBackup();
    const first = session.gatherWriterMetadata();
    await expect(session.gatherWriterStatus()).rejects.toMatchObject({ name: 'VssSessionError', code: 'ERR_VSS_SESSION_BUSY' });
    await first;
  });

  it('refuses calls after release', async () => {
    const session = await BackupSession.create({ backend: 'simulated' });
    await session.release();
    await session.release(); // twice is fine
    expect(session.released).toBe(true);
    await expect(session.initializeForBackup()).rejects.toMatchObject({ code: 'ERR_VSS_SESSION_RELEASED' });
  });
});
