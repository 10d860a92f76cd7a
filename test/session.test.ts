// The low-level BackupSession as a harness uses it: stop between any two steps and
// read every writer; the restore steps; argument checks; and the error classes
// with their remedies; the module-wide default backend.
import { afterEach, describe, expect, it } from 'vitest';

import {
  BackupSession,
  VssError,
  VssUnsupportedPlatformError,
  createSimulator,
  diffWriterStatus,
  getDefaultBackend,
  getWriterMetadata,
  listWriters,
  setDefaultBackend,
  type ComponentRef,
  type Simulator,
} from '../lib/index.js';

const fast = () => createSimulator({ timing: { timeScale: 0.01 } });

async function startBackup(sim: Simulator, volumeMode = true) {
  const session = await BackupSession.create({ backend: sim });
  await session.initializeForBackup();
  await session.setContext('backup');
  await session.setBackupState({ selectComponents: !volumeMode, backupType: 'full' });
  await session.gatherWriterMetadata();
  return session;
}

describe('stopping between steps', () => {
  it('every writer can be read after every step: state, last error, failure message, application error', async () => {
    const sim = fast();
    sim.configure({
      faults: [{ writer: 'WMI Writer', phase: 'prepare-snapshot', error: 'VSS_E_WRITERERROR_NONRETRYABLE', applicationError: 'E_ACCESSDENIED', message: 'cannot open the repository' }],
    });
    await using session = await startBackup(sim);
    await session.gatherWriterStatus();
    const afterIdentify = await session.getWriterStatus();
    await session.startSnapshotSet();
    await session.addToSnapshotSet('C:\\');
    await session.prepareForBackup();
    await session.gatherWriterStatus();
    const afterPrepare = await session.getWriterStatus();
    expect(diffWriterStatus(afterIdentify, afterPrepare)).toEqual([]);
    await session.doSnapshotSet();
    await session.gatherWriterStatus();
    const afterSnapshot = await session.getWriterStatus();
    const wmi = afterSnapshot.find((w) => w.name === 'WMI Writer')!;
    expect(wmi).toMatchObject({
      state: 'failed-at-prepare-snapshot',
      stateCode: 8,
      lastError: { name: 'VSS_E_WRITERERROR_NONRETRYABLE', hresult: 0x800423f4 },
      applicationError: { name: 'E_ACCESSDENIED', hresult: 0x80070005 },
      failureMessage: 'cannot open the repository',
    });
    const changes = diffWriterStatus(afterPrepare, afterSnapshot);
    expect(changes.find((c) => c.name === 'WMI Writer')).toMatchObject({ kind: 'changed', before: { state: 'stable' }, after: { state: 'failed-at-prepare-snapshot' } });
    expect(changes.filter((c) => c.after?.state === 'waiting-for-backup-complete')).toHaveLength(8);
    await session.backupComplete();
    const steps = session.timings.map((t) => t.operation);
    expect(steps).toEqual(expect.arrayContaining(['PrepareForBackup', 'DoSnapshotSet', 'BackupComplete']));
    for (const t of session.timings) {
      expect(t.durationMs).toBeGreaterThanOrEqual(0);
      expect(t.startedAt).toBeInstanceOf(Date);
    }
  });
});

