// A misspelt option is refused, never ignored: `{ persistant: true }` once made a set that was
// not persistent without a word (cold trial, F6). Each row calls a public function with one
// unknown key and expects a TypeError (ERR_INVALID_ARG_VALUE) naming it, before any VSS call and
// with nothing left on the machine.
import { describe, expect, it } from 'vitest';

import * as vss from '../../lib/index.js';

interface Row {
  name: string;
  key: string;
  /** The nearest known key the message should suggest, if any. */
  suggest?: string;
  run: (sim: vss.Simulator, session: vss.BackupSession) => unknown;
}

const SOME_ID = '11111111-2222-3333-4444-555555555555';

const rows: Row[] = [
  { name: 'createSnapshotSet', key: 'persistant', suggest: 'persistent', run: (sim) => vss.createSnapshotSet('C:\\', { backend: sim, persistant: true } as vss.SnapshotSetOptions) },
  { name: 'createSnapshotSet retry', key: 'attempt', suggest: 'attempts', run: (sim) => vss.createSnapshotSet('C:\\', { backend: sim, retry: { attempt: 3 } } as unknown as vss.SnapshotSetOptions) },
  { name: 'withSnapshotSet', key: 'writerFailure', suggest: 'writerFailures', run: (sim) => vss.withSnapshotSet('C:\\', { backend: sim, writerFailure: 'report' } as vss.SnapshotSetOptions, () => 1) },
  { name: 'planBackup', key: 'mountedVolume', suggest: 'mountedVolumes', run: (sim) => vss.planBackup('C:\\', { backend: sim, mountedVolume: true } as vss.PlanOptions) },
  { name: 'listWriters', key: 'bakend', suggest: 'backend', run: (sim) => vss.listWriters({ bakend: sim } as vss.ListWritersOptions) },
  { name: 'getWriterMetadata', key: 'writer', suggest: 'writers', run: (sim) => vss.getWriterMetadata({ backend: sim, writer: ['System Writer'] } as vss.GetWriterMetadataOptions) },
  { name: 'listShadowCopies', key: 'volumes', suggest: 'volume', run: (sim) => vss.listShadowCopies({ backend: sim, volumes: 'C:\\' } as Parameters<typeof vss.listShadowCopies>[0]) },
  { name: 'deleteShadowCopies', key: 'force', run: (sim) => vss.deleteShadowCopies({ setId: SOME_ID }, { backend: sim, force: true } as vss.ManagementOptions) },
  { name: 'getShadowCopy', key: 'journl', suggest: 'journal', run: (sim) => vss.getShadowCopy(SOME_ID, { backend: sim, journl: false } as vss.ManagementOptions) },
  { name: 'listProviders', key: 'signals', suggest: 'signal', run: (sim) => vss.listProviders({ backend: sim, signals: undefined } as vss.ManagementOptions) },
  { name: 'revertToShadowCopy', key: 'forceDismounts', suggest: 'forceDismount', run: (sim) => vss.revertToShadowCopy(SOME_ID, { backend: sim, forceDismounts: false } as Parameters<typeof vss.revertToShadowCopy>[1]) },
  { name: 'resizeShadowStorage', key: 'volitile', suggest: 'volatile', run: (sim) => vss.resizeShadowStorage('C:\\', 'C:\\', 1n << 30n, { backend: sim, volitile: true } as Parameters<typeof vss.resizeShadowStorage>[3]) },
  { name: 'listShadowStorage', key: 'onVolume', suggest: 'volume', run: (sim) => vss.listShadowStorage({ backend: sim, onVolume: 'C:\\' } as Parameters<typeof vss.listShadowStorage>[0]) },
  { name: 'volumeProtection', key: 'levels', suggest: 'level', run: (sim) => vss.volumeProtection('C:\\', { backend: sim, levels: 'original-volume' } as Parameters<typeof vss.volumeProtection>[1]) },
  { name: 'isVolumeSnapshotted', key: 'backed', suggest: 'backend', run: (sim) => vss.isVolumeSnapshotted('C:\\', { backend: sim, backed: 1 } as vss.VolumeCheckOptions) },
  { name: 'breakShadowCopySet', key: 'readWrite', run: (sim) => vss.breakShadowCopySet(SOME_ID, { backend: sim, readWrite: true } as vss.BreakOptions) },
  { name: 'importShadowCopySet', key: 'progress', suggest: 'onProgress', run: (sim) => vss.importShadowCopySet('<x/>', { backend: sim, progress: () => undefined } as vss.ImportOptions) },
  { name: 'restore', key: 'component', suggest: 'components', run: (sim) => vss.restore('<x/>', { backend: sim, component: [] } as vss.RestoreOptions) },
  { name: 'findOrphans', key: 'dryRun', run: (sim) => vss.findOrphans({ backend: sim, dryRun: true } as vss.OrphanOptions) },
  { name: 'cleanupOrphans', key: 'dryrun', suggest: 'dryRun', run: (sim) => vss.cleanupOrphans({ backend: sim, dryrun: true } as vss.OrphanOptions) },
  { name: 'checkWriter', key: 'abort', suggest: 'abortAt', run: (sim) => vss.checkWriter('System Writer', { backend: sim, abort: ['all'] } as vss.CheckWriterOptions) },
  { name: 'readVssEvents', key: 'level', suggest: 'levels', run: (sim) => vss.readVssEvents({ backend: sim, level: ['error'] } as vss.ReadVssEventsOptions) },
  { name: 'followVssEvents', key: 'channel', suggest: 'channels', run: (sim) => vss.followVssEvents({ backend: sim, channel: ['System'] } as vss.FollowVssEventsOptions) },
  { name: 'checkHealth', key: 'ignored', suggest: 'ignore', run: (sim) => vss.checkHealth({ backend: sim, ignored: ['WMI Writer'] } as vss.HealthOptions) },
  { name: 'restartFailedWriters', key: 'timeout', suggest: 'timeoutMs', run: (sim) => vss.restartFailedWriters({ backend: sim, timeout: 5 } as vss.RestartFailedWritersOptions) },
  { name: 'listVirtualMachines', key: 'vm', run: (sim) => vss.listVirtualMachines({ backend: sim, vm: 'x' } as vss.ListVirtualMachinesOptions) },
  { name: 'createSimulator', key: 'state', run: () => vss.createSimulator({}, { state: 'm.json' } as vss.SimulatorOptions) },
  { name: 'scenarioFromWriterMetadata', key: 'machine', run: () => vss.scenarioFromWriterMetadata([], { machine: 'x' } as vss.ScenarioFromWriterMetadataOptions) },
  { name: 'BackupSession.create', key: 'signl', suggest: 'signal', run: (sim) => vss.BackupSession.create({ backend: sim, signl: undefined } as vss.SessionOptions) },
  { name: 'session.gatherWriterMetadata', key: 'onprogress', suggest: 'onProgress', run: (_sim, s) => s.gatherWriterMetadata({ onprogress: () => undefined } as vss.CallOptions) },
  { name: 'session.deleteSnapshots', key: 'wholeset', suggest: 'wholeSet', run: (_sim, s) => s.deleteSnapshots(SOME_ID, { wholeset: true } as { wholeSet?: boolean }) },
  { name: 'session.breakSnapshotSetEx', key: 'maskLun', suggest: 'maskLuns', run: (_sim, s) => s.breakSnapshotSetEx(SOME_ID, { maskLun: true } as { maskLuns?: boolean }) },
];

