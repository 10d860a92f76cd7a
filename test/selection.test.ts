// Issue 9: component selection (include/exclude/verify, the volume rule, selectability) and
// planBackup, which must say exactly what createSnapshotSet then does with the same options.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import {
  VssSelectionError,
  createSimulator,
  createSnapshotSet,
  parseBackupComponentsDocument,
  planBackup,
  traceVssCalls,
  type BackupPlan,
  type SnapshotSetOptions,
} from '../lib/index.js';
import { runProcess } from './helpers/run-process.mjs';

const fast = (scenario: Record<string, unknown> = {}) => createSimulator({ timing: { timeScale: 0.01 }, ...scenario });

// A writer with every kind of component "Working with Selectability for Backup" names: a
// non-selectable top-level component, a selectable one holding a non-selectable subcomponent,
// and a selectable one holding a selectable subcomponent whose files are on another volume.
const APP = {
  name: 'App Writer',
  writerId: '11111111-2222-3333-4444-555555555555',
  instanceId: '66666666-7777-8888-9999-000000000000',
  usage: 'user-data',
  source: 'transacted-db',
  components: [
    { name: 'Executables', logicalPath: '', selectable: false, files: [{ path: 'D:\\App\\bin', filespec: '*' }] },
    { name: 'Config', logicalPath: '', selectable: true, files: [{ path: 'D:\\App\\config', filespec: '*.ini' }] },
    { name: 'Users', logicalPath: 'Config', selectable: false, files: [{ path: 'D:\\App\\config\\users', filespec: '*' }] },
    { name: 'DB', logicalPath: '', selectable: true, files: [{ path: 'D:\\App\\db', filespec: 'main.db' }] },
    { name: 'Shard1', logicalPath: 'DB', selectable: true, files: [{ path: 'E:\\shards', filespec: '1.db' }] },
  ],
};
const appMachine = () =>
  fast({
    base: 'windows-server-2022',
    volumes: [
      { name: 'D:\\', guid: 'aaaaaaaa-0000-0000-0000-000000000001' },
      { name: 'E:\\', guid: 'aaaaaaaa-0000-0000-0000-000000000002' },
    ],
    writers: [APP],
  });

const APP_REF = { writerId: APP.writerId, instanceId: APP.instanceId, type: 'file-group' as const, logicalPath: '', name: 'Config' };

const verdicts = (plan: BackupPlan, writer: string) =>
  Object.fromEntries(plan.components.filter((c) => c.writerName === writer).map((c) => [c.path.slice(writer.length + 1), c.reason]));

