// Ctrl-C and SIGTERM during `vss create`: the signal is sent while the progress
// line names each phase in turn (the simulated machine slowed down so every phase
// lasts hundreds of milliseconds), and the process must cancel the VSS call, abort
// the backup, delete what it made, release the writers, say so in one line and
// exit 130 (143 for SIGTERM). The child prints its machine's state at the end
// (test/cli/signal-child.mjs), so "nothing left behind" is checked, not assumed.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { runProcess } from '../helpers/run-process.mjs';

const child = join(__dirname, 'signal-child.mjs');

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
  state: { writers: { name: string; state: string }[]; shadows: unknown[]; snapshotSetInProgress: boolean; sessions: number } | null;
  msAfterSignal: number;
}

/**
 * Runs the child, sends `signals` once stderr shows `phase`, and collects the outcome.
 * `thenAfter`: a second signal sent once the line shows the first was taken (two
 * signals sent back to back may reach the process as one: POSIX does not queue them).
 */
function interruptAt(args: string[], phase: RegExp, signals: NodeJS.Signals[], timeScale = '4', thenAfter?: [RegExp, NodeJS.Signals]): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [child, ...args], { env: { ...process.env, VSS_TEST_TIME_SCALE: timeScale } });
    let stdout = '';
    let stderr = '';
    let sentAt = 0;
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`no exit; stderr: ${stderr.slice(-500)}`));
    }, 60_000);
    proc.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    proc.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (!sentAt && phase.test(stderr)) {
        sentAt = performance.now();
        for (const s of signals) proc.kill(s);
      } else if (sentAt && thenAfter && thenAfter[0].test(stderr)) {
        proc.kill(thenAfter[1]);
        thenAfter = undefined;
      }
    });
    proc.on('exit', (code) => {
      clearTimeout(timer);
      const line = stdout.split('\n').find((l) => l.startsWith('STATE '));
      resolve({ code, stdout, stderr, state: line ? JSON.parse(line.slice(6)) : null, msAfterSignal: performance.now() - sentAt });
    });
  });
}

const phases: [string, RegExp][] = [
  ['GatherWriterMetadata', /\[GatherWriterMetadata\]/],
  ['PrepareForBackup', /\[PrepareForBackup\]/],
  ['GatherWriterStatus (after PrepareForBackup)', /\[PrepareForBackup\][\s\S]*\[GatherWriterStatus\]/],
  ['DoSnapshotSet', /\[DoSnapshotSet\]/],
  ['BackupComplete', /\[BackupComplete\]/],
];

