// runProcess gives what spawnSync gives, without blocking this worker's event loop.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { DEFAULT_MAX_BUFFER, runProcess } from './run-process.mjs';

const node = process.execPath;
const scratch = realpathSync(mkdtempSync(join(tmpdir(), 'vss-run-process-')));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('runProcess', () => {
  it('gives the exit code and both outputs as strings with an encoding, Buffers without', async () => {
    const script = 'process.stdout.write("out é"); process.stderr.write("err"); process.exit(7)';
    const text = await runProcess(node, ['-e', script], { encoding: 'utf8' });
    expect([text.status, text.signal, text.stdout, text.stderr, text.error]).toEqual([7, null, 'out é', 'err', undefined]);
    expect(text.pid).toBeGreaterThan(0);
    const raw = await runProcess(node, ['-e', script]);
    expect(Buffer.isBuffer(raw.stdout) && Buffer.isBuffer(raw.stderr)).toBe(true);
    expect(raw.stdout.toString('utf8')).toBe('out é');
    expect(raw.status).toBe(7);
  });

  it('reports the signal that ended the child, with a null status', async () => {
    const result = await runProcess(node, ['-e', 'process.kill(process.pid, "SIGTERM"); setInterval(() => {}, 1000)'], { encoding: 'utf8', timeout: 30_000 });
    expect([result.status, result.signal, result.error]).toEqual([null, 'SIGTERM', undefined]);
  });

  it('pipes input to the child and closes its stdin; without input the child sees end of input at once', async () => {
    const upper = 'let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => process.stdout.write(s.toUpperCase()))';
    const piped = await runProcess(node, ['-e', upper], { encoding: 'utf8', input: 'line one\nline two\n', timeout: 30_000 });
    expect([piped.status, piped.stdout]).toEqual([0, 'LINE ONE\nLINE TWO\n']);
    const bytes = await runProcess(node, ['-e', upper], { encoding: 'utf8', input: Buffer.from('abc'), timeout: 30_000 });
    expect(bytes.stdout).toBe('ABC');
    const none = await runProcess(node, ['-e', upper], { encoding: 'utf8', timeout: 30_000 });
    expect([none.status, none.stdout, none.error]).toEqual([0, '', undefined]);
  });

  it('input the child never reads is no error (EPIPE is ignored, as spawnSync does)', async () => {
    const result = await runProcess(node, ['-e', 'process.exit(0)'], { encoding: 'utf8', input: 'x'.repeat(4 * 1024 * 1024), timeout: 30_000 });
    expect([result.status, result.error]).toEqual([0, undefined]);
  });

  it('runs in cwd with env', async () => {
    const result = await runProcess(node, ['-e', 'process.stdout.write(process.cwd() + "|" + process.env.RUN_PROCESS_PROBE + "|" + ("HOME_UNSET" in process.env))'], {
      encoding: 'utf8',
      cwd: scratch,
      env: { PATH: process.env.PATH, RUN_PROCESS_PROBE: 'seen', HOME_UNSET: undefined },
    });
    expect(result.stdout).toBe(`${scratch}|seen|false`);
  });

  it('a timeout sends SIGTERM and reports ETIMEDOUT, with what the child wrote before', async () => {
    const started = Date.now();
    // sh, not node: it starts in milliseconds even on a loaded machine, well within the timeout.
    const result = await runProcess('sh', ['-c', 'echo begun; exec sleep 30'], { encoding: 'utf8', timeout: 2_000 });
    expect(result.error?.code).toBe('ETIMEDOUT');
    expect([result.status, result.signal, result.stdout]).toEqual([null, 'SIGTERM', 'begun\n']);
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('a child that ignores SIGTERM gets SIGKILL after the grace period', async () => {
    // The ignored SIGTERM is inherited by the sleep that replaces the shell.
    const result = await runProcess('sh', ['-c', 'trap "" TERM; echo ready; exec sleep 30'], { encoding: 'utf8', timeout: 2_000, killGraceMs: 500 });
    expect(result.error?.code).toBe('ETIMEDOUT');
    expect([result.status, result.signal, result.stdout]).toEqual([null, 'SIGKILL', 'ready\n']);
  });

  it('a grandchild that keeps the pipes open after a timeout does not make it hang', async () => {
    const started = Date.now();
    // sh is killed; the backgrounded sleep still holds stdout until it ends.
    const result = await runProcess('sh', ['-c', 'sleep 20 & echo started; wait'], { encoding: 'utf8', timeout: 500, killGraceMs: 300 });
    expect(result.error?.code).toBe('ETIMEDOUT');
    expect(result.stdout).toBe('started\n');
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('a missing executable gives error ENOENT, not a throw, as spawnSync does', async () => {
    const missing = join(scratch, 'no-such-program');
    const result = await runProcess(missing, ['x'], { encoding: 'utf8', timeout: 5_000 });
    const sync = spawnSync(missing, ['x'], { encoding: 'utf8', timeout: 5_000 });
    expect(result.error?.code).toBe('ENOENT');
    expect(sync.error && 'code' in sync.error ? sync.error.code : undefined).toBe('ENOENT');
    expect([result.status, result.signal, result.stdout, result.stderr, result.pid]).toEqual([null, null, '', '', 0]);
    // Bad arguments spawn() throws for are a result too.
    const nul = await runProcess(node, ['-e', 'a\0b'], { encoding: 'utf8' });
    expect(nul.error?.code).toBe('ERR_INVALID_ARG_VALUE');
  });

  it('more than maxBuffer stops the child with ENOBUFS and keeps maxBuffer bytes; the default is 1 MiB, as spawnSync', async () => {
    const loud = 'process.stdout.write("x".repeat(Number(process.argv[1]))); setInterval(() => {}, 1000)';
    const small = await runProcess(node, ['-e', loud, '5000'], { encoding: 'utf8', maxBuffer: 100, timeout: 30_000 });
    expect(small.error?.code).toBe('ENOBUFS');
    expect(small.stdout).toBe('x'.repeat(100));
    expect(small.signal).toBe('SIGTERM');
    expect(DEFAULT_MAX_BUFFER).toBe(1024 * 1024);
    const over = String(DEFAULT_MAX_BUFFER + 1);
    const ours = await runProcess(node, ['-e', loud, over], { encoding: 'utf8', timeout: 30_000 });
    const sync = spawnSync(node, ['-e', loud, over], { encoding: 'utf8', timeout: 30_000 });
    expect([ours.error?.code, ours.stdout.length]).toEqual(['ENOBUFS', DEFAULT_MAX_BUFFER]);
    expect(sync.error && 'code' in sync.error ? sync.error.code : undefined).toBe('ENOBUFS');
    // Exactly maxBuffer bytes is within the limit.
    const exact = await runProcess(node, ['-e', 'process.stdout.write("y".repeat(100))'], { encoding: 'utf8', maxBuffer: 100 });
    expect([exact.status, exact.error, exact.stdout.length]).toEqual([0, undefined, 100]);
  });

  it('gives the same status, signal and output as spawnSync for the same command', async () => {
    const commands: [string, string[]][] = [
      [node, ['-e', 'console.log("a"); console.error("b"); process.exitCode = 3']],
      [node, ['-e', 'process.kill(process.pid, "SIGKILL")']],
      ['sh', ['-c', 'printf "%s" "$0"', 'arg zero']],
    ];
    for (const [command, args] of commands) {
      const ours = await runProcess(command, args, { encoding: 'utf8', timeout: 30_000 });
      const sync = spawnSync(command, args, { encoding: 'utf8', timeout: 30_000 });
      expect([ours.status, ours.signal, ours.stdout, ours.stderr]).toEqual([sync.status, sync.signal, sync.stdout, sync.stderr]);
    }
  });

  it('leaves the event loop free while the child runs (the reason it exists)', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 50);
    try {
      await runProcess(node, ['-e', 'setTimeout(() => {}, 1500)'], { timeout: 30_000 });
    } finally {
      clearInterval(timer);
    }
    // spawnSync would leave 0: no timer runs while it waits.
    expect(ticks).toBeGreaterThanOrEqual(5);
  });
});