describe('a misspelt option is a TypeError naming it, before any VSS call', () => {
  for (const row of rows)
    it(`${row.name}({ ${row.key} })`, async () => {
      const sim = vss.createSimulator({ timing: { timeScale: 0 } });
      const session = await vss.BackupSession.create({ backend: sim });
      try {
        const { result, calls } = await vss.traceVssCalls(async () => {
          try {
            await row.run(sim, session);
            return null;
          } catch (error) {
            return error;
          }
        });
        expect(result).toBeInstanceOf(TypeError);
        const error = result as TypeError & { code: string };
        expect(error.code).toBe('ERR_INVALID_ARG_VALUE');
        expect(error.message).toContain(`unknown option '${row.key}'`);
        if (row.suggest) expect(error.message).toContain(`did you mean '${row.suggest}'?`);
        else expect(error.message).not.toContain('did you mean');
        expect(calls).toEqual([]);
        expect(sim.describe().snapshotSetInProgress).toBe(false);
        expect(await vss.listShadowCopies({ backend: sim })).toEqual([]);
      } finally {
        await session.release();
      }
    });

  it('every documented option is still taken (createSnapshotSet with all of them)', async () => {
    const sim = vss.createSimulator({ timing: { timeScale: 0 } });
    const set = await vss.createSnapshotSet('C:\\', {
      backend: sim, backupType: 'full', context: 'app-rollback', persistent: true, transportable: false, writers: 'all',
      selection: false, addRequiredVolumes: false, mountedVolumes: false, journal: false, keep: true, provider: undefined,
      timeoutMs: 60_000, signal: new AbortController().signal, onProgress: () => undefined, retry: { attempts: 2, delayMs: 0, maxDelayMs: 0 }, correlateEvents: false,
    });
    await set.complete({ succeeded: true, components: [], writerFailures: 'report' });
    expect(await vss.listShadowCopies({ backend: sim, volume: 'C:\\', setId: set.setId, journal: false, signal: undefined })).toHaveLength(1);
  });
});