describe('restore steps', () => {
  it('a saved Backup Components Document drives a restore: select, PreRestore, PostRestore', async () => {
    const sim = fast();
    const [registry] = await getWriterMetadata({ backend: sim, writers: ['Registry Writer'] });
    const c = registry!.components[0]!;
    const component: ComponentRef = { writerId: registry!.writerId, instanceId: registry!.instanceId, type: c.type, logicalPath: c.logicalPath, name: c.name };

    let bcd: string;
    {
      await using backup = await startBackup(sim, false);
      await backup.addComponent(component);
      await backup.startSnapshotSet();
      await backup.addToSnapshotSet('C:\\');
      await backup.prepareForBackup();
      await backup.doSnapshotSet();
      await backup.setBackupSucceeded(component, true);
      await backup.backupComplete();
      bcd = await backup.saveAsXml();
    }
    expect(bcd).toMatch(/^<BACKUP_COMPONENTS/);

    await using restore = await BackupSession.create({ backend: sim });
    await restore.initializeForRestore(bcd);
    await restore.gatherWriterMetadata();
    await restore.setSelectedForRestore(component, true);
    await restore.setRestoreOptions(component, 'RESTORE_TO_ORIGINAL');
    await restore.setAdditionalRestores(component, false);
    await restore.preRestore();
    await restore.setFileRestoreStatus(component, 'all');
    await restore.postRestore();
    const recorded = (await restore.getWriterComponents()).find((w) => w.writerId === component.writerId)!;
    expect(recorded.components[0]).toMatchObject({ name: c.name, backupSucceeded: true, selectedForRestore: true, restoreOptions: 'RESTORE_TO_ORIGINAL', fileRestoreStatus: 'all' });
    await restore.gatherWriterStatus();
    expect((await restore.getWriterStatus()).find((w) => w.name === 'Registry Writer')?.state).toBe('stable');
  });
});

describe('argument checks on session methods', () => {
  it('name the argument and the accepted values, before VSS is called', async () => {
    await using session = await BackupSession.create({ backend: fast() });
    await expect(session.setContext('everything' as never)).rejects.toMatchObject({ name: 'TypeError', message: expect.stringMatching(/"context" argument must be 'backup'/) });
    await expect(session.setBackupState({ backupType: 'weekly' as never })).rejects.toThrow(/"state\.backupType"/);
    await expect(session.enableWriterClasses(['not-a-guid'])).rejects.toThrow(/"writerIds\[0\]" argument must be a GUID/);
    await expect(session.addComponent({ writerId: 'e8132975-6f93-4464-a53e-1050253ae220', instanceId: 'x', type: 'file-group', name: 'a' })).rejects.toThrow(/"component\.instanceId"/);
    await expect(session.exposeSnapshot('11111111-1111-1111-1111-111111111111', { driveLetter: 'XY' })).rejects.toThrow(/"target\.driveLetter"/);
    await expect(session.exposeSnapshot('11111111-1111-1111-1111-111111111111', { mountPath: 'C:\\a\\..\\b' })).rejects.toThrow(/without \.\./);
    await expect(session.setFileRestoreStatus({} as never, 'some' as never)).rejects.toThrow(/"status" argument must be 'none', 'all' or 'failed'/);
    await expect(session.gatherWriterMetadata({ signal: 'stop' as never })).rejects.toThrow(/"options\.signal" argument must be an AbortSignal/);
    expect(session.timings).toEqual([]);
  });

  it('a missing property is "Received undefined" (cold8 F7)', async () => {
    await using session = await BackupSession.create({ backend: fast() });
    await expect(session.setBackupSucceeded({ writerId: 'x' } as never, true)).rejects.toThrow(/The "component\.name" argument must be of type string\. Received undefined$/);
  });

  it('GUIDs in any case and with braces are accepted and come back lowercase', async () => {
    const sim = fast();
    await using session = await startBackup(sim);
    const setId = await session.startSnapshotSet();
    const id = await session.addToSnapshotSet('C:\\');
    await session.prepareForBackup();
    await session.doSnapshotSet();
    const props = await session.getSnapshotProperties(`{${id.toUpperCase()}}`);
    expect(props.snapshotId).toBe(id);
    expect(props.setId).toBe(setId);
    expect(id).toBe(id.toLowerCase());
    await session.backupComplete();
  });
});

