// Issue 9, the backup contract: each defect listed in the issue as a regression
// test (the item number in the title), and the BackupReport that complete(),
// abort() and withSnapshotSet give.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import {
  AbortError,
  BackupSession,
  VssError,
  VssSessionError,
  VssWriterError,
  createSimulator,
  createSnapshotSet,
  deleteShadowCopies,
  diffWriterStatus,
  getWriterMetadata,
  hresultMeaning,
  hresultName,
  listShadowCopies,
  listShadowStorage,
  listWriters,
  parseBackupComponentsDocument,
  planBackup,
  withSnapshotSet,
  type BackupReport,
  type ComponentRef,
} from '../lib/index.js';
import { runProcess } from './helpers/run-process.mjs';

const scratch = mkdtempSync(join(tmpdir(), 'vss-contract-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const fast = (scenario: Record<string, unknown> = {}) => createSimulator({ timing: { timeScale: 0.01 }, ...scenario });
const failAtBackupComplete = {
  faults: [{ writer: 'Registry Writer', phase: 'backup-complete', kind: 'fail', error: 'VSS_E_WRITERERROR_RETRYABLE' }],
};

async function registryComponent(sim: ReturnType<typeof fast>): Promise<ComponentRef> {
  const registry = (await getWriterMetadata({ backend: sim })).find((w) => w.name === 'Registry Writer')!;
  const c = registry.components[0]!;
  return { writerId: registry.writerId, instanceId: registry.instanceId, type: c.type as ComponentRef['type'], logicalPath: c.logicalPath, name: c.name };
}

describe('issue 9 item 1: a writer failing at BackupComplete is reported', () => {
  it('complete() rejects with VssWriterError naming the writer and phase, after finishing the backup; the error carries the report', async () => {
    const sim = fast(failAtBackupComplete);
    const set = await createSnapshotSet('C:\\', { backend: sim });
    const error = (await set.complete({ succeeded: true }).catch((e: unknown) => e)) as VssWriterError;
    expect(error).toBeInstanceOf(VssWriterError);
    expect(error.code).toBe('VSS_E_WRITERERROR_RETRYABLE');
    expect(error.operation).toBe('BackupComplete');
    expect(error.writers.map((w) => [w.name, w.state])).toEqual([['Registry Writer', 'failed-at-backup-complete']]);
    expect(error.report!.outcome).toBe('completed');
    expect(error.report!.failures).toMatchObject([{ name: 'Registry Writer', phase: 'backup-complete', lastError: { name: 'VSS_E_WRITERERROR_RETRYABLE' } }]);
    expect(sim.describe().sessions).toBe(0);
    expect(sim.describe().shadows).toEqual([]);
  });

  it('withSnapshotSet rejects too; { writerFailures: "report" } resolves and the report lists the failure', async () => {
    const sim = fast(failAtBackupComplete);
    await expect(withSnapshotSet('C:\\', { backend: sim }, () => 1)).rejects.toThrow(/BackupComplete failed: writer Registry Writer \(failed-at-backup-complete/);
    let report: BackupReport | undefined;
    await expect(withSnapshotSet('C:\\', { backend: sim, writerFailures: 'report', onReport: (r) => void (report = r) }, () => 7)).resolves.toBe(7);
    expect(report!.failures.map((f) => `${f.name}@${f.phase}`)).toEqual(['Registry Writer@backup-complete']);
    const set = await createSnapshotSet('C:\\', { backend: sim });
    const resolved = await set.complete({ succeeded: true, writerFailures: 'report' });
    expect(resolved.failures).toHaveLength(1);
  });
});

describe('issue 9 item 2: the final Backup Components Document', () => {
  it('complete() resolves to a report whose document was written after SetBackupSucceeded and BackupComplete', async () => {
    const sim = fast();
    const component = await registryComponent(sim);
    const set = await createSnapshotSet('C:\\', { backend: sim, components: [component] });
    const report = await set.complete({ succeeded: true });
    expect(report.outcome).toBe('completed');
    expect(report.failures).toEqual([]);
    expect(report.writers.length).toBeGreaterThan(0);
    expect(report.shadowCopies).toEqual(set.snapshots);
    expect(report.timings.map((t) => t.operation)).toContain('BackupComplete');
    expect(report.components).toMatchObject([{ name: component.name, writerName: 'Registry Writer', backupSucceeded: true, writerFailure: null }]);
    const document = parseBackupComponentsDocument(report.document!);
    const saved = document.writers.flatMap((w) => w.components).find((c) => c.name === component.name)!;
    expect(saved.backupSucceeded).toBe(true);
    expect(saved.backupStamp).toBe(report.components[0]!.backupStamp);
    // After complete() the set still answers saveAsXml() with that final document.
    await expect(set.saveAsXml()).resolves.toBe(report.document);
  });

  it('abort() gives the same report shape, outcome aborted', async () => {
    const sim = fast();
    const set = await createSnapshotSet('C:\\', { backend: sim });
    const report = await set.abort();
    expect(report.outcome).toBe('aborted');
    expect(report.succeeded).toBe(false);
    expect(Object.keys(report).sort()).toEqual(['components', 'document', 'failures', 'outcome', 'plan', 'setId', 'shadowCopies', 'succeeded', 'timings', 'virtualMachines', 'writers']);
    expect(await set.abort()).toBe(report);
  });
});

describe('issue 9 item 2 (continued): the default backup is component mode, so its document holds components', () => {
  // Volume mode gave an empty <BACKUP_COMPONENTS>: nothing for a restore to select. VShadow
  // (vssclient.cpp: SetBackupState(true, ...)) and diskshadow select every eligible component.
  it('with no options the final document holds exactly what planBackup says is added, each marked succeeded; a second process restores from it', async () => {
    const state = join(scratch, 'default-mode.json');
    const sim = createSimulator({ timing: { timeScale: 0.01 } }, { stateFile: state });
    const plan = await planBackup('C:\\', { backend: sim });
    expect(plan.mode).toBe('component');
    expect(plan.add.length).toBeGreaterThan(0);
    const set = await createSnapshotSet('C:\\', { backend: sim });
    const report = await set.complete({ succeeded: true });
    expect(report.plan!.add).toEqual(plan.add);
    const document = parseBackupComponentsDocument(report.document!);
    expect(document.selectComponents).toBe(true);
    const key = (writerId: string, logicalPath: string | undefined, name: string) => `${writerId}:${logicalPath ?? ''}\\${name}`;
    const saved = document.writers.flatMap((w) => w.components.map((c) => ({ key: key(w.writerId, c.logicalPath, c.name), backupSucceeded: c.backupSucceeded })));
    expect(saved.map((c) => c.key).sort()).toEqual(plan.add.map((c) => key(c.writerId, c.logicalPath, c.name)).sort());
    expect(saved.every((c) => c.backupSucceeded)).toBe(true);
    expect(report.components.map((c) => c.name).sort()).toEqual(plan.add.map((c) => c.name).sort());
    // Another process, the same machine (state file), restores every component from the document.
    const file = join(scratch, 'default-mode.xml');
    writeFileSync(file, report.document!);
    const script = `import { readFileSync } from 'node:fs';
      import { createSimulator, restore } from ${JSON.stringify(join(__dirname, '../dist/index.mjs'))};
      const sim = createSimulator({ timing: { timeScale: 0.01 } }, { stateFile: process.argv[1] });
      const result = await restore(readFileSync(process.argv[2], 'utf8'), { backend: sim, copy: () => {} });
      process.stdout.write(JSON.stringify({ components: result.components.length, status: result.fileRestoreStatus, writers: result.writers.map((w) => w.state) }));`;
    const child = await runProcess(process.execPath, ['--input-type=module', '-e', script, state, file], { encoding: 'utf8', timeout: 60_000 });
    expect(child.stderr).toBe('');
    expect(JSON.parse(child.stdout)).toEqual({ components: plan.add.length, status: 'all', writers: expect.arrayContaining(['stable']) });
    expect((JSON.parse(child.stdout) as { writers: string[] }).writers.every((w) => w === 'stable')).toBe(true);
  });

  it('selection: false is volume mode: SetBackupState(selectComponents: false), nothing added, a document without components', async () => {
    const set = await createSnapshotSet('C:\\', { backend: fast(), selection: false });
    const report = await set.complete({ succeeded: true });
    expect(report.plan).toBeNull();
    expect(report.components).toEqual([]);
    const document = parseBackupComponentsDocument(report.document!);
    expect(document.selectComponents).toBe(false);
    expect(document.writers.flatMap((w) => w.components)).toEqual([]);
  });
});

describe('issue 9 item 2 (continued): saveAsXml and the document through the session', () => {
  it('inside the set saveAsXml() gives the document as it stands; after complete() the final one, not ERR_VSS_SESSION_RELEASED', async () => {
    const sim = fast();
    const component = await registryComponent(sim);
    const set = await createSnapshotSet('C:\\', { backend: sim, components: [component] });
    const during = parseBackupComponentsDocument(await set.saveAsXml());
    expect(during.writers.flatMap((w) => w.components)[0]!.backupSucceeded).toBe(false);
    const report = await set.complete({ succeeded: true });
    const after = parseBackupComponentsDocument(await set.saveAsXml());
    expect(after.writers.flatMap((w) => w.components)[0]!.backupSucceeded).toBe(true);
    expect(report.document).toContain('backupSucceeded="yes"');
  });
});

describe('issue 9 item 3: persistent and context must agree', () => {
  it.each([
    [{ persistent: true, context: 'backup' }],
    [{ persistent: false, context: 'client-accessible' }],
    [{ persistent: false, context: 'app-rollback' }],
  ] as const)('%o is a TypeError naming both', async (options) => {
    const sim = fast();
    const error = (await createSnapshotSet('C:\\', { backend: sim, ...options }).catch((e: unknown) => e)) as TypeError & { code: string };
    expect(error).toBeInstanceOf(TypeError);
    expect(error.code).toBe('ERR_INVALID_ARG_VALUE');
    expect(error.message).toMatch(/options\.persistent/);
    expect(error.message).toContain(`options.context '${options.context}'`);
    expect(sim.describe().sessions).toBe(0);
  });

  it('a context alone decides persistence, and set.persistent says the truth', async () => {
    const sim = fast();
    const set = await createSnapshotSet('C:\\', { backend: sim, context: 'client-accessible', writers: 'none' });
    expect(set.persistent).toBe(true);
    await set.complete({ succeeded: true });
    expect(sim.describe().shadows).toHaveLength(1);
    const agreed = await createSnapshotSet('C:\\', { backend: sim, context: 'backup', persistent: false });
    expect(agreed.persistent).toBe(false);
    await agreed.complete({ succeeded: true });
  });
});

describe('issue 9 item 4: an unknown provider', () => {
  it('rejects with VSS_E_PROVIDER_NOT_REGISTERED and leaves nothing behind', async () => {
    const sim = fast();
    await expect(createSnapshotSet('C:\\', { backend: sim, provider: '11111111-2222-3333-4444-555555555555' })).rejects.toMatchObject({
      code: 'VSS_E_PROVIDER_NOT_REGISTERED',
      operation: 'AddToSnapshotSet',
    });
    expect(sim.describe().snapshotSetInProgress).toBe(false);
    expect(sim.describe().sessions).toBe(0);
  });
});

describe('issue 9 item 5: pathFor and snapshotFor', () => {
  function machine() {
    const c = mkdtempSync(join(scratch, 'c-'));
    const d = mkdtempSync(join(scratch, 'd-'));
    mkdirSync(join(c, 'Data'));
    writeFileSync(join(c, 'Data', 'app.db'), 'on C');
    writeFileSync(join(d, 'other.db'), 'on the mounted volume');
    return fast({ volumes: [{ name: 'C:\\', path: c }, { name: 'C:\\mnt\\vol\\', path: d }] });
  }

  it('a path under a mount folder that is another volume is not mapped into C:\'s copy', async () => {
    const sim = machine();
    await withSnapshotSet('C:\\', { backend: sim, writers: 'none' }, (set) => {
      expect(() => set.pathFor('C:\\mnt\\vol\\other.db')).toThrow(/a path on a volume in this snapshot set/);
      expect(() => set.pathFor('c:\\MNT\\Vol\\other.db')).toThrow(TypeError);
    });
    await withSnapshotSet(['C:\\', 'C:\\mnt\\vol\\'], { backend: sim, writers: 'none' }, (set) => {
      expect(set.pathFor('C:\\mnt\\vol\\other.db')).toContain(sim.describe().shadows.find((s) => s.snapshotId === set.snapshotFor('C:\\mnt\\vol\\').snapshotId)!.contentPath!);
    });
  });

  it('compares case-insensitively and takes the \\\\?\\Volume{guid}\\ name of a volume in the set', async () => {
    const sim = machine();
    await withSnapshotSet('C:\\mnt\\vol\\', { backend: sim, writers: 'none' }, (set) => {
      const guid = sim.describe().volumes.find((v) => v.name === 'C:\\mnt\\vol\\')!.guidName;
      expect(set.snapshotFor('c:\\MNT\\VOL\\')).toBe(set.snapshots[0]);
      expect(set.snapshotFor(guid)).toBe(set.snapshots[0]);
      expect(set.pathFor(`${guid}other.db`)).toBe(set.pathFor('C:\\MNT\\vol\\other.db'));
    });
  });

  it('refuses a NUL character, and answers no more once the set ended (unless it persists)', async () => {
    const sim = machine();
    const set = await createSnapshotSet('C:\\', { backend: sim, writers: 'none' });
    expect(() => set.pathFor('C:\\Data\\app.db\0.txt')).toThrow(/without NUL/);
    await set.complete({ succeeded: true });
    expect(() => set.pathFor('C:\\Data\\app.db')).toThrow(VssSessionError);
    expect(() => set.snapshotFor('C:\\')).toThrow(/completed/);
    const kept = await createSnapshotSet('C:\\', { backend: sim, writers: 'none', persistent: true });
    await kept.complete({ succeeded: true });
    expect(readFileSync(kept.pathFor('C:\\Data\\app.db'), 'utf8')).toBe('on C');
    const aborted = await createSnapshotSet('C:\\', { backend: sim, writers: 'none', persistent: true });
    await aborted.abort();
    expect(() => aborted.pathFor('C:\\Data\\app.db')).toThrow(/aborted/);
  });
});

describe('issue 9 item 6: complete({ components }) is checked before any VSS call', () => {
  it('a misspelt component is a TypeError; the set stays usable and completes afterwards', async () => {
    const sim = fast();
    const component = await registryComponent(sim);
    const set = await createSnapshotSet('C:\\', { backend: sim, components: [component] });
    await expect(set.complete({ succeeded: true, components: [{ ...component, name: 'Registri' }] })).rejects.toThrow(
      /options\.components\[0\]" argument must be a component this set added/,
    );
    expect(set.ended).toBe(false);
    const calls = set.session.timings.length;
    const report = await set.complete({ succeeded: true, components: [{ ...component, name: component.name.toUpperCase() }] });
    expect(report.components[0]!.backupSucceeded).toBe(true);
    expect(set.session.timings.slice(calls).map((t) => t.operation)).toContain('BackupComplete');
  });

  it('when a VSS call of complete() fails, the backup ends with AbortBackup (never neither), and the error carries the report', async () => {
    const sim = fast();
    const component = await registryComponent(sim);
    const set = await createSnapshotSet('C:\\', { backend: sim, components: [component], persistent: true });
    const calls = set.session.timings.length;
    // SetBackupSucceeded failing as VSS can (VSS_E_OBJECT_NOT_FOUND): made to fail here by wrapping the session call.
    set.session.setBackupSucceeded = async () => {
      throw new VssError(0x80042308, undefined, { operation: 'SetBackupSucceeded' });
    };
    const error = (await set.complete({ succeeded: true }).catch((e: unknown) => e)) as VssError & { report?: BackupReport };
    expect(error.code).toBe('VSS_E_OBJECT_NOT_FOUND');
    const ops = set.session.timings.slice(calls).map((t) => t.operation);
    expect(ops).toContain('AbortBackup');
    expect(ops).not.toContain('BackupComplete');
    expect(error.report!.outcome).toBe('aborted');
    expect(set.ended).toBe(true);
    expect(sim.describe().sessions).toBe(0);
    expect(sim.describe().shadows).toEqual([]);
    expect(sim.describe().snapshotSetInProgress).toBe(false);
  });
});

describe('issue 9 item 7: contradictory writer selections', () => {
  it('excluding a writer while passing its component is a TypeError; so are include and exclude together', async () => {
    const sim = createSimulator({ base: 'sql-server', timing: { timeScale: 0.01 } });
    const sql = (await getWriterMetadata({ backend: sim })).find((w) => w.name === 'SqlServerWriter')!;
    const c = sql.components[0]!;
    const component = { writerId: sql.writerId, instanceId: sql.instanceId, type: c.type as ComponentRef['type'], logicalPath: c.logicalPath, name: c.name };
    await expect(createSnapshotSet('E:\\', { backend: sim, writers: { exclude: ['SqlServerWriter'] }, components: [component] })).rejects.toThrow(
      /writer SqlServerWriter is excluded by options\.writers/,
    );
    await expect(createSnapshotSet('E:\\', { backend: sim, writers: { include: ['System Writer'] }, components: [component] })).rejects.toThrow(TypeError);
    await expect(
      createSnapshotSet('E:\\', { backend: sim, writers: { include: ['SqlServerWriter'], exclude: ['System Writer'] } as never }),
    ).rejects.toThrow(/"options\.writers" argument names 'include' and 'exclude': give exactly one of 'include', 'exclude'/);
    await expect(createSnapshotSet('E:\\', { backend: sim, writers: 'none', components: [component] })).rejects.toThrow(/writers: 'none'/);
    expect(sim.describe().snapshotSetInProgress).toBe(false);
    expect(sim.describe().sessions).toBe(0);
  });
});

describe('issue 9 item 8: a volume that does not exist is VSS\'s error, not an empty answer', () => {
  it('listShadowCopies and deleteShadowCopies({ oldest }) reject with VSS_E_OBJECT_NOT_FOUND', async () => {
    const sim = fast();
    await expect(listShadowCopies({ backend: sim, volume: 'Z:\\' })).rejects.toMatchObject({ code: 'VSS_E_OBJECT_NOT_FOUND' });
    await expect(deleteShadowCopies({ volume: 'Z:\\', oldest: true }, { backend: sim })).rejects.toMatchObject({ code: 'VSS_E_OBJECT_NOT_FOUND' });
    await expect(listShadowCopies({ backend: sim, volume: 'C:\\' })).resolves.toEqual([]);
    expect(sim.describe().sessions).toBe(0);
  });
});

describe('issue 9 item 9: HRESULT helpers never turn bad input into S_OK', () => {
  it('names give their meaning; out-of-range numbers and non-numbers are errors', () => {
    expect(hresultMeaning('VSS_E_BAD_STATE')).toBe(hresultMeaning(0x80042301));
    expect(hresultName('VSS_E_BAD_STATE')).toBe('VSS_E_BAD_STATE');
    expect(() => hresultName(2 ** 40)).toThrow(RangeError);
    expect(() => hresultName(1.5)).toThrow(RangeError);
    expect(() => hresultMeaning('NOT_A_NAME')).toThrow(TypeError);
    expect(() => new VssError('x' as never)).toThrow(TypeError);
    expect(new VssError(-2147212543).code).toBe('VSS_E_BAD_STATE');
  });
});

describe('issue 9 item 10: a timeout is told apart from an abort', () => {
  const slow = () => fast({ timing: { timeScale: 1, freezeMs: 2000 } });

  it('timeoutMs and AbortSignal.timeout() reject with the TimeoutError; a user abort with AbortError', async () => {
    const sim = slow();
    const viaOption = (await createSnapshotSet('C:\\', { backend: sim, timeoutMs: 50 }).catch((e: unknown) => e)) as Error;
    expect(viaOption.name).toBe('TimeoutError');
    const viaSignal = (await createSnapshotSet('C:\\', { backend: sim, signal: AbortSignal.timeout(50) }).catch((e: unknown) => e)) as Error;
    expect(viaSignal.name).toBe('TimeoutError');
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const aborted = (await createSnapshotSet('C:\\', { backend: sim, signal: controller.signal }).catch((e: unknown) => e)) as Error;
    expect(aborted).toBeInstanceOf(AbortError);
    expect(sim.describe().snapshotSetInProgress).toBe(false);
    expect(sim.describe().sessions).toBe(0);
  });

  it('timeoutMs: too large is a RangeError naming timeoutMs (not "delay"); a string is a TypeError', async () => {
    const sim = fast();
    await expect(createSnapshotSet('C:\\', { backend: sim, timeoutMs: 1e12 })).rejects.toThrow(/"options\.timeoutMs" is out of range/);
    await expect(createSnapshotSet('C:\\', { backend: sim, timeoutMs: '100' as never })).rejects.toMatchObject({ name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' });
  });
});

describe('issue 9 item 11: detail is kept', () => {
  it('createSimulator refuses a volume path that does not exist', () => {
    expect(() => createSimulator({ volumes: [{ name: 'D:\\', path: join(scratch, 'missing') }] })).toThrow(/volumes\[0\]\.path.*no folder/);
  });

  it('createSnapshotSet keeps the cause the low-level session shows', async () => {
    const folder = mkdtempSync(join(scratch, 'gone-'));
    const sim = fast({ volumes: [{ name: 'C:\\', path: folder }] });
    rmSync(folder, { recursive: true });
    const error = (await createSnapshotSet('C:\\', { backend: sim }).catch((e: unknown) => e)) as VssError;
    expect(error).toBeInstanceOf(VssError);
    expect(`${error.message} ${String((error.cause as Error | undefined)?.message)}`).toMatch(/copying .* failed/);
    expect(sim.describe().snapshotSetInProgress).toBe(false);
  });

  it("the README's complete example scenario runs as is", async () => {
    const readme = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8');
    const example = /A complete example:\n\n```json\n([\s\S]*?)\n```/.exec(readme)![1]!;
    const sim = createSimulator({ ...JSON.parse(example), timing: { timeScale: 0.001 } });
    expect((await listWriters({ backend: sim })).map((w) => w.name)).toContain('Ledger Writer');
  });
});

describe('issue 9 item 12: scenario errors are TypeError/RangeError', () => {
  it('a malformed scenario is a TypeError naming the key; an oversized one a RangeError naming metadataXml', () => {
    expect(() => createSimulator({ writers: 5 })).toThrow(TypeError);
    expect(() => createSimulator({ writers: 5 })).toThrow(/writers: expected an array/);
    const huge = `<WRITER_METADATA>${' '.repeat(50 * 1024 * 1024)}</WRITER_METADATA>`;
    expect(() => createSimulator({ writers: [{ metadataXml: huge }] })).toThrow(RangeError);
    expect(() => createSimulator({ writers: [{ metadataXml: huge }] })).toThrow(/metadataXml/);
    const sim = fast();
    expect(() => sim.configure({ faults: 'x' })).toThrow(TypeError);
  });

  it('{ machine: "snapshot-set-in-progress", times: 1 } refuses one StartSnapshotSet, then lets the next through', async () => {
    const sim = fast({ faults: [{ machine: 'snapshot-set-in-progress', times: 1 }] });
    await expect(createSnapshotSet('C:\\', { backend: sim })).rejects.toMatchObject({ code: 'VSS_E_SNAPSHOT_SET_IN_PROGRESS' });
    const set = await createSnapshotSet('C:\\', { backend: sim });
    await set.complete({ succeeded: true });
  });
});

describe('issue 9 item 14: error texts that do not contradict themselves', () => {
  it('maxShadows 1 is not reported as 512', async () => {
    const sim = fast({ volumes: [{ name: 'C:\\', maxShadows: 1 }], shadows: [{ volume: 'C:\\' }] });
    const error = (await createSnapshotSet('C:\\', { backend: sim, writers: 'none' }).catch((e: unknown) => e)) as VssError;
    expect(error.code).toBe('VSS_E_MAXIMUM_NUMBER_OF_SNAPSHOTS_REACHED');
    expect(error.message).not.toMatch(/\(512\)\./);
    expect(error.message).toMatch(/C:\\ has 1 shadow copy, its maximum/);
  });

  it('a timeout at post-snapshot does not blame the freeze; a failure at identify names GatherWriterMetadata', async () => {
    const post = fast({ faults: [{ writer: 'Registry Writer', phase: 'post-snapshot', kind: 'fail', error: 'VSS_E_WRITERERROR_TIMEOUT' }] });
    const e1 = (await createSnapshotSet('C:\\', { backend: post }).catch((e: unknown) => e)) as VssError;
    expect(e1.remedy).toMatch(/at post-snapshot/);
    expect(e1.message).not.toMatch(/freeze took too long/);
    const identify = fast({ faults: [{ writer: 'Registry Writer', phase: 'identify', kind: 'fail', error: 'VSS_E_WRITERERROR_RETRYABLE' }] });
    const e2 = (await createSnapshotSet('C:\\', { backend: identify }).catch((e: unknown) => e)) as VssError;
    expect(e2).toBeInstanceOf(VssWriterError);
    expect(e2.operation).toBe('GatherWriterMetadata');
  });

  it('a 1 MB volume name is not echoed whole', async () => {
    const name = `C:\\${'a'.repeat(1024 * 1024)}\\`;
    const error = (await createSnapshotSet(name, { backend: fast(), writers: 'none' }).catch((e: unknown) => e)) as Error;
    expect(error.message.length).toBeLessThan(2000);
  });
});

describe('issue 9 item 15: diffWriterStatus', () => {
  it('reports applicationError changes and refuses entries that are not writer statuses', async () => {
    const [w] = await listWriters({ backend: fast() });
    const changed = { ...w!, applicationError: { hresult: 0x80042304, name: 'VSS_E_PROVIDER_NOT_REGISTERED' } };
    expect(diffWriterStatus([w!], [changed])).toMatchObject([{ kind: 'changed', after: { applicationError: { hresult: 0x80042304 } } }]);
    expect(() => diffWriterStatus([{}] as never, [])).toThrow(TypeError);
  });
});

describe("issue 9: the README's vendor backup and restore", () => {
  it('saves the final document through onReport and restores from it (PreRestore, PostRestore)', async () => {
    const backend = fast();
    const [registry] = await getWriterMetadata({ backend, writers: ['Registry Writer'] });
    const { type, logicalPath, name } = registry!.components[0]!;
    const component = { writerId: registry!.writerId, instanceId: registry!.instanceId, type: type as ComponentRef['type'], logicalPath, name };
    const file = join(scratch, 'backup-components.xml');
    await withSnapshotSet(['C:\\'], { backend, components: [component], onReport: (report) => writeFile(file, report.document!) }, () => undefined);
    const document = readFileSync(file, 'utf8');
    const saved = parseBackupComponentsDocument(document).writers.flatMap((w) =>
      w.components.map((c) => ({ writerId: w.writerId, instanceId: w.instanceId, type: c.type as ComponentRef['type'], logicalPath: c.logicalPath, name: c.name, backupSucceeded: c.backupSucceeded })),
    );
    expect(saved).toMatchObject([{ name, backupSucceeded: true }]);
    const session = await BackupSession.create({ backend });
    try {
      await session.initializeForRestore(document);
      await session.gatherWriterMetadata();
      for (const c of saved) await session.setSelectedForRestore(c, true);
      await session.preRestore();
      for (const c of saved) await session.setFileRestoreStatus(c, 'all');
      await session.postRestore();
      await session.gatherWriterStatus();
      expect((await session.getWriterStatus()).find((w) => w.name === 'Registry Writer')!.state).toBe('stable');
    } finally {
      await session.release();
    }
  });
});

describe('issue 9: vss create', () => {
  const cli = join(import.meta.dirname, '..', 'dist', 'cli', 'main.js');
  const vss = (...args: string[]) => runProcess(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 60_000 });

  it('prints the set id, writes the final document with --save-document, and gives the report under --json', async () => {
    const file = join(scratch, 'cli-document.xml');
    const text = await vss('create', 'C:\\', '--simulate', '--save-document', file);
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/^Snapshot set [0-9a-f-]{36}$/m);
    // Notes go to stderr, the table and the set id to stdout (issue 16).
    expect(text.stderr).toContain(`Backup Components Document written to ${file}`);
    expect(text.stderr).not.toMatch(/vss:/);
    expect(() => parseBackupComponentsDocument(readFileSync(file, 'utf8'))).not.toThrow();
    const json = await vss('create', 'C:\\', '--simulate', '--json');
    const parsed = JSON.parse(json.stdout) as { setId: string; report: BackupReport };
    expect(parsed.report.setId).toBe(parsed.setId);
    expect(parsed.report.outcome).toBe('completed');
    expect(parsed.report.document).toMatch(/^<BACKUP_COMPONENTS/);
  });

  it('--save-document into a folder that cannot be written is a usage error before any backup', async () => {
    const run = await vss('create', 'C:\\', '--simulate', '--save-document', join(scratch, 'no-such-folder', 'x.xml'));
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/--save-document .*its folder cannot be written \(ENOENT\)/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('item 7: --no-writers with --exclude-writer is a usage error (exit 2)', async () => {
    const run = await vss('create', 'C:\\', '--simulate', '--no-writers', '--exclude-writer', 'WMI Writer');
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/--no-writers and --exclude-writer contradict each other/);
  });
});

describe('issue 9 item 15 (continued): XML errors with their place, and shadow storage within its maximum', () => {
  it('the nesting-limit error names the element, line and column; a literal U+0000 is refused', () => {
    const deep = `<BACKUP_COMPONENTS>\n${'<a>'.repeat(100)}${'</a>'.repeat(100)}</BACKUP_COMPONENTS>`;
    const error = (() => {
      try {
        parseBackupComponentsDocument(deep);
      } catch (e) {
        return e as { code: string; line: number | null; column: number | null; element: string | null };
      }
      return null;
    })();
    expect(error).toMatchObject({ code: 'ERR_VSS_XML_LIMIT', line: 2, element: expect.stringMatching(/^BACKUP_COMPONENTS\/(a\/)*a$/) });
    expect(error!.column).toBeGreaterThan(1);
    expect(() => parseBackupComponentsDocument('<BACKUP_COMPONENTS xmlns="x-schema:#VssComponentMetadata" a="\0"></BACKUP_COMPONENTS>')).toThrow(/U\+0000/);
  });

  it('shadow storage never reports more allocated than its maximum', async () => {
    const backend = fast({ volumes: [{ name: 'C:\\', diffAreaMaximum: 100_000_000 }], shadows: [{ volume: 'C:\\' }, { volume: 'C:\\' }] });
    const [storage] = await listShadowStorage({ backend });
    expect(storage!.allocatedSize).toBeLessThanOrEqual(storage!.maximumSize);
    expect(storage!.allocatedSize).toBeGreaterThanOrEqual(storage!.usedSize);
  });
});

describe('issue 9 item 13: progress during DoSnapshotSet', () => {
  it('elapsedMs never restarts within one call', async () => {
    const sim = createSimulator({ timing: { timeScale: 0.05 } });
    const events: { operation: string; elapsedMs: number }[] = [];
    const set = await createSnapshotSet('C:\\', { backend: sim, onProgress: (e) => events.push(e) });
    await set.complete({ succeeded: true });
    const snapshot = events.filter((e) => e.operation === 'DoSnapshotSet').map((e) => e.elapsedMs);
    expect(snapshot.length).toBeGreaterThan(5);
    for (let i = 1; i < snapshot.length; i++) expect(snapshot[i]).toBeGreaterThanOrEqual(snapshot[i - 1]!);
  });
});