// cold8 F6 (cont.): a target of two forms at once (`{ all, volume }`, `{ driveLetter, mountPath }`)
// used to resolve with one of them silently dropped, while the CLI refuses the same combination.
describe('a target naming two forms, or a key its form does not take, is a TypeError before any VSS call', () => {
  const contradictions: { name: string; message: string; run: (sim: vss.Simulator, id: string) => Promise<unknown> }[] = [
    { name: 'deleteShadowCopies({ all, volume })', message: "names 'all' and 'volume'", run: (sim) => vss.deleteShadowCopies({ all: true, volume: 'C:\\' } as vss.DeleteTarget, { backend: sim }) },
    { name: 'deleteShadowCopies({ setId, exposed })', message: "names 'setId' and 'exposed'", run: (sim, id) => vss.deleteShadowCopies({ setId: id, exposed: 'X:' } as vss.DeleteTarget, { backend: sim }) },
    { name: 'deleteShadowCopies({ setId, oldest })', message: '"target.oldest" argument must be absent', run: (sim, id) => vss.deleteShadowCopies({ setId: id, oldest: true } as vss.DeleteTarget, { backend: sim }) },
    { name: 'exposeShadowCopy({ driveLetter, mountPath })', message: "names 'driveLetter' and 'mountPath'", run: (sim, id) => vss.exposeShadowCopy(id, { driveLetter: 'X:', mountPath: 'C:\\mnt\\x' } as vss.ExposeTarget, { backend: sim }) },
    { name: 'exposeShadowCopy({ driveLetter, share })', message: "names 'driveLetter' and 'share'", run: (sim, id) => vss.exposeShadowCopy(id, { driveLetter: 'X:', share: 'snap', allowShare: true } as vss.ExposeTarget, { backend: sim }) },
    { name: 'exposeShadowCopy({ driveLetter, pathFromRoot })', message: '"target.pathFromRoot" argument must be absent', run: (sim, id) => vss.exposeShadowCopy(id, { driveLetter: 'X:', pathFromRoot: 'Data' } as vss.ExposeTarget, { backend: sim }) },
    { name: 'planBackup({ writers: { include, exclude } })', message: "names 'include' and 'exclude'", run: (sim) => vss.planBackup('C:\\', { backend: sim, writers: { include: ['System Writer'], exclude: ['WMI Writer'] } as unknown as vss.WriterSelection }) },
    { name: 'planBackup({ writers: { includ } })', message: "'all', 'none', { include: [names or ids] }", run: (sim) => vss.planBackup('C:\\', { backend: sim, writers: { includ: ['System Writer'] } as unknown as vss.WriterSelection }) },
    { name: 'createSnapshotSet({ writers: { exclude, extra } })', message: '"options.writers.extra" argument must be absent', run: (sim) => vss.createSnapshotSet('D:\\', { backend: sim, writers: { exclude: ['WMI Writer'], extra: 1 } as unknown as vss.WriterSelection }) },
  ];
  for (const row of contradictions)
    it(row.name, async () => {
      const sim = vss.createSimulator({ timing: { timeScale: 0 } });
      const set = await vss.createSnapshotSet('C:\\', { backend: sim, persistent: true, writers: 'none', journal: false });
      await set.complete({ succeeded: true });
      const id = set.snapshots[0]!.snapshotId;
      const target = row.name.startsWith('delete') && row.name.includes('setId') ? set.setId : id;
      const { result, calls } = await vss.traceVssCalls(async () => row.run(sim, target).then(() => null, (error: unknown) => error));
      expect(result).toBeInstanceOf(TypeError);
      expect((result as { code?: string }).code).toBe('ERR_INVALID_ARG_VALUE');
      expect((result as Error).message).toContain(row.message);
      expect(calls).toEqual([]);
      // Nothing deleted, nothing exposed.
      expect((await vss.listShadowCopies({ backend: sim, journal: false })).map((c) => [c.snapshotId, c.exposedName])).toEqual([[id, null]]);
    });
});