describe('out-of-order calls say what happened to the set (cold8 F7)', () => {
  it('after DoSnapshotSet and after BackupComplete the refusals name the step that was done', async () => {
    await using session = await startBackup(fast());
    await session.startSnapshotSet();
    await session.addToSnapshotSet('C:\\');
    await session.prepareForBackup();
    await session.doSnapshotSet();
    const created = /\(a session creates (one|its) snapshot set[^)]*: DoSnapshotSet already created this session's set\)/;
    await expect(session.startSnapshotSet()).rejects.toMatchObject({ code: 'VSS_E_BAD_STATE', message: expect.stringMatching(created) });
    await expect(session.doSnapshotSet()).rejects.toMatchObject({ code: 'VSS_E_BAD_STATE', message: expect.stringMatching(created) });
    await expect(session.doSnapshotSet()).rejects.not.toThrow(/PrepareForBackup|has ended/);
    await session.backupComplete();
    await expect(session.backupComplete()).rejects.toMatchObject({
      code: 'VSS_E_BAD_STATE',
      message: expect.stringContaining('(the backup is over: BackupComplete already ended this session\'s backup)'),
    });
    await expect(session.backupComplete()).rejects.not.toThrow(/comes after DoSnapshotSet/);
  });

  it('DoSnapshotSet before PrepareForBackup still asks for PrepareForBackup', async () => {
    await using session = await startBackup(fast());
    await session.startSnapshotSet();
    await session.addToSnapshotSet('C:\\');
    await expect(session.doSnapshotSet()).rejects.toMatchObject({ code: 'VSS_E_BAD_STATE', message: expect.stringContaining('(PrepareForBackup must come first (in a context with writers))') });
    await expect(session.backupComplete()).rejects.toThrow(/\(BackupComplete comes after DoSnapshotSet\)/);
  });
});

describe('errors', () => {
  it('VssError carries code, hresult, operation and a remedy line for the common causes', () => {
    const denied = new VssError(0x80070005, undefined, { operation: 'CreateVssBackupComponents' });
    expect(denied).toMatchObject({ name: 'VssError', code: 'E_ACCESSDENIED', hresult: 0x80070005, operation: 'CreateVssBackupComponents', writer: null });
    expect(denied.remedy).toMatch(/elevated/);
    expect(denied.message).toMatch(/\nRemedy: Run the process elevated/);
    expect(new VssError(0x80070032, undefined, { operation: 'CreateVssBackupComponents' }).remedy).toMatch(/WOW64.*64-bit node\.exe/);
    expect(new VssError(0x800706ba, undefined, { operation: 'InitializeForBackup' }).remedy).toMatch(/Start the Volume Shadow Copy service/);
    expect(new VssError(0x80080005, undefined, { operation: 'CreateVssBackupComponents' }).remedy).toMatch(/service could not start/);
    expect(new VssError(0x80070422).remedy).toMatch(/Enable the Volume Shadow Copy service/);
    expect(new VssError(0x80042316, undefined, { operation: 'StartSnapshotSet' }).remedy).toMatch(/retry/);
    expect(new VssError(-2147212529, undefined, {}).hresult).toBe(0x8004230f); // signed HRESULTs become unsigned
    expect(new VssError(0x8004230f).remedy).toBeUndefined();
  });

  it('VssUnsupportedPlatformError says how to go on', () => {
    const e = new VssUnsupportedPlatformError();
    expect(e.code).toBe('ERR_VSS_UNSUPPORTED_PLATFORM');
    expect(e.remedy).toMatch(/backend: 'simulated'/);
  });
});

describe('the module default backend', () => {
  afterEach(() => setDefaultBackend('native'));

  it("is 'native' until changed; setDefaultBackend applies to calls that name none", async () => {
    expect(getDefaultBackend()).toBe('native');
    await expect(listWriters()).rejects.toBeInstanceOf(VssUnsupportedPlatformError);
    const sim = createSimulator({ writers: [{ name: 'WMI Writer', state: 'failed-at-thaw', lastError: 'VSS_E_WRITERERROR_TIMEOUT' }] });
    setDefaultBackend(sim);
    expect((await listWriters()).find((w) => w.name === 'WMI Writer')?.state).toBe('failed-at-thaw');
    setDefaultBackend('simulated');
    expect((await listWriters()).every((w) => w.state === 'stable')).toBe(true);
    expect(() => setDefaultBackend('com' as never)).toThrow(/"backend" argument must be 'native', 'simulated' or a Simulator/);
  });
});
