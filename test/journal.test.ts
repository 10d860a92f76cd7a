// Issue 9: the leak journal. Persistent sets are written down before their snapshot and struck
// off when deleted; a process killed at any step of a persistent backup leaves exactly the sets
// that findOrphans/cleanupOrphans then find and delete, and nothing else is touched.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import {
  cleanupOrphans,
  createSimulator,
  createSnapshotSet,
  deleteShadowCopies,
  exposeShadowCopy,
  findOrphans,
  listShadowCopies,
  unexposeShadowCopy,
  type JournalEntry,
  VssJournalError,
} from '../lib/index.js';
import { journalPath, processStartTime } from '../lib/journal.js';
import { runProcess } from './helpers/run-process.mjs';

const scratch = mkdtempSync(join(tmpdir(), 'vss-journal-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let n = 0;
const fresh = () => {
  const dir = join(scratch, String(++n));
  mkdirSync(dir);
  return { journal: join(dir, 'journal.json'), state: join(dir, 'machine.json') };
};
const machine = (state: string) => createSimulator({ timing: { timeScale: 0.01 } }, { stateFile: state });
const entries = (journal: string): JournalEntry[] => (existsSync(journal) ? (JSON.parse(readFileSync(journal, 'utf8')) as { entries: JournalEntry[] }).entries : []);
const CHILD = resolve(__dirname, 'fixtures/journal/persistent-backup.mjs');

/** Runs the child backup, SIGKILLing it where it stops after its `stopAfter`th VSS call. */
function runChild(state: string, journal: string, stopAfter: number, scenario = ''): Promise<{ out: string; signal: NodeJS.Signals | null }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [CHILD, state, String(stopAfter), scenario], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, VSS_NAPI_JOURNAL: journal } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('stopped')) child.kill('SIGKILL');
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', fail);
    child.on('exit', (code, signal) => (code !== 0 && signal === null ? fail(new Error(`child exited ${code}: ${err}`)) : done({ out, signal })));
  });
}