describe('component selection (issue 9)', () => {
  it("volume mode (selection: false): no component is added, and a component whose files are on a volume outside the set is named as not captured", async () => {
    const plan = await planBackup(['C:\\'], { backend: fast(), selection: false });
    expect(plan.mode).toBe('volume');
    expect(plan.add).toEqual([]);
    expect(plan.writers.every((w) => w.included)).toBe(true);
    const bcd = plan.components.find((c) => c.path === 'ASR Writer:\\BCD\\BCD')!;
    expect(bcd).toMatchObject({ included: false, reason: 'volume-not-in-set' });
    expect(plan.requiredVolumes).toEqual([bcd.volumes[0]]);
    expect(plan.components.find((c) => c.path === 'Registry Writer:\\Registry')).toMatchObject({ included: true, reason: 'volume' });
  });

  it("VShadow's rules: a non-selectable top-level component on a volume outside the set takes its writer out; a writer without components is out", async () => {
    const plan = await planBackup(['C:\\'], { backend: fast(), selection: {} });
    expect(plan.mode).toBe('component');
    const asr = plan.writers.find((w) => w.name === 'ASR Writer')!;
    expect(asr).toMatchObject({ included: false, reason: 'non-selectable-component-excluded' });
    expect(asr.detail).toContain('\\BCD\\BCD');
    expect(verdicts(plan, 'ASR Writer')).toEqual({ '\\ASR\\ASR': 'writer-excluded', '\\Volumes\\Volume{c7463abb-f40d-11e9-80c7-806e6f6e6963}': 'writer-excluded', '\\Disks\\harddisk0': 'writer-excluded', '\\BCD\\BCD': 'volume-not-in-set' });
    expect(plan.writers.find((w) => w.name === 'Shadow Copy Optimization Writer')).toMatchObject({ included: false, reason: 'no-components' });
    expect(plan.add.map((c) => c.name)).toEqual(['TasksStore', 'WriterMetadataStore', 'PerformanceCounters', 'System Files', 'Win32 Services Files', 'WMI', 'Registry', 'COM+ REGDB']);
  });

  it('selectability: a component set with an excluded member is out; a non-selectable subcomponent comes implicitly; a selectable child of an excluded parent is added alone', async () => {
    const sim = appMachine();
    const plan = await planBackup(['D:\\'], { backend: sim, selection: { include: ['App Writer'] } });
    expect(verdicts(plan, 'App Writer')).toEqual({
      '\\Executables': 'added',
      '\\Config': 'added',
      '\\Config\\Users': 'implicit',
      '\\DB': 'excluded-descendant',
      '\\DB\\Shard1': 'volume-not-in-set',
    });
    expect(plan.writers.filter((w) => w.included).map((w) => w.name)).toEqual(['App Writer']);
    expect(plan.writers.find((w) => w.name === 'Registry Writer')).toMatchObject({ included: false, reason: 'not-included-by-caller' });
    expect(plan.requiredVolumes).toEqual(['E:\\']);

    const excluded = await planBackup(['D:\\', 'E:\\'], { backend: sim, selection: { include: ['App Writer'], exclude: ['App Writer:\\Config\\Users'] } });
    expect(verdicts(excluded, 'App Writer')).toEqual({
      '\\Executables': 'added',
      '\\Config': 'excluded-descendant',
      '\\Config\\Users': 'excluded-by-caller',
      '\\DB': 'added',
      '\\DB\\Shard1': 'implicit',
    });
    const child = await planBackup(['D:\\', 'E:\\'], { backend: sim, selection: { include: ['App Writer:\\DB\\Shard1'] } });
    // The non-selectable top-level component is the part of the writer always backed up.
    expect(verdicts(child, 'App Writer')).toEqual({
      '\\Executables': 'added',
      '\\Config': 'not-included-by-caller',
      '\\Config\\Users': 'not-included-by-caller',
      '\\DB': 'not-included-by-caller',
      '\\DB\\Shard1': 'added',
    });
    const mandatory = await planBackup(['D:\\'], { backend: sim, selection: { exclude: ['App Writer:\\Executables'] } });
    expect(mandatory.writers.find((w) => w.name === 'App Writer')).toMatchObject({ included: false, reason: 'non-selectable-component-excluded' });
    // The object form names the same component.
    const object = await planBackup(['D:\\', 'E:\\'], { backend: sim, selection: { include: [{ writer: 'app writer', logicalPath: 'DB', name: 'shard1' }] } });
    expect(object.add).toEqual(child.add);
  });

  it('addRequiredVolumes adds the volumes the selected components need, in the plan and in the backup', async () => {
    const sim = fast({ base: 'sql-server' });
    const plan = await planBackup(['C:\\', 'E:\\'], { backend: sim, selection: { include: ['SqlServerWriter'] } });
    expect(plan.components.find((c) => c.name === 'SalesDb')).toMatchObject({ included: false, reason: 'volume-not-in-set', volumes: ['E:\\', 'F:\\'] });
    expect(plan.requiredVolumes).toEqual(['F:\\']);
    const grown = await planBackup(['C:\\', 'E:\\'], { backend: sim, selection: { include: ['SqlServerWriter'] }, addRequiredVolumes: true });
    expect(grown).toMatchObject({ volumes: ['C:\\', 'E:\\', 'F:\\'], addedVolumes: ['F:\\'], requiredVolumes: [] });
    expect(grown.add.map((c) => c.name)).toEqual(['master', 'model', 'msdb', 'SalesDb']);
    const set = await createSnapshotSet(['C:\\', 'E:\\'], { backend: sim, selection: { include: ['SqlServerWriter'] }, addRequiredVolumes: true });
    try {
      expect(set.snapshots).toHaveLength(3);
      expect(set.snapshotFor('F:\\').originalVolume).toMatch(/43025f8a/);
    } finally {
      await set.complete({ succeeded: true });
    }
  });

  it('verify fails before any snapshot when the writer or component would not be in the backup (diskshadow writer verify)', async () => {
    const sim = fast();
    const { calls, result } = await traceVssCalls(() =>
      createSnapshotSet(['C:\\'], { backend: sim, selection: { verify: ['ASR Writer'] } }).then(
        () => null,
        (e: unknown) => e,
      ),
    );
    expect(result).toBeInstanceOf(VssSelectionError);
    expect(result).toMatchObject({ code: 'ERR_VSS_NOT_SELECTED', entry: 'ASR Writer' });
    expect((result as Error).message).toContain('non-selectable component \\BCD\\BCD');
    expect(calls).not.toContain('StartSnapshotSet');
    expect(calls).not.toContain('PrepareForBackup');
    expect(calls.at(-1)).toBe('Release');
    await expect(planBackup(['C:\\'], { backend: sim, selection: { verify: ['ASR Writer:\\BCD\\BCD'] } })).rejects.toThrow(VssSelectionError);
    // Verified and included: the backup goes on.
    const set = await createSnapshotSet(['C:\\'], { backend: sim, selection: { verify: ['Registry Writer', 'System Writer:\\System Files'] } });
    await set.complete({ succeeded: true });
  });

  it('names that match nothing and contradictory entries are TypeErrors naming both, before any snapshot', async () => {
    const sim = appMachine();
    const rejects = (options: SnapshotSetOptions, pattern: RegExp) =>
      expect(createSnapshotSet(['D:\\'], { backend: sim, ...options })).rejects.toThrow(expect.objectContaining({ name: 'TypeError', message: expect.stringMatching(pattern) }));
    await rejects({ selection: { include: ['No Such Writer'] } }, /options\.selection\.include\[0\].*a writer on this machine/);
    await rejects({ selection: { exclude: ['App Writer:\\Nope'] } }, /a component of that writer \(App Writer:\\Executables/);
    await rejects({ selection: { include: ['App Writer'], exclude: ['App Writer'] } }, /options\.selection\.include\[0\].*exclude entry 'App Writer'.*contradict/);
    await rejects({ selection: { verify: ['App Writer:\\Config\\Users'], exclude: ['App Writer:\\Config'] } }, /verify\[0\].*'App Writer:\\Config'.*contradict/);
    await rejects({ writers: { exclude: ['App Writer'] }, selection: { include: ['App Writer:\\DB'] } }, /options\.selection\.include\[0\].*options\.writers.*contradict/);
    await rejects({ selection: {}, components: [APP_REF] }, /options\.selection.*options\.components/);
    await rejects({ selection: false, components: [APP_REF] }, /options\.selection.*options\.components.*false/);
    await rejects({ selection: false, writers: 'none' }, /options\.selection.*writers: 'none'.*false/);
    await rejects({ components: [] }, /options\.components.*at least one component/);
    await rejects({ selection: true as never }, /options\.selection.*or false \(volume mode\)/);
    await rejects({ selection: { include: [] } }, /at least one writer or component/);
    await rejects({ selection: { include: [42 as unknown as string] } }, /options\.selection\.include\[0\]/);
    await rejects({ selection: { exclude: ['App Writer:'] } }, /writer and name both given/);
    await rejects({ selection: { only: [] } as never }, /options\.selection\.only/);
    await rejects({ writers: 'none', selection: {} }, /writers: 'none'/);
    await rejects({ addRequiredVolumes: 'yes' as never }, /options\.addRequiredVolumes/);
    // Nothing was left behind by the refused calls.
    expect(sim.describe().shadows).toEqual([]);
  });

  it.each<[string, SnapshotSetOptions]>([
    ['the default: no options (component mode, as VShadow and diskshadow)', {}],
    ['every component (selection: {})', { selection: {} }],
    ['exclude a writer and a component', { selection: { exclude: ['WMI Writer', 'System Writer:\\Win32 Services Files'] } }],
    ['include components', { selection: { include: ['Registry Writer', 'System Writer:\\System Files'] } }],
    ['with required volumes added', { selection: {}, addRequiredVolumes: true }],
    ['writers option and selection', { writers: { exclude: ['COM+ REGDB Writer'] }, selection: { exclude: ['Task Scheduler Writer'] } }],
  ])('plan and create agree: %s', async (_title, options) => {
    const sim = fast();
    const { result: plan, calls } = await traceVssCalls(() => planBackup(['C:\\'], { backend: sim, ...options }));
    // A dry run: writer metadata and status only.
    for (const call of ['StartSnapshotSet', 'AddToSnapshotSet', 'PrepareForBackup', 'DoSnapshotSet', 'AddComponent', 'EnableWriterClasses', 'DisableWriterClasses']) expect(calls).not.toContain(call);
    expect(calls).toContain('GatherWriterMetadata');
    const { result: set, calls: created } = await traceVssCalls(() => createSnapshotSet(['C:\\'], { backend: sim, ...options }));
    try {
      expect(set.plan!.add).toEqual(plan.add);
      expect(set.plan!.components.map((c) => [c.path, c.reason])).toEqual(plan.components.map((c) => [c.path, c.reason]));
      expect(set.snapshots.length).toBe(plan.volumes.length);
      expect(created.filter((c) => c === 'AddComponent')).toHaveLength(plan.add.length);
    } finally {
      const report = await set.complete({ succeeded: true });
      // The final document holds exactly the components the plan said would be added.
      const doc = parseBackupComponentsDocument(report.document!);
      const inDoc = doc.writers.flatMap((w) => w.components.map((c) => `${w.writerId}:${c.logicalPath}\\${c.name}`)).sort();
      expect(inDoc).toEqual(plan.add.map((c) => `${c.writerId}:${c.logicalPath}\\${c.name}`).sort());
      expect(report.plan).toBe(set.plan);
    }
  });

  it('a writer that fails to identify is out of the plan, and fails the backup unless the caller leaves it out (a failure is never silent)', async () => {
    const sim = fast({ faults: [{ writer: 'WMI Writer', phase: 'identify', kind: 'fail', error: 'VSS_E_WRITERERROR_RETRYABLE' }] });
    const plan = await planBackup(['C:\\'], { backend: sim });
    expect(plan.writers.find((w) => w.name === 'WMI Writer')).toMatchObject({ included: false, reason: 'writer-failed' });
    // It gave no metadata, so none of its components is in the backup: the backup says so.
    const failed = await createSnapshotSet(['C:\\'], { backend: sim }).catch((e: unknown) => e);
    expect(failed).toMatchObject({ name: 'VssWriterError', operation: 'GatherWriterMetadata', writer: { name: 'WMI Writer' }, report: { plan: { mode: 'component' } } });
    await expect(createSnapshotSet(['C:\\'], { backend: sim, selection: false })).rejects.toMatchObject({ name: 'VssWriterError' });
    // Left out by the caller: the backup goes on without it, and the plan says why.
    const without = await planBackup(['C:\\'], { backend: sim, selection: { exclude: ['WMI Writer'] } });
    expect(without.writers.find((w) => w.name === 'WMI Writer')).toMatchObject({ included: false, reason: 'excluded-by-caller' });
    const set = await createSnapshotSet(['C:\\'], { backend: sim, selection: { exclude: ['WMI Writer'] } });
    const report = await set.complete({ succeeded: true });
    expect(report.failures).toEqual([]);
    expect(report.plan!.add).toEqual(without.add);
    // A selected writer failing at freeze still fails it, with the plan in the report.
    const freeze = fast({ faults: [{ writer: 'Registry Writer', phase: 'freeze', kind: 'fail', error: 'VSS_E_WRITERERROR_RETRYABLE' }] });
    const error = await createSnapshotSet(['C:\\'], { backend: freeze, selection: { include: ['Registry Writer'] } }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'VssWriterError', report: { plan: { mode: 'component' } } });
    // A writer the selection leaves out (ASR Writer: its \\BCD\\BCD is on another volume) does not fail it (VShadow's CheckSelectedWriterStatus).
    const asr = fast({ faults: [{ writer: 'ASR Writer', phase: 'freeze', kind: 'fail', error: 'VSS_E_WRITERERROR_RETRYABLE' }] });
    const ok = await createSnapshotSet(['C:\\'], { backend: asr });
    const okReport = await ok.complete({ succeeded: true });
    expect(okReport.failures).toEqual([]);
    expect(okReport.plan!.writers.find((w) => w.name === 'ASR Writer')).toMatchObject({ included: false, reason: 'non-selectable-component-excluded' });
  });

  it('writers still in another backup (waiting-for-backup-complete) are busy, in the plan and in the backup', async () => {
    const sim = fast();
    const held = await createSnapshotSet('C:\\', { backend: sim });
    try {
      const plan = await planBackup(['C:\\'], { backend: sim, selection: {} });
      expect(plan.writers.find((w) => w.name === 'Registry Writer')).toMatchObject({ included: false, reason: 'writer-busy', state: 'waiting-for-backup-complete' });
      expect(plan.add).toEqual([]);
      // A backup would select none of them: it does not start, rather than succeed without them.
      await expect(createSnapshotSet('C:\\', { backend: sim })).rejects.toMatchObject({ name: 'WritersBusyError', code: 'ERR_VSS_BACKUP_IN_PROGRESS' });
    } finally {
      await held.complete({ succeeded: true });
    }
  });

  it('the backup type says what it does to the writers\' logs', async () => {
    const full = await planBackup('C:\\', { backend: fast() });
    expect(full.effects).toMatchObject({ backupType: 'full', updatesHistory: true, mayTruncateLogs: true });
    const copy = await planBackup('C:\\', { backend: fast(), backupType: 'copy' });
    expect(copy.effects).toMatchObject({ backupType: 'copy', updatesHistory: false, mayTruncateLogs: false });
    expect(copy.effects.summary).toMatch(/no logs/);
    await expect(planBackup('C:\\', { backend: fast(), backupType: 'nightly' as never })).rejects.toThrow(TypeError);
    await expect(planBackup('Z:\\', { backend: fast() })).rejects.toMatchObject({ code: 'VSS_E_OBJECT_NOT_FOUND' });
  });
});