describe('vss create interrupted', () => {
  for (const [name, phase] of phases)
    for (const signal of ['SIGINT', 'SIGTERM'] as const)
      it(`by ${signal} during ${name}: exit ${signal === 'SIGINT' ? 130 : 143}, one line, writers stable, nothing left`, async () => {
        const outcome = await interruptAt(['create', 'C:\\', '--simulate', '--persistent'], phase, [signal]);
        expect(outcome.code, outcome.stderr).toBe(signal === 'SIGINT' ? 130 : 143);
        // What the terminal shows: each line as left after its last in-place redraw.
        const lines = outcome.stderr.split('\n').map((l) => l.split('\r\x1b[K').at(-1)!).filter((l) => l.startsWith('vss:'));
        expect(lines).toEqual([
          `vss: ${signal === 'SIGINT' ? 'interrupted (Ctrl-C)' : 'terminated (SIGTERM)'}: backup aborted, writers released, no shadow copy kept`,
        ]);
        expect(outcome.stderr).not.toMatch(/\n\s+at /);
        // Nothing printed as if it had succeeded.
        expect(outcome.stdout).not.toMatch(/Snapshot set/);
        const state = outcome.state!;
        expect(state.shadows).toEqual([]);
        expect(state.snapshotSetInProgress).toBe(false);
        expect(state.sessions).toBe(0);
        expect(state.writers.filter((w) => w.state !== 'stable')).toEqual([]);
      });

  it('a second Ctrl-C exits at once, without waiting for the clean-up', async () => {
    // Slow enough that the clean-up after the first signal would take seconds.
    const outcome = await interruptAt(['create', 'C:\\', '--simulate'], /\[DoSnapshotSet\]/, ['SIGINT'], '8', [/stopping \(Ctrl-C again leaves at once\)/, 'SIGINT']);
    expect(outcome.code).toBe(130);
    expect(outcome.state).toBeNull();
    expect(outcome.stderr).toMatch(/vss: stopped without cleaning up: 'vss list' and 'vss writers' show what is left\n$/);
    expect(outcome.msAfterSignal).toBeLessThan(3000);
  });

  it('a listing interrupted by Ctrl-C cancels its call and exits 130 with one line', async () => {
    const outcome = await interruptAt(['writers', '--simulate'], /\[GatherWriterMetadata\]/, ['SIGINT']);
    expect(outcome.code).toBe(130);
    expect(outcome.stderr).toMatch(/(^|\r\x1b\[K)vss: interrupted \(Ctrl-C\): the VSS call was cancelled and the session released$/m);
    expect(outcome.stdout).not.toMatch(/^Writer\s+State/m);
    expect(outcome.state!.sessions).toBe(0);
  });

  it('under --json the interruption is a JSON error on stderr', async () => {
    // No progress under --json, so wait for time instead of a phase name.
    const outcome = await new Promise<Outcome>((resolve) => {
      const proc = spawn(process.execPath, [child, 'create', 'C:\\', '--simulate', '--json'], { env: { ...process.env, VSS_TEST_TIME_SCALE: '10' } });
      let stdout = '';
      let stderr = '';
      proc.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      setTimeout(() => proc.kill('SIGINT'), 2500);
      proc.on('exit', (code) => resolve({ code, stdout, stderr, state: null, msAfterSignal: 0 }));
    });
    expect(outcome.code).toBe(130);
    expect(JSON.parse(outcome.stderr)).toEqual({
      error: expect.objectContaining({ code: 'ERR_INTERRUPTED', signal: 'SIGINT', exitCode: 130 }),
    });
  });
  // cold8 F21: Ctrl-C while the commands were still loading ended the process without a word.
  it('a signal while the commands are still loading exits 130/143 with one line saying nothing was done (--json: the JSON error)', async () => {
    const main = join(__dirname, '..', '..', 'dist', 'cli', 'main.js');
    // Preloaded: signals the process as soon as main.js has its first handler (while process.js loads).
    const preload = (signal: string) =>
      `data:text/javascript,const t=setInterval(()=>{if(process.listenerCount('${signal}')>0){clearInterval(t);process.kill(process.pid,'${signal}');}},1);`;
    const run = (signal: string, extra: string[]) =>
      new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const proc = spawn(process.execPath, ['--import', preload(signal), main, 'create', 'C:\\', '--simulate', ...extra]);
        let stderr = '';
        proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        proc.on('exit', (code) => resolve({ code, stderr }));
      });
    expect(await run('SIGINT', [])).toEqual({ code: 130, stderr: 'vss: interrupted (Ctrl-C) while starting: nothing was done\n' });
    expect(await run('SIGTERM', [])).toEqual({ code: 143, stderr: 'vss: terminated (SIGTERM) while starting: nothing was done\n' });
    const json = await run('SIGINT', ['--json']);
    expect(json.code).toBe(130);
    expect(JSON.parse(json.stderr)).toEqual({ error: { code: 'ERR_INTERRUPTED', message: 'interrupted (Ctrl-C) while starting: nothing was done', signal: 'SIGINT', exitCode: 130 } });
  });
});

// cold12 F3: Ctrl-C during `vss revert` said "the VSS call was cancelled" and exited 130 although the
// revert went on and finished. RevertToSnapshot's page: a revert "cannot be canceled".
describe('vss revert interrupted', () => {
  const revertArgs = async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vss-revert-'));
    const scenario = join(dir, 'slow.json');
    writeFileSync(scenario, JSON.stringify({ base: 'windows-server-2022', timing: { commitMs: 3000 } }));
    const machine = [`--simulate=${scenario}`, '--state', join(dir, 'state.json')];
    const main = join(__dirname, '..', '..', 'dist', 'cli', 'main.js');
    const made = await runProcess(process.execPath, [main, 'create', 'C:\\', ...machine, '--persistent', '--no-writers', '--json'], { encoding: 'utf8', timeout: 60_000 });
    const id = JSON.parse(made.stdout).snapshots[0].snapshotId as string;
    return { id, args: ['revert', id, ...machine] };
  };

  it('by Ctrl-C while it runs: says the revert cannot be stopped, waits for it, prints it reverted and exits 0', async () => {
    const { id, args } = await revertArgs();
    const outcome = await interruptAt(args, /QueryRevertStatus/, ['SIGINT'], '1');
    expect(outcome.code, outcome.stderr).toBe(0);
    expect(outcome.stderr).toMatch(/vss: interrupted \(Ctrl-C\): a revert cannot be stopped once started; waiting for the revert of C:\\ to finish/);
    expect(outcome.stderr).not.toMatch(/cancelled/);
    expect(outcome.stdout).toContain(`reverted C:\\ to ${id}`);
  });

  it('a second Ctrl-C stops the waiting at once and says the revert is still running (exit 130)', async () => {
    const { id, args } = await revertArgs();
    const outcome = await interruptAt(args, /QueryRevertStatus/, ['SIGINT'], '1', [/waiting for the revert/, 'SIGINT']);
    expect(outcome.code).toBe(130);
    expect(outcome.stderr.endsWith(`vss: stopped waiting: the revert of C:\\ to ${id} is still running (a revert cannot be stopped)\n`), outcome.stderr).toBe(true);
    expect(outcome.stdout).not.toMatch(/reverted/);
  });
});