describe('the leak journal (issue 9)', () => {
  it('lives in the per-user state folder unless an option or VSS_NAPI_JOURNAL says otherwise', () => {
    const saved = process.env.VSS_NAPI_JOURNAL;
    try {
      delete process.env.VSS_NAPI_JOURNAL;
      expect(journalPath()).toMatch(process.platform === 'win32' ? /vss-napi\\journal\.json$/ : /(\.local\/state|XDG|Application Support).*vss-napi\/journal\.json$|vss-napi\/journal\.json$/);
      process.env.VSS_NAPI_JOURNAL = 'from-env.json';
      expect(journalPath()).toBe(resolve('from-env.json'));
      expect(journalPath('option.json')).toBe(resolve('option.json'));
    } finally {
      process.env.VSS_NAPI_JOURNAL = saved;
    }
  });

  it('records a persistent set before its snapshot, marks it kept after complete() with keep: true, and strikes it off when deleted', async () => {
    const { journal, state } = fresh();
    const sim = machine(state);
    const set = await createSnapshotSet('C:\\', { backend: sim, persistent: true, keep: true, journal });
    const [entry] = entries(journal);
    expect(entry).toMatchObject({ setId: set.setId, shadowIds: set.snapshots.map((s) => s.snapshotId), pid: process.pid, processStart: processStartTime(process.pid), keep: false, machine: `simulator:${resolve(state)}` });
    await set.complete({ succeeded: true });
    expect(entries(journal)[0]!.keep).toBe(true);
    const id = set.snapshots[0]!.snapshotId;
    const name = await exposeShadowCopy(id, { driveLetter: 'X:' }, { backend: sim, journal });
    expect(entries(journal)[0]!.exposures).toEqual([{ snapshotId: id, name }]);
    await unexposeShadowCopy(id, { backend: sim, journal });
    expect(entries(journal)[0]!.exposures).toEqual([]);
    await deleteShadowCopies({ setId: set.setId }, { backend: sim, journal });
    expect(entries(journal)).toEqual([]);
    expect(existsSync(journal)).toBe(false);
    // Aborted: deleted, so struck off at once. Non-persistent and in-memory sets are never written.
    const aborted = await createSnapshotSet('C:\\', { backend: sim, persistent: true, journal });
    expect(entries(journal)).toHaveLength(1);
    await aborted.abort();
    expect(entries(journal)).toEqual([]);
    await (await createSnapshotSet('C:\\', { backend: sim, journal })).complete({ succeeded: true });
    await (await createSnapshotSet('C:\\', { backend: createSimulator(), persistent: true, journal })).complete({ succeeded: true });
    expect(entries(journal)).toEqual([]);
    await expect(createSnapshotSet('C:\\', { backend: sim, persistent: true, journal: 42 as never })).rejects.toThrow(TypeError);
    await expect(findOrphans({ backend: createSimulator(), journal })).rejects.toThrow(/in-memory simulator/);
  });

  it('a process whose id was reused is gone; a live one and a kept set are not orphans', async () => {
    const { journal, state } = fresh();
    const sim = machine(state);
    const mine = await createSnapshotSet('C:\\', { backend: sim, persistent: true, journal });
    await mine.complete({ succeeded: true });
    const kept = await createSnapshotSet('C:\\', { backend: sim, persistent: true, keep: true, journal });
    await kept.complete({ succeeded: true });
    const reused = await createSnapshotSet('C:\\', { backend: sim, persistent: true, journal });
    await reused.complete({ succeeded: true });
    // The entry says process 1 (alive: init) started at another time: the id was reused.
    const all = entries(journal).map((e) => (e.setId === reused.setId ? { ...e, pid: 1, processStart: 'another start' } : e));
    writeFileSync(journal, JSON.stringify({ version: 1, entries: all }));
    const orphans = await findOrphans({ backend: sim, journal });
    expect(orphans.map((o) => [o.setId, o.why])).toEqual([[reused.setId, 'pid-reused']]);
    const dry = await cleanupOrphans({ backend: sim, journal, dryRun: true });
    expect(dry.deleted).toEqual([]);
    expect((await listShadowCopies({ backend: sim })).map((c) => c.setId).sort()).toEqual([mine.setId, kept.setId, reused.setId].sort());
    const done = await cleanupOrphans({ backend: sim, journal });
    expect(done.deleted).toEqual([{ setId: reused.setId, deletedCount: 1 }]);
    expect((await listShadowCopies({ backend: sim })).map((c) => c.setId).sort()).toEqual([mine.setId, kept.setId].sort());
    expect(entries(journal).map((e) => e.setId).sort()).toEqual([mine.setId, kept.setId].sort());
  });

  it('concurrent processes each add their entries under the lock; a lock left by a dead process is taken over', () => {
    const { journal } = fresh();
    const script = `import { recordSet } from ${JSON.stringify(resolve(__dirname, '../dist/journal.js'))};
      for (let i = 0; i < 15; i++) recordSet(process.argv[1], { setId: crypto.randomUUID(), shadowIds: [crypto.randomUUID()], machine: 'native' });`;
    const children = Array.from({ length: 4 }, () => spawn(process.execPath, ['--input-type=module', '-e', script, journal], { stdio: 'inherit' }));
    return Promise.all(children.map((c) => new Promise((ok) => c.on('exit', ok)))).then(async () => {
      expect(entries(journal)).toHaveLength(60);
      expect(new Set(entries(journal).map((e) => e.pid)).size).toBe(4);
      // A lock whose holder was killed (this pid is gone) does not block the next writer.
      const dead = (await runProcess(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' })).stdout;
      writeFileSync(`${journal}.lock`, `${dead} 1:1`);
      const again = await runProcess(process.execPath, ['--input-type=module', '-e', script, journal], { encoding: 'utf8', timeout: 20_000 });
      expect(again.status).toBe(0);
      expect(entries(journal)).toHaveLength(75);
      expect(existsSync(`${journal}.lock`)).toBe(false);
      // An empty lock file left long ago (its writer killed between creating and filling it) too.
      writeFileSync(`${journal}.lock`, '');
      utimesSync(`${journal}.lock`, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
      expect((await runProcess(process.execPath, ['--input-type=module', '-e', script, journal], { timeout: 20_000 })).status).toBe(0);
      expect(entries(journal)).toHaveLength(90);
    });
  });

  it('SIGKILL at every step of a persistent backup: cleanup finds exactly what was left, and nothing else', async () => {
    const { journal, state } = fresh();
    const sim = machine(state);
    // Bystanders: a kept set, and a set of this (live) process.
    const kept = await createSnapshotSet('C:\\', { backend: sim, persistent: true, keep: true, journal });
    await kept.complete({ succeeded: true });
    const live = await createSnapshotSet('C:\\', { backend: sim, persistent: true, journal });
    await live.complete({ succeeded: true });
    const bystanders = [kept.setId, live.setId].sort();

    const whole = await runChild(state, journal, 0);
    const callLines = whole.out.split('\n').filter((l) => l.startsWith('call '));
    const calls = callLines.length;
    // From the kill after DoSnapshotSet on, a shadow copy exists.
    const snapshotAt = callLines.findIndex((l) => l.endsWith(' doSnapshotSet')) + 1;
    expect(snapshotAt).toBeGreaterThan(0);
    expect(calls).toBeGreaterThan(10);
    // The finished child's set is an orphan too: it was not kept.
    const steps = [...Array.from({ length: calls }, (_, i) => i + 1), -1];
    let leaked = 0;
    for (const step of [0, ...steps]) {
      if (step !== 0) {
        const { signal } = await runChild(state, journal, step);
        expect(signal, `step ${step}`).toBe('SIGKILL');
      }
      const left = (await listShadowCopies({ backend: sim })).filter((c) => !bystanders.includes(c.setId));
      const orphans = await findOrphans({ backend: sim, journal });
      expect(orphans.every((o) => !bystanders.includes(o.setId)), `step ${step}`).toBe(true);
      expect(orphans.flatMap((o) => o.present).sort(), `step ${step}`).toEqual(left.map((c) => c.snapshotId).sort());
      if (left.length > 0) leaked++;
      const result = await cleanupOrphans({ backend: sim, journal });
      expect(result.deleted.map((d) => d.setId).sort(), `step ${step}`).toEqual([...new Set(left.map((c) => c.setId))].sort());
      expect((await listShadowCopies({ backend: sim })).map((c) => c.setId).sort(), `step ${step}`).toEqual(bystanders);
      expect(entries(journal).map((e) => e.setId).sort(), `step ${step}`).toEqual(bystanders);
    }
    // Killed after DoSnapshotSet (and the finished run): a shadow copy was left each time, and found.
    expect(leaked).toBeGreaterThanOrEqual(calls - snapshotAt + 2);
  }, 180_000);

  it('vss cleanup --dry-run lists, vss cleanup deletes, --json gives the result, piping into head is quiet', async () => {
    const { journal, state } = fresh();
    await runChild(state, journal, -1, 'cli');
    const env = { ...process.env, VSS_NAPI_JOURNAL: journal };
    const cli = (args: string[]) => runProcess(process.execPath, ['dist/cli/main.js', ...args, '--simulate', '--state', state], { encoding: 'utf8', env });
    const dry = await cli(['cleanup', '--dry-run']);
    expect(dry.status).toBe(0);
    expect(dry.stdout).toMatch(/would delete/);
    const json = JSON.parse((await cli(['cleanup', '--json'])).stdout) as { deleted: unknown[]; orphans: unknown[]; dryRun: boolean };
    expect(json).toMatchObject({ dryRun: false });
    expect(json.deleted).toHaveLength(1);
    const again = await cli(['cleanup']);
    expect(again.stdout).toMatch(/no orphaned snapshot sets/i);
    const piped = await runProcess('sh', ['-c', `node dist/cli/main.js cleanup --dry-run --simulate --state '${state}' | head -c 1`], { encoding: 'utf8', env });
    expect(piped.stderr).not.toMatch(/EPIPE|Error/);
    // vss create --persistent keeps its set: cleanup leaves it.
    expect((await cli(['create', '--persistent', 'C:\\'])).status).toBe(0);
    expect((await cli(['cleanup', '--json'])).stdout).toMatch(/"orphans": \[\]/);
  });
  // cold8 F22: a damaged journal gave a raw SyntaxError and a stack trace, the file unnamed.
  it('a damaged journal is a VssJournalError naming the file, with no stack trace from the CLI (--json too), and nothing is created', async () => {
    const { journal, state } = fresh();
    writeFileSync(journal, '{garbage');
    const sim = machine(state);
    const refused = await createSnapshotSet('C:\\', { backend: sim, persistent: true, journal }).then(() => null, (e: unknown) => e);
    expect(refused).toBeInstanceOf(VssJournalError);
    expect(refused).toMatchObject({ code: 'ERR_VSS_JOURNAL', path: journal });
    expect((refused as Error).message).toContain(`The leak journal ${journal} is damaged`);
    expect(await listShadowCopies({ backend: sim, journal: false })).toEqual([]);
    await expect(findOrphans({ backend: sim, journal })).rejects.toMatchObject({ name: 'VssJournalError', code: 'ERR_VSS_JOURNAL' });
    const env = { ...process.env, VSS_NAPI_JOURNAL: journal };
    // A machine of the CLI's own (--simulate is another scenario than the one above).
    const cliState = `${state}.cli.json`;
    const cli = (args: string[]) => runProcess(process.execPath, ['dist/cli/main.js', ...args, '--simulate', '--state', cliState], { encoding: 'utf8', env });
    for (const args of [['cleanup', '--dry-run', '--journal', journal], ['create', '--persistent', 'C:\\']]) {
      const text = await cli(args);
      expect(text.status, args.join(' ')).toBe(1);
      expect(text.stderr).toMatch(new RegExp(`^vss: .*The leak journal ${journal.replace(/[\\/.]/g, '\\$&')} is damaged \\(.*\\): move it away`));
      expect(text.stderr).not.toMatch(/\n\s+at /);
      expect(text.stderr.trim().split('\n')).toHaveLength(1);
      const json = await cli([...args, '--json']);
      const error = (JSON.parse(json.stderr) as { error: Record<string, unknown> }).error;
      expect(error).toMatchObject({ code: 'ERR_VSS_JOURNAL', name: 'VssJournalError', exitCode: 1 });
      expect(error.stack).toBeUndefined();
    }
    expect(JSON.parse((await cli(['list', '--json'])).stdout)).toEqual([]);
  });
});