describe('vss plan and the selection flags of vss create', () => {
  const cli = (args: string[]) => runProcess(process.execPath, ['dist/cli/main.js', ...args], { encoding: 'utf8' });

  it('vss create while another process holds the writers (waiting-for-backup-complete) exits 1 saying why, in the shell\'s words, and makes no snapshot', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vss-busy-'));
    const state = join(dir, 'm.json');
    const fast = join(dir, 'fast.json');
    writeFileSync(fast, JSON.stringify({ timing: { timeScale: 0.01 } }));
    const stop = join(dir, 'stop');
    writeFileSync(join(dir, 'wait.cjs'), `const t = setInterval(() => { if (require('fs').existsSync(${JSON.stringify(stop)})) clearInterval(t); }, 50);`);
    // The first backup holds its writers while its --exec command runs (until the test writes `stop`).
    const first = spawn(process.execPath, ['dist/cli/main.js', 'create', 'C:\\', '--simulate=' + fast, '--state', state, '--exec', `node "${join(dir, 'wait.cjs')}"`], { stdio: 'ignore' });
    try {
      const held = async () => existsSync(state) && (await cli(['writers', '--simulate=' + fast, '--state', state, '--json'])).stdout.includes('waiting-for-backup-complete');
      for (let i = 0; i < 120 && !(await held()); i++) await new Promise((r) => setTimeout(r, 250));
      expect(await held()).toBe(true);
      const second = await cli(['create', 'C:\\', '--simulate=' + fast, '--state', state]);
      expect(second.status).toBe(1);
      expect(second.stderr).toMatch(/a backup is in progress \(.*System Writer: waiting-for-backup-complete.*\); the backup did not start.*--exclude-writer/);
      // The flag made for this is named (cold8 F21).
      expect(second.stderr).toMatch(/\(--retry N waits and tries again;/);
      expect(second.stdout).toBe('');
      const json = await cli(['create', 'C:\\', '--simulate=' + fast, '--state', state, '--json']);
      expect(JSON.parse(json.stderr).error).toMatchObject({ code: 'ERR_VSS_BACKUP_IN_PROGRESS', name: 'WritersBusyError', exitCode: 1 });
      expect(JSON.parse((await cli(['list', '--simulate=' + fast, '--state', state, '--json'])).stdout)).toHaveLength(1);
    } finally {
      writeFileSync(stop, '');
      await new Promise((r) => (first.exitCode !== null ? r(null) : first.once('exit', r)));
    }
  }, 90_000);

  it('vss plan --json is the plan; a verify that fails exits 1 with the reason; contradictions are usage errors', async () => {
    const plan = await cli(['plan', '--simulate', 'C:\\', '--exclude', 'WMI Writer', '--json']);
    expect(plan.status).toBe(0);
    const parsed = JSON.parse(plan.stdout) as BackupPlan;
    expect(parsed.writers.find((w) => w.name === 'WMI Writer')).toMatchObject({ included: false, reason: 'excluded-by-caller' });
    const verify = await cli(['plan', '--simulate', 'C:\\', '--verify', 'ASR Writer']);
    expect(verify.status).toBe(1);
    expect(verify.stderr).toMatch(/'ASR Writer' \(verify\) would not be in the backup/);
    expect(verify.stderr).not.toMatch(/\n\s+at /);
    const both = await cli(['create', '--simulate', 'C:\\', '--include', 'WMI Writer', '--exclude', 'WMI Writer']);
    expect(both.status).toBe(2);
    expect(both.stderr).toMatch(/--include must be a writer or component that the exclude entry 'WMI Writer' does not exclude/);
    const none = await cli(['create', '--simulate', 'C:\\', '--no-writers', '--components']);
    expect(none.status).toBe(2);
    const volumeNarrowed = await cli(['create', '--simulate', 'C:\\', '--no-components', '--exclude', 'WMI Writer']);
    expect(volumeNarrowed.status).toBe(2);
    expect(volumeNarrowed.stderr).toMatch(/--no-components and --include, --exclude or --verify contradict each other/);
    expect((await cli(['plan', '--simulate', 'C:\\', '--no-components', '--no-writers'])).status).toBe(2);
  });

  it('vss create and vss plan default to component mode (as vshadow and diskshadow); --no-components is volume mode', async () => {
    const plan = JSON.parse((await cli(['plan', '--simulate', 'C:\\', '--json'])).stdout) as BackupPlan;
    expect(plan.mode).toBe('component');
    expect(plan.add.length).toBeGreaterThan(0);
    const created = await cli(['create', '--simulate', 'C:\\', '--json']);
    expect(created.status).toBe(0);
    const { report } = JSON.parse(created.stdout) as { report: { plan: BackupPlan; components: { name: string }[] } };
    expect(report.plan.add).toEqual(plan.add);
    expect(report.components.map((c) => c.name).sort()).toEqual(plan.add.map((c) => c.name).sort());
    const volume = JSON.parse((await cli(['plan', '--simulate', 'C:\\', '--no-components', '--json'])).stdout) as BackupPlan;
    expect(volume).toMatchObject({ mode: 'volume', add: [] });
    const volumeCreated = JSON.parse((await cli(['create', '--simulate', 'C:\\', '--no-components', '--json'])).stdout) as { report: { plan: null; components: unknown[] } };
    expect(volumeCreated.report).toMatchObject({ plan: null, components: [] });
    // A document saved from volume mode says it has nothing to restore from.
    const file = join(mkdtempSync(join(tmpdir(), 'vss-selection-')), 'volume.xml');
    const saved = await cli(['create', '--simulate', 'C:\\', '--no-components', '--save-document', file]);
    expect(saved.status).toBe(0);
    expect(saved.stderr).toMatch(/holds no component: a restore from it has nothing to select/);
    expect((await cli(['restore', '--simulate', '--document', file])).status).not.toBe(0);
  });

  it('vss create --exclude backs up what vss plan said; the table pipes whole', async () => {
    const created = await cli(['create', '--simulate', 'C:\\', '--exclude', 'WMI Writer', '--json']);
    expect(created.status).toBe(0);
    const { report } = JSON.parse(created.stdout) as { report: { plan: BackupPlan } };
    expect(report.plan.add.map((c) => c.name)).not.toContain('WMI');
    expect(report.plan.add.map((c) => c.name)).toContain('Registry');
    const text = await cli(['plan', '--simulate', 'C:\\']);
    expect(text.status).toBe(0);
    expect(text.stdout).toContain('ASR Writer:\\BCD\\BCD');
    expect(text.stdout).toMatch(/non-selectable-component-excluded: its non-selectable component \\BCD\\BCD is out/);
  });
});
